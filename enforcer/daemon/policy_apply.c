// SPDX-License-Identifier: GPL-2.0-only
/*
 * policy_apply.c - the one writer of the policy maps.  policy_apply() puts a
 * compiled policy set into the BPF maps without a gap: every map holds two
 * halves (the generation bit in each key); the inactive half is cleared and
 * filled, cgroups are bound, and one atomic 8-byte store of the new
 * generation switches every hook over at once.  Any failure before that
 * store leaves the live half, and so the policy in force, untouched.
 * policy_apply_bind() adds one run-time binding (bindings.c) to the live
 * half; policy_apply_mark_setup() marks a container's cgroup (bind pid=).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/sysmacros.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "daemon.h"
#include "pattern.h"
#include "stat_memo.h"
#include "enforcer.skel.h"
#include "key_record.h"
#include "path_garbage.h"
#include "setup_mark.h"

/* Every map write and read below goes through fill_digest.c: outside a
 * fill straight to the kernel; in a fill also into its digest; in a dry
 * fill only there (and to its emulated half). */
#define bpf_map_update_elem ino_record_update
#define bpf_map_lookup_elem fd_lookup

/*
 * The identity keys (inode_rules) this process wrote into each half, so a
 * reload deletes exactly those instead of walking every bucket of the hash
 * (2 * --max-rules of them) to find a few.  Only user space writes that
 * map.  A half whose keys are not all known (maps adopted from an earlier
 * enforcerd, a record that could not grow) is cleared by the walk.
 */
static struct key_record half_inos[2] = {
	KEY_RECORD_INIT(struct enf_inode_key), KEY_RECORD_INIT(struct enf_inode_key),
};

/* Every map write of this file: fd_update (fill_digest.c), and a key
 * written into inode_rules outside a dry fill recorded for its half first
 * (recorded but not stored: a harmless ENOENT at the next clear). */
static int ino_record_update(int fd, const void *key, const void *v, unsigned long long flags)
{
	if (D.skel && fd == bpf_map__fd(D.skel->maps.inode_rules) && !fill_digest_dry()) {
		uint32_t tag;   /* read by bytes: the compiler sees every caller's key type here */

		memcpy(&tag, (const char *)key + offsetof(struct enf_inode_key, tag), sizeof(tag));
		key_record_add(&half_inos[tag >> 31], key, 1);
		if (((tag >> 24) & 0x7f) == ENF_KIND_RUNTIME) {
			/* the runtime filter of the half: set before the
			 * identity is written, cleared with the half */
			uint64_t ino;
			uint32_t b;

			memcpy(&ino, (const char *)key + offsetof(struct enf_inode_key, ino), sizeof(ino));
			b = ENF_RT_BLOOM_BIT(ino);
			__atomic_fetch_or(&D.skel->bss->enf_rt_bloom[tag >> 31][b >> 6], 1ULL << (b & 63),
					  __ATOMIC_SEQ_CST);
		}
	}
	return fd_update(fd, key, v, flags);
}

/* Forget the runtime filter of half bit (its identities go too: nothing
 * reads the half, a grace period after the switch away from it). */
static void rt_bloom_clear(uint32_t bit)
{
	for (uint32_t w = 0; w < ENF_RT_BLOOM_WORDS; w++)
		__atomic_store_n(&D.skel->bss->enf_rt_bloom[bit & 1][w], 0, __ATOMIC_SEQ_CST);
}

/* Which policy ids each half holds, to clear them next time. */
static uint8_t half_ids[2][ENF_MAX_POLICIES];
static int grace_fd = -1, grace_inner_fd = -1;

/* Count a failed map update; returns -errno. */
static int map_failed(void)
{
	int e = errno;

	D.map_update_failures++;
	return -e;
}

static int grace_maps(void)
{
	if (grace_fd < 0) {
		LIBBPF_OPTS(bpf_map_create_opts, opts);

		grace_inner_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "enf_grace_in", 4, 4, 1, NULL);
		if (grace_inner_fd < 0)
			return -errno;
		opts.inner_map_fd = grace_inner_fd;
		grace_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY_OF_MAPS, "enf_grace", 4, 4, 1, &opts);
		if (grace_fd < 0)
			return -errno;
	}
	return 0;
}

/* The wait itself: straight to the kernel, never into a fill's digest
 * (the parentheses: not the fd_update macro; a thread may run it). */
static int grace_wait(void)
{
	__u32 zero = 0;

	if ((bpf_map_update_elem)(grace_fd, &zero, &grace_inner_fd, BPF_ANY) < 0)
		return -errno;
	return 0;
}

/*
 * Wait for a full RCU grace period: every BPF program that was running
 * (and so may have read the old generation) has finished.  Updating a
 * map-of-maps slot does exactly that wait in the kernel.
 */
int policy_grace_period(void)
{
	int ret = grace_maps();

	return ret ? ret : grace_wait();
}

/* A grace period begun in a thread (policy_grace_begin): its result. */
static struct {
	bool on;
	pthread_t t;
	int ret;
} gr;

static void *grace_thread(void *arg)
{
	(void)arg;
	gr.ret = grace_wait();    /* read by the joiner only after pthread_join */
	return NULL;
}

void policy_grace_begin(void)
{
	if (gr.on || grace_maps() < 0)
		return;           /* no thread: policy_apply waits itself */
	gr.ret = 0;
	gr.on = pthread_create(&gr.t, NULL, grace_thread, NULL) == 0;
}

int policy_grace_end(void)
{
	if (!gr.on)
		return 0;
	pthread_join(gr.t, NULL);
	gr.on = false;
	return gr.ret;
}

/* A full grace period since the call: the one begun (before it), if one
 * was, else one now. */
static int grace_since_begin(void)
{
	int ret;

	if (!gr.on)
		return policy_grace_period();
	ret = policy_grace_end();
	return ret ? policy_grace_period() : 0;    /* a failed one: wait here */
}

/* Cgroups whose bindings the mkdir program could not store (cg_unbound):
 * the half being refilled binds them anew (by path and name), so its bit
 * goes; an entry stays until its cgroup is removed. */
static int unbound_clear_half(int fd, uint32_t bit)
{
	uint64_t k, next;
	void *prev = NULL;

	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		uint8_t mask;

		k = next;
		prev = &k;
		if (bpf_map_lookup_elem(fd, &k, &mask) < 0 || !(mask & (1u << bit)))
			continue;
		mask &= ~(1u << bit);
		if (bpf_map_update_elem(fd, &k, &mask, BPF_EXIST) < 0 && errno != ENOENT)
			return map_failed();
	}
	return 0;
}

/* Delete every key of map fd for which in_half(key) is true. */
static int clear_half(int fd, size_t ksz, int (*in_half)(const void *k, uint32_t bit), uint32_t bit)
{
	size_t n = 0, cap = 1024;
	char *keys = malloc(cap * ksz);
	char cur[512], prevk[512];
	void *prev = NULL;
	int err = 0;

	if (!keys)
		return -ENOMEM;
	while (bpf_map_get_next_key(fd, prev, cur) == 0) {
		if (in_half(cur, bit)) {
			if (n == cap) {
				char *nk = realloc(keys, cap * 2 * ksz);

				if (!nk) {
					err = -ENOMEM;
					goto out;
				}
				keys = nk;
				cap *= 2;
			}
			memcpy(keys + n * ksz, cur, ksz);
			n++;
		}
		memcpy(prevk, cur, ksz);
		prev = prevk;
	}
	for (size_t i = 0; i < n; i++)
		if (bpf_map_delete_elem(fd, keys + i * ksz) < 0 && errno != ENOENT) {
			err = -errno;
			break;
		}
out:
	free(keys);
	return err;
}

/* Empty half `bit` of the ungoverned filter (enf_ungov, in the BPF
 * object's .bss), or both halves (bit > 1), through the skeleton's
 * mapping.  The halves are interleaved: word i holding cgroup id v is of
 * half (i ^ v) & 1 (govern.bpf.h, ungov_word).  A word is emptied only if
 * it still holds what was read (a compare-and-swap): emptying one of the
 * other half that a hook has just written would only cost a refill. */
static int ungov_clear(uint32_t bit)
{
	volatile __u64 *w = D.skel->bss->enf_ungov;

	for (__u32 i = 0; i < 2 * ENF_UNGOV_SLOTS; i++) {
		__u64 v = __atomic_load_n(&w[i], __ATOMIC_RELAXED);

		if (v && (bit > 1 || ((i ^ v) & 1) == bit))
			__atomic_compare_exchange_n(&w[i], &v, 0, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return 0;
}

/*
 * The path rule keys this process wrote into each half, so a reload deletes
 * exactly those: walking an LPM trie with get_next_key restarts from its
 * root at every call (most of a 10,000-rule reload's time).  A half whose
 * keys are not all known (maps adopted from an earlier enforcerd, or a
 * record that could not grow) is cleared by the walk.
 */
static struct key_record half_paths[2] = {
	KEY_RECORD_INIT(struct enf_path_key), KEY_RECORD_INIT(struct enf_path_key),
};

/* ... and the exact-path keys (path_exact) of each half. */
static struct key_record half_exact[2] = {
	KEY_RECORD_INIT(struct enf_exact_key), KEY_RECORD_INIT(struct enf_exact_key),
};

/*
 * Does path key k belong in path_exact (enforcer_abi.h, enf_exact_key)?
 * An exec or file key under a plain policy tag (no program class) naming
 * one whole path (its last byte the NUL) that fits; *e its key there.
 */
static bool exact_of(const struct enf_path_key *k, struct enf_exact_key *e)
{
	uint32_t n = (k->prefixlen - 32) / 8, kind = (k->tag >> 24) & 0x7f;

	if ((kind != ENF_KIND_EXEC && kind != ENF_KIND_FILE) ||
	    (k->tag & (ENF_TAG_CLASS(0x3f) | ENF_TAG_PARENT)) || k->prefixlen % 8 ||
	    n < 2 || n > ENF_EXACT_PATH || k->path[n - 1] || memchr(k->path, 0, n - 1))
		return false;
	memset(e, 0, sizeof(*e));
	e->tag = k->tag;
	memcpy(e->path, k->path, n);
	return true;
}

/* The path_exact map's descriptor. */
static int exact_fd(void)
{
	return bpf_map__fd(D.skel->maps.path_exact);
}

/* The epoch of half bit's path keys (in the BPF object's .bss: adopted
 * with it). */
static uint32_t path_epoch(uint32_t bit)
{
	return __atomic_load_n(&D.skel->bss->enf_path_epoch[bit & 1], __ATOMIC_RELAXED) % ENF_EPOCHS;
}

/* Key tag t with epoch e in place of its own. */
static uint32_t tag_epoch(uint32_t t, uint32_t e)
{
	return (t & ~ENF_TAG_EPOCH(ENF_EPOCHS - 1)) | ENF_TAG_EPOCH(e);
}

/* Update path_rules (fd) with k, or path_exact when k is an exact-path key,
 * recording k for its half first (a key recorded but not stored is a
 * harmless ENOENT at the next clear). */
static int path_put(int fd, const struct enf_path_key *key, const struct enf_path_val *v, __u64 flags)
{
	struct enf_path_key kk = *key, *k = &kk;
	struct enf_exact_key e;

	kk.tag = tag_epoch(kk.tag, path_epoch(kk.tag >> 31));    /* the half's epoch */
	if (exact_of(k, &e)) {
		if (!fill_digest_dry())
			key_record_add(&half_exact[k->tag >> 31], &e, 1);
		return bpf_map_update_elem(exact_fd(), &e, v, flags);
	}
	if (!fill_digest_dry())   /* a dry fill stores no key: none recorded */
		key_record_add(&half_paths[k->tag >> 31], k, 1);
	return bpf_map_update_elem(fd, k, v, flags);
}

/*
 * Map writes in batches (one bpf() call per PATH_BATCH keys instead of one
 * per key).  A kernel that refuses a batch, or a batch that stops part way
 * (a full map, a key already gone), is done again key by key from the
 * start of that batch: the result and the error are those of the one-by-one
 * writes (updates with BPF_ANY and deletes ignoring ENOENT repeat safely).
 */
#define PATH_BATCH 1024
#ifndef ENOTSUPP
#define ENOTSUPP 524     /* the kernel's, not in the user headers */
#endif
static bool batch_refused;      /* EINVAL/ENOTSUPP once: one by one from then on */

static void batch_refuse(const char *what)
{
	if (errno != EINVAL && errno != ENOTSUPP && errno != EOPNOTSUPP && errno != EBADF)
		return;
	if (!batch_refused)
		log_info("path rules: this kernel refuses batched map %s (%s): one key per call from now on",
			 what, strerror(errno));
	batch_refused = true;
}

static int batch_update(int fd, const void *keys, size_t ksz, const void *vals, size_t vsz, size_t n)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts, .elem_flags = BPF_ANY);

	for (size_t at = 0; at < n; at += PATH_BATCH) {
		__u32 cnt = (__u32)(n - at < PATH_BATCH ? n - at : PATH_BATCH);
		const char *k = (const char *)keys + at * ksz, *v = (const char *)vals + at * vsz;
		__u32 done = cnt;

		if (!batch_refused) {
			int r = bpf_map_update_batch(fd, k, v, &done, &opts);

			if (r == 0 && done == cnt)
				continue;
			if (r < 0)
				batch_refuse("updates");
		}
		for (__u32 i = 0; i < cnt; i++)
			if (bpf_map_update_elem(fd, k + i * ksz, v + i * vsz, BPF_ANY) < 0)
				return -1;
	}
	return 0;
}

