// SPDX-License-Identifier: GPL-2.0-only
/*
 * policy_parse.c - policy files (policies/NAME.ini, language v1) into struct
 * enf_policy_src, with every problem reported as "file:line: message".
 *
 * One INI reader of our own, one pass over the buffer: scan() checks each
 * line (file size, line length, NUL and other non-text bytes, invalid
 * UTF-8, unterminated or unknown sections, keys without '=', bad key names)
 * and hands each clean "key = value" line at once to the key handlers
 * (dispatch_line()) with its line number and raw line.  As with two passes,
 * a buffer with any such problem reports every one of them and nothing
 * else: the handlers' messages of the lines before the first are dropped
 * and no line after it is handed on.  (Before issue 15 the handlers were
 * driven by inih, whose permissive rules the checks had to guard against:
 * ':' as separator, multi-line values, silent truncation.)  The language: no
 * multi-line values, ';' and '#' comments (inline ones after a blank), lines
 * up to POLICY_LINE_MAX bytes, a UTF-8 byte order mark skipped.  Not
 * thread-safe (static line buffers).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "array.h"
#include "capability.h"
#include "connect_rule.h"
#include "pattern.h"
#include "policy.h"
#include "prog_cond.h"
#include "utf8.h"

#define QUOTE_MAX 120          /* bytes of user text quoted in a message */

enum psec { SEC_NONE = -1, SEC_EXEC = ENF_HOOK_EXEC, SEC_FILE = ENF_HOOK_FILE,
	    SEC_CONNECT = ENF_HOOK_CONNECT, SEC_BIND = ENF_HOOK_BIND, SEC_POLICY = 10, SEC_UNKNOWN = 11, SEC_CAPS = 12 };

struct pstate {
	const char *file;
	const char *buf;
	size_t len, pos;
	int line;                  /* number of the line dispatch_line() is on */
	const char *cur;           /* that line, raw, without its newline */
	size_t cur_len;
	const char *text;          /* ... its content: no byte order mark, comment, */
	size_t text_len;           /* leading or trailing blanks */
	const char *value;         /* the value handed to handler(), NUL-terminated: */
	size_t value_len;          /* the end of text */
	struct enf_policy_src *p;
	struct enf_errors *err;
	int nerr;
	int name_line, mode_line, default_line[ENF_HOOK_MAX];
	int caps_default_line;
	int cap_line[ENF_CAP_LAST + 1];   /* where each capability was named */
	size_t rules_cap, cg_cap, unit_cap, ns_cap, pod_cap, progs_cap;
	enum psec sec;             /* the section scan() is in */
	bool scanning;             /* scan()'s own checks (not a handler) */
	bool scan_failed;          /* one of them failed: no line handed on */
	size_t err_base;           /* err->n when the buffer's parse began */
	int first_pattern_line;    /* the first rule with a glob pattern */
	size_t npatterns;
	bool rules_full, binds_full;
	bool bind_keys;            /* a cgroup= or unit= line, valid or not */
};

__attribute__((format(printf, 3, 4)))
static void perr(struct pstate *st, int line, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (st->scanning && !st->scan_failed) {
		/* the first problem scan() finds: the handlers' messages so far go
		 * (a buffer that is not clean reports its scan problems alone) */
		while (st->err->n > st->err_base)
			free(st->err->msg[--st->err->n]);
		st->scan_failed = true;
	}
	errors_add(st->err, st->file, line, "%s", msg);
	st->nerr++;
}

/* User text for a message: at most QUOTE_MAX bytes, cut on a UTF-8
 * character boundary, "..." when cut. */
static const char *quote(char *out, size_t outsz, const char *s, size_t n)
{
	size_t max = outsz - 4 < QUOTE_MAX ? outsz - 4 : QUOTE_MAX;
	bool cut = n > max;

	if (cut) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(out, s, n);
	strcpy(out + n, cut ? "..." : "");
	return out;
}

/* ' ', '\t', '\r', '\v', '\f': one compare for the common byte above ' '
 * (called a few times per byte of every line) */
#define BLANK_MASK (1ull << ' ' | 1ull << '\t' | 1ull << '\r' | 1ull << '\v' | 1ull << '\f')
static bool is_blank(char c)
{
	unsigned char u = (unsigned char)c;

	return u <= ' ' && ((BLANK_MASK >> u) & 1);
}

/* Where the line's content ends: before an inline comment (';' or '#' after
 * a blank) and trailing blanks.  may_comment: false when the line holds
 * neither ';' nor '#' (scan_bytes() saw every byte). */
static size_t content_len(const char *s, size_t n, bool may_comment)
{
	bool was_blank = false;
	size_t i = n;

	/* most lines hold neither: no byte-by-byte walk */
	if (may_comment) {
		for (i = 0; i < n; i++) {
			if (was_blank && (s[i] == ';' || s[i] == '#'))
				break;
			was_blank = is_blank(s[i]);
		}
	}
	while (i > 0 && is_blank(s[i - 1]))
		i--;
	return i;
}

static enum psec section_of(const char *s, size_t n)
{
	while (n && is_blank(*s))
		s++, n--;
	while (n && is_blank(s[n - 1]))
		n--;
#define SEC_IS(w) (n == sizeof(w) - 1 && !strncasecmp(s, w, n))
	if (SEC_IS("policy"))
		return SEC_POLICY;
	if (SEC_IS("exec"))
		return SEC_EXEC;
	if (SEC_IS("file"))
		return SEC_FILE;
	if (SEC_IS("connect"))
		return SEC_CONNECT;
	if (SEC_IS("bind"))
		return SEC_BIND;
	if (SEC_IS("capabilities"))
		return SEC_CAPS;
#undef SEC_IS
	return SEC_UNKNOWN;
}

/* isalnum() in the C locale, '_' and '-': one load per byte */
static const bool key_chars[256] = {
	['0' ... '9'] = true, ['A' ... 'Z'] = true, ['a' ... 'z'] = true, ['_'] = true, ['-'] = true,
};

static bool key_char(char c)
{
	return key_chars[(unsigned char)c];
}

/* The line number that byte offset off of buf falls on. */
static int line_at(const char *buf, size_t len, size_t off)
{
	int line = 1;

	for (size_t i = 0; i < off && i < len; i++)
		if (buf[i] == '\n')
			line++;
	return line;
}

/* A zero byte in w (exact as a yes or no). */
#define HAS_ZERO_BYTE(w) (((w) - 0x0101010101010101ull) & ~(w) & 0x8080808080808080ull)

/* Byte-level checks of one line; 0 when it is text.  *may_comment: whether
 * it holds a ';' or a '#' (found on the way, for content_len(): no memchr()
 * of its own for each). */
