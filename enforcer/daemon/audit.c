// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit.c - audit delivery: read events from the ring buffer, resolve what
 * they only name (policy, cgroup path, executable, wall-clock time), have
 * audit_format.c write the line, and deliver it to the audit log (file or
 * stdout), the in-memory backlog and the publisher given to audit_init()
 * (the control socket's --follow subscribers).  Losses counted in the kernel
 * are reported as {"lost":N,...} lines.  Deny storms: audit_storm_flush()
 * has the kernel write a summary record for each key whose repeats are
 * still pending (every second, at reload and at stop).  Nothing here ever
 * waits for a subscriber.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/uio.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "daemon.h"
#include "audit_format.h"
#include "json.h"
#include "shadow_model.h"
#include "loop.h"
#include "enforcer.skel.h"

#define BACKLOG_LINES 1024
/* Events handled per wake-up: under a flood the ring buffer never empties,
 * and consuming "until empty" would starve the control socket. */
#define CONSUME_BATCH 512

static struct ring_buffer *rb;
static int log_fd = -1;
static int log_journal;                /* log_fd is the journal stream: "<N>" prefixes */
static int64_t boot_to_real_ns;        /* CLOCK_REALTIME - CLOCK_BOOTTIME */
static char *backlog[BACKLOG_LINES];
static size_t backlog_len[BACKLOG_LINES];
static size_t backlog_head, backlog_count;
static uint64_t lines_written, write_errors, lost_reported;
static struct jbuf line;
static unsigned batch;                 /* events handled in this consume */
static audit_publish_fn publish;

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
void audit_deliver(struct jbuf *b, const struct audit_meta *m)
{
	if (b->oom)
		return;
	backlog_add(b->s, b->len);
	publish(b->s, b->len, m);
	jb_raw(b, "\n", 1);
	if (log_fd >= 0) {
		/* journald: denials and losses at warning, audit-mode lines at
		 * notice (`journalctl -u enforcer -p warning` finds denials).
		 * The prefix and the line go in one writev(): journald takes
		 * the priority from the start of a line as it receives it. */
		const char *prio = !log_journal ? "" :
				   m->action && (!strcmp(m->action, "audit") ||
						 !strcmp(m->action, "shadow")) ? "<5>" : "<4>";
		size_t plen = strlen(prio), total = plen + b->len, off = 0;

		while (off < total) {
			struct iovec iov[2] = {
				{ .iov_base = (char *)prio + off, .iov_len = plen - off },
				{ .iov_base = b->s, .iov_len = b->len },
			};
			ssize_t w = off < plen ? writev(log_fd, iov, 2)
					       : write(log_fd, b->s + (off - plen), total - off);

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
		if (off == total)
			lines_written++;
	}
}

/* The acting process's executable, while it still exists: for the records
 * that carry none (fail-closed ones). */
static size_t read_exe(uint32_t pid, char *exe, size_t sz)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%u/exe", pid);
	n = readlink(link, exe, sz);
	return n > 0 ? (size_t)n : 0;
}

static int handle_event(void *ctx, void *data, size_t size)
{
	const struct enf_event *e = data;
	struct audit_context ac = {};
	struct audit_meta m = {};
	char exe[PATH_MAX];

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	ac.policy = daemon_policy_by_id(e->generation, e->policy_id);
	ac.real_ns = e->ts_boot + boot_to_real_ns;
	ac.exe_len = audit_event_exe(e, exe, sizeof(exe), &ac.exe_truncated);
	if (!ac.exe_len)
		ac.exe_len = read_exe(e->pid, exe, sizeof(exe));
	ac.exe = ac.exe_len ? exe : NULL;
	ac.cgroup = cgroupfs_path(e->cgid);
	/* the observation policy's records are judged, not delivered (a deny
	 * storm summary of it has nothing to judge: dropped) */
	if (e->summary ? ac.policy && !strcmp(ac.policy->name, SHADOW_OBSERVE_NAME)
		       : shadow_event(e, &ac))
		return ++batch >= CONSUME_BATCH ? -EAGAIN : 0;
	jb_reset(&line);
	audit_format_event(&line, e, &ac, &m);
	audit_deliver(&line, &m);
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

/*
 * Deny storms: run enf_storm_flush, which writes a summary record for each
 * key with suppressed denials not yet reported (force: every such key now,
 * and the keys of older generations go).  The records arrive through the
 * ring buffer like any other.
 */
void audit_storm_flush(int force)
{
	struct enf_storm_flush_ctx c = { .generation = D.generation, .force = force ? 1 : 0 };
	LIBBPF_OPTS(bpf_test_run_opts, o, .ctx_in = &c, .ctx_size_in = sizeof(c));
	static bool warned;

	if (!D.skel || bpf_prog_test_run_opts(bpf_program__fd(D.skel->progs.enf_storm_flush), &o) == 0 ||
	    warned)
		return;
	warned = true;
	log_err(-errno, "deny storms: the summary flush failed: %s (suppressed counts are reported "
		"with the key's next line)", strerror(errno));
}

/* Once a second: report new losses; recalibrate the clock (NTP steps). */
void audit_tick(void *ctx)
{
	uint64_t lost;
	struct timespec now;

	(void)ctx;
	audit_storm_flush(0);
	consume_some();
	calibrate_clock();
	lost = audit_lost_total();
	if (lost > lost_reported) {
		struct audit_meta m = {};

		clock_gettime(CLOCK_REALTIME, &now);
		jb_reset(&line);
		audit_format_lost(&line, lost - lost_reported, lost,
				  (uint64_t)now.tv_sec * 1000000000ull + now.tv_nsec);
		audit_deliver(&line, &m);
		lost_reported = lost;
	}
}

static int open_log(void)
{
	int fd;

	log_journal = 0;
	if (!strcmp(D.audit_path, "-")) {
		log_journal = fd_is_journal(STDOUT_FILENO);
		return dup(STDOUT_FILENO);
	}
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

int audit_init(audit_publish_fn publisher)
{
	int fd;

	publish = publisher;
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
	if (rb && D.live)
		audit_storm_flush(1);   /* nothing pending stays unreported */
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
