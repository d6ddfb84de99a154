// SPDX-License-Identifier: GPL-2.0-only
/* test_setup_mark.c - setup_mark() (bind pid=: a container's cgroup marked
 * in setup_cg, counted in enf_setup_n) against a cgroup that disappears
 * while it is marked.  The map, the count and the cgroup's id are
 * simulated, and so is the BPF side's enf_cgroup_rmdir (which deletes the
 * entry and uncounts it only if its delete removed one).  Whatever the
 * interleaving, the count ends equal to the entries, and a cgroup that is
 * gone keeps no entry: the cgroup removed between the id's read and the
 * insert (its rmdir found nothing to delete) is the leak this catches. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "setup_mark.h"
#include "tap.h"

#define MAXE 8

struct sim {
	uint64_t ent[MAXE];             /* setup_cg: ids, 0 = free slot */
	volatile __u64 n;              /* enf_setup_n */
	uint64_t cg;                    /* the cgroup at the path: its id, 0 = none */
	int reads;                      /* cg_id calls so far */
	int rm_after_read;              /* rmdir once this many reads were made (0: never) */
	int rm_at_insert;               /* rmdir right after the insert */
	uint64_t recreate;              /* after a rmdir: a new cgroup at the path */
	int insert_err;                 /* the insert fails with this (-errno) */
};

static int find(struct sim *s, uint64_t id)
{
	for (int i = 0; i < MAXE; i++)
		if (s->ent[i] == id)
			return i;
	return -1;
}

/* enf_cgroup_rmdir: the directory is gone first, then the tracepoint */
static void rmdir_cg(struct sim *s)
{
	uint64_t id = s->cg;
	int i;

	s->cg = s->recreate;
	if (s->n && (i = find(s, id)) >= 0) {
		s->ent[i] = 0;
		s->n--;
	}
}

static int sim_id(void *ctx, const char *cgpath, uint64_t *id)
{
	struct sim *s = ctx;
	int r = s->cg ? 0 : -ENOENT;

	(void)cgpath;
	if (s->cg)
		*id = s->cg;
	if (++s->reads == s->rm_after_read)
		rmdir_cg(s);
	return r;
}

static int sim_insert(void *ctx, uint64_t id)
{
	struct sim *s = ctx;
	int i;

	if (s->insert_err)
		return s->insert_err;
	if (find(s, id) >= 0)
		return -EEXIST;
	if ((i = find(s, 0)) < 0)
		return -E2BIG;
	s->ent[i] = id;
	if (s->rm_at_insert)
		rmdir_cg(s);
	return 0;
}

static int sim_remove(void *ctx, uint64_t id)
{
	struct sim *s = ctx;
	int i = find(s, id);

	if (i < 0)
		return -ENOENT;
	s->ent[i] = 0;
	return 0;
}

static int entries(struct sim *s)
{
	int k = 0;

	for (int i = 0; i < MAXE; i++)
		k += s->ent[i] != 0;
	return k;
}

static int mark(struct sim *s)
{
	struct setup_mark_ops ops = {
		.cg_id = sim_id, .insert = sim_insert, .remove = sim_remove, .count = &s->n, .ctx = s,
	};

	return setup_mark(&ops, "/kubepods/pod1/c1");
}

int main(void)
{
	struct sim s;
	int r;

	plan(16);

	memset(&s, 0, sizeof(s));
	s.cg = 42;
	r = mark(&s);
	ok(r == 0 && find(&s, 42) >= 0 && s.n == 1, "a cgroup that stays: marked and counted once");
	r = mark(&s);
	ok(r == 0 && entries(&s) == 1 && s.n == 1, "marked again: one entry, counted once");
	rmdir_cg(&s);
	ok(entries(&s) == 0 && s.n == 0, "its rmdir later removes the mark and uncounts it");

	memset(&s, 0, sizeof(s));
	r = mark(&s);
	ok(r == -ENOENT && entries(&s) == 0 && s.n == 0, "a missing cgroup: -ENOENT, nothing marked or counted");

	/* the leak: removed after the id's read, before the insert; its
	 * rmdir found no entry to remove */
	memset(&s, 0, sizeof(s));
	s.cg = 42;
	s.rm_after_read = 1;
	r = mark(&s);
	ok(r < 0, "removed between the read and the insert: the bind's mark fails (%d)", r);
	ok(entries(&s) == 0, "... and leaves no setup_cg entry (%d left)", entries(&s));
	is_int((int)s.n, 0, "... and enf_setup_n back at 0");

	/* removed right after the insert: the rmdir removed the mark and
	 * uncounted it; it must not be uncounted twice */
	memset(&s, 0, sizeof(s));
	s.cg = 42;
	s.rm_at_insert = 1;
	r = mark(&s);
	ok(r < 0 && entries(&s) == 0, "removed after the insert (the rmdir took the mark): no entry");
	is_int((int)s.n, 0, "... enf_setup_n 0, uncounted once (not wrapped below 0)");

	/* removed after the second read: the rmdir finds the entry */
	memset(&s, 0, sizeof(s));
	s.cg = 42;
	s.rm_after_read = 2;
	r = mark(&s);
	ok(r == 0 && entries(&s) == 0 && s.n == 0, "removed after the mark was confirmed: its rmdir removes it");

	/* removed and made again at the same path before the insert: the old
	 * id's mark is taken back, the new cgroup is not marked by it */
	memset(&s, 0, sizeof(s));
	s.cg = 42;
	s.rm_after_read = 1;
	s.recreate = 43;
	r = mark(&s);
	ok(r < 0, "replaced at its path mid-bind: the mark fails (%d)", r);
	ok(find(&s, 42) < 0 && find(&s, 43) < 0 && s.n == 0, "... neither the old nor the new id marked, 0 counted");

	/* an insert that fails: uncounted */
	memset(&s, 0, sizeof(s));
	s.cg = 42;
	s.insert_err = -ENOSPC;
	r = mark(&s);
	ok(r == -ENOSPC && entries(&s) == 0 && s.n == 0, "an insert that fails: its error, nothing counted");

	/* many cgroups, one removed mid-bind: the others' marks and count stay */
	memset(&s, 0, sizeof(s));
	s.cg = 10;
	ok(mark(&s) == 0, "cgroup 10 marked");
	s.cg = 11;
	s.reads = 0;
	s.rm_after_read = 1;
	ok(mark(&s) < 0 && find(&s, 11) < 0, "cgroup 11 removed mid-bind: not marked");
	ok(find(&s, 10) >= 0 && s.n == 1 && entries(&s) == 1, "cgroup 10's mark and the count of 1 stay");
	return done_testing();
}
