// SPDX-License-Identifier: GPL-2.0-only
/*
 * audit_format.c - the JSON audit line of one kernel event, and the "lost"
 * line (audit_format.h).  Field order and names are the README's "Audit
 * format"; nothing here reads the system or daemon state.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <string.h>
#include "audit_format.h"
#include "capability.h"

static const char *access_names[] = { "none", "read", "write", "exec" };
static const char *op_names[ENF_OP_MAX] = {
	[ENF_OP_NONE] = "none", [ENF_OP_OPEN] = "open", [ENF_OP_EXEC] = "exec",
	[ENF_OP_CONNECT] = "connect", [ENF_OP_SENDMSG] = "sendmsg", [ENF_OP_MMAP_EXEC] = "mmap_exec",
	[ENF_OP_UNLINK] = "unlink", [ENF_OP_RMDIR] = "rmdir", [ENF_OP_RENAME] = "rename",
	[ENF_OP_LINK] = "link", [ENF_OP_TRUNCATE] = "truncate", [ENF_OP_CHMOD] = "chmod",
	[ENF_OP_CHOWN] = "chown", [ENF_OP_CREATE] = "create", [ENF_OP_CGROUP_MOVE] = "cgroup_move",
	[ENF_OP_MOUNT] = "mount", [ENF_OP_TAMPER] = "tamper",
	[ENF_OP_CAPABLE] = "capable", [ENF_OP_UMOUNT] = "umount", [ENF_OP_PIVOT_ROOT] = "pivot_root",
	[ENF_OP_CHROOT] = "chroot", [ENF_OP_FSOPEN] = "fsopen", [ENF_OP_FSCONFIG] = "fsconfig",
	[ENF_OP_FSMOUNT] = "fsmount", [ENF_OP_MOVE_MOUNT] = "move_mount",
	[ENF_OP_OPEN_TREE] = "open_tree", [ENF_OP_MOUNT_SETATTR] = "mount_setattr",
	[ENF_OP_UNSHARE] = "unshare", [ENF_OP_SETNS] = "setns", [ENF_OP_SOCKET] = "socket",
	[ENF_OP_PTRACE] = "ptrace", [ENF_OP_SYSCTL] = "sysctl",
	[ENF_OP_XATTR] = "xattr", [ENF_OP_SETATTR] = "setattr",
	[ENF_OP_BIND] = "bind", [ENF_OP_LISTEN] = "listen",
	[ENF_OP_TIOCSTI] = "tiocsti", [ENF_OP_TIOCLINUX] = "tioclinux",
	[ENF_OP_PRCTL] = "prctl", [ENF_OP_SETSOCKOPT] = "setsockopt", [ENF_OP_RECEIVE] = "receive",
};

size_t audit_event_exe(const struct enf_event *e, char *out, size_t sz, bool *trunc)
{
	static const char deleted[] = " (deleted)";
	size_t n = e->exe_len < ENF_EVENT_PATH ? e->exe_len : ENF_EVENT_PATH - 1;

	*trunc = false;
	if (!(e->exe_flags & ENF_EXE_SET) || !n || sz < ENF_EVENT_PATH + sizeof(deleted))
		return 0;
	memcpy(out, e->exe, n);
	if (e->exe_flags & ENF_EXE_DELETED) {
		memcpy(out + n, deleted, sizeof(deleted) - 1);
		n += sizeof(deleted) - 1;
	}
	out[n] = 0;
	*trunc = e->exe_flags & ENF_EXE_TRUNC;
	return n;
}

static void put_subject_object(struct jbuf *b, const struct enf_event *e,
			       const struct audit_context *ctx);

static void put_time(struct jbuf *b, uint64_t real_ns)
{
	char ts[48];

	json_rfc3339(ts, sizeof(ts), real_ns);
	jb_kstr(b, "time", ts);
}

/* argv as a JSON array; the last argument may be cut (argv_truncated). */
static void put_argv(struct jbuf *b, const struct enf_event *e)
{
	size_t n = e->argv_len < ENF_ARGV_MAX ? e->argv_len : ENF_ARGV_MAX;
	size_t off = 0;

	jb_key(b, "argv");
	jb_arr_open(b);
	while (off < n) {
		size_t len = strnlen(e->argv + off, n - off);

		jb_strn(b, e->argv + off, len);
		off += len + 1;
	}
	jb_arr_close(b);
	if (e->flags & ENF_EV_ARGV_TRUNC)
		jb_kbool(b, "argv_truncated", true);
}

void audit_format_event(struct jbuf *b, const struct enf_event *e, const struct audit_context *ctx,
			struct audit_meta *m)
{
	const struct enf_policy_src *p = ctx->policy;

