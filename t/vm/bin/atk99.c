// SPDX-License-Identifier: GPL-2.0-only
/*
 * atk99.c - attacker helper for t/vm/guest/99-lin-red.sh (who may start a
 * setup phase: refusals, moves, ptrace).  Each mode ends by exec'ing PROG
 * ARGS (the runtime: `atk97 mnt` prints ok or the errno's name), or
 * prints STEP:ERRNO for the step that failed.
 *   atk99 uring-move CGFILE PROG ARGS...
 *        open CGFILE (a cgroup.procs) for writing by io_uring's
 *        IORING_OP_OPENAT with IOSQE_ASYNC (an io-wq worker thread opens
 *        it), write its own pid through it (a self-move), exec PROG
 *   atk99 open-move CGFILE PROG ARGS...
 *        the same with openat(2) (the control)
 *   atk99 thr-open CGFILE PROG ARGS...
 *        a second thread opens CGFILE and ends; the leader writes the
 *        pid through it, then execs PROG
 *   atk99 thr-move CGFILE PROG ARGS...
 *        a second thread opens CGFILE and writes the pid (moves the whole
 *        process) and ends; the leader execs PROG
 *   atk99 thr-exec CGFILE PROG ARGS...
 *        the leader opens CGFILE (kept across exec); a second thread,
 *        made before the open, execs `atk99 fd-move FD PROG ARGS...` (de_thread: the exec'ing
 *        thread becomes the leader)
 *   atk99 open-exec CGFILE PROG ARGS...
 *        the same with the leader exec'ing (the control)
 *   atk99 fd-move FD PROG ARGS...
 *        write its pid through descriptor FD (a cgroup.procs it inherited)
 *        then exec PROG
 *   atk99 fd-tmove FD PROG ARGS...
 *        the same with its tid (a cgroup.threads)
 *   atk99 ptrace-exec PID PROG ARG
 *        PTRACE_ATTACH to PID (stopped in a syscall), make it execve(PROG,
 *        [PROG, ARG], []) and detach; prints injected, or attach:ERRNO
 *   atk99 pause
 *        print its pid, then wait in pause() (a ptrace victim)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
#include "uring_one.h"

extern char **environ;

static const char *en(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOENT: return "ENOENT";
	case EINVAL: return "EINVAL";
	case EBADF: return "EBADF";
	case ESRCH: return "ESRCH";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	default: return strerror(e);
	}
}

static int say(const char *step, int e)
{
	printf("%s:%s\n", step, en(e));
	fflush(stdout);
	return 1;
}

static int run(char **argv)
{
	fflush(stdout);
	execve(argv[0], argv, environ);
	return say("exec", errno);
}

static int write_id(int fd, long id)
{
	char s[32];
	int n = snprintf(s, sizeof(s), "%ld\n", id);

	return write(fd, s, n) == n ? 0 : -1;
}

static int uring_open(const char *path)
{
	struct io_uring_sqe sqe;
	int err, r;

	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_OPENAT;
	sqe.flags = IOSQE_ASYNC;        /* io-wq: a worker thread opens it */
	sqe.fd = AT_FDCWD;
	sqe.addr = (uint64_t)(uintptr_t)path;
	sqe.open_flags = O_WRONLY;
	r = uring_one(&sqe, &err);
	if (r == 1 && err) {
		errno = err;
		return -2;
	}
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return r;
}

struct thr {
	const char *path;
	int fd, err, move;
};

static void *thr_open(void *a)
{
	struct thr *t = a;

	t->fd = open(t->path, O_WRONLY);
	t->err = t->fd < 0 ? errno : 0;
	if (t->fd >= 0 && t->move && write_id(t->fd, getpid()))
		t->err = errno, t->move = -1;
	return NULL;
}

struct thx {
	char **argv;
	int err, go[2];
};

/* made before the leader opens the file (a thread made after inherits
 * the leader's mark at clone), it execs when the leader says so */
static void *thr_exec(void *a)
{
	struct thx *t = a;
	char c;

	if (read(t->go[0], &c, 1) != 1) {
		t->err = EINVAL;
		return NULL;
	}
	fflush(stdout);
	execve(t->argv[0], t->argv, environ);
	t->err = errno;
	return NULL;
}

