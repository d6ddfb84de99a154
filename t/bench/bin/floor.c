// SPDX-License-Identifier: GPL-2.0-only
/*
 * floor.c - configuration C1 of the benchmark: loads bpf-lsm/empty.bpf.c
 * (empty programs on every hook enforcerd attaches), attaches them all,
 * says "floor attached" on stderr and holds them until SIGTERM/SIGINT.
 * Nothing is pinned: they are gone when it exits.
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "empty.skel.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* bpf_lsm_bpf has 4 arguments from 6.9 on (bool kernel). */
static int bpf_hook_args(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	int id, n = -1;

	if (!btf)
		return -1;
	id = btf__find_by_name_kind(btf, "bpf_lsm_bpf", BTF_KIND_FUNC);
	if (id > 0)
		n = btf_vlen(btf__type_by_id(btf, btf__type_by_id(btf, id)->type));
	btf__free(btf);
	return n;
}

int main(void)
{
	struct empty_bpf *skel = empty_bpf__open();
	int nargs = bpf_hook_args(), err;

	if (!skel) {
		perror("floor: open");
		return 1;
	}
	bpf_program__set_autoload(skel->progs.floor_bpf, nargs != 4);
	bpf_program__set_autoload(skel->progs.floor_bpf_kernel, nargs == 4);
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
