// SPDX-License-Identifier: GPL-2.0-only
/*
 * map_zero.c - zero a range of rule_slots (every CPU) with one run of the
 * kernel-side loop enf_zero (bpf-lsm/reset.bpf.c) instead of a batched map
 * update: a reload's fresh rule hit slots (their caches' allows folded
 * first: cache_acct.c).  The caller falls back to its batched update
 * when this fails.
 */
#include <errno.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "daemon.h"
#include "enforcer.skel.h"

int map_zero(enum enf_zero_map map, uint32_t first, uint32_t n)
{
	int ncpu = map == ENF_ZERO_RULE_SLOTS ? libbpf_num_possible_cpus() : 1;
	struct enf_zero_ctx c = { .map = map, .first = first, .n = n, .ncpu = ncpu > 0 ? ncpu : 0 };
	/* a syscall program's context is copied back into ctx_in (ctx_out is
	 * refused) */
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = &c, .ctx_size_in = sizeof(c));

	if (!n)
		return 0;
	if (ncpu <= 0 || (uint64_t)n * (uint64_t)ncpu > ENF_ZERO_MAX_ITER)
		return -E2BIG;
	if (!D.skel || bpf_prog_test_run_opts(bpf_program__fd(D.skel->progs.enf_zero), &o) < 0)
		return -errno ? -errno : -EINVAL;
	if ((uint64_t)c.done != (uint64_t)n * (uint64_t)ncpu)
		return -ERANGE;   /* stopped short: beyond the map */
	return 0;
}
