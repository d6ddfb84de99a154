// SPDX-License-Identifier: GPL-2.0-only
/*
 * reload.c - (re)load the policy directory: parse, resolve, compile, apply.
 * All or nothing: any error leaves the policy set in force as it was.
 * Policy ids are stable per policy name across reloads (stats follow them).
 * A reload whose policy files hold the same bytes as the set in force, and
 * whose rule paths resolve as they did, applies that set again without
 * parsing or compiling it (the file identities are looked at again).
 * reload_load() is the first load at start-up; reload_request() is the one
 * entry point of a running daemon (SIGHUP, --watch, the `reload` verb).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "daemon.h"
#include "enforcer.skel.h"

/* Give each policy of set an id: its old id if the name is known, else the
 * lowest id used by neither the current nor the new set. */
static int assign_ids(const struct enf_policy_set *set, uint32_t *ids, struct enf_errors *err)
{
	static uint8_t taken[ENF_MAX_POLICIES];

	memset(taken, 0, sizeof(taken));
	if (set->n > ENF_MAX_POLICIES) {
		errors_add(err, D.policy_dir, 0, "too many policies: %zu (max %d)", set->n, ENF_MAX_POLICIES);
		return -E2BIG;
	}
	for (size_t i = 0; i < D.cur.n; i++)
		taken[D.cur_ids[i]] = 1;
	for (size_t i = 0; i < set->n; i++) {
		ids[i] = UINT32_MAX;
		for (size_t j = 0; j < D.cur.n; j++)
			if (!strcmp(D.cur.pol[j].name, set->pol[i].name))
				ids[i] = D.cur_ids[j];
	}
	for (size_t i = 0; i < set->n; i++) {
		if (ids[i] != UINT32_MAX)
			continue;
		for (uint32_t id = 0; id < ENF_MAX_POLICIES; id++)
			if (!taken[id]) {
				taken[id] = 1;
				ids[i] = id;
				break;
			}
		if (ids[i] == UINT32_MAX) {
			errors_add(err, set->pol[i].file, 0, "no free policy id (max %d policies)", ENF_MAX_POLICIES);
			return -E2BIG;
		}
	}
	return 0;
}

/* The same rules, in the same order: rule ids keep their meaning. */
static bool same_rules(const struct enf_policy_src *a, const struct enf_policy_src *b)
{
	if (a->nrules != b->nrules)
		return false;
	for (size_t r = 0; r < a->nrules; r++)
		if (a->rules[r].hook != b->rules[r].hook || strcmp(a->rules[r].text, b->rules[r].text))
			return false;
	return true;
}

/* Zero the per-CPU counters of ids that now name another policy, and the
 * rule hits of policies whose rules changed (those in the rule_hits hash;
 * rule_slots.c gives them fresh slots).  kept[i]: set->pol[i] keeps its
 * rule hits. */
static void reset_stats(const struct enf_policy_set *set, const uint32_t *ids, bool *kept)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct enf_policy_src *known = NULL;

		for (size_t j = 0; j < D.cur.n; j++)
			if (D.cur_ids[j] == ids[i] && !strcmp(D.cur.pol[j].name, set->pol[i].name))
				known = &D.cur.pol[j];
		if (!known)
			policy_stat_reset(ids[i]);
		kept[i] = known && same_rules(known, &set->pol[i]);
		if (!kept[i])
			rule_hits_reset(ids[i]);
	}
	/* ids given up: their hits would greet the next policy to take one */
	for (size_t j = 0; j < D.cur.n; j++) {
		bool kept = false;

		for (size_t i = 0; i < set->n; i++)
			kept |= ids[i] == D.cur_ids[j];
		if (!kept)
			rule_hits_reset(D.cur_ids[j]);
	}
}

/*
 * The bytes of the policy directory the set in force was read from (the
 * names of its *.ini files as policy_load_dir() takes them, sorted, each
 * with its size and contents) and that set compiled.  valid: D.cur is
 * exactly what parsing these bytes gave (no shadow observation policy).
 */
