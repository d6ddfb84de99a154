// SPDX-License-Identifier: GPL-2.0
/*
 * net.bpf.c - connect rules: connect(), sendto/sendmsg with a destination
 * (unconnected UDP, TCP Fast Open) and SCTP's address lists (connectx,
 * sendmsg's SCTP_DSTADDRV4/V6, bindx for [bind]),
 * judged by destination address prefix, port, protocol and program; bind
 * rules: bind() and listen() of IP sockets, judged by the local address;
 * `packet` and `PROTO socket` rules: the creation (and the receipt) of
 * packet sockets (AF_PACKET) and raw IP sockets.
 */
#include "net.bpf.h"
#include "ncache.bpf.h"
#include "cgroup.bpf.h"
#include <bpf/bpf_tracing.h>

/* No rule of a prefix's list matches. */
#define NET_NO_MATCH (-1)

/*
 * The index of the first rule of a prefix's list that matches port,
 * protocol and program, or NET_NO_MATCH.  Inlined into enf_net_lookup (a
 * global function, verified once): a frame of its own would push SCTP's
 * call chain past the 512-byte combined stack on 6.1.
 */
static __always_inline int enf_net_match(struct enf_net_val *nv, __u32 port, __u32 proto, __u32 progs)
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
		/* `raw` rules: every raw socket, whatever its protocol */
		if (r->proto && r->proto != (proto & 0xff) &&
		    !(r->proto == ENF_PROTO_RAW && (proto & ENF_PROTO_RAW_SOCK)))
			continue;
		if (r->prog && !((progs >> ((r->prog - 1) & 31)) & 1))
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
	j = enf_net_match(nv, q->port, q->proto, q->progs);
	if (j == NET_NO_MATCH)
		return MATCH_NONE;
	m->verdict = nv->r[j & (ENF_NET_SLOTS - 1)].verdict;
	m->rule_id = nv->r[j & (ENF_NET_SLOTS - 1)].rule_id;
	return MATCH_RULE;
}

/*
 * One governing policy's verdict on one address (dp: family, addr, port,
 * proto, op filled): its rules of hook (connect or bind; hook_alias: hook |
 * alias << 8) for the address,
 * and for alias (connect to 0.0.0.0, :: or ::1 also judged by 127.0.0.1's
 * deny rules; bind to :: by 0.0.0.0's), then judge().  progs: the task's
 * program classes in the policy.  Returns 0, -EPERM, or 1: the caller must
 * fail closed (it, not this function, writes that record: one call less
 * deep for SCTP's chain, whose stack must fit in 512 bytes).  A global function:
 * verified once, not once per policy of judge_ip's loop (and it keeps the
 * stack of SCTP's chain of calls within 512 bytes).
 */
