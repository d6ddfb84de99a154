// SPDX-License-Identifier: GPL-2.0-only
/*
 * control.c - the control socket server: a Unix stream socket, peers checked
 * with SO_PEERCRED, one request per line (proto.h), JSON answers, audit
 * --follow subscribers.  It serves `ping` and `audit` itself and dispatches
 * every other verb through the owner's table (control.h): handler, and the
 * tier it needs.  Two tiers: every admitted peer reads (status, stats,
 * audit, ...); changes (reload, reopen, bind, unload) need root or
 * --admin-group and a peer that no policy confines, decided once, when the
 * connection is accepted.  Everything
 * is non-blocking and bounded: a client that misbehaves (long lines,
 * garbage, silence, not reading) is answered with an error or dropped,
 * never waited for.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "json.h"
#include "loop.h"
#include "log.h"
#include "proto.h"

#define CLOSING_GRACE_MS 5000     /* time to flush a final error answer */
#define DRAIN_MAX        65536    /* unread input discarded before close() */

struct outq {
	char *buf;
	size_t off, len, cap;     /* pending bytes are buf[off..len) */
};

/* Why a peer got the read tier only (the refusal's message). */
enum read_why { WHY_NONE, WHY_NOT_ADMIN, WHY_CONFINED, WHY_UNVERIFIED };

struct client {
	struct control_peer peer;
	enum control_tier tier;   /* decided at accept, never re-read */
	enum read_why why;        /* when tier is CONTROL_READ */
	bool follower;
	bool closing;             /* flush the queue, then close */
	bool want_out;            /* EPOLLOUT armed */
	bool eof;                 /* the peer shut down its side: stop reading */
	uint64_t last_ms;         /* connect, last complete request or closing */
	char policy[PROTO_NAME_MAX + 1], hook[8], action[8];   /* follow filters */
	struct outq out;
	size_t inlen;
	char in[PROTO_LINE_MAX];
};

static const struct control_config *cfg;
static int listen_fd = -1;
static char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static dev_t sock_dev;
static ino_t sock_ino;
static bool have_group;
static gid_t sock_gid;
static char group_name[64];
static bool have_admin;           /* --admin-group */
static gid_t admin_gid;
static char admin_name[64];
static bool tick_added;
static struct client *clients[PROTO_MAX_CLIENTS];
static struct jbuf answer;        /* scratch for handler answers */

static struct {
	uint64_t accepted, refused, busy, timeouts, too_long, bad_requests;
	uint64_t followers_dropped, overflows;
	uint64_t read_only, confined, unverified, tier_refused;
} st;

/* ---- output queue ---- */

static size_t outq_pending(const struct outq *q)
{
	return q->len - q->off;
}

static bool outq_append(struct outq *q, const char *s, size_t n)
{
	if (q->off && q->off == q->len)
		q->off = q->len = 0;
	if (q->len + n > q->cap && q->off) {
		memmove(q->buf, q->buf + q->off, q->len - q->off);
		q->len -= q->off;
		q->off = 0;
	}
	if (q->len + n > q->cap) {
		size_t cap = q->cap ? q->cap : 4096;
		char *b;

		while (cap < q->len + n)
			cap *= 2;
		b = realloc(q->buf, cap);
		if (!b)
			return false;
		q->buf = b;
		q->cap = cap;
	}
	memcpy(q->buf + q->len, s, n);
	q->len += n;
	return true;
}

static void outq_free(struct outq *q)
{
	free(q->buf);
	memset(q, 0, sizeof(*q));
}

/* ---- clients ---- */

static int nclients(void)
{
	int n = 0;

	for (int i = 0; i < PROTO_MAX_CLIENTS; i++)
		n += clients[i] != NULL;
	return n;
}

static void client_close(struct client *c)
{
	char sink[4096];
	size_t drained = 0;
	ssize_t r;

	/* Discard what the peer sent and we did not read, so that it sees our
	 * last answer followed by EOF rather than a connection reset. */
	while (drained < DRAIN_MAX &&
	       (r = recv(c->peer.fd, sink, sizeof(sink), MSG_DONTWAIT)) > 0)
		drained += (size_t)r;
	loop_del(c->peer.fd);
	close(c->peer.fd);
	for (int i = 0; i < PROTO_MAX_CLIENTS; i++)
		if (clients[i] == c)
			clients[i] = NULL;
	outq_free(&c->out);
	free(c);
}

