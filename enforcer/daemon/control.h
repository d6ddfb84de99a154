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
#include "json.h"
#include "proto.h"

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
	bool changes_state;       /* refused to a peer that peer_confined() names */
};

/* Recent audit lines (bounded backlog), oldest first; each without '\n'. */
typedef void (*backlog_fn)(void *ctx, const char *line, size_t len);
typedef void (*backlog_foreach_fn)(backlog_fn fn, void *ctx);

struct control_config {
	const char *path;                 /* socket path */
	const char *group;                /* --socket-group, NULL = root only */
	const struct control_verb *verbs; /* the owner's verbs */
	size_t nverbs;
	/* Is this peer under a policy (not host-wide)?  Such a peer may read,
	 * but gets "permission denied" for every verb that changes state.
	 * Required when any verb changes state. */
	bool (*peer_confined)(const struct control_peer *peer);
	/* Replays the audit backlog for `audit` (without follow); required. */
	backlog_foreach_fn backlog_foreach;
};

/* What subscribers filter on; passed with each line to control_publish(). */
struct audit_meta {
	const char *policy;   /* policy name, or NULL for "lost"/"suppressed" lines */
	const char *hook;     /* "exec" | "file" | "connect" | NULL */
	const char *action;   /* "deny" | "audit" | NULL */
};

/* Listen on cfg->path, owned by root:cfg->group (0660).  cfg must outlive
 * the server. */
int control_init(const struct control_config *cfg);
void control_fini(void);
/* Send one audit line to every matching --follow subscriber, never
 * blocking: a subscriber whose buffer is full is dropped. */
void control_publish(const char *line, size_t len, const struct audit_meta *m);
/* The value {"clients":N,"followers":N,"followers_dropped":N,"refused":N,...};
 * the caller writes the key first: jb_key(b, "control"). */
void control_stats(struct jbuf *b);

#endif
