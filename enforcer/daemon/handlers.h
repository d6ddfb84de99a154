/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * handlers.h - enforcerd's answers to control-socket verbs (control.h's
 * control_handler).  Each writes one complete JSON object (no newline) into
 * out.  enforcerd.c lists them in its table of verbs, where those that
 * change state (reload, reopen, unload, bind) are marked; the server refuses
 * them to a peer under a policy (peer_confined, peer.c).
 */
#ifndef ENFORCER_HANDLERS_H
#define ENFORCER_HANDLERS_H

#include "control.h"

/* handlers.c: read-only */
int handle_status(struct jbuf *out, const struct proto_req *req);
int handle_policies(struct jbuf *out, const struct proto_req *req);
/* JSON counters, or with `stats prometheus` {"ok":true,"text":"<exposition>"} */
int handle_stats(struct jbuf *out, const struct proto_req *req);
/* rule_stats.c: the rule hit counters: `stats rules [unused]` (mode
 * PROTO_RULES_*), a policy's "rules" in the JSON stats (within a budget
 * shared by all policies), the enforcer_rule_hits_total series */
int handle_stats_rules(struct jbuf *out, int mode);
void stats_json_rules(struct jbuf *b, size_t policy_index, size_t *left, size_t *omitted);
void stats_prometheus_rules(struct jbuf *t);
/* handlers.c: state-changing */
int handle_reload(struct jbuf *out, const struct proto_req *req);
int handle_reopen(struct jbuf *out, const struct proto_req *req);
/* bindings.c: bind CGROUP_PATH [namespace=NS] [pod=NAME] [container=ID] [root=PATH] */
int handle_bind(struct jbuf *out, const struct proto_req *req);
/* shadow.c: shadow DIR | shadow report | shadow drop; promote */
int handle_shadow(struct jbuf *out, const struct proto_req *req);
int handle_promote(struct jbuf *out, const struct proto_req *req);
/* peer.c: a peer under a (non host-wide) policy may not change enforcer:
 * 1 confined, 0 not, a negative errno when the peer cannot be verified. */
int peer_confined(const struct control_peer *peer);
/* peer.c: tell the kernel which socket is the control socket. */
int peer_mark_listener(int fd);

#endif
