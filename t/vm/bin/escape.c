// SPDX-License-Identifier: GPL-2.0-only
/*
 * escape.c - static helper run inside the test VM: tries one privileged way
 * out of a policy, as an attacker would (t/vm/guest/64-escape-privilege.sh),
 * and prints "ok" or the errno's name of the first step that failed (the
 * step on stderr).
 *
 *   escape [-U] [-m] [-g CGDIR] [-w FILE] CMD ARGS...
 *     -U  first unshare(CLONE_NEWUSER) and map the caller's uid and gid to 0
 *         (as `unshare -Ur`: a uid 1000 gets every capability there)
 *     -m  then unshare(CLONE_NEWNS) and make every mount private (so that a
 *         control run changes nothing outside)
 *     -g  then move itself into the cgroup CGDIR (as runc init joins the
 *         container's cgroup after runc started it from outside)
 *     -w  then wait (up to 60 s) until FILE exists
 *
 *   chroot DIR                  chroot(DIR)
 *   pivot_root DIR              bind DIR (and DIR/inner) on itself, chroot DIR,
 *                               pivot_root(/inner, /inner/old)
 *   bind SRC DST                mount(SRC, DST, MS_BIND)
 *   tmpfs DST                   mount("tmpfs", DST)
 *   fsmount DST                 fsopen(tmpfs), fsconfig, fsmount, move_mount to DST
 *   opentree-exec DIR NAME      open_tree(DIR, OPEN_TREE_CLONE), execveat(NAME)
 *   umount PATH                 umount2(PATH, MNT_DETACH)
 *   socket raw|packet|sctp      socket(AF_INET, SOCK_RAW, ICMP) / AF_PACKET /
 *                               SOCK_STREAM IPPROTO_SCTP
 *   rewrite FILE                write FILE's own content back to it (a sysctl)
 *   write FILE TEXT             open FILE for writing and write TEXT (binfmt_misc)
 *   ptrace PID                  PTRACE_SEIZE PID (then detach)
 *   memfd-exec FILE ARG0 ARGS...  copy FILE into a memfd and execute it
 *                               (fexecve), as runc and crun re-exec an
 *                               anonymous copy of themselves
 *   run CMD ARGS...             execvp CMD (in the namespaces made above): its
 *                               output is the result
 *
 * Exit status 0 when it worked, 1 when a step failed, 2 on misuse.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef AF_PACKET
#define AF_PACKET 17
#endif
#ifndef IPPROTO_SCTP
#define IPPROTO_SCTP 132
#endif

/* Report the first failed step: its errno's name on stdout, the step on stderr. */
static int failed(const char *step)
{
	int err = errno;
	const char *n = strerrorname_np(err);

	fprintf(stderr, "escape: %s: %s\n", step, strerror(err));
	if (n)
		puts(n);
	else
		printf("E%d\n", err);
	return 1;
}

static int done(void)
{
	puts("ok");
	return 0;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n < 0 ? -1 : 0;
}

/* unshare -Ur: a user namespace where the caller is root. */
static int enter_userns(void)
{
	char map[64];
	uid_t uid = getuid();
	gid_t gid = getgid();

	if (unshare(CLONE_NEWUSER) < 0)
		return failed("unshare(CLONE_NEWUSER)");
	snprintf(map, sizeof(map), "0 %u 1", uid);
	if (write_file("/proc/self/uid_map", map) < 0)
		return failed("uid_map");
	if (write_file("/proc/self/setgroups", "deny") < 0 && errno != ENOENT)
		return failed("setgroups");
	snprintf(map, sizeof(map), "0 %u 1", gid);
	if (write_file("/proc/self/gid_map", map) < 0)
		return failed("gid_map");
	return 0;
}

static int enter_mountns(void)
{
	if (unshare(CLONE_NEWNS) < 0)
		return failed("unshare(CLONE_NEWNS)");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return failed("mount --make-rprivate /");
	return 0;
}

/* pivot_root needs a root that is a mount with a parent (not the initramfs
 * rootfs): bind DIR on itself, chroot into it, then pivot to DIR/inner. */
static int do_pivot_root(const char *dir)
{
	char inner[4096];

	snprintf(inner, sizeof(inner), "%s/inner", dir);
	mkdir(inner, 0755);
	if (mount(dir, dir, NULL, MS_BIND, NULL) < 0)
		return failed("mount --bind DIR DIR");
	if (mount(inner, inner, NULL, MS_BIND, NULL) < 0)
		return failed("mount --bind DIR/inner DIR/inner");
	if (chroot(dir) < 0 || chdir("/") < 0)
		return failed("chroot DIR");
	mkdir("/inner/old", 0755);
	if (syscall(SYS_pivot_root, "/inner", "/inner/old") < 0)
		return failed("pivot_root");
	return done();
}