static void client_arm(struct client *c, bool out)
{
	uint32_t ev = c->eof ? 0 : EPOLLIN | EPOLLRDHUP;

	if (out == c->want_out)
		return;
	if (out)
		ev |= EPOLLOUT;
	if (loop_mod(c->peer.fd, ev) == 0)
		c->want_out = out;
}

/* The peer will send nothing more: stop watching for input (EPOLLHUP still
 * says when it is gone for good). */
static void client_eof(struct client *c)
{
	c->eof = true;
	loop_mod(c->peer.fd, c->want_out ? EPOLLOUT : 0);
}

/* Write what can be written now.  Returns false when c was closed. */
static bool client_flush(struct client *c)
{
	struct outq *q = &c->out;

	while (outq_pending(q)) {
		ssize_t w = send(c->peer.fd, q->buf + q->off, outq_pending(q),
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			client_close(c);
			return false;
		}
		q->off += (size_t)w;
	}
	if (!outq_pending(q)) {
		q->off = q->len = 0;
		if (c->closing) {
			client_close(c);
			return false;
		}
	}
	client_arm(c, outq_pending(q) != 0);
	return true;
}

/* Queue one answer line (a '\n' is added).  A client that lets more than
 * PROTO_OUTQ_MAX pile up is closed.  Returns false when c was closed. */
static bool client_send(struct client *c, const char *s, size_t n)
{
	if (outq_pending(&c->out) > PROTO_OUTQ_MAX) {
		st.overflows++;
		log_err(0, "control: closing client uid %u pid %d: not reading its answers",
			(unsigned)c->peer.uid, (int)c->peer.pid);
		client_close(c);
		return false;
	}
	if (!outq_append(&c->out, s, n) || !outq_append(&c->out, "\n", 1)) {
		client_close(c);
		return false;
	}
	return true;
}

static bool client_error(struct client *c, const char *msg)
{
	struct jbuf b;
	bool ok;

	jb_init(&b);
	jb_obj_open(&b);
	jb_kbool(&b, "ok", false);
	jb_kstr(&b, "error", msg);
	jb_obj_close(&b);
	ok = !b.oom && client_send(c, b.s, b.len);
	jb_free(&b);
	return ok;
}

