// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_connect_rule.c - libFuzzer target for the connect-rule parser
 * (enforcer/lib/connect_rule.c): any text is either rejected with a
 * one-line message or gives a normalised rule (family 4 or 6, prefix in
 * range, host bits masked, port range ordered, tcp/udp/any) whose network,
 * formatted and parsed again, is the same rule; or a protocol rule with no
 * address (family 0, no prefix, tcp/udp/sctp/icmp/raw; ports for tcp, udp,
 * sctp only).  A tiny error buffer must be respected too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "connect_rule.h"

#define FAIL(...) do { fprintf(stderr, "fuzz_connect_rule: " __VA_ARGS__); fputc('\n', stderr); abort(); } while (0)

static void check_rule(const char *text, const struct enf_rule *r)
{
	unsigned alen = r->family == 4 ? 4 : 16;

	if (r->family == 0) {
		/* a protocol with no address */
		if (r->plen != 0 || (r->proto != 6 && r->proto != 17 && r->proto != ENF_PROTO_SCTP &&
				     r->proto != ENF_PROTO_ICMP && r->proto != ENF_PROTO_RAW))
			FAIL("'%s': protocol rule /%u proto %u", text, r->plen, r->proto);
		if (!r->port_any && (r->proto == ENF_PROTO_ICMP || r->proto == ENF_PROTO_RAW))
			FAIL("'%s': a port with proto %u", text, r->proto);
	} else if (r->family == ENF_FAMILY_RAW4) {
		/* raw sockets' creation ("icmp socket"): a protocol, no address or port */
		if (r->plen || !r->port_any || (r->proto != 6 && r->proto != 17 && r->proto != ENF_PROTO_SCTP &&
						r->proto != ENF_PROTO_ICMP && r->proto != ENF_PROTO_RAW))
			FAIL("'%s': socket rule /%u proto %u", text, r->plen, r->proto);
	} else if (r->family == ENF_FAMILY_PACKET) {
		/* packet sockets: nothing but the word */
		if (r->plen || r->proto || !r->port_any)
			FAIL("'%s': packet rule /%u proto %u", text, r->plen, r->proto);
	} else if (r->family != 4 && r->family != 6) {
		FAIL("'%s': family %u", text, r->family);
	} else if (r->proto != 0 && r->proto != 6 && r->proto != 17) {
		FAIL("'%s': proto %u after an address", text, r->proto);
	}
	if (r->plen > alen * 8)
		FAIL("'%s': prefix /%u", text, r->plen);
	for (unsigned bit = r->plen; bit < 128; bit++)
		if (r->addr[bit / 8] & (0x80 >> (bit % 8)))
			FAIL("'%s': host bit %u set beyond /%u", text, bit, r->plen);
	if (r->port_lo > r->port_hi)
		FAIL("'%s': port range %u-%u", text, r->port_lo, r->port_hi);
	if (r->port_any && (r->port_lo != 0 || r->port_hi != 65535))
		FAIL("'%s': any port but %u-%u", text, r->port_lo, r->port_hi);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[256], tiny[4], net[64], net2[64];
	struct enf_rule r, r2, r3;
	int rc, rc2;

	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = 0;

	memset(&r, 0, sizeof(r));
	memset(err, 'X', sizeof(err));
	rc = connect_rule_parse(text, &r, err, sizeof(err));
	if (rc != 0 && rc != -1)
		FAIL("'%s': returned %d", text, rc);
	if (rc < 0) {
		if (!memchr(err, 0, sizeof(err)) || !err[0] || strchr(err, '\n'))
			FAIL("'%s': bad error message", text);
	} else if (r.family == 0 || r.family == ENF_FAMILY_PACKET || r.family == ENF_FAMILY_RAW4) {
		check_rule(text, &r);   /* no network to format */
	} else {
		check_rule(text, &r);
		connect_rule_format_net(&r, net, sizeof(net));
		memset(&r2, 0, sizeof(r2));
		if (connect_rule_parse(net, &r2, err, sizeof(err)) < 0)
			FAIL("'%s': its network '%s' does not parse again: %s", text, net, err);
		check_rule(net, &r2);
		if (r2.family != r.family || r2.plen != r.plen || memcmp(r2.addr, r.addr, 16))
			FAIL("'%s': network '%s' parses to something else", text, net);
		connect_rule_format_net(&r2, net2, sizeof(net2));
		if (strcmp(net, net2))
			FAIL("'%s': '%s' then '%s'", text, net, net2);
	}

	/* The same with an error buffer of 1..4 bytes: same verdict, no overflow. */
	memset(&r3, 0, sizeof(r3));
	rc2 = connect_rule_parse(text, &r3, tiny, 1 + size % sizeof(tiny));
	if (rc2 != rc)
		FAIL("'%s': %d with a small error buffer, %d otherwise", text, rc2, rc);
	if (rc2 < 0 && !memchr(tiny, 0, 1 + size % sizeof(tiny)))
		FAIL("'%s': small error buffer not terminated", text);
	free(text);
	return 0;
}