static int batch_delete(int fd, const void *keys, size_t ksz, size_t n)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);

	for (size_t at = 0; at < n; at += PATH_BATCH) {
		__u32 cnt = (__u32)(n - at < PATH_BATCH ? n - at : PATH_BATCH);
		const char *k = (const char *)keys + at * ksz;
		__u32 done = cnt;

		if (!batch_refused) {
			int r = bpf_map_delete_batch(fd, k, &done, &opts);

			if (r == 0 && done == cnt)
				continue;
			if (r < 0)
				batch_refuse("deletes");
		}
		for (__u32 i = 0; i < cnt; i++)
			if (bpf_map_delete_elem(fd, k + i * ksz) < 0 && errno != ENOENT)
				return -1;
	}
	return 0;
}

/*
 * A compiled set's path rules for one half, split as the maps hold them:
 * n keys of path_rules (the trie) and ne of path_exact, in the compiled
 * order, the half's bit set; keep[i] / ekeep[i]: that entry is in the half
 * already, key and value, and stays through the clear (lit_keep()).
 */
struct path_split {
	struct enf_path_key *keys;
	struct enf_exact_key *ekeys;
	struct enf_path_val *vals, *evals;
	uint8_t *keep, *ekeep;
	size_t n, ne;
};

static void path_split_free(struct path_split *ps)
{
	free(ps->keys);
	free(ps->ekeys);
	free(ps->vals);
	free(ps->evals);
	free(ps->keep);
	free(ps->ekeep);
	memset(ps, 0, sizeof(*ps));
}

/* Path entries each map holds (both halves' recorded keys, and the
 * garbage not deleted yet) with n and ne more: do they fit? */
static bool paths_fit(size_t n, size_t ne)
{
	const struct key_record *p = half_paths, *e = half_exact;

	return p[0].n + p[1].n + n + garbage_pending(GARB_PATHS) <= bpf_map__max_entries(D.skel->maps.path_rules) &&
	       e[0].n + e[1].n + ne + garbage_pending(GARB_EXACT) <= bpf_map__max_entries(D.skel->maps.path_exact);
}

/* May half bit's recorded entries become garbage, ps written beside them
 * under the next epoch?  Its records (and the other half's: counted) must
 * be known, and all of it fit. */
static bool epoch_fits(uint32_t bit, const struct path_split *ps)
{
	const struct key_record *p = half_paths, *e = half_exact;

	return p[0].known && p[1].known && e[0].known && e[1].known && (p[bit].n || e[bit].n) &&
	       paths_fit(ps->n, ps->ne);
}

/* Half bit (read by no program) to its next epoch whose garbage is not
 * pending (all of it deleted first, if every one's is): ps's keys
 * retagged, the half's recorded entries to the garbage, its records
 * empty. */
static void epoch_next(uint32_t bit, struct path_split *ps)
{
	uint32_t cur = path_epoch(bit), ep = cur;

	for (uint32_t i = 1; i < ENF_EPOCHS && ep == cur; i++)
		if (!garbage_has_epoch(bit, (cur + i) % ENF_EPOCHS))
			ep = (cur + i) % ENF_EPOCHS;
	if (ep == cur) {
		garbage_drain();
		ep = (cur + 1) % ENF_EPOCHS;
	}
	for (size_t i = 0; i < ps->n; i++)
		ps->keys[i].tag = tag_epoch(ps->keys[i].tag, ep);
	for (size_t i = 0; i < ps->ne; i++)
		ps->ekeys[i].tag = tag_epoch(ps->ekeys[i].tag, ep);
	__atomic_store_n(&D.skel->bss->enf_path_epoch[bit], ep, __ATOMIC_SEQ_CST);
	garbage_add(bit, cur, &half_paths[bit], &half_exact[bit]);
	D.path_epochs++;
}

static int path_split(const struct enf_compiled *c, uint32_t bit, struct path_split *ps)
{
	size_t np = c->npaths ? c->npaths : 1;
	uint32_t ep = path_epoch(bit);

	memset(ps, 0, sizeof(*ps));
	ps->keys = malloc(np * sizeof(*ps->keys));
	ps->vals = malloc(np * sizeof(*ps->vals));
	ps->ekeys = malloc(np * sizeof(*ps->ekeys));
	ps->evals = malloc(np * sizeof(*ps->evals));
	ps->keep = calloc(np, 1);
	ps->ekeep = calloc(np, 1);
	if (!ps->keys || !ps->vals || !ps->ekeys || !ps->evals || !ps->keep || !ps->ekeep) {
		path_split_free(ps);
		return -ENOMEM;
	}
	for (size_t i = 0; i < c->npaths; i++) {
		/* (exact_of() does not look at the half's bit: no copy of the
		 * 264-byte key to set it first) */
		if (exact_of(&c->paths[i].k, &ps->ekeys[ps->ne])) {
			ps->ekeys[ps->ne].tag |= bit << 31 | ENF_TAG_EPOCH(ep);
			ps->evals[ps->ne++] = c->paths[i].v;
			continue;
		}
		ps->keys[ps->n] = c->paths[i].k;
		ps->keys[ps->n].tag |= bit << 31 | ENF_TAG_EPOCH(ep);
		ps->vals[ps->n++] = c->paths[i].v;
	}
	return 0;
}

/*
 * The values paths_fill() wrote into each half, for the keys at the start
 * of that half's record (half_paths, half_exact: the same order); valid
 * from a whole paths_fill() to the next clear of the half.
 */
struct lit_vals {
	struct enf_path_val *v;
	size_t n;
	bool valid;
};
static struct lit_vals lit_paths[2], lit_exact[2];

/* Keys written after paths_fill()'s (a loader deny, a container's path)
 * compared one by one with the kept ones; more: nothing is kept. */
#define LIT_EXTRA_MAX 16

/*
 * Which of the n new entries (keys, vals: a path_split's, for half bit)
 * the half holds already at the same place of its record with the same
 * value: keep[i] set, the count returned.  A reload of a set the half held
 * before (switching back), or with rules changed in place, then neither
 * deletes nor writes those (a hash entry costs the kernel ~1,050 guest
 * instructions to delete and ~1,400 to write, a trie key ~4,500).  The
 * half is not read by any program (the grace period since the switch), and
 * a kept entry is exactly what the fill would write.  A key written after
 * paths_fill()'s (recorded after them: a loader deny, a container's path)
 * that may be a kept one's may have replaced its value and goes with the
 * clear: that entry is not kept.
 */
/*
 * Might an entry written with key a replace or delete the one of key b?
 * Exact-path keys: the same bytes (exact_of() zeroes the rest).  Trie keys
 * (trie set): the same tag and prefix length and the same bytes within the
 * prefix whatever follows it (a partial last byte counted as the same: more
 * entries left out of the kept ones is the safe side).
 */
static bool key_may_be(bool trie, const void *a, const void *b, size_t ksz)
{
	const struct enf_path_key *x = a, *y = b;

	if (!trie)
		return !memcmp(a, b, ksz);
	if (x->prefixlen != y->prefixlen || x->tag != y->tag)
		return false;
	if (x->prefixlen < 32 || x->prefixlen > 32 + 8 * ENF_PATH_KEY_MAX)
		return true;
	return !memcmp(x->path, y->path, (x->prefixlen - 32) / 8);
}

static size_t lit_keep(const struct key_record *rec, const struct lit_vals *lv, const void *keys,
		       const struct enf_path_val *vals, size_t n, uint8_t *keep, bool trie)
{
	const char *rk = rec->k, *nk = keys;
	size_t ksz = rec->ksz, lim = n < lv->n ? n : lv->n, m = 0;

	memset(keep, 0, n);
	if (!rec->known || !lv->valid || lv->n > rec->n || rec->n - lv->n > LIT_EXTRA_MAX)
		return 0;
	for (size_t i = 0; i < lim; i++)
		if (!memcmp(&lv->v[i], &vals[i], sizeof(vals[i])) && !memcmp(rk + i * ksz, nk + i * ksz, ksz)) {
			keep[i] = 1;
			m++;
		}
	for (size_t e = lv->n; m && e < rec->n; e++)
		for (size_t i = 0; i < lim; i++)
			if (keep[i] && key_may_be(trie, rk + e * ksz, nk + i * ksz, ksz)) {
				keep[i] = 0;
				m--;
			}
	return m;
}

/* batch_update() of the entries of [0, n) not kept, in runs. */
static int batch_update_runs(int fd, const void *keys, size_t ksz, const void *vals, size_t vsz, size_t n,
			     const uint8_t *keep)
{
	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j < n && !keep[j])
			j++;
		if (j > i && batch_update(fd, (const char *)keys + i * ksz, ksz, (const char *)vals + i * vsz,
					  vsz, j - i) < 0)
			return -1;
		while (j < n && keep[j])
			j++;
		i = j;
	}
	return 0;
}

/* The path rules of ps (path_split()) into half bit of path_rules (fd) and
 * path_exact, but for the entries kept (recorded for the next clear by
 * kept_clear_half() already); their values kept for lit_keep().  Returns 0
 * or -1 with errno. */
static int paths_fill(int fd, struct path_split *ps, uint32_t bit)
{
	struct lit_vals *lp = &lit_paths[bit], *le = &lit_exact[bit];

	lp->valid = le->valid = false;
	if (batch_update_runs(fd, ps->keys, sizeof(*ps->keys), ps->vals, sizeof(*ps->vals), ps->n, ps->keep) < 0 ||
	    batch_update_runs(exact_fd(), ps->ekeys, sizeof(*ps->ekeys), ps->evals, sizeof(*ps->evals), ps->ne,
			      ps->ekeep) < 0)
		return -1;
	/* the values move to the half's lit_vals (the record has the keys) */
	free(lp->v);
	free(le->v);
	*lp = (struct lit_vals){ .v = ps->vals, .n = ps->n, .valid = true };
	*le = (struct lit_vals){ .v = ps->evals, .n = ps->ne, .valid = true };
	ps->vals = ps->evals = NULL;
	return 0;
}

static int path_in_half(const void *k, uint32_t bit);
static int exact_in_half(const void *k, uint32_t bit);
static int inode_in_half(const void *k, uint32_t bit);

/*
 * Empty half `bit` of a map whose keys rec recorded: those keys (each once:
 * an identity entry merged from several rules is written many times), else
 * the walk.  A failed clear leaves the record unknown: walked next time.
 */
static int recorded_clear_half(int fd, struct key_record *rec, int (*in_half)(const void *k, uint32_t bit),
			       uint32_t bit, bool unique)
{
	if (!rec->known) {
		int err = clear_half(fd, rec->ksz, in_half, bit);

		if (err)
			return err;
	} else if (rec->n && batch_delete(fd, rec->k, rec->ksz, unique ? key_record_unique(rec) : rec->n) < 0) {
		rec->known = false;
		return -errno;
	}
	key_record_reset(rec);
	return 0;
}

/*
 * The same for path_rules and path_exact, but for the first nkeep recorded
 * keys where keep[i] is set (lit_keep(): the record is known), which stay;
 * then the n keys of the new set (keys: a path_split's, the kept ones
 * among them) are the record, before paths_fill() writes them: kept keys
 * are never left out of it (a key recorded but not written yet, a fill
 * that fails, is a harmless ENOENT at the next clear).
 */
static int kept_clear_half(int fd, struct key_record *rec, int (*in_half)(const void *k, uint32_t bit),
			   uint32_t bit, const void *keys, size_t n, const uint8_t *keep, size_t kept)
{
	const char *k = rec->k;
	int ret;

	if (!kept) {
		if ((ret = recorded_clear_half(fd, rec, in_half, bit, false)))
			return ret;
		key_record_add(rec, keys, n);
		return 0;
	}
	for (size_t i = 0; i < rec->n;) {
		size_t j = i;

		while (j < rec->n && (j >= n || !keep[j]))
			j++;
		if (j > i && batch_delete(fd, k + i * rec->ksz, rec->ksz, j - i) < 0) {
			rec->known = false;
			return -errno;
		}
		while (j < n && keep[j])
			j++;
		i = j;
	}
	key_record_reset(rec);
	key_record_add(rec, keys, n);
	return 0;
}

static int path_in_half(const void *k, uint32_t bit)
{
	return (((const struct enf_path_key *)k)->tag >> 31) == bit;
}

static int exact_in_half(const void *k, uint32_t bit)
{
	return (((const struct enf_exact_key *)k)->tag >> 31) == bit;
}

static int net_in_half(const void *k, uint32_t bit)
{
	return (((const struct enf_net_key *)k)->tag >> 31) == bit;
}

static int inode_in_half(const void *k, uint32_t bit)
{
	return (((const struct enf_inode_key *)k)->tag >> 31) == bit;
}

static int cg_in_half(const void *k, uint32_t bit)
{
	return ((const struct enf_cg_key *)k)->gen == bit;
}