__noinline int enf_ip_judge(const struct enf_config *cfg, __u32 pol_id, const struct verdict_ctx *dp,
			    __u32 hook_alias, __u32 progs)
{
	__u8 hook = hook_alias, alias = hook_alias >> 8;
	__u32 k4 = hook == ENF_HOOK_BIND ? ENF_KIND_BIND4 : ENF_KIND_NET4;
	__u32 k6 = hook == ENF_HOOK_BIND ? ENF_KIND_BIND6 : ENF_KIND_NET6;
	struct rule_match m = {}, ml = {};
	enum match_state st, stl = MATCH_NONE;
	const struct enf_policy *pol;
	struct net_query q = {};
	struct verdict_ctx v;
	__u8 verdict;

	if (!cfg || !dp)
		return 1;
	pol = policy_get(cfg, pol_id);
	if (!pol)
		return 1;       /* the caller fails closed (see above: the stack) */
	q.port = dp->port;
	q.proto = dp->proto | (dp->sock_raw ? ENF_PROTO_RAW_SOCK : 0);
	q.progs = progs;
	/* a packet socket: the `packet` rules' one entry (no address); a raw
	 * IP socket made or received: its family's `PROTO socket` entry */
	q.tag = ENF_TAG(cfg->gen_bit, dp->family == ENF_FAMILY_PACKET ? ENF_KIND_PACKET :
				      dp->op == ENF_OP_SOCKET || dp->op == ENF_OP_RECEIVE ?
				      (dp->family == 4 ? ENF_KIND_RAW4 : ENF_KIND_RAW6) :
				      dp->family == 4 ? k4 : k6, pol_id);
	q.prefixlen = dp->family == 6 ? 32 + 128 : dp->family == 4 ? 32 + 32 : 32;
	__builtin_memcpy(q.addr, dp->addr, sizeof(q.addr));
	st = enf_net_lookup(&q, &m);
	if (alias) {
		/* the same query for the alias: 127.0.0.1 (connect) or 0.0.0.0 (bind) */
		q.tag = ENF_TAG(cfg->gen_bit, k4, pol_id);
		q.prefixlen = 32 + 32;
		__builtin_memset(q.addr, 0, sizeof(q.addr));
		if (hook == ENF_HOOK_CONNECT) {
			q.addr[0] = 127;
			q.addr[3] = 1;
		}
		stl = enf_net_lookup(&q, &ml);
	}
	/* the alias adds its explicit denies; allows come from the address itself */
	if (stl == MATCH_RULE && ml.verdict == ENF_DENY) {
		st = stl;
		m = ml;
	}
	v = *dp;
	v.policy_id = pol_id;
	v.hook = hook;
	if (st == MATCH_RULE) {
		verdict = m.verdict;
		v.rule_id = m.rule_id;
	} else {
		verdict = pol->deflt[hook & 3];
		v.rule_id = ENF_RULE_DEFAULT;
	}
	if (dp->op == ENF_OP_CONNECT && hook == ENF_HOOK_CONNECT && verdict != ENF_DENY) {
		/* for the connect cache (ncache.bpf.h): the rule of a clean allow
		 * (the caller cleared clean before the call) */
		__u32 zero = 0;
		struct scratch *s = bpf_map_lookup_elem(&scratch_map, &zero);

		if (s) {
			s->nc.rule = v.rule_id;
			s->nc.clean = 1;
		}
	}
	return judge(cfg, pol, &v, verdict == ENF_DENY, NULL, 0);
}

/*
 * Judge one address for a governed task against every governing policy's
 * rules of hook (connect or bind); alias as for enf_ip_judge.  track (a
 * constant; connect() only, gp->s set): note each policy's allow for the
 * connect cache (ncache.bpf.h), and what makes the decision not cacheable.
 */
static __always_inline int judge_ip_t(struct gov *gp, const struct verdict_ctx *dp, __u8 hook,
				      int alias, const int track)
{
	struct prog_id pi = {};
	int i, ret;

	/* Bound: ENF_MAX_STACK governing policies. */
	for (i = 0; i < ENF_MAX_STACK; i++) {
		struct gov_pol p = gov_policy(gp, i);
		__u32 progs;

		if (p.state == POL_END)
			break;
		if (p.state == POL_MISSING)
			return fail_closed(&gp->cfg, hook, ENF_ACC_NONE, dp->op);
		if (!p.pol->active[hook & 3])
			continue;
		/* program classes: only for policies with exe rules on this hook;
		 * with `exe DIR/` in the policy, the directories above the
		 * program too (a program deeper than the bound fails closed) */
		progs = 0;
		if ((p.pol->prog_hooks >> (hook & 3)) & 1) {
			if (track)
				gp->s->nc.ok = 0;       /* the program is not in the key */
			if (p.pol->prog_hooks & ENF_PROG_DIRS) {
				long e = enf_prog_classes(ENF_TAG(gp->cfg.gen_bit, ENF_KIND_PROG, p.id), 0, 1);

				if (e < 0)
					return fail_closed(&gp->cfg, hook, ENF_ACC_NONE, dp->op);
				progs = e;
			} else {
				progs = prog_mask(&pi, gp->cfg.gen_bit, p.id);
			}
		}
		if (track)
			gp->s->nc.clean = 0;
		ret = enf_ip_judge(&gp->cfg, p.id, dp, hook | (alias ? 1 << 8 : 0), progs);
		if (ret == 1)
			return fail_closed(&gp->cfg, hook, ENF_ACC_NONE, dp->op);
		if (ret)
			return -EPERM;
		if (track)
			nc_note(gp->s, i);
	}
	return 0;
}

#define judge_ip(gp, dp, hook, alias) judge_ip_t(gp, dp, hook, alias, 0)

/* Judge one destination of socket sk for a governed task.  direct (a
 * constant): sk is a BTF pointer (a hook's argument), read with plain
 * loads; else a number (SCTP's global function), read with probe reads. */