/* Best effort one-line answer on a socket we are about to close. */
static void send_and_close(int fd, const char *msg)
{
	struct jbuf b;

	jb_init(&b);
	jb_obj_open(&b);
	jb_kbool(&b, "ok", false);
	jb_kstr(&b, "error", msg);
	jb_obj_close(&b);
	jb_raw(&b, "\n", 1);
	if (!b.oom && send(fd, b.s, b.len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		/* nothing to do: the peer is gone or not reading */
	}
	jb_free(&b);
	close(fd);
}

/* ---- audit ---- */

static bool filter_match(const struct client *c, const struct audit_meta *m)
{
	if (!m || !m->policy)
		return true;      /* lost/suppressed lines go to everyone */
	if (c->policy[0] && strcmp(c->policy, m->policy))
		return false;
	if (c->hook[0] && (!m->hook || strcmp(c->hook, m->hook)))
		return false;
	if (c->action[0] && (!m->action || strcmp(c->action, m->action)))
		return false;
	return true;
}

/* Backlog lines carry no meta: match the "key":"value" text of the event. */
static bool line_has(const char *line, size_t len, const char *key, const char *val)
{
	char needle[128];
	int n = snprintf(needle, sizeof(needle), "\"%s\":\"%s\"", key, val);

	if (n <= 0 || (size_t)n >= sizeof(needle))
		return false;
	return memmem(line, len, needle, (size_t)n) != NULL;
}

static bool backlog_match(const struct client *c, const char *line, size_t len)
{
	if (!memmem(line, len, "\"policy\":", 9))
		return true;      /* lost/suppressed */
	if (c->policy[0] && !line_has(line, len, "policy", c->policy))
		return false;
	if (c->hook[0] && !line_has(line, len, "hook", c->hook))
		return false;
	if (c->action[0] && !line_has(line, len, "action", c->action))
		return false;
	return true;
}

struct backlog_ctx {
	struct client *c;
	bool closed;
};

static void backlog_line(void *ctx, const char *line, size_t len)
{
	struct backlog_ctx *b = ctx;

	if (b->closed || !backlog_match(b->c, line, len))
		return;
	/* the backlog is bounded by its owner; only the cap on what was
	 * already pending applies (client_send) */
	if (!outq_append(&b->c->out, line, len) || !outq_append(&b->c->out, "\n", 1)) {
		client_close(b->c);
		b->closed = true;
	}
}

void control_publish(const char *line, size_t len, const struct audit_meta *m)
{
	for (int i = 0; i < PROTO_MAX_CLIENTS; i++) {
		struct client *c = clients[i];

		if (!c || !c->follower || c->closing || !filter_match(c, m))
			continue;
		if (outq_pending(&c->out) + len + 1 > PROTO_OUTQ_MAX ||
		    !outq_append(&c->out, line, len) || !outq_append(&c->out, "\n", 1)) {
			st.followers_dropped++;
			log_err(0, "control: dropping audit follower uid %u pid %d: not reading fast enough",
				(unsigned)c->peer.uid, (int)c->peer.pid);
			client_close(c);
			continue;
		}
		/* written when the loop next sees the socket writable: batches
		 * a burst of events into few writes */
		client_arm(c, true);
	}
}

/* ---- requests ---- */

/* The server's own verbs: they act on the connection itself. */
static bool serve_ping(struct client *c, const struct proto_req *req)
{
	static const char pong[] = "{\"ok\":true,\"pong\":true,\"proto\":1}";

	(void)req;
	_Static_assert(PROTO_VERSION == 1, "the ping answer names the protocol version");
	return client_send(c, pong, sizeof(pong) - 1);
}

/* audit: the backlog between a header and an end marker; audit follow: the
 * header, then live lines (control_publish) until the client goes. */
static bool serve_audit(struct client *c, const struct proto_req *req)
{
	static const char head[] = "{\"ok\":true,\"stream\":\"audit\"}";
	static const char end[] = "{\"ok\":true,\"end\":true}";
	struct backlog_ctx bc = { .c = c };

	memcpy(c->policy, req->policy, sizeof(c->policy));
	memcpy(c->hook, req->hook, sizeof(c->hook));
	memcpy(c->action, req->action, sizeof(c->action));
	if (req->follow) {
		c->follower = true;
		return client_send(c, head, sizeof(head) - 1);
	}
	if (!client_send(c, head, sizeof(head) - 1))
		return false;
	cfg->backlog_foreach(backlog_line, &bc);
	if (bc.closed)
		return false;
	return client_send(c, end, sizeof(end) - 1);
}

static const struct {
	enum proto_verb verb;
	bool (*serve)(struct client *c, const struct proto_req *req);
} server_verbs[] = {
	{ PROTO_PING, serve_ping },
	{ PROTO_AUDIT, serve_audit },
};

static const struct control_verb *owner_verb(enum proto_verb v)
{
	for (size_t i = 0; i < cfg->nverbs; i++)
		if (cfg->verbs[i].verb == v)
			return &cfg->verbs[i];
	return NULL;
}

/* Refuse a verb the peer's tier does not cover (logged).  Returns false
 * when c was closed. */
static bool tier_refuse(struct client *c, enum proto_verb v)
{
	const char *verb = proto_verb_name(v);
	char msg[200];

	st.tier_refused++;
	switch (c->why) {
	case WHY_CONFINED:
		snprintf(msg, sizeof(msg), "permission denied: a process under a policy "
			 "cannot change enforcer (%s)", verb);
		break;
	case WHY_UNVERIFIED:
		snprintf(msg, sizeof(msg), "permission denied: %s needs a peer that can be "
			 "verified (it exited or could not be read when it connected)", verb);
		break;
	default:
		if (have_admin)
			snprintf(msg, sizeof(msg), "permission denied: %s needs root or group %s",
				 verb, admin_name);
		else
			snprintf(msg, sizeof(msg), "permission denied: %s needs root "
				 "(no --admin-group)", verb);
		break;
	}
	log_err(0, "control: refused '%s' from uid %u pid %d: %s", verb, (unsigned)c->peer.uid,
		(int)c->peer.pid, msg + strlen("permission denied: "));
	return client_error(c, msg);
}

/* Answer one parsed request.  Returns false when c was closed. */
static bool client_dispatch(struct client *c, const struct proto_req *req)
{
	const struct control_verb *v;
	char msg[96];
	int rc;
	bool ok;

	for (size_t i = 0; i < sizeof(server_verbs) / sizeof(server_verbs[0]); i++)
		if (server_verbs[i].verb == req->verb)
			return server_verbs[i].serve(c, req);
	v = owner_verb(req->verb);
	if (!v) {
		snprintf(msg, sizeof(msg), "%s is not supported by this daemon",
			 proto_verb_name(req->verb));
		return client_error(c, msg);
	}
	if (v->tier > c->tier)
		return tier_refuse(c, req->verb);
	jb_reset(&answer);
	rc = v->handle(&answer, req);
	if (answer.oom)
		ok = client_error(c, "out of memory");
	else if (answer.len == 0)
		ok = client_error(c, rc < 0 ? "internal error" : "no answer");
	else
		ok = client_send(c, answer.s, answer.len);
	jb_reset(&answer);
	return ok;
}

/* Handle one request line.  Returns false when c was closed. */
static bool client_request(struct client *c, const char *line, size_t len)
{
	struct proto_req *req;
	char err[256];
	bool ok;

	c->last_ms = loop_now_ms();
	if (len == 0 || (len == 1 && line[0] == '\r'))
		return true;      /* empty lines are ignored */
	req = malloc(sizeof(*req));
	if (!req)
		return client_error(c, "out of memory");
	if (proto_parse(line, len, req, err, sizeof(err)) < 0) {
		bool binary = strncmp(err, "binary", 6) == 0;

		st.bad_requests++;
		free(req);
		if (!client_error(c, err))
			return false;
		if (binary) {
			/* not someone speaking the protocol: answer and hang up */
			c->closing = true;
			c->last_ms = loop_now_ms();
		}
		return true;
	}
	ok = client_dispatch(c, req);
	free(req);
	return ok;
}

/* Split c->in into lines and handle them.  Returns false when c was closed. */
static bool client_process(struct client *c)
{
	size_t start = 0;

	while (!c->closing && !c->follower) {
		char *nl = memchr(c->in + start, '\n', c->inlen - start);

		if (!nl)
			break;
		if (!client_request(c, c->in + start, (size_t)(nl - (c->in + start))))
			return false;
		start = (size_t)(nl - c->in) + 1;
	}
	if (c->follower || c->closing) {
		c->inlen = 0;     /* a follower's further input is ignored */
		return true;
	}
	memmove(c->in, c->in + start, c->inlen - start);
	c->inlen -= start;
	if (c->inlen == sizeof(c->in)) {
		st.too_long++;
		c->inlen = 0;
		if (!client_error(c, "request too long (max 4095 bytes per line)"))
			return false;
		c->closing = true;
		c->last_ms = loop_now_ms();
	}
	return true;
}

static void client_event(void *ctx, int fd, uint32_t events)
{
	struct client *c = ctx;

	(void)fd;
	if (events & EPOLLIN) {
		for (int rounds = 0; rounds < 16; rounds++) {
			char sink[4096];
			char *dst = c->closing || c->follower ? sink : c->in + c->inlen;
			size_t room = c->closing || c->follower ? sizeof(sink)
							       : sizeof(c->in) - c->inlen;
			ssize_t r = recv(c->peer.fd, dst, room, MSG_DONTWAIT);

			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
				break;
			if (r == 0 && c->follower) {
				/* half-closed follower (e.g. socat after its stdin
				 * ended): keep streaming until it goes away */
				client_eof(c);
				break;
			}
			if (r == 0 && outq_pending(&c->out)) {
				/* EOF: finish sending the answers, then close */
				c->closing = true;
				c->last_ms = loop_now_ms();
				client_eof(c);
				break;
			}
			if (r <= 0) {
				client_close(c);
				return;
			}
			if (dst == sink)
				continue;
			c->inlen += (size_t)r;
			if (!client_process(c))
				return;
		}
	}
	if (events & (EPOLLERR | EPOLLHUP)) {
		/* the peer is gone: nothing more can be delivered */
		client_close(c);
		return;
	}
	client_flush(c);
}

/* ---- peers ---- */


/* Is uid (whose primary gid the peer credentials say is peer_gid) a member
 * of group gid, through its passwd entry or /etc/group? */
static bool uid_in_group(uid_t uid, gid_t peer_gid, gid_t gid)
{
	struct passwd pw, *res = NULL;
	char pwbuf[4096];
	gid_t groups[256];
	int n = (int)(sizeof(groups) / sizeof(groups[0]));

	if (peer_gid == gid)
		return true;
	if (getpwuid_r(uid, &pw, pwbuf, sizeof(pwbuf), &res) != 0 || !res)
		return false;
	if (pw.pw_gid == gid)
		return true;
	if (getgrouplist(pw.pw_name, pw.pw_gid, groups, &n) < 0)
		return false;    /* more than 256 groups: treat as not a member */
	for (int i = 0; i < n; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

/*
 * The tier of a newly accepted peer.  Root and --admin-group members get the
 * admin tier unless the owner says a policy confines the peer, or cannot
 * tell (the peer exited: its pid may already name another process).  Asked
 * now, on the connection itself, and never again by pid.
 */
static void peer_tier(struct client *c, bool admin)
{
	int r;

	c->tier = CONTROL_READ;
	c->why = WHY_NOT_ADMIN;
	if (!admin) {
		st.read_only++;
		return;
	}
	r = cfg->peer_confined ? cfg->peer_confined(&c->peer) : 0;
	if (r == 0) {
		c->tier = CONTROL_ADMIN;
		c->why = WHY_NONE;
		return;
	}
	st.read_only++;
	if (r > 0) {
		st.confined++;
		c->why = WHY_CONFINED;
	} else {
		st.unverified++;
		c->why = WHY_UNVERIFIED;
	}
}

/*
 * A free slot for a new client, or -1.  The read tier (every peer that may
 * not change enforcer: a confined root, a --socket-group member) gets at
 * most PROTO_MAX_CLIENTS - PROTO_ADMIN_SLOTS of them: `audit follow`
 * connections never time out, and a confined process holding every slot
 * would lock the admin and the OCI hook's `bind` out.
 */
static int free_slot(bool admin_tier)
{
	int slot = -1, nread = 0;

	for (int i = 0; i < PROTO_MAX_CLIENTS; i++) {
		if (!clients[i]) {
			if (slot < 0)
				slot = i;
		} else if (clients[i]->tier != CONTROL_ADMIN) {
			nread++;
		}
	}
	if (!admin_tier && nread >= PROTO_MAX_CLIENTS - PROTO_ADMIN_SLOTS)
		return -1;
	return slot;
}

static void on_accept(void *ctx, int fd, uint32_t events)
{
	(void)ctx;
	(void)events;
	for (int rounds = 0; rounds < 64; rounds++) {
		struct ucred cred;
		socklen_t len = sizeof(cred);
		struct client *c;
		char msg[160];
		bool admin;
		int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		int slot = -1;

		if (cfd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_err(-errno, "control: accept: %s", strerror(errno));
			return;
		}
		if (getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ||
		    len != sizeof(cred)) {
			st.refused++;
			log_err(0, "control: refused a connection: cannot read peer credentials");
			send_and_close(cfd, "permission denied: cannot read peer credentials");
			continue;
		}
		admin = cred.uid == 0 ||
			(have_admin && uid_in_group(cred.uid, cred.gid, admin_gid));
		if (!admin && !(have_group && uid_in_group(cred.uid, cred.gid, sock_gid))) {
			st.refused++;
			if (have_group)
				snprintf(msg, sizeof(msg), "permission denied: uid %u is not root "
					 "or in group %s", (unsigned)cred.uid, group_name);
			else
				snprintf(msg, sizeof(msg), "permission denied: uid %u is not root "
					 "(no --socket-group)", (unsigned)cred.uid);
			log_err(0, "control: refused connection from uid %u gid %u pid %d: %s",
				(unsigned)cred.uid, (unsigned)cred.gid, (int)cred.pid, msg);
			send_and_close(cfd, msg);
			continue;
		}
		c = calloc(1, sizeof(*c));
		if (!c) {
			send_and_close(cfd, "out of memory");
			continue;
		}
		c->peer.fd = cfd;
		c->peer.uid = cred.uid;
		c->peer.gid = cred.gid;
		c->peer.pid = cred.pid;
		peer_tier(c, admin);
		slot = free_slot(c->tier == CONTROL_ADMIN);
		if (slot < 0) {
			st.busy++;
			log_err(0, "control: refused connection from uid %u pid %d: too many clients (%d%s)",
				(unsigned)cred.uid, (int)cred.pid,
				c->tier == CONTROL_ADMIN ? PROTO_MAX_CLIENTS : PROTO_MAX_CLIENTS - PROTO_ADMIN_SLOTS,
				c->tier == CONTROL_ADMIN ? "" : " of the read tier");
			free(c);
			send_and_close(cfd, "too many clients");
			continue;
		}
		c->last_ms = loop_now_ms();
		if (loop_add(cfd, EPOLLIN | EPOLLRDHUP, client_event, c) < 0) {
			free(c);
			send_and_close(cfd, "internal error");
			continue;
		}
		clients[slot] = c;
		st.accepted++;
	}
}

static void on_tick(void *ctx)
{
	uint64_t now = loop_now_ms();

	(void)ctx;
	for (int i = 0; i < PROTO_MAX_CLIENTS; i++) {
		struct client *c = clients[i];

		if (!c)
			continue;
		if (c->closing) {
			if (now - c->last_ms > CLOSING_GRACE_MS)
				client_close(c);
			continue;
		}
		if (c->follower || now - c->last_ms < PROTO_IDLE_MS)
			continue;
		st.timeouts++;
		if (client_error(c, "timeout: no complete request within 30 s")) {
			c->closing = true;
			c->last_ms = now;
			client_flush(c);
		}
	}
}

/* ---- setup ---- */

static int make_parent(const char *path)
{
	char dir[sizeof(sock_path)];
	char *slash;
	struct stat sb;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (stat(dir, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode))
			return log_err(-ENOTDIR, "control: %s exists and is not a directory", dir);
		return 0;
	}
	if (errno != ENOENT)
		return log_err(-errno, "control: cannot use %s: %s", dir, strerror(errno));
	if (make_parent(dir) < 0)
		return -1;
	if (mkdir(dir, 0750) < 0 && errno != EEXIST)
		return log_err(-errno, "control: cannot create %s: %s", dir, strerror(errno));
	/* group members must be able to enter it */
	if (have_group && chown(dir, (uid_t)-1, sock_gid) < 0)
		return log_err(-errno, "control: cannot chown %s to group %s: %s", dir, group_name,
			       strerror(errno));
	return 0;
}

/* Remove a socket left by a dead daemon; refuse anything else. */
static int clear_path(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat sb;
	int fd, r;

	if (lstat(path, &sb) < 0) {
		if (errno == ENOENT)
			return 0;
		return log_err(-errno, "control: cannot use %s: %s", path, strerror(errno));
	}
	if (!S_ISSOCK(sb.st_mode))
		return log_err(-EEXIST, "control: %s exists and is not a socket: refusing to replace it",
			       path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return log_err(-errno, "control: socket: %s", strerror(errno));
	memcpy(sa.sun_path, path, strlen(path));
	r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	if (r == 0)
		return log_err(-EADDRINUSE, "control: %s: another daemon is listening there", path);
	if (unlink(path) < 0 && errno != ENOENT)
		return log_err(-errno, "control: cannot remove stale socket %s: %s", path, strerror(errno));
	return 0;
}

int control_init(const struct control_config *config)
{
	const char *path = config->path, *group = config->group;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat sb;
	mode_t old;
	int fd, r;

	for (size_t i = 0; i < config->nverbs; i++)
		if (!config->verbs[i].handle ||
		    (config->verbs[i].tier == CONTROL_ADMIN && !config->peer_confined))
			return log_err(-EINVAL, "control: verb %s: no handler, or no peer check",
				       proto_verb_name(config->verbs[i].verb));
	if (!config->backlog_foreach)
		return log_err(-EINVAL, "control: no audit backlog");
	if (listen_fd >= 0)
		return log_err(-EBUSY, "control: already listening on %s", sock_path);
	if (!path || !*path || strlen(path) >= sizeof(sa.sun_path))
		return log_err(-ENAMETOOLONG, "control: socket path '%s' is empty or longer than %zu bytes",
			       path ? path : "", sizeof(sa.sun_path) - 1);
	have_group = false;
	if (group && *group) {
		struct group *gr = getgrnam(group);

		if (!gr)
			return log_err(-ENOENT, "control: unknown group '%s' (--socket-group)", group);
		have_group = true;
		sock_gid = gr->gr_gid;
		snprintf(group_name, sizeof(group_name), "%s", group);
	}
	have_admin = false;
	if (config->admin_group && *config->admin_group) {
		struct group *gr = getgrnam(config->admin_group);

		if (!gr)
			return log_err(-ENOENT, "control: unknown group '%s' (--admin-group)",
				       config->admin_group);
		have_admin = true;
		admin_gid = gr->gr_gid;
		snprintf(admin_name, sizeof(admin_name), "%s", config->admin_group);
		if (!have_group) {
			/* its members must reach the socket: it is the socket's group */
			have_group = true;
			sock_gid = admin_gid;
			snprintf(group_name, sizeof(group_name), "%s", admin_name);
		}
	}
	r = make_parent(path);
	if (r < 0)
		return r;
	r = clear_path(path);
	if (r < 0)
		return r;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return log_err(-errno, "control: socket: %s", strerror(errno));
	memcpy(sa.sun_path, path, strlen(path));
	old = umask(0177);        /* born 0600: never more open than intended */
	r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0) {
		r = log_err(-errno, "control: cannot bind %s: %s", path, strerror(errno));
		goto fail;
	}
	if (chown(path, geteuid() == 0 ? 0 : (uid_t)-1, have_group ? sock_gid : (gid_t)-1) < 0) {
		r = log_err(-errno, "control: cannot chown %s: %s", path, strerror(errno));
		goto fail_unlink;
	}
	if (chmod(path, 0660) < 0) {
		r = log_err(-errno, "control: cannot chmod %s: %s", path, strerror(errno));
		goto fail_unlink;
	}
	if (lstat(path, &sb) < 0) {
		r = log_err(-errno, "control: cannot stat %s: %s", path, strerror(errno));
		goto fail_unlink;
	}
	if (listen(fd, 128) < 0) {
		r = log_err(-errno, "control: listen: %s", strerror(errno));
		goto fail_unlink;
	}
	r = loop_add(fd, EPOLLIN, on_accept, NULL);
	if (r < 0) {
		log_err(r, "control: cannot watch the socket: %s", strerror(-r));
		goto fail_unlink;
	}
	if (!tick_added) {
		r = loop_add_tick(on_tick, NULL);
		if (r < 0) {
			loop_del(fd);
			log_err(r, "control: cannot add a timer: %s", strerror(-r));
			goto fail_unlink;
		}
		tick_added = true;
	}
	listen_fd = fd;
	snprintf(sock_path, sizeof(sock_path), "%s", path);
	sock_dev = sb.st_dev;
	sock_ino = sb.st_ino;
	cfg = config;
	jb_init(&answer);
	return 0;

fail_unlink:
	unlink(path);
fail:
	close(fd);
	return r;
}

void control_fini(void)
{
	struct stat sb;

	for (int i = 0; i < PROTO_MAX_CLIENTS; i++)
		if (clients[i])
			client_close(clients[i]);
	if (listen_fd < 0)
		return;
	loop_del(listen_fd);
	close(listen_fd);
	listen_fd = -1;
	/* remove the socket only if it is still ours */
	if (lstat(sock_path, &sb) == 0 && sb.st_dev == sock_dev && sb.st_ino == sock_ino)
		unlink(sock_path);
	jb_free(&answer);
}

int control_listen_fd(void)
{
	return listen_fd;
}

void control_stats(struct jbuf *b)
{
	int followers = 0;

	for (int i = 0; i < PROTO_MAX_CLIENTS; i++)
		followers += clients[i] && clients[i]->follower;
	jb_obj_open(b);
	jb_kint(b, "clients", nclients());
	jb_kint(b, "followers", followers);
	jb_kuint(b, "followers_dropped", st.followers_dropped);
	jb_kuint(b, "accepted", st.accepted);
	jb_kuint(b, "refused", st.refused);
	jb_kuint(b, "too_many_clients", st.busy);
	jb_kuint(b, "timeouts", st.timeouts);
	jb_kuint(b, "lines_too_long", st.too_long);
	jb_kuint(b, "bad_requests", st.bad_requests);
	jb_kuint(b, "overflows", st.overflows);
	jb_kuint(b, "read_only_peers", st.read_only);
	jb_kuint(b, "confined_peers", st.confined);
	jb_kuint(b, "unverified_peers", st.unverified);
	jb_kuint(b, "tier_refused", st.tier_refused);
	jb_obj_close(b);
}