static int cgpath_in_half(const void *k, uint32_t bit)
{
	return ((const struct enf_cgpath_key *)k)->gen == bit;
}

/* The kernel's encoding of a device number (MKDEV: major << 20 | minor). */
static uint64_t kdev(dev_t d)
{
	return ((uint64_t)major(d) << 20) | minor(d);
}

static uint8_t stricter(uint8_t a, uint8_t b)
{
	if (a == ENF_DENY || b == ENF_DENY)
		return ENF_DENY;
	if (a == ENF_READONLY || b == ENF_READONLY)
		return ENF_READONLY;
	return ENF_ALLOW;
}

/* At one verdict, a rule with an owner condition denies more. */
static int cond_rank(uint8_t c)
{
	return c & ENF_COND_OWNER ? 2 : c & ENF_COND_OWNER_WRITE ? 1 : 0;
}

/* Merge one identity entry: flags add up; a rule's verdict beats an
 * ancestor's placeholder; two rules on one inode: the stricter wins (at
 * one verdict, the one with an owner condition). */
static int inode_put_cond(int fd, const struct enf_inode_key *k, uint32_t rule_id,
			  uint8_t verdict, uint8_t cond, uint8_t rights, uint8_t flags, uint8_t plen)
{
	struct enf_inode_val v = {}, old;

	if (bpf_map_lookup_elem(fd, k, &old) == 0) {
		v = old;
		if (flags & (ENF_INO_FILE_RULE | ENF_INO_DIR_RULE)) {
			if (!(old.flags & (ENF_INO_FILE_RULE | ENF_INO_DIR_RULE)) ||
			    stricter(old.verdict, verdict) != old.verdict ||
			    (old.verdict == verdict && cond_rank(cond) > cond_rank(old.cond)) ||
			    (old.verdict == verdict && cond_rank(cond) == cond_rank(old.cond) &&
			     __builtin_popcount(rights) > __builtin_popcount(old.rights))) {
				v.verdict = verdict;
				v.rule_id = rule_id;
				v.cond = cond;
				v.rights = rights;
				v.plen = plen;
			}
		}
		v.flags |= flags;
	} else {
		v.verdict = verdict;
		v.rule_id = rule_id;
		v.cond = (flags & (ENF_INO_FILE_RULE | ENF_INO_DIR_RULE)) ? cond : 0;
		v.rights = (flags & (ENF_INO_FILE_RULE | ENF_INO_DIR_RULE)) ? rights : 0;
		v.plen = (flags & (ENF_INO_FILE_RULE | ENF_INO_DIR_RULE)) ? plen : 0;
		v.flags = flags;
	}
	return bpf_map_update_elem(fd, k, &v, BPF_ANY) < 0 ? -errno : 0;
}

static int inode_put(int fd, const struct enf_inode_key *k, uint32_t rule_id, uint8_t verdict,
		     uint8_t flags)
{
	return inode_put_cond(fd, k, rule_id, verdict, 0, 0, flags, 0);
}

/* Does a rule of p for hook name exactly this file? */
static bool names_file(const struct enf_policy_src *p, enum enf_hook hook, const char *path)
{
	for (size_t j = 0; j < p->nrules; j++)
		if (p->rules[j].hook == hook && !p->rules[j].dir && p->rules[j].resolved &&
		    !strcmp(p->rules[j].resolved, path))
			return true;
	return false;
}

/*
 * The directory whose ancestors the last deny/readonly file rule of this
 * fill walked (below `top`, with tag `tag`): the next rule in the same
 * directory with the same tag and top would find each of them written
 * already (stat_memo_put_once: the same directories, the same answers in
 * one pass) and write nothing, so it skips the walk.  on: inside a fill
 * (fill_half), where the stat memory is active; reset at each fill's start.
 */
static struct {
	bool on;
	uint32_t tag;
	size_t len;
	char dir[PATH_MAX];
	char top[PATH_MAX];
} anc_last;

/*
 * stat_memo_below_missing(path), its answer depending only on the text
 * before path's last '/': the directory of a rule after a rule in the same
 * directory found below a missing one (it stays so for the pass: the
 * memory only grows) is not looked up again.
 */
static struct {
	uint64_t pass;
	size_t len;
	char dir[PATH_MAX];
} bm_last;

static bool below_missing(const char *path)
{
	const char *slash = strrchr(path, '/');
	uint64_t pass = stat_memo_pass();
	size_t dl = slash ? (size_t)(slash - path) : 0;

	if (pass && slash && bm_last.pass == pass && bm_last.len == dl && !memcmp(bm_last.dir, path, dl))
		return true;
	if (!stat_memo_below_missing(path))
		return false;
	if (pass && slash && dl < sizeof(bm_last.dir)) {
		bm_last.pass = pass;
		bm_last.len = dl;
		memcpy(bm_last.dir, path, dl);
	}
	return true;
}

/*
 * Identity of one rule's target, found at host path `path` (for a container,
 * its root + the path inside it), and, for deny/readonly file rules, of the
 * directories above it up to `top` ("/" for the host, the container root).
 */
static int inode_rule_put(int fd, uint32_t bit, uint32_t id, const struct enf_rule *r,
			  const char *path, const char *top)
{
	uint32_t kind = rule_path_kind(r);
	struct enf_inode_key k = { .tag = ENF_TAG(bit, kind, rule_tag_id(r, id)) };
	size_t toplen, plen, len = strlen(path);
	const char *last = memrchr(path, '/', len);
	uint64_t pass = stat_memo_pass();
	char buf[PATH_MAX];
	struct stat st;
	int ret;

	/* The rule before named a file in this same directory, known missing
	 * (below_missing()'s memory), and wrote its ancestors with this tag
	 * (anc_last): nothing to stat() or write, as the walk below would
	 * find (10,000 absent files below one directory: most of the cost
	 * here was finding that again). */
	if (last && len < sizeof(buf) && path[len - 1] != '/' && pass && bm_last.pass == pass &&
	    bm_last.len == (size_t)(last - path) && !memcmp(bm_last.dir, path, bm_last.len)) {
		size_t dl = bm_last.len;

		if (kind != ENF_KIND_FILE || (policy_rule_verdict(r) == ENF_ALLOW && !r->rights))
			return 0;
		if (anc_last.on && anc_last.len == dl + 1 && anc_last.tag == k.tag && anc_last.dir[dl] == '/' &&
		    !memcmp(anc_last.dir, path, dl) && !strcmp(anc_last.top, top))
			return 0;
	}
	toplen = strcmp(top, "/") ? strlen(top) : 0;
	/* the specificity of its path key (enf_path_val.plen) */
	plen = strlen(r->resolved ? r->resolved : r->path) + (r->dir ? 0 : 1);

	/* below a directory known missing in this reload: no stat() (a
	 * deny list of 10,000 absent files below one directory) */
	if (!below_missing(path) && stat(path, &st) == 0) {
		k.dev = kdev(st.st_dev);
		k.ino = st.st_ino;
		ret = inode_put_cond(fd, &k, r->id, policy_rule_verdict(r), r->cond, r->rights,
				     r->dir ? ENF_INO_DIR_RULE : ENF_INO_FILE_RULE,
				     (uint8_t)(plen > 255 ? 255 : plen));
		if (ret)
			return ret;
	}
	if (kind != ENF_KIND_FILE || (policy_rule_verdict(r) == ENF_ALLOW && !r->rights))
		return 0;
	/* the directories above it, the top included */
	size_t pl = strnlen(path, sizeof(buf));

	if (pl >= sizeof(buf))
		pl = sizeof(buf) - 1;         /* (as snprintf() would cut it) */
	if (pl > 1 && path[pl - 1] == '/')
		pl--;
	if (anc_last.on) {
		const char *slash = memrchr(path, '/', pl);
		size_t dl = slash ? (size_t)(slash - path) : 0;

		if (slash && anc_last.len == dl + 1 && anc_last.tag == k.tag && !memcmp(anc_last.dir, path, dl) &&
		    anc_last.dir[dl] == '/' && !strcmp(anc_last.top, top))
			return 0;     /* the same directories, written for this tag already */
		anc_last.len = 0;     /* set again once this walk has written them all */
	}
	memcpy(buf, path, pl);
	buf[pl] = 0;
	for (;;) {
		char *slash = strrchr(buf, '/');

		if (!slash || (slash == buf && buf[1] == 0) || strlen(buf) <= toplen)
			break;
		if (slash == buf)
			buf[1] = 0;
		else
			*slash = 0;
		if (strlen(buf) < toplen)
			break;
		/* each directory stat()ed once a reload; an ancestor put twice
		 * with one tag changes nothing the second time (its flag is set,
		 * a rule's verdict stays): "/" is written once, not per rule */
		if (stat_memo(buf, &st, true) == 0 && !stat_memo_put_once(buf, k.tag)) {
			k.dev = kdev(st.st_dev);
			k.ino = st.st_ino;
			ret = inode_put(fd, &k, r->id, ENF_ALLOW, ENF_INO_ANCESTOR);
			if (ret)
				return ret;
		}
	}
	if (anc_last.on && strlen(path) < sizeof(anc_last.dir) && strlen(top) < sizeof(anc_last.top)) {
		const char *slash;

		snprintf(buf, sizeof(buf), "%s", path);
		if (strlen(buf) > 1 && buf[strlen(buf) - 1] == '/')
			buf[strlen(buf) - 1] = 0;
		slash = strrchr(buf, '/');
		if (slash) {
			anc_last.len = (size_t)(slash - buf) + 1;     /* "/a/b/" of "/a/b/c" */
			memcpy(anc_last.dir, buf, anc_last.len);
			anc_last.tag = k.tag;
			snprintf(anc_last.top, sizeof(anc_last.top), "%s", top);
		}
	}
	return 0;
}

/*
 * Where rule r's target is seen from the host: its path as resolved at load
 * (root NULL), or resolved inside a container's root and prefixed by it.
 */
static int host_path(const char *root, const struct enf_rule *r, char *out, size_t outsz)
{
	char in[ENF_PATH_KEY_MAX];

	if (!root) {
		snprintf(out, outsz, "%s", r->resolved ? r->resolved : r->path);
		return 0;
	}
	if (policy_resolve_rule(root, r, in, sizeof(in)) < 0)
		return -1;
	snprintf(out, outsz, "%s%s", root, in);
	return 0;
}

/* stat PATH as seen from root (a directory fd: PATH and its symlinks
 * resolved inside it), or from enforcerd's own root (root < 0). */
static int stat_in(int root, const char *path, struct stat *st)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
	int fd, ret;

	if (root < 0)
		return stat(path, st);
	fd = (int)syscall(SYS_openat2, root, path, &how, sizeof(how));
	if (fd < 0)
		return -1;
	ret = fstat(fd, st);
	close(fd);
	return ret;
}

/*
 * Program conditions (`exe PATH`, `parent PATH`): the identity of each
 * program a policy names, with the mask of its classes; for the directory
 * form (`exe /usr/bin/`), the directory's (the BPF side walks up from the
 * program).  stat() follows symlinks, as exec does; a program that does
 * not exist now gets no entry (its allow rules match nothing, until a
 * reload finds it).  In a container's root (pod policies) the path is
 * opened inside that root (openat2 RESOLVE_IN_ROOT: its symlinks, the last
 * one too, followed there, an absolute one from the root, never above it).
 */