static __always_inline int judge_dest(struct gov *gp, struct sock *sk, struct sockaddr *address,
				      int addrlen, __u8 op, const int direct)
{
	struct verdict_ctx d = {};
	enum dest_state parsed;
	int alias = 0;
	__u16 proto, type, family = 0;

	if (op == ENF_OP_SENDMSG) {
		/* 6.12: socket->sk is trusted-or-NULL (probe reads of NULL read 0) */
		if (!direct)
			family = BPF_CORE_READ(sk, __sk_common.skc_family);
		else if (sk)
			family = sk->__sk_common.skc_family;
	}
	parsed = dest_parse(address, addrlen, &d, &alias, family == AF_INET);
	if (parsed == DEST_OTHER)
		return 0;
	if (parsed == DEST_BAD)
		return fail_closed(&gp->cfg, ENF_HOOK_CONNECT, ENF_ACC_NONE, op);
	if (direct) {
		proto = sk ? sk->sk_protocol : 0;
		type = sk ? sk->sk_type : 0;
	} else {
		proto = BPF_CORE_READ(sk, sk_protocol);
		type = BPF_CORE_READ(sk, sk_type);
	}
	if (proto == IPPROTO_MPTCP)
		proto = IPPROTO_TCP;
	d.proto = proto;
	d.sock_raw = type == SOCK_RAW;
	d.op = op;
	return judge_ip(gp, &d, ENF_HOOK_CONNECT, alias);
}

/*
 * connect(): a governed task's destination, judged as judge_dest (direct)
 * judges it, or answered by the connect cache (ncache.bpf.h) when the same
 * cgroup's connect to the same destination was a clean allow in this
 * generation and epoch.  The destination is parsed once: its parsed form
 * (v4-mapped IPv6 as IPv4), the socket's protocol and type are both the
 * cache's key and the judge's input.  An ungoverned task leaves after
 * gov_prefix.
 */
static __always_inline int connect_governed(struct gov *gp, struct socket *sock,
					    struct sockaddr *address, int addrlen)
{
	struct ncache_key k = {};
	struct verdict_ctx d = {};
	enum dest_state parsed;
	struct sock *sk;
	__u64 epoch;
	__u32 zero = 0;
	int keyed, r, alias = 0;
	__u16 proto, type;

	/* read before anything the decision reads (the fill stores it) */
	epoch = enf_vcache_epoch;
	sk = sock->sk;          /* after gov_prefix: an ungoverned task reads nothing */
	parsed = dest_parse(address, addrlen, &d, &alias, 0);
	proto = sk ? sk->sk_protocol : 0;
	type = sk ? sk->sk_type : 0;
	if (proto == IPPROTO_MPTCP)
		proto = IPPROTO_TCP;
	d.proto = proto;
	d.sock_raw = type == SOCK_RAW;
	d.op = ENF_OP_CONNECT;
	keyed = parsed == DEST_IP && !enf_vcache_off;
	if (keyed) {
		k.cgid = gp->cgid;
		__builtin_memcpy(k.addr, d.addr, sizeof(k.addr));
		k.port = d.port;
		k.family = d.family;
		k.proto = d.proto;
		k.raw = d.sock_raw;
		if (nc_lookup(gp, &k, epoch))
			return 0;
	}
	/* the scratch before gov_rest: governing() clears nc.ok when what it
	 * collected is another cgroup's (the task moved) */
	gp->s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (gp->s) {
		gp->s->nc.ok = keyed;
		gp->s->nc.amask = 0;
		gp->s->nc.epoch = epoch;
	}
	switch (gov_rest(gp)) {
	case GOV_NONE:
		return 0;
	case GOV_OVERFLOW:
		return fail_closed(&gp->cfg, ENF_HOOK_CONNECT, ENF_ACC_NONE, ENF_OP_CONNECT);
	case GOV_POLICIES:
		break;
	}
	if (parsed == DEST_OTHER)
		return 0;
	if (parsed == DEST_BAD)
		return fail_closed(&gp->cfg, ENF_HOOK_CONNECT, ENF_ACC_NONE, ENF_OP_CONNECT);
	r = judge_ip_t(gp, &d, ENF_HOOK_CONNECT, alias, 1);
	if (!r)
		nc_fill(gp, &k);
	return r;
}

