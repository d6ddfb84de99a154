// SPDX-License-Identifier: GPL-2.0-only
/*
 * jparse.c - a minimal, strict JSON reader (RFC 8259) used by enforcerctl to
 * turn the daemon's answers into human output.  Not performance critical.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "jparse.h"

#define JPARSE_DEPTH 64

struct jp {
	const char *s;
	size_t len, pos;
	int depth;
};

static void skip_ws(struct jp *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
				   p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

static int parse_value(struct jp *p, struct jval *v);

static int hex4(struct jp *p, unsigned *out)
{
	unsigned v = 0;

	if (p->len - p->pos < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = p->s[p->pos++];

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

static size_t put_utf8(char *d, unsigned cp)
{
	if (cp < 0x80) {
		d[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (char)(0xc0 | (cp >> 6));
		d[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		d[0] = (char)(0xe0 | (cp >> 12));
		d[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		d[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	d[0] = (char)(0xf0 | (cp >> 18));
	d[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	d[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	d[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* p->s[p->pos] is the opening quote. */
static int parse_string(struct jp *p, char **out, size_t *outlen)
{
	size_t start = ++p->pos, n = 0;
	char *d;

	/* decoded text is never longer than the source */
	while (p->pos < p->len && p->s[p->pos] != '"') {
		if (p->s[p->pos] == '\\')
			p->pos++;
		p->pos++;
	}
	if (p->pos >= p->len)
		return -1;
	d = malloc(p->pos - start + 1);
	if (!d)
		return -1;
	p->pos = start;
	while (p->s[p->pos] != '"') {
		unsigned char c = (unsigned char)p->s[p->pos++];
		unsigned cp, lo;

		if (c < 0x20)
			goto bad;
		if (c != '\\') {
			d[n++] = (char)c;
			continue;
		}
		c = (unsigned char)p->s[p->pos++];
		switch (c) {
		case '"': d[n++] = '"'; break;
		case '\\': d[n++] = '\\'; break;
		case '/': d[n++] = '/'; break;
		case 'b': d[n++] = '\b'; break;
		case 'f': d[n++] = '\f'; break;
		case 'n': d[n++] = '\n'; break;
		case 'r': d[n++] = '\r'; break;
		case 't': d[n++] = '\t'; break;
		case 'u':
			if (hex4(p, &cp) < 0)
				goto bad;
			if (cp >= 0xd800 && cp <= 0xdbff && p->len - p->pos >= 6 &&
			    p->s[p->pos] == '\\' && p->s[p->pos + 1] == 'u') {
				size_t save = p->pos;

				p->pos += 2;
				if (hex4(p, &lo) == 0 && lo >= 0xdc00 && lo <= 0xdfff)
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				else
					p->pos = save;
			}
			if (cp >= 0xd800 && cp <= 0xdfff)
				cp = 0xfffd;      /* lone surrogate */
			n += put_utf8(d + n, cp);
			break;
		default:
			goto bad;
		}
	}
	p->pos++;
	d[n] = '\0';
	*out = d;
	*outlen = n;
	return 0;
bad:
	free(d);
	return -1;
}

static int parse_number(struct jp *p, struct jval *v)
{
	size_t start = p->pos;

	if (p->pos < p->len && p->s[p->pos] == '-')
		p->pos++;
	if (p->pos >= p->len || p->s[p->pos] < '0' || p->s[p->pos] > '9')
		return -1;
	while (p->pos < p->len && strchr("0123456789.eE+-", p->s[p->pos]) && p->s[p->pos])
		p->pos++;
	v->type = J_NUM;
	v->slen = p->pos - start;
	v->s = malloc(v->slen + 1);
	if (!v->s)
		return -1;
	memcpy(v->s, p->s + start, v->slen);
	v->s[v->slen] = '\0';
	return 0;
}

/* Room for one more item (and key); items and keys share one capacity. */
static int grow(struct jval *v, size_t *cap, bool keys)
{
	size_t kcap = *cap, icap = *cap;

	if (keys && !array_grow((void **)&v->keys, &kcap, v->n + 1, sizeof(*v->keys)))
		return -1;
	if (!array_grow((void **)&v->items, &icap, v->n + 1, sizeof(*v->items)))
		return -1;
	*cap = icap;
	return 0;
}

static int parse_container(struct jp *p, struct jval *v, bool obj)
{
	char close = obj ? '}' : ']';
	size_t cap = 0;

	if (++p->depth > JPARSE_DEPTH)
		return -1;
	v->type = obj ? J_OBJ : J_ARR;
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		p->depth--;
		return 0;
	}
	for (;;) {
		size_t klen;

		if (grow(v, &cap, obj) < 0)
			return -1;
		skip_ws(p);
		if (obj) {
			if (p->pos >= p->len || p->s[p->pos] != '"' ||
			    parse_string(p, &v->keys[v->n], &klen) < 0)
				return -1;
			skip_ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':') {
				free(v->keys[v->n]);
				return -1;
			}
			p->pos++;
		}
		memset(&v->items[v->n], 0, sizeof(v->items[0]));
		if (parse_value(p, &v->items[v->n]) < 0) {
			v->n++;      /* free what was parsed */
			return -1;
		}
		v->n++;
		skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == close) {
			p->pos++;
			p->depth--;
			return 0;
		}
		return -1;
	}
}

static int literal(struct jp *p, const char *word)
{
	size_t n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n))
		return -1;
	p->pos += n;
	return 0;
}

static int parse_value(struct jp *p, struct jval *v)
{
	skip_ws(p);
	if (p->pos >= p->len)
		return -1;
	switch (p->s[p->pos]) {
	case '{':
		return parse_container(p, v, true);
	case '[':
		return parse_container(p, v, false);
	case '"':
		v->type = J_STR;
		return parse_string(p, &v->s, &v->slen);
	case 't':
		v->type = J_BOOL;
		v->b = true;
		return literal(p, "true");
	case 'f':
		v->type = J_BOOL;
		return literal(p, "false");
	case 'n':
		v->type = J_NULL;
		return literal(p, "null");
	default:
		return parse_number(p, v);
	}
}

int jparse(const char *s, size_t len, struct jval *out)
{
	struct jp p = { .s = s, .len = len };

	memset(out, 0, sizeof(*out));
	if (parse_value(&p, out) < 0)
		goto bad;
	skip_ws(&p);
	if (p.pos != p.len)
		goto bad;
	return 0;
bad:
	jval_free(out);
	return -1;
}

void jval_free(struct jval *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		jval_free(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->s);
	memset(v, 0, sizeof(*v));
}

const struct jval *jval_get(const struct jval *obj, const char *key)
{
	if (!obj || obj->type != J_OBJ)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return &obj->items[i];
	return NULL;
}
