/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * connect_rule.h - the connect-rule parser: "ADDRESS[/PREFIX] [port N[-M]]
 * [tcp|udp]" into the network fields of struct enf_rule.
 */
#ifndef ENFORCER_CONNECT_RULE_H
#define ENFORCER_CONNECT_RULE_H

#include <stddef.h>
#include "policy.h"

/* Parse text (NUL-terminated) into r->family, addr, plen, port_lo, port_hi,
 * port_any and proto.  "packet" (packet sockets) sets family
 * ENF_FAMILY_PACKET and nothing else; "PROTO socket" (raw sockets' creation:
 * raw, icmp, tcp, udp, sctp) sets proto and family ENF_FAMILY_RAW4.  Returns 0, or -1 with a one-line message (without
 * file:line) in err. */
int connect_rule_parse(const char *text, struct enf_rule *r, char *err, size_t errsz);

/* "10.0.0.0/8", "2001:db8::/32": the rule's network as text; buf >= 64. */
void connect_rule_format_net(const struct enf_rule *r, char *buf, size_t sz);

#endif