static int scan_bytes(struct pstate *st, int line, const char *s, size_t n, bool *may_comment)
{
	bool cm = false;

	if (n > POLICY_LINE_MAX) {
		perr(st, line, "line too long (max %d bytes)", POLICY_LINE_MAX);
		return -1;
	}
	for (size_t i = 0; i < n;) {
		unsigned char c;
		size_t k;

		/* 8 bytes at a time while all are printable ASCII (0x20..0x7e):
		 * no byte below 0x20, none with its top bit set after adding 1 */
		while (n - i >= 8) {
			uint64_t w;

			memcpy(&w, s + i, 8);
			if (((w - 0x2020202020202020ull) & ~w & 0x8080808080808080ull) ||
			    ((w | (w + 0x0101010101010101ull)) & 0x8080808080808080ull))
				break;
			cm |= HAS_ZERO_BYTE(w ^ 0x3b3b3b3b3b3b3b3bull) ||      /* ';' */
			      HAS_ZERO_BYTE(w ^ 0x2323232323232323ull);        /* '#' */
			i += 8;
		}
		if (i >= n)
			break;
		c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f) {    /* printable ASCII: the common case */
			cm |= c == ';' || c == '#';
			i++;
			continue;
		}
		if (c == 0) {
			perr(st, line, "NUL byte (policy files are text)");
			return -1;
		}
		if ((c < 0x20 && c != '\t' && !(c == '\r' && i + 1 == n)) || c == 0x7f) {
			perr(st, line, "control character 0x%02x (policy files are text)", c);
			return -1;
		}
		k = utf8_seq((const unsigned char *)s + i, n - i);
		if (!k) {
			perr(st, line, "invalid UTF-8 (policy files are text)");
			return -1;
		}
		i += k;
	}
	*may_comment = cm;
	return 0;
}

static void handler(struct pstate *st, enum psec sec, const char *name, size_t kn, const char *value,
		    size_t vn);

/*
 * Hand one clean "key = value" line to handler(), as an INI reader would:
 * the key trimmed (kn bytes), the value without its inline comment and
 * surrounding blanks.  raw: the line without its newline; s: its content
 * (c bytes), '=' at s + eq.  Sets st->line and st->cur for the messages
 * and rule texts.
 */
static void dispatch_line(struct pstate *st, int line, const char *raw, size_t raw_len, const char *s,
			  size_t c, size_t eq, size_t kn)
{
	static char name[POLICY_LINE_MAX + 1], value[POLICY_LINE_MAX + 1];
	size_t vn = c - eq - 1;
	const char *v = s + eq + 1;

	st->line = line;
	st->cur = raw;
	st->cur_len = raw_len;
	st->text = s;
	st->text_len = c;
	memcpy(name, s, kn);
	name[kn] = '\0';
	while (vn && is_blank(*v))
		v++, vn--;
	memcpy(value, v, vn);
	value[vn] = '\0';
	st->value = value;
	st->value_len = vn;
	st->scanning = false;
	handler(st, st->sec, name, kn, value, vn);
	st->scanning = true;
}

/* The one pass: every problem of every line reported; while there is none,
 * each line handed on. */