static struct {
	char *blob;
	size_t len;
	bool valid;
	struct enf_compiled comp;
} in;

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int blob_put(char **b, size_t *len, size_t *cap, const void *p, size_t n)
{
	if (*len + n > *cap) {
		size_t nc = *cap ? *cap : 65536;
		char *nb;

		while (nc < *len + n)
			nc *= 2;
		if (!(nb = realloc(*b, nc)))
			return -1;
		*b = nb;
		*cap = nc;
	}
	memcpy(*b + *len, p, n);
	*len += n;
	return 0;
}

/* Read dir's policy files into one blob; -1 when any cannot be read as
 * policy_load_dir() would (that path then reports it). */
static int dir_blob(const char *dir, char **out, size_t *outlen)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL, *b = NULL;
	size_t n = 0, ncap = 0, len = 0, cap = 0;
	int rc = -1;

	if (!d)
		return -1;
	while ((errno = 0, de = readdir(d))) {
		size_t l = strlen(de->d_name);
		char **nn;

		if (de->d_name[0] == '.' || l < 5 || strcmp(de->d_name + l - 4, ".ini"))
			continue;
		if (n == ncap) {
			if (!(nn = realloc(names, (ncap ? 2 * ncap : 16) * sizeof(*nn))))
				goto out;
			names = nn;
			ncap = ncap ? 2 * ncap : 16;
		}
		if (!(names[n] = strdup(de->d_name)))
			goto out;
		n++;
	}
	if (errno)
		goto out;
	qsort(names, n, sizeof(*names), cmp_name);
	for (size_t i = 0; i < n; i++) {
		int fd = openat(dirfd(d), names[i], O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		struct stat sb;
		uint64_t sz;
		size_t at;
		ssize_t r;

		if (fd < 0)
			goto out;
		if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) ||
		    blob_put(&b, &len, &cap, names[i], strlen(names[i]) + 1) < 0 ||
		    blob_put(&b, &len, &cap, &(uint64_t){ 0 }, sizeof(sz)) < 0) {
			close(fd);
			goto out;
		}
		at = len;
		for (;;) {
			char chunk[65536];

			r = read(fd, chunk, sizeof(chunk));
			if (r <= 0 || blob_put(&b, &len, &cap, chunk, (size_t)r) < 0)
				break;
		}
		close(fd);
		if (r != 0)
			goto out;
		sz = len - at;     /* the size, read to the end: a name cannot run into the next */
		memcpy(b + at - sizeof(sz), &sz, sizeof(sz));
	}
	rc = 0;
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	if (rc)
		free(b);
	else {
		*out = b;
		*outlen = len;
	}
	return rc;
}

/*
 * Parse the policy files of a blob (dir_blob()) as policy_load_dir() would
 * read them from dir: the same names in the same order, each file's bytes
 * as read for the blob (no second read: what is parsed is what the next
 * reload compares with).  Returns 0 or -1 with the errors in err.
 */
static int parse_blob(const char *dir, const char *blob, size_t len, struct enf_policy_set *set,
		      struct enf_errors *err)
{
	int rc = 0;

	for (size_t at = 0; at < len;) {
		const char *name = blob + at;
		size_t nl = strlen(name);
		uint64_t sz;
		char *path;

		memcpy(&sz, blob + at + nl + 1, sizeof(sz));
		at += nl + 1 + sizeof(sz);
		if (asprintf(&path, "%s/%s", dir, name) < 0) {
			errors_add(err, dir, 0, "out of memory");
			rc = -1;
		} else {
			if (policy_parse_buffer(path, blob + at, (size_t)sz, set, err) < 0)
				rc = -1;
			free(path);
		}
		at += (size_t)sz;
	}
	if (policy_set_validate(set, err) < 0)
		rc = -1;
	return rc;
}

static void in_forget(void)
{
	free(in.blob);
	in.blob = NULL;
	in.len = 0;
	in.valid = false;
	policy_compiled_free(&in.comp);
}

/*
 * The policy files hold the bytes the set in force was read from and its
 * paths resolve as they did: apply D.cur again (policy_apply decides from
 * the file system and cgroups whether the maps must be written).  Returns
 * 1 when that was not the case (the caller reads the directory), else the
 * result of the apply.  blob: the bytes just read (kept on success).
 */
