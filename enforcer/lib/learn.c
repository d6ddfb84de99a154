// SPDX-License-Identifier: GPL-2.0-only
/*
 * learn.c - the learning aggregator (learn.h): audit-mode records of the
 * learning policy into a bounded set of distinct actions, its state file,
 * and the allowlist policy written from it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include "enforcer_abi.h"
#include "jparse.h"
#include "learn.h"
#include "policy.h"

static const char *str_of(const struct jval *o, const char *key)
{
	const struct jval *v = jval_get(o, key);

	if (!v)
		return NULL;
	if (v->type == J_STR && strlen(v->s) == v->slen)
		return v->s;
	if (v->type == J_NUM)
		return v->s;
	return NULL;
}

static void set_time(char *dst, const char *t)
{
	snprintf(dst, 40, "%s", t ? t : "");
}

static struct learn_entry *find(struct learn_set *s, uint8_t hook, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->e[i].hook == hook && !strcmp(s->e[i].key, key))
			return &s->e[i];
	return NULL;
}

static struct learn_entry *add(struct learn_set *s, uint8_t hook, const char *key)
{
	struct learn_entry *e;
	size_t max = s->max ? s->max : LEARN_MAX_DEFAULT;

	if (s->n >= max)
		return NULL;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		void *p = realloc(s->e, cap * sizeof(*s->e));

		if (!p)
			return NULL;
		s->e = p;
		s->cap = cap;
	}
	e = &s->e[s->n];
	memset(e, 0, sizeof(*e));
	e->hook = hook;
	e->key = strdup(key);
	if (!e->key)
		return NULL;
	s->n++;
	return e;
}

static int count(struct learn_set *s, uint8_t hook, const char *key, bool write, const char *t)
{
	struct learn_entry *e = find(s, hook, key);

	if (!e) {
		e = add(s, hook, key);
		if (!e) {
			s->dropped++;
			return 0;
		}
		set_time(e->first, t);
	}
	e->hits++;
	e->write |= write;
	set_time(e->last, t);
	s->events++;
	if (t && strcmp(t, s->last_time) > 0)
		set_time(s->last_time, t);
	return 1;
}

int learn_add_line(struct learn_set *s, const char *policy, const char *line, size_t len)
{
	struct jval v;
	const char *hook, *path, *pol, *t, *lost;
	char key[512];
	const struct jval *pin;
	int rc = 0;

	if (jparse(line, len, &v) < 0 || v.type != J_OBJ) {
		jval_free(&v);
		return -1;
	}
	lost = str_of(&v, "lost");
	if (lost) {
		s->lost += strtoull(lost, NULL, 10);
		goto out;
	}
	pol = str_of(&v, "policy");
	hook = str_of(&v, "hook");
	t = str_of(&v, "time");
	path = str_of(&v, "path");
	if (!pol || !hook || strcmp(pol, policy))
		goto out;
	pin = jval_get(&v, "path_is_name");
	if (pin && pin->type == J_BOOL && pin->b) {
		s->names_only++;
		goto out;
	}
	if (!strcmp(hook, "exec") && path && path[0] == '/') {
		rc = count(s, ENF_HOOK_EXEC, path, false, t);
	} else if (!strcmp(hook, "file") && path && path[0] == '/') {
		const char *acc = str_of(&v, "access");

		rc = count(s, ENF_HOOK_FILE, path, acc && !strcmp(acc, "write"), t);
	} else if (!strcmp(hook, "connect") || !strcmp(hook, "bind")) {
		const char *fam = str_of(&v, "family"), *addr = str_of(&v, "addr");
		const char *port = str_of(&v, "port"), *proto = str_of(&v, "proto");
		uint8_t h = hook[0] == 'c' ? ENF_HOOK_CONNECT : ENF_HOOK_BIND;

		if (fam && !strcmp(fam, "unix") && path && h == ENF_HOOK_CONNECT) {
			snprintf(key, sizeof(key), "unix:%s", path);
			rc = count(s, h, key, false, t);
		} else if (fam && !strcmp(fam, "packet") && h == ENF_HOOK_CONNECT) {
			rc = count(s, h, "packet", false, t);   /* a packet socket made */
		} else if (str_of(&v, "sock_type") && !strcmp(str_of(&v, "sock_type"), "raw") &&
			   h == ENF_HOOK_CONNECT) {
			rc = count(s, h, "raw socket", false, t);   /* a raw IP socket made */
		} else if (addr && port) {
			snprintf(key, sizeof(key), "%s port %s%s%s", addr, port,
				 proto && (!strcmp(proto, "tcp") || !strcmp(proto, "udp")) ? " " : "",
				 proto && (!strcmp(proto, "tcp") || !strcmp(proto, "udp")) ? proto : "");
			rc = count(s, h, key, false, t);
		}
	}
