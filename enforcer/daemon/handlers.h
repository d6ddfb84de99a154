/*
 * handlers.h - enforcerd's answers to control-socket verbs, and the table
 * (handlers.c) that hands them to the control server.  Each writes one
 * complete JSON object (no newline) into out.  Verbs that change state
 * (reload, reopen, unload, bind) are marked in the table; the server refuses
 * them to a peer under a policy (handle_peer_confined).
 */
#ifndef ENFORCER_HANDLERS_H
#define ENFORCER_HANDLERS_H

#include "control.h"

/* handlers.c: read-only */
int handle_status(struct jbuf *out, const struct proto_req *req);
int handle_policies(struct jbuf *out, const struct proto_req *req);
/* JSON counters, or with `stats prometheus` {"ok":true,"text":"<exposition>"} */
int handle_stats(struct jbuf *out, const struct proto_req *req);
/* handlers.c: state-changing */
int handle_reload(struct jbuf *out, const struct proto_req *req);
int handle_reopen(struct jbuf *out, const struct proto_req *req);
/* enforcerd.c: detach, remove the pins, exit */
int handle_unload(struct jbuf *out, const struct proto_req *req);
/* bindings.c: bind CGROUP_PATH [namespace=NS] [pod=NAME] [container=ID] [root=PATH] */
int handle_bind(struct jbuf *out, const struct proto_req *req);
/* handlers.c: a peer under a (non host-wide) policy may not change enforcer. */
bool handle_peer_confined(const struct control_peer *peer);

/* handlers.c: every verb above, for control_config.verbs */
extern const struct control_verb handler_verbs[];
extern const size_t handler_nverbs;

#endif
