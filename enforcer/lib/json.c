// SPDX-License-Identifier: GPL-2.0-only
/*
 * json.c - a small JSON writer into a growable buffer.  Strings are escaped
 * so that the output is valid JSON whatever the input bytes:
 *   "  \  -> \"  \\          \n \r \t \b \f -> short forms
 *   other bytes < 0x20 and 0x7f -> \u00XX
 *   valid UTF-8 -> kept as is
 *   invalid UTF-8 (overlong, surrogates, > U+10FFFF, truncated, stray
 *   continuation bytes) -> \ufffd, one per offending byte sequence
 * jb_kbytes() also writes "<key>_hex" (lowercase hex of the exact bytes) when
 * the input was not valid UTF-8 or held NUL, so nothing is lost.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "utf8.h"
#include "json.h"

void jb_init(struct jbuf *b)
{
	memset(b, 0, sizeof(*b));
}

void jb_free(struct jbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

void jb_reset(struct jbuf *b)
{
	b->len = 0;
	b->need_comma = false;
	b->oom = false;
	if (b->s)
		b->s[0] = '\0';
}

/* Make room for n more bytes plus a terminating NUL. */
static bool jb_reserve(struct jbuf *b, size_t n)
{
	size_t want, cap;
	char *s;

	if (b->oom)
		return false;
	if (n > SIZE_MAX / 2 - b->len) {
		b->oom = true;
		return false;
	}
	want = b->len + n + 1;
	if (want <= b->cap)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap < want)
		cap *= 2;
	s = realloc(b->s, cap);
	if (!s) {
		b->oom = true;
		return false;
	}
	b->s = s;
	b->cap = cap;
	return true;
}

static void put(struct jbuf *b, const char *s, size_t n)
{
	if (!jb_reserve(b, n))
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void putc1(struct jbuf *b, char c)
{
	put(b, &c, 1);
}

void jb_raw(struct jbuf *b, const char *s, size_t n)
{
	put(b, s, n);
}

/* A value (or key) starts here: write the separating comma if needed. */
static void value_start(struct jbuf *b)
{
	if (b->need_comma)
		putc1(b, ',');
	b->need_comma = true;
}

void jb_obj_open(struct jbuf *b)
{
	value_start(b);
	putc1(b, '{');
	b->need_comma = false;
}

void jb_obj_close(struct jbuf *b)
{
	putc1(b, '}');
	b->need_comma = true;
}

void jb_arr_open(struct jbuf *b)
{
	value_start(b);
	putc1(b, '[');
	b->need_comma = false;
}

void jb_arr_close(struct jbuf *b)
{
	putc1(b, ']');
	b->need_comma = true;
}

bool json_utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, l;

	while (i < n) {
		if (u[i] == 0)
			return false;
		l = utf8_seq(u + i, n - i);
		if (!l)
			return false;
		i += l;
	}
	return true;
}

/* How many bytes an invalid sequence at s spans: the lead byte plus the
 * continuation bytes that could belong to it (W3C/Unicode "maximal subpart"
 * is finer; one U+FFFD per lead byte and its trailing continuations is
 * enough here, and a stray continuation byte is one sequence). */
static size_t bad_span(const unsigned char *s, size_t n)
{
	size_t want, i;

	if (s[0] >= 0xc0 && s[0] <= 0xdf)
		want = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		want = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf7)
		want = 4;
	else
		return 1;
	for (i = 1; i < want && i < n && (s[i] & 0xc0) == 0x80; i++)
		;
	return i;
}

static void put_escaped(struct jbuf *b, const char *str, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0, l;

	putc1(b, '"');
	while (i < n) {
		unsigned char c = s[i];
		char esc[7];
		const char *e = NULL;
		size_t elen = 2;

		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7f) {
			i++;
			run++;
			continue;
		}
		if (c >= 0x80) {
			l = utf8_seq(s + i, n - i);
			if (l) {
				i += l;
				run += l;
				continue;
			}
		}
		/* flush the plain run before s[i] */
		put(b, (const char *)s + i - run, run);
		run = 0;
		switch (c) {
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\t': e = "\\t"; break;
		case '\b': e = "\\b"; break;
		case '\f': e = "\\f"; break;
		default:
			break;
		}
		if (e) {
			put(b, e, elen);
			i++;
		} else if (c < 0x80) {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
			put(b, esc, 6);
			i++;
		} else {
			put(b, "\\ufffd", 6);
			i += bad_span(s + i, n - i);
		}
	}
	put(b, (const char *)s + i - run, run);
	putc1(b, '"');
}

void jb_key(struct jbuf *b, const char *key)
{
	value_start(b);
	put_escaped(b, key, strlen(key));
	putc1(b, ':');
	b->need_comma = false;
}

void jb_strn(struct jbuf *b, const char *s, size_t n)
{
	value_start(b);
	put_escaped(b, s ? s : "", s ? n : 0);
}

void jb_str(struct jbuf *b, const char *s)
{
	if (!s) {
		jb_null(b);
		return;
	}
	jb_strn(b, s, strlen(s));
}

static void put_num(struct jbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put_num(struct jbuf *b, const char *fmt, ...)
{
	char tmp[32];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	value_start(b);
	if (n > 0)
		put(b, tmp, (size_t)n);
}

void jb_int(struct jbuf *b, int64_t v)
{
	put_num(b, "%" PRId64, v);
}

void jb_uint(struct jbuf *b, uint64_t v)
{
	put_num(b, "%" PRIu64, v);
}

void jb_bool(struct jbuf *b, bool v)
{
	value_start(b);
	if (v)
		put(b, "true", 4);
	else
		put(b, "false", 5);
}

void jb_null(struct jbuf *b)
{
	value_start(b);
	put(b, "null", 4);
}

void jb_kstr(struct jbuf *b, const char *key, const char *s)
{
	jb_key(b, key);
	jb_str(b, s);
}

void jb_kint(struct jbuf *b, const char *key, int64_t v)
{
	jb_key(b, key);
	jb_int(b, v);
}

void jb_kuint(struct jbuf *b, const char *key, uint64_t v)
{
	jb_key(b, key);
	jb_uint(b, v);
}

void jb_kbool(struct jbuf *b, const char *key, bool v)
{
	jb_key(b, key);
	jb_bool(b, v);
}

void jb_kbytes(struct jbuf *b, const char *key, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t klen = strlen(key), i;
	char *k;

	jb_key(b, key);
	jb_strn(b, s, n);
	if (json_utf8_valid(s, n))
		return;
	k = malloc(klen + 5);
	if (!k) {
		b->oom = true;
		return;
	}
	memcpy(k, key, klen);
	memcpy(k + klen, "_hex", 5);
	jb_key(b, k);
	free(k);
	value_start(b);
	if (!jb_reserve(b, 2 * n + 2))
		return;
	b->s[b->len++] = '"';
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		b->s[b->len++] = hex[c >> 4];
		b->s[b->len++] = hex[c & 0xf];
	}
	b->s[b->len++] = '"';
	b->s[b->len] = '\0';
}

void json_rfc3339(char *buf, size_t sz, uint64_t unix_ns)
{
	time_t secs = (time_t)(unix_ns / 1000000000ULL);
	unsigned long ns = (unsigned long)(unix_ns % 1000000000ULL);
	struct tm tm;

	if (!buf || !sz)
		return;
	if (!gmtime_r(&secs, &tm)) {
		snprintf(buf, sz, "1970-01-01T00:00:00.000000000Z");
		return;
	}
	snprintf(buf, sz, "%04d-%02d-%02dT%02d:%02d:%02d.%09luZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min, tm.tm_sec, ns);
}
