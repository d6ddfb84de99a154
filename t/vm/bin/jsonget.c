// SPDX-License-Identifier: GPL-2.0-only
/*
 * jsonget.c - static helper run inside the test VM (there is no python
 * there): reads JSON lines on stdin, checks that each line is one strictly
 * valid JSON object (RFC 8259, UTF-8 included), and prints fields of it.
 *
 *   jsonget [-m KEY=VALUE]... [KEY...]
 *
 * Lines are selected when every -m KEY has the (unescaped) VALUE; for each
 * selected line the values of the KEYs are printed, tab-separated: strings
 * unescaped, numbers, true, false and null as written, objects and arrays
 * as their raw text, a missing key as "(missing)".  With no KEY nothing is
 * printed for the lines.  Exit 1 with a message naming the line on the first
 * invalid one, 0 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEYS 32

struct parser {
	const unsigned char *s;
	size_t pos, len;
	const char *err;
};

struct field {
	char *key;              /* unescaped */
	char *val;              /* unescaped string, or raw text */
};

static int fail(struct parser *p, const char *msg)
{
	if (!p->err)
		p->err = msg;
	return -1;
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
				   p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

static void put_utf8(char **o, unsigned cp)
{
	unsigned char *u = (unsigned char *)*o;

	if (cp < 0x80) {
		*u++ = (unsigned char)cp;
	} else if (cp < 0x800) {
		*u++ = (unsigned char)(0xc0 | cp >> 6);
		*u++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*u++ = (unsigned char)(0xe0 | cp >> 12);
		*u++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		*u++ = (unsigned char)(0x80 | (cp & 0x3f));
	} else {
		*u++ = (unsigned char)(0xf0 | cp >> 18);
		*u++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		*u++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		*u++ = (unsigned char)(0x80 | (cp & 0x3f));
	}
	*o = (char *)u;
}

static int hex4(struct parser *p, unsigned *v)
{
	*v = 0;
	if (p->pos + 4 > p->len)
		return fail(p, "truncated \\u escape");
	for (int i = 0; i < 4; i++) {
		unsigned char c = p->s[p->pos++];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			*v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			*v |= c - 'A' + 10;
		else
			return fail(p, "bad hex digit in \\u escape");
	}
	return 0;
}

/* Validate one UTF-8 sequence starting at p->pos (first byte >= 0x80). */
static int utf8_seq(struct parser *p)
{
	const unsigned char *s = p->s + p->pos;
	size_t left = p->len - p->pos;
	unsigned cp;
	size_t n;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return fail(p, "invalid UTF-8");
	}
	if (left < n)
		return fail(p, "truncated UTF-8");
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return fail(p, "invalid UTF-8");
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return fail(p, "invalid UTF-8 (overlong or surrogate)");
	p->pos += n;
	return 0;
}

/* Parse a string at p->pos (at the opening quote); the unescaped text goes
 * to *out (malloc'd) when out is not NULL. */
