// SPDX-License-Identifier: GPL-2.0
/*
 * unix.bpf.c - unix: connect rules: a connect to a Unix-domain stream or
 * seqpacket socket (unix_stream_connect) and a datagram connect or send
 * (unix_may_send), judged by the peer socket: the name it was bound to
 * (path_rules, ENF_KIND_UNIX: a path, "@" + an abstract name) and the
 * identity of its socket file and the directories above it (inode_rules,
 * walked up like file rules).  Whatever path, link or mount the client
 * named it by, the peer is the same socket.  Only policies with unix:
 * rules judge; no rule matching lets the connect pass (the section's
 * default is for IP destinations).  Rules with `exe PATH`: a task whose
 * program is in a class such rules name is judged by that class's table
 * (enforcer_abi.h, ENF_UNIX_TABLE).
 */
#include "path.bpf.h"
#include "prog.bpf.h"
#include <bpf/bpf_tracing.h>

#define UNIX_NAME_MAX 108       /* sun_path */

#define PEER_ABSTRACT 0x10000   /* enf_unix_peer: the name is abstract */

/*
 * The peer's bound name into this CPU's scratch key: "/path" as bound, or
 * "@" and an abstract name (NUL bytes inside it as 0x01, so that a rule's
 * name matches it only whole), and the dentry of its socket file into
 * *dent.  Returns the name's length with its NUL (as bpf_d_path counts),
 * 0 when the peer has none, | PEER_ABSTRACT.  A global function (the peer
 * as a number): verified once.
 */
__noinline int enf_unix_peer(__u64 usk, __u64 *dent)
{
	struct unix_sock *u = (struct unix_sock *)usk;
	struct unix_address *addr;
	struct dentry *d;
	struct scratch *s;
	__u32 zero = 0;
	char *name;
	int len, i, n;

	if (!dent)
		return 0;
	*dent = 0;
	s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!s || !u)
		return 0;
	d = BPF_CORE_READ(u, path.dentry);
	*dent = d ? dentry_arg(d) : 0;
	addr = BPF_CORE_READ(u, addr);
	if (!addr)
		return 0;
	len = BPF_CORE_READ(addr, len);
	name = (char *)addr + bpf_core_field_offset(struct unix_address, name) + 2; /* sun_path */
	n = len - 2;
	if (n <= 0)
		return 0;
	__builtin_memset(s->key.path, 0, ENF_PATH_KEY_MAX);
	if (bpf_probe_read_kernel(s->key.path, UNIX_NAME_MAX, name))
		return 0;
	if (s->key.path[0]) {
		long k = bpf_probe_read_kernel_str(s->key.path, UNIX_NAME_MAX, name);

		return k > 0 ? k : 0;
	}
	/* abstract: "\0name" (n bytes) -> "@name" */
	s->key.path[0] = '@';
	/* Bound: UNIX_NAME_MAX bytes. */
	for (i = 1; i < UNIX_NAME_MAX; i++) {
		if (i >= n)
			s->key.path[i] = 0;
		else if (!s->key.path[i])
			s->key.path[i] = 1;
	}
	return ((n < UNIX_NAME_MAX ? n : UNIX_NAME_MAX - 1) + 1) | PEER_ABSTRACT;
}

/*
 * One table of a policy's unix: rules (tag): the peer's name (in the
 * scratch key, len bytes; 0: none) by LPM, and the identity of its socket
 * file and the directories above it (dent) walked up; the stricter of the
 * two when both match.  A global function: verified once, however many
 * classes a task's program is in.
 */
__noinline int enf_unix_table(__u32 tag, __u64 dent, int len, struct rule_match *m)
{
	struct enf_path_val *pv = NULL;
	struct rule_match mi = {};
	enum match_state st = MATCH_NONE;
	struct scratch *s;
	__u32 zero = 0;

	if (!m)
		return MATCH_BOUND;
	s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!s)
		return MATCH_BOUND;
	s->key.prefixlen = 32 + ENF_PATH_KEY_MAX * 8;
	s->key.tag = enf_path_tag(tag);
	if (len)
		pv = bpf_map_lookup_elem(&path_rules, &s->key);
	if (dent) {
		st = enf_walk(dent, tag, 0, &mi);
		if (st == MATCH_BOUND)
			return MATCH_BOUND;
	}
	if (!pv && st != MATCH_RULE)
		return MATCH_NONE;
	if (pv) {
		m->verdict = pv->verdict;
		m->rule_id = pv->rule_id;
	} else {
		m->verdict = mi.verdict;
		m->rule_id = mi.rule_id;
	}
	if (pv && st == MATCH_RULE && stricter(mi.verdict, m->verdict) != m->verdict) {
		m->verdict = mi.verdict;
		m->rule_id = mi.rule_id;
	}
	return MATCH_RULE;
}

#define UNIX_PROG_DIRS (1u << 24)   /* in gen_pid: the policy has `exe DIR/` classes */

