/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * setup_mark.h - a container's cgroup marked in its setup phase (bind pid=:
 * setup_cg and its count enf_setup_n), apart from the maps so that a unit
 * test can run it against a cgroup that disappears mid-bind.
 */
#ifndef ENF_SETUP_MARK_H
#define ENF_SETUP_MARK_H

#include <stdint.h>
#include <linux/types.h>

struct setup_mark_ops {
	/* the cgroup's id (cgroupfs_id): 0 or -errno */
	int (*cg_id)(void *ctx, const char *cgpath, uint64_t *id);
	/* a new entry for cgid: 0, -EEXIST when one is there, or -errno */
	int (*insert)(void *ctx, uint64_t cgid);
	/* the entry of cgid removed: 0, -ENOENT when none was there, or -errno */
	int (*remove)(void *ctx, uint64_t cgid);
	/* the entries' count (enf_setup_n): never fewer than there are */
	volatile __u64 *count;
	void *ctx;
};

/* 0 when cgroup cgpath is marked, -errno when it is not: missing, or
 * removed (or replaced) while it was being marked, its mark then taken
 * back. */
int setup_mark(const struct setup_mark_ops *ops, const char *cgpath);

#endif