static int do_fsmount(const char *dst)
{
	int fs, mnt;

	fs = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
	if (fs < 0)
		return failed("fsopen");
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return failed("fsconfig");
	mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0);
	if (mnt < 0)
		return failed("fsmount");
	if (syscall(SYS_move_mount, mnt, "", AT_FDCWD, dst, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return failed("move_mount");
	return done();
}

/* A detached copy of DIR's mount, and an exec of NAME from it (in a child,
 * whose output is discarded: the exec's result is what counts). */
static int do_opentree_exec(const char *dir, const char *name)
{
	int tfd, p[2], err = 0, st;
	pid_t pid;

	tfd = (int)syscall(SYS_open_tree, AT_FDCWD, dir, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tfd < 0)
		return failed("open_tree");
	if (pipe2(p, O_CLOEXEC) < 0)
		return failed("pipe");
	pid = fork();
	if (pid < 0)
		return failed("fork");
	if (pid == 0) {
		char *argv[] = { (char *)name, NULL };
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

		if (null >= 0)
			dup2(null, STDOUT_FILENO);
		syscall(SYS_execveat, tfd, name, argv, environ, 0);
		err = errno;
		if (write(p[1], &err, sizeof(err)) < 0)
			_exit(127);
		_exit(127);
	}
	close(p[1]);
	if (read(p[0], &err, sizeof(err)) == (ssize_t)sizeof(err)) {
		errno = err;
		waitpid(pid, &st, 0);
		return failed("execveat");
	}
	waitpid(pid, &st, 0);
	return done();
}

static int do_socket(const char *kind)
{
	int fd;

	if (!strcmp(kind, "raw"))
		fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	else if (!strcmp(kind, "packet"))
		fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	else if (!strcmp(kind, "sctp"))
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_SCTP);
	else
		return 2;
	if (fd < 0)
		return failed("socket");
	close(fd);
	return done();
}

static int do_rewrite(const char *path)
{
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return failed("open for reading");
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return failed("read");
	buf[n] = 0;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return failed("open for writing");
	if (write(fd, buf, (size_t)n) < 0)
		return failed("write");
	close(fd);
	return done();
}

static int do_ptrace(const char *pidstr)
{
	pid_t pid = (pid_t)atoi(pidstr);

	if (ptrace(PTRACE_SEIZE, pid, NULL, NULL) < 0)
		return failed("ptrace(PTRACE_SEIZE)");
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	return done();
}

static int do_memfd_exec(const char *file, char **args)
{
	extern char **environ;
	char buf[65536];
	int in = open(file, O_RDONLY | O_CLOEXEC), fd;
	ssize_t n;

	if (in < 0)
		return failed("open");
	fd = memfd_create("escape_cloned:/proc/self/exe", 0);
	if (fd < 0)
		return failed("memfd_create");
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, n) != n)
			return failed("write memfd");
	if (n < 0)
		return failed("read");
	close(in);
	fexecve(fd, args, environ);
	return failed("fexecve");
}

int main(int argc, char **argv)
{
	int userns = 0, mountns = 0, i = 1;
	const char *c, *cgdir = NULL, *waitfile = NULL;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-U"))
			userns = 1;
		else if (!strcmp(argv[i], "-m"))
			mountns = 1;
		else if (!strcmp(argv[i], "-g") && i + 1 < argc)
			cgdir = argv[++i];
		else if (!strcmp(argv[i], "-w") && i + 1 < argc)
			waitfile = argv[++i];
		else
			goto usage;
	}
	if (i >= argc)
		goto usage;
	if (userns && enter_userns())
		return 1;
	if (mountns && enter_mountns())
		return 1;
	if (cgdir) {
		char procs[4096];

		snprintf(procs, sizeof(procs), "%s/cgroup.procs", cgdir);
		if (write_file(procs, "0"))
			return failed("join cgroup");
	}
	if (waitfile) {
		int t;

		/* Bound: 60 s in steps of 50 ms. */
		for (t = 0; t < 1200 && access(waitfile, F_OK); t++)
			usleep(50000);
		if (access(waitfile, F_OK))
			return failed("wait");
	}
	c = argv[i];
	argc -= i;
	argv += i;
	if (!strcmp(c, "chroot") && argc == 2)
		return chroot(argv[1]) < 0 ? failed("chroot") : done();
	if (!strcmp(c, "pivot_root") && argc == 2)
		return do_pivot_root(argv[1]);
	if (!strcmp(c, "bind") && argc == 3)
		return mount(argv[1], argv[2], NULL, MS_BIND, NULL) < 0 ? failed("mount --bind") : done();
	if (!strcmp(c, "tmpfs") && argc == 2)
		return mount("t64", argv[1], "tmpfs", 0, NULL) < 0 ? failed("mount -t tmpfs") : done();
	if (!strcmp(c, "fsmount") && argc == 2)
		return do_fsmount(argv[1]);
	if (!strcmp(c, "opentree-exec") && argc == 3)
		return do_opentree_exec(argv[1], argv[2]);
	if (!strcmp(c, "umount") && argc == 2)
		return umount2(argv[1], MNT_DETACH) < 0 ? failed("umount2") : done();
	if (!strcmp(c, "socket") && argc == 2) {
		int r = do_socket(argv[1]);

		if (r != 2)
			return r;
	}
	if (!strcmp(c, "rewrite") && argc == 2)
		return do_rewrite(argv[1]);
	if (!strcmp(c, "write") && argc == 3) {
		int fd = open(argv[1], O_WRONLY | O_CLOEXEC);

		if (fd < 0)
			return failed("open for writing");
		if (write(fd, argv[2], strlen(argv[2])) < 0)
			return failed("write");
		close(fd);
		return done();
	}
	if (!strcmp(c, "ptrace") && argc == 2)
		return do_ptrace(argv[1]);
	if (!strcmp(c, "memfd-exec") && argc >= 3)
		return do_memfd_exec(argv[1], argv + 2);
	if (!strcmp(c, "run") && argc >= 2) {
		execvp(argv[1], argv + 1);
		return failed("execvp");
	}
usage:
	fprintf(stderr, "usage: escape [-U] [-m] [-g CGDIR] [-w FILE] chroot DIR | pivot_root DIR | bind SRC DST | "
		"tmpfs DST | fsmount DST | opentree-exec DIR NAME | umount PATH | "
		"socket raw|packet|sctp | rewrite FILE | write FILE TEXT | ptrace PID | memfd-exec FILE ARG0 ARGS... | run CMD ARGS...\n");
	return 2;
}
