// SPDX-License-Identifier: GPL-2.0-only
/*
 * connect_rule.c - parse one connect rule value,
 * "ADDRESS[/PREFIX] [port N[-M]] [tcp|udp]", into struct enf_rule.
 *
 * Normalisation, so that the rule matches what the BPF side looks up:
 * - host bits beyond the prefix are masked off silently ("10.1.2.3/8" is
 *   10.0.0.0/8), as ip(8) does for routes;
 * - IPv4-mapped IPv6 rules (::ffff:a.b.c.d/96..128) become IPv4 rules, since
 *   mapped destinations are looked up as IPv4;
 * - loopback aliases are handled on the BPF side: a connect to "::1", "::"
 *   or "0.0.0.0" is judged as itself, and 127.0.0.1's deny rules apply to it
 *   too; so rules keep the family and address they were written with.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "connect_rule.h"
#include "utf8.h"

#define TOKEN_MAX 128

/* Decimal number of at most maxdigits digits, no sign, whole string. */
static int parse_uint(const char *s, size_t n, unsigned maxdigits, unsigned long *out)
{
	unsigned long v = 0;

	if (n == 0 || n > maxdigits)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	*out = v;
	return 0;
}

static void mask_addr(uint8_t *a, unsigned nbytes, unsigned plen)
{
	for (unsigned i = 0; i < nbytes; i++) {
		unsigned bit = i * 8;
		if (bit >= plen)
			a[i] = 0;
		else if (plen - bit < 8)
			a[i] &= (uint8_t)(0xff << (8 - (plen - bit)));
	}
}

static int parse_addr(const char *tok, struct enf_rule *r, char *err, size_t errsz)
{
	char buf[TOKEN_MAX];
	const char *slash = strchr(tok, '/');
	size_t alen = slash ? (size_t)(slash - tok) : strlen(tok);
	unsigned long plen;
	unsigned maxp;

	if (alen == 0 || alen >= sizeof(buf)) {
		snprintf(err, errsz, "bad address '%s'", tok);
		return -1;
	}
	memcpy(buf, tok, alen);
	buf[alen] = 0;
	memset(r->addr, 0, sizeof(r->addr));
	if (inet_pton(AF_INET, buf, r->addr) == 1) {
		r->family = 4;
		maxp = 32;
	} else if (inet_pton(AF_INET6, buf, r->addr) == 1) {
		r->family = 6;
		maxp = 128;
	} else {
		snprintf(err, errsz, "bad address '%s' (expected an IPv4 or IPv6 address)", buf);
		return -1;
	}
	if (slash) {
		const char *p = slash + 1;
		if (parse_uint(p, strlen(p), 3, &plen) < 0 || plen > maxp) {
			snprintf(err, errsz, "bad prefix length '/%s' (0..%u)", p, maxp);
			return -1;
		}
	} else {
		plen = maxp;
	}
	r->plen = (uint8_t)plen;
	mask_addr(r->addr, r->family == 4 ? 4 : 16, r->plen);

	if (r->family == 6 && r->plen >= 96) {
		static const uint8_t mapped[12] = { 0,0,0,0, 0,0,0,0, 0,0,0xff,0xff };
		if (memcmp(r->addr, mapped, 12) == 0) {
			uint8_t v4[4];
			memcpy(v4, r->addr + 12, 4);
			memset(r->addr, 0, sizeof(r->addr));
			memcpy(r->addr, v4, 4);
			r->family = 4;
			r->plen -= 96;
		}
	}
	return 0;
}

static int parse_port(const char *tok, struct enf_rule *r, char *err, size_t errsz)
{
	const char *dash = strchr(tok, '-');
	unsigned long lo, hi;

	if (dash) {
		if (parse_uint(tok, (size_t)(dash - tok), 5, &lo) < 0 ||
		    parse_uint(dash + 1, strlen(dash + 1), 5, &hi) < 0 ||
		    lo > 65535 || hi > 65535) {
			snprintf(err, errsz, "bad port range '%s' (expected N-M, 0..65535)", tok);
			return -1;
		}
		if (lo > hi) {
			snprintf(err, errsz, "bad port range '%s' (start above end)", tok);
			return -1;
		}
	} else {
		if (parse_uint(tok, strlen(tok), 5, &lo) < 0 || lo > 65535) {
			snprintf(err, errsz, "bad port '%s' (expected N or N-M, 0..65535)", tok);
			return -1;
		}
		hi = lo;
	}
	r->port_lo = (uint16_t)lo;
	r->port_hi = (uint16_t)hi;
	r->port_any = (lo == 0 && hi == 65535);
	return 0;
}

/* Next whitespace-separated token of s from *pos into tok; 0 at the end. */
static int next_token(const char *s, size_t *pos, char *tok, size_t toksz, bool *toolong)
{
	size_t i = *pos, n = 0;

	*toolong = false;
	while (s[i] && isspace((unsigned char)s[i]))
		i++;
	if (!s[i])
		return 0;
	while (s[i] && !isspace((unsigned char)s[i])) {
		if (n + 1 < toksz)
			tok[n++] = s[i];
		else
			*toolong = true;
		i++;
	}
	tok[n] = 0;
	*pos = i;
	return 1;
}

