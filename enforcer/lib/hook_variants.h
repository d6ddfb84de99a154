/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hook_variants.h - which variant of a BPF LSM program the running kernel
 * takes: the hooks' arguments change between kernels (lsm/bpf gained
 * 'bool kernel' in 6.9, inode_setattr an idmap in 6.3; inode_set_acl is
 * 6.2+, file_ioctl_compat 6.8+).  enforcerd and the benchmark's floor
 * (t/bench/bin/floor.c) pick the same ones.
 */
#ifndef ENFORCER_HOOK_VARIANTS_H
#define ENFORCER_HOOK_VARIANTS_H

#include <bpf/libbpf.h>

/* The number of arguments of the kernel function fn in the running
 * kernel's BTF, or -1 when it has no such function. */
int bpf_hook_args(const char *fn);

/* Load only the variants the running kernel takes, among obj's programs
 * named prefix + bpf, bpf_kernel, setattr, setattr_old, set_acl,
 * remove_acl, tty_ioctl_compat ("enf_" for enforcerd, "floor_" for the
 * floor).  Before the object is loaded. */
void hook_variants_pick(struct bpf_object *obj, const char *prefix);

#endif
