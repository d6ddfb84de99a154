/*
 * handlers.h - what the control socket (control.c) asks of the rest of the
 * daemon.  Each writes one complete JSON object (no newline) into out.
 * Read-only requests never change state; reload/reopen/bind mutate.
 */
#ifndef ENFORCER_HANDLERS_H
#define ENFORCER_HANDLERS_H

#include <sys/types.h>
#include "json.h"

int handle_status(struct jbuf *out);
int handle_policies(struct jbuf *out);
int handle_stats(struct jbuf *out);
int handle_reload(struct jbuf *out);     /* {"ok":true,"generation":N} or {"ok":false,"errors":[...]} */
int handle_reopen(struct jbuf *out);
/* {"ok":true,"text":"<Prometheus text exposition>"} */
int handle_stats_prometheus(struct jbuf *out);
/* Optional (#pragma weak in control.c): when not linked, the request is answered
 * {"ok":false,"error":"... not supported"}.  bind gets the request words
 * after "bind". */
int handle_unload(struct jbuf *out);
/* Called when a root or --admin-group peer connects (cfd: the accepted
 * socket, pid: SO_PEERCRED's): 1 when a policy other than a host-wide one
 * governs the peer (it may not change enforcer), 0 when none does, a
 * negative errno when that cannot be told (the peer is gone): refused too. */
int handle_peer_confined(int cfd, pid_t pid);
int handle_bind(struct jbuf *out, int argc, char **argv);

/* Recent audit lines (bounded backlog), oldest first; each without '\n'. */
typedef void (*backlog_fn)(void *ctx, const char *line, size_t len);
void audit_backlog_foreach(backlog_fn fn, void *ctx);

/* What subscribers filter on; passed with each line to control_publish(). */
struct audit_meta {
	const char *policy;   /* policy name, or NULL for "lost"/"suppressed" lines */
	const char *hook;     /* "exec" | "file" | "connect" | NULL */
	const char *action;   /* "deny" | "audit" | NULL */
};

/* control.c: send one audit line to every matching --follow subscriber,
 * never blocking: a subscriber whose buffer is full is dropped. */
void control_publish(const char *line, size_t len, const struct audit_meta *m);
/* control.c: listen on path, owned by root:group (NULL = root only).  Members
 * of group read; root and members of admin_group (NULL = root only) may also
 * change enforcer.  Without group, admin_group is the socket's group. */
int control_init(const char *path, const char *group, const char *admin_group);
void control_fini(void);
/* control.c: the value {"clients":N,"followers":N,"followers_dropped":N,
 * "refused":N,...}; the caller writes the key first: jb_key(b, "control"). */
void control_stats(struct jbuf *b);
#endif