static void scan(struct pstate *st)
{
	const char *buf = st->buf;
	size_t len = st->len, off = 0;
	int line = 0;
	char q[QUOTE_MAX + 4];

	st->scanning = true;
	st->sec = SEC_NONE;
	if (len > POLICY_FILE_MAX) {
		perr(st, line_at(buf, len, POLICY_FILE_MAX), "file too large (max %d bytes)",
		     POLICY_FILE_MAX);
		return;
	}
	while (off < len) {
		const char *s = buf + off, *nl = memchr(s, '\n', len - off), *raw = s;
		size_t n = nl ? (size_t)(nl - s) : len - off, c, raw_len = n;
		bool may_comment;

		off += n + (nl ? 1 : 0);
		line++;
		if (scan_bytes(st, line, s, n, &may_comment) < 0)
			continue;
		if (line == 1 && n >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
			s += 3, n -= 3;     /* byte order mark */
		while (n && is_blank(*s))
			s++, n--;
		if (!n || *s == ';' || *s == '#')
			continue;
		c = content_len(s, n, may_comment);
		if (*s == '[') {
			const char *end = memchr(s, ']', c);
			enum psec sec;

			if (!end) {
				perr(st, line, "unterminated section header '%s' (missing ']')",
				     quote(q, sizeof(q), s, c));
				continue;
			}
			if ((size_t)(end + 1 - s) != c) {
				perr(st, line, "unexpected text after section header '%s'",
				     quote(q, sizeof(q), s, c));
				continue;
			}
			sec = section_of(s + 1, (size_t)(end - s - 1));
			if (sec == SEC_UNKNOWN) {
				perr(st, line, "unknown section '%s' (expected [policy], [exec], [file], [connect], [bind] or [capabilities])",
				     quote(q, sizeof(q), s, c));
			} else if (sec == SEC_POLICY) {
				if (!st->p->line)
					st->p->line = line;
			} else if (sec == SEC_CAPS) {
				st->p->caps.present = true;
			} else {
				st->p->sec[sec].present = true;
			}
			if (sec != SEC_UNKNOWN)
				st->sec = sec;
			continue;
		}
		/* the common line: key characters, blanks, '=' (one walk, no
		 * memchr() and no second look at the key); any other the long way */
		size_t kn = 0, eq;

		while (kn < c && key_char(s[kn]))
			kn++;
		for (eq = kn; eq < c && is_blank(s[eq]); eq++)
			;
		if (!kn || eq == c || s[eq] != '=') {
			const char *e = memchr(s, '=', c);

			if (!e) {
				perr(st, line, "key '%s' has no value (expected 'key = value')",
				     quote(q, sizeof(q), s, c));
				continue;
			}
			eq = (size_t)(e - s);
			kn = eq;
			while (kn && is_blank(s[kn - 1]))
				kn--;
			if (!kn) {
				perr(st, line, "missing key before '='");
				continue;
			}
			size_t i;

			for (i = 0; i < kn && key_char(s[i]); i++)
				;
			if (i < kn) {
				perr(st, line, "bad key name '%s'", quote(q, sizeof(q), s, kn));
				continue;
			}
		}
		if (!st->scan_failed)
			dispatch_line(st, line, raw, raw_len, s, c, eq, kn);
	}
	st->scanning = false;
}

/* snprintf(d, sz, "%s", s) without printf (once per rule: 10,000 rules) */
static void copy_trunc(char *d, size_t sz, const char *s)
{
	size_t n = strnlen(s, sz - 1);

	memcpy(d, s, n);
	d[n] = 0;
}

static char *xstrndup(struct pstate *st, const char *s, size_t n)
{
	char *d = strndup(s, n);

	if (!d)
		perr(st, st->line, "out of memory");
	return d;
}

/* The rule as written: the raw line without comment, trimmed (scan()
 * found where that is); with path (n bytes) after its NUL, in the policy's
 * strs (10,000 rules: 20,000 mallocs and frees fewer).  A path that is the
 * whole value (most rules) is the text's end: *path_at then says where,
 * no copy of it; else the copy's offset in the text. */
static char *rule_text(struct pstate *st, const char *path, size_t n, size_t *path_at)
{
	size_t tn = st->text_len, need;
	struct enf_strs *c = st->p->strs;
	char *d;

	if (path && path == st->value && n == st->value_len) {
		*path_at = tn - n;
		path = NULL;
	} else {
		*path_at = tn + 1;
	}
	need = tn + 1 + (path ? n + 1 : 0);

	if (!c || c->cap - c->len < need) {
		size_t cap = need > 65536 - sizeof(*c) ? need : 65536 - sizeof(*c);

		if (!(c = malloc(sizeof(*c) + cap))) {
			perr(st, st->line, "out of memory");
			return NULL;
		}
		c->next = st->p->strs;
		c->len = 0;
		c->cap = cap;
		st->p->strs = c;
	}
	d = c->b + c->len;
	c->len += need;
	memcpy(d, st->text, tn);
	d[tn] = '\0';
	if (path) {
		memcpy(d + tn + 1, path, n);
		d[tn + 1 + n] = '\0';
	}
	return d;
}

/* A path component of n bytes at s that a normalized path may not hold:
 * empty ("//"), "." or "..". */
static inline bool bad_component(const char *s, size_t n)
{
	return n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.');
}

bool policy_path_normal(const char *p, bool allow_trailing_slash)
{
	const char *c = p + 1, *start = c;

	if (p[0] != '/')
		return false;
	if (!*c)
		return true;            /* "/" */
	/* one pass: each component as its '/' or the end is met */
	for (;; c++) {
		size_t cl;

		/* letters and digits lie above '/' (and '\0'): one compare each */
		if ((unsigned char)*c > '/' || (*c && *c != '/'))
			continue;
		cl = (size_t)(c - start);
		if (bad_component(start, cl))
			return false;
		if (!*c)
			return true;
		if (!c[1])
			return allow_trailing_slash;    /* "/a/b/" */
		start = c + 1;
	}
}

/*
 * The common [exec]/[file] rule value, in one pass instead of three
 * (strcspn() for a blank, policy_path_normal(), pattern_is(); 10,000 rules):
 * PS_PLAIN or PS_GLOB ('*' or '?' in it) for an absolute path, normalized
 * (a trailing '/' allowed), with no blank; PS_OTHER for anything else, which
 * the caller then judges with those three as before.
 */
enum { PS_PLAIN, PS_GLOB, PS_OTHER };
enum { PC_PLAIN, PC_END, PC_GLOB, PC_BLANK };
static const unsigned char path_class[256] = {
	['\0'] = PC_END, ['/'] = PC_END, ['*'] = PC_GLOB, ['?'] = PC_GLOB,
	[' '] = PC_BLANK, ['\t'] = PC_BLANK, ['\n'] = PC_BLANK, ['\v'] = PC_BLANK, ['\f'] = PC_BLANK,
	['\r'] = PC_BLANK,
};

static int path_scan(const char *path)
{
	const unsigned char *c = (const unsigned char *)path + 1, *start = c;
	int ps = PS_PLAIN;

	if (path[0] != '/')
		return PS_OTHER;
	if (!*c)
		return PS_PLAIN;        /* "/" */
	for (;; c++) {
		size_t cl;

		while (path_class[*c] == PC_PLAIN)
			c++;
		if (path_class[*c] == PC_GLOB) {
			ps = PS_GLOB;
			continue;
		}
		if (path_class[*c] == PC_BLANK)
			return PS_OTHER;
		/* '/' or the end: the component from start to c */
		cl = (size_t)(c - start);
		if (bad_component((const char *)start, cl))
			return PS_OTHER;
		if (!*c || !c[1])
			return ps;      /* the end, or a trailing '/' */
		start = c + 1;
	}
}

static bool verdict_word(const char *v, uint8_t *out)
{
	if (!strcasecmp(v, "allow"))
		*out = ENF_ALLOW;
	else if (!strcasecmp(v, "deny"))
		*out = ENF_DENY;
	else
		return false;
	return true;
}

static bool name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > POLICY_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '.' && s[i] != '-')
			return false;
	return true;
}

static bool binds_room(struct pstate *st)
{
	if (st->p->ncgroups + st->p->nunits + st->p->nnamespaces + st->p->npods < POLICY_CGROUPS_MAX)
		return true;
	if (!st->binds_full)
		perr(st, st->line, "too many cgroup=, unit=, namespace= and pod= lines (max %d)",
		     POLICY_CGROUPS_MAX);
	st->binds_full = true;
	return false;
}