	jb_obj_open(b);
	put_time(b, ctx->real_ns);
	m->action = e->action == ENF_ACTION_AUDIT ? "audit" : "deny";
	m->hook = e->hook < ENF_HOOK_MAX ? policy_hook_name(e->hook) :
		  e->hook == ENF_HOOK_CAPABLE ? "capability" : "unknown";
	m->policy = p ? p->name : (e->flags & ENF_EV_FAIL_CLOSED ? "(fail-closed)" : "(unknown)");
	jb_kstr(b, "action", m->action);
	jb_kstr(b, "hook", m->hook);
	jb_kstr(b, "op", e->op < ENF_OP_MAX && op_names[e->op] ? op_names[e->op] : "unknown");
	jb_kstr(b, "policy", m->policy);
	if (p && e->rule_id != ENF_RULE_DEFAULT && e->rule_id < p->nrules) {
		jb_kstr(b, "rule", p->rules[e->rule_id].text);
		jb_kint(b, "rule_line", p->rules[e->rule_id].line);
	} else {
		jb_kstr(b, "rule", e->rule_id == ENF_RULE_SELF ? "self-protection" :
			e->flags & ENF_EV_FAIL_CLOSED ? "fail-closed" : "default");
	}
	if (p)
		jb_kstr(b, "mode", policy_mode_name(p->mode));
	put_subject_object(b, e, ctx);
	/* a network rule with `exe` decided: the condition, as on file rules */
	if (p && (e->hook == ENF_HOOK_CONNECT || e->hook == ENF_HOOK_BIND) && !e->summary &&
	    e->rule_id != ENF_RULE_DEFAULT && e->rule_id < p->nrules && p->rules[e->rule_id].prog)
		jb_kstr(b, "condition", "exe");
	if (e->flags & ENF_EV_FAIL_CLOSED)
		jb_kbool(b, "fail_closed", true);
	/* deny storms: a summary has no object (its key has none); any line
	 * carries the repeats of its key not written before it */
	if (e->summary)
		jb_kbool(b, "summary", true);
	if (e->summary || e->suppressed)
		jb_kuint(b, "suppressed", e->suppressed);
	jb_kuint(b, "generation", e->generation);
	jb_obj_close(b);
}