SEC("lsm/socket_connect")
int BPF_PROG(enf_connect, struct socket *sock, struct sockaddr *address, int addrlen, int ret)
{
	struct gov g;

	if (ret)
		return ret;
	if (!gov_prefix(&g))
		return 0;
	return connect_governed(&g, sock, address, addrlen);
}

#define SCTP_SOCKOPT_BINDX_ADD 100      /* sctp_bindx(SCTP_BINDX_ADD_ADDR): local addresses */
#define SCTP_SOCKOPT_CONNECTX 110       /* connectx(), and SCTP's connect() */
#define SCTP_SENDMSG_CONNECT 126        /* sendmsg() opening an association */
#define SCTP_ADDRS_MAX 8                /* addresses judged in one list */
#define SCTP_DSTADDRV4 7                /* sendmsg control messages: more peer addresses */
#define SCTP_DSTADDRV6 8
#define SCTP_CMSG_MAX 8                 /* control messages looked at in one sendmsg */

/*
 * One destination of an SCTP list, judged like a connect.  A global
 * function (sk and address passed as numbers): verified once, however many
 * addresses a list holds.
 */
__noinline int enf_sctp_dest(__u64 sk, __u64 address, int addrlen)
{
	struct gov g;

	switch (govern(&g)) {
	case GOV_NONE:
		return 0;
	case GOV_OVERFLOW:
		return fail_closed(&g.cfg, ENF_HOOK_CONNECT, ENF_ACC_NONE, ENF_OP_CONNECT);
	case GOV_POLICIES:
		break;
	}
	return judge_dest(&g, (struct sock *)sk, (struct sockaddr *)address, addrlen, ENF_OP_CONNECT, 0);
}

/* The socket's protocol as rules name it (MPTCP as TCP). */
static __always_inline __u16 sk_proto(struct sock *sk)
{
	__u16 proto = BPF_CORE_READ(sk, sk_protocol);

	return proto == IPPROTO_MPTCP ? IPPROTO_TCP : proto;
}

/* :: on an IPv6 socket: a dual-stack bind reaches IPv4's 0.0.0.0 too. */
static __always_inline int any6(const struct verdict_ctx *d)
{
	return d->family == 6 && !(d->addr[0] | d->addr[1] | d->addr[2] | d->addr[3] |
				   d->addr[4] | d->addr[5] | d->addr[6] | d->addr[7] |
				   d->addr[8] | d->addr[9] | d->addr[10] | d->addr[11] |
				   d->addr[12] | d->addr[13] | d->addr[14] | d->addr[15]);
}

/* Judge local address d (family, addr, port set) of sk as op. */
static __always_inline int judge_local(struct gov *g, struct verdict_ctx *d, struct sock *sk, __u8 op)
{
	d->proto = sk_proto(sk);
	d->op = op;
	return judge_ip(g, d, ENF_HOOK_BIND, any6(d));
}

/*
 * One local address of sctp_bindx(SCTP_BINDX_ADD_ADDR), judged by [bind]
 * like a bind() (which bindx never calls).  A global function, as above.
 */
__noinline int enf_sctp_local(__u64 sk, __u64 address, int addrlen)
{
	struct verdict_ctx d = {};
	enum dest_state parsed;
	struct gov g;
	int alias = 0;

	switch (govern(&g)) {
	case GOV_NONE:
		return 0;
	case GOV_OVERFLOW:
		return fail_closed(&g.cfg, ENF_HOOK_BIND, ENF_ACC_NONE, ENF_OP_BIND);
	case GOV_POLICIES:
		break;
	}
	parsed = dest_parse((struct sockaddr *)address, addrlen, &d, &alias, 0);
	if (parsed == DEST_OTHER)
		return 0;           /* the kernel refuses the family */
	if (parsed == DEST_BAD)
		return fail_closed(&g.cfg, ENF_HOOK_BIND, ENF_ACC_NONE, ENF_OP_BIND);
	return judge_local(&g, &d, (struct sock *)sk, ENF_OP_BIND);
}

/*
 * SCTP reaches several addresses at once: sctp_connectx() and sendmsg()
 * opening an association hand a packed list of sockaddr_in/_in6 here, not
 * to socket_connect; sctp_bindx() a list of local addresses, not to
 * socket_bind.  Each one is judged as a connect (or a bind); a longer list
 * than SCTP_ADDRS_MAX fails closed.
 */
