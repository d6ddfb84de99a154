// SPDX-License-Identifier: GPL-2.0-only
/* test_control.c - the real control socket server (control.c + loop.c) on a
 * socket in a temporary directory, driven by raw clients: requests and
 * answers, SO_PEERCRED refusal of an unprivileged uid, long lines, binary
 * garbage, 50 concurrent clients, silent clients, a follower that never
 * reads, filters, the client limit, the idle timeout and socket setup rules;
 * the two tiers: members of --socket-group read, root and --admin-group
 * change, a confined or vanished peer only reads, decided at accept (a pid
 * reused later changes nothing).  The daemon's handlers are stubs defined
 * here; the confinement stub reads its answer from a file the test writes. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "json.h"
#include "loop.h"
#include "proto.h"
#include "tap.h"

/* ---- stub handlers (the server side) ---- */

static int reply(struct jbuf *out, const char *json)
{
	jb_raw(out, json, strlen(json));
	return 0;
}

static int handle_status(struct jbuf *out, const struct proto_req *req)
{
	(void)req;
	return reply(out, "{\"ok\":true,\"version\":\"test\"}");
}

static int handle_policies(struct jbuf *out, const struct proto_req *req)
{
	(void)req;
	return reply(out, "{\"ok\":true,\"policies\":[]}");
}

static int handle_reopen(struct jbuf *out, const struct proto_req *req)
{
	(void)req;
	return reply(out, "{\"ok\":true}");
}

static int handle_reload(struct jbuf *out, const struct proto_req *req)
{
	(void)req;
	return reply(out, "{\"ok\":false,\"error\":\"policy errors\",\"errors\":[\"a.ini:3: bad\"]}") - 1;
}

static int handle_stats(struct jbuf *out, const struct proto_req *req)
{
	if (req->prometheus)
		return reply(out, "{\"ok\":true,\"text\":\"enforcer_up 1\\n\"}");
	jb_obj_open(out);
	jb_kbool(out, "ok", true);
	jb_key(out, "control");
	control_stats(out);
	jb_obj_close(out);
	return 0;
}

static void backlog_foreach(backlog_fn fn, void *ctx)
{
	static const char *lines[] = {
		"{\"policy\":\"web\",\"hook\":\"exec\",\"action\":\"deny\",\"n\":1}",
		"{\"policy\":\"db\",\"hook\":\"file\",\"action\":\"audit\",\"n\":2}",
		"{\"lost\":5}",
	};

	for (size_t i = 0; i < 3; i++)
		fn(ctx, lines[i], strlen(lines[i]));
}

static int handle_bind(struct jbuf *out, const struct proto_req *req)
{
	(void)req;
	return reply(out, "{\"ok\":true,\"cgroup\":\"/x\"}");
}

/* What the daemon would say about the connecting peer: the test writes
 * "confined" or "gone" into peer_mode_path before connecting; no file: not
 * confined.  Each call appends the pid it was given to peer_pids_path. */
static char peer_mode_path[300], peer_pids_path[300];

static int peer_confined_stub(const struct control_peer *peer)
{
	char mode[32] = "";
	FILE *f = fopen(peer_mode_path, "r");

	if (f) {
		if (!fgets(mode, sizeof(mode), f))
			mode[0] = '\0';
		fclose(f);
	}
	f = fopen(peer_pids_path, "a");
	if (f) {
		fprintf(f, "%d\n", (int)peer->pid);
		fclose(f);
	}
	if (!strncmp(mode, "confined", 8))
		return 1;
	if (!strncmp(mode, "gone", 4))
		return -ESRCH;
	return 0;
}

/* No unload: the server answers it "not supported". */
static const struct control_verb verbs[] = {
	{ PROTO_STATUS, handle_status, CONTROL_READ },
	{ PROTO_POLICIES, handle_policies, CONTROL_READ },
	{ PROTO_STATS, handle_stats, CONTROL_READ },
	{ PROTO_RELOAD, handle_reload, CONTROL_ADMIN },
	{ PROTO_REOPEN, handle_reopen, CONTROL_ADMIN },
	{ PROTO_BIND, handle_bind, CONTROL_ADMIN },
};

