/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * jparse.h - a minimal JSON reader: parses one answer line of the daemon for
 * enforcerctl, and OCI state documents and config.json (oci_state.c).
 */
#ifndef ENFORCER_JPARSE_H
#define ENFORCER_JPARSE_H

#include <stdbool.h>
#include <stddef.h>

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jtype type;
	bool b;               /* J_BOOL */
	char *s;              /* J_STR: decoded bytes (NUL-terminated, may hold NUL);
			       * J_NUM: the number as written */
	size_t slen;
	size_t n;             /* J_ARR / J_OBJ: number of items */
	char **keys;          /* J_OBJ: decoded keys */
	struct jval *items;   /* J_ARR / J_OBJ: values */
};

/* Parse exactly one JSON value (surrounding white space allowed).
 * Returns 0, or -1 on bad JSON (depth limited to 64). */
int jparse(const char *s, size_t len, struct jval *out);
void jval_free(struct jval *v);
/* Object member by key, or NULL. */
const struct jval *jval_get(const struct jval *obj, const char *key);

#endif
