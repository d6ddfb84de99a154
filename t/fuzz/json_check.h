/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * json_check.h - a small strict JSON (RFC 8259) validator and string decoder
 * for the fuzz targets (header-only): every byte outside strings must be
 * grammar, strings must be valid UTF-8 with no raw control byte, escapes
 * must be the RFC's and \u surrogates must come in pairs.
 */
#ifndef ENFORCER_JSON_CHECK_H
#define ENFORCER_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define JCHECK_DEPTH_MAX 256

/* Length of a valid UTF-8 sequence at s (1..4, no overlong form, no
 * surrogate, at most U+10FFFF), or 0. Written apart from json.c on purpose. */
static inline size_t jcheck_utf8(const unsigned char *s, size_t n)
{
	unsigned c = s[0], cp, min;
	size_t need;

	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0)
		need = 2, cp = c & 0x1f, min = 0x80;
	else if ((c & 0xf0) == 0xe0)
		need = 3, cp = c & 0x0f, min = 0x800;
	else if ((c & 0xf8) == 0xf0)
		need = 4, cp = c & 0x07, min = 0x10000;
	else
		return 0;
	if (n < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need;
}

static inline bool jcheck_utf8_valid(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t k = jcheck_utf8((const unsigned char *)s + i, n - i);

		if (!k)
			return false;
		i += k;
	}
	return true;
}

static inline int jcheck_hex4(const char *s, size_t n, size_t i, unsigned *out)
{
	unsigned v = 0;

	if (i + 4 > n)
		return -1;
	for (size_t k = 0; k < 4; k++) {
		char c = s[i + k];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static inline size_t jcheck_put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * The string token at s[*i] (which must be '"'): checked, *i moved past its
 * closing quote.  When out is not NULL the decoded bytes go there (the
 * caller gives room for the token's length, which is always enough) and
 * their count into *outlen.  Returns 0 or -1.
 */
static inline int jcheck_string(const char *s, size_t n, size_t *i, char *out, size_t *outlen)
{
	size_t p = *i, o = 0;

	if (p >= n || s[p] != '"')
		return -1;
	p++;
	for (;;) {
		unsigned char c;

		if (p >= n)
			return -1;
		c = (unsigned char)s[p];
		if (c == '"') {
			p++;
			break;
		}
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			char e;
			unsigned cp, lo;

			if (p + 1 >= n)
				return -1;
			e = s[p + 1];
			p += 2;
			switch (e) {
			case '"': cp = '"'; break;
			case '\\': cp = '\\'; break;
			case '/': cp = '/'; break;
			case 'b': cp = '\b'; break;
			case 'f': cp = '\f'; break;
			case 'n': cp = '\n'; break;
			case 'r': cp = '\r'; break;
			case 't': cp = '\t'; break;
			case 'u':
				if (jcheck_hex4(s, n, p, &cp) < 0)
					return -1;
				p += 4;
				if (cp >= 0xdc00 && cp <= 0xdfff)
					return -1;          /* lone low surrogate */
				if (cp >= 0xd800 && cp <= 0xdbff) {
					if (p + 6 > n || s[p] != '\\' || s[p + 1] != 'u' ||
					    jcheck_hex4(s, n, p + 2, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
						return -1;  /* high surrogate without its pair */
					p += 6;
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				}
				break;
			default:
				return -1;
			}
			if (out)
				o += jcheck_put_utf8(out + o, cp);
			continue;
		}
		{
			size_t k = jcheck_utf8((const unsigned char *)s + p, n - p);

			if (!k)
				return -1;
			if (out)
				memcpy(out + o, s + p, k);
			o += k;
			p += k;
		}
	}
	*i = p;
	if (outlen)
		*outlen = out ? o : 0;
	return 0;
}

static inline void jcheck_ws(const char *s, size_t n, size_t *i)
{
	while (*i < n && (s[*i] == ' ' || s[*i] == '\t' || s[*i] == '\n' || s[*i] == '\r'))
		(*i)++;
}

static inline bool jcheck_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline int jcheck_number(const char *s, size_t n, size_t *i)
{
	size_t p = *i;

	if (p < n && s[p] == '-')
		p++;
	if (p >= n || !jcheck_digit(s[p]))
		return -1;
	if (s[p] == '0')
		p++;
	else
		while (p < n && jcheck_digit(s[p]))
			p++;
	if (p < n && s[p] == '.') {
		p++;
		if (p >= n || !jcheck_digit(s[p]))
			return -1;
		while (p < n && jcheck_digit(s[p]))
			p++;
	}
	if (p < n && (s[p] == 'e' || s[p] == 'E')) {
		p++;
		if (p < n && (s[p] == '+' || s[p] == '-'))
			p++;
		if (p >= n || !jcheck_digit(s[p]))
			return -1;
		while (p < n && jcheck_digit(s[p]))
			p++;
	}
	*i = p;
	return 0;
}

static inline int jcheck_word(const char *s, size_t n, size_t *i, const char *w)
{
	size_t l = strlen(w);

	if (*i + l > n || memcmp(s + *i, w, l))
		return -1;
	*i += l;
	return 0;
}

static inline int jcheck_value(const char *s, size_t n, size_t *i, int depth)
{
	if (depth > JCHECK_DEPTH_MAX)
		return -1;
	jcheck_ws(s, n, i);
	if (*i >= n)
		return -1;
	switch (s[*i]) {
	case '{':
		(*i)++;
		jcheck_ws(s, n, i);
		if (*i < n && s[*i] == '}') {
			(*i)++;
			return 0;
		}
		for (;;) {
			jcheck_ws(s, n, i);
			if (jcheck_string(s, n, i, NULL, NULL) < 0)
				return -1;
			jcheck_ws(s, n, i);
			if (*i >= n || s[*i] != ':')
				return -1;
			(*i)++;
			if (jcheck_value(s, n, i, depth + 1) < 0)
				return -1;
			jcheck_ws(s, n, i);
			if (*i < n && s[*i] == ',') {
				(*i)++;
				continue;
			}
			if (*i < n && s[*i] == '}') {
				(*i)++;
				return 0;
			}
			return -1;
		}
	case '[':
		(*i)++;
		jcheck_ws(s, n, i);
		if (*i < n && s[*i] == ']') {
			(*i)++;
			return 0;
		}
		for (;;) {
			if (jcheck_value(s, n, i, depth + 1) < 0)
				return -1;
			jcheck_ws(s, n, i);
			if (*i < n && s[*i] == ',') {
				(*i)++;
				continue;
			}
			if (*i < n && s[*i] == ']') {
				(*i)++;
				return 0;
			}
			return -1;
		}
	case '"':
		return jcheck_string(s, n, i, NULL, NULL);
	case 't':
		return jcheck_word(s, n, i, "true");
	case 'f':
		return jcheck_word(s, n, i, "false");
	case 'n':
		return jcheck_word(s, n, i, "null");
	default:
		return jcheck_number(s, n, i);
	}
}

/* true when s[0..n) is exactly one JSON value (surrounding blanks allowed). */
static inline bool json_check(const char *s, size_t n)
{
	size_t i = 0;

	if (jcheck_value(s, n, &i, 0) < 0)
		return false;
	jcheck_ws(s, n, &i);
	return i == n;
}

#endif
