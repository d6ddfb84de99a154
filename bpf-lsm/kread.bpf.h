/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kread.bpf.h - reading kernel memory the hot paths reach by a number (a
 * dentry passed to a global function, an untyped ksym): plain loads where
 * the kernel has the bpf_rdonly_cast kfunc (6.2+: the verifier turns it
 * into a register move, and each load through the untrusted BTF pointer it
 * gives is one PROBE_MEM load), a bpf_probe_read_kernel call per field
 * where it has not (6.1; the branch on the ksym's address is a constant
 * there, so the verifier never looks at the cast side).
 *
 * A read that faults gives 0 either way (the probe read zeroes its
 * buffer; the JIT's exception table zeroes the load's register).
 */
#ifndef ENF_KREAD_BPF_H
#define ENF_KREAD_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;

#ifndef bpf_ksym_exists
#define bpf_ksym_exists(sym) ({                                                         \
	_Static_assert(!__builtin_constant_p(!!sym), #sym " should be marked as __weak"); \
	!!sym;                                                                           \
})
#endif

/* 1 when plain loads work (a constant to the verifier). */
#define KR_CAST() bpf_ksym_exists(bpf_rdonly_cast)

/* The address a as an untrusted pointer to the kernel's type t. */
#define KR_PTR(t, a) ((t *)bpf_rdonly_cast((void *)(__u64)(a), bpf_core_type_id_kernel(t)))

/* KR_READ(t, a, f): field f (a member, or members joined by dots) of the
 * object of type t at address a, as BPF_CORE_READ((t *)a, f) reads it;
 * KR_READ2: f2 of the object f1 points to.  The address is computed
 * outside BPF_CORE_READ: inside it, a member access of a local struct in
 * the expression a would be a CO-RE relocation too (against the kernel's
 * BTF, where the struct is not: libbpf poisons the instruction). */
#define KR_READ(t, a, f) ({                                                     \
	__u64 __kr_a = (__u64)(a);                                              \
	KR_CAST() ? (__u64)KR_PTR(t, __kr_a)->f :                               \
		    (__u64)BPF_CORE_READ((t *)__kr_a, f);                       \
})
#define KR_READ2(t, a, f1, f2) ({                                               \
	__u64 __kr_a = (__u64)(a);                                              \
	KR_CAST() ? (__u64)KR_PTR(t, __kr_a)->f1->f2 :                          \
		    (__u64)BPF_CORE_READ((t *)__kr_a, f1, f2);                  \
})

#endif /* ENF_KREAD_BPF_H */