out:
	jval_free(&v);
	return rc;
}

void learn_free(struct learn_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->e[i].key);
	free(s->e);
	s->e = NULL;
	s->n = s->cap = 0;
}

/* ---- state ---- */

int learn_save(const struct learn_set *s, const char *path)
{
	char tmp[4096];
	FILE *f;
	int rc = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	fprintf(f, "enforcer-learn 1\t%llu\t%llu\t%llu\t%llu\t%s\n", (unsigned long long)s->events,
		(unsigned long long)s->dropped, (unsigned long long)s->names_only,
		(unsigned long long)s->lost, s->last_time[0] ? s->last_time : "-");
	for (size_t i = 0; i < s->n; i++)
		fprintf(f, "%u\t%d\t%llu\t%s\t%s\t%s\n", s->e[i].hook, s->e[i].write,
			(unsigned long long)s->e[i].hits, s->e[i].first[0] ? s->e[i].first : "-",
			s->e[i].last[0] ? s->e[i].last : "-", s->e[i].key);
	if (fflush(f) || fsync(fileno(f)))
		rc = -1;
	if (fclose(f))
		rc = -1;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -1;
	if (rc)
		unlink(tmp);
	return rc;
}

int learn_load(struct learn_set *s, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = 0, lineno = 0;

	if (!f)
		return -1;
	while ((len = getline(&line, &cap, f)) > 0) {
		char *fld[6], *save = NULL, *p = line;
		int n = 0;

		line[strcspn(line, "\n")] = 0;
		for (char *t = strtok_r(p, "\t", &save); t && n < 6; t = strtok_r(NULL, "\t", &save))
			fld[n++] = t;
		if (lineno++ == 0) {
			if (n != 6 || strcmp(fld[0], "enforcer-learn 1")) {
				errno = EINVAL;
				rc = -1;
				break;
			}
			s->events = strtoull(fld[1], NULL, 10);
			s->dropped = strtoull(fld[2], NULL, 10);
			s->names_only = strtoull(fld[3], NULL, 10);
			s->lost = strtoull(fld[4], NULL, 10);
			set_time(s->last_time, strcmp(fld[5], "-") ? fld[5] : "");
			continue;
		}
		if (n != 6) {
			errno = EINVAL;
			rc = -1;
			break;
		}
		{
			struct learn_entry *e = find(s, (uint8_t)atoi(fld[0]), fld[5]);

			if (!e)
				e = add(s, (uint8_t)atoi(fld[0]), fld[5]);
			if (!e) {
				s->dropped += strtoull(fld[2], NULL, 10);
				continue;
			}
			e->write |= atoi(fld[1]) != 0;
			e->hits += strtoull(fld[2], NULL, 10);
			set_time(e->first, strcmp(fld[3], "-") ? fld[3] : "");
			set_time(e->last, strcmp(fld[4], "-") ? fld[4] : "");
		}
	}
	free(line);
	fclose(f);
	return rc;
}

/* ---- the policy ---- */

/* A path the policy language can carry as one token. */
static bool writable_path(const char *p)
{
	size_t n = strlen(p);

	if (n == 0 || n > ENF_PATH_KEY_MAX - 2 || !policy_path_normal(p, true))
		return false;
	for (const char *c = p; *c; c++)
		if ((unsigned char)*c <= 0x20 || *c == 0x7f || *c == ';' || *c == '#')
			return false;
	return true;
}

static int cmp_entry(const void *x, const void *y)
{
	const struct learn_entry *a = *(const struct learn_entry *const *)x;
	const struct learn_entry *b = *(const struct learn_entry *const *)y;

	return strcmp(a->key, b->key);
}