static int server_listen(const char *path, const char *group, const char *admin)
{
	static struct control_config cfg = {
		.verbs = verbs,
		.nverbs = sizeof(verbs) / sizeof(verbs[0]),
		.peer_confined = peer_confined_stub,
		.backlog_foreach = backlog_foreach,
	};

	cfg.path = path;
	cfg.group = group;
	cfg.admin_group = admin;
	return control_init(&cfg);
}

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* Commands from the test through a pipe: F = flood, f = filtered set. */
static void on_cmd(void *ctx, int fd, uint32_t events)
{
	static char big[1100];
	struct audit_meta web = { "web", "exec", "deny" }, db = { "db", "exec", "deny" };
	struct audit_meta lost = { 0 };
	char c;

	(void)ctx;
	(void)events;
	if (read(fd, &c, 1) != 1)
		return;
	if (c == 'F') {
		memset(big, 'x', sizeof(big));
		memcpy(big, "{\"policy\":\"web\",\"p\":\"", 21);
		memcpy(big + sizeof(big) - 2, "\"}", 2);
		for (int i = 0; i < 4000; i++)
			control_publish(big, sizeof(big), &web);
	} else if (c == 'f') {
		const char *l1 = "{\"policy\":\"web\",\"n\":1}", *l2 = "{\"policy\":\"db\",\"n\":2}";
		const char *l3 = "{\"lost\":7}", *l4 = "{\"policy\":\"web\",\"marker\":1}";

		control_publish(l1, strlen(l1), &web);
		control_publish(l2, strlen(l2), &db);
		control_publish(l3, strlen(l3), &lost);
		control_publish(l3, strlen(l3), NULL);
		control_publish(l4, strlen(l4), &web);
	}
}

static pid_t server_start(const char *path, const char *group, const char *admin,
			  const char *log, int cmdfd)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	signal(SIGTERM, on_term);
	if (freopen(log, "w", stderr) == NULL)
		_exit(3);
	setvbuf(stderr, NULL, _IOLBF, 0);
	if (loop_init() < 0 || server_listen(path, group, admin) < 0)
		_exit(4);
	if (loop_add(cmdfd, 0x001 /* EPOLLIN */, on_cmd, NULL) < 0)
		_exit(5);
	loop_run(&stop);
	control_fini();
	_exit(0);
}

/* ---- client helpers ---- */

static char sock_path[100];

static const char *str_of(const char *s)
{
	return s;
}

static int sock_connect(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	memcpy(sa.sun_path, sock_path, sizeof(sock_path));
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static void send_str(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);

		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

#define SEND(fd, lit) send_str(fd, lit, strlen(lit))

/* Read one line (byte by byte: no read-ahead) within ms.  Returns its
 * length, -1 on EOF before any byte, -2 on timeout/error. */
static int read_line(int fd, char *buf, size_t sz, int ms)
{
	size_t n = 0;

	while (n + 1 < sz) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (poll(&p, 1, ms) <= 0)
			return -2;
		r = read(fd, buf + n, 1);
		if (r == 0)
			return n ? (int)n : -1;
		if (r < 0)
			return -2;
		if (buf[n] == '\n') {
			buf[n] = '\0';
			return (int)n;
		}
		n++;
	}
	buf[n] = '\0';
	return (int)n;
}

/* Connect, send one request, return the first answer line (static). */
static const char *ask(const char *req)
{
	static char line[8192];
	int fd = sock_connect();

	if (fd < 0)
		return "(connect failed)";
	send_str(fd, req, strlen(req));
	if (read_line(fd, line, sizeof(line), 3000) < 0)
		snprintf(line, sizeof(line), "(no answer)");
	close(fd);
	return line;
}

/* Wait for EOF within ms, discarding data.  true on EOF or reset. */
static bool wait_eof(int fd, int ms)
{
	char buf[65536];
	uint64_t end = loop_now_ms() + (uint64_t)ms;

	while (loop_now_ms() < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (poll(&p, 1, 100) <= 0)
			continue;
		r = read(fd, buf, sizeof(buf));
		if (r <= 0)
			return true;
	}
	return false;
}

static bool file_has(const char *path, const char *needle)
{
	char buf[65536];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return strstr(buf, needle) != NULL;
}

/* Connect, send reqs (one or more lines), return n answer lines joined
 * with '|' (static). */
static const char *ask_n(const char *reqs, int n)
{
	static char out[8192];
	char line[4096];
	size_t len = 0;
	int fd = sock_connect();

	if (fd < 0)
		return "(connect failed)";
	send_str(fd, reqs, strlen(reqs));
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (read_line(fd, line, sizeof(line), 3000) < 0)
			snprintf(line, sizeof(line), "(no answer)");
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s", i ? "|" : "", line);
		if (len >= sizeof(out))
			break;
	}
	close(fd);
	return out;
}