static int progs_fill(const struct enf_policy_src *p, int fd, uint32_t bit, uint32_t id,
		      const char *root, struct enf_errors *err)
{
	int rootfd = -1, ret = 0;

	if (root && p->nprogs &&
	    (rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return 0;       /* the root is gone: its programs match nothing */
	for (size_t c = 0; c < p->nprogs; c++) {
		struct enf_inode_key k = { .tag = ENF_TAG(bit, ENF_KIND_PROG, id) };
		struct enf_inode_val v = {};
		struct stat st;
		size_t n = strlen(p->progs[c]);
		bool dir = n > 1 && p->progs[c][n - 1] == '/';

		/* a program file; a directory for the form "exe /usr/bin/" */
		if (stat_in(rootfd, p->progs[c], &st) < 0 ||
		    (dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)))
			continue;
		k.dev = kdev(st.st_dev);
		k.ino = st.st_ino;
		if (bpf_map_lookup_elem(fd, &k, &v) < 0)
			memset(&v, 0, sizeof(v));
		v.progs |= 1u << c;
		if (bpf_map_update_elem(fd, &k, &v, BPF_ANY) < 0) {
			int e = errno;

			D.map_update_failures++;
			if (err)
				errors_add(err, p->file, 0, "program map update (%s): %s%s", p->progs[c],
					   strerror(e), e == E2BIG || e == ENOSPC ? " (map full)" : "");
			ret = -e;
			break;
		}
	}
	if (rootfd >= 0)
		close(rootfd);
	return ret;
}

/*
 * The identity tables of a policy's unix: rules with `exe` (ENF_UNIX_TABLE):
 * for each program class they name, that class's rules, then every unix:
 * rule without `exe` whose socket file no rule of the class names (as the
 * compiler does for names).  id: the policy's map id.
 */
static int unix_tables_fill(const struct enf_policy_src *p, int fd, uint32_t bit, uint32_t id,
			    const char *root, struct enf_errors *err)
{
	uint32_t unix_progs = 0;

	for (size_t j = 0; j < p->nrules; j++)
		if (p->rules[j].family == ENF_FAMILY_UNIX && p->rules[j].prog)
			unix_progs |= 1u << (p->rules[j].prog - 1);
	for (uint8_t cls = 1; cls <= ENF_PROG_CLASSES; cls++) {
		uint32_t tid = ENF_UNIX_TABLE(id, cls);

		if (!(unix_progs & (1u << (cls - 1))))
			continue;
		for (int pass = 0; pass < 2; pass++) {
			for (size_t j = 0; j < p->nrules; j++) {
				const struct enf_rule *r = &p->rules[j];
				struct enf_inode_key k = { .tag = ENF_TAG(bit, ENF_KIND_UNIX, tid) };
				struct enf_inode_val old;
				char path[PATH_MAX * 2];
				struct stat st;
				int ret;

				if (r->family != ENF_FAMILY_UNIX || !r->path || r->path[0] != '/' ||
				    r->prog != (pass ? 0 : cls) || host_path(root, r, path, sizeof(path)) < 0)
					continue;
				if (pass && stat(path, &st) == 0) {
					k.dev = kdev(st.st_dev);
					k.ino = st.st_ino;
					if (bpf_map_lookup_elem(fd, &k, &old) == 0 && old.rule_id < p->nrules &&
					    p->rules[old.rule_id].prog == cls)
						continue;     /* a rule of the class names this socket */
				}
				ret = inode_rule_put(fd, bit, tid, r, path, root ? root : "/");
				if (ret) {
					if (err)
						errors_add(err, p->file, r->line, "inode map update: %s%s",
							   strerror(-ret),
							   ret == -E2BIG || ret == -ENOSPC ? " (map full)" : "");
					return ret;
				}
			}
		}
	}
	return 0;
}

/* Files a deny, readonly or rights pattern (or one with a program
 * condition) matches at load, by identity. */
struct pat_expand {
	const struct enf_policy_src *p;
	const struct enf_compiled *c;
	const struct enf_rule *r;
	uint32_t id, bit, kind;
	int ino_fd;
	size_t budget;          /* directory entries still to look at */
	size_t rootlen;         /* a container's root before the paths (0: the host) */
	int ret;
};

#define PAT_EXPAND_BUDGET 10000 /* entries looked at per pattern */

/*
 * The regular files below dir (a host path ending in '/', `rel` below the
 * pattern's literal directory) that x->r matches and decides (no other
 * pattern and no literal rule below its directory comes first at that
 * path): their identity carries the pattern's verdict, so another name of
 * one (a hard link made before the load, a rename after it) is judged as
 * the file.  Only directories that may hold matches are entered, at most
 * ENF_PAT_DEPTH deep and PAT_EXPAND_BUDGET entries per pattern.
 */
static void pattern_expand(struct pat_expand *x, const char *dir, const char *glob, const char *rel,
			   int depth)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while (x->budget && !x->ret && (de = readdir(d))) {
		char sub[PATH_MAX], full[PATH_MAX];
		bool partial, hit;
		struct stat st;

		x->budget--;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", de->d_name) >= (int)sizeof(sub) ||
		    snprintf(full, sizeof(full), "%s%s", dir, de->d_name) >= (int)sizeof(full) - 1 ||
		    lstat(full, &st) < 0)
			continue;
		hit = pattern_match(glob, sub, &partial);
		if (hit && S_ISREG(st.st_mode) &&
		    pattern_best_prog(x->p, x->kind, full + x->rootlen, x->r->prog, x->r->parent) == x->r) {
			const struct enf_path_entry *e =
				pattern_lpm(x->c, ENF_TAG(0, x->kind, x->id), full + x->rootlen);
			/* a program's pattern: also its class's literal rules */
			const struct enf_path_entry *ec = !x->r->prog ? NULL :
				pattern_lpm(x->c, ENF_TAG(0, x->kind, rule_tag_id(x->r, x->id)),
					    full + x->rootlen);

			if ((!e || e->v.plen < pattern_plen(x->r)) && (!ec || ec->v.plen < pattern_plen(x->r))) {
				/* a program's pattern: under its class's tag, found by the
				 * search of rules with a program condition (prog.bpf.c) */
				struct enf_inode_key k = { .tag = ENF_TAG(x->bit, x->kind, rule_tag_id(x->r, x->id)),
							   .dev = kdev(st.st_dev), .ino = st.st_ino };

				x->ret = inode_put_cond(x->ino_fd, &k, x->r->id, policy_rule_verdict(x->r),
							x->r->cond, x->r->rights, ENF_INO_FILE_RULE,
							pattern_plen(x->r));
			}
		}
		if (S_ISDIR(st.st_mode) && (hit || partial) && depth < ENF_PAT_DEPTH) {
			strcat(full, "/");
			pattern_expand(x, full, glob, sub, depth + 1);
		}
	}
	closedir(d);
}

/* One pattern on its way to the map: its anchor (the deepest directory of
 * its literal directory that exists now) and its glob below that. */
struct pat_fill {
	const struct enf_rule *r;
	uint64_t dev, ino;
	char glob[ENF_PAT_GLOB];
	bool done;
};

/* The next free index of each half of the patterns map: patterns_fill
 * starts a half afresh, pod_paths_fill adds containers' anchors after it
 * (at load and at each bind, in the live half). */
static uint32_t pat_next[2];

/* The literal rules of each half, as compiled (paths by key): what a
 * container's pattern overrides by path (pattern_cover) at a bind. */
static struct {
	struct enf_path_entry *paths;
	size_t n;
} half_rules[2];

/*
 * ENF_PAT_NAME_ONLY for the file patterns of one anchor (f[j]'s identity):
 * each glob is `**` and one last name with no `**` ("**" then "*.key" below
 * the anchor "/data/"), and no other file rule of the policy names a path
 * below the anchor (a literal rule's path, a pattern's literal directory:
 * as written, or resolved at load or in the container's root), so that
 * what decides for a file below the anchor is its last name, whatever the
 * names of the directories between: renaming one of them within its
 * parent changes no verdict (bpf-lsm/pattern.bpf.c, pat_next).  Anything
 * else keeps the directories below the anchor from renames.
 */
static bool glob_name_only(const char *g)
{
	return !strncmp(g, "**/", 3) && g[3] && !strchr(g + 3, '/') && !strstr(g + 3, "**");
}

static bool anchor_name_only(const struct enf_policy_src *p, const struct pat_fill *f, size_t n, size_t j,
			     const char *root)
{
	const struct enf_rule *r = f[j].r;
	const char *path = r->resolved ? r->resolved : r->path;
	char anchor[ENF_PATH_KEY_MAX], in[ENF_PATH_KEY_MAX];
	size_t pl = strlen(path), gl = strlen(f[j].glob), al;

	if (rule_path_kind(r) != ENF_KIND_FILE || gl >= pl)
		return false;
	for (size_t m = j; m < n; m++)
		if (rule_path_kind(f[m].r) == ENF_KIND_FILE && f[m].dev == f[j].dev && f[m].ino == f[j].ino &&
		    !glob_name_only(f[m].glob))
			return false;
	/* the anchor's path: the pattern's path without its glob ("/data/") */
	al = pl - gl;
	snprintf(anchor, sizeof(anchor), "%.*s", (int)al, path);
	if (al == 0 || anchor[al - 1] != '/')
		return false;
	for (size_t k = 0; k < p->nrules; k++) {
		const struct enf_rule *l = &p->rules[k];
		const char *keys[2] = { l->path, l->resolved };

		if (l->hook != ENF_HOOK_FILE || !l->path || l->path[0] != '/')
			continue;
		if (root && !l->pattern) {
			/* a pod rule: where it lies in this container's root */
			if (policy_resolve_rule(root, l, in, sizeof(in)) < 0)
				return false;
			keys[1] = in;
		}
		for (int q = 0; q < 2; q++) {
			/* a pattern: its literal directory (a deeper one outranks
			 * this anchor's patterns: an allow of "*.key" in /data/a/new/) */
			size_t kl = !keys[q] ? 0 : l->pattern ? pattern_glob_start(keys[q]) : strlen(keys[q]);

			if (kl > al && !strncmp(keys[q], anchor, al))
				return false;
		}
	}
	return true;
}

/*
 * The glob patterns of policy p (map id `id`): each anchored at the
 * identity of its literal directory (or, when that does not exist yet, of
 * its deepest existing ancestor, the missing names joining the glob), the
 * anchor's patterns most specific first (pattern_cmp) in the patterns
 * map's half `bit`, and for deny, readonly and rights patterns the anchor
 * and the directories above it marked as ancestors (not renamed or
 * removed).  root: NULL for a host policy (paths resolved at load); for a
 * pod policy, a container's root, inside which each pattern's literal
 * directory is resolved as the container sees it (as literal pod rules
 * are), never above that root; an anchor that already has this policy's
 * patterns (an earlier bind of the container) is left as it is.
 */
