// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpfpoke.c - static helper run inside the test VM (there is no bpftool
 * there): the tampering a confined root process would try against enforcer,
 * one attempt per run, printing "ok" or the errno's name (EPERM, ...).
 *
 *   bpfpoke get PATH              bpf(BPF_OBJ_GET) of a pinned object
 *   bpfpoke detach PATH           BPF_OBJ_GET, then BPF_LINK_DETACH on it
 *   bpfpoke mapwrite PATH         BPF_OBJ_GET, then BPF_MAP_UPDATE_ELEM of a
 *                                 zeroed key and value (BPF_EXIST: only an
 *                                 existing entry, as an attacker would)
 *   bpfpoke nextid prog|map|link  bpf(BPF_*_GET_NEXT_ID) from id 0
 *   bpfpoke byid prog|map|link    the first id, then BPF_*_GET_FD_BY_ID
 *                                 (the id needs no path: the other way in)
 *   bpfpoke ptrace PID            ptrace(PTRACE_ATTACH), detached again
 *   bpfpoke kill PID SIGNUM       kill(2)
 *   bpfpoke write PATH            open(O_WRONLY | O_APPEND): no truncation
 *   bpfpoke create PATH           open(O_CREAT | O_EXCL | O_WRONLY)
 *   bpfpoke unlink PATH           unlink(2) (rmdir(2) for a directory)
 *   bpfpoke rename OLD NEW        rename(2)
 *   bpfpoke insns PREFIX          "NAME VERIFIED_INSNS TYPE" of every loaded
 *                                 program whose name starts with PREFIX
 *                                 (what the verifier processed: its budget;
 *                                 TYPE: enum bpf_prog_type, 5 = tracepoint)
 *   bpfpoke progids PREFIX        "NAME ID" of the same programs (a program
 *                                 kept across a restart keeps its id)
 *
 * Exit status 0 when the attempt succeeded, 1 when it failed, 2 on misuse.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAP_VALUE_MAX 65536     /* the largest key or value we poke */

/* "EPERM": glibc's name of the number (NULL for an unknown one) */
static const char *errno_name(int e)
{
	return strerrorname_np(e);
}

/* Call as report(rc, errno) only with rc already computed: the order in
 * which arguments are evaluated is unspecified. */
static int report(int rc, int err)
{
	const char *n;

	if (rc >= 0) {
		puts("ok");
		return 0;
	}
	n = errno_name(err);
	if (n)
		puts(n);
	else
		printf("E%d\n", err);
	return 1;
}

static int usage(void)
{
	fputs("usage: bpfpoke get|detach|mapwrite PATH | nextid|byid prog|map|link |"
	      " ptrace PID | kill PID SIGNUM | write|create|unlink PATH |"
	      " rename OLD NEW | insns PREFIX | progids PREFIX\n", stderr);
	return 2;
}

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static int obj_get(const char *path)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.pathname = (uint64_t)(uintptr_t)path;
	return (int)sys_bpf(BPF_OBJ_GET, &a);
}

static int do_get(const char *path)
{
	int fd = obj_get(path);

	return report(fd, errno);   /* fd computed first */
}

static int do_detach(const char *path)
{
	union bpf_attr a;
	int fd = obj_get(path), rc;

	if (fd < 0)
		return report(fd, errno);
	memset(&a, 0, sizeof(a));
	a.link_detach.link_fd = fd;
	rc = (int)sys_bpf(BPF_LINK_DETACH, &a);
	return report(rc, errno);
}

static int do_mapwrite(const char *path)
{
	struct bpf_map_info info;
	union bpf_attr a;
	static unsigned char key[MAP_VALUE_MAX], val[MAP_VALUE_MAX];
	int fd = obj_get(path), rc;

	if (fd < 0)
		return report(fd, errno);
	memset(&info, 0, sizeof(info));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = fd;
	a.info.info_len = sizeof(info);
	a.info.info = (uint64_t)(uintptr_t)&info;
	if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a) < 0)
		return report(-1, errno);
	if (info.key_size > MAP_VALUE_MAX || info.value_size > MAP_VALUE_MAX)
		return report(-1, E2BIG);
	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = (uint64_t)(uintptr_t)key;
	a.value = (uint64_t)(uintptr_t)val;
	a.flags = BPF_EXIST;
	rc = (int)sys_bpf(BPF_MAP_UPDATE_ELEM, &a);
	return report(rc, errno);
}

