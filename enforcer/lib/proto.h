/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * proto.h - the control protocol spoken on enforcerd's Unix socket, shared by
 * the daemon (control.c) and the client (enforcerctl.c).
 *
 * CONTROL PROTOCOL (version 1)
 * ============================
 *
 * Transport: a Unix stream socket (default /run/enforcer/enforcer.sock),
 * mode 0660, owned by root and by the group named with --socket-group (root
 * only by default).  Each connection is checked with SO_PEERCRED: the peer
 * must be uid 0 or a member of that group, otherwise it receives
 *     {"ok":false,"error":"permission denied: uid N is not root or in group G"}
 * and is disconnected (the refusal is logged by the daemon).
 *
 * Requests: one per line, terminated by '\n' (a '\r' before it is ignored,
 * so `socat - UNIX-CONNECT:/run/enforcer/enforcer.sock,crlf` works too).
 * A request is printable ASCII (0x20-0x7e) only:
 *     VERB [ARG...]
 * words separated by spaces (the client sends single spaces; leading,
 * trailing and repeated spaces are tolerated).  Empty lines are ignored.
 * At most PROTO_LINE_MAX (4096) bytes per line including the '\n'; a longer
 * line gets an error answer and the connection is closed, and so does a
 * line holding any other byte ("binary data in request ...").  An unknown
 * verb or a bad argument only gets an error answer.  Any number of
 * requests may be sent on one connection, one after the other; answers come
 * back in order.  A connection that has not completed a request within 30 s
 * gets {"ok":false,"error":"timeout: ..."} and is closed (audit followers
 * excepted).  At most 64 clients at once; the next one receives
 * {"ok":false,"error":"too many clients"} and is closed.  A client that
 * lets more than 1 MiB of answers pile up unread is closed.  Example:
 *     echo status | socat -t 5 - UNIX-CONNECT:/run/enforcer/enforcer.sock
 *
 * Verbs:
 *   ping                   {"ok":true,"pong":true,"proto":1}
 *   status                 {"ok":true,"version":"0.1.0","kernel":"6.12...",
 *                           "uptime":S,"generation":N,"live":bool,
 *                           "policy_dir":..,"reloads":N,"reload_failures":N,
 *                           "policies":[{"name":..,"file":..,"mode":..,
 *                             "cgroups":[{"path":..,"state":"bound"|"pending"}]}]}
 *   policies               {"ok":true,"generation":N,"policies":[{...rules...}]}
 *   stats                  {"ok":true,...counters... (among them
 *                           "verdict_cache_fills":N, "verdict_cache_hits":N:
 *                           read-only opens whose allow the verdict cache
 *                           stored, and opens it answered;
 *                           "verdict_cache_live":N: live entries of its
 *                           table (8192 slots);
 *                           "exec_cache_fills":N, "exec_cache_hits":N,
 *                           "mmap_cache_fills":N, "mmap_cache_hits":N: the
 *                           same for execs and PROT_EXEC mappings;
 *                           "connect_cache_fills":N, "connect_cache_hits":N:
 *                           the same for connects),"control":{"clients":N,
 *                           "followers":N,"followers_dropped":N,"refused":N,...},
 *                           "policies":[{"name":..,"exec":{"checks":N,
 *                           "denials":N,"audits":N},"file":{..},"connect":{..}}]}
 *                          each policy also lists "rules":[{"hook":..,"line":N,
 *                          "rule":"text"|"default","allowed":N,"denied":N,
 *                          "audited":N}] for its rules that matched since load
 *                          (PROTO_RULES_METRICS in all; "rules_omitted":N)
 *   stats rules [unused]   {"ok":true,"rules":[{"policy":..,"file":..,"hook":..,
 *                           "line":N,"rule":..,"allowed":N,"denied":N,
 *                           "audited":N}],"rules_omitted":N,"rule_hits_lost":N}
 *                          every rule (and each section's default), or those
 *                          that never matched since load (unused)
 *   stats prometheus       {"ok":true,"text":"<Prometheus text exposition>"}
 *   reload                 {"ok":true,"generation":N,"policies":N}
 *                          ("unchanged":true added when the half switched
 *                          to held this set already: no map was written)
 *                       or {"ok":false,"error":"policy errors: ...",
 *                           "errors":["file:line: message",...]}
 *                          (nothing changed: the previous set stays in force)
 *   reopen                 {"ok":true} (the audit log was reopened)
 *   audit [FILTER...]      the recent events (bounded backlog):
 *                              {"ok":true,"stream":"audit"}
 *                              <one audit event per line>
 *                              {"ok":true,"end":true}
 *                          the connection stays open for more requests.
 *   audit follow [FILTER...]
 *                          {"ok":true,"stream":"audit"} then every new event
 *                          as it happens, one per line, until the client
 *                          closes.  A follower that does not read fast
 *                          enough (1 MiB queued) is dropped, never waited
 *                          for.  Further requests on a follow connection
 *                          are ignored; one that shuts down its sending
 *                          side (socat after its stdin ends) keeps getting
 *                          events until it closes.
 *       FILTER: policy=NAME   hook=exec|file|connect   action=deny|audit|shadow
 *       (each at most once; the backlog is filtered on the events'
 *       "policy", "hook" and "action" fields).  "lost" lines
 *       ({"lost":N,...}) go to every follower.
 *       Deny storms (enforcerd --storm-window MS --storm-burst N; off by
 *       default): per key (policy, rule, cgroup, process, hook, op, action)
 *       at most N full lines a window; a line may carry "suppressed":K (K
 *       repeats of its key since its previous line, not written), and a
 *       summary line {"time","action","hook","op","policy","rule",
 *       "rule_line","mode","pid",...,"cgroup","cgroup_id","summary":true,
 *       "suppressed":K,"generation"} (the event's fields without the object:
 *       no path, address, argv) reports a window's repeats when the window
 *       has ended, and at reload and stop.  Lines + suppressed = attempts;
 *       stats "storm_suppressed" counts them all.  Summary lines are
 *       filtered like events.
 *   unload                 reserved: answered by the daemon when supported,
 *                          otherwise {"ok":false,"error":"... not supported"}
 *   bind ARG...            reserved (cgroup binding, issue 7), same rule.
 *   shadow DIR             load the candidate policy set of directory DIR
 *                          (absolute, no spaces) beside the live one
 *                          (README "Shadow and promote"); replaces a shadow
 *                          already loaded.  {"ok":true,"dir":..,"policies":
 *                          [names],"generation":N}, or {"ok":false,"error":..,
 *                          "errors":["file:line: message",...]}: nothing changed
 *   shadow report          {"ok":true,"dir":..,"since":..,"policies":[..],
 *                           "observed":N,"judged":N,"unmodelled":N,"lost":N,
 *                           "differences":N,"dropped":N,"newly_denied":[E..],
 *                           "newly_allowed":[E..],"audit_changed":[E..]}
 *                          E: {"action":"exec /usr/bin/curl","cgroup":..,
 *                          "hook":..,"count":N,"first":T,"last":T,"live":{S},
 *                          "candidate":{S}}, S: {"verdict":"allow"|"deny"|
 *                          "audit","policy":..,"rule":..,"rule_line":N};
 *                          distinct actions, most frequent first, at most
 *                          1024 in all (the rest counted in "dropped")
 *   shadow drop            {"ok":true,"dropped":DIR,"generation":N}
 *   promote                the shadowed candidate's files replace the policy
 *                          directory's *.ini and *.test (moved to
 *                          DIR/.enforcer-previous/) and one reload makes them
 *                          live: {"ok":true,"promoted":DIR,"generation":N,
 *                          "policies":N,"installed":[files],"previous":PATH}
 *                          shadow, promote without a shadow loaded:
 *                          {"ok":false,"error":"...: no shadow loaded ..."}
 *                          shadow and promote are admin verbs, like reload.
 *
 * enforcerctl's check, explain and test verbs work offline on policy files
 * (verdict_model.h, policy_test.h): they send no request.
 *
 * Answers: exactly one JSON object per line ('\n'-terminated), except the
 * audit stream described above, whose event lines are the audit event
 * objects themselves (no wrapper).  Every answer has "ok"; failures are
 *     {"ok":false,"error":"message"}
 * e.g. unknown verb, bad argument, line too long, binary data.
 *
 * JSON strings are escaped so that every line is valid JSON whatever the
 * bytes: " and \ as \" and \\; \n \r \t \b \f in short form; other bytes
 * below 0x20 and 0x7f as \u00XX; valid UTF-8 as is; each invalid UTF-8
 * sequence (overlong, surrogate, above U+10FFFF, truncated, stray byte) as
 * \ufffd.  Fields holding raw bytes (paths, comm, argv) are followed by a
 * "<name>_hex" field with the exact bytes in lowercase hex whenever they
 * were not valid UTF-8 or held a NUL byte.
 */