static void key_policy(struct pstate *st, const char *name, const char *value)
{
	struct enf_policy_src *p = st->p;
	char q[QUOTE_MAX + 4];

	if (!strcasecmp(name, "name")) {
		if (st->name_line) {
			perr(st, st->line, "duplicate key 'name' (first on line %d)", st->name_line);
			return;
		}
		st->name_line = st->line;
		if (!name_valid(value)) {
			perr(st, st->line, "bad policy name '%s' (use A-Z a-z 0-9 _ . -, at most %d bytes)",
			     quote(q, sizeof(q), value, strlen(value)), POLICY_NAME_MAX);
			return;
		}
		free(p->name);
		p->name = xstrndup(st, value, strlen(value));
	} else if (!strcasecmp(name, "mode")) {
		if (st->mode_line) {
			perr(st, st->line, "duplicate key 'mode' (first on line %d)", st->mode_line);
			return;
		}
		st->mode_line = st->line;
		if (!strcasecmp(value, "enforce"))
			p->mode = ENF_MODE_ENFORCE;
		else if (!strcasecmp(value, "audit"))
			p->mode = ENF_MODE_AUDIT;
		else
			perr(st, st->line, "bad mode '%s' (expected enforce or audit)",
			     quote(q, sizeof(q), value, strlen(value)));
	} else if (!strcasecmp(name, "cgroup")) {
		size_t n = strlen(value);

		st->bind_keys = true;
		if (value[0] != '/') {
			perr(st, st->line, "relative cgroup path '%s' (cgroup paths are absolute, \"/\" is the whole host)",
			     quote(q, sizeof(q), value, n));
			return;
		}
		if (!policy_path_normal(value, false)) {
			perr(st, st->line, "cgroup path '%s' is not normalized (no '.', '..', '//' or trailing '/')",
			     quote(q, sizeof(q), value, n));
			return;
		}
		if (n >= ENF_CG_PATH_MAX) {
			perr(st, st->line, "cgroup path too long (max %d bytes)", ENF_CG_PATH_MAX - 1);
			return;
		}
		for (size_t i = 0; i < p->ncgroups; i++)
			if (!strcmp(p->cgroups[i], value))
				return;             /* the same cgroup twice: once is enough */
		if (!binds_room(st))
			return;
		size_t cap = st->cg_cap;
		if (!array_grow((void **)&p->cgroups, &st->cg_cap, p->ncgroups + 1, sizeof(char *)) ||
		    !array_grow((void **)&p->cgroup_lines, &cap, p->ncgroups + 1, sizeof(int))) {
			perr(st, st->line, "out of memory");
			return;
		}
		p->cgroups[p->ncgroups] = xstrndup(st, value, n);
		p->cgroup_lines[p->ncgroups] = st->line;
		if (p->cgroups[p->ncgroups])
			p->ncgroups++;
	} else if (!strcasecmp(name, "unit")) {
		size_t n = strlen(value);
		bool ok = n > 0 && n <= 255;

		st->bind_keys = true;
		for (size_t i = 0; ok && i < n; i++)
			if (value[i] == '/' || is_blank(value[i]) || value[i] == '\\')
				ok = false;
		if (!ok) {
			perr(st, st->line, "bad unit name '%s'", quote(q, sizeof(q), value, n));
			return;
		}
		for (size_t i = 0; i < p->nunits; i++)
			if (!strcmp(p->units[i], value))
				return;
		if (!binds_room(st))
			return;
		if (!array_grow((void **)&p->units, &st->unit_cap, p->nunits + 1, sizeof(char *))) {
			perr(st, st->line, "out of memory");
			return;
		}
		p->units[p->nunits] = xstrndup(st, value, n);
		if (p->units[p->nunits])
			p->nunits++;
	} else if (!strcasecmp(name, "namespace") || !strcasecmp(name, "pod")) {
		bool is_pod = !strcasecmp(name, "pod");
		size_t n = strlen(value), slashes = 0;
		bool ok = n > 0 && n <= (is_pod ? 63 + 1 + 253 : 63);

		st->bind_keys = true;
		/* Kubernetes names: lower-case alphanumerics, '-' (and '.' in pod names) */
		for (size_t i = 0; ok && i < n; i++) {
			char c = value[i];

			if (c == '/' && is_pod && i > 0 && i + 1 < n && !slashes++)
				continue;
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
			      (c == '.' && is_pod && slashes)))
				ok = false;
		}
		if (is_pod && slashes != 1)
			ok = false;
		if (!ok) {
			perr(st, st->line, is_pod ? "bad pod '%s' (expected NAMESPACE/NAME)"
						  : "bad namespace name '%s'", quote(q, sizeof(q), value, n));
			return;
		}
		char ***list = is_pod ? &p->pods : &p->namespaces;
		size_t *cnt = is_pod ? &p->npods : &p->nnamespaces;

		for (size_t i = 0; i < *cnt; i++)
			if (!strcmp((*list)[i], value))
				return;
		if (!binds_room(st))
			return;
		if (!array_grow((void **)list, is_pod ? &st->pod_cap : &st->ns_cap, *cnt + 1, sizeof(char *))) {
			perr(st, st->line, "out of memory");
			return;
		}
		(*list)[*cnt] = xstrndup(st, value, n);
		if ((*list)[*cnt])
			(*cnt)++;
	} else {
		perr(st, st->line, "unknown key '%s' in [policy] (expected name, cgroup, unit, namespace, pod or mode)",
		     quote(q, sizeof(q), name, strlen(name)));
	}
}

static const char *const sec_keys[ENF_HOOK_MAX] = {
	[ENF_HOOK_EXEC] = "default, deny or allow",
	[ENF_HOOK_FILE] = "default, deny, readonly or allow",
	[ENF_HOOK_CONNECT] = "default, deny or allow",
	[ENF_HOOK_BIND] = "default, deny or allow",
};

/* The class of program path exe in the policy (1..ENF_PROG_CLASSES), a new
 * one for a path not named before; 0 with an error when they run out. */
static uint8_t prog_class(struct pstate *st, const char *exe)
{
	struct enf_policy_src *p = st->p;
	char *d;

	for (size_t i = 0; i < p->nprogs; i++)
		if (!strcmp(p->progs[i], exe))
			return (uint8_t)(i + 1);
	/* programs are matched by identity: a glob there would match nothing */
	if (pattern_is(exe)) {
		perr(st, st->line, "a program path takes no wildcard ('*', '?'): name the program, or a directory as DIR/");
		return 0;
	}
	if (p->nprogs >= ENF_PROG_CLASSES) {
		perr(st, st->line, "too many programs named by exe (max %d distinct per policy)",
		     ENF_PROG_CLASSES);
		return 0;
	}
	if (!array_grow((void **)&p->progs, &st->progs_cap, p->nprogs + 1, sizeof(char *)) ||
	    !(d = strdup(exe))) {
		perr(st, st->line, "out of memory");
		return 0;
	}
	p->progs[p->nprogs++] = d;
	return (uint8_t)p->nprogs;
}

#define UNIX_PATH_MAX 108      /* sun_path, NUL included */

/* "unix:/path/x.sock", "unix:/dir/", "unix:@abstract" (after "unix:"). */
static int unix_rule_parse(struct pstate *st, const char *name, struct enf_rule *r)
{
	char q[QUOTE_MAX + 4];
	size_t n = strlen(name);

	for (size_t i = 0; i < n; i++) {
		if (is_blank(name[i])) {
			perr(st, st->line, "unexpected '%s' after a unix: socket name (unix: rules take no port, protocol or blank)",
			     quote(q, sizeof(q), name + i, n - i));
			return -1;
		}
	}
	if (name[0] == '@') {
		if (n < 2) {
			perr(st, st->line, "empty abstract socket name (expected unix:@NAME)");
			return -1;
		}
	} else if (name[0] != '/') {
		perr(st, st->line, "bad unix: socket '%s' (expected unix:/absolute/path or unix:@abstract-name)",
		     quote(q, sizeof(q), name, n));
		return -1;
	} else if (!policy_path_normal(name, true)) {
		perr(st, st->line, "socket path '%s' is not normalized (no '.', '..' or '//')",
		     quote(q, sizeof(q), name, n));
		return -1;
	}
	if (n + (name[0] == '@' ? 0 : 1) > UNIX_PATH_MAX) {
		perr(st, st->line, "unix: socket name too long (max %d bytes)",
		     UNIX_PATH_MAX - 1);
		return -1;
	}
	r->family = ENF_FAMILY_UNIX;
	r->dir = name[n - 1] == '/';
	return 0;
}