static void note(FILE *f, const struct learn_entry *e)
{
	fprintf(f, "hits %llu, first %s, last %s\n", (unsigned long long)e->hits,
		e->first[0] ? e->first : "?", e->last[0] ? e->last : "?");
}

static size_t dir_len(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? (size_t)(s - p) + 1 : 0;   /* "/a/b/" of "/a/b/c" */
}

static void write_file_section(FILE *f, struct learn_entry **v, size_t n, unsigned fold,
			       unsigned *skipped)
{
	for (size_t i = 0; i < n;) {
		size_t dl = dir_len(v[i]->key), j = i, files = 0;

		/* the run of entries directly in the same directory (sorted) */
		while (j < n && dir_len(v[j]->key) == dl && !strncmp(v[j]->key, v[i]->key, dl)) {
			files++;
			j++;
		}
		if (fold && files >= fold && dl > 1) {
			struct learn_entry m = { .hook = ENF_HOOK_FILE };
			char dir[ENF_PATH_KEY_MAX + 2];

			snprintf(dir, sizeof(dir), "%.*s", (int)dl, v[i]->key);
			for (size_t k = i; k < j; k++) {
				m.hits += v[k]->hits;
				m.write |= v[k]->write;
				if (!m.first[0] || strcmp(v[k]->first, m.first) < 0)
					memcpy(m.first, v[k]->first, sizeof(m.first));
				if (strcmp(v[k]->last, m.last) > 0)
					memcpy(m.last, v[k]->last, sizeof(m.last));
			}
			if (writable_path(dir)) {
				fprintf(f, "%s = %s", m.write ? "allow" : "readonly", dir);
				fprintf(f, "  ; %zu files folded, ", files);
				note(f, &m);
			} else {
				(*skipped) += (unsigned)files;
			}
		} else {
			for (size_t k = i; k < j; k++) {
				if (!writable_path(v[k]->key)) {
					(*skipped)++;
					continue;
				}
				fprintf(f, "%s = %s  ; ", v[k]->write ? "allow" : "readonly", v[k]->key);
				note(f, v[k]);
			}
		}
		i = j;
	}
}

void learn_write_ini(FILE *f, const struct learn_set *s, const char *name,
		     const char *target_line, unsigned fold)
{
	static const char *sec[ENF_HOOK_MAX] = { "exec", "file", "connect", "bind" };
	struct learn_entry **v = calloc(s->n ? s->n : 1, sizeof(*v));
	unsigned skipped = 0;

	if (!v)
		return;
	fprintf(f, "; learned by enforcerctl learn: %llu records, %zu distinct actions%s\n",
		(unsigned long long)s->events, s->n, fold ? "" : " (no folding)");
	if (s->dropped)
		fprintf(f, "; WARNING: %llu records of new actions past the bound were not learned\n",
			(unsigned long long)s->dropped);
	if (s->lost)
		fprintf(f, "; WARNING: the kernel lost %llu records (ring buffer full)\n",
			(unsigned long long)s->lost);
	if (s->names_only)
		fprintf(f, "; note: %llu records of rename/unlink/link/create carried only a name: "
			"grant their directories by hand\n", (unsigned long long)s->names_only);
	fprintf(f, "[policy]\nname = %s\n%s\nmode = enforce\n", name, target_line);
	for (int h = 0; h < ENF_HOOK_MAX; h++) {
		size_t n = 0;

		for (size_t i = 0; i < s->n; i++)
			if (s->e[i].hook == h)
				v[n++] = &s->e[i];
		qsort(v, n, sizeof(*v), cmp_entry);
		fprintf(f, "\n[%s]\ndefault = deny\n", sec[h]);
		if (h == ENF_HOOK_FILE) {
			write_file_section(f, v, n, fold, &skipped);
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			if ((h == ENF_HOOK_EXEC || !strncmp(v[i]->key, "unix:", 5)) &&
			    !writable_path(h == ENF_HOOK_EXEC ? v[i]->key : v[i]->key + 5) &&
			    v[i]->key[5] != '@') {
				skipped++;
				continue;
			}
			fprintf(f, "allow = %s  ; ", v[i]->key);
			note(f, v[i]);
		}
	}
	if (skipped)
		fprintf(f, "\n; %u actions on paths the policy language cannot carry "
			"(blanks, ';', '#', too long) were left out\n", skipped);
	free(v);
}
