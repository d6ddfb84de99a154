// SPDX-License-Identifier: GPL-2.0-only
/*
 * compile_fixture.h - the state the compiler's unit tests share: one
 * parsed policy set, its errors and its compiled form, freed together by
 * reset(); parse_text() parses one policy held in a string.  Included
 * once per test program (static definitions).
 */
#ifndef ENF_COMPILE_FIXTURE_H
#define ENF_COMPILE_FIXTURE_H
#include <string.h>
#include "policy.h"

static struct enf_policy_set set;
static struct enf_errors err;
static struct enf_compiled c;

static inline void reset(void)
{
	policy_set_free(&set);
	errors_free(&err);
	policy_compiled_free(&c);
}

/* Parse text as the one policy of the set, named file; 0 or -1. */
static inline int parse_text(const char *file, const char *text)
{
	reset();
	return policy_parse_buffer(file, text, strlen(text), &set, &err);
}
#endif
