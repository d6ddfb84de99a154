/*
 * audit.c - turn ring-buffer events into JSON audit lines and deliver each
 * to the audit log (file or stdout), the in-memory backlog and the control
 * socket's --follow subscribers.  Losses counted in the kernel are reported
 * as {"lost":N,...} lines.  Nothing here ever waits for a subscriber.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "daemon.h"
#include "capability.h"
#include "control.h"
#include "json.h"
#include "loop.h"
#include "enforcer.skel.h"

#define BACKLOG_LINES 1024
/* Events handled per wake-up: under a flood the ring buffer never empties,
 * and consuming "until empty" would starve the control socket. */
#define CONSUME_BATCH 512

static struct ring_buffer *rb;
static int log_fd = -1;
static int64_t boot_to_real_ns;        /* CLOCK_REALTIME - CLOCK_BOOTTIME */
static char *backlog[BACKLOG_LINES];
static size_t backlog_len[BACKLOG_LINES];
static size_t backlog_head, backlog_count;
static uint64_t lines_written, write_errors, lost_reported;
static struct jbuf line;
static unsigned batch;                 /* events handled in this consume */

static const char *hook_names[] = { "exec", "file", "connect" };
static const char *access_names[] = { "none", "read", "write", "exec" };
static const char *op_names[ENF_OP_MAX] = {
	[ENF_OP_NONE] = "none", [ENF_OP_OPEN] = "open", [ENF_OP_EXEC] = "exec",
	[ENF_OP_CONNECT] = "connect", [ENF_OP_SENDMSG] = "sendmsg", [ENF_OP_MMAP_EXEC] = "mmap_exec",
	[ENF_OP_UNLINK] = "unlink", [ENF_OP_RMDIR] = "rmdir", [ENF_OP_RENAME] = "rename",
	[ENF_OP_LINK] = "link", [ENF_OP_TRUNCATE] = "truncate", [ENF_OP_CHMOD] = "chmod",
	[ENF_OP_CHOWN] = "chown", [ENF_OP_CREATE] = "create", [ENF_OP_CGROUP_MOVE] = "cgroup_move",
	[ENF_OP_MOUNT] = "mount", [ENF_OP_TAMPER] = "tamper",
	[ENF_OP_CAPABLE] = "capable", [ENF_OP_UMOUNT] = "umount", [ENF_OP_PIVOT_ROOT] = "pivot_root",
	[ENF_OP_CHROOT] = "chroot", [ENF_OP_FSOPEN] = "fsopen", [ENF_OP_FSCONFIG] = "fsconfig",
	[ENF_OP_FSMOUNT] = "fsmount", [ENF_OP_MOVE_MOUNT] = "move_mount",
	[ENF_OP_OPEN_TREE] = "open_tree", [ENF_OP_MOUNT_SETATTR] = "mount_setattr",
	[ENF_OP_UNSHARE] = "unshare", [ENF_OP_SETNS] = "setns", [ENF_OP_SOCKET] = "socket",
	[ENF_OP_PTRACE] = "ptrace", [ENF_OP_SYSCTL] = "sysctl",
};

static void calibrate_clock(void)
{
	struct timespec r, b;

	clock_gettime(CLOCK_REALTIME, &r);
	clock_gettime(CLOCK_BOOTTIME, &b);
	boot_to_real_ns = ((int64_t)r.tv_sec - b.tv_sec) * 1000000000LL + (r.tv_nsec - b.tv_nsec);
}

static void backlog_add(const char *s, size_t n)
{
	size_t i = (backlog_head + backlog_count) % BACKLOG_LINES;
	char *copy = malloc(n);

	if (!copy)
		return;
	memcpy(copy, s, n);
	if (backlog_count == BACKLOG_LINES) {
		i = backlog_head;
		backlog_head = (backlog_head + 1) % BACKLOG_LINES;
	} else {
		backlog_count++;
	}
	free(backlog[i]);
	backlog[i] = copy;
	backlog_len[i] = n;
}

void audit_backlog_foreach(backlog_fn fn, void *ctx)
{
	for (size_t k = 0; k < backlog_count; k++) {
		size_t i = (backlog_head + k) % BACKLOG_LINES;

		fn(ctx, backlog[i], backlog_len[i]);
	}
}

/* Deliver one complete JSON object (without newline) everywhere. */
static void deliver(struct jbuf *b, const struct audit_meta *m)
{
	if (b->oom)
		return;
	backlog_add(b->s, b->len);
	control_publish(b->s, b->len, m);
	jb_raw(b, "\n", 1);
	if (log_fd >= 0) {
		size_t off = 0;

		while (off < b->len) {
			ssize_t w = write(log_fd, b->s + off, b->len - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				if (write_errors++ == 0)
					log_err(-errno, "audit log: write failed: %s (lines are still "
						"delivered to subscribers; counted in stats)", strerror(errno));
				break;
			}
			off += w;
		}
		if (off == b->len)
			lines_written++;
	}
}