static int parse_string(struct parser *p, char **out)
{
	char *buf = malloc(p->len * 4 + 1), *o = buf;

	if (!buf)
		return fail(p, "out of memory");
	p->pos++;
	for (;;) {
		unsigned char c;

		if (p->pos >= p->len) {
			free(buf);
			return fail(p, "unterminated string");
		}
		c = p->s[p->pos];
		if (c == '"') {
			p->pos++;
			break;
		}
		if (c < 0x20) {
			free(buf);
			return fail(p, "raw control character in string");
		}
		if (c == '\\') {
			unsigned cp, lo;

			if (++p->pos >= p->len) {
				free(buf);
				return fail(p, "unterminated escape");
			}
			c = p->s[p->pos++];
			switch (c) {
			case '"': *o++ = '"'; break;
			case '\\': *o++ = '\\'; break;
			case '/': *o++ = '/'; break;
			case 'b': *o++ = '\b'; break;
			case 'f': *o++ = '\f'; break;
			case 'n': *o++ = '\n'; break;
			case 'r': *o++ = '\r'; break;
			case 't': *o++ = '\t'; break;
			case 'u':
				if (hex4(p, &cp) < 0) {
					free(buf);
					return -1;
				}
				if (cp >= 0xdc00 && cp <= 0xdfff) {
					free(buf);
					return fail(p, "lone low surrogate escape");
				}
				if (cp >= 0xd800 && cp <= 0xdbff) {
					if (p->pos + 2 > p->len || p->s[p->pos] != '\\' ||
					    p->s[p->pos + 1] != 'u') {
						free(buf);
						return fail(p, "lone high surrogate escape");
					}
					p->pos += 2;
					if (hex4(p, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff) {
						free(buf);
						return fail(p, "bad surrogate pair escape");
					}
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				}
				put_utf8(&o, cp);
				break;
			default:
				free(buf);
				return fail(p, "invalid escape in string");
			}
			continue;
		}
		if (c >= 0x80) {
			size_t start = p->pos;

			if (utf8_seq(p) < 0) {
				free(buf);
				return -1;
			}
			memcpy(o, p->s + start, p->pos - start);
			o += p->pos - start;
			continue;
		}
		*o++ = (char)c;
		p->pos++;
	}
	*o = '\0';
	if (out)
		*out = buf;
	else
		free(buf);
	return 0;
}

static int isdigit_(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int parse_number(struct parser *p)
{
	if (p->pos < p->len && p->s[p->pos] == '-')
		p->pos++;
	if (p->pos >= p->len || !isdigit_(p->s[p->pos]))
		return fail(p, "bad number");
	if (p->s[p->pos] == '0')
		p->pos++;
	else
		while (p->pos < p->len && isdigit_(p->s[p->pos]))
			p->pos++;
	if (p->pos < p->len && p->s[p->pos] == '.') {
		p->pos++;
		if (p->pos >= p->len || !isdigit_(p->s[p->pos]))
			return fail(p, "bad number fraction");
		while (p->pos < p->len && isdigit_(p->s[p->pos]))
			p->pos++;
	}
	if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (p->pos >= p->len || !isdigit_(p->s[p->pos]))
			return fail(p, "bad number exponent");
		while (p->pos < p->len && isdigit_(p->s[p->pos]))
			p->pos++;
	}
	return 0;
}

static int parse_value(struct parser *p, int depth);

static int parse_container(struct parser *p, int depth, int obj)
{
	char close = obj ? '}' : ']';

	if (depth > 64)
		return fail(p, "nested too deeply");
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		return 0;
	}
	for (;;) {
		skip_ws(p);
		if (obj) {
			if (p->pos >= p->len || p->s[p->pos] != '"')
				return fail(p, "expected a string key");
			if (parse_string(p, NULL) < 0)
				return -1;
			skip_ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':')
				return fail(p, "expected ':'");
			p->pos++;
		}
		if (parse_value(p, depth + 1) < 0)
			return -1;
		skip_ws(p);
		if (p->pos >= p->len)
			return fail(p, "unterminated object or array");
		if (p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->s[p->pos] == close) {
			p->pos++;
			return 0;
		}
		return fail(p, obj ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int parse_lit(struct parser *p, const char *lit)
{
	size_t n = strlen(lit);

	if (p->pos + n > p->len || memcmp(p->s + p->pos, lit, n))
		return fail(p, "invalid literal");
	p->pos += n;
	return 0;
}

static int parse_value(struct parser *p, int depth)
{
	skip_ws(p);
	if (p->pos >= p->len)
		return fail(p, "expected a value");
	switch (p->s[p->pos]) {
	case '{': return parse_container(p, depth, 1);
	case '[': return parse_container(p, depth, 0);
	case '"': return parse_string(p, NULL);
	case 't': return parse_lit(p, "true");
	case 'f': return parse_lit(p, "false");
	case 'n': return parse_lit(p, "null");
	default: return parse_number(p);
	}
}

/* Parse one line as a top-level object, collecting its fields. */
static int parse_line(struct parser *p, struct field **fields, size_t *nf)
{
	size_t cap = 0;

	*fields = NULL;
	*nf = 0;
	skip_ws(p);
	if (p->pos >= p->len || p->s[p->pos] != '{')
		return fail(p, "line is not a JSON object");
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == '}') {
		p->pos++;
		goto tail;
	}
	for (;;) {
		struct field f = { 0 };
		size_t vstart;

		skip_ws(p);
		if (p->pos >= p->len || p->s[p->pos] != '"')
			return fail(p, "expected a string key");
		if (parse_string(p, &f.key) < 0)
			return -1;
		for (size_t i = 0; i < *nf; i++)
			if (!strcmp((*fields)[i].key, f.key)) {
				free(f.key);
				return fail(p, "duplicate top-level key");
			}
		skip_ws(p);
		if (p->pos >= p->len || p->s[p->pos] != ':') {
			free(f.key);
			return fail(p, "expected ':'");
		}
		p->pos++;
		skip_ws(p);
		vstart = p->pos;
		if (p->pos < p->len && p->s[p->pos] == '"') {
			if (parse_string(p, &f.val) < 0) {
				free(f.key);
				return -1;
			}
		} else {
			if (parse_value(p, 1) < 0) {
				free(f.key);
				return -1;
			}
			f.val = strndup((const char *)p->s + vstart, p->pos - vstart);
		}
		if (*nf == cap) {
			cap = cap ? cap * 2 : 16;
			*fields = realloc(*fields, cap * sizeof(**fields));
			if (!*fields)
				return fail(p, "out of memory");
		}
		(*fields)[(*nf)++] = f;
		skip_ws(p);
		if (p->pos >= p->len)
			return fail(p, "unterminated object");
		if (p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->s[p->pos] == '}') {
			p->pos++;
			break;
		}
		return fail(p, "expected ',' or '}'");
	}
tail:
	skip_ws(p);
	if (p->pos != p->len)
		return fail(p, "trailing data after the object");
	return 0;
}

static const char *lookup(struct field *f, size_t nf, const char *key)
{
	for (size_t i = 0; i < nf; i++)
		if (!strcmp(f[i].key, key))
			return f[i].val;
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mkey[MAX_KEYS], *mval[MAX_KEYS];
	size_t nm = 0, lineno = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int i;

	for (i = 1; i < argc; i++) {
		char *eq;

		if (strcmp(argv[i], "-m"))
			break;
		if (i + 1 >= argc || !(eq = strchr(argv[i + 1], '=')) || nm == MAX_KEYS) {
			fputs("usage: jsonget [-m KEY=VALUE]... [KEY...]\n", stderr);
			return 2;
		}
		*eq = '\0';
		mkey[nm] = argv[i + 1];
		mval[nm++] = eq + 1;
		i++;
	}
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		struct parser p = { (const unsigned char *)line, 0, (size_t)n, NULL };
		struct field *f;
		size_t nf, k;
		int sel = 1;

		lineno++;
		if (n > 0 && line[n - 1] == '\n')
			p.len--;
		if (memchr(line, '\0', p.len))
			p.err = "NUL byte in line";
		if (p.err || parse_line(&p, &f, &nf) < 0) {
			fprintf(stderr, "jsonget: line %zu: invalid JSON: %s (at byte %zu): %.*s\n",
				lineno, p.err, p.pos, (int)p.len, line);
			return 1;
		}
		for (k = 0; k < nm && sel; k++) {
			const char *v = lookup(f, nf, mkey[k]);

			sel = v && !strcmp(v, mval[k]);
		}
		if (sel && i < argc) {
			for (int j = i; j < argc; j++) {
				const char *v = lookup(f, nf, argv[j]);

				printf("%s%s", j > i ? "\t" : "", v ? v : "(missing)");
			}
			putchar('\n');
		}
		for (k = 0; k < nf; k++) {
			free(f[k].key);
			free(f[k].val);
		}
		free(f);
	}
	free(line);
	return 0;
}