/* A right named after a file rule's path; 0 when w is none. */
static uint8_t right_word(const char *w, size_t n)
{
	for (uint8_t b = 1; b & ENF_RIGHTS_ALL; b <<= 1) {
		const char *name = policy_right_name(b);

		if (strlen(name) == n && !strncasecmp(w, name, n))
			return b;
	}
	return 0;
}

/* A condition word after a file rule's path; 0 when w is none. */
static uint8_t cond_word(const char *w, size_t n)
{
	if (n == 5 && !strncasecmp(w, "owner", n))
		return ENF_COND_OWNER;
	if (n == 11 && !strncasecmp(w, "owner-write", n))
		return ENF_COND_OWNER_WRITE;
	return 0;
}

/*
 * "PATH [WORD...]": the path ends before the first blank-separated word
 * that is a condition or a right (a path may hold blanks: "/srv/my www/");
 * every word after it must be one.  Sets *pathlen, r->cond and the rights;
 * -1 on an error (reported).
 */
static int split_conditions(struct pstate *st, enum enf_hook hook, const char *value,
			    size_t *pathlen, struct enf_rule *r)
{
	char q[QUOTE_MAX + 4];
	const char *s = value, *first = NULL;

	*pathlen = strlen(value);
	for (const char *c = value; *c; c++) {
		const char *w = c + 1;
		size_t n = 0;

		if (!is_blank(*c))
			continue;
		while (is_blank(*w))
			w++;
		while (w[n] && !is_blank(w[n]))
			n++;
		if (cond_word(w, n) || right_word(w, n)) {
			first = w;
			*pathlen = (size_t)(c - value);
			break;
		}
	}
	if (!first)
		return 0;
	while (*pathlen && is_blank(value[*pathlen - 1]))
		(*pathlen)--;
	for (s = first; *s;) {
		size_t n = 0;
		uint8_t c;

		while (s[n] && !is_blank(s[n]))
			n++;
		uint8_t right = right_word(s, n);

		c = cond_word(s, n);
		if (!c && !right) {
			perr(st, st->line, "unknown word '%s' after the path (expected owner, owner-write or a right: read, write, truncate, create, remove, refer)",
			     quote(q, sizeof(q), s, n));
			return -1;
		}
		/* [exec] takes `owner` (only the program file's owner runs it);
		 * an exec only reads the program: no owner-write, no rights */
		if (hook == ENF_HOOK_EXEC && c == ENF_COND_OWNER_WRITE) {
			perr(st, st->line, "condition 'owner-write' on an [exec] rule (an exec only reads the program: 'owner' lets its owner alone run it)");
			return -1;
		}
		if (hook != ENF_HOOK_FILE && !(hook == ENF_HOOK_EXEC && c == ENF_COND_OWNER)) {
			perr(st, st->line, "'%s' after the path is for [file] rules only%s",
			     quote(q, sizeof(q), s, n),
			     hook == ENF_HOOK_EXEC ? " ([exec] rules take 'owner')" : "");
			return -1;
		}
		if ((r->cond & c) || (r->named_rights & right)) {
			perr(st, st->line, "'%s' written twice", quote(q, sizeof(q), s, n));
			return -1;
		}
		r->cond |= c;
		r->named_rights |= right;
		s += n;
		while (is_blank(*s))
			s++;
	}
	if ((r->cond & ENF_COND_OWNER) && (r->cond & ENF_COND_OWNER_WRITE)) {
		perr(st, st->line, "conditions 'owner' and 'owner-write' together (owner alone denies others everything)");
		return -1;
	}
	if (r->verdict == ENF_DENY && r->cond) {
		perr(st, st->line, "condition '%s' on a deny rule (it denies everyone already)",
		     policy_cond_name(r->cond));
		return -1;
	}
	if (r->verdict == ENF_READONLY && r->named_rights) {
		perr(st, st->line, "rights after a readonly rule (write 'allow = PATH read RIGHT...' to grant more than reading)");
		return -1;
	}
	/* allow = P read create: every other right denied; deny = P truncate:
	 * those denied, the rest allowed */
	if (r->named_rights)
		r->rights = r->verdict == ENF_DENY ? r->named_rights : ENF_RIGHTS_ALL & ~r->named_rights;
	if (r->verdict == ENF_READONLY && (r->cond & ENF_COND_OWNER_WRITE)) {
		perr(st, st->line, "condition 'owner-write' on a readonly rule (it denies writes to everyone already; 'owner' denies others reads too)");
		return -1;
	}
	return 0;
}

static void add_rule(struct pstate *st, struct enf_rule *rp, const char *value, size_t n);

/* strcasecmp(name, w) == 0 for name of kn bytes and a lower-case ASCII
 * word w, without the library call (three of them per rule line: 10,000
 * rules); the length first: most words differ there */
static inline bool word_is_n(const char *name, size_t kn, const char *w, size_t wn)
{
	uint32_t a, b, x, y;

	if (kn != wn)
		return false;
	/* 4 to 8 bytes: two 4-byte words, overlapping when wn < 8 */
	memcpy(&a, name, 4);
	memcpy(&b, name + wn - 4, 4);
	memcpy(&x, w, 4);
	memcpy(&y, w + wn - 4, 4);
	return (a | 0x20202020u) == x && (b | 0x20202020u) == y;
}
#define word_is(name, kn, w) \
	({ _Static_assert(sizeof(w) >= 5 && sizeof(w) <= 9, "word_is: 4 to 8 letters"); \
	   word_is_n(name, kn, w, sizeof(w) - 1); })

