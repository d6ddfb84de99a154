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
 * default is for IP destinations).
 */
#include "path.bpf.h"
#include <bpf/bpf_tracing.h>

#define UNIX_NAME_MAX 108       /* sun_path */

/*
 * The peer's bound name into s->key.path: "/path" as bound, or "@" and an
 * abstract name (NUL bytes inside it as 0x01, so a rule's name matches it
 * only whole).  Returns its length with the NUL (as bpf_d_path does), 0
 * when the peer has no name.
 */
static __always_inline long peer_name(struct scratch *s, struct unix_sock *u, __u8 *flags)
{
	struct unix_address *addr = BPF_CORE_READ(u, addr);
	char *name;
	int len, i, n;

	if (!addr)
		return 0;
	len = BPF_CORE_READ(addr, len);
	name = (char *)addr + bpf_core_field_offset(struct unix_address, name) + 2; /* sun_path */
	n = len - 2;
	if (n <= 0)
		return 0;
	if (n > UNIX_NAME_MAX)
		n = UNIX_NAME_MAX;
	__builtin_memset(s->key.path, 0, ENF_PATH_KEY_MAX);
	if (bpf_probe_read_kernel(s->key.path, UNIX_NAME_MAX, name))
		return 0;
	if (s->key.path[0]) {
		s->key.path[UNIX_NAME_MAX - 1] = 0;
		/* Bound: UNIX_NAME_MAX bytes. */
		for (i = 0; i < UNIX_NAME_MAX; i++)
			if (!s->key.path[i])
				break;
		return i + 1;
	}
	/* abstract: "\0name" (n bytes) -> "@name" */
	*flags |= ENF_EV_ABSTRACT;
	s->key.path[0] = '@';
	/* Bound: UNIX_NAME_MAX bytes. */
	for (i = 1; i < UNIX_NAME_MAX; i++) {
		if (i >= n) {
			s->key.path[i] = 0;
			continue;
		}
		if (!s->key.path[i])
			s->key.path[i] = 1;
	}
	return (n < UNIX_NAME_MAX ? n : UNIX_NAME_MAX - 1) + 1;
}

static __always_inline int judge_unix(struct sock *other, __u8 op)
{
	struct unix_sock *u = (struct unix_sock *)other;
	__u64 dent = 0;
	__u8 flags = 0;
	long len = -1;
	struct gov g;
	int i;

	switch (govern(&g)) {
	case GOV_NONE:
		return 0;
	case GOV_OVERFLOW:
		return fail_closed(&g.cfg, ENF_HOOK_CONNECT, ENF_ACC_NONE, op);
	case GOV_POLICIES:
		break;
	}
	if (!u)
		return 0;
	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		struct gov_pol p = gov_policy(&g, i);
		struct verdict_ctx v = {};
		struct rule_match m = {};
		struct enf_path_val *pv = NULL;
		enum match_state st = MATCH_NONE;
		__u8 verdict;

		if (p.state == POL_END)
			break;
		if (p.state == POL_MISSING)
			return fail_closed(&g.cfg, ENF_HOOK_CONNECT, ENF_ACC_NONE, op);
		if (!(p.pol->flags & ENF_POL_UNIX))
			continue;
		if (len < 0) {
			struct dentry *d = BPF_CORE_READ(u, path.dentry);

			len = peer_name(g.s, u, &flags);
			dent = d ? dentry_arg(d) : 0;
		}
		if (!len && !dent)
			return 0;   /* an unnamed peer (socketpair, autobind not yet) */
		g.s->key.prefixlen = 32 + ENF_PATH_KEY_MAX * 8;
		g.s->key.tag = ENF_TAG(g.cfg.gen_bit, ENF_KIND_UNIX, p.id);
		if (len)
			pv = bpf_map_lookup_elem(&path_rules, &g.s->key);
		if (dent) {
			st = enf_walk(dent, g.s->key.tag, 0, &m);
			if (st == MATCH_BOUND)
				return fail_closed(&g.cfg, ENF_HOOK_CONNECT, ENF_ACC_NONE, op);
		}
		if (!pv && st != MATCH_RULE)
			continue;
		if (pv) {
			verdict = pv->verdict;
			v.rule_id = pv->rule_id;
		} else {
			verdict = m.verdict;
			v.rule_id = m.rule_id;
		}
		if (pv && st == MATCH_RULE && stricter(m.verdict, verdict) != verdict) {
			verdict = m.verdict;
			v.rule_id = m.rule_id;
		}
		v.policy_id = p.id;
		v.hook = ENF_HOOK_CONNECT;
		v.family = ENF_FAMILY_UNIX;
		v.flags = flags;
		v.op = op;
		if (judge(&g.cfg, p.pol, &v, verdict == ENF_DENY, g.s, len))
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
