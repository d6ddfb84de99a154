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
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "empty.skel.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* How many arguments the kernel's hook function takes, -1 when it has none
 * (as enforcerd's bpf_setup.c asks). */
static int bpf_hook_args(const char *fn)
{
	struct btf *btf = btf__load_vmlinux_btf();
	int id, n = -1;

	if (!btf)
		return -1;
	id = btf__find_by_name_kind(btf, fn, BTF_KIND_FUNC);
	if (id > 0)
		n = btf_vlen(btf__type_by_id(btf, btf__type_by_id(btf, id)->type));
	btf__free(btf);
	return n;
}

int main(void)
{
	struct empty_bpf *skel = empty_bpf__open();
	int nargs, err;

	if (!skel) {
		perror("floor: open");
		return 1;
	}
	/* the variants enforcerd picks (bpf_setup.c) */
	nargs = bpf_hook_args("bpf_lsm_bpf");   /* 4 from 6.9 on (bool kernel) */
	bpf_program__set_autoload(skel->progs.floor_bpf, nargs != 4);
	bpf_program__set_autoload(skel->progs.floor_bpf_kernel, nargs == 4);
	nargs = bpf_hook_args("bpf_lsm_inode_setattr");
	bpf_program__set_autoload(skel->progs.floor_setattr, nargs != 2);
	bpf_program__set_autoload(skel->progs.floor_setattr_old, nargs == 2);
	nargs = bpf_hook_args("bpf_lsm_inode_set_acl");
	bpf_program__set_autoload(skel->progs.floor_set_acl, nargs > 0);
	bpf_program__set_autoload(skel->progs.floor_remove_acl, nargs > 0);
	nargs = bpf_hook_args("bpf_lsm_file_ioctl_compat");
	bpf_program__set_autoload(skel->progs.floor_tty_ioctl_compat, nargs > 0);
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