/* One rule line of section hook: the key name is kn bytes, value n bytes. */
static void key_rule(struct pstate *st, enum enf_hook hook, const char *name, size_t kn, const char *value,
		     size_t n)
{
	struct enf_policy_src *p = st->p;
	struct enf_rule r = { 0 };
	char q[QUOTE_MAX + 4];

	if (word_is(name, kn, "default")) {
		if (st->default_line[hook]) {
			perr(st, st->line, "duplicate key 'default' in [%s] (first on line %d)",
			     policy_hook_name(hook), st->default_line[hook]);
			return;
		}
		st->default_line[hook] = st->line;
		if (!verdict_word(value, &p->sec[hook].deflt))
			perr(st, st->line, "bad default '%s' (expected allow or deny)",
			     quote(q, sizeof(q), value, n));
		return;
	}
	if (word_is(name, kn, "deny"))
		r.verdict = ENF_DENY;
	else if (word_is(name, kn, "allow"))
		r.verdict = ENF_ALLOW;
	else if (word_is(name, kn, "readonly") && hook == ENF_HOOK_FILE)
		r.verdict = ENF_READONLY;
	else {
		perr(st, st->line, "unknown key '%s' in [%s] (expected %s)",
		     quote(q, sizeof(q), name, strlen(name)), policy_hook_name(hook), sec_keys[hook]);
		return;
	}

	r.line = st->line;
	r.hook = hook;
	if (hook == ENF_HOOK_CONNECT || hook == ENF_HOOK_BIND) {
		static char rule[POLICY_LINE_MAX + 1];
		const char *exe = NULL;
		char msg[256];
		int c;

		copy_trunc(rule, sizeof(rule), value);
		/* "... exe PROGRAM" or "... exe DIR/" (every program below it) */
		c = prog_cond_split(rule, &exe, &r.parent, PROG_COND_DIR, ENF_PATH_KEY_MAX, msg, sizeof(msg));
		if (c < 0) {
			perr(st, st->line, "%s", msg);
			return;
		}
		if (hook == ENF_HOOK_BIND && !strncasecmp(rule, "unix:", 5)) {
			perr(st, st->line, "unix: rules belong in [connect] ([bind] judges IP sockets)");
			return;
		}
		if (hook == ENF_HOOK_CONNECT && !strncasecmp(rule, "unix:", 5)) {
			if (unix_rule_parse(st, rule + 5, &r) < 0)
				return;
			value = rule + 5;
			n = strlen(value);
		} else if (connect_rule_parse(rule, &r, msg, sizeof(msg)) < 0) {
			perr(st, st->line, "%s", msg);
			return;
		}
		if (hook == ENF_HOOK_BIND && r.family == ENF_FAMILY_PACKET) {
			perr(st, st->line, "packet rules belong in [connect] (a packet socket is judged when it is created)");
			return;
		}
		if (hook == ENF_HOOK_BIND && r.family == ENF_FAMILY_RAW4) {
			perr(st, st->line, "socket rules belong in [connect] (a raw socket is judged when it is created)");
			return;
		}
		if (exe && !(r.prog = prog_class(st, exe)))
			return;
	} else {
		static char path[POLICY_LINE_MAX + 1];
		static char rule[POLICY_LINE_MAX + 1];
		const char *exe = NULL;
		char msg[256];
		int c;

		/* "PATH [WORD...] [exe PROGRAM | exe DIR/ | parent PROGRAM]"; an
		 * absolute path with no blank in it is a path alone (no word
		 * after it: nothing to split) */
		int ps = path_scan(value);

		if (ps == PS_OTHER && (value[0] != '/' || value[strcspn(value, " \t\n\v\f\r")])) {
			copy_trunc(rule, sizeof(rule), value);
			c = prog_cond_split(rule, &exe, &r.parent,
					    PROG_COND_DIR | (hook == ENF_HOOK_EXEC ? PROG_COND_PARENT : 0),
					    ENF_PATH_KEY_MAX, msg, sizeof(msg));
			if (c < 0) {
				perr(st, st->line, "%s", msg);
				return;
			}
			if (exe) {
				if (!*rule) {
					perr(st, st->line, "missing path before '%s %s'", r.parent ? "parent" : "exe",
					     quote(q, sizeof(q), exe, strlen(exe)));
					return;
				}
				if (!(r.prog = prog_class(st, exe)))
					return;
				value = rule;
				n = strlen(value);
			}
			if (split_conditions(st, hook, value, &n, &r) < 0)
				return;
		}
		if (ps == PS_OTHER) {
			memcpy(path, value, n);     /* the path without its conditions */
			path[n] = '\0';
			value = path;
		}
		if (value[0] != '/') {
			perr(st, st->line, "relative path '%s' (rule paths must be absolute)",
			     quote(q, sizeof(q), value, n));
			return;
		}
		if (ps == PS_OTHER && !policy_path_normal(value, true)) {
			perr(st, st->line, "path '%s' is not normalized (no '.', '..' or '//')",
			     quote(q, sizeof(q), value, n));
			return;
		}
		if (n > ENF_PATH_KEY_MAX - 1) {
			perr(st, st->line, "path too long (max %d bytes)", ENF_PATH_KEY_MAX - 1);
			return;
		}
		r.dir = value[n - 1] == '/';
		if (ps == PS_OTHER ? pattern_is(value) : ps == PS_GLOB) {
			const char *e = pattern_error(value);

			if (e) {
				perr(st, st->line, "%s", e);
				return;
			}
			if (++st->npatterns > POLICY_PATTERNS_MAX) {
				if (st->npatterns == POLICY_PATTERNS_MAX + 1)
					perr(st, st->line, "too many patterns (max %d per policy)",
					     POLICY_PATTERNS_MAX);
				return;
			}
			if (!st->first_pattern_line)
				st->first_pattern_line = st->line;
			r.pattern = true;
			if (r.dir) {
				/* "/var/log/ *" + "/": what it matches and below */
				if (n + 2 > ENF_PATH_KEY_MAX - 1) {
					perr(st, st->line, "path too long (max %d bytes)", ENF_PATH_KEY_MAX - 1);
					return;
				}
				if (value != path) {
					memcpy(path, value, n);
					value = path;
				}
				memcpy(path + n, "**", 3);
				n += 2;
				r.dir = false;
			}
		}
	}
	/* a protocol with no address ("deny = icmp"): one rule for each family;
	 * so for raw sockets' creation ("deny = icmp socket") */
	if (rule_is_ip(&r) && (r.family == 0 || r.family == ENF_FAMILY_RAW4)) {
		struct enf_rule r6 = r;

		r6.family = r.family ? ENF_FAMILY_RAW6 : 6;
		r.family = r.family ? ENF_FAMILY_RAW4 : 4;
		if (r6.proto == ENF_PROTO_ICMP)
			r6.proto = ENF_PROTO_ICMPV6;
		add_rule(st, &r, value, n);
		add_rule(st, &r6, value, n);
		return;
	}
	add_rule(st, &r, value, n);
}

/* Append rule *rp (its path, for path-keyed rules: value, n bytes); *rp is
 * completed in place (one copy of it per rule, not two). */
static void add_rule(struct pstate *st, struct enf_rule *rp, const char *value, size_t n)
{
	struct enf_policy_src *p = st->p;
	struct enf_rule *r = rp;

	if (p->nrules >= POLICY_RULES_MAX) {
		if (!st->rules_full)
			perr(st, st->line, "too many rules (max %d per policy)", POLICY_RULES_MAX);
		st->rules_full = true;
		return;
	}
	/* the room made at the start suffices for most: no call */
	if (p->nrules >= st->rules_cap &&
	    !array_grow((void **)&p->rules, &st->rules_cap, p->nrules + 1, sizeof(*r))) {
		perr(st, st->line, "out of memory");
		return;
	}
	r->id = (uint32_t)p->nrules;
	size_t path_at;

	r->text = rule_text(st, rule_is_ip(r) ? NULL : value, n, &path_at);
	r->text_in_strs = true;
	if (r->text && !rule_is_ip(r)) {
		r->path = r->text + path_at;
		r->path_in_text = true;
	}
	if (r->prog)
		r->exe = xstrndup(st, p->progs[r->prog - 1], strlen(p->progs[r->prog - 1]));
	if (!r->text || (r->prog && !r->exe)) {
		free(r->exe);       /* the text stays in strs, freed with the policy */
		return;
	}
	p->rules[p->nrules++] = *r;
}

