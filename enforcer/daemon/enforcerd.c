// SPDX-License-Identifier: GPL-2.0-only
/*
 * enforcerd.c - the enforcer daemon: parse options, check that the kernel
 * can enforce, load and fill the BPF maps, attach, then serve the control
 * socket and the audit stream until SIGTERM/SIGINT.  SIGHUP reloads the
 * policy directory, SIGUSR1 reopens the audit log.  The wiring lives here:
 * the table of control verbs, the audit publisher, the order of start-up;
 * the modules it wires do not call back into it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>
#include "daemon.h"
#include "handlers.h"
#include "jparse.h"
#include "json.h"
#include "loop.h"
#include "proto_client.h"
#include "enforcer.skel.h"

struct daemon D = {
	.policy_dir = "/etc/enforcer/policies",
	.socket_path = "/run/enforcer/enforcer.sock",
	.audit_path = "-",
	.pin_dir = "/sys/fs/bpf/enforcer",
	.max_rules = 262144,
	.max_cgroups = 16384,
	.storm_burst = 5,
};

static bool unloaded;

static volatile sig_atomic_t stop;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: enforcerd [OPTIONS]\n"
		"  --policy-dir DIR      policies to enforce (default /etc/enforcer/policies)\n"
		"  --socket PATH         control socket (default /run/enforcer/enforcer.sock)\n"
		"  --socket-group NAME   group allowed to read on the control socket (status,\n"
		"                        stats, audit; default: root only)\n"
		"  --admin-group NAME    group also allowed to reload, reopen, bind and unload\n"
		"                        (default: root only)\n"
		"  --audit-log PATH|-    audit JSON lines (default -, stdout)\n"
		"  --pin-dir DIR         bpffs directory that keeps enforcement in force when\n"
		"                        enforcerd stops or dies (default /sys/fs/bpf/enforcer)\n"
		"  --no-pin              enforcement ends when enforcerd exits\n"
		"  --unload              remove pinned enforcement (and stop a running enforcerd)\n"
		"  --watch               reload when the policy directory changes\n"
		"  --max-rules N         path rules (and inode entries) one policy set may\n"
		"                        compile to (default 262144; the maps hold two sets)\n"
		"  --max-cgroups N       entries of the cgroup binding map, both sets together\n"
		"                        (default 16384)\n"
		"  --storm-window MS     deny storms: at most --storm-burst lines per process,\n"
		"                        rule and operation in MS milliseconds, the repeats\n"
		"                        counted as \"suppressed\" (default 0: off, a line per\n"
		"                        denial)\n"
		"  --storm-burst N       full lines per storm window (default 5)\n"
		"  --no-verdict-cache    judge every governed file open by its rules (no cache\n"
		"                        of read-only opens' allows; for comparisons)\n"
		"  --runtime PATH        a program that sets up services or containers inside\n"
		"                        their cgroup (setup phase: capabilities not judged\n"
		"                        until it execs the workload); repeatable, replaces\n"
		"                        the built-in list (systemd, systemd-executor, runc,\n"
		"                        crun)\n"
		"  -v, --verbose         libbpf debug output\n"
		"  -h, --help            this text\n"
		"  -V, --version         print the version\n");
}

static int parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy-dir", required_argument, NULL, 'p' },
		{ "socket", required_argument, NULL, 's' },
		{ "socket-group", required_argument, NULL, 'g' },
		{ "admin-group", required_argument, NULL, 'G' },
		{ "audit-log", required_argument, NULL, 'a' },
		{ "pin-dir", required_argument, NULL, 'P' },
		{ "no-pin", no_argument, NULL, 'N' },
		{ "unload", no_argument, NULL, 'U' },
		{ "watch", no_argument, NULL, 'W' },
		{ "max-rules", required_argument, NULL, 'R' },
		{ "max-cgroups", required_argument, NULL, 'C' },
		{ "storm-window", required_argument, NULL, 'w' },
		{ "storm-burst", required_argument, NULL, 'b' },
		{ "no-verdict-cache", no_argument, NULL, 'K' },
		{ "runtime", required_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{}
	};
	int c;

	while ((c = getopt_long(argc, argv, "vhV", opts, NULL)) != -1) {
		switch (c) {
		case 'p': D.policy_dir = optarg; break;
		case 's': D.socket_path = optarg; break;
		case 'g': D.socket_group = optarg; break;
		case 'G': D.admin_group = optarg; break;
		case 'a': D.audit_path = optarg; break;
		case 'P': D.pin_dir = optarg; break;
		case 'N': D.pin_dir = NULL; break;
		case 'U': D.unload = true; break;
		case 'W': D.watch = true; break;
		case 'K': D.no_vcache = true; break;
		case 'R': {
			char *end;
			unsigned long n = strtoul(optarg, &end, 10);

			if (*end || n < 1024 || n > (1UL << 22)) {
				fprintf(stderr, "enforcerd: --max-rules: a number from 1024 to %lu\n", 1UL << 22);
				exit(2);
			}
			D.max_rules = n;
			break;
		}
		case 'C': {
			char *end;
			unsigned long n = strtoul(optarg, &end, 10);

			if (*end || n < 16 || n > (1UL << 20)) {
				fprintf(stderr, "enforcerd: --max-cgroups: a number from 16 to %lu\n", 1UL << 20);
				exit(2);
			}
			D.max_cgroups = n;
			break;
		}
		case 'w':
		case 'b': {
			char *end;
			unsigned long n = strtoul(optarg, &end, 10);
			unsigned long lo = c == 'w' ? 0 : 1, hi = c == 'w' ? 3600000 : 1000000;

			if (!*optarg || *end || n < lo || n > hi) {
				fprintf(stderr, "enforcerd: --storm-%s: a number from %lu to %lu\n",
					c == 'w' ? "window" : "burst", lo, hi);
				exit(2);
			}
			if (c == 'w')
				D.storm_window_ms = n;
			else
				D.storm_burst = n;
			break;
		}
		case 'r':
			if (D.nruntimes >= RUNTIMES_MAX || optarg[0] != '/') {
				fprintf(stderr, "enforcerd: --runtime: an absolute path, at most %d of them\n",
					RUNTIMES_MAX);
				exit(2);
			}
			D.runtimes[D.nruntimes++] = optarg;
			break;
		case 'v': D.verbose++; break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("enforcerd %s\n", ENFORCER_VERSION); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "enforcerd: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		exit(2);
	}
	return 0;
}

static void on_signal(void *ctx, int fd, uint32_t events)
{
	struct signalfd_siginfo si;

	(void)ctx;
	(void)events;
	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			stop = 1;
			break;
		case SIGHUP: {
			struct enf_errors err = {};

			reload_request(&err);
			errors_free(&err);
			break;
		}
		case SIGUSR1: {
			struct enf_errors err = {};
			int r = audit_rotate(&err);

			if (r == 0)
				log_info("audit log reopened");
			else if (r > 0)
				log_err(-EIO, "audit log reopened but not protected: %s",
					err.n ? err.msg[0] : "?");
			errors_free(&err);
			break;
		}
		}
	}
}

static int signals_init(void)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	return loop_add(fd, 1 /* EPOLLIN */, on_signal, NULL);
}

