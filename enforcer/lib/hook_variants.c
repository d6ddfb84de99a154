// SPDX-License-Identifier: GPL-2.0-only
/*
 * hook_variants.c - the variant of each version-dependent BPF LSM program
 * that the running kernel takes (hook_variants.h).
 */
#include <stdio.h>
#include <bpf/btf.h>
#include "hook_variants.h"

int bpf_hook_args(const char *fn)
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

static void autoload(struct bpf_object *obj, const char *prefix, const char *name, bool on)
{
	char full[64];
	struct bpf_program *p;

	snprintf(full, sizeof(full), "%s%s", prefix, name);
	p = bpf_object__find_program_by_name(obj, full);
	if (p)
		bpf_program__set_autoload(p, on);
}

void hook_variants_pick(struct bpf_object *obj, const char *prefix)
{
	int n;

	n = bpf_hook_args("bpf_lsm_bpf");               /* 4 from 6.9 on (bool kernel) */
	autoload(obj, prefix, "bpf", n != 4);
	autoload(obj, prefix, "bpf_kernel", n == 4);
	n = bpf_hook_args("bpf_lsm_inode_setattr");     /* 3 from 6.3 on (idmap) */
	autoload(obj, prefix, "setattr", n != 2);
	autoload(obj, prefix, "setattr_old", n == 2);
	n = bpf_hook_args("bpf_lsm_inode_set_acl");     /* 6.2+ */
	autoload(obj, prefix, "set_acl", n > 0);
	autoload(obj, prefix, "remove_acl", n > 0);
	n = bpf_hook_args("bpf_lsm_file_ioctl_compat"); /* 6.8+ and stable backports */
	autoload(obj, prefix, "tty_ioctl_compat", n > 0);
}