/* Who governs the task (enum gov_state), and a fail-closed denial of an
 * SCTP list: global functions, so that enf_sctp_connect's own stack stays
 * small (its calls into enf_sctp_dest and enf_emit must fit in 512 bytes). */
__noinline int enf_sctp_governed(void)
{
	struct gov g;

	return govern(&g) + 1;  /* never 0: see enf_sctp_connect */
}

__noinline int enf_sctp_fail(int bind)
{
	struct enf_config cfg = {};

	config_get(&cfg);
	return fail_closed(&cfg, bind ? ENF_HOOK_BIND : ENF_HOOK_CONNECT, ENF_ACC_NONE,
			   bind ? ENF_OP_BIND : ENF_OP_CONNECT);
}

SEC("lsm/sctp_bind_connect")
int BPF_PROG(enf_sctp_connect, struct sock *sk, int optname, struct sockaddr *address, int addrlen,
	     int ret)
{
	__u64 skv = 0, base = 0;
	int i, off = 0, bind;

	if (ret)
		return ret;
	if (optname != SCTP_SOCKOPT_CONNECTX && optname != SCTP_SENDMSG_CONNECT &&
	    optname != SCTP_SOCKOPT_BINDX_ADD)
		return 0;
	bind = optname == SCTP_SOCKOPT_BINDX_ADD;
	/* GOV_* + 1; an LSM program must return a constant it can prove is
	 * in [-4095, 0] (6.12's verifier): never a global function's result */
	switch (enf_sctp_governed()) {
	case GOV_NONE + 1:
		return 0;
	case GOV_OVERFLOW + 1:
		enf_sctp_fail(bind);
		return -EPERM;
	}
	/* as plain numbers for enf_sctp_dest (global functions take scalars) */
	bpf_probe_read_kernel(&skv, sizeof(skv), &sk);
	bpf_probe_read_kernel(&base, sizeof(base), &address);
	/* Bound: SCTP_ADDRS_MAX addresses. */
	for (i = 0; i < SCTP_ADDRS_MAX; i++) {
		__u16 family = 0;
		int len;

		if (off >= addrlen)
			return 0;
		bpf_probe_read_kernel(&family, sizeof(family), (void *)(base + (off & 0xffff)));
		len = family == AF_INET ? 16 : family == AF_INET6 ? 28 : 0;
		if (!len || off + len > addrlen) {
			enf_sctp_fail(bind);
			return -EPERM;
		}
		/* 0 or -EPERM; the verifier sees a global function's result as any scalar */
		if (bind ? enf_sctp_local(skv, base + (off & 0xffff), len) :
			   enf_sctp_dest(skv, base + (off & 0xffff), len))
			return -EPERM;
		off += len;
	}
	if (off >= addrlen)
		return 0;
	enf_sctp_fail(bind);
	return -EPERM;
}

/*
 * sendto/sendmsg's destination for a governed task, judged like a connect
 * (op sendmsg).  A global function (the socket and the address as numbers,
 * read with probe reads): enf_sendmsg's own frame stays small, so that
 * SCTP's chain of calls below it fits in 6.1's 512 bytes.
 */
__noinline int enf_send_dest(__u64 sk, __u64 address, int addrlen)
{
	struct gov g;

	switch (govern(&g)) {
	case GOV_NONE:
		return 0;
	case GOV_OVERFLOW:
		return fail_closed(&g.cfg, ENF_HOOK_CONNECT, ENF_ACC_NONE, ENF_OP_SENDMSG);
	case GOV_POLICIES:
		break;
	}
	return judge_dest(&g, (struct sock *)sk, (struct sockaddr *)address, addrlen, ENF_OP_SENDMSG, 0);
}

/*
 * sendmsg() opening an SCTP association: besides the address it names
 * (judged by enf_send_dest and as SCTP_SENDMSG_CONNECT),
 * SCTP_DSTADDRV4/V6 control messages add more peer addresses to the
 * association, on the same port, which the kernel never shows a security
 * hook.  Each one is judged as a connect (as the kernel would use it: port
 * and family from the address named).  Returns nonzero (deny) when one is
 * denied, or when the control data cannot be read or holds more than
 * SCTP_CMSG_MAX messages (fail closed).  Inlined into enf_sendmsg, for a
 * governed task's SCTP socket only: a call level of its own would push the
 * chain enf_sctp_dest starts past 6.1's 512 bytes of stack (each frame is
 * rounded up to 32 bytes: enf_sendmsg's must stay within 64); the header
 * and the address are built in the scratch map, off the stack.
 */