/* Ask a running enforcerd to unload over its socket; 0 if it did. */
static int unload_via_socket(void)
{
	struct proto_conn c = { .fd = -1 };
	long long deadline = proto_now_ms() + 10 * 1000;
	struct jval v = {};
	const struct jval *ok;
	char *line;
	size_t len;
	int ret = -1;

	if (proto_conn_open(&c, D.socket_path, 4096, deadline) == 0 &&
	    proto_conn_send(&c, "unload\n", deadline) == 0 &&
	    proto_conn_line(&c, &line, &len, deadline) > 0 && jparse(line, len, &v) == 0) {
		ok = jval_get(&v, "ok");
		ret = ok && ok->type == J_BOOL && ok->b ? 0 : -1;
	}
	jval_free(&v);
	proto_conn_close(&c);
	return ret;
}

/* enforcerd --unload */
static int do_unload(void)
{
	if (!D.pin_dir)
		D.pin_dir = "/sys/fs/bpf/enforcer";
	if (unload_via_socket() == 0)
		log_info("unload: the running enforcerd detached its programs and exits");
	if (pin_remove() < 0)
		return 1;
	pin_wait_detached();
	attribution_remove();
	log_info("unload: enforcement removed (%s)", D.pin_dir);
	return 0;
}

/* unload: detach, remove the pins, exit. */
static int handle_unload(struct jbuf *b, const struct proto_req *req)
{
	int ret = D.pin_dir ? pin_remove() : 0;

	(void)req;
	jb_obj_open(b);
	jb_kbool(b, "ok", ret == 0);
	if (ret == 0) {
		struct bpf_object_skeleton *sk = D.skel->skeleton;

		attribution_remove();

		/* detach now, not when the daemon exits */
		for (int i = 0; i < sk->prog_cnt; i++) {
			bpf_link__destroy(*sk->progs[i].link);
			*sk->progs[i].link = NULL;
		}
		pin_wait_detached();
		D.live = false;
		jb_kbool(b, "unloaded", true);
		unloaded = true;
		stop = 1;
		log_info("unload requested: detaching and exiting");
	} else {
		jb_kstr(b, "error", strerror(-ret));
	}
	jb_obj_close(b);
	return ret;
}

/* The verbs enforcerd serves besides ping and audit (control.c's own). */
static const struct control_verb verbs[] = {
	/* verb          handler          tier */
	{ PROTO_STATUS, handle_status, CONTROL_READ },
	{ PROTO_POLICIES, handle_policies, CONTROL_READ },
	{ PROTO_STATS, handle_stats, CONTROL_READ },
	{ PROTO_RELOAD, handle_reload, CONTROL_ADMIN },
	{ PROTO_REOPEN, handle_reopen, CONTROL_ADMIN },
	{ PROTO_UNLOAD, handle_unload, CONTROL_ADMIN },
	{ PROTO_BIND, handle_bind, CONTROL_ADMIN },
	{ PROTO_SHADOW, handle_shadow, CONTROL_ADMIN },
	{ PROTO_PROMOTE, handle_promote, CONTROL_ADMIN },
};

