// SPDX-License-Identifier: GPL-2.0-only
/*
 * tiocsti32.c - a 32-bit (i386) program, no libc, run inside the test VM
 * by ttyinject: ioctl(0, TIOCSTI, "x") through the compat syscall entry
 * (int $0x80), so the kernel's 32-bit ioctl path (security_file_ioctl_compat
 * on 6.8+ and kernels that took it) is the one judged.  Exit status: 0 when
 * the ioctl succeeded, else its errno.
 */
void _start(void)
{
	static const char c = 'x';
	long ret;

	/* i386: ioctl is syscall 54, exit is 1 */
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(54), "b"(0), "c"(0x5412), "d"(&c) : "memory");
	ret = ret < 0 ? -ret : 0;
	__asm__ volatile("int $0x80" : : "a"(1), "b"(ret));
	for (;;)
		;
}