static __always_inline int sctp_cmsgs(__u64 sk, __u64 name, __u64 ctl, __u64 clen)
{
	struct scratch *s;
	__u32 zero = 0;
	__u64 off = 0;
	int i;

	switch (enf_sctp_governed()) {
	case GOV_NONE + 1:
		return 0;
	case GOV_OVERFLOW + 1:
		enf_sctp_fail(0);
		return 1;
	}
	s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!s || bpf_probe_read_kernel(&s->sctp_port, sizeof(s->sctp_port), (void *)(name + 2)))
		goto fail;
	s->sctp_ctl = ctl;
	s->sctp_clen = clen;
	/* the socket and the address as plain numbers for enf_sctp_dest
	 * (global functions take scalars; a pointer stored in a map is read
	 * back as a number) */
	s->sctp_sk = sk;
	s->sctp_ptr = (__u64)&s->sctp_addr;
	/* Bound: SCTP_CMSG_MAX control messages. */
	for (i = 0; i < SCTP_CMSG_MAX; i++) {
		__u64 hl;
		int level, type, n;

		if (off + 16 > s->sctp_clen)
			return 0;
		if (bpf_probe_read_kernel(s->sctp_cmsg, sizeof(s->sctp_cmsg), (void *)(s->sctp_ctl + off)))
			goto fail;
		hl = s->sctp_cmsg[0];
		level = (int)s->sctp_cmsg[1];
		type = (int)(s->sctp_cmsg[1] >> 32);
		if (hl < 16 || hl > s->sctp_clen - off)
			return 0;       /* the kernel refuses it (CMSG_OK) */
		n = type == SCTP_DSTADDRV4 ? 4 : 16;
		if (level == IPPROTO_SCTP && (type == SCTP_DSTADDRV4 || type == SCTP_DSTADDRV6) &&
		    hl >= 16 + n) {
			__builtin_memset(s->sctp_addr, 0, sizeof(s->sctp_addr));
			*(__u16 *)&s->sctp_addr[2] = s->sctp_port;
			if (n == 4) {
				*(__u16 *)&s->sctp_addr[0] = AF_INET;
				if (bpf_probe_read_kernel(&s->sctp_addr[4], 4, (void *)(s->sctp_ctl + off + 16)))
					goto fail;
			} else {
				*(__u16 *)&s->sctp_addr[0] = AF_INET6;
				if (bpf_probe_read_kernel(&s->sctp_addr[8], 16, (void *)(s->sctp_ctl + off + 16)))
					goto fail;
			}
			/* 0 or -EPERM; the verifier sees a global function's result as any scalar */
			if (enf_sctp_dest(s->sctp_sk, s->sctp_ptr, n == 4 ? 16 : 28))
				return 1;
		}
		off += (hl + 7) & ~7ULL;
	}
	if (off + 16 > s->sctp_clen)
		return 0;
fail:
	enf_sctp_fail(0);
	return 1;
}

/* IPv6 routing headers in sendmsg's control data (confine.bpf.c). */
__noinline int enf_route_cmsg(__u64 ctl, __u64 len);

/*
 * sendto/sendmsg/sendmmsg with a destination (unconnected UDP, TCP Fast
 * Open) never call connect: judge the address they carry; an IPv6
 * socket's control data, which may route the packet elsewhere; and an
 * SCTP socket's SCTP_DSTADDRV4/V6 control messages (sctp_cmsgs).  One
 * program on socket_sendmsg (every sendmsg on the host passes it): a
 * connected send without control data reads two words of the msghdr and
 * leaves.  The three checks run in this order; the first denial ends the
 * call (its record is the only one).
 */
