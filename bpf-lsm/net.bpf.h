/* SPDX-License-Identifier: GPL-2.0 */
/*
 * net.bpf.h - matching an address against connect and bind rules:
 * parsing the sockaddr the task passed, and the LPM lookup in net_rules
 * (one global function in net.bpf.c, verified once).
 */
#ifndef ENF_NET_BPF_H
#define ENF_NET_BPF_H

#include <bpf/bpf_endian.h>
#include "path.bpf.h"          /* struct rule_match, enum match_state */
#include "prog.bpf.h"

#define AF_UNSPEC 0
#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define IPPROTO_MPTCP 262

/* What parsing a destination found. */
enum dest_state {
	DEST_IP = 0,            /* v->family, addr, port filled */
	DEST_OTHER,             /* not an IP destination (AF_UNIX...): not ours to judge */
	DEST_BAD,               /* unreadable or too short: fail closed */
};

/* The destination as looked up: IPv4 (mapped, 0.0.0.0 and the IPv6 loopback
 * aliases folded into it) or IPv6.  *alias: it also reaches loopback. */
static __always_inline enum dest_state dest_parse(struct sockaddr *address, int addrlen,
						  struct verdict_ctx *v, int *alias,
						  int unspec_is_inet)
{
	/* The kernel's copy is a sockaddr_storage: reading 28 bytes is safe
	 * whatever addrlen says; addrlen decides what is meaningful. */
	struct sockaddr_in6 sa;
	__u16 family;

	if (bpf_probe_read_kernel(&sa, sizeof(sa), address))
		return DEST_BAD;
	family = sa.sin6_family;
	/* udp_sendmsg (and raw) on an IPv4 socket take AF_UNSPEC as AF_INET */
	if (family == AF_UNSPEC && unspec_is_inet)
		family = AF_INET;
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&sa;

		if (addrlen < (int)sizeof(*sin))
			return DEST_BAD;
		v->family = 4;
		v->port = bpf_ntohs(sin->sin_port);
		__builtin_memcpy(v->addr, &sin->sin_addr.s_addr, 4);
	} else if (family == AF_INET6) {
		__u32 a[4];

		if (addrlen < 24) /* SIN6_LEN_RFC2133 */
			return DEST_BAD;
		v->port = bpf_ntohs(sa.sin6_port);
		__builtin_memcpy(a, &sa.sin6_addr, 16);
		if (a[0] == 0 && a[1] == 0 && a[2] == bpf_htonl(0xffff)) {
			v->family = 4;
			__builtin_memcpy(v->addr, &a[3], 4);
		} else {
			v->family = 6;
			__builtin_memcpy(v->addr, a, 16);
			/* :: and ::1 reach loopback */
			*alias = a[0] == 0 && a[1] == 0 && a[2] == 0 && (a[3] == 0 || a[3] == bpf_htonl(1));
		}
	} else {
		return DEST_OTHER;
	}
	if (v->family == 4 && v->addr[0] == 0 && v->addr[1] == 0 &&
	    v->addr[2] == 0 && v->addr[3] == 0)
		*alias = 1;                      /* 0.0.0.0 reaches loopback */
	return DEST_IP;
}

/* One connect- or bind-rule lookup: (tag, address) with the port, protocol
 * and program classes to match. */
struct net_query {
	__u32 tag;              /* ENF_TAG(gen, ENF_KIND_NET4/NET6 or BIND4/BIND6, policy) */
	__u32 prefixlen;        /* 32 + 32 (IPv4) or 32 + 128 (IPv6) */
	__u8 addr[16];
	__u16 port;             /* host byte order */
	__u16 proto;            /* IPPROTO_TCP or IPPROTO_UDP (MPTCP as TCP) */
	__u32 progs;            /* the task's program classes in the policy (prog.bpf.h) */
};

/*
 * The first rule for q's address whose port, protocol and program match,
 * into *m.  Returns an enum match_state (MATCH_NONE or MATCH_RULE).
 */
__noinline int enf_net_lookup(const struct net_query *q, struct rule_match *m);

#endif /* ENF_NET_BPF_H */
