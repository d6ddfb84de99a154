// SPDX-License-Identifier: GPL-2.0-only
/*
 * noop.c - the static no-op binary the exec benchmark runs: no libc, its
 * entry point exits 0 at once, so the exec cost measured is the kernel's.
 */
void _start(void)
{
	__asm__ volatile("mov $60, %%eax\n\txor %%edi, %%edi\n\tsyscall" ::: "rax", "rdi", "memory");
	__builtin_unreachable();
}