static int pol_patterns_fill(const struct enf_policy_src *p, const struct enf_compiled *c, uint32_t id,
			     const char *root, int ino_fd, int pat_fd, uint32_t bit, struct enf_errors *err)
{
	const struct enf_rule *list[POLICY_PATTERNS_MAX];
	struct pat_fill f[POLICY_PATTERNS_MAX];
	struct enf_rule *crules = NULL;
	struct enf_policy_src cp;
	uint8_t pflags = 0;     /* ENF_PAT_PROGS, _DIRS, _ANY_PARENT of the policy */
	size_t n = 0, rootlen = 0;
	int ret = 0;

	if (root) {
		rootlen = strlen(root);
		while (rootlen > 0 && root[rootlen - 1] == '/')
			rootlen--;
		/* the policy as this container sees it: each pattern's literal
		 * directory resolved inside the root, its glob kept */
		crules = calloc(p->nrules ? p->nrules : 1, sizeof(*crules));
		if (!crules)
			return -ENOMEM;
		memcpy(crules, p->rules, p->nrules * sizeof(*crules));
		cp = *p;
		cp.rules = crules;
		for (size_t j = 0; j < p->nrules; j++) {
			struct enf_rule *r = &crules[j], d = { .dir = true };
			char in[ENF_PATH_KEY_MAX], dir[PATH_MAX];
			size_t gs;

			r->resolved = NULL;
			if (!r->pattern || !r->path || r->path[0] != '/')
				continue;
			gs = pattern_glob_start(r->path);
			snprintf(dir, sizeof(dir), "%.*s", (int)gs, r->path);
			d.path = dir;
			if (policy_resolve_rule(root, &d, in, sizeof(in)) < 0 ||
			    strlen(in) + strlen(r->path + gs) + 1 > ENF_PATH_KEY_MAX) {
				if (err)
					errors_add(err, p->file, r->line,
						   "pattern's directory not resolved in container root %s (too long, or too many symbolic links)",
						   root);
				ret = -ENAMETOOLONG;
				goto out;
			}
			if (asprintf(&r->resolved, "%s%s", in, r->path + gs) < 0) {
				r->resolved = NULL;
				ret = -ENOMEM;
				goto out;
			}
		}
		p = &cp;
	}
	for (size_t j = 0; j < p->nrules && n < POLICY_PATTERNS_MAX; j++) {
		const struct enf_rule *r = &p->rules[j];

		if (!r->pattern)
			continue;
		list[n++] = r;
		if (r->prog)
			pflags |= ENF_PAT_PROGS | (r->parent ? ENF_PAT_ANY_PARENT : 0);
	}
	if (!n)
		goto out;
	/* the matcher walks up from the program when a class names a directory */
	for (size_t j = 0; (pflags & ENF_PAT_PROGS) && j < p->nprogs; j++)
		if (p->progs[j][0] && p->progs[j][strlen(p->progs[j]) - 1] == '/')
			pflags |= ENF_PAT_DIRS;
	qsort(list, n, sizeof(list[0]), pattern_cmp);
	for (size_t j = 0; j < n; j++) {
		const struct enf_rule *r = list[j];
		const char *path = r->resolved ? r->resolved : r->path;
		size_t gs = pattern_glob_start(path);
		char dir[PATH_MAX], rest[PATH_MAX];
		struct stat st;

		/* the host path: the container's root before it */
		snprintf(dir, sizeof(dir), "%.*s%.*s", (int)rootlen, root ? root : "", (int)gs, path);
		snprintf(rest, sizeof(rest), "%s", path + gs);
		/* the deepest existing directory of it ("/", a container's root exist) */
		while (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
			size_t dl = strlen(dir), cl, rl = strlen(rest);
			char *cut;

			if (dl <= rootlen + 1)
				break;
			dir[dl - 1] = 0;
			cut = strrchr(dir, '/');
			cl = strlen(cut + 1);
			if (cl + 1 + rl + 1 > sizeof(rest))
				break;          /* reported as too long below */
			memmove(rest + cl + 1, rest, rl + 1);
			memcpy(rest, cut + 1, cl);
			rest[cl] = '/';
			cut[1] = 0;
		}
		if (strlen(rest) + 1 > ENF_PAT_GLOB) {
			if (err)
				errors_add(err, p->file, r->line,
					   "pattern too long below its existing directory %s (max %d bytes)", dir,
					   ENF_PAT_GLOB - 1);
			ret = -EINVAL;
			goto out;
		}
		f[j].r = r;
		f[j].dev = kdev(st.st_dev);
		f[j].ino = st.st_ino;
		f[j].done = false;
		snprintf(f[j].glob, sizeof(f[j].glob), "%s", rest);
	}
	/* one range of the map per (kind, anchor), in the sorted order */
	for (size_t j = 0; j < n; j++) {
		uint32_t kind = rule_path_kind(f[j].r), base = bit * ENF_MAX_PATTERNS + pat_next[bit], cnt = 0;
		struct enf_inode_key k = { .tag = ENF_TAG(bit, kind, id), .dev = f[j].dev, .ino = f[j].ino };
		struct enf_inode_val v;
		bool name_only;

		if (f[j].done)
			continue;
		if (root && bpf_map_lookup_elem(ino_fd, &k, &v) == 0 && (v.flags & ENF_INO_PATTERNS)) {
			/* this container's anchor has them already (an earlier bind) */
			for (size_t m = j; m < n; m++)
				if (rule_path_kind(f[m].r) == kind && f[m].dev == f[j].dev && f[m].ino == f[j].ino)
					f[m].done = true;
			continue;
		}
		name_only = anchor_name_only(p, f, n, j, root);
		for (size_t m = j; m < n; m++) {
			const struct enf_rule *r = f[m].r;
			const char *path = r->resolved ? r->resolved : r->path;
			struct enf_pattern e = {};
			char dir[ENF_PATH_KEY_MAX], hdir[PATH_MAX];
			uint32_t idx = bit * ENF_MAX_PATTERNS + pat_next[bit];

			if (f[m].done || rule_path_kind(r) != kind || f[m].dev != f[j].dev ||
			    f[m].ino != f[j].ino)
				continue;
			f[m].done = true;
			if (cnt == ENF_PAT_PER_DIR || pat_next[bit] == ENF_MAX_PATTERNS) {
				if (err)
					errors_add(err, p->file, r->line, cnt == ENF_PAT_PER_DIR ?
						   "too many patterns below one directory (max %d)" :
						   "too many patterns in the policy set and its containers (max %d)",
						   cnt == ENF_PAT_PER_DIR ? ENF_PAT_PER_DIR : ENF_MAX_PATTERNS);
				ret = -E2BIG;
				goto out;
			}
			snprintf(dir, sizeof(dir), "%.*s", (int)pattern_glob_start(path), path);
			snprintf(hdir, sizeof(hdir), "%.*s%s", (int)rootlen, root ? root : "", dir);
			e.rule_id = r->id;
			e.cover = pattern_cover(c, ENF_TAG(0, kind, id), dir);
			e.verdict = policy_rule_verdict(r);
			e.cond = r->cond | (r->prog ? (r->parent ? ENF_COND_PARENT : ENF_COND_EXE) : 0);
			e.rights = r->rights;
			e.plen = pattern_plen(r);
			e.flags = (strstr(f[m].glob, "**") ? ENF_PAT_DEEP : 0) | pflags |
				  (r->parent ? ENF_PAT_PARENT : 0) | (name_only ? ENF_PAT_NAME_ONLY : 0);
			e.prog = r->prog;
			memcpy(e.glob, f[m].glob, sizeof(e.glob));
			if (bpf_map_update_elem(pat_fd, &idx, &e, BPF_ANY) < 0) {
				ret = -errno;
				D.map_update_failures++;
				if (err)
					errors_add(err, p->file, r->line, "pattern map update: %s", strerror(-ret));
				goto out;
			}
			pat_next[bit]++;
			cnt++;
			/* the files it matches now, by identity (hard links); a
			 * program's pattern, allow too: its class's entry beats, at
			 * equal specificity, the identity entry of a pattern
			 * without a condition (prog.bpf.c, enf_path_decide) */
			if (e.verdict != ENF_ALLOW || e.rights || r->prog) {
				struct pat_expand x = { .p = p, .c = c, .r = r, .id = id, .bit = bit,
							.kind = kind, .ino_fd = ino_fd,
							.budget = PAT_EXPAND_BUDGET, .rootlen = rootlen };

				pattern_expand(&x, hdir, path + pattern_glob_start(path), "", 0);
				if (x.ret) {
					ret = x.ret;
					D.map_update_failures++;
					if (err)
						errors_add(err, p->file, r->line, "inode map update: %s%s",
							   strerror(-x.ret), x.ret == -E2BIG || x.ret == -ENOSPC ?
							   " (map full)" : "");
					goto out;
				}
			}
			/* what a deny pattern covers: its directories stay where they
			 * are (up to the host's root, a container's) */
			if (kind == ENF_KIND_FILE && (e.verdict != ENF_ALLOW || e.rights)) {
				char up[PATH_MAX];
				struct stat st;

				snprintf(up, sizeof(up), "%s", hdir);
				for (;;) {
					size_t ul = strlen(up);
					char *slash;

					if (stat(up, &st) == 0) {
						struct enf_inode_key ak = k;

						/* a program's pattern: for that program only */
						ak.tag = ENF_TAG(bit, kind, rule_tag_id(r, id));
						ak.dev = kdev(st.st_dev);
						ak.ino = st.st_ino;
						ret = inode_put(ino_fd, &ak, r->id, ENF_ALLOW, ENF_INO_ANCESTOR);
						if (ret) {
							D.map_update_failures++;
							goto out;
						}
					}
					if (ul <= rootlen + 1)
						break;
					if (up[ul - 1] == '/')
						up[ul - 1] = 0;
					slash = strrchr(up, '/');
					slash[1] = 0;
				}
			}
		}
		if (bpf_map_lookup_elem(ino_fd, &k, &v) < 0)
			memset(&v, 0, sizeof(v));
		v.flags |= ENF_INO_PATTERNS;
		v.npat = (uint8_t)cnt;
		v.pat = (uint16_t)base;
		if (bpf_map_update_elem(ino_fd, &k, &v, BPF_ANY) < 0) {
			ret = -errno;
			D.map_update_failures++;
			if (err)
				errors_add(err, p->file, f[j].r->line, "inode map update: %s%s", strerror(-ret),
					   ret == -E2BIG || ret == -ENOSPC ? " (map full)" : "");
			goto out;
		}
	}
out:
	if (crules) {
		for (size_t j = 0; j < cp.nrules; j++)
			free(crules[j].resolved);
		free(crules);
	}
	return ret;
}

/* The patterns of every host policy, in half `bit` from its first index. */
static int patterns_fill(const struct enf_policy_set *set, const struct enf_compiled *c, int ino_fd,
			 int pat_fd, uint32_t bit, struct enf_errors *err)
{
	pat_next[bit] = 0;
	for (size_t i = 0; i < set->n; i++) {
		int ret;

		if (policy_is_pod(&set->pol[i]))
			continue;       /* in each container's root: pod_paths_fill */
		ret = pol_patterns_fill(&set->pol[i], c, c->ids[i], NULL, ino_fd, pat_fd, bit, err);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Inode identity of every exec/file rule target that exists now (hard links
 * and bind mounts reach the same inode), and of the directories above each
 * deny/readonly file rule (so they cannot be renamed away).  Pod policies
 * name paths inside containers: pod_paths_fill() does theirs.
 */
static int inodes_fill(const struct enf_policy_set *set, const struct enf_compiled *c, int fd,
		       int path_fd, uint32_t bit, struct enf_errors *err)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct enf_policy_src *p = &set->pol[i];

		for (size_t j = 0; j < p->nrules && !policy_is_pod(p); j++) {
			const struct enf_rule *r = &p->rules[j];
			int ret;

			if (rule_is_ip(r) || !(r->resolved ? r->resolved : r->path) || r->path[0] != '/' ||
			    (r->family == ENF_FAMILY_UNIX && r->prog))
				continue;
			ret = inode_rule_put(fd, bit, c->ids[i], r, r->resolved ? r->resolved : r->path, "/");
			if (ret) {
				errors_add(err, p->file, r->line, "inode map update: %s%s", strerror(-ret),
					   ret == -E2BIG || ret == -ENOSPC ? " (map full)" : "");
				return ret;
			}
		}
		if (!policy_is_pod(p)) {
			int ret = progs_fill(p, fd, bit, c->ids[i], NULL, err);

			if (!ret)
				ret = unix_tables_fill(p, fd, bit, c->ids[i], NULL, err);
			if (ret)
				return ret;
		}
		/* With [exec] default = deny, running the dynamic loader directly
		 * would run any file: deny it unless a rule names it exactly. */
		if (c->pols[i].deflt[ENF_HOOK_EXEC] == ENF_DENY) {
			static const char *loaders[] = { "/lib64/ld-linux-x86-64.so.2", "/lib/ld-linux.so.2",
							 "/lib/ld-musl-x86_64.so.1" };

			for (size_t l = 0; l < sizeof(loaders) / sizeof(loaders[0]); l++) {
				char real[PATH_MAX];
				struct enf_path_key pk = {};
				struct enf_path_val pv = { .rule_id = ENF_RULE_DEFAULT, .verdict = ENF_DENY };
				size_t n;

				if (!realpath(loaders[l], real) || (n = strlen(real)) + 1 > ENF_PATH_KEY_MAX)
					continue;
				pv.plen = (uint8_t)(n + 1);
				pk.tag = ENF_TAG(bit, ENF_KIND_EXEC, c->ids[i]);
				memcpy(pk.path, real, n + 1);
				pk.prefixlen = 32 + 8 * (n + 1);
				if (names_file(p, ENF_HOOK_EXEC, real))
					continue;     /* a rule names it: that rule decides */
				if (path_put(path_fd, &pk, &pv, BPF_ANY) < 0) {
					int e = errno;

					D.map_update_failures++;
					errors_add(err, p->file, 0, "loader deny map update: %s%s",
						   strerror(e), e == E2BIG || e == ENOSPC ? " (map full)" : "");
					return -e;
				}
			}
		}
	}
	return 0;
}

/*
 * Rules of a pod policy resolved inside a container's root, where that
 * differs from the path as written: extra LPM entries with the same verdict;
 * the identity of their targets there (exec, file and unix: rules: a
 * socket bind-mounted into the container is reached by its host file), of
 * the programs `exe` names and of the unix: tables of those programs.
 * A map update that fails stops here with its error (counted): the caller
 * does not bind, or does not switch, on a half-filled set.
 */
static int pod_paths_fill(const struct enf_policy_set *set, const uint32_t *ids,
			   const struct dyn_bind *dyn, size_t ndyn, int path_fd, int ino_fd, int pat_fd,
			   uint32_t bit)
{
	/* the literal rules as compiled in this half: what patterns override */
	struct enf_compiled hc = { .paths = half_rules[bit].paths, .npaths = half_rules[bit].n };

	for (size_t d = 0; d < ndyn; d++) {
		if (!dyn[d].root)
			continue;
		for (size_t i = 0; i < set->n; i++) {
			const struct enf_policy_src *p = &set->pol[i];

			if (!policy_is_pod(p) || !policy_matches_pod(p, dyn[d].ns, dyn[d].pod))
				continue;
			for (size_t j = 0; j < p->nrules; j++) {
				const struct enf_rule *r = &p->rules[j];
				struct enf_path_key k = {};
				struct enf_path_val v = { .rule_id = r->id, .verdict = policy_rule_verdict(r),
							  .cond = r->cond, .rights = r->rights };
				char out[ENF_PATH_KEY_MAX];
				size_t n;

				char host[PATH_MAX * 2];
				int ret;

				if (r->pattern ||       /* pol_patterns_fill, below */
				    ((r->hook != ENF_HOOK_EXEC && r->hook != ENF_HOOK_FILE) &&
				     (r->family != ENF_FAMILY_UNIX || r->prog || r->path[0] != '/')) ||
				    policy_resolve_rule(dyn[d].root, r, out, sizeof(out)) < 0)
					continue;
				/* identity of the container's own file, seen from the host */
				snprintf(host, sizeof(host), "%s%s", dyn[d].root, out);
				ret = inode_rule_put(ino_fd, bit, ids[i], r, host, dyn[d].root);
				if (ret) {
					D.map_update_failures++;
					return ret;
				}
				if (!strcmp(out, r->resolved ? r->resolved : r->path))
					continue;
				/* a rule with a program condition: under its class's tag */
				k.tag = ENF_TAG(bit, rule_path_kind(r), rule_tag_id(r, ids[i]));
				n = strlen(out);
				if (r->dir) {
					memcpy(k.path, out, n);        /* "/x/" prefix */
					k.prefixlen = 32 + 8 * n;
				} else {
					memcpy(k.path, out, n + 1);    /* exact, NUL included */
					k.prefixlen = 32 + 8 * (n + 1);
				}
				v.plen = (uint8_t)((k.prefixlen - 32) / 8);
				if (path_put(path_fd, &k, &v, BPF_NOEXIST) < 0 &&
				    errno != EEXIST) {
					D.map_update_failures++;
					return -errno;
				}
			}
			{
				/* progs_fill counts its own failure */
				int ret = progs_fill(p, ino_fd, bit, ids[i], dyn[d].root, NULL);

				if (ret)
					return ret;
				ret = unix_tables_fill(p, ino_fd, bit, ids[i], dyn[d].root, NULL);
				if (ret) {
					D.map_update_failures++;
					return ret;
				}
				/* its patterns, anchored in this container's root (counts
				 * its own failure) */
				ret = pol_patterns_fill(p, &hc, ids[i], dyn[d].root, ino_fd, pat_fd, bit, NULL);
				if (ret)
					return ret;
			}
		}
	}
	return 0;
}