static int ptrace_exec(pid_t pid, const char *prog, const char *arg)
{
	struct user_regs_struct r;
	unsigned long base, a0, a1, p0;
	char buf[256];
	size_t n, i;
	int st;

	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL))
		return say("attach", errno);
	if (waitpid(pid, &st, __WALL) != pid || !WIFSTOPPED(st))
		return say("wait", errno);
	if (ptrace(PTRACE_GETREGS, pid, NULL, &r))
		return say("getregs", errno);
	/* strings and argv below the red zone of its stack */
	base = ((r.rsp - 4096) & ~15UL) - 1024;
	memset(buf, 0, sizeof(buf));
	a0 = base + 64;
	a1 = a0 + strlen(prog) + 1;
	p0 = base;
	memcpy(buf + 64, prog, strlen(prog) + 1);
	memcpy(buf + 64 + strlen(prog) + 1, arg, strlen(arg) + 1);
	memcpy(buf, &a0, 8);
	memcpy(buf + 8, &a1, 8);        /* argv: a0, a1, NULL; envp: NULL */
	n = 64 + strlen(prog) + strlen(arg) + 2;
	for (i = 0; i < n; i += 8) {
		unsigned long w;

		memcpy(&w, buf + i, 8);
		if (ptrace(PTRACE_POKEDATA, pid, (void *)(base + i), (void *)w))
			return say("poke", errno);
	}
	/* stopped in a syscall: rip follows its `syscall` instruction */
	r.rip -= 2;
	r.rax = SYS_execve;
	r.orig_rax = -1;
	r.rdi = a0;
	r.rsi = p0;
	r.rdx = base + 16;
	if (ptrace(PTRACE_SETREGS, pid, NULL, &r))
		return say("setregs", errno);
	if (ptrace(PTRACE_DETACH, pid, NULL, NULL))
		return say("detach", errno);
	printf("injected\n");
	return 0;
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	int fd;

	if (!strcmp(m, "pause")) {
		printf("%d\n", getpid());
		fflush(stdout);
		for (;;)
			pause();
	}
	if (argc >= 5 && !strcmp(m, "ptrace-exec"))
		return ptrace_exec(atoi(argv[2]), argv[3], argv[4]);
	if (argc < 4)
		goto usage;
	if (!strcmp(m, "uring-move") || !strcmp(m, "open-move")) {
		fd = m[0] == 'u' ? uring_open(argv[2]) : open(argv[2], O_WRONLY);
		if (fd < 0)
			return say(fd == -2 ? "uring" : "open", errno);
		if (write_id(fd, getpid()))
			return say("move", errno);
		return run(argv + 3);
	}
	if (!strcmp(m, "thr-open") || !strcmp(m, "thr-move")) {
		struct thr t = { .path = argv[2], .move = m[4] == 'm' };
		pthread_t th;

		if (pthread_create(&th, NULL, thr_open, &t) || pthread_join(th, NULL))
			return say("thread", EINVAL);
		if (t.fd < 0)
			return say("open", t.err);
		if (t.move < 0)
			return say("move", t.err);
		if (!t.move && write_id(t.fd, getpid()))
			return say("move", errno);
		return run(argv + 3);
	}
	if (!strcmp(m, "thr-exec") || !strcmp(m, "open-exec")) {
		char fds[16], **nargv = calloc(argc + 2, sizeof(char *));
		struct thx t = { .argv = nargv };
		pthread_t th;
		int i;

		if (pipe(t.go) || (m[0] == 't' && pthread_create(&th, NULL, thr_exec, &t)))
			return say("thread", EINVAL);
		fd = open(argv[2], O_WRONLY);
		if (fd < 0)
			return say("open", errno);
		snprintf(fds, sizeof(fds), "%d", fd);
		nargv[0] = "/proc/self/exe";
		nargv[1] = "fd-move";
		nargv[2] = fds;
		for (i = 3; i < argc; i++)
			nargv[i] = argv[i];
		if (m[0] == 'o') {
			fflush(stdout);
			execve("/proc/self/exe", nargv, environ);
			return say("exec", errno);
		}
		if (write(t.go[1], "x", 1) != 1 || pthread_join(th, NULL))
			return say("thread", EINVAL);
		return say("exec", t.err);
	}
	if (!strcmp(m, "fd-move") || !strcmp(m, "fd-tmove")) {
		long id = m[3] == 't' ? (long)syscall(SYS_gettid) : (long)getpid();

		if (write_id(atoi(argv[2]), id))
			return say("move", errno);
		return run(argv + 3);
	}
usage:
	fprintf(stderr, "usage: atk99 uring-move|open-move|thr-open|thr-move|thr-exec|open-exec CGFILE PROG ARGS... |"
		" fd-move|fd-tmove FD PROG ARGS... | ptrace-exec PID PROG ARG | pause\n");
	return 2;
}