/* [capabilities]: default = allow|deny, allow = / deny = lists of names. */
static void key_caps(struct pstate *st, const char *name, const char *value)
{
	struct enf_caps *c = &st->p->caps;
	char q[QUOTE_MAX + 4];
	bool allow;

	if (!strcasecmp(name, "default")) {
		if (st->caps_default_line) {
			perr(st, st->line, "duplicate key 'default' in [capabilities] (first on line %d)",
			     st->caps_default_line);
			return;
		}
		st->caps_default_line = st->line;
		if (!strcasecmp(value, "allow"))
			c->deflt = CAPS_DEFAULT_ALLOW;
		else if (!strcasecmp(value, "deny"))
			c->deflt = CAPS_DEFAULT_DENY;
		else
			perr(st, st->line, "bad default '%s' (expected allow or deny)",
			     quote(q, sizeof(q), value, strlen(value)));
		return;
	}
	if (!strcasecmp(name, "allow"))
		allow = true;
	else if (!strcasecmp(name, "deny"))
		allow = false;
	else {
		perr(st, st->line, "unknown key '%s' in [capabilities] (expected default, allow or deny)",
		     quote(q, sizeof(q), name, strlen(name)));
		return;
	}
	/* names separated by commas or blanks */
	for (const char *s = value; *s;) {
		size_t n;
		int cap;

		while (*s == ',' || is_blank(*s))
			s++;
		if (!*s)
			break;
		for (n = 0; s[n] && s[n] != ',' && !is_blank(s[n]); n++)
			;
		cap = capability_from_name(s, n);
		if (cap < 0) {
			perr(st, st->line, "unknown capability '%s' (expected a name like CAP_SYS_ADMIN)",
			     quote(q, sizeof(q), s, n));
		} else if (((c->allow | c->deny) >> cap) & 1) {
			perr(st, st->line, "%s already named on line %d", capability_name(cap),
			     st->cap_line[cap]);
		} else {
			st->cap_line[cap] = st->line;
			if (allow)
				c->allow |= 1ULL << cap;
			else
				c->deny |= 1ULL << cap;
		}
		s += n;
	}
}

static void handler(struct pstate *st, enum psec sec, const char *name, size_t kn, const char *value,
		    size_t vn)
{
	char q[QUOTE_MAX + 4];

	if (sec == SEC_NONE) {
		perr(st, st->line, "key '%s' outside of any section (start with [policy])",
		     quote(q, sizeof(q), name, kn));
		return;
	}
	if (!vn) {
		perr(st, st->line, "key '%s' has no value", quote(q, sizeof(q), name, kn));
		return;
	}
	switch (sec) {
	case SEC_POLICY:
		key_policy(st, name, value);
		break;
	case SEC_EXEC:
	case SEC_FILE:
	case SEC_CONNECT:
	case SEC_BIND:
		key_rule(st, (enum enf_hook)sec, name, kn, value, vn);
		break;
	case SEC_CAPS:
		key_caps(st, name, value);
		break;
	default:
		break;      /* reported by scan() */
	}
}

/* The name from the file name: basename without ".ini". */
static char *name_from_file(const char *file)
{
	const char *b = strrchr(file, '/');
	size_t n;

	b = b ? b + 1 : file;
	n = strlen(b);
	if (n > 4 && !strcmp(b + n - 4, ".ini"))
		n -= 4;
	return strndup(b, n);
}

static void policy_src_free(struct enf_policy_src *p)
{
	free(p->name);
	free(p->file);
	for (size_t i = 0; i < p->ncgroups; i++)
		free(p->cgroups[i]);
	free(p->cgroups);
	free(p->cgroup_lines);
	for (size_t i = 0; i < p->nunits; i++)
		free(p->units[i]);
	free(p->units);
	for (size_t i = 0; i < p->nnamespaces; i++)
		free(p->namespaces[i]);
	free(p->namespaces);
	for (size_t i = 0; i < p->npods; i++)
		free(p->pods[i]);
	free(p->pods);
	for (size_t i = 0; i < p->nrules; i++) {
		if (!p->rules[i].path_in_text)
			free(p->rules[i].path);
		if (!p->rules[i].text_in_strs)
			free(p->rules[i].text);
		if (p->rules[i].resolved != p->rules[i].path)
			free(p->rules[i].resolved);
		free(p->rules[i].exe);
	}
	free(p->rules);
	while (p->strs) {
		struct enf_strs *next = p->strs->next;

		free(p->strs);
		p->strs = next;
	}
	for (size_t i = 0; i < p->nprogs; i++)
		free(p->progs[i]);
	free(p->progs);
	memset(p, 0, sizeof(*p));
}

int policy_parse_buffer(const char *file, const char *buf, size_t len,
			struct enf_policy_set *set, struct enf_errors *err)
{
	struct enf_policy_src p = { 0 };
	struct pstate st = { .file = file, .buf = buf, .len = len, .p = &p, .err = err, .err_base = err->n };
	struct enf_policy_src *np;
	char q[QUOTE_MAX + 4];

	if (!file)
		file = st.file = "(buffer)";
	/* room for about a rule per line at once: few copies as the array
	 * grows (array_grow's failure here only leaves add_rule to grow it) */
	(void)array_grow((void **)&p.rules, &st.rules_cap, len / 16 + 16, sizeof(*p.rules));
	scan(&st);
	if (st.scan_failed)
		goto fail;
	if (!p.line)
		p.line = 1;
	p.name_line = st.name_line;
	if (!p.name && !st.name_line) {
		p.name = name_from_file(file);
		if (p.name && !name_valid(p.name))
			perr(&st, p.line, "policy name '%s' taken from the file name is not valid (use A-Z a-z 0-9 _ . -, at most %d bytes): set name =",
			     quote(q, sizeof(q), p.name, strlen(p.name)), POLICY_NAME_MAX);
	}
	if (!p.ncgroups && !p.nunits && !p.nnamespaces && !p.npods && !st.bind_keys)
		perr(&st, p.line, "no cgroup=, unit=, namespace= or pod= in [policy]: the policy would govern nothing");
	/* patterns of one literal directory: the kernel matches ENF_PAT_PER_DIR */
	for (size_t i = 0; i < p.nrules && st.first_pattern_line; i++) {
		const struct enf_rule *a = &p.rules[i];
		size_t same = 0, gs;

		if (!a->pattern)
			continue;
		gs = pattern_glob_start(a->path);
		for (size_t j = 0; j < i; j++)
			same += p.rules[j].pattern && p.rules[j].hook == a->hook &&
				pattern_glob_start(p.rules[j].path) == gs && !strncmp(p.rules[j].path, a->path, gs);
		if (same == ENF_PAT_PER_DIR)
			perr(&st, a->line, "too many patterns below %.*s (max %d per directory)", (int)gs,
			     a->path, ENF_PAT_PER_DIR);
	}
	p.file = strdup(file);
	if (!p.file || (!p.name && !st.nerr))
		perr(&st, 0, "out of memory");
	if (st.nerr)
		goto fail;