/* One bound cgroup path and the policies bound to it. */
struct binding {
	const char *path;
	const char *file;     /* of the first policy, for messages */
	struct enf_bind b;
};

static int binding_add(struct binding **v, size_t *n, size_t *cap, const char *path,
		       const char *file, uint32_t id, struct enf_errors *err)
{
	size_t k;

	if (strlen(path) >= ENF_CG_PATH_MAX) {
		errors_add(err, file, 0, "cgroup path too long (max %d bytes): %s", ENF_CG_PATH_MAX - 1, path);
		return 0;
	}
	for (k = 0; k < *n; k++)
		if (!strcmp((*v)[k].path, path))
			break;
	if (k == *n) {
		if (*n == *cap) {
			struct binding *nv = realloc(*v, (*cap ? *cap * 2 : 16) * sizeof(**v));

			if (!nv)
				return -ENOMEM;
			*v = nv;
			*cap = *cap ? *cap * 2 : 16;
		}
		memset(&(*v)[*n], 0, sizeof((*v)[*n]));
		(*v)[*n].path = strdup(path);
		if (!(*v)[*n].path)
			return -ENOMEM;
		(*v)[*n].file = file;
		(*n)++;
	}
	for (uint32_t j = 0; j < (*v)[k].b.n; j++)
		if ((*v)[k].b.ids[j] == id)
			return 0;          /* bound twice (cgroup= and unit=): once is enough */
	if ((*v)[k].b.n >= ENF_MAX_BIND) {
		errors_add(err, file, 0, "more than %d policies bound to cgroup %s", ENF_MAX_BIND, path);
		return 0;
	}
	(*v)[k].b.ids[(*v)[k].b.n++] = id;
	return 0;
}

static void bindings_free(struct binding *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free((char *)v[i].path);
	free(v);
}

/* cgroup= paths, and the cgroups that exist now under each unit= name. */
static int bindings_build(const struct enf_policy_set *set, const struct enf_compiled *c,
			  const struct dyn_bind *dyn, size_t ndyn, struct binding **out, size_t *nout,
			  struct enf_errors *err)
{
	struct binding *v = NULL;
	size_t n = 0, cap = 0;
	int ret = 0;

	for (size_t i = 0; i < set->n && !ret; i++) {
		const struct enf_policy_src *p = &set->pol[i];

		for (size_t j = 0; j < p->ncgroups && !ret; j++)
			ret = binding_add(&v, &n, &cap, p->cgroups[j], p->file, c->ids[i], err);
		for (size_t j = 0; j < p->nunits && !ret; j++) {
			char **paths = NULL;
			size_t np = 0;

			if (strlen(p->units[j]) >= ENF_CG_NAME_MAX) {
				errors_add(err, p->file, 0, "unit name too long (max %d bytes): %s",
					   ENF_CG_NAME_MAX - 1, p->units[j]);
				continue;
			}
			if (cgroupfs_find_named(p->units[j], &paths, &np) < 0)
				continue;
			for (size_t k = 0; k < np; k++) {
				if (!ret)
					ret = binding_add(&v, &n, &cap, paths[k], p->file, c->ids[i], err);
				free(paths[k]);
			}
			free(paths);
		}
	}
	/* cgroups bound at run time (bind request) to pod policies; a pod's
	 * containers through their pod's cgroup (its own record) */
	for (size_t d = 0; d < ndyn && !ret; d++)
		for (size_t i = 0; i < set->n && !ret && !dyn[d].via_pod; i++)
			if (policy_matches_pod(&set->pol[i], dyn[d].ns, dyn[d].pod))
				ret = binding_add(&v, &n, &cap, dyn[d].cgpath, set->pol[i].file, c->ids[i], err);
	*out = v;
	*nout = n;
	if (ret)
		return ret;
	return err->n ? -EINVAL : 0;
}

/* unit= names -> policies, for cgroups of that name created from now on. */
static int names_fill(const struct enf_policy_set *set, const struct enf_compiled *c, int fd,
		      uint32_t bit, struct enf_errors *err)
{
	for (size_t i = 0; i < set->n; i++)
		for (size_t j = 0; j < set->pol[i].nunits; j++) {
			struct enf_cgname_key k = { .gen = bit };
			struct enf_bind b = {};

			strncpy(k.name, set->pol[i].units[j], sizeof(k.name) - 1);
			bpf_map_lookup_elem(fd, &k, &b);
			if (b.n >= ENF_MAX_BIND) {
				errors_add(err, set->pol[i].file, 0, "more than %d policies bound to unit %s",
					   ENF_MAX_BIND, k.name);
				return -E2BIG;
			}
			b.ids[b.n++] = c->ids[i];
			if (bpf_map_update_elem(fd, &k, &b, BPF_ANY) < 0) {
				int r = map_failed();

				errors_add(err, set->pol[i].file, 0, "unit binding map update: %s", strerror(-r));
				return r;
			}
		}
	return 0;
}

/* Put path (and, for a directory, the directories above it) into the
 * self-protection set: governed tasks may not write, rename or unlink it. */
static int self_put(int fd, uint32_t bit, const char *path, bool dir)
{
	struct enf_inode_key k = { .tag = ENF_TAG(bit, ENF_KIND_SELF, 0) };
	char buf[PATH_MAX];
	struct stat st;
	int ret;

	if (stat(path, &st) < 0)
		return 0;
	k.dev = kdev(st.st_dev);
	k.ino = st.st_ino;
	ret = inode_put(fd, &k, ENF_RULE_SELF, ENF_DENY, dir ? ENF_INO_DIR_RULE : ENF_INO_FILE_RULE);
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *slash; !ret && (slash = strrchr(buf, '/')) && !(slash == buf && buf[1] == 0);) {
		if (slash == buf)
			buf[1] = 0;
		else
			*slash = 0;
		if (stat(buf, &st) == 0) {
			k.dev = kdev(st.st_dev);
			k.ino = st.st_ino;
			ret = inode_put(fd, &k, ENF_RULE_SELF, ENF_ALLOW, ENF_INO_ANCESTOR);
		}
	}
	return ret;
}

/* enforcer's own files: policy directory, binaries, pins, audit log, and
 * the control socket's directory (the socket and the bindings file, which
 * is rewritten by a rename: a confined root could otherwise unlink the
 * socket and answer the OCI hook's `bind` in enforcerd's place, or edit
 * the bindings a restart reads back). */
static int self_fill(int fd, uint32_t bit)
{
	char exe[PATH_MAX], ctl[PATH_MAX + 16];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int ret = 0;

	if (n > 0) {
		exe[n] = 0;
		ret = self_put(fd, bit, exe, false);
		snprintf(ctl, sizeof(ctl), "%.*s/enforcerctl", (int)(strrchr(exe, '/') - exe), exe);
		if (!ret)
			ret = self_put(fd, bit, ctl, false);
	}
	if (!ret) {
		char real[PATH_MAX];

		ret = self_put(fd, bit, realpath(D.policy_dir, real) ? real : D.policy_dir, true);
	}
	if (!ret && D.pin_dir)
		ret = self_put(fd, bit, D.pin_dir, true);
	if (!ret && strcmp(D.audit_path, "-"))
		ret = self_put(fd, bit, D.audit_path, false);
	if (!ret) {
		const char *slash = strrchr(D.socket_path, '/');
		char dir[PATH_MAX];

		if (slash && slash != D.socket_path) {
			snprintf(dir, sizeof(dir), "%.*s", (int)(slash - D.socket_path), D.socket_path);
			ret = self_put(fd, bit, dir, true);
		}
	}
	return ret;
}

/* The built-in runtimes: systemd's child before it execs a unit's program,
 * and the OCI runtimes' container init (found in PATH, as the daemon's
 * environment has it, and in the usual directories). */
static const char *const runtime_paths[] = {
	"/usr/lib/systemd/systemd", "/usr/lib/systemd/systemd-executor",
};
static const char *const runtime_names[] = { "runc", "crun" };
static const char runtime_dirs[] = "/usr/bin:/usr/sbin:/usr/local/bin:/usr/local/sbin:/bin:/sbin";

/* One runtime binary, PATH under root (see stat_in): its identity (setup
 * phase), protected from writes, its directories from renames. */
