// SPDX-License-Identifier: GPL-2.0-only
/*
 * attribution.c - the names, files, modes and rule texts of the policy
 * generation in force, kept beside the control socket
 * (/run/enforcer/generation.json: tmpfs, so it lives as long as the pins,
 * across restarts, crashes and kill -9).  A new enforcerd that adopts
 * pinned enforcement reads it back, so that events of the adopted
 * generation (denials while no daemon ran, still in the pinned ring
 * buffer) name the policy and rule that decided them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "daemon.h"
#include "jparse.h"
#include "json.h"

#define ATTR_MAX_BYTES (64u << 20)

static struct enf_policy_set adopted;         /* the adopted generation's set */
static uint32_t adopted_ids[ENF_MAX_POLICIES];
static uint64_t adopted_generation;

static const char *attr_path(void)
{
	static char p[PATH_MAX];
	const char *slash = strrchr(D.socket_path, '/');

	snprintf(p, sizeof(p), "%.*s/generation.json", slash ? (int)(slash - D.socket_path) : 1,
		 slash ? D.socket_path : ".");
	return p;
}

void attribution_save(void)
{
	char tmp[PATH_MAX + 8];
	struct jbuf b;
	int fd;

	jb_init(&b);
	jb_obj_open(&b);
	jb_kuint(&b, "generation", D.generation);
	jb_key(&b, "policies");
	jb_arr_open(&b);
	for (size_t i = 0; i < D.cur.n; i++) {
		const struct enf_policy_src *p = &D.cur.pol[i];

		jb_obj_open(&b);
		jb_kuint(&b, "id", D.cur_ids[i]);
		jb_kstr(&b, "name", p->name);
		jb_kstr(&b, "file", p->file ? p->file : "");
		jb_kstr(&b, "mode", p->mode == ENF_MODE_AUDIT ? "audit" : "enforce");
		jb_key(&b, "rules");
		jb_arr_open(&b);
		for (size_t j = 0; j < p->nrules; j++) {
			jb_arr_open(&b);
			jb_int(&b, p->rules[j].line);
			jb_str(&b, p->rules[j].text ? p->rules[j].text : "");
			jb_arr_close(&b);
		}
		jb_arr_close(&b);
		jb_obj_close(&b);
	}
	jb_arr_close(&b);
	jb_obj_close(&b);
	jb_raw(&b, "\n", 1);
	snprintf(tmp, sizeof(tmp), "%s.tmp", attr_path());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || b.oom || write(fd, b.s, b.len) != (ssize_t)b.len || fsync(fd) < 0) {
		log_err(-errno, "attribution: cannot write %s: %s (denials logged after a restart "
			"may name policy \"(unknown)\")", tmp, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
	} else {
		close(fd);
		if (rename(tmp, attr_path()) < 0)
			log_err(-errno, "attribution: rename to %s: %s", attr_path(), strerror(errno));
	}
	jb_free(&b);
}

void attribution_remove(void)
{
	unlink(attr_path());
}

static char *jstrdup(const struct jval *v)
{
	return v && v->type == J_STR ? strdup(v->s) : NULL;
}

/* Read one policy object into p; returns 0 or -1 (malformed). */
static int read_policy(const struct jval *o, struct enf_policy_src *p, uint32_t *id)
{
	const struct jval *vid = jval_get(o, "id"), *rules = jval_get(o, "rules");
	const struct jval *mode = jval_get(o, "mode");

	if (o->type != J_OBJ || !vid || vid->type != J_NUM || !rules || rules->type != J_ARR)
		return -1;
	*id = (uint32_t)strtoul(vid->s, NULL, 10);
	if (*id >= ENF_MAX_POLICIES)
		return -1;
	p->name = jstrdup(jval_get(o, "name"));
	p->file = jstrdup(jval_get(o, "file"));
	p->mode = mode && mode->type == J_STR && !strcmp(mode->s, "audit") ? ENF_MODE_AUDIT : ENF_MODE_ENFORCE;
	if (!p->name)
		return -1;
	p->rules = calloc(rules->n ? rules->n : 1, sizeof(*p->rules));
	if (!p->rules)
		return -1;
	for (size_t j = 0; j < rules->n; j++) {
		const struct jval *r = &rules->items[j];

		if (r->type != J_ARR || r->n != 2 || r->items[0].type != J_NUM || r->items[1].type != J_STR)
			return -1;
		p->rules[j].line = atoi(r->items[0].s);
		p->rules[j].id = j;
		p->rules[j].text = strdup(r->items[1].s);
		p->nrules = j + 1;
	}
	return 0;
}

int attribution_load(uint64_t generation)
{
	const struct jval *gen, *pols;
	struct jval root = {};
	struct stat st;
	char *buf = NULL;
	int fd, ret = -1;

	fd = open(attr_path(), O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_info("attribution: no %s: events of the adopted generation %llu name no policy",
			 attr_path(), (unsigned long long)generation);
		return -1;
	}
	if (fstat(fd, &st) < 0 || st.st_size <= 0 || st.st_size > ATTR_MAX_BYTES ||
	    !(buf = malloc(st.st_size)) || read(fd, buf, st.st_size) != st.st_size ||
	    jparse(buf, st.st_size, &root) < 0 || root.type != J_OBJ)
		goto bad;
	gen = jval_get(&root, "generation");
	pols = jval_get(&root, "policies");
	if (!gen || gen->type != J_NUM || !pols || pols->type != J_ARR || pols->n > ENF_MAX_POLICIES)
		goto bad;
	if (strtoull(gen->s, NULL, 10) != generation) {
		log_info("attribution: %s is of generation %s, not the adopted %llu: not used",
			 attr_path(), gen->s, (unsigned long long)generation);
		goto out;
	}
	adopted.pol = calloc(pols->n ? pols->n : 1, sizeof(*adopted.pol));
	if (!adopted.pol)
		goto bad;
	for (size_t i = 0; i < pols->n; i++) {
		adopted.n = i + 1;
		if (read_policy(&pols->items[i], &adopted.pol[i], &adopted_ids[i]) < 0)
			goto bad;
	}
	adopted_generation = generation;
	ret = 0;
	goto out;
bad:
	log_err(-EINVAL, "attribution: %s is malformed: ignored", attr_path());
	policy_set_free(&adopted);
out:
	jval_free(&root);
	free(buf);
	close(fd);
	return ret;
}

const struct enf_policy_src *attribution_lookup(uint64_t generation, uint32_t id)
{
	if (!generation || generation != adopted_generation)
		return NULL;
	for (size_t i = 0; i < adopted.n; i++)
		if (adopted_ids[i] == id)
			return &adopted.pol[i];
	return NULL;
}

void attribution_fini(void)
{
	policy_set_free(&adopted);
	adopted_generation = 0;
}
