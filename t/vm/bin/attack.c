// SPDX-License-Identifier: GPL-2.0-only
/*
 * attack.c - static helper run inside the test VM: the ways a confined
 * process might try to stop enforcerd or change what a rule protects,
 * each printed as "ok" or the errno's name, so guest tests assert exactly
 * what the kernel returned.
 *
 *   attack tgkill PID SIG            tgkill(PID, PID, SIG)
 *   attack pidfd PID SIG             pidfd_open + pidfd_send_signal
 *   attack sigio PID SIG             F_SETOWN PID + F_SETSIG SIG + O_ASYNC on a
 *                                    pipe, then a write: prints "sent" (the
 *                                    kernel reports nothing to the sender)
 *   attack write FILE TEXT           open(O_WRONLY) + write (cgroup files)
 *   attack setxattr FILE NAME HEX    setxattr, value given in hex
 *   attack rmxattr FILE NAME         removexattr
 *   attack acl FILE                  setxattr system.posix_acl_access (u::rwx,g::r,o::r,u:1000:rwx,m::rwx)
 *   attack utimes FILE               utimensat(FILE, {0, 0})
 *   attack umount PATH               umount2(PATH, MNT_DETACH)
 *   attack mount PATH                mount a tmpfs on PATH
 *   attack bind SRC PATH             bind mount SRC on PATH
 *   attack nsmount PATH              unshare(CLONE_NEWNS), propagation as it
 *                                    is, then a tmpfs on PATH
 *   attack fhsave FILE OUT           name_to_handle_at(FILE) into OUT
 *   attack fhopen DIR IN             open_by_handle_at(DIR's mount, handle IN,
 *                                    O_RDONLY) and read a byte
 *   attack ctlreuse SOCK GO OUT      connect to SOCK, fork a child that keeps the
 *                                    connection, print this (connecting) pid and
 *                                    exit; the child waits for file GO, sends
 *                                    "reload" and writes the answer line to OUT
 *   attack ctlhold SOCK N            N connections to SOCK, each sending
 *                                    "audit follow" (never timed out); prints
 *                                    "HELD PID": how many were answered ok,
 *                                    and the pid of a child that keeps them
 *   attack churn DIR NAME N          mkdir then rmdir DIR/NAME, N times; prints
 *                                    "ok N" or the first errno
 *   attack bindrace SOCK TEXT US DIR...
 *                                    send TEXT and a newline to the control
 *                                    socket SOCK as a SCHED_FIFO task, sleep US
 *                                    microseconds (the daemon runs meanwhile,
 *                                    preempted at the wakeup), mkdir each DIR in
 *                                    order, then print the answer's first line
 *                                    (or the first errno)
 *   attack pidgrab PID [PROG ARG...] fork until a child gets PID; that child
 *                                    execs PROG (its output is the result), or
 *                                    stays (pause) and "ok" is printed
 *   attack vmwrite PID               process_vm_writev of one byte to address
 *                                    0x1000 of PID (unmapped: EFAULT once allowed)
 *   attack getfd PID FD              pidfd_getfd(PID's FD): steal a descriptor
 *   attack sigioex PID SIG           like sigio, with F_SETOWN_EX (F_OWNER_TID)
 *   attack longpath DIR N mk|open    below DIR, N nested directories of 240-byte
 *                                    names (made and entered by relative paths,
 *                                    so the whole path may pass PATH_MAX), then
 *                                    create (mk) or open for reading (open) the
 *                                    file f at the bottom, by its relative name
 *   attack prewrite FILE TEXT PID CGDIR
 *                                    open FILE (a cgroup.kill, cgroup.freeze ...)
 *                                    for writing, then move PID into CGDIR
 *                                    (its cgroup.procs), then write TEXT through
 *                                    the descriptor opened before the move
 *   attack cg2fsmount REL TEXT       fsopen("cgroup2") + fsmount (the new mount
 *                                    API, a detached mount), then write TEXT to
 *                                    REL below it (openat on the mount's fd)
 *   attack cgns FILE TEXT            unshare(CLONE_NEWCGROUP), then open FILE
 *                                    and write TEXT
 *   attack remount-ro PATH           mount(PATH, MS_REMOUNT | MS_BIND | MS_RDONLY)
 *   attack setattr-ro PATH           mount_setattr(PATH, MOUNT_ATTR_RDONLY): the
 *                                    new mount API's remount (no LSM hook)
 *   attack setattr-rw PATH           mount_setattr(PATH, clear MOUNT_ATTR_RDONLY)
 *   attack uring-unlink PATH         IORING_OP_UNLINKAT(AT_FDCWD, PATH)
 *   attack uring-rename A B [x]      IORING_OP_RENAMEAT(A, B), x: RENAME_EXCHANGE
 *   attack exchange A B              renameat2(A, B, RENAME_EXCHANGE)
 *   attack prlimit PID RES CUR MAX   prlimit(PID, RES, {CUR, MAX}); RES: cpu,
 *                                    nofile, fsize or as (RLIMIT_CPU 1 s: the
 *                                    kernel's SIGKILL once PID has used 1 s)
 *   attack nice PID N                setpriority(PRIO_PROCESS, PID, N)
 *   attack sched PID                 sched_setscheduler(PID, SCHED_IDLE)
 *   attack affinity PID CPU          sched_setaffinity(PID, {CPU})
 *   attack ioprio PID                ioprio_set(IOPRIO_WHO_PROCESS, PID, idle class)
 *   attack sigqueue PID SIG          rt_sigqueueinfo(PID, SIG, SI_QUEUE)
 *   attack tgsigqueue PID SIG        rt_tgsigqueueinfo(PID, PID, SIG, SI_QUEUE)
 *
 * Exit status 0 when the call succeeded, 1 when it failed, 2 on misuse.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>
#include "uring_one.h"

static int report(int rc)
{
	int e = errno;

	if (rc >= 0) {
		puts("ok");
		return 0;
	}
	switch (e) {
	case EPERM: puts("EPERM"); break;
	case EACCES: puts("EACCES"); break;
	case ENOENT: puts("ENOENT"); break;
	case EINVAL: puts("EINVAL"); break;
	case EBUSY: puts("EBUSY"); break;
	case ESRCH: puts("ESRCH"); break;
	case ESTALE: puts("ESTALE"); break;
	case EOPNOTSUPP: puts("EOPNOTSUPP"); break;
	case ENODATA: puts("ENODATA"); break;
	case EROFS: puts("EROFS"); break;
	case EFAULT: puts("EFAULT"); break;
	case EBADF: puts("EBADF"); break;
	case ENAMETOOLONG: puts("ENAMETOOLONG"); break;
	default: printf("E%d\n", e); break;
	}
	return 1;
}

static int unhex(const char *h, unsigned char *out, size_t max)
{
	size_t n = 0;

	for (; h[0] && h[1] && n < max; h += 2)
		if (sscanf(h, "%2hhx", &out[n++]) != 1)
			return -1;
	return (int)n;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";

	if (!strcmp(op, "tgkill") && argc == 4)
		return report((int)syscall(SYS_tgkill, atoi(argv[2]), atoi(argv[2]), atoi(argv[3])));
	if (!strcmp(op, "pidfd") && argc == 4) {
		int fd = (int)syscall(SYS_pidfd_open, atoi(argv[2]), 0);

		if (fd < 0)
			return report(-1);
		return report((int)syscall(SYS_pidfd_send_signal, fd, atoi(argv[3]), NULL, 0));
	}
	if (!strcmp(op, "sigio") && argc == 4) {
		int p[2];

		if (pipe(p) < 0 || fcntl(p[0], F_SETOWN, atoi(argv[2])) < 0 ||
		    fcntl(p[0], F_SETSIG, atoi(argv[3])) < 0 ||
		    fcntl(p[0], F_SETFL, O_ASYNC | O_NONBLOCK) < 0)
			return report(-1);
		if (write(p[1], "x", 1) != 1)
			return report(-1);
		usleep(200000);
		puts("sent");
		return 0;
	}
	if (!strcmp(op, "write") && argc == 4) {
		int fd = open(argv[2], O_WRONLY);

		if (fd < 0)
			return report(-1);
		return report(write(fd, argv[3], strlen(argv[3])) < 0 ? -1 : 0);
	}
	if (!strcmp(op, "setxattr") && argc == 5) {
		unsigned char v[256];
		int n = unhex(argv[4], v, sizeof(v));

		if (n < 0)
			return 2;
		return report(setxattr(argv[2], argv[3], v, (size_t)n, 0));
	}
	if (!strcmp(op, "rmxattr") && argc == 4)
		return report(removexattr(argv[2], argv[3]));
	if (!strcmp(op, "acl") && argc == 3) {
		/* version 2; entries: tag(2) perm(2) id(4) */
		static const unsigned char acl[] = {
			2, 0, 0, 0,
			0x01, 0, 7, 0, 0xff, 0xff, 0xff, 0xff,       /* ACL_USER_OBJ rwx */
			0x02, 0, 7, 0, 0xe8, 0x03, 0, 0,             /* ACL_USER 1000 rwx */
			0x04, 0, 4, 0, 0xff, 0xff, 0xff, 0xff,       /* ACL_GROUP_OBJ r */
			0x10, 0, 7, 0, 0xff, 0xff, 0xff, 0xff,       /* ACL_MASK rwx */
			0x20, 0, 4, 0, 0xff, 0xff, 0xff, 0xff,       /* ACL_OTHER r */
		};

		return report(setxattr(argv[2], "system.posix_acl_access", acl, sizeof(acl), 0));
	}
	if (!strcmp(op, "utimes") && argc == 3) {
		struct timespec ts[2] = { { 0, 0 }, { 0, 0 } };

		return report(utimensat(AT_FDCWD, argv[2], ts, 0));
	}
	if (!strcmp(op, "umount") && argc == 3)
		return report(umount2(argv[2], MNT_DETACH));
	if (!strcmp(op, "mount") && argc == 3)
		return report(mount("none", argv[2], "tmpfs", 0, NULL));
	if (!strcmp(op, "nsmount") && argc == 3) {
		if (unshare(CLONE_NEWNS) < 0)
			return report(-1);
		return report(mount("none", argv[2], "tmpfs", 0, NULL));
	}
	if (!strcmp(op, "bind") && argc == 4)
		return report(mount(argv[2], argv[3], NULL, MS_BIND, NULL));
	if (!strcmp(op, "fhsave") && argc == 4) {
		struct file_handle *h = malloc(sizeof(*h) + MAX_HANDLE_SZ);
		int mid;
		FILE *f;

		h->handle_bytes = MAX_HANDLE_SZ;
		if (name_to_handle_at(AT_FDCWD, argv[2], h, &mid, 0) < 0)
			return report(-1);
		f = fopen(argv[3], "w");
		if (!f || fwrite(h, sizeof(*h) + h->handle_bytes, 1, f) != 1)
			return report(-1);
		fclose(f);
		return report(0);
	}
	if (!strcmp(op, "fhopen") && argc == 4) {
		struct file_handle *h = malloc(sizeof(*h) + MAX_HANDLE_SZ);
		int mfd = open(argv[2], O_RDONLY | O_DIRECTORY), fd;
		FILE *f = fopen(argv[3], "r");
		char c;

		if (mfd < 0 || !f || fread(h, 1, sizeof(*h) + MAX_HANDLE_SZ, f) < sizeof(*h))
			return report(-1);
		fd = open_by_handle_at(mfd, h, O_RDONLY);
		if (fd < 0)
			return report(-1);
		return report(read(fd, &c, 1) < 0 ? -1 : 0);
	}
	if (!strcmp(op, "ctlreuse") && argc == 5) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);
		pid_t b;

		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", argv[2]);
		if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			return report(-1);
		b = fork();
		if (b < 0)
			return report(-1);
		if (b == 0) {
			char line[512];
			ssize_t n = 0;
			FILE *o;

			setsid();
			freopen("/dev/null", "w", stdout);
			while (access(argv[3], F_OK) != 0)
				usleep(50000);
			if (write(fd, "reload\n", 7) != 7)
				_exit(1);
			while (n < (ssize_t)sizeof(line) - 1 && read(fd, line + n, 1) == 1 && line[n] != '\n')
				n++;
			line[n] = 0;
			o = fopen(argv[4], "w");
			if (o) {
				fputs(line, o);
				fclose(o);
			}
			_exit(0);
		}
		printf("%d\n", (int)getpid());
		return 0;
	}
	if (!strcmp(op, "ctlhold") && argc == 4) {
		int n = atoi(argv[3]), held = 0;
		pid_t b;

		signal(SIGPIPE, SIG_IGN);       /* a refused connection is closed at once */
		for (int i = 0; i < n; i++) {
			struct sockaddr_un sa = { .sun_family = AF_UNIX };
			int fd = socket(AF_UNIX, SOCK_STREAM, 0);
			char line[256];
			ssize_t k = 0;

			snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", argv[2]);
			if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
				return report(-1);
			if (write(fd, "audit follow\n", 13) != 13) {
				close(fd);
				continue;
			}
			while (k < (ssize_t)sizeof(line) - 1 && read(fd, line + k, 1) == 1 && line[k] != '\n')
				k++;
			line[k] = 0;
			if (strstr(line, "\"ok\":true"))
				held++;
			else
				close(fd);
		}
		fflush(stdout);
		b = fork();
		if (b < 0)
			return report(-1);
		if (b == 0) {
			setsid();
			freopen("/dev/null", "w", stdout);
			for (;;)
				pause();
		}
		printf("%d %d\n", held, (int)b);
		return 0;
	}
	if (!strcmp(op, "churn") && argc == 5) {
		char path[4096];
		long n = atol(argv[4]);

		snprintf(path, sizeof(path), "%s/%s", argv[2], argv[3]);
		for (long i = 0; i < n; i++)
			if (mkdir(path, 0755) < 0 || rmdir(path) < 0)
				return report(-1);
		printf("ok %ld\n", n);
		return 0;
	}
	if (!strcmp(op, "bindrace") && argc >= 6) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);
		long us = atol(argv[4]);
		struct timespec ts = { .tv_sec = us / 1000000, .tv_nsec = us % 1000000 * 1000 };
		char line[4096];
		size_t n = 0;
		ssize_t r;

		struct sched_param sp = { .sched_priority = 1 };

		/* real-time: the timer's wakeup preempts the daemon at once,
		 * wherever it is in the bind (on 6.1's scheduler too) */
		if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0)
			return report(-1);
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", argv[2]);
		snprintf(line, sizeof(line), "%s\n", argv[3]);
		if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
		    write(fd, line, strlen(line)) != (ssize_t)strlen(line))
			return report(-1);
		/* the daemon runs the bind while this sleeps (one CPU: the
		 * wakeup lands somewhere in it), then the burst */
		if (us > 0)
			nanosleep(&ts, NULL);
		for (int i = 5; i < argc; i++)
			if (mkdir(argv[i], 0755) < 0)
				return report(-1);
		while (n < sizeof(line) - 1 && (r = read(fd, line + n, sizeof(line) - 1 - n)) > 0) {
			n += (size_t)r;
			if (memchr(line, '\n', n))
				break;
		}
		line[n] = 0;
		line[strcspn(line, "\n")] = 0;
		puts(line);
		return 0;
	}
	if (!strcmp(op, "pidgrab") && argc >= 3) {
		pid_t want = atoi(argv[2]);

		for (int i = 0; i < 200000; i++) {
			pid_t c = fork();

			if (c < 0)
				return report(-1);
			if (c == 0) {
				if (getpid() != want)
					_exit(0);
				if (argc > 3) {
					/* the child that got PID runs PROG in its place */
					execv(argv[3], argv + 3);
					_exit(127);
				}
				setsid();
				freopen("/dev/null", "w", stdout);
				for (;;)
					pause();
			}
			if (c == want) {
				int st = 0;

				if (argc > 3) {
					/* its output is the result */
					waitpid(c, &st, 0);
					return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
				}
				puts("ok");
				return 0;
			}
			waitpid(c, NULL, 0);
		}
		errno = ESRCH;
		return report(-1);
	}
	if (!strcmp(op, "vmwrite") && argc == 3) {
		char c = 0;
		struct iovec l = { &c, 1 }, r = { (void *)0x1000, 1 };

		return report(process_vm_writev(atoi(argv[2]), &l, 1, &r, 1, 0) < 0 ? -1 : 0);
	}
	if (!strcmp(op, "getfd") && argc == 4) {
		int fd = (int)syscall(SYS_pidfd_open, atoi(argv[2]), 0);

		if (fd < 0)
			return report(-1);
		return report((int)syscall(SYS_pidfd_getfd, fd, atoi(argv[3]), 0));
	}
	if (!strcmp(op, "sigioex") && argc == 4) {
		struct f_owner_ex o = { F_OWNER_TID, atoi(argv[2]) };
		int p[2];

		if (pipe(p) < 0 || fcntl(p[0], F_SETOWN_EX, &o) < 0 ||
		    fcntl(p[0], F_SETSIG, atoi(argv[3])) < 0 ||
		    fcntl(p[0], F_SETFL, O_ASYNC | O_NONBLOCK) < 0)
			return report(-1);
		if (write(p[1], "x", 1) != 1)
			return report(-1);
		usleep(200000);
		puts("sent");
		return 0;
	}
	if (!strcmp(op, "longpath") && argc == 5) {
		char name[241];
		long n = atol(argv[3]);
		int mk = !strcmp(argv[4], "mk"), fd;

		memset(name, 'n', 240);
		name[240] = 0;
		if (chdir(argv[2]) < 0)
			return report(-1);
		for (long i = 0; i < n; i++)
			if ((mk && mkdir(name, 0755) < 0 && errno != EEXIST) || chdir(name) < 0)
				return report(-1);
		fd = mk ? open("f", O_WRONLY | O_CREAT | O_TRUNC, 0644) : open("f", O_RDONLY);
		return report(fd);
	}
	if (!strcmp(op, "prewrite") && argc == 6) {
		char procs[4096];
		int fd = open(argv[2], O_WRONLY), pfd;

		if (fd < 0)
			return report(-1);
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", argv[5]);
		pfd = open(procs, O_WRONLY);
		if (pfd < 0 || write(pfd, argv[4], strlen(argv[4])) < 0)
			return report(-1);
		return report(write(fd, argv[3], strlen(argv[3])) < 0 ? -1 : 0);
	}
	if (!strcmp(op, "cg2fsmount") && argc == 4) {
		int fs = (int)syscall(SYS_fsopen, "cgroup2", 0), mnt, fd;

		if (fs < 0 || syscall(SYS_fsconfig, fs, 6 /* FSCONFIG_CMD_CREATE */, NULL, NULL, 0) < 0)
			return report(-1);
		mnt = (int)syscall(SYS_fsmount, fs, 0, 0);
		if (mnt < 0)
			return report(-1);
		fd = openat(mnt, argv[2], O_WRONLY);
		if (fd < 0)
			return report(-1);
		return report(write(fd, argv[3], strlen(argv[3])) < 0 ? -1 : 0);
	}
	if (!strcmp(op, "cgns") && argc == 4) {
		int fd;

		if (unshare(CLONE_NEWCGROUP) < 0)
			return report(-1);
		fd = open(argv[2], O_WRONLY);
		if (fd < 0)
			return report(-1);
		return report(write(fd, argv[3], strlen(argv[3])) < 0 ? -1 : 0);
	}
	if (!strcmp(op, "remount-ro") && argc == 3)
		return report(mount(NULL, argv[2], NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
	if ((!strcmp(op, "setattr-ro") || !strcmp(op, "setattr-rw")) && argc == 3) {
		struct { __u64 set, clr, prop, userns_fd; } a = { 1 /* MOUNT_ATTR_RDONLY */, 0, 0, 0 };

		if (op[9] == 'w') {
			a.clr = a.set;
			a.set = 0;
		}

		return report((int)syscall(SYS_mount_setattr, AT_FDCWD, argv[2], 0, &a, sizeof(a)));
	}
	if ((!strcmp(op, "uring-unlink") && argc == 3) ||
	    (!strcmp(op, "uring-rename") && (argc == 4 || argc == 5))) {
		struct io_uring_sqe sqe;
		int serr = 0, res;

		memset(&sqe, 0, sizeof(sqe));
		sqe.fd = AT_FDCWD;
		sqe.addr = (unsigned long)argv[2];
		if (argc == 3) {
			sqe.opcode = IORING_OP_UNLINKAT;
		} else {
			sqe.opcode = IORING_OP_RENAMEAT;
			sqe.len = (unsigned)AT_FDCWD;
			sqe.addr2 = (unsigned long)argv[3];
			sqe.rename_flags = argc == 5 ? RENAME_EXCHANGE : 0;
		}
		res = uring_one(&sqe, &serr);
		if (serr) {
			printf("SETUP-E%d\n", serr);
			return 1;
		}
		errno = -res;
		return report(res < 0 ? -1 : 0);
	}
	if (!strcmp(op, "exchange") && argc == 4)
		return report(renameat2(AT_FDCWD, argv[2], AT_FDCWD, argv[3], RENAME_EXCHANGE));
	if (!strcmp(op, "prlimit") && argc == 6) {
		struct rlimit rl = { strtoul(argv[4], NULL, 10), strtoul(argv[5], NULL, 10) };
		int res = !strcmp(argv[3], "cpu") ? RLIMIT_CPU : !strcmp(argv[3], "nofile") ? RLIMIT_NOFILE :
			  !strcmp(argv[3], "fsize") ? RLIMIT_FSIZE : !strcmp(argv[3], "as") ? RLIMIT_AS : -1;

		if (res < 0)
			return 2;
		return report(prlimit(atoi(argv[2]), res, &rl, NULL));
	}
	if (!strcmp(op, "nice") && argc == 4)
		return report(setpriority(PRIO_PROCESS, atoi(argv[2]), atoi(argv[3])));
	if (!strcmp(op, "sched") && argc == 3) {
		struct sched_param sp = { 0 };

		return report(sched_setscheduler(atoi(argv[2]), SCHED_IDLE, &sp));
	}
	if (!strcmp(op, "affinity") && argc == 4) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(atoi(argv[3]), &set);
		return report(sched_setaffinity(atoi(argv[2]), sizeof(set), &set));
	}
	if (!strcmp(op, "ioprio") && argc == 3)     /* IOPRIO_WHO_PROCESS, IOPRIO_CLASS_IDLE << 13 */
		return report((int)syscall(SYS_ioprio_set, 1, atoi(argv[2]), 3 << 13));
	if ((!strcmp(op, "sigqueue") && argc == 4) || (!strcmp(op, "tgsigqueue") && argc == 4)) {
		siginfo_t si;

		memset(&si, 0, sizeof(si));
		si.si_signo = atoi(argv[3]);
		si.si_code = SI_QUEUE;
		si.si_pid = getpid();
		si.si_uid = getuid();
		if (op[0] == 't')
			return report((int)syscall(SYS_rt_tgsigqueueinfo, atoi(argv[2]), atoi(argv[2]),
						   si.si_signo, &si));
		return report((int)syscall(SYS_rt_sigqueueinfo, atoi(argv[2]), si.si_signo, &si));
	}
	fputs("usage: see attack.c\n", stderr);
	return 2;
}