static int runtime_put(int fd, uint32_t bit, int root, const char *path)
{
	struct enf_inode_key k = { .tag = ENF_TAG(bit, ENF_KIND_RUNTIME, 0) };
	struct enf_inode_key sk = { .tag = ENF_TAG(bit, ENF_KIND_SELF, 0) };
	char real[PATH_MAX];
	struct stat st;
	int ret;

	if (root < 0) {
		if (!realpath(path, real))
			return 0;       /* not installed here */
	} else {
		snprintf(real, sizeof(real), "%s", path);
	}
	if (stat_in(root, real, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	k.dev = kdev(st.st_dev);
	k.ino = st.st_ino;
	ret = inode_put(fd, &k, ENF_RULE_SELF, ENF_ALLOW, ENF_INO_FILE_RULE);
	if (ret || root < 0)
		return ret ? ret : self_put(fd, bit, real, false);
	sk.dev = k.dev;
	sk.ino = k.ino;
	ret = inode_put(fd, &sk, ENF_RULE_SELF, ENF_DENY, ENF_INO_FILE_RULE);
	for (char *slash; !ret && (slash = strrchr(real, '/'));) {
		if (slash == real && !real[1])
			break;
		if (slash == real)
			real[1] = 0;
		else
			*slash = 0;
		if (stat_in(root, real, &st) == 0) {
			sk.dev = kdev(st.st_dev);
			sk.ino = st.st_ino;
			ret = inode_put(fd, &sk, ENF_RULE_SELF, ENF_ALLOW, ENF_INO_ANCESTOR);
		}
	}
	return ret;
}

/* The runtimes as seen from root (< 0: enforcerd's own root). */
static int runtimes_fill_in(int fd, uint32_t bit, int root)
{
	const char *path = root < 0 ? getenv("PATH") : NULL;
	char dirs[4096], cand[PATH_MAX];
	int ret = 0;

	if (D.nruntimes) {
		for (int i = 0; !ret && i < D.nruntimes; i++)
			ret = runtime_put(fd, bit, root, D.runtimes[i]);
		return ret;
	}
	for (size_t i = 0; !ret && i < sizeof(runtime_paths) / sizeof(runtime_paths[0]); i++)
		ret = runtime_put(fd, bit, root, runtime_paths[i]);
	snprintf(dirs, sizeof(dirs), "%s:%s", path ? path : "", runtime_dirs);
	for (char *save = NULL, *d = strtok_r(dirs, ":", &save); !ret && d; d = strtok_r(NULL, ":", &save)) {
		if (d[0] != '/')
			continue;       /* relative PATH entries are not trusted */
		for (size_t i = 0; !ret && i < sizeof(runtime_names) / sizeof(runtime_names[0]); i++) {
			snprintf(cand, sizeof(cand), "%s/%s", d, runtime_names[i]);
			ret = runtime_put(fd, bit, root, cand);
		}
	}
	return ret;
}

/*
 * The runtimes of enforcerd's root, and, when enforcerd runs in a container
 * (the DaemonSet: hostPID, its own root), those of the host's root (PID 1's,
 * /proc/1/root): containerd's runc is the host's binary.
 */
static int runtimes_fill(int fd, uint32_t bit)
{
	struct stat self, host;
	int ret = runtimes_fill_in(fd, bit, -1), root;

	if (ret || stat("/", &self) < 0 || stat("/proc/1/root/", &host) < 0 ||
	    (self.st_dev == host.st_dev && self.st_ino == host.st_ino))
		return ret;
	root = open("/proc/1/root", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return 0;
	ret = runtimes_fill_in(fd, bit, root);
	close(root);
	return ret;
}

void policy_apply_adopted(void)
{
	memset(half_ids, 1, sizeof(half_ids));
}

/* What each half was last filled with (fill_digest.c: the digest of its
 * fill, and the compiled set); half_ok[b]: valid (a whole fill by this
 * process, and nothing written into the half since but by the BPF side). */
static uint64_t half_digest[2];
static bool half_ok[2];
static struct enf_compiled half_comp[2];

static void comp_free(struct enf_compiled *c)
{
	free(c->paths);
	free(c->nets);
	free(c->pols);
	free(c->ids);
	memset(c, 0, sizeof(*c));
}

static bool comp_same(const struct enf_compiled *a, const struct enf_compiled *b)
{
	if (a->serial && a->serial == b->serial)
		return true;       /* copies of one compile (10,000 rules: 2.7 MB not compared) */
	return a->npaths == b->npaths && a->nnets == b->nnets && a->npols == b->npols &&
	       (!a->npaths || !memcmp(a->paths, b->paths, a->npaths * sizeof(*a->paths))) &&
	       (!a->nnets || !memcmp(a->nets, b->nets, a->nnets * sizeof(*a->nets))) &&
	       (!a->npols || (!memcmp(a->pols, b->pols, a->npols * sizeof(*a->pols)) &&
			      !memcmp(a->ids, b->ids, a->npols * sizeof(*a->ids))));
}

/* *a: n bytes of src, in the array *a held before (reallocated: its pages
 * are in memory already); 0, or -1 (*a unchanged). */
static int keep_bytes(void **a, const void *src, size_t n)
{
	void *p = realloc(*a, n ? n : 1);

	if (!p)
		return -1;
	if (n)
		memcpy(p, src, n);
	*a = p;
	return 0;
}

static int comp_keep(struct enf_compiled *to, const struct enf_compiled *c)
{
	if (keep_bytes((void **)&to->paths, c->paths, c->npaths * sizeof(*c->paths)) ||
	    keep_bytes((void **)&to->nets, c->nets, c->nnets * sizeof(*c->nets)) ||
	    keep_bytes((void **)&to->pols, c->pols, c->npols * sizeof(*c->pols)) ||
	    keep_bytes((void **)&to->ids, c->ids, c->npols * sizeof(*c->ids))) {
		comp_free(to);
		return -ENOMEM;
	}
	to->npaths = c->npaths;
	to->nnets = c->nnets;
	to->npols = c->npols;
	to->serial = c->serial;
	return 0;
}

/* The maps a generation's half is written into (descriptors). */
struct half_maps {
	int path, exact, net, pol, cg, cgpath, ino, cgname;
};

static struct half_maps half_maps_get(void)
{
	struct enforcer_bpf *skel = D.skel;

	return (struct half_maps){
		.path = bpf_map__fd(skel->maps.path_rules),
		.exact = bpf_map__fd(skel->maps.path_exact),
		.net = bpf_map__fd(skel->maps.net_rules),
		.pol = bpf_map__fd(skel->maps.policies),
		.cg = bpf_map__fd(skel->maps.cg_bind),
		.cgpath = bpf_map__fd(skel->maps.cgpath_bind),
		.ino = bpf_map__fd(skel->maps.inode_rules),
		.cgname = bpf_map__fd(skel->maps.cgname_bind),
	};
}

/*
 * Fill half bit with the compiled set c (policies, path and connect rules:
 * not in the digest, compared as c by the caller) and with what the file
 * system and the cgroups say now (identities, patterns, self-protection,
 * runtimes, unit names, bindings: in the digest), then bind.  A dry fill
 * (fill_digest_dry()) writes nothing: it skips the compiled part and the
 * half_ids / half_paths records, and its map writes only make the digest.
 */
static int fill_half(const struct enf_policy_set *set, const struct enf_compiled *c,
		     const uint32_t *hits_base, const uint32_t *hits_n, const struct dyn_bind *dyn,
		     size_t ndyn, uint32_t bit, struct path_split *ps, struct enf_errors *err)
{
	struct enforcer_bpf *skel = D.skel;
	struct half_maps m = half_maps_get();
	bool dry = fill_digest_dry();
	struct binding *binds = NULL;
	size_t nbinds = 0;
	int ret = 0;

	stat_memo_forget_puts();    /* a dry fill's puts are not in this one */
	anc_last.on = true;         /* nor its walks */
	anc_last.len = 0;
	fill_digest_pause(true);
	for (size_t i = 0; !dry && i < c->npols; i++) {
		__u32 idx = bit * ENF_MAX_POLICIES + c->ids[i];
		struct enf_policy pv = c->pols[i];

		pv.hits_base = hits_base[i];
		pv.hits_n = hits_n[i];

		if (policy_is_pod(&set->pol[i]))
			pv.flags |= ENF_POL_POD;
		if (policy_is_hostwide(&set->pol[i]))
			pv.flags |= ENF_POL_HOSTWIDE;
		if (bpf_map_update_elem(m.pol, &idx, &pv, BPF_ANY) < 0) {
			ret = map_failed();
			errors_add(err, set->pol[i].file, 0, "policy map update: %s", strerror(errno));
			goto out;
		}
		half_ids[bit][c->ids[i]] = 1;
	}
	if (!dry && paths_fill(m.path, ps, bit) < 0) {
		ret = map_failed();
		errors_add(err, "enforcerd", 0, "path rule map update (%zu rules): %s%s", c->npaths,
			   strerror(errno), errno == E2BIG || errno == ENOSPC ? " (map full)" : "");
		goto out;
	}
	for (size_t i = 0; !dry && i < c->nnets; i++) {
		struct enf_net_key k = c->nets[i].k;

		k.tag |= bit << 31;
		if (bpf_map_update_elem(m.net, &k, &c->nets[i].v, BPF_ANY) < 0) {
			ret = map_failed();
			errors_add(err, "enforcerd", 0, "connect rule map update (%zu prefixes): %s%s",
				   c->nnets, strerror(errno),
				   errno == E2BIG || errno == ENOSPC ? " (map full)" : "");
			goto out;
		}
	}
	/* The id bindings of the half go once the grace period begun when its
	 * path bindings went has passed (no cgroup_mkdir program still copies
	 * an old one): it passed while the rules above were cleared and
	 * written.  The binding writes below come after. */
	if (!dry && ((ret = grace_since_begin()) ||
		     (ret = clear_half(m.cg, sizeof(struct enf_cg_key), cg_in_half, bit)) ||
		     (ret = unbound_clear_half(bpf_map__fd(skel->maps.cg_unbound), bit)))) {
		errors_add(err, "enforcerd", 0, "clearing the inactive maps: %s", strerror(-ret));
		goto out;
	}
	fill_digest_pause(false);
	ret = inodes_fill(set, c, m.ino, m.path, bit, err);
	if (!ret)
		ret = patterns_fill(set, c, m.ino, bpf_map__fd(skel->maps.patterns), bit, err);
	if (!ret && (ret = self_fill(m.ino, bit)))
		errors_add(err, "enforcerd", 0, "self-protection map update: %s", strerror(-ret));
	if (!ret && (ret = runtimes_fill(m.ino, bit)))
		errors_add(err, "enforcerd", 0, "runtime identity map update: %s", strerror(-ret));
	if (!ret)
		ret = names_fill(set, c, m.cgname, bit, err);
	/* unit= cgroups created since the caller's first scan: the inactive
	 * half has its names now, so the mkdir program binds every cgroup
	 * created from here on in it, and this scan finds every one created
	 * before: none is left out of the new half */
	if (!ret)
		ret = bindings_build(set, c, dyn, ndyn, &binds, &nbinds, err);
	if (!ret && !dry) {
		/* the literal rules of this half, for containers bound later
		 * (a half switched to unchanged keeps its own: the same rules) */
		/* (into the half's array before, reallocated: its pages are
		 * in memory already, 2.6 MB for 10,000 rules) */
		struct enf_path_entry *cp = realloc(half_rules[bit].paths, (c->npaths ? c->npaths : 1) * sizeof(*cp));

		if (!cp) {
			ret = -ENOMEM;
			errors_add(err, "enforcerd", 0, "out of memory");
		} else {
			memcpy(cp, c->paths, c->npaths * sizeof(*cp));
			half_rules[bit].paths = cp;
			half_rules[bit].n = c->npaths;
		}
	}
	if (!ret && (ret = pod_paths_fill(set, c->ids, dyn, ndyn, m.path, m.ino,
					  bpf_map__fd(skel->maps.patterns), bit)))
		errors_add(err, "enforcerd", 0, "container path map update: %s%s", strerror(-ret),
			   ret == -E2BIG || ret == -ENOSPC ? " (map full)" : "");
	if (ret)
		goto out;

	/* 4. Bind by path first (cgroups created from now on), then by id
	 * (cgroups that exist): together no cgroup is missed. */
	for (size_t i = 0; i < nbinds; i++) {
		struct enf_cgpath_key pk = { .gen = bit };
		struct enf_cg_key ck = { .gen = bit };

		strncpy(pk.path, binds[i].path, sizeof(pk.path) - 1);
		if (bpf_map_update_elem(m.cgpath, &pk, &binds[i].b, BPF_ANY) < 0) {
			ret = map_failed();
			errors_add(err, binds[i].file, 0, "cgroup binding map update: %s", strerror(errno));
			goto out;
		}
		uint64_t cgid;

		if (cgroupfs_id(binds[i].path, &cgid) < 0)
			continue;   /* pending: bound by path when it appears */
		ck.cgid = cgid;
		if (bpf_map_update_elem(m.cg, &ck, &binds[i].b, BPF_ANY) < 0) {
			ret = map_failed();
			errors_add(err, binds[i].file, 0, "cgroup binding map update: %s", strerror(errno));
			goto out;
		}
	}
out:
	anc_last.on = false;
	fill_digest_pause(false);
	bindings_free(binds, nbinds);
	return ret;
}

int policy_apply(const struct enf_policy_set *set, const struct enf_compiled *c, const bool *hits_kept,
		 const struct dyn_bind *dyn, size_t ndyn, uint64_t *generation, bool *unchanged,
		 struct enf_errors *err)
{
	static uint32_t hits_base[ENF_MAX_POLICIES], hits_n[ENF_MAX_POLICIES];
	struct enforcer_bpf *skel = D.skel;
	struct half_maps m = half_maps_get();
	uint64_t next = *generation + 1, digest;
	uint32_t bit = next & 1;
	struct binding *binds = NULL;
	struct path_split ps = {};
	size_t nbinds = 0, kept, ekept;
	int ret;

	stat_memo_begin();   /* each directory stat()ed once by this reload */
	if (unchanged)
		*unchanged = false;
	/* 0. Nothing changed?  When a half holds this very set already (the
	 * same compiled rules, every policy keeping its rules and rule hit
	 * counters, and a dry fill from the file system and cgroups as they
	 * are now writing exactly what that half was filled with), nothing is
	 * cleared or written (no cgroup left unbound by the mkdir program
	 * either, whose retry is a fill's job).  The live half first: then the
	 * reload changes nothing at all, not even the generation (enforcement
	 * stays exactly as it was: no switch, no grace period, no cache
	 * forgotten).  Else the half to be filled: the switch alone. */
	for (int h = 0; unchanged && h < 2 && *generation && !skel->bss->enf_unbound_n; h++) {
		uint32_t b = h ? bit : bit ^ 1;      /* live, then inactive */
		size_t nerr = err->n;
		bool kept = true;

		if (!half_ok[b] || !comp_same(c, &half_comp[b]))
			continue;
		for (size_t i = 0; i < set->n; i++)
			kept &= hits_kept[i];
		if (!kept)
			break;
		fill_digest_begin(true, m.path);
		ret = fill_half(set, c, NULL, NULL, dyn, ndyn, b, NULL, err);
		digest = fill_digest_end();
		if (!ret && digest == half_digest[b]) {
			*unchanged = true;
			if (b == bit)
				goto flip;
			ret = 0;          /* the live half: no switch */
			goto out;
		}
		while (err->n > nerr)      /* the fill below says it again */
			free(err->msg[--err->n]);
	}

	ret = bindings_build(set, c, dyn, ndyn, &binds, &nbinds, err);
	if (ret)
		goto out;

	/* 1. Nothing may still be reading the half we are about to rewrite:
	 * a grace period since the switch to the live half (the one the
	 * reload began while it parsed, else one now). */
	ret = grace_since_begin();
	if (ret) {
		errors_add(err, "enforcerd", 0, "waiting for a grace period: %s", strerror(-ret));
		goto out;
	}
	/* garbage whose deletion failed: its half is walked at its next clear */
	for (uint32_t f = garbage_failed_take(), h = 0; h < 2; h++)
		if (f & (1u << h))
			half_paths[h].known = half_exact[h].known = false;
	/* 2. Clear it.  Path bindings first, then (after a grace period, so
	 * no cgroup_mkdir program still copies an old one) id bindings; that
	 * grace period runs while the rules are cleared and the new ones
	 * written (fill_half() clears the id bindings). */
	half_ok[bit] = false;
	/* the new path rules, split by map, and which of them the half holds */
	if ((ret = path_split(c, bit, &ps))) {
		errors_add(err, "enforcerd", 0, "out of memory");
		goto out;
	}
	kept = lit_keep(&half_paths[bit], &lit_paths[bit], ps.keys, ps.vals, ps.n, ps.keep, true);
	ekept = lit_keep(&half_exact[bit], &lit_exact[bit], ps.ekeys, ps.evals, ps.ne, ps.ekeep, false);
	lit_paths[bit].valid = lit_exact[bit].valid = false;
	/* none kept: the half's path entries become garbage (the next epoch);
	 * else they are cleared, with the room the garbage takes made first if
	 * the new set may not fit beside it */
	if (!kept && !ekept && epoch_fits(bit, &ps))
		epoch_next(bit, &ps);
	else if (garbage_pending(-1) && !paths_fit(ps.n, ps.ne))
		garbage_drain();
	if ((ret = ungov_clear(bit)) ||
	    (ret = clear_half(m.cgpath, sizeof(struct enf_cgpath_key), cgpath_in_half, bit)) ||
	    (ret = clear_half(m.cgname, sizeof(struct enf_cgname_key), cgpath_in_half, bit)) ||
	    (policy_grace_begin(), (ret = kept_clear_half(m.path, &half_paths[bit], path_in_half, bit, ps.keys,
							  ps.n, ps.keep, kept))) ||
	    (ret = kept_clear_half(m.exact, &half_exact[bit], exact_in_half, bit, ps.ekeys, ps.ne, ps.ekeep,
				   ekept)) ||
	    (ret = clear_half(m.net, sizeof(struct enf_net_key), net_in_half, bit)) ||
	    (rt_bloom_clear(bit), (ret = recorded_clear_half(m.ino, &half_inos[bit], inode_in_half, bit, true)))) {
		errors_add(err, "enforcerd", 0, "clearing the inactive maps: %s", strerror(-ret));
		goto out;
	}
	for (uint32_t id = 0; id < ENF_MAX_POLICIES; id++) {
		if (!half_ids[bit][id])
			continue;
		struct enf_policy zero = {};
		__u32 idx = bit * ENF_MAX_POLICIES + id;

		if (bpf_map_update_elem(m.pol, &idx, &zero, BPF_ANY) < 0) {
			ret = -errno;
			D.map_update_failures++;
			errors_add(err, "enforcerd", 0, "clearing a policy slot: %s", strerror(-ret));
			goto out;
		}
		half_ids[bit][id] = 0;
	}

	/* 3. Fill it: each policy's rule hit counters first (kept, or fresh
	 * ones that no live policy counts in), then the policies, rules,
	 * identities and (4.) the bindings. */
	ret = rule_slots_assign(bit ^ 1, half_ids[bit ^ 1], set, c, hits_kept, hits_base, hits_n);
	if (ret) {
		errors_add(err, "enforcerd", 0, "rule hit counters: %s", strerror(-ret));
		goto out;
	}
	fill_digest_begin(false, m.path);
	ret = fill_half(set, c, hits_base, hits_n, dyn, ndyn, bit, &ps, err);
	digest = fill_digest_end();
	if (ret)
		goto out;

	half_digest[bit] = digest;
	half_ok[bit] = comp_keep(&half_comp[bit], c) == 0;
flip:
	/* 5. The switch: one atomic store, seen whole by every hook. */
	__atomic_store_n(&skel->bss->enf_generation, next, __ATOMIC_SEQ_CST);
	*generation = next;
	ret = 0;
out:
	policy_grace_end();      /* none begun before this call outlives it */
	/* but the next reload's: the half just switched away from is the one
	 * it writes, once a grace period from now has passed; begun here, it
	 * passes while enforcerd waits for that reload (which ends it, or
	 * waits for what is left of it) */
	if (!ret && *generation == next)
		policy_grace_begin();
	stat_memo_end();
	bindings_free(binds, nbinds);
	path_split_free(&ps);
	return ret;
}

static void cache_drop_one(uint64_t id, void *ctx)
{
	volatile __u64 *w = D.skel->bss->enf_ungov;

	bpf_map_delete_elem(*(int *)ctx, &id);
	/* the ungoverned filter's word in both halves, if it holds this id
	 * (ungov_word, govern.bpf.h: the parity flips the index's low bit) */
	for (__u32 bit = 0; bit < 2; bit++) {
		__u64 v = id;

		__atomic_compare_exchange_n(&w[(id ^ bit) & (2 * ENF_UNGOV_SLOTS - 1)], &v, 0,
					    false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	}
}

/* Forget the cached verdicts ("ungoverned" included) of cgroup cgpath and of
 * every cgroup below it.  The caller has waited for every hook that may have
 * read the bindings as they were to finish (an RCU grace period since its
 * last binding write): a binding made live above them is then seen by the
 * next hook.  Their ungoverned-filter slots (enf_ungov) go with them: the
 * BPF side fills a slot only from bindings it has just read, so no hook can
 * store an old answer after this.  When the subtree cannot be walked, the
 * whole cache goes. */
static void cache_drop_subtree(const char *cgpath)
{
	int fd = bpf_map__fd(D.skel->maps.cg_cache);

	if (cgroupfs_each_below(cgpath, cache_drop_one, &fd) < 0) {
		uint64_t k, next;

		while (bpf_map_get_next_key(fd, NULL, &next) == 0) {
			k = next;
			if (bpf_map_delete_elem(fd, &k) < 0)
				break;
		}
		if (ungov_clear(2) < 0)
			D.map_update_failures++;
	}
}

/* Add the policies of want to those of b (a union, each once); -E2BIG when
 * they do not fit.  *changed: something was added. */
static int bind_union(struct enf_bind *b, const struct enf_bind *want, bool *changed)
{
	*changed = false;
	for (uint32_t i = 0; i < want->n; i++) {
		bool have = false;

		for (uint32_t j = 0; j < b->n; j++)
			have |= b->ids[j] == want->ids[i];
		if (have)
			continue;
		if (b->n >= ENF_MAX_BIND)
			return -E2BIG;
		b->ids[b->n++] = want->ids[i];
		*changed = true;
	}
	return 0;
}

/* Cgroup cgpath, if it exists, gets the policies of want on top of those it
 * has (cg_bind of the live half bit: a cgroup= or unit= binding, an earlier
 * bind, or what the mkdir program gave it).  Returns 0 when there is no
 * such cgroup, 1 when it has them all already, 2 when its binding was
 * written, or -errno. */
static int cg_bind_add(const char *cgpath, uint32_t bit, const struct enf_bind *want)
{
	int fd = bpf_map__fd(D.skel->maps.cg_bind);
	struct enf_cg_key ck = { .gen = bit };
	struct enf_bind eb = {};
	uint64_t cgid;
	bool changed;
	int ret;

	if (cgroupfs_id(cgpath, &cgid) < 0)
		return 0;       /* not (yet) there: the mkdir program binds it */
	ck.cgid = cgid;
	if (bpf_map_lookup_elem(fd, &ck, &eb) < 0)
		memset(&eb, 0, sizeof(eb));
	ret = bind_union(&eb, want, &changed);
	if (ret)
		return ret;
	if (!changed)
		return 1;
	if (bpf_map_update_elem(fd, &ck, &eb, BPF_ANY) < 0)
		return map_failed();
	return 2;
}

/*
 * Apply one binding to the live generation now: container paths, path
 * binding, id binding; then drop the caches below it.
 *
 * The order closes the race with a mkdir of the cgroup: the path binding
 * (cgpath_bind, what the cgroup_mkdir program reads) is written before the
 * cgroup is looked up, so a cgroup made after the lookup is bound by the
 * program, and one made before it is found by the lookup.  A program that
 * read the binding maps before the write may still store its older set
 * into cg_bind after the lookup: once a grace period has passed every such
 * program has finished, so the cgroup is looked at again and, when it
 * lacks a policy, given it (a second grace period, then its subtree's
 * caches go again).  (The cgroup is visible to the lookup once its mkdir
 * activates it, right after the program: a mkdir held up between the two
 * for a whole grace period is not seen by the re-check.)
 */
static int apply_bind(const struct dyn_bind *b, const uint32_t *ids, size_t nids,
		      const struct dyn_bind *dyn, size_t ndyn)
{
	struct enforcer_bpf *skel = D.skel;
	uint32_t bit = D.generation & 1;
	struct enf_cgpath_key pk = { .gen = bit };
	struct enf_bind eb = {}, add = {};
	bool changed;
	int ret, fr, found;

	if (!D.generation)
		return 0;
	half_ok[bit] = false;   /* the live half changes: a reload to it fills */
	strncpy(pk.path, b->cgpath, sizeof(pk.path) - 1);
	if (nids > ENF_MAX_BIND)
		return -E2BIG;
	for (size_t i = 0; i < nids; i++)
		add.ids[add.n++] = ids[i];
	/* the path's binding: what is bound there already (a pending cgroup=,
	 * earlier binds) and the new policies */
	if (bpf_map_lookup_elem(bpf_map__fd(skel->maps.cgpath_bind), &pk, &eb) < 0)
		memset(&eb, 0, sizeof(eb));
	ret = bind_union(&eb, &add, &changed);
	if (ret)
		return ret;
	if (!eb.n)
		return 0;
	/* the cgroup's own binding must take them too: checked before any
	 * write, so a bind that cannot fit changes nothing */
	{
		struct enf_cg_key ck = { .gen = bit };
		struct enf_bind cb = {};
		uint64_t cgid;

		if (cgroupfs_id(b->cgpath, &cgid) == 0) {
			ck.cgid = cgid;
			if (bpf_map_lookup_elem(bpf_map__fd(skel->maps.cg_bind), &ck, &cb) == 0 &&
			    (ret = bind_union(&cb, &eb, &changed)))
				return ret;
		}
	}
	/* the containers' paths first: a binding never goes live without them
	 * (the maps full: again with the garbage of reloads gone, the room
	 * they had before it) */
	fr = pod_paths_fill(&D.cur, D.cur_ids, dyn, ndyn, bpf_map__fd(skel->maps.path_rules),
			    bpf_map__fd(skel->maps.inode_rules), bpf_map__fd(skel->maps.patterns), bit);
	if ((fr == -ENOSPC || fr == -E2BIG) && garbage_pending(-1)) {
		garbage_drain();
		fr = pod_paths_fill(&D.cur, D.cur_ids, dyn, ndyn, bpf_map__fd(skel->maps.path_rules),
				    bpf_map__fd(skel->maps.inode_rules), bpf_map__fd(skel->maps.patterns), bit);
	}
	if (fr)
		return fr;
	/* 1. the path binding: every mkdir program from here on reads it */
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.cgpath_bind), &pk, &eb, BPF_ANY) < 0)
		return map_failed();
	/* 2. then the cgroup, if it exists now: a union with what it has */
	found = cg_bind_add(b->cgpath, bit, &eb);
	if (found < 0)
		return found;
	/* 3. one grace period: no hook still reads the bindings as they were,
	 * no mkdir program that read them before step 1 still runs; the
	 * caches at and below the path go (after the binding, so a
	 * recomputation sees it: a pod's sandbox and containers cached
	 * "ungoverned" too).  A path with no cgroup yet has no caches. */
	if (policy_grace_period() < 0)
		D.map_update_failures++;
	if (found)
		cache_drop_subtree(b->cgpath);
	/* 4. a mkdir program that read the maps before step 1 may have
	 * stored its older set over step 2, or bound a cgroup step 2 did
	 * not see yet: look again, and where a policy is missing, add it,
	 * wait and drop the caches again */
	ret = cg_bind_add(b->cgpath, bit, &eb);
	if (ret == 2) {
		log_info("bind: %s: re-bound after a mkdir that raced with the bind", b->cgpath);
		if (policy_grace_period() < 0)
			D.map_update_failures++;
		cache_drop_subtree(b->cgpath);
	}
	return ret < 0 ? ret : 0;
}

/* ... and then (whatever it wrote, failed or not) no verdict cache entry
 * filled before can hit: a binding's container paths change its policies'
 * rules in the live generation, its cgroups' stacks change (vcache.bpf.h;
 * a fill reads the epoch before the maps, so one racing with this stores
 * the old epoch) */
int policy_apply_bind(const struct dyn_bind *b, const uint32_t *ids, size_t nids,
		      const struct dyn_bind *dyn, size_t ndyn)
{
	int ret = apply_bind(b, ids, nids, dyn, ndyn);

	__atomic_fetch_add(&D.skel->bss->enf_vcache_epoch, 1, __ATOMIC_SEQ_CST);
	return ret;
}

static int mark_cg_id(void *ctx, const char *cgpath, uint64_t *id)
{
	(void)ctx;
	return cgroupfs_id(cgpath, id);
}

static int mark_insert(void *ctx, uint64_t cgid)
{
	uint8_t one = 1;

	(void)ctx;
	if (bpf_map_update_elem(bpf_map__fd(D.skel->maps.setup_cg), &cgid, &one, BPF_NOEXIST) < 0)
		return errno == EEXIST ? -EEXIST : map_failed();
	return 0;
}

static int mark_remove(void *ctx, uint64_t cgid)
{
	(void)ctx;
	return bpf_map_delete_elem(bpf_map__fd(D.skel->maps.setup_cg), &cgid) < 0 ? -errno : 0;
}

/*
 * A container's cgroup at createRuntime (the OCI hook's bind pid=): its
 * runtime (runc, crun: run from a memfd or overlay copy of themselves, so
 * their binary's identity cannot say it) still mounts and pivots there.
 * Every task in it is in its setup phase until the first exec of a
 * workload in it (setup_cg, removed by the BPF side at that exec).
 * Counted before the insert (enf_setup_n never counts fewer: the BPF side
 * skips setup_cg at 0), uncounted if it was there already, and taken back
 * if the cgroup was removed while it was being marked (setup_mark.c).
 */
int policy_apply_mark_setup(const char *cgpath)
{
	const struct setup_mark_ops ops = {
		.cg_id = mark_cg_id, .insert = mark_insert, .remove = mark_remove,
		.count = &D.skel->bss->enf_setup_n,
	};

	return setup_mark(&ops, cgpath);
}