SEC("lsm/socket_sendmsg")
int BPF_PROG(enf_sendmsg, struct socket *sock, struct msghdr *msg, int size, int ret)
{
	struct sock *sk;
	__u64 clen, ctl, skv;
	void *name;

	if (ret)
		return ret;
	/* direct loads (BTF) */
	clen = msg->msg_controllen;
	name = msg->msg_name;
	if (!clen && !name)
		return 0;
	sk = sock->sk;          /* may be NULL (6.12's verifier says so) */
	ctl = (__u64)msg->msg_control;
	if (clen && sk && sk->__sk_common.skc_family == AF_INET6 && enf_route_cmsg(ctl, clen))
		return -EPERM;
	if (!name)
		return 0;           /* connected: judged at connect */
	/* the socket as a plain number for the global functions below */
	skv = 0;
	bpf_probe_read_kernel(&skv, sizeof(skv), &sock->sk);
	/* 0 or -EPERM; the verifier sees a global function's result as any scalar */
	if (enf_send_dest(skv, (__u64)name, msg->msg_namelen))
		return -EPERM;
	if (clen && sk && sk->sk_protocol == IPPROTO_SCTP && sctp_cmsgs(skv, (__u64)name, ctl, clen))
		return -EPERM;
	return 0;
}

/* ---- [bind]: who may listen ---- */

/*
 * The prologue bind and listen share: 1 when *g governs the task and sock
 * is an IPv4 or IPv6 socket (*sk, *family set), 0 when there is nothing to
 * judge, or a fail-closed verdict (< 0) when the policies cannot be read.
 */
static __always_inline int bind_govern(struct gov *g, struct socket *sock, struct sock **sk,
				       __u16 *family, __u8 op)
{
	switch (govern(g)) {
	case GOV_NONE:
		return 0;
	case GOV_OVERFLOW:
		return fail_closed(&g->cfg, ENF_HOOK_BIND, ENF_ACC_NONE, op);
	case GOV_POLICIES:
		break;
	}
	*sk = BPF_CORE_READ(sock, sk);
	*family = BPF_CORE_READ(*sk, __sk_common.skc_family);
	return *family == AF_INET || *family == AF_INET6;
}

/*
 * bind() of an IP socket (TCP, UDP, SCTP, MPTCP): the local address and port
 * it names (port 0, "the kernel picks", as 0).  The ports connect() and
 * sendto() take implicitly (autobind) never come here.
 */
SEC("lsm/socket_bind")
int BPF_PROG(enf_bind, struct socket *sock, struct sockaddr *address, int addrlen, int ret)
{
	struct verdict_ctx d = {};
	enum dest_state parsed;
	struct sock *sk = NULL;
	struct gov g;
	__u16 family = 0;
	int alias = 0, r;

	if (ret)
		return ret;
	r = bind_govern(&g, sock, &sk, &family, ENF_OP_BIND);
	if (r <= 0)
		return r;
	/* AF_UNSPEC on an IPv4 socket: INADDR_ANY for old callers (inet_bind) */
	parsed = dest_parse(address, addrlen, &d, &alias, family == AF_INET);
	if (parsed == DEST_OTHER)
		return 0;           /* the kernel refuses the family */
	if (parsed == DEST_BAD)
		return fail_closed(&g.cfg, ENF_HOOK_BIND, ENF_ACC_NONE, ENF_OP_BIND);
	return judge_local(&g, &d, sk, ENF_OP_BIND);
}

/*
 * listen(): judged as a bind of the socket's local address, whoever bound
 * it (a socket bound elsewhere and passed in over SCM_RIGHTS), and as port
 * 0 when it is not bound (listen() picks a port itself).
 */
SEC("lsm/socket_listen")
int BPF_PROG(enf_listen, struct socket *sock, int backlog, int ret)
{
	struct verdict_ctx d = {};
	struct sock *sk = NULL;
	struct gov g;
	__u16 family = 0;
	int r;

	if (ret)
		return ret;
	r = bind_govern(&g, sock, &sk, &family, ENF_OP_LISTEN);
	if (r <= 0)
		return r;
	if (family == AF_INET) {
		__u32 a = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);

		d.family = 4;
		__builtin_memcpy(d.addr, &a, 4);
	} else {
		__u32 a[4] = {};

		BPF_CORE_READ_INTO(&a, sk, __sk_common.skc_v6_rcv_saddr);
		if (a[0] == 0 && a[1] == 0 && a[2] == bpf_htonl(0xffff)) {
			d.family = 4;
			__builtin_memcpy(d.addr, &a[3], 4);
		} else {
			d.family = 6;
			__builtin_memcpy(d.addr, a, 16);
		}
	}
	d.port = BPF_CORE_READ(sk, __sk_common.skc_num);
	return judge_local(&g, &d, sk, ENF_OP_LISTEN);
}

