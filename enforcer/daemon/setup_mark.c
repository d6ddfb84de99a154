// SPDX-License-Identifier: GPL-2.0-only
/*
 * setup_mark.c - the mark of a container's cgroup in its setup phase (bind
 * pid=, policy_apply_mark_setup): an entry of setup_cg under the cgroup's
 * id, counted in enf_setup_n (never fewer than the entries: counted before
 * the insert).  The BPF side removes it at the first exec of a workload in
 * the cgroup or at the cgroup's rmdir (enf_cgroup_rmdir), and uncounts it
 * only when its own delete removed it.
 *
 * A cgroup removed between the id's read and the insert: its rmdir found
 * nothing to remove, and the entry would stay, counted, for good (every
 * governed exec then looks setup_cg up).  So the id is read again after
 * the insert: the rmdir tracepoint fires after the cgroup's directory is
 * gone, so a cgroup still found there with the same id is removed (if
 * ever) after the insert, by a rmdir that finds the entry.  One gone, or
 * another cgroup at its path: the mark is removed here, and uncounted only
 * if this delete removed it (the rmdir's may have, and uncounted it).
 */
#include <errno.h>
#include "setup_mark.h"

int setup_mark(const struct setup_mark_ops *ops, const char *cgpath)
{
	uint64_t cgid = 0, again = 0;
	int ret = ops->cg_id(ops->ctx, cgpath, &cgid);

	if (ret)
		return ret;
	__atomic_fetch_add(ops->count, 1, __ATOMIC_SEQ_CST);
	ret = ops->insert(ops->ctx, cgid);
	if (ret) {
		__atomic_fetch_sub(ops->count, 1, __ATOMIC_SEQ_CST);
		return ret == -EEXIST ? 0 : ret;
	}
	ret = ops->cg_id(ops->ctx, cgpath, &again);
	if (!ret && again == cgid)
		return 0;
	if (ops->remove(ops->ctx, cgid) == 0)
		__atomic_fetch_sub(ops->count, 1, __ATOMIC_SEQ_CST);
	return ret ? ret : -ENOENT;
}