static int reload_same(char *blob, size_t len, struct enf_errors *err)
{
	static bool kept[ENF_MAX_POLICIES];
	uint64_t gen = D.generation;
	const struct dyn_bind *dyn;
	bool unchanged = false;
	size_t ndyn;
	int ret;

	if (!in.valid || !D.generation || shadow_loaded() || len != in.len || memcmp(blob, in.blob, len) ||
	    !policy_resolve_unchanged(&D.cur, "/"))
		return 1;
	for (size_t i = 0; i < D.cur.n; i++)
		kept[i] = true;      /* the same rules in the same order */
	dyn = bindings_get(&ndyn);
	ret = policy_apply(&D.cur, &in.comp, kept, dyn, ndyn, &gen, &unchanged, err);
	if (ret)
		return ret;
	D.last_reload_unchanged = unchanged;
	D.reloads_unchanged += unchanged;
	/* the set and its ids stay; events of the generation before name the
	 * same policies (daemon_policy_by_id falls back to D.cur) */
	D.generation = gen;
	audit_storm_flush(1);
	D.reloads++;
	D.last_reload_error[0] = 0;
	shadow_applied();
	if (D.pin_dir)
		attribution_save();
	return 0;
}

int reload_load(struct enf_errors *err)
{
	struct enf_policy_set set = {};
	struct enf_compiled comp = {};
	static uint32_t ids[ENF_MAX_POLICIES];
	static bool kept[ENF_MAX_POLICIES];
	uint64_t gen = D.generation;
	const struct dyn_bind *dyn;
	bool unchanged = false, cache;
	char *blob = NULL;
	size_t ndyn, blen = 0;
	int ret;

	cache = dir_blob(D.policy_dir, &blob, &blen) == 0;
	if (cache) {
		ret = reload_same(blob, blen, err);
		if (ret <= 0) {
			free(blob);
			blob = NULL;
			if (ret)
				goto fail;
			return 0;
		}
	}
	/* the maps will be written: the grace period the inactive half needs
	 * runs while the directory is parsed and compiled */
	policy_grace_begin();
	if ((cache ? parse_blob(D.policy_dir, blob, blen, &set, err) : policy_load_dir(D.policy_dir, &set, err)) < 0 ||
	    policy_resolve_paths(&set, "/", err) < 0 ||
	    shadow_extend(&set, err) < 0 ||
	    assign_ids(&set, ids, err) < 0 ||
	    policy_compile(&set, ids, &comp, err) < 0) {
		ret = -EINVAL;
		goto fail;
	}
	reset_stats(&set, ids, kept);
	dyn = bindings_get(&ndyn);
	ret = policy_apply(&set, &comp, kept, dyn, ndyn, &gen, &unchanged, err);
	if (ret)
		goto fail;
	/* what the next reload compares the directory with (not with a
	 * shadow's observation policy in the set) */
	in_forget();
	if (cache && !shadow_loaded()) {
		in.comp = comp;          /* moved, not copied: comp is done with */
		memset(&comp, 0, sizeof(comp));
		in.blob = blob;
		in.len = blen;
		in.valid = true;
		blob = NULL;
	}
	free(blob);
	policy_compiled_free(&comp);
	/* unchanged: no map written (the live half holds this set: no
	 * switch either; or the switch to the other half, holding it) */
	D.last_reload_unchanged = unchanged;
	D.reloads_unchanged += unchanged;
	/* Keep the previous set: events already in the ring buffer name it.
	 * No switch (the live half holds this set): the generation in force
	 * stays, and so do its set's ids; the set before it stays the
	 * previous one. */
	if (gen != D.generation) {
		policy_set_free(&D.prev);
		D.prev = D.cur;
		memcpy(D.prev_ids, D.cur_ids, sizeof(D.prev_ids));
		D.prev_generation = D.generation;
	} else {
		policy_set_free(&D.cur);
	}
	D.cur = set;
	memcpy(D.cur_ids, ids, set.n * sizeof(ids[0]));
	D.generation = gen;
	/* deny storms: what the old set's keys have pending, now, while the
	 * previous set still names them; their keys go */
	audit_storm_flush(1);
	D.reloads++;
	D.last_reload_error[0] = 0;
	shadow_applied();
	if (D.pin_dir)
		attribution_save();
	return 0;
fail:
	policy_grace_end();
	free(blob);
	if (!err->n)
		errors_add(err, D.policy_dir, 0, "reload failed: %s", strerror(-ret));
	snprintf(D.last_reload_error, sizeof(D.last_reload_error), "%s", err->msg[0]);
	D.reload_failures++;
	policy_compiled_free(&comp);
	policy_set_free(&set);
	return ret ? ret : -EINVAL;
}

