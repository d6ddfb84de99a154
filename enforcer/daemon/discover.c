// SPDX-License-Identifier: GPL-2.0-only
/*
 * discover.c - at start-up, bind the containers that already run (found in
 * containerd's and CRI-O's state directories) as their OCI hook would have.
 */
#include "daemon.h"
#include "oci_state.h"

struct found_ctx {
	bind_found_fn fn;
	void *ctx;
};

static int one(void *ctx, const struct oci_state *st)
{
	struct found_ctx *f = ctx;

	if (!st->cgroup[0])
		return 0;
	f->fn(f->ctx, st->cgroup, st->ns[0] ? st->ns : NULL, st->pod[0] ? st->pod : NULL,
	      st->id[0] ? st->id : NULL, st->root[0] ? st->root : NULL);
	return 0;
}

int oci_discover_bindings(bind_found_fn fn, void *ctx)
{
	struct found_ctx f = { fn, ctx };

	return oci_discover(one, &f);
}
