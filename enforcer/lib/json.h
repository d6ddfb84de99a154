/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * json.h - a small JSON writer into a growable buffer, with escaping that
 * always yields valid JSON whatever the input bytes (see README "Audit
 * format": control bytes as \u00XX, invalid UTF-8 replaced by U+FFFD with the
 * exact bytes kept in a companion "<name>_hex" field).
 */
#ifndef ENFORCER_JSON_H
#define ENFORCER_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jbuf {
	char *s;
	size_t len, cap;
	bool need_comma;   /* internal: a value was written at this level */
	bool oom;          /* an allocation failed; contents are unusable */
};

void jb_init(struct jbuf *b);
void jb_free(struct jbuf *b);
void jb_reset(struct jbuf *b);
void jb_raw(struct jbuf *b, const char *s, size_t n);     /* no escaping, no comma logic */
void jb_obj_open(struct jbuf *b);                          /* { */
void jb_obj_close(struct jbuf *b);                         /* } */
void jb_arr_open(struct jbuf *b);                          /* [ */
void jb_arr_close(struct jbuf *b);                         /* ] */
void jb_key(struct jbuf *b, const char *key);              /* "key": */
void jb_str(struct jbuf *b, const char *s);                /* escaped string value (NUL-terminated) */
void jb_strn(struct jbuf *b, const char *s, size_t n);     /* escaped string value, n bytes */
void jb_int(struct jbuf *b, int64_t v);
void jb_uint(struct jbuf *b, uint64_t v);
void jb_bool(struct jbuf *b, bool v);
void jb_null(struct jbuf *b);
/* key/value helpers */
void jb_kstr(struct jbuf *b, const char *key, const char *s);
void jb_kint(struct jbuf *b, const char *key, int64_t v);
void jb_kuint(struct jbuf *b, const char *key, uint64_t v);
void jb_kbool(struct jbuf *b, const char *key, bool v);
/* "key":"<escaped>" and, when bytes are not valid UTF-8 or hold NUL,
 * "key_hex":"<hex of the exact bytes>" as well. */
void jb_kbytes(struct jbuf *b, const char *key, const char *s, size_t n);
/* true when s[0..n) is valid UTF-8 without NUL */
bool json_utf8_valid(const char *s, size_t n);
/* RFC 3339 UTC with nanoseconds: 2026-11-24T22:30:00.123456789Z; buf >= 40 */
void json_rfc3339(char *buf, size_t sz, uint64_t unix_ns);

#endif