int main(int argc, char **argv)
{
	struct enf_errors err = {};
	struct control_config control = {
		.verbs = verbs,
		.nverbs = sizeof(verbs) / sizeof(verbs[0]),
		.peer_confined = peer_confined,
		.backlog_foreach = audit_backlog_foreach,
	};
	int ret = 1;

	parse_args(argc, argv);
	control.path = D.socket_path;
	control.group = D.socket_group;
	control.admin_group = D.admin_group;
	D.started = time(NULL);
	setvbuf(stderr, NULL, _IOLBF, 0);
	if (D.unload)
		return do_unload();

	if (bpf_setup_check_lsm() < 0)
		return 1;
	if (cgroupfs_find_root(D.cgroup_root, sizeof(D.cgroup_root)) < 0) {
		log_err(-ENOENT, "no cgroup v2 hierarchy in /proc/self/mountinfo: "
			"mount one (mount -t cgroup2 none /sys/fs/cgroup)");
		return 1;
	}
	if (!D.pin_dir && access("/sys/fs/bpf/enforcer/maps", F_OK) == 0) {
		log_err(-EEXIST, "pinned enforcement exists in /sys/fs/bpf/enforcer: run without --no-pin "
			"to adopt it, or 'enforcerd --unload' first");
		return 1;
	}
	if (loop_init() < 0 || signals_init() < 0) {
		log_err(-errno, "event loop: %s", strerror(errno));
		return 1;
	}
	D.adopted = D.pin_dir && pin_exists();
	if (bpf_setup_load(&D.skel, D.verbose, D.adopted) < 0)
		return 1;
	if (D.adopted) {
		D.generation = __atomic_load_n(&D.skel->bss->enf_generation, __ATOMIC_SEQ_CST);
		policy_apply_adopted();
		log_info("adopted pinned enforcement (generation %llu) from %s",
			 (unsigned long long)D.generation, D.pin_dir);
		attribution_load(D.generation);
	}
	self_id_publish();
	/* deny storms: set on every start (an adopted .bss keeps the old ones) */
	D.skel->bss->enf_storm_burst = D.storm_burst;
	__atomic_store_n(&D.skel->bss->enf_storm_window_ns, (uint64_t)D.storm_window_ms * 1000000ull,
			 __ATOMIC_SEQ_CST);
	/* the verdict cache: on or off as this start says; an adopted cache's
	 * entries (another enforcerd's) never hit again */
	__atomic_store_n(&D.skel->bss->enf_vcache_off, D.no_vcache ? 1u : 0u, __ATOMIC_SEQ_CST);
	__atomic_fetch_add(&D.skel->bss->enf_vcache_epoch, 1, __ATOMIC_SEQ_CST);
	if (audit_init(control_publish) < 0)
		goto out;
	bindings_load();
	/* the pin directory exists before the first fill: it is self-protected */
	if (D.pin_dir && pin_mkdirs() < 0) {
		log_err(-errno, "pin: creating %s: %s (is bpffs mounted on /sys/fs/bpf?)", D.pin_dir,
			strerror(errno));
		goto out;
	}
	if (reload_load(&err) < 0) {
		for (size_t i = 0; i < err.n; i++)
			fprintf(stderr, "%s\n", err.msg[i]);
		if (D.adopted)
			log_err(-EINVAL, "policy errors: not starting; the pinned policy set (generation %llu) "
				"stays in force", (unsigned long long)D.generation);
		else
			log_err(-EINVAL, "policy errors: not starting");
		goto out;
	}
	if (bpf_setup_attach(D.skel) < 0)
		goto out;
	if (D.pin_dir && pin_all(D.skel, D.adopted) < 0)
		goto out;
	D.live = true;
	if (control_init(&control) < 0)
		goto out;
	peer_mark_listener(control_listen_fd());
	loop_add_tick(audit_tick, NULL);
	loop_add_tick(notify_watchdog_tick, NULL);
	if (D.watch && watch_init() < 0)
		goto out;
	log_info("enforcement live: generation %llu, %zu policies from %s, control socket %s",
		 (unsigned long long)D.generation, D.cur.n, D.policy_dir, D.socket_path);
	notify("READY=1\nSTATUS=enforcing generation %llu, %zu policies",
	       (unsigned long long)D.generation, D.cur.n);
	if (caps_drop() < 0)
		goto out;

	ret = loop_run(&stop) < 0 ? 1 : 0;
	notify("STOPPING=1");
	if (unloaded)
		log_info("stopping: enforcement removed");
	else if (D.pin_dir)
		log_info("stopping: enforcement stays in force (pinned in %s; 'enforcerd --unload' removes it)",
			 D.pin_dir);
	else
		log_info("stopping: enforcement ends");
out:
	errors_free(&err);
	control_fini();
	audit_fini();
	bpf_setup_destroy(D.skel);
	policy_set_free(&D.cur);
	policy_set_free(&D.prev);
	attribution_fini();
	return ret;
}