static void put_time(struct jbuf *b, uint64_t real_ns)
{
	char ts[48];

	json_rfc3339(ts, sizeof(ts), real_ns);
	jb_kstr(b, "time", ts);
}

/* The acting process's executable, while it still exists. */
static void put_exe(struct jbuf *b, uint32_t pid)
{
	char link[64], exe[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%u/exe", pid);
	n = readlink(link, exe, sizeof(exe));
	if (n > 0)
		jb_kbytes(b, "exe", exe, n);
}

/* argv as a JSON array; the last argument may be cut (argv_truncated). */
static void put_argv(struct jbuf *b, const struct enf_event *e)
{
	size_t n = e->argv_len < ENF_ARGV_MAX ? e->argv_len : ENF_ARGV_MAX;
	size_t off = 0;

	jb_key(b, "argv");
	jb_arr_open(b);
	while (off < n) {
		size_t len = strnlen(e->argv + off, n - off);

		jb_strn(b, e->argv + off, len);
		off += len + 1;
	}
	jb_arr_close(b);
	if (e->flags & ENF_EV_ARGV_TRUNC)
		jb_kbool(b, "argv_truncated", true);
}

static int handle_event(void *ctx, void *data, size_t size)
{
	const struct enf_event *e = data;
	const struct enf_policy_src *p;
	const char *cg;
	struct audit_meta m = {};
	struct jbuf *b = &line;

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	p = daemon_policy_by_id(e->generation, e->policy_id);
	jb_reset(b);
	jb_obj_open(b);
	put_time(b, e->ts_boot + boot_to_real_ns);
	m.action = e->action == ENF_ACTION_AUDIT ? "audit" : "deny";
	m.hook = e->hook < ENF_HOOK_MAX ? hook_names[e->hook] :
		 e->hook == ENF_HOOK_CAPABLE ? "capability" : "unknown";
	m.policy = p ? p->name : (e->flags & ENF_EV_FAIL_CLOSED ? "(fail-closed)" : "(unknown)");
	jb_kstr(b, "action", m.action);
	jb_kstr(b, "hook", m.hook);
	jb_kstr(b, "op", e->op < ENF_OP_MAX && op_names[e->op] ? op_names[e->op] : "unknown");
	jb_kstr(b, "policy", m.policy);
	if (p && e->rule_id != ENF_RULE_DEFAULT && e->rule_id < p->nrules) {
		jb_kstr(b, "rule", p->rules[e->rule_id].text);
		jb_kint(b, "rule_line", p->rules[e->rule_id].line);
	} else {
		jb_kstr(b, "rule", e->rule_id == ENF_RULE_SELF ? "self-protection" :
			e->flags & ENF_EV_FAIL_CLOSED ? "fail-closed" : "default");
	}
	if (p)
		jb_kstr(b, "mode", p->mode == ENF_MODE_AUDIT ? "audit" : "enforce");
	jb_kuint(b, "pid", e->pid);
	jb_kuint(b, "tid", e->tid);
	if (e->ns_level) {
		jb_kuint(b, "ns_pid", e->ns_pid);
		jb_kuint(b, "pidns_level", e->ns_level);
	}
	jb_kuint(b, "ppid", e->ppid);
	jb_kuint(b, "uid", e->uid);
	jb_kuint(b, "gid", e->gid);
	jb_kbytes(b, "comm", e->comm, strnlen(e->comm, sizeof(e->comm)));
	put_exe(b, e->pid);
	cg = cgroupfs_path(e->cgid);
	if (cg)
		jb_kbytes(b, "cgroup", cg, strlen(cg));
	else
		jb_kstr(b, "cgroup", "(unknown)");
	jb_kuint(b, "cgroup_id", e->cgid);
	if (e->hook == ENF_HOOK_CONNECT) {
		char addr[INET6_ADDRSTRLEN] = "?";

		inet_ntop(e->family == 4 ? AF_INET : AF_INET6, e->addr, addr, sizeof(addr));
		jb_kstr(b, "addr", addr);
		jb_kuint(b, "port", e->port);
		jb_kstr(b, "proto", e->proto == 6 ? "tcp" : e->proto == 17 ? "udp" : "other");
		jb_kstr(b, "family", e->family == 4 ? "ipv4" : "ipv6");
	} else if (e->hook == ENF_HOOK_CAPABLE) {
		size_t n = e->path_len < ENF_EVENT_PATH ? e->path_len : ENF_EVENT_PATH - 1;
		const char *cap = capability_name(e->cap);

		jb_kstr(b, "capability", cap ? cap : "unknown");
		jb_kuint(b, "syscall_nr", e->sysno);
		if (e->path_len)
			jb_kbytes(b, "path", e->path, n);
		if (e->flags & ENF_EV_PATH_AS_GIVEN)
			jb_kbool(b, "path_as_given", true);
		if (e->flags & ENF_EV_NAME_ONLY)
			jb_kbool(b, "path_is_name", true);
		if (e->flags & ENF_EV_HAS_FSTYPE)
			jb_kbytes(b, "fstype", e->argv, strnlen(e->argv, e->argv_len < ENF_ARGV_MAX ?
								    e->argv_len : ENF_ARGV_MAX - 1));
	} else {
		size_t n = e->path_len < ENF_EVENT_PATH ? e->path_len : ENF_EVENT_PATH - 1;

		if (e->op != ENF_OP_MOUNT && e->op != ENF_OP_TAMPER)
			jb_kbytes(b, "path", e->path, n);
		if (e->flags & ENF_EV_NAME_ONLY)
			jb_kbool(b, "path_is_name", true);
		if (e->flags & ENF_EV_PATH_TRUNC)
			jb_kbool(b, "path_truncated", true);
		if (e->op != ENF_OP_TAMPER)
			jb_kstr(b, "access", e->access < 4 ? access_names[e->access] : "none");
	}
	if (e->flags & ENF_EV_HAS_ARGV)
		put_argv(b, e);
	if (e->flags & ENF_EV_FAIL_CLOSED)
		jb_kbool(b, "fail_closed", true);
	jb_kuint(b, "generation", e->generation);
	jb_obj_close(b);
	deliver(b, &m);
	/* < 0 makes libbpf stop after this (consumed) event; the rest waits
	 * for the next loop round, after the other file descriptors */
	return ++batch >= CONSUME_BATCH ? -EAGAIN : 0;
}

/* Handle at most CONSUME_BATCH events. */
static void consume_some(void)
{
	batch = 0;
	ring_buffer__consume(rb);
}

/* One global counter, summed over CPUs. */
uint64_t audit_counter(uint32_t idx)
{
	int ncpu = libbpf_num_possible_cpus();
	__u64 vals[ncpu > 0 ? ncpu : 1];
	uint64_t sum = 0;

	if (bpf_map_lookup_elem(bpf_map__fd(D.skel->maps.counters), &idx, vals) < 0)
		return 0;
	for (int i = 0; i < ncpu; i++)
		sum += vals[i];
	return sum;
}

uint64_t audit_lost_total(void)
{
	return audit_counter(ENF_CNT_RB_DROPS);
}

static void consume(void *ctx, int fd, uint32_t events)
{
	(void)ctx;
	(void)fd;
	(void)events;
	consume_some();
}

/* Once a second: report new losses; recalibrate the clock (NTP steps). */
void audit_tick(void *ctx)
{
	uint64_t lost;
	struct timespec now;

	(void)ctx;
	consume_some();
	calibrate_clock();
	lost = audit_lost_total();
	if (lost > lost_reported) {
		struct audit_meta m = {};

		clock_gettime(CLOCK_REALTIME, &now);
		jb_reset(&line);
		jb_obj_open(&line);
		jb_kuint(&line, "lost", lost - lost_reported);
		jb_kuint(&line, "lost_total", lost);
		put_time(&line, (uint64_t)now.tv_sec * 1000000000ull + now.tv_nsec);
		jb_kstr(&line, "reason", "ring buffer full");
		jb_obj_close(&line);
		deliver(&line, &m);
		lost_reported = lost;
	}
}

static int open_log(void)
{
	int fd;

	if (!strcmp(D.audit_path, "-"))
		return dup(STDOUT_FILENO);
	fd = open(D.audit_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0)
		return log_err(-errno, "audit log %s: %s", D.audit_path, strerror(errno));
	return fd;
}

int audit_reopen(void)
{
	int fd;

	consume_some();   /* what is pending goes to the old file (bounded) */
	fd = open_log();
	if (fd < 0)
		return fd;
	if (log_fd >= 0)
		close(log_fd);
	log_fd = fd;
	return 0;
}

int audit_init(void)
{
	int fd;

	calibrate_clock();
	jb_init(&line);
	log_fd = open_log();
	if (log_fd < 0)
		return log_fd;
	rb = ring_buffer__new(bpf_map__fd(D.skel->maps.events), handle_event, NULL, NULL);
	if (!rb)
		return log_err(-errno, "audit: ring buffer: %s", strerror(errno));
	fd = ring_buffer__epoll_fd(rb);
	loop_add(fd, 1 /* EPOLLIN */, consume, NULL);
	lost_reported = audit_lost_total();
	return 0;
}

void audit_fini(void)
{
	if (rb) {
		for (int i = 0; i < 64; i++) {    /* drain what is left, bounded */
			batch = 0;
			if (ring_buffer__consume(rb) >= 0)
				break;
		}
		ring_buffer__free(rb);
		rb = NULL;
	}
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
	for (size_t i = 0; i < BACKLOG_LINES; i++) {
		free(backlog[i]);
		backlog[i] = NULL;
	}
	jb_free(&line);
}

uint64_t audit_lines_written(void) { return lines_written; }
uint64_t audit_write_errors(void) { return write_errors; }