	np = realloc(set->pol, (set->n + 1) * sizeof(*set->pol));
	if (!np) {
		perr(&st, 0, "out of memory");
		goto fail;
	}
	set->pol = np;
	set->pol[set->n++] = p;
	return 0;
fail:
	policy_src_free(&p);
	return -1;
}

int policy_parse_file(const char *path, struct enf_policy_set *set, struct enf_errors *err)
{
	struct stat sb;
	char *buf = NULL;
	size_t len = 0, cap = POLICY_FILE_MAX + 1;
	int fd, r = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		errors_add(err, path, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		errors_add(err, path, 0, "not a regular file");
		goto out;
	}
	buf = malloc(cap);
	if (!buf) {
		errors_add(err, path, 0, "out of memory");
		goto out;
	}
	/* Read at most one byte past the limit: enough to report it. */
	while (len < cap) {
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			errors_add(err, path, 0, "read error: %s", strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	r = policy_parse_buffer(path, buf, len, set, err);
out:
	free(buf);
	close(fd);
	return r;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int policy_load_dir(const char *dir, struct enf_policy_set *set, struct enf_errors *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (!d) {
		errors_add(err, dir, 0, "cannot open policy directory: %s", strerror(errno));
		return -1;
	}
	while ((errno = 0, de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (de->d_name[0] == '.' || l < 5 || strcmp(de->d_name + l - 4, ".ini"))
			continue;
		if (!array_grow((void **)&names, &cap, n + 1, sizeof(char *)) ||
		    !(names[n] = strdup(de->d_name))) {
			errors_add(err, dir, 0, "out of memory");
			rc = -1;
			goto out;
		}
		n++;
	}
	if (errno) {
		errors_add(err, dir, 0, "cannot read policy directory: %s", strerror(errno));
		rc = -1;
		goto out;
	}
	qsort(names, n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < n; i++) {
		char *path;

		if (asprintf(&path, "%s/%s", dir, names[i]) < 0) {
			errors_add(err, dir, 0, "out of memory");
			rc = -1;
			continue;
		}
		if (policy_parse_file(path, set, err) < 0)
			rc = -1;
		free(path);
	}
	if (policy_set_validate(set, err) < 0)
		rc = -1;
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

struct bindref {
	const char *path;
	size_t pol;
	int line;
};

static int cmp_bind(const void *a, const void *b)
{
	const struct bindref *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	return c ? c : (x->pol > y->pol) - (x->pol < y->pol);
}

/* Policies bound to cgroup path c or to any of its ancestors, distinct. */
static size_t stack_depth(const struct bindref *b, size_t nb, const char *c)
{
	char path[ENF_CG_PATH_MAX];
	size_t ids[ENF_MAX_STACK + 1], n = 0;

	snprintf(path, sizeof(path), "%s", c);
	for (;;) {
		struct bindref key = { .path = path, .pol = 0 };
		size_t lo = 0, hi = nb;

		while (lo < hi) {      /* first entry with this path */
			size_t mid = (lo + hi) / 2;
			if (strcmp(b[mid].path, key.path) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t i = lo; i < nb && !strcmp(b[i].path, path); i++) {
			size_t k;
			for (k = 0; k < n && ids[k] != b[i].pol; k++)
				;
			if (k == n) {
				ids[n++] = b[i].pol;
				if (n > ENF_MAX_STACK)
					return n;
			}
		}
		if (!strcmp(path, "/"))
			break;
		char *sl = strrchr(path, '/');
		if (sl == path)
			sl[1] = 0;
		else
			*sl = 0;
	}
	return n;
}

int policy_set_validate(struct enf_policy_set *set, struct enf_errors *err)
{
	struct bindref *b = NULL;
	size_t nb = 0;
	int rc = 0;

	if (set->n > ENF_MAX_POLICIES) {
		const struct enf_policy_src *p = &set->pol[ENF_MAX_POLICIES];
		errors_add(err, p->file, p->line, "too many policies (max %d)", ENF_MAX_POLICIES);
		rc = -1;
	}
	for (size_t i = 0; i < set->n; i++) {
		for (size_t j = 0; j < i; j++) {
			const struct enf_policy_src *p = &set->pol[i], *o = &set->pol[j];
			if (strcmp(p->name, o->name))
				continue;
			errors_add(err, p->file, p->name_line ? p->name_line : p->line,
				   "duplicate policy name '%s' (also in %s:%d)", p->name, o->file,
				   o->name_line ? o->name_line : o->line);
			rc = -1;
			break;
		}
		nb += set->pol[i].ncgroups;
	}
	if (!nb)
		return rc;
	b = calloc(nb, sizeof(*b));
	if (!b) {
		errors_add(err, "(policy set)", 0, "out of memory");
		return -1;
	}
	nb = 0;
	for (size_t i = 0; i < set->n; i++)
		for (size_t k = 0; k < set->pol[i].ncgroups; k++)
			b[nb++] = (struct bindref){ set->pol[i].cgroups[k], i,
						    set->pol[i].cgroup_lines ? set->pol[i].cgroup_lines[k] : 0 };
	qsort(b, nb, sizeof(*b), cmp_bind);
	for (size_t i = 0; i < nb;) {
		size_t j = i, depth;

		while (j < nb && !strcmp(b[j].path, b[i].path))
			j++;
		/* b[j-1] is the last policy bound there: it gets the message */
		const struct enf_policy_src *p = &set->pol[b[j - 1].pol];
		if (j - i > ENF_MAX_BIND) {
			errors_add(err, p->file, b[j - 1].line,
				   "too many policies bound to cgroup '%s' (max %d)", b[i].path, ENF_MAX_BIND);
			rc = -1;
		} else if ((depth = stack_depth(b, nb, b[i].path)) > ENF_MAX_STACK) {
			errors_add(err, p->file, b[j - 1].line,
				   "too many policies govern cgroup '%s' with its ancestors (max %d)",
				   b[i].path, ENF_MAX_STACK);
			rc = -1;
		}
		i = j;
	}
	free(b);
	return rc;
}

void policy_set_free(struct enf_policy_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		policy_src_free(&set->pol[i]);
	free(set->pol);
	set->pol = NULL;
	set->n = 0;
}
