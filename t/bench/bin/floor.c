// SPDX-License-Identifier: GPL-2.0-only
/*
 * floor.c - configuration C1 of the benchmark: loads bpf-lsm/empty.bpf.c
 * (an empty program for each one enforcerd attaches), attaches them all
 * (of the variants the kernel's hooks take, those enforcerd would load),
 * says "floor attached" on stderr and holds them until SIGTERM/SIGINT.
 * Nothing is pinned: they are gone when it exits.
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "empty.skel.h"
#include "hook_variants.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(void)
{
	struct empty_bpf *skel = empty_bpf__open();
	int err;

	if (!skel) {
		perror("floor: open");
		return 1;
	}
	/* the variants enforcerd picks (enforcer/lib/hook_variants.c) */
	hook_variants_pick(skel->obj, "floor_");
	err = empty_bpf__load(skel);
	if (!err)
		err = empty_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "floor: load/attach failed: %d\n", err);
		empty_bpf__destroy(skel);
		return 1;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	fprintf(stderr, "floor attached\n");
	while (!stop)
		pause();
	empty_bpf__destroy(skel);
	return 0;
}