static int id_cmds(const char *kind, int *next, int *byid)
{
	if (!strcmp(kind, "prog")) {
		*next = BPF_PROG_GET_NEXT_ID;
		*byid = BPF_PROG_GET_FD_BY_ID;
	} else if (!strcmp(kind, "map")) {
		*next = BPF_MAP_GET_NEXT_ID;
		*byid = BPF_MAP_GET_FD_BY_ID;
	} else if (!strcmp(kind, "link")) {
		*next = BPF_LINK_GET_NEXT_ID;
		*byid = BPF_LINK_GET_FD_BY_ID;
	} else {
		return -1;
	}
	return 0;
}

static int do_ids(const char *kind, int want_fd)
{
	union bpf_attr a;
	int next, byid, rc;
	uint32_t id;

	if (id_cmds(kind, &next, &byid) < 0)
		return usage();
	memset(&a, 0, sizeof(a));
	a.start_id = 0;
	if (sys_bpf(next, &a) < 0)
		return report(-1, errno);
	id = a.next_id;
	if (!want_fd)
		return report(0, 0);
	memset(&a, 0, sizeof(a));
	if (byid == BPF_PROG_GET_FD_BY_ID)
		a.prog_id = id;
	else if (byid == BPF_MAP_GET_FD_BY_ID)
		a.map_id = id;
	else
		a.link_id = id;
	rc = (int)sys_bpf(byid, &a);
	return report(rc, errno);
}

static int do_insns(const char *prefix, int ids)
{
	union bpf_attr a;
	uint32_t id = 0;

	for (;;) {
		struct bpf_prog_info info;
		int fd;

		memset(&a, 0, sizeof(a));
		a.start_id = id;
		if (sys_bpf(BPF_PROG_GET_NEXT_ID, &a) < 0)
			return errno == ENOENT ? 0 : report(-1, errno);
		id = a.next_id;
		memset(&a, 0, sizeof(a));
		a.prog_id = id;
		fd = (int)sys_bpf(BPF_PROG_GET_FD_BY_ID, &a);
		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		memset(&a, 0, sizeof(a));
		a.info.bpf_fd = (uint32_t)fd;
		a.info.info_len = sizeof(info);
		a.info.info = (uint64_t)(uintptr_t)&info;
		if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a) == 0 &&
		    !strncmp(info.name, prefix, strlen(prefix)))
		{
			if (ids)
				printf("%s %u\n", info.name, info.id);
			else
				printf("%s %u %u\n", info.name, info.verified_insns, info.type);
		}
		close(fd);
	}
}

static int do_ptrace(const char *pidstr)
{
	pid_t pid = (pid_t)atoi(pidstr);
	int st;

	if (pid <= 0)
		return usage();
	if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) < 0)
		return report(-1, errno);
	waitpid(pid, &st, __WALL);
	ptrace(PTRACE_DETACH, pid, NULL, NULL);
	return report(0, 0);
}

static int do_kill(const char *pidstr, const char *sigstr)
{
	pid_t pid = (pid_t)atoi(pidstr);
	int rc;

	if (pid <= 0)
		return usage();
	rc = kill(pid, atoi(sigstr));
	return report(rc, errno);
}

static int do_open(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC, 0644);

	if (fd >= 0)
		close(fd);
	return report(fd, errno);
}

static int do_unlink(const char *path)
{
	struct stat st;
	int rc;

	if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
		rc = rmdir(path);
	else
		rc = unlink(path);
	return report(rc, errno);
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return usage();
	if (argc == 3 && !strcmp(argv[1], "get"))
		return do_get(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "detach"))
		return do_detach(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "mapwrite"))
		return do_mapwrite(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "nextid"))
		return do_ids(argv[2], 0);
	if (argc == 3 && !strcmp(argv[1], "byid"))
		return do_ids(argv[2], 1);
	if (argc == 3 && !strcmp(argv[1], "insns"))
		return do_insns(argv[2], 0);
	if (argc == 3 && !strcmp(argv[1], "progids"))
		return do_insns(argv[2], 1);
	if (argc == 3 && !strcmp(argv[1], "ptrace"))
		return do_ptrace(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "kill"))
		return do_kill(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "write"))
		return do_open(argv[2], O_WRONLY | O_APPEND);
	if (argc == 3 && !strcmp(argv[1], "create"))
		return do_open(argv[2], O_WRONLY | O_CREAT | O_EXCL);
	if (argc == 3 && !strcmp(argv[1], "unlink"))
		return do_unlink(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "rename")) {
		int rc = rename(argv[2], argv[3]);

		return report(rc, errno);
	}
	return usage();
}