/* A protocol word: tcp, udp, sctp, icmp (ICMPv6 for IPv6), raw (any raw
 * socket); 0 for none. */
/* How many bytes of s, at most max, end on a whole UTF-8 sequence: a
 * message quoting a cut token stays valid UTF-8 (policy files are). */
static int utf8_prefix(const char *s, size_t max)
{
	size_t n = strlen(s), i = 0;

	while (i < n) {
		size_t l = utf8_seq((const unsigned char *)s + i, n - i);

		if (!l || i + l > max)
			break;
		i += l;
	}
	return (int)i;
}

static uint8_t proto_word(const char *w)
{
	if (!strcasecmp(w, "tcp"))
		return 6;
	if (!strcasecmp(w, "udp"))
		return 17;
	if (!strcasecmp(w, "sctp"))
		return ENF_PROTO_SCTP;
	if (!strcasecmp(w, "icmp"))
		return ENF_PROTO_ICMP;
	if (!strcasecmp(w, "raw"))
		return ENF_PROTO_RAW;
	return 0;
}

int connect_rule_parse(const char *text, struct enf_rule *r, char *err, size_t errsz)
{
	char tok[TOKEN_MAX];
	size_t pos = 0;
	bool toolong, have_port = false, have_proto = false, sock = false;

	r->family = 0;
	r->plen = 0;
	r->port_lo = 0;
	r->port_hi = 65535;
	r->port_any = true;
	r->proto = 0;

	if (!next_token(text, &pos, tok, sizeof(tok), &toolong)) {
		snprintf(err, errsz, "missing address");
		return -1;
	}
	if (toolong) {
		snprintf(err, errsz, "bad address '%.*s...'", utf8_prefix(tok, 40), tok);
		return -1;
	}
	if (!strcasecmp(tok, "packet")) {
		/* packet sockets (AF_PACKET): judged when created; no address,
		 * port or protocol */
		r->family = ENF_FAMILY_PACKET;
		if (next_token(text, &pos, tok, sizeof(tok), &toolong)) {
			snprintf(err, errsz, "unexpected '%.40s' after 'packet' (it takes no address, port or protocol)",
				 tok);
			return -1;
		}
		return 0;
	}
	if (proto_word(tok)) {
		/* a protocol with no address: every IPv4 and IPv6 destination
		 * (family 0: the parser makes one rule of each family) */
		r->proto = proto_word(tok);
		have_proto = true;
	} else if (parse_addr(tok, r, err, errsz) < 0) {
		return -1;
	}

	while (next_token(text, &pos, tok, sizeof(tok), &toolong)) {
		if (toolong) {
			snprintf(err, errsz, "unexpected '%.*s...' (expected 'port N[-M]', 'tcp' or 'udp')",
				 utf8_prefix(tok, 40), tok);
			return -1;
		}
		if (!strcasecmp(tok, "port")) {
			if (have_port) {
				snprintf(err, errsz, "port given twice");
				return -1;
			}
			if (!next_token(text, &pos, tok, sizeof(tok), &toolong)) {
				snprintf(err, errsz, "'port' needs a number or a range N-M");
				return -1;
			}
			if (toolong) {
				snprintf(err, errsz, "bad port '%.40s...' (expected N or N-M, 0..65535)", tok);
				return -1;
			}
			if (parse_port(tok, r, err, errsz) < 0)
				return -1;
			have_port = true;
		} else if (!strcasecmp(tok, "socket") && r->family == 0) {
			/* "raw socket", "icmp socket": the creation of raw sockets */
			if (sock) {
				snprintf(err, errsz, "'socket' given twice");
				return -1;
			}
			sock = true;
		} else if (!strcasecmp(tok, "tcp") || !strcasecmp(tok, "udp") ||
			   (r->family == 0 && proto_word(tok))) {
			/* after an address: tcp or udp */
			if (have_proto) {
				snprintf(err, errsz, "protocol given twice");
				return -1;
			}
			r->proto = proto_word(tok);
			have_proto = true;
		} else {
			snprintf(err, errsz, "unexpected '%s' (expected 'port N[-M]', 'tcp' or 'udp')", tok);
			return -1;
		}
	}
	if (sock) {
		/* judged when a raw socket is made: no destination, no port yet;
		 * the parser adds the IPv6 twin (ENF_FAMILY_RAW6) */
		if (have_port) {
			snprintf(err, errsz, "'port' with 'socket' (a socket is judged when it is made, before any port)");
			return -1;
		}
		r->family = ENF_FAMILY_RAW4;
		return 0;
	}
	if (have_port && (r->proto == ENF_PROTO_ICMP || r->proto == ENF_PROTO_RAW)) {
		snprintf(err, errsz, "'port' with %s (only tcp, udp and sctp have ports)",
			 r->proto == ENF_PROTO_ICMP ? "icmp" : "raw");
		return -1;
	}
	return 0;
}

void connect_rule_format_net(const struct enf_rule *r, char *buf, size_t sz)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(r->family == 4 ? AF_INET : AF_INET6, r->addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	snprintf(buf, sz, "%s/%u", a, r->plen);
}