/* Who acted (pid ... cgroup) and on what (path, address, argv...). */
static void put_subject_object(struct jbuf *b, const struct enf_event *e, const struct audit_context *ctx)
{
	jb_kuint(b, "pid", e->pid);
	jb_kuint(b, "tid", e->tid);
	if (e->ns_level) {
		jb_kuint(b, "ns_pid", e->ns_pid);
		jb_kuint(b, "pidns_level", e->ns_level);
	}
	jb_kuint(b, "ppid", e->ppid);
	jb_kuint(b, "uid", e->uid);
	jb_kuint(b, "gid", e->gid);
	jb_kbytes(b, "comm", e->comm, strnlen(e->comm, sizeof(e->comm)));
	if (ctx->exe) {
		jb_kbytes(b, "exe", ctx->exe, ctx->exe_len);
		if (ctx->exe_truncated)
			jb_kbool(b, "exe_truncated", true);
	}
	if (ctx->cgroup)
		jb_kbytes(b, "cgroup", ctx->cgroup, strlen(ctx->cgroup));
	else
		jb_kstr(b, "cgroup", "(unknown)");
	jb_kuint(b, "cgroup_id", e->cgid);
	if (e->summary)
		return;
	if (e->hook == ENF_HOOK_CONNECT && e->family == ENF_FAMILY_UNIX) {
		size_t n = e->path_len < ENF_EVENT_PATH ? e->path_len : ENF_EVENT_PATH - 1;

		jb_kstr(b, "family", "unix");
		jb_kbytes(b, "path", e->path, n);
		if (e->flags & ENF_EV_ABSTRACT)
			jb_kbool(b, "abstract", true);
	} else if (e->hook == ENF_HOOK_CONNECT && e->family == ENF_FAMILY_PACKET) {
		/* a packet socket's creation or receipt: its ethertype and socket type */
		jb_kstr(b, "family", "packet");
		if (e->op != ENF_OP_RECEIVE)    /* a received socket's is not read */
			jb_kuint(b, "ethertype", e->port);
		jb_kstr(b, "sock_type", e->proto == 3 ? "raw" : e->proto == 2 ? "dgram" :
					e->proto == 10 ? "packet" : "other");
	} else if (e->hook == ENF_HOOK_CONNECT && (e->op == ENF_OP_SOCKET || e->op == ENF_OP_RECEIVE) &&
		   (e->family == 4 || e->family == 6)) {
		/* a raw IP socket's creation or receipt: no address; its protocol */
		jb_kstr(b, "family", e->family == 4 ? "ipv4" : "ipv6");
		jb_kstr(b, "sock_type", "raw");
		jb_kstr(b, "proto", e->proto == 6 ? "tcp" : e->proto == 17 ? "udp" :
				    e->proto == ENF_PROTO_ICMP ? "icmp" : e->proto == ENF_PROTO_ICMPV6 ? "icmpv6" :
				    e->proto == ENF_PROTO_SCTP ? "sctp" : "other");
		jb_kuint(b, "protocol", e->proto);
	} else if (e->hook == ENF_HOOK_CONNECT || e->hook == ENF_HOOK_BIND) {
		char addr[INET6_ADDRSTRLEN] = "?";

		inet_ntop(e->family == 4 ? AF_INET : AF_INET6, e->addr, addr, sizeof(addr));
		jb_kstr(b, "addr", addr);
		jb_kuint(b, "port", e->port);
		jb_kstr(b, "proto", e->proto == 6 ? "tcp" : e->proto == 17 ? "udp" :
				    e->proto == ENF_PROTO_ICMP ? "icmp" : e->proto == ENF_PROTO_ICMPV6 ? "icmpv6" :
				    e->proto == ENF_PROTO_SCTP ? "sctp" : "other");
		jb_kstr(b, "family", e->family == 4 ? "ipv4" : "ipv6");
	} else if (e->hook == ENF_HOOK_CAPABLE) {
		size_t n = e->path_len < ENF_EVENT_PATH ? e->path_len : ENF_EVENT_PATH - 1;
		const char *cap = capability_name(e->cap);

		jb_kstr(b, "capability", cap ? cap : "unknown");
		jb_kuint(b, "syscall_nr", e->sysno);
		if (e->path_len)
			jb_kbytes(b, "path", e->path, n);
		if (e->flags & ENF_EV_PATH_AS_GIVEN)
			jb_kbool(b, "path_as_given", true);
		if (e->flags & ENF_EV_NAME_ONLY)
			jb_kbool(b, "path_is_name", true);
		if (e->flags & ENF_EV_HAS_FSTYPE)
			jb_kbytes(b, "fstype", e->argv, strnlen(e->argv, e->argv_len < ENF_ARGV_MAX ?
								    e->argv_len : ENF_ARGV_MAX - 1));
	} else {
		size_t n = e->path_len < ENF_EVENT_PATH ? e->path_len : ENF_EVENT_PATH - 1;

		/* a mount refused by self-protection names what it would cover */
		if (e->op != ENF_OP_TAMPER && (e->op != ENF_OP_MOUNT || e->path_len))
			jb_kbytes(b, "path", e->path, n);
		if (e->flags & ENF_EV_NAME_ONLY)
			jb_kbool(b, "path_is_name", true);
		if (e->flags & ENF_EV_PATH_TRUNC)
			jb_kbool(b, "path_truncated", true);
		if (e->op != ENF_OP_TAMPER)
			jb_kstr(b, "access", e->access < 4 ? access_names[e->access] : "none");
		if (policy_cond_name(e->cond))
			jb_kstr(b, "condition", policy_cond_name(e->cond));
		if (policy_right_name(e->right))
			jb_kstr(b, "right", policy_right_name(e->right));
	}
	if (e->flags & ENF_EV_HAS_ARGV)
		put_argv(b, e);
}

static void put_side(struct jbuf *b, const char *key, const struct audit_side *s)
{
	jb_key(b, key);
	jb_obj_open(b);
	jb_kstr(b, "verdict", s->verdict);
	if (s->policy)
		jb_kstr(b, "policy", s->policy);
	jb_kstr(b, "rule", s->rule ? s->rule : "default");
	if (s->rule_line)
		jb_kint(b, "rule_line", s->rule_line);
	jb_obj_close(b);
}

void audit_format_shadow(struct jbuf *b, const struct enf_event *e, const struct audit_context *ctx,
			 const char *kind, const char *action, const struct audit_side *live,
			 const struct audit_side *cand, struct audit_meta *m)
{
	jb_obj_open(b);
	put_time(b, ctx->real_ns);
	m->action = "shadow";
	m->hook = e->hook < ENF_HOOK_MAX ? policy_hook_name(e->hook) : "unknown";
	m->policy = cand->policy ? cand->policy : live->policy;
	jb_kstr(b, "action", m->action);
	jb_kstr(b, "shadow", kind);
	jb_kstr(b, "hook", m->hook);
	jb_kstr(b, "op", e->op < ENF_OP_MAX && op_names[e->op] ? op_names[e->op] : "unknown");
	jb_kbytes(b, "shadow_action", action, strlen(action));
	put_side(b, "live", live);
	put_side(b, "candidate", cand);
	put_subject_object(b, e, ctx);
	jb_kuint(b, "generation", e->generation);
	jb_obj_close(b);
}

void audit_format_lost(struct jbuf *b, uint64_t lost, uint64_t lost_total, uint64_t real_ns)
{
	jb_obj_open(b);
	jb_kuint(b, "lost", lost);
	jb_kuint(b, "lost_total", lost_total);
	put_time(b, real_ns);
	jb_kstr(b, "reason", "ring buffer full");
	jb_obj_close(b);
}