/* In a child with uid (and gid) changed: connect, send reqs, return n
 * answer lines joined with '|'. */
static void ask_as_n(uid_t uid, gid_t gid, const char *reqs, int n, char *out, size_t sz)
{
	int pfd[2];
	pid_t pid;
	ssize_t got;

	out[0] = '\0';
	if (pipe(pfd) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		const char *a = "(setuid failed)";

		close(pfd[0]);
		if (setgroups(0, NULL) == 0 && setresgid(gid, gid, gid) == 0 &&
		    setresuid(uid, uid, uid) == 0)
			a = ask_n(reqs, n);
		if (write(pfd[1], a, strlen(a)) < 0)
			_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	got = read(pfd[0], out, sz - 1);
	out[got > 0 ? got : 0] = '\0';
	close(pfd[0]);
	waitpid(pid, NULL, 0);
}

/* In a child with uid (and gid) changed: connect and return the answer. */
static void ask_as(uid_t uid, gid_t gid, char *out, size_t sz)
{
	int pfd[2];
	pid_t pid;
	ssize_t n;

	out[0] = '\0';
	if (pipe(pfd) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		const char *a = "(setuid failed)";

		close(pfd[0]);
		if (setgroups(0, NULL) == 0 && setresgid(gid, gid, gid) == 0 &&
		    setresuid(uid, uid, uid) == 0)
			a = ask("status\n");
		if (write(pfd[1], a, strlen(a)) < 0)
			_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	n = read(pfd[0], out, sz - 1);
	out[n > 0 ? n : 0] = '\0';
	close(pfd[0]);
	waitpid(pid, NULL, 0);
}

static long stat_field(const char *name)
{
	const char *s = ask("stats\n");
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "\"%s\":", name);
	p = strstr(s, key);
	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* ---- tests ---- */

static void test_basic(void)
{
	char line[8192];
	struct stat sb = { 0 };
	int fd;

	stat(sock_path, &sb);
	ok(S_ISSOCK(sb.st_mode) && (sb.st_mode & 07777) == 0660,
	   "socket exists with mode 0660 (%o)", sb.st_mode & 07777);
	is_string(ask("status\n"), "{\"ok\":true,\"version\":\"test\"}", "status answers");
	is_string(ask("ping\n"), "{\"ok\":true,\"pong\":true,\"proto\":1}", "ping answers");
	is_string(ask("policies\n"), "{\"ok\":true,\"policies\":[]}", "policies answers");
	is_string(ask("stats prometheus\n"), "{\"ok\":true,\"text\":\"enforcer_up 1\\n\"}",
		  "stats prometheus answers");
	is_string(ask("reload\n"),
		  "{\"ok\":false,\"error\":\"policy errors\",\"errors\":[\"a.ini:3: bad\"]}",
		  "reload errors are passed on");
	is_string(ask("reopen\r\n"), "{\"ok\":true}", "reopen answers (CRLF accepted)");
	ok(strstr(ask("unload\n"), "not supported") != NULL, "unload without a handler: not supported");
	ok(strstr(ask("stats\n"), "\"control\":{\"clients\":2,") != NULL,
	   "stats has control counters (this client and the silent one)");

	fd = sock_connect();
	SEND(fd, "ping\n\nstatus\nbogus\nstatus\n");
	ok(read_line(fd, line, sizeof(line), 3000) > 0 && strstr(line, "pong"), "pipelined 1: ping");
	ok(read_line(fd, line, sizeof(line), 3000) > 0 && strstr(line, "test"), "pipelined 2: status");
	ok(read_line(fd, line, sizeof(line), 3000) > 0 &&
	   strstr(line, "{\"ok\":false,\"error\":\"unknown request 'bogus'"),
	   "pipelined 3: unknown request error");
	ok(read_line(fd, line, sizeof(line), 3000) > 0 && strstr(line, "test"),
	   "pipelined 4: still usable after an error");
	SEND(fd, "sta");
	usleep(50000);
	SEND(fd, "tus\n");
	ok(read_line(fd, line, sizeof(line), 3000) > 0 && strstr(line, "test"),
	   "request in two writes");
	close(fd);

	/* EOF right after the request: the answer is still delivered */
	fd = sock_connect();
	SEND(fd, "status\n");
	shutdown(fd, SHUT_WR);
	ok(read_line(fd, line, sizeof(line), 3000) > 0 && strstr(line, "test") &&
	   read_line(fd, line, sizeof(line), 3000) == -1, "half-closed client gets its answer, then EOF");
	close(fd);
}

static void test_audit(int cmdfd)
{
	char line[8192];
	int fd;

	fd = sock_connect();
	SEND(fd, "audit\n");
	ok(read_line(fd, line, sizeof(line), 3000) > 0 &&
	   !strcmp(line, "{\"ok\":true,\"stream\":\"audit\"}"), "audit: stream header");
	ok(read_line(fd, line, sizeof(line), 3000) > 0 && strstr(line, "\"n\":1"), "audit: backlog 1");
	ok(read_line(fd, line, sizeof(line), 3000) > 0 && strstr(line, "\"n\":2"), "audit: backlog 2");
	ok(read_line(fd, line, sizeof(line), 3000) > 0 && !strcmp(line, "{\"lost\":5}"),
	   "audit: backlog lost line");
	ok(read_line(fd, line, sizeof(line), 3000) > 0 &&
	   !strcmp(line, "{\"ok\":true,\"end\":true}"), "audit: end marker");
	SEND(fd, "audit policy=db\n");
	read_line(fd, line, sizeof(line), 3000);
	ok(read_line(fd, line, sizeof(line), 3000) > 0 && strstr(line, "\"n\":2") &&
	   read_line(fd, line, sizeof(line), 3000) > 0 && !strcmp(line, "{\"lost\":5}") &&
	   read_line(fd, line, sizeof(line), 3000) > 0 && strstr(line, "\"end\""),
	   "audit policy=db: filtered backlog on the same connection");
	close(fd);

	/* a follower with a filter */
	fd = sock_connect();
	SEND(fd, "audit follow policy=web\n");
	ok(read_line(fd, line, sizeof(line), 3000) > 0 &&
	   !strcmp(line, "{\"ok\":true,\"stream\":\"audit\"}"), "follow: stream header");
	shutdown(fd, SHUT_WR);   /* like socat once its stdin ends */
	usleep(100000);
	ok(write(cmdfd, "f", 1) == 1, "publish a mixed set");
	ok(read_line(fd, line, sizeof(line), 3000) > 0 && !strcmp(line, "{\"policy\":\"web\",\"n\":1}"),
	   "follow: matching line");
	ok(read_line(fd, line, sizeof(line), 3000) > 0 && !strcmp(line, "{\"lost\":7}") &&
	   read_line(fd, line, sizeof(line), 3000) > 0 && !strcmp(line, "{\"lost\":7}"),
	   "follow (half-closed): lost lines go to every follower, db line filtered out");
	ok(read_line(fd, line, sizeof(line), 3000) > 0 && strstr(line, "marker"), "follow: marker");
	close(fd);
}

static void test_hostile(int cmdfd)
{
	char line[8192], big[10240];
	int fd, fds[50], follower, n_ok = 0;
	uint64_t t0;

	/* 10 KiB line */
	fd = sock_connect();
	memset(big, 'a', sizeof(big));
	send_str(fd, big, sizeof(big));
	ok(read_line(fd, line, sizeof(line), 3000) > 0 &&
	   strstr(line, "{\"ok\":false,\"error\":\"request too long"), "10 KiB line: error (%s)", line);
	ok(wait_eof(fd, 3000), "10 KiB line: then closed");
	close(fd);

	/* binary garbage */
	fd = sock_connect();
	send_str(fd, "\x16\x03\x01\x00\xff\xfe\x00garbage\n", 16);
	ok(read_line(fd, line, sizeof(line), 3000) > 0 &&
	   strstr(line, "{\"ok\":false,\"error\":\"binary data"), "binary garbage: error (%s)", line);
	ok(wait_eof(fd, 3000), "binary garbage: then closed");
	close(fd);

	/* 50 concurrent clients */
	for (int i = 0; i < 50; i++)
		fds[i] = sock_connect();
	for (int i = 0; i < 50; i++)
		if (fds[i] >= 0)
			SEND(fds[i], "status\n");
	for (int i = 0; i < 50; i++) {
		if (fds[i] >= 0 && read_line(fds[i], line, sizeof(line), 3000) > 0 &&
		    strstr(line, "\"ok\":true"))
			n_ok++;
		close(fds[i]);
	}
	is_int(n_ok, 50, "50 concurrent clients all answered");

	/* a follower that never reads is dropped; nobody waits for it */
	follower = sock_connect();
	SEND(follower, "audit follow\n");
	usleep(100000);
	t0 = loop_now_ms();
	ok(write(cmdfd, "F", 1) == 1, "flood 4000 x 1 KiB audit lines");
	is_string(ask("status\n"), "{\"ok\":true,\"version\":\"test\"}",
		  "status answered during the flood");
	ok(loop_now_ms() - t0 < 2000, "... promptly (%llu ms)",
	   (unsigned long long)(loop_now_ms() - t0));
	ok(stat_field("followers_dropped") >= 1, "the stuck follower was dropped");
	ok(wait_eof(follower, 3000), "the stuck follower sees its connection closed");
	close(follower);
}

static void test_limits(const char *log)
{
	int fds[PROTO_MAX_CLIENTS + 1], n_ok = 0;
	char line[8192];

	/* wait for earlier connections to be gone: the silent client stays */
	for (int i = 0; i < 50 && stat_field("clients") != 2; i++)
		usleep(20000);
	fds[0] = -1;
	n_ok = 1;
	for (int i = 1; i < PROTO_MAX_CLIENTS; i++) {
		fds[i] = sock_connect();
		SEND(fds[i], "ping\n");
		if (read_line(fds[i], line, sizeof(line), 3000) > 0 && strstr(line, "pong"))
			n_ok++;
	}
	is_int(n_ok, PROTO_MAX_CLIENTS, "%d clients at once", PROTO_MAX_CLIENTS);
	fds[PROTO_MAX_CLIENTS] = sock_connect();
	ok(read_line(fds[PROTO_MAX_CLIENTS], line, sizeof(line), 3000) > 0 &&
	   !strcmp(line, "{\"ok\":false,\"error\":\"too many clients\"}"),
	   "client %d: too many clients", PROTO_MAX_CLIENTS + 1);
	ok(wait_eof(fds[PROTO_MAX_CLIENTS], 3000), "... and closed");
	for (int i = 0; i <= PROTO_MAX_CLIENTS; i++)
		close(fds[i]);
	ok(file_has(log, "too many clients"), "too many clients logged");
}

static void test_peercred(const char *log, const char *group, gid_t gid)
{
	char answer[4096], want[256];

	if (geteuid() != 0) {
		skip("%s: switching uid needs root", __func__);
		skip("%s: switching uid needs root", __func__);
		skip("%s: switching uid needs root", __func__);
		return;
	}
	/* let an unprivileged uid reach the socket so that the daemon's own
	 * check is what refuses it */
	chmod(sock_path, 0666);
	ask_as(65534, 65534, answer, sizeof(answer));
	snprintf(want, sizeof(want), "{\"ok\":false,\"error\":\"permission denied: "
		 "uid 65534 is not root or in group %s\"}", group);
	is_string(str_of(answer), str_of(want), "uid 65534 is refused");
	ok(file_has(log, "refused connection from uid 65534"), "the refusal is logged");
	ask_as(65534, gid, answer, sizeof(answer));
	is_string(str_of(answer), "{\"ok\":true,\"version\":\"test\"}", "a uid whose gid is the group is let in");
	chmod(sock_path, 0660);
}

static void set_peer_mode(const char *mode)
{
	FILE *f;

	if (!mode) {
		unlink(peer_mode_path);
		return;
	}
	f = fopen(peer_mode_path, "w");
	if (f) {
		fputs(mode, f);
		fclose(f);
	}
}

#define DENY_CONFINED(v) "{\"ok\":false,\"error\":\"permission denied: a process under a " \
	"policy cannot change enforcer (" v ")\"}"
#define RELOAD_PASSED "{\"ok\":false,\"error\":\"policy errors\",\"errors\":[\"a.ini:3: bad\"]}"

/* The read tier (here: confined peers, which may hold `audit follow`
 * connections that never time out) gets at most PROTO_MAX_CLIENTS -
 * PROTO_ADMIN_SLOTS slots: the admin still connects. */
static void test_reserve(const char *log)
{
	enum { NREAD = PROTO_MAX_CLIENTS - PROTO_ADMIN_SLOTS };
	int fds[NREAD + 1], n_ok = 0;
	char line[8192];

	for (int i = 0; i < 50 && stat_field("clients") != 2; i++)
		usleep(20000);
	set_peer_mode("confined");
	for (int i = 0; i < NREAD; i++) {
		fds[i] = sock_connect();
		SEND(fds[i], "ping\n");
		if (read_line(fds[i], line, sizeof(line), 3000) > 0 && strstr(line, "pong"))
			n_ok++;
	}
	is_int(n_ok, NREAD, "%d confined (read tier) clients at once", NREAD);
	fds[NREAD] = sock_connect();
	ok(read_line(fds[NREAD], line, sizeof(line), 3000) > 0 &&
	   !strcmp(line, "{\"ok\":false,\"error\":\"too many clients\"}"),
	   "confined client %d: too many clients", NREAD + 1);
	set_peer_mode(NULL);
	is_string(ask("status\n"), "{\"ok\":true,\"version\":\"test\"}",
		  "the admin tier still connects (%d slots kept for it)", PROTO_ADMIN_SLOTS);
	for (int i = 0; i <= NREAD; i++)
		close(fds[i]);
	ok(file_has(log, "too many clients (48 of the read tier)"), "the refusal is logged as the read tier's");
}

static void test_tiers(const char *log, gid_t gid, const char *admin, gid_t admin_gid)
{
	char answer[8192], want[1024], line[4096];
	long refused0 = stat_field("tier_refused");
	int fd;

	/* root, not confined: the admin tier */
	unlink(peer_pids_path);
	is_string(ask("reload\n"), RELOAD_PASSED, "root, unconfined: reload reaches its handler");
	ok(file_has(peer_pids_path, "\n"), "the daemon was asked about the root peer");
	{
		char mine[32];

		snprintf(mine, sizeof(mine), "%d\n", (int)getpid());
		ok(file_has(peer_pids_path, mine), "... with the peer's own pid (SO_PEERCRED)");
	}

	/* root, confined: reads pass, every change is refused */
	set_peer_mode("confined");
	is_string(ask_n("status\nstats prometheus\npolicies\nping\n", 4),
		  "{\"ok\":true,\"version\":\"test\"}|{\"ok\":true,\"text\":\"enforcer_up 1\\n\"}|"
		  "{\"ok\":true,\"policies\":[]}|{\"ok\":true,\"pong\":true,\"proto\":1}",
		  "confined root: status, stats, policies, ping answered");
	ok(strstr(ask_n("audit\n", 2), "{\"ok\":true,\"stream\":\"audit\"}|") != NULL,
	   "confined root: audit answered");
	is_string(ask_n("reload\nreopen\nbind /x namespace=a\nunload\n", 4),
		  DENY_CONFINED("reload") "|" DENY_CONFINED("reopen") "|" DENY_CONFINED("bind") "|"
		  "{\"ok\":false,\"error\":\"unload is not supported by this daemon\"}",
		  "confined root: reload, reopen, bind refused (unload: no handler here)");
	ok(file_has(log, "refused 'reload' from uid 0"), "the refusal is logged");

	/* decided at accept: the same connection keeps its tier when the pid
	 * would now answer differently (a pid reused by an unconfined process) */
	fd = sock_connect();
	SEND(fd, "status\n");
	ok(read_line(fd, line, sizeof(line), 3000) > 0 && strstr(line, "test"),
	   "confined root connects (status)");
	set_peer_mode(NULL);
	SEND(fd, "reload\n");
	ok(read_line(fd, line, sizeof(line), 3000) > 0 && !strcmp(line, DENY_CONFINED("reload")),
	   "the pid no longer confined: the connection still cannot reload (%s)", line);
	close(fd);

	/* a peer the daemon cannot verify (gone) reads only */
	set_peer_mode("gone");
	is_string(ask_n("status\nreload\n", 2),
		  "{\"ok\":true,\"version\":\"test\"}|{\"ok\":false,\"error\":\"permission denied: "
		  "reload needs a peer that can be verified (it exited or could not be read when it "
		  "connected)\"}", "unverifiable peer: status passes, reload refused");
	set_peer_mode(NULL);

	if (geteuid() != 0) {
		skip("%s: switching uid needs root", __func__);
		skip("%s: switching uid needs root", __func__);
		skip("%s: switching uid needs root", __func__);
		return;
	}
	chmod(sock_path, 0666);
	/* a member of the socket group: the read tier */
	unlink(peer_pids_path);
	ask_as_n(65534, gid, "status\naudit\nreload\n", 7,
		 answer, sizeof(answer));
	snprintf(want, sizeof(want),
		 "{\"ok\":true,\"version\":\"test\"}|{\"ok\":true,\"stream\":\"audit\"}|"
		 "{\"policy\":\"web\",\"hook\":\"exec\",\"action\":\"deny\",\"n\":1}|"
		 "{\"policy\":\"db\",\"hook\":\"file\",\"action\":\"audit\",\"n\":2}|"
		 "{\"lost\":5}|{\"ok\":true,\"end\":true}|"
		 "{\"ok\":false,\"error\":\"permission denied: reload needs root or group %s\"}",
		 admin);
	is_string(str_of(answer), str_of(want), "socket group member: status and audit answered, reload refused");
	ask_as_n(65534, gid, "reopen\nbind /x pod=a/b\n", 2, answer, sizeof(answer));
	snprintf(want, sizeof(want),
		 "{\"ok\":false,\"error\":\"permission denied: reopen needs root or group %s\"}|"
		 "{\"ok\":false,\"error\":\"permission denied: bind needs root or group %s\"}",
		 admin, admin);
	is_string(str_of(answer), str_of(want), "socket group member: reopen, bind refused");
	ok(access(peer_pids_path, F_OK) != 0, "a read-only peer needs no confinement check");
	/* a member of the admin group: changes pass */
	ask_as_n(65534, admin_gid, "reload\n", 1, answer, sizeof(answer));
	is_string(str_of(answer), RELOAD_PASSED, "admin group member: reload reaches its handler");
	set_peer_mode("confined");
	ask_as_n(65534, admin_gid, "status\nreload\n", 2, answer, sizeof(answer));
	is_string(str_of(answer), "{\"ok\":true,\"version\":\"test\"}|" DENY_CONFINED("reload"),
		  "confined admin group member: status passes, reload refused");
	set_peer_mode(NULL);
	chmod(sock_path, 0660);
	ok(stat_field("tier_refused") >= refused0 + 9, "stats count the refusals (tier_refused %ld)",
	   stat_field("tier_refused"));
}

static void test_setup(const char *dir)
{
	char path[512], p2[512], logp[512];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat sb;
	int fd, lfd, r, errfd;

	/* the refusals' messages go to a file, checked below */
	snprintf(path, sizeof(path), "%s/setup.log", dir);
	fflush(stderr);
	errfd = dup(2);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	dup2(fd, 2);
	close(fd);
	snprintf(logp, sizeof(logp), "%s", path);

	ok(loop_init() == 0, "loop_init");
	snprintf(path, sizeof(path), "%s/notasock", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	ok(server_listen(path, NULL, NULL) < 0 && stat(path, &sb) == 0 && S_ISREG(sb.st_mode),
	   "a regular file at the path is refused and kept");

	snprintf(p2, sizeof(p2), "%s/stale.sock", dir);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	memcpy(sa.sun_path, p2, strlen(p2) < sizeof(sa.sun_path) ? strlen(p2) : 0);
	bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	r = server_listen(p2, NULL, NULL);
	ok(r == 0, "a stale socket is replaced");
	control_fini();
	ok(stat(p2, &sb) < 0, "control_fini removes the socket");

	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(lfd, (struct sockaddr *)&sa, sizeof(sa));
	listen(lfd, 1);
	ok(server_listen(p2, NULL, NULL) < 0, "a socket someone listens on is refused");
	close(lfd);
	ok(server_listen(p2, "no-such-group-here", NULL) < 0, "an unknown group is refused");
	ok(server_listen(p2, NULL, "no-such-admin-here") < 0, "an unknown admin group is refused");
	if (geteuid() == 0 && getgrgid(getegid())) {
		ok(server_listen(p2, NULL, getgrgid(getegid())->gr_name) == 0 &&
		   stat(p2, &sb) == 0 && sb.st_gid == getegid(),
		   "without --socket-group, the admin group owns the socket");
		control_fini();
	}
	fflush(stderr);
	dup2(errfd, 2);
	close(errfd);
	ok(file_has(logp, "notasock exists and is not a socket: refusing to replace it"),
	   "... with a clear message for the file");
	ok(file_has(logp, "another daemon is listening there"), "... for the live socket");
	ok(file_has(logp, "unknown group 'no-such-group-here'"), "... and for the group");
	ok(file_has(logp, "unknown group 'no-such-admin-here' (--admin-group)"),
	   "... and for the admin group");
}

int main(void)
{
	char dir[] = "/tmp/test_control.XXXXXX", log[300];
	const char *group = "daemon";
	char *admin;
	struct group *gr, *agr;
	gid_t admin_gid;
	int cmd[2], silent;
	uint64_t silent_t0;
	pid_t srv;
	char line[256];
	gid_t gid;

	signal(SIGPIPE, SIG_IGN);
	if (!mkdtemp(dir))
		bail("mkdtemp");
	chmod(dir, 0755);
	/* root: a group that uid 65534 is not in; otherwise our own group,
	 * so that this unprivileged test may talk to its own server */
	gr = geteuid() == 0 ? getgrnam(group) : getgrgid(getegid());
	if (!gr && geteuid() == 0) {
		group = "root";
		gr = getgrnam(group);
	}
	if (!gr)
		bail("no group to give the socket");
	group = strdup(gr->gr_name);
	gid = gr ? gr->gr_gid : 0;
	/* the admin group: root: another group uid 65534 is not in; otherwise
	 * our own (this unprivileged test must keep changing its server) */
	agr = geteuid() == 0 ? getgrnam("bin") : getgrgid(getegid());
	if (!agr && geteuid() == 0)
		agr = getgrnam("sys");
	if (!agr || (geteuid() == 0 && agr->gr_gid == gid))
		bail("no admin group for the test");
	admin = strdup(agr->gr_name);
	admin_gid = agr->gr_gid;
	snprintf(peer_mode_path, sizeof(peer_mode_path), "%s/peer_mode", dir);
	snprintf(peer_pids_path, sizeof(peer_pids_path), "%s/peer_pids", dir);
	snprintf(sock_path, sizeof(sock_path), "%s/run/sub/enforcer.sock", dir);
	snprintf(log, sizeof(log), "%s/server.log", dir);
	if (pipe(cmd) < 0)
		bail("pipe");
	srv = server_start(sock_path, group, admin, log, cmd[0]);
	for (int i = 0; i < 100; i++) {
		int fd = sock_connect();

		if (fd >= 0) {
			close(fd);
			break;
		}
		usleep(20000);
	}
	if (access(sock_path, F_OK) != 0) {
		diag("server log:");
		if (system("cat /tmp/test_control.*/server.log") != 0)
			diag("(no server log)");
		bail("the server did not start");
	}
	{
		char d[300];
		struct stat sb = { 0 };

		snprintf(d, sizeof(d), "%s/run/sub", dir);
		stat(d, &sb);
		ok(S_ISDIR(sb.st_mode) && (sb.st_mode & 0777) == 0750,
		   "missing parent directories created with mode 0750 (%o)", sb.st_mode & 0777);
		/* for the unprivileged clients below */
		chmod(d, 0755);
		snprintf(d, sizeof(d), "%s/run", dir);
		chmod(d, 0755);
	}
	if (geteuid() == 0) {
		struct stat sb;

		ok(stat(sock_path, &sb) == 0 && sb.st_uid == 0 && sb.st_gid == gid,
		   "socket owned by root:%s", group);
	}

	/* a silent client, connected for the whole run */
	silent = sock_connect();
	SEND(silent, "stat");
	silent_t0 = loop_now_ms();

	test_basic();
	test_audit(cmd[1]);
	test_hostile(cmd[1]);
	test_peercred(log, group, gid);
	test_tiers(log, gid, admin, admin_gid);
	is_string(ask("status\n"), "{\"ok\":true,\"version\":\"test\"}",
		  "a silent client does not block others");
	test_limits(log);
	test_reserve(log);

	/* idle timeout: the silent client is told and closed after 30 s */
	diag("waiting for the 30 s idle timeout");
	{
		int r = read_line(silent, line, sizeof(line), 40000);

		ok(r > 0 && strstr(line, "timeout") && loop_now_ms() - silent_t0 >= 29000,
		   "silent client timed out after %llu ms (%s)",
		   (unsigned long long)(loop_now_ms() - silent_t0), r > 0 ? line : "nothing");
		ok(wait_eof(silent, 7000), "... and closed");
	}
	close(silent);

	kill(srv, SIGTERM);
	{
		int st;

		waitpid(srv, &st, 0);
		ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "server exits cleanly");
	}
	ok(access(sock_path, F_OK) != 0, "server removed its socket");
	test_setup(dir);
	{
		char cmdline[400];

		snprintf(cmdline, sizeof(cmdline), "rm -rf %s", dir);
		if (system(cmdline) != 0)
			diag("could not remove %s", dir);
	}
	free((char *)group);
	free(admin);
	return done_testing();
}