#ifndef ENFORCER_PROTO_H
#define ENFORCER_PROTO_H

#include <stdbool.h>
#include <stddef.h>

#define PROTO_VERSION        1
#define PROTO_LINE_MAX       4096          /* bytes per request line, '\n' included */
#define PROTO_MAX_CLIENTS    64
#define PROTO_ADMIN_SLOTS    16            /* of them kept for the admin tier */
#define PROTO_IDLE_MS        30000         /* no complete request for that long: closed */
#define PROTO_OUTQ_MAX       (1024 * 1024) /* bytes queued to one client */
#define PROTO_ARGS_MAX       16
#define PROTO_NAME_MAX       64            /* policy names: [A-Za-z0-9_.-]+ */
#define PROTO_DEFAULT_SOCKET "/run/enforcer/enforcer.sock"

/* stats rules: every rule with its hits; stats rules unused: those that
 * never matched since load.  At most PROTO_RULES_LIST rules per answer. */
enum { PROTO_RULES_NONE = 0, PROTO_RULES_ALL, PROTO_RULES_UNUSED };
#define PROTO_RULES_LIST     4000
/* Rules with hits in `stats` (JSON) and `stats prometheus`: at most this
 * many (bounded cardinality), the busiest rules are not chosen: the first
 * in policy order. */
