// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_connect_rule.c - the connect-rule parser: addresses, prefixes, ports,
 * protocols, the IPv4-mapped and loopback normalisations, every message.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "connect_rule.h"
#include "tap.h"

/* Parses, and prints back as "NET[ port A-B][ proto]". */
static void parses_as(const char *text, const char *want)
{
	struct enf_rule r;
	char err[256] = "", got[128], net[80];

	memset(&r, 0xaa, sizeof(r));
	if (connect_rule_parse(text, &r, err, sizeof(err)) < 0) {
		ok(0, "'%s' parses", text);
		diag("  error: %s", err);
		return;
	}
	connect_rule_format_net(&r, net, sizeof(net));
	snprintf(got, sizeof(got), "v%u %s port %u-%u%s proto %u", r.family, net, r.port_lo,
		 r.port_hi, r.port_any ? " any" : "", r.proto);
	{
		const char *g = got;   /* is_string() wants a pointer */
		is_string(g, want, "'%s'", text);
	}
}

static void fails(const char *text, const char *want)
{
	struct enf_rule r;
	char err[256] = "";
	int rc = connect_rule_parse(text, &r, err, sizeof(err));

	if (!ok(rc == -1 && !strcmp(err, want), "'%s' rejected", text))
		diag("  rc %d, got '%s', expected '%s'", rc, err, want);
}

int main(void)
{
	parses_as("169.254.169.254", "v4 169.254.169.254/32 port 0-65535 any proto 0");
	parses_as("0.0.0.0/0 port 25", "v4 0.0.0.0/0 port 25-25 proto 0");
	parses_as("10.0.0.0/8 port 5432-5433 tcp", "v4 10.0.0.0/8 port 5432-5433 proto 6");
	parses_as("10.0.0.0/8 udp", "v4 10.0.0.0/8 port 0-65535 any proto 17");
	parses_as("10.0.0.0/8   TCP   PORT 80", "v4 10.0.0.0/8 port 80-80 proto 6");
	parses_as("10.0.0.0/8 port 0-65535", "v4 10.0.0.0/8 port 0-65535 any proto 0");
	parses_as("10.1.2.3/8", "v4 10.0.0.0/8 port 0-65535 any proto 0");
	parses_as("192.168.1.77/26", "v4 192.168.1.64/26 port 0-65535 any proto 0");
	parses_as("::/0", "v6 ::/0 port 0-65535 any proto 0");
	parses_as("2001:db8::1/32 port 443 tcp", "v6 2001:db8::/32 port 443-443 proto 6");
	parses_as("fd00:ec2::254", "v6 fd00:ec2::254/128 port 0-65535 any proto 0");
	parses_as("2001:db8::ffff:1/127", "v6 2001:db8::ffff:0/127 port 0-65535 any proto 0");
	/* IPv4-mapped IPv6 becomes IPv4 */
	parses_as("::ffff:169.254.169.254", "v4 169.254.169.254/32 port 0-65535 any proto 0");
	parses_as("::ffff:10.0.0.0/104", "v4 10.0.0.0/8 port 0-65535 any proto 0");
	parses_as("::ffff:0:0/96", "v4 0.0.0.0/0 port 0-65535 any proto 0");
	parses_as("::ffff:0:0/95", "v6 ::fffe:0:0/95 port 0-65535 any proto 0");
	/* loopback aliases */
	/* loopback aliases keep their own family and address: the BPF side
	 * judges a connect to ::1, :: or 0.0.0.0 as itself and as 127.0.0.1 */
	parses_as("::1", "v6 ::1/128 port 0-65535 any proto 0");
	parses_as("::1/128 port 22", "v6 ::1/128 port 22-22 proto 0");
	parses_as("::", "v6 ::/128 port 0-65535 any proto 0");
	parses_as("0.0.0.0", "v4 0.0.0.0/32 port 0-65535 any proto 0");
	parses_as("::ffff:0.0.0.0", "v4 0.0.0.0/32 port 0-65535 any proto 0");
	parses_as("::ffff:127.0.0.1", "v4 127.0.0.1/32 port 0-65535 any proto 0");
	parses_as("127.0.0.0/8", "v4 127.0.0.0/8 port 0-65535 any proto 0");
	parses_as("::/127", "v6 ::/127 port 0-65535 any proto 0");

	fails("", "missing address");
	fails("   ", "missing address");
	fails("10.0.0.0/33", "bad prefix length '/33' (0..32)");
	fails("::/129", "bad prefix length '/129' (0..128)");
	fails("10.0.0.0/", "bad prefix length '/' (0..32)");
	fails("10.0.0.0/-1", "bad prefix length '/-1' (0..32)");
	fails("10.0.0.0/8x", "bad prefix length '/8x' (0..32)");
	fails("10.0.0.0/0008", "bad prefix length '/0008' (0..32)");
	fails("10.0.0", "bad address '10.0.0' (expected an IPv4 or IPv6 address)");
	fails("256.1.1.1", "bad address '256.1.1.1' (expected an IPv4 or IPv6 address)");
	fails("/8", "bad address '/8'");
	fails("fe80::1%eth0", "bad address 'fe80::1%eth0' (expected an IPv4 or IPv6 address)");
	fails("[::1]", "bad address '[::1]' (expected an IPv4 or IPv6 address)");
	fails("localhost", "bad address 'localhost' (expected an IPv4 or IPv6 address)");
	fails("1.2.3.4 port", "'port' needs a number or a range N-M");
	fails("1.2.3.4 port 65536", "bad port '65536' (expected N or N-M, 0..65535)");
	fails("1.2.3.4 port -1", "bad port range '-1' (expected N-M, 0..65535)");
	fails("1.2.3.4 port 80-", "bad port range '80-' (expected N-M, 0..65535)");
	fails("1.2.3.4 port 1-2-3", "bad port range '1-2-3' (expected N-M, 0..65535)");
	fails("1.2.3.4 port 80-70000", "bad port range '80-70000' (expected N-M, 0..65535)");
	fails("1.2.3.4 port 90-80", "bad port range '90-80' (start above end)");
	fails("1.2.3.4 port http", "bad port 'http' (expected N or N-M, 0..65535)");
	fails("1.2.3.4 port 80 port 81", "port given twice");
	fails("1.2.3.4 tcp udp", "protocol given twice");
	fails("1.2.3.4 icmp", "unexpected 'icmp' (expected 'port N[-M]', 'tcp' or 'udp')");
	fails("1.2.3.4 80", "unexpected '80' (expected 'port N[-M]', 'tcp' or 'udp')");
	fails("1.2.3.4 port 80 tcp extra", "unexpected 'extra' (expected 'port N[-M]', 'tcp' or 'udp')");
	{
		char big[300];
		memset(big, '1', sizeof(big) - 1);
		big[sizeof(big) - 1] = 0;
		fails(big, "bad address '1111111111111111111111111111111111111111...'");
	}
	return done_testing();
}
