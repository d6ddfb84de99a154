/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * control.h - the control socket server (control.c): what it needs from its
 * owner, passed explicitly to control_init() (no weak symbols: a handler that
 * is named in a table but not linked fails the link).
 *
 * The server itself answers the protocol's own verbs, `ping` and `audit`
 * (they act on the connection: a stream of backlog or live lines).  Every
 * other verb is looked up in the owner's table; a verb missing from it is
 * answered {"ok":false,"error":"<verb> is not supported by this daemon"}.
 */
#ifndef ENFORCER_CONTROL_H
#define ENFORCER_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "audit_format.h"   /* struct audit_meta */
#include "json.h"
#include "proto.h"

/* What a peer may do: read (status, stats, audit, ...), or also change
 * enforcer (reload, reopen, bind, unload). */
enum control_tier {
	CONTROL_READ = 0,         /* every admitted peer: root, --socket-group, --admin-group */
	CONTROL_ADMIN = 1,        /* root or --admin-group, and no policy confines the peer */
};

/* Who is on the other end of a connection (SO_PEERCRED at accept time). */
struct control_peer {
	int fd;
	uid_t uid;
	gid_t gid;
	pid_t pid;
};

/* Writes one complete JSON object (no newline) into out; returns 0 or a
 * negative errno (the answer says what went wrong either way). */
typedef int (*control_handler)(struct jbuf *out, const struct proto_req *req);

struct control_verb {
	enum proto_verb verb;
	control_handler handle;
	enum control_tier tier;   /* the tier a peer needs for it */
};

/* Recent audit lines (bounded backlog), oldest first; each without '\n'. */
typedef void (*backlog_fn)(void *ctx, const char *line, size_t len);
typedef void (*backlog_foreach_fn)(backlog_fn fn, void *ctx);

struct control_config {
	const char *path;                 /* socket path */
	const char *group;                /* --socket-group, NULL = root only */
	const char *admin_group;          /* --admin-group, NULL = root only; without
					   * group, it is the socket's group */
	const struct control_verb *verbs; /* the owner's verbs */
	size_t nverbs;
	/* Asked once, when a root or --admin-group peer connects: 1 when a
	 * policy (not host-wide) governs it, 0 when none does, a negative errno
	 * when that cannot be told (the peer is gone).  Anything but 0 leaves
	 * the connection in the read tier; the answer is never asked again by
	 * pid, so a pid reused later lends this connection nothing.  Required
	 * when any verb needs the admin tier. */
	int (*peer_confined)(const struct control_peer *peer);
	/* Replays the audit backlog for `audit` (without follow); required. */
	backlog_foreach_fn backlog_foreach;
};

/* Listen on cfg->path, owned by root:cfg->group (0660).  cfg must outlive
 * the server. */
int control_init(const struct control_config *cfg);
void control_fini(void);
/* The listening socket's fd (-1 before control_init). */
int control_listen_fd(void);
/* Send one audit line to every matching --follow subscriber, never
 * blocking: a subscriber whose buffer is full is dropped. */
void control_publish(const char *line, size_t len, const struct audit_meta *m);
/* The value {"clients":N,"followers":N,"followers_dropped":N,"refused":N,...};
 * the caller writes the key first: jb_key(b, "control"). */
void control_stats(struct jbuf *b);

#endif