#define PROTO_RULES_METRICS  1000

enum proto_verb {
	PROTO_PING,
	PROTO_STATUS,
	PROTO_POLICIES,
	PROTO_STATS,
	PROTO_RELOAD,
	PROTO_REOPEN,
	PROTO_AUDIT,
	PROTO_UNLOAD,
	PROTO_BIND,
	PROTO_SHADOW,
	PROTO_PROMOTE,
};

struct proto_req {
	enum proto_verb verb;
	bool prometheus;                  /* stats prometheus */
	int rules;                        /* stats rules [unused]: PROTO_RULES_* */
	bool follow;                      /* audit follow */
	char policy[PROTO_NAME_MAX + 1];  /* audit policy=NAME ("" = any) */
	char hook[8];                     /* audit hook=... ("" = any) */
	char action[8];                   /* audit action=... ("" = any) */
	/* reserved verbs (bind): the raw arguments, pointing into buf */
	int argc;
	char *argv[PROTO_ARGS_MAX];
	char buf[PROTO_LINE_MAX + 1];
};

/*
 * Parse one request line (without or with its trailing "\n" / "\r\n").
 * Returns 0 and fills out, or -1 with a message in err (e.g. "unknown
 * request 'foo' (try: ping status ...)").  An empty line is an error with
 * the message "empty request".
 */
int proto_parse(const char *line, size_t len, struct proto_req *out, char *err, size_t errsz);
/* The verb's name ("status"...). */
const char *proto_verb_name(enum proto_verb v);

#endif