/*
 * The rule of policy pid (gen_pid: the generation bit << 31 | UNIX_PROG_DIRS
 * | the policy id) that decides for this task: table 0, or the
 * tables of the program classes its executable is in (unix_progs: those
 * the policy's rules name; the stricter when several match).  A global
 * function: the class loop is verified once, not once per stacked policy.
 */
__noinline int enf_unix_policy(__u32 gen_pid, __u32 unix_progs, __u64 dent, int len,
			       struct rule_match *m)
{
	__u32 gen_bit = gen_pid >> 31, pid = gen_pid & 0xffffff;
	struct prog_id pi = {};
	__u32 progs = 0;
	int c, st = MATCH_NONE;

	if (!m)
		return MATCH_BOUND;
	if (unix_progs && (gen_pid & UNIX_PROG_DIRS)) {
		/* `exe DIR/` in the policy: the directories above the program too */
		long e = enf_prog_classes(ENF_TAG(gen_bit, ENF_KIND_PROG, pid), 0, 1);

		if (e < 0)
			return MATCH_BOUND;
		progs = (__u32)e & unix_progs;
	} else if (unix_progs) {
		progs = prog_mask(&pi, gen_bit, pid) & unix_progs;
	}
	if (!progs)
		return enf_unix_table(ENF_TAG(gen_bit, ENF_KIND_UNIX, pid), dent, len, m);
	/* Bound: ENF_PROG_CLASSES classes. */
	for (c = 0; c < ENF_PROG_CLASSES; c++) {
		struct rule_match mc = {};
		int r;

		if (!((progs >> c) & 1))
			continue;
		r = enf_unix_table(ENF_TAG(gen_bit, ENF_KIND_UNIX, ENF_UNIX_TABLE(pid, c + 1)), dent, len,
				   &mc);
		if (r == MATCH_BOUND)
			return MATCH_BOUND;
		if (r != MATCH_RULE)
			continue;
		if (st != MATCH_RULE || mc.verdict == ENF_DENY) {
			m->verdict = mc.verdict;
			m->rule_id = mc.rule_id;
		}
		st = MATCH_RULE;
	}
	return st;
}

static __always_inline int judge_unix(struct sock *other, __u8 op)
{
	__u64 dent = 0, usk = 0;
	__u8 flags = 0;
	long len;
	struct gov g;
	int i, any = 0;

	switch (govern(&g)) {
	case GOV_NONE:
		return 0;
	case GOV_OVERFLOW:
		return fail_closed(&g.cfg, ENF_HOOK_CONNECT, ENF_ACC_NONE, op);
	case GOV_POLICIES:
		break;
	}
	if (!other)
		return 0;
	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		struct gov_pol p = gov_policy(&g, i);

		if (p.state == POL_END)
			break;
		if (p.state == POL_MISSING || (p.pol->flags & ENF_POL_UNIX))
			any = 1;
	}
	if (!any)
		return 0;
	bpf_probe_read_kernel(&usk, sizeof(usk), &other);
	len = enf_unix_peer(usk, &dent);
	if (len & PEER_ABSTRACT)
		flags |= ENF_EV_ABSTRACT;
	len &= 0xffff;
	if (!len && !dent)
		return 0;   /* an unnamed peer (socketpair) */
	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		struct gov_pol p = gov_policy(&g, i);
		struct verdict_ctx v = {};
		struct rule_match m = {};
		int st;

		if (p.state == POL_END)
			break;
		if (p.state == POL_MISSING)
			return fail_closed(&g.cfg, ENF_HOOK_CONNECT, ENF_ACC_NONE, op);
		if (!(p.pol->flags & ENF_POL_UNIX))
			continue;
		st = enf_unix_policy((g.cfg.gen_bit << 31) | p.id |
				     (p.pol->prog_hooks & ENF_PROG_DIRS ? UNIX_PROG_DIRS : 0),
				     p.pol->unix_progs, dent, len, &m);
		if (st == MATCH_BOUND)
			return fail_closed(&g.cfg, ENF_HOOK_CONNECT, ENF_ACC_NONE, op);
		if (st != MATCH_RULE)
			continue;
		v.rule_id = m.rule_id;
		v.policy_id = p.id;
		v.hook = ENF_HOOK_CONNECT;
		v.family = ENF_FAMILY_UNIX;
		v.flags = flags;
		v.op = op;
		if (judge(&g.cfg, p.pol, &v, m.verdict == ENF_DENY, g.s, len))
			return -EPERM;
	}
	return 0;
}

SEC("lsm/unix_stream_connect")
int BPF_PROG(enf_unix_connect, struct sock *sock, struct sock *other, struct sock *newsk, int ret)
{
	if (ret)
		return ret;
	return judge_unix(other, ENF_OP_CONNECT);
}

/* A datagram socket's connect() and each of its sends. */
SEC("lsm/unix_may_send")
int BPF_PROG(enf_unix_send, struct socket *sock, struct socket *other, int ret)
{
	if (ret)
		return ret;
	return judge_unix(BPF_CORE_READ(other, sk), ENF_OP_SENDMSG);
}