/* ---- packet and raw sockets: judged when made ---- */

#define AF_PACKET 17
#define SOCK_TYPE_RAW 3                 /* SOCK_RAW */

/*
 * socket(): an AF_PACKET socket (raw frames, any protocol, any address:
 * sniffing and spoofing below IP) is judged when it is created, by the
 * `packet` rules of [connect] and its default; (AF_INET, SOCK_PACKET) is
 * AF_PACKET by the time this hook runs.  A raw IPv4 or IPv6 socket (it
 * reads every packet of its protocol, and writes its own headers) by the
 * `PROTO socket` rules (`raw socket`, `icmp socket`, ...) and the default;
 * its protocol as its packets carry it (the low byte).  Every other socket
 * passes at once (the hot path: two compares); the kernel's own too.
 */
static __always_inline int judge_raw_socket(int family, int type, int protocol, __u8 op)
{
	struct verdict_ctx d = {};
	struct gov g;

	switch (govern(&g)) {
	case GOV_NONE:
		return 0;
	case GOV_OVERFLOW:
		return fail_closed(&g.cfg, ENF_HOOK_CONNECT, ENF_ACC_NONE, op);
	case GOV_POLICIES:
		break;
	}
	if (family == AF_PACKET) {
		d.family = ENF_FAMILY_PACKET;
		d.port = bpf_ntohs((__u16)protocol);    /* the ethertype, for audit */
		d.proto = type & 0xf;                   /* SOCK_RAW, SOCK_DGRAM, SOCK_PACKET: for audit */
	} else {
		d.family = family == AF_INET ? 4 : 6;
		d.proto = protocol & 0xff;              /* what its packets carry (256+: the kernel truncates) */
		d.sock_raw = 1;                         /* `raw socket` rules match it */
	}
	d.op = op;
	return judge_ip(&g, &d, ENF_HOOK_CONNECT, 0);
}

SEC("lsm/socket_create")
int BPF_PROG(enf_socket_create, int family, int type, int protocol, int kern, int ret)
{
	if (ret)
		return ret;
	if ((type & 0xf) != SOCK_TYPE_RAW && family != AF_PACKET)
		return 0;
	if (kern || (family != AF_PACKET && family != AF_INET && family != AF_INET6))
		return 0;
	return judge_raw_socket(family, type, protocol, ENF_OP_SOCKET);
}

#define S_IFMT_ 00170000
#define S_IFSOCK_ 0140000
#define S_IFREG_ 0100000

/*
 * A packet or raw IP socket made elsewhere (by a process no policy governs,
 * or one whose policy allows it) and received by a governed task: over
 * SCM_RIGHTS, pidfd_getfd(2) or binder (every route that installs a file
 * another task opened calls security_file_receive).  Judged as if the
 * receiver made it, by the same rules, with "op":"receive"; denied, the fd
 * is not installed (recvmsg reports MSG_CTRUNC, pidfd_getfd EPERM).  A
 * writable cgroup.procs or cgroup.threads is judged by check_move_receive
 * (cgroup.bpf.h).  Every other file passes after one read and two compares.
 */
SEC("lsm/file_receive")
int BPF_PROG(enf_file_receive, struct file *file, int ret)
{
	struct socket *sock;
	struct sock *sk;
	int family, type;
	__u32 mode;

	if (ret)
		return ret;
	mode = BPF_CORE_READ(file, f_inode, i_mode) & S_IFMT_;
	if (mode != S_IFSOCK_)
		return mode == S_IFREG_ ? check_move_receive(file) : 0;
	sock = BPF_CORE_READ(file, private_data);
	sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return 0;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	type = BPF_CORE_READ(sk, sk_type);
	if (family == AF_PACKET)
		return judge_raw_socket(family, type, BPF_CORE_READ(sk, sk_protocol), ENF_OP_RECEIVE);
	if (type != SOCK_TYPE_RAW || (family != AF_INET && family != AF_INET6))
		return 0;
	return judge_raw_socket(family, type, BPF_CORE_READ(sk, sk_protocol), ENF_OP_RECEIVE);
}