/*
 * The set in force applied again as it is (not the directory, which may
 * hold edits not yet reloaded): after the audit log was reopened, the new
 * file it writes joins the self-protection set at once (self_fill reads
 * its identity; the dry fill's digest then differs, so the other half is
 * filled and switched to, with no gap).  Nothing moves when the file is
 * the same one.
 */
int reload_reapply(struct enf_errors *err)
{
	static bool kept[ENF_MAX_POLICIES];
	struct enf_compiled comp = {};
	const struct enf_compiled *c = &in.comp;
	uint64_t gen = D.generation;
	const struct dyn_bind *dyn;
	bool unchanged = false;
	size_t ndyn;
	int ret;

	if (!D.generation)
		return 0;
	if (!in.valid) {
		/* no compiled copy kept (a shadow is loaded): compile the set in force */
		if (policy_compile(&D.cur, D.cur_ids, &comp, err) < 0)
			return -EINVAL;
		c = &comp;
	}
	for (size_t i = 0; i < D.cur.n; i++)
		kept[i] = true;
	dyn = bindings_get(&ndyn);
	ret = policy_apply(&D.cur, c, kept, dyn, ndyn, &gen, &unchanged, err);
	policy_compiled_free(&comp);
	if (ret) {
		D.reload_failures++;
		return ret;
	}
	D.generation = gen;
	audit_storm_flush(1);
	if (D.pin_dir)
		attribution_save();
	return 0;
}

/* `reopen` and SIGUSR1: the audit log opened again at its path (after a
 * rotation) and that file protected from now on.  -errno of the open, or
 * 1 when the log was reopened but its protection could not be applied
 * (err says why; the policy in force stays). */
int audit_rotate(struct enf_errors *err)
{
	int ret = audit_reopen();

	if (ret)
		return ret;
	if (!strcmp(D.audit_path, "-"))
		return 0;
	if (reload_reapply(err)) {
		if (!err->n)
			errors_add(err, D.audit_path, 0, "could not protect the reopened audit log");
		return 1;
	}
	return 0;
}

int reload_request(struct enf_errors *err)
{
	int ret;

	notify("RELOADING=1");
	ret = reload_load(err);
	notify("READY=1\nSTATUS=enforcing generation %llu, %zu policies%s",
	       (unsigned long long)D.generation, D.cur.n, ret ? " (last reload failed)" : "");
	if (ret == 0) {
		log_info("reload: generation %llu, %zu policies%s", (unsigned long long)D.generation, D.cur.n,
			 D.last_reload_unchanged ? ", unchanged (the maps hold this set)" : "");
	} else {
		for (size_t i = 0; i < err->n; i++)
			log_err(-EINVAL, "reload: %s", err->msg[i]);
	}
	return ret;
}

const struct enf_policy_src *daemon_policy_by_id(uint64_t generation, uint32_t id)
{
	const struct enf_policy_set *s = &D.cur;
	const uint32_t *ids = D.cur_ids;

	if (generation && generation == D.prev_generation && generation != D.generation) {
		s = &D.prev;
		ids = D.prev_ids;
	}
	for (size_t i = 0; i < s->n; i++)
		if (ids[i] == id)
			return &s->pol[i];
	/* an event of the generation adopted from the previous enforcerd */
	return attribution_lookup(generation, id);
}
