// SPDX-License-Identifier: GPL-2.0
/*
 * net.bpf.c - connect rules: connect() and sendto/sendmsg with a
 * destination (unconnected UDP, TCP Fast Open), judged by destination
 * address prefix, port and protocol.
 */
#include "net.bpf.h"
#include <bpf/bpf_tracing.h>

/* No rule of a prefix's list matches. */
#define NET_NO_MATCH (-1)

/*
 * The index of the first rule of a prefix's list that matches port and
 * protocol, or NET_NO_MATCH.  A global function: verified once.
 */
__noinline int enf_net_match(struct enf_net_val *nv, __u32 port, __u32 proto)
{
	int j;

	if (!nv)
		return NET_NO_MATCH;
	/* Bound: ENF_NET_SLOTS rules per prefix, most specific first. */
	for (j = 0; j < ENF_NET_SLOTS; j++) {
		struct enf_net_rule *r;

		if (j >= nv->n)
			break;
		r = &nv->r[j];
		if (port < r->port_lo || port > r->port_hi)
			continue;
		if (r->proto && r->proto != proto)
			continue;
		return j;
	}
	return NET_NO_MATCH;
}

__noinline int enf_net_lookup(const struct net_query *q, struct rule_match *m)
{
	struct enf_net_key key = {};
	struct enf_net_val *nv;
	int j;

	if (!q || !m)
		return MATCH_NONE;
	key.prefixlen = q->prefixlen;
	key.tag = q->tag;
	__builtin_memcpy(key.addr, q->addr, sizeof(key.addr));
	nv = bpf_map_lookup_elem(&net_rules, &key);
	if (!nv)
		return MATCH_NONE;
	j = enf_net_match(nv, q->port, q->proto);
	if (j == NET_NO_MATCH)
		return MATCH_NONE;
	m->verdict = nv->r[j & (ENF_NET_SLOTS - 1)].verdict;
	m->rule_id = nv->r[j & (ENF_NET_SLOTS - 1)].rule_id;
	return MATCH_RULE;
}

static __always_inline int check_dest(struct socket *sock, struct sockaddr *address, int addrlen,
				      __u8 op)
{
	struct verdict_ctx d = {};
	struct net_query q = {}, lo = {};
	enum dest_state parsed;
	struct gov g;
	int i, alias = 0;
	__u16 proto;

	switch (govern(&g)) {
	case GOV_NONE:
		return 0;
	case GOV_OVERFLOW:
		return fail_closed(&g.cfg, ENF_HOOK_CONNECT, ENF_ACC_NONE, op);
	case GOV_POLICIES:
		break;
	}
	parsed = dest_parse(address, addrlen, &d, &alias,
			    op == ENF_OP_SENDMSG && BPF_CORE_READ(sock, sk, __sk_common.skc_family) == AF_INET);
	if (parsed == DEST_OTHER)
		return 0;
	if (parsed == DEST_BAD)
		return fail_closed(&g.cfg, ENF_HOOK_CONNECT, ENF_ACC_NONE, op);
	proto = BPF_CORE_READ(sock, sk, sk_protocol);
	if (proto == IPPROTO_MPTCP)
		proto = IPPROTO_TCP;
	d.proto = proto;
	d.op = op;
	__builtin_memcpy(q.addr, d.addr, sizeof(q.addr));
	q.prefixlen = d.family == 4 ? 32 + 32 : 32 + 128;
	q.port = d.port;
	q.proto = proto;
	/* a loopback alias (0.0.0.0, ::, ::1) is judged as 127.0.0.1 too */
	lo.prefixlen = 32 + 32;
	lo.addr[0] = 127;
	lo.addr[3] = 1;
	lo.port = d.port;
	lo.proto = proto;

	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		struct gov_pol p = gov_policy(&g, i);
		struct rule_match m = {}, ml = {};
		enum match_state st, stl = MATCH_NONE;
		struct verdict_ctx v;
		__u8 verdict;

		if (p.state == POL_END)
			break;
		if (p.state == POL_MISSING)
			return fail_closed(&g.cfg, ENF_HOOK_CONNECT, ENF_ACC_NONE, op);
		if (!p.pol->active[ENF_HOOK_CONNECT])
			continue;
		q.tag = ENF_TAG(g.cfg.gen_bit, d.family == 4 ? ENF_KIND_NET4 : ENF_KIND_NET6, p.id);
		st = enf_net_lookup(&q, &m);
		if (alias) {
			lo.tag = ENF_TAG(g.cfg.gen_bit, ENF_KIND_NET4, p.id);
			stl = enf_net_lookup(&lo, &ml);
		}
		/* the alias adds its explicit denies; allows come from the address itself */
		if (stl == MATCH_RULE && ml.verdict == ENF_DENY) {
			st = stl;
			m = ml;
		}
		v = d;
		v.policy_id = p.id;
		v.hook = ENF_HOOK_CONNECT;
		if (st == MATCH_RULE) {
			verdict = m.verdict;
			v.rule_id = m.rule_id;
		} else {
			verdict = p.pol->deflt[ENF_HOOK_CONNECT];
			v.rule_id = ENF_RULE_DEFAULT;
		}
		if (judge(&g.cfg, p.pol, &v, verdict == ENF_DENY, NULL, 0))
			return -EPERM;
	}
	return 0;
}

SEC("lsm/socket_connect")
int BPF_PROG(enf_connect, struct socket *sock, struct sockaddr *address, int addrlen, int ret)
{
	if (ret)
		return ret;
	return check_dest(sock, address, addrlen, ENF_OP_CONNECT);
}

/* sendto/sendmsg/sendmmsg with a destination (unconnected UDP, TCP Fast
 * Open) never call connect: judge the address they carry. */
SEC("lsm/socket_sendmsg")
int BPF_PROG(enf_sendmsg, struct socket *sock, struct msghdr *msg, int size, int ret)
{
	void *name;

	if (ret)
		return ret;
	name = BPF_CORE_READ(msg, msg_name);
	if (!name)
		return 0;           /* connected: judged at connect */
	return check_dest(sock, name, BPF_CORE_READ(msg, msg_namelen), ENF_OP_SENDMSG);
}
