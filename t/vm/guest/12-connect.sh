# SPDX-License-Identifier: GPL-2.0-only
# 12-connect.sh - lsm/socket_connect: TCP and UDP connects, IPv4, IPv6 and
# IPv4-mapped IPv6, denied with EPERM in the bound cgroup and its children,
# not in a sibling; default = deny; precedence (longer prefix, port-specific,
# protocol-specific, equal specificity deny wins).  Loopback only: an
# allowed TCP connect without a listener is ECONNREFUSED.

# the pins the script before this one left are adopted (t/vm/lib.sh): its
# programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol12
cg_make t12/bound/child
cg_make t12/sibling
cg_make t12/allow

write_policy $P net-deny <<'INI'
[policy]
cgroup = /t12/bound
[connect]
deny = 127.0.0.2
deny = 0.0.0.0/0 port 25
deny = 127.0.3.0/24
allow = 127.0.3.7
deny = 127.0.4.1
allow = 127.0.4.1 port 8080
deny = 127.0.5.1 port 53
allow = 127.0.5.1 port 53 udp
allow = 127.0.6.1
deny = 127.0.6.1
deny = 127.0.7.1 udp
deny = 127.0.8.1 port 1000-1002
deny = ::1 port 7
deny = ::1/128 port 5000-5001 tcp
INI
write_policy $P net-allowlist <<'INI'
[policy]
cgroup = /t12/allow
[connect]
default = deny
allow = 127.0.0.1 port 9
allow = ::1 port 10
INI

start_enforcerd $P

c() { cg=$1; shift; in_cg "$cg" probe connect "$@"; }

is "$(c /t12/bound 127.0.0.2 80 tcp)" EPERM "connect: denied address, tcp: EPERM"
is "$(c /t12/bound 127.0.0.2 80 udp)" EPERM "connect: denied address, udp: EPERM"
is "$(c /t12/bound 127.0.0.1 80 tcp)" ECONNREFUSED "connect: other address passes (refused, not denied)"
is "$(c /t12/bound/child 127.0.0.2 80 tcp)" EPERM "connect: child cgroup inherits the deny"
is "$(c /t12/sibling 127.0.0.2 80 tcp)" ECONNREFUSED "connect: sibling cgroup unaffected"
is "$(probe connect 127.0.0.2 80 tcp)" ECONNREFUSED "connect: root cgroup (the harness) unaffected"
is "$(in_cg /t12/bound /bin/runas 1000 probe connect 127.0.0.2 80 tcp)" EPERM "connect: denied for uid 1000 too"

is "$(c /t12/bound 127.0.0.1 25 tcp)" EPERM "connect: 0.0.0.0/0 port 25 denies port 25"
is "$(c /t12/bound 127.0.0.1 26 tcp)" ECONNREFUSED "connect: 0.0.0.0/0 port 25 leaves port 26"
# ::1 is loopback: 127.0.0.1's deny rules apply to it (issue 5), so use a
# non-loopback IPv6 destination (no route in the guest: ENETUNREACH, not EPERM)
is "$(c /t12/bound 2001:db8::1 25 tcp)" ENETUNREACH "connect: an IPv4 rule does not catch native IPv6"

is "$(c /t12/bound 127.0.3.9 80 tcp)" EPERM "connect precedence: /24 deny applies"
is "$(c /t12/bound 127.0.3.7 80 tcp)" ECONNREFUSED "connect precedence: longer prefix (/32 allow) beats /24 deny"
is "$(c /t12/bound 127.0.4.1 8080 tcp)" ECONNREFUSED "connect precedence: port-specific allow beats any-port deny"
is "$(c /t12/bound 127.0.4.1 8081 tcp)" EPERM "connect precedence: any-port deny applies to other ports"
is "$(c /t12/bound 127.0.5.1 53 udp)" ok "connect precedence: protocol-specific allow (udp) beats any-protocol deny"
is "$(c /t12/bound 127.0.5.1 53 tcp)" EPERM "connect precedence: any-protocol deny applies to tcp"
is "$(c /t12/bound 127.0.6.1 80 tcp)" EPERM "connect precedence: equal specificity, deny wins"
is "$(c /t12/bound 127.0.7.1 80 udp)" EPERM "connect: udp-only deny denies udp"
is "$(c /t12/bound 127.0.7.1 80 tcp)" ECONNREFUSED "connect: udp-only deny leaves tcp"
is "$(c /t12/bound 127.0.8.1 1001 tcp)" EPERM "connect: port range denies inside"
is "$(c /t12/bound 127.0.8.1 1003 tcp)" ECONNREFUSED "connect: port range leaves outside"

is "$(c /t12/bound ::1 7 tcp)" EPERM "connect IPv6: denied [::1]:7 tcp"
is "$(c /t12/bound ::1 7 udp)" EPERM "connect IPv6: denied [::1]:7 udp"
is "$(c /t12/bound ::1 8 tcp)" ECONNREFUSED "connect IPv6: other port passes"
is "$(c /t12/bound ::1 5001 tcp)" EPERM "connect IPv6: prefix + port range + tcp denies"
is "$(c /t12/bound ::1 5001 udp)" ok "connect IPv6: tcp-only rule leaves udp"
is "$(c /t12/sibling ::1 7 tcp)" ECONNREFUSED "connect IPv6: sibling unaffected"
is "$(c /t12/bound ::ffff:127.0.0.2 80 tcp)" EPERM "connect IPv4-mapped: IPv4 rule catches ::ffff:127.0.0.2 on AF_INET6"
is "$(c /t12/bound ::ffff:127.0.0.1 25 tcp)" EPERM "connect IPv4-mapped: port rule catches ::ffff:127.0.0.1 port 25"
is "$(c /t12/bound ::ffff:127.0.0.1 80 tcp)" ECONNREFUSED "connect IPv4-mapped: other mapped address passes"
is "$(c /t12/sibling ::ffff:127.0.0.2 80 tcp)" ECONNREFUSED "connect IPv4-mapped: sibling unaffected"

is "$(c /t12/allow 127.0.0.1 9 tcp)" ECONNREFUSED "connect allowlist: allowed address and port pass"
is "$(c /t12/allow 127.0.0.1 10 tcp)" EPERM "connect allowlist: other port EPERM"
is "$(c /t12/allow 127.0.0.3 9 udp)" EPERM "connect allowlist: other address EPERM"
is "$(c /t12/allow ::1 10 tcp)" ECONNREFUSED "connect allowlist: allowed IPv6 passes"
is "$(c /t12/allow ::1 9 tcp)" EPERM "connect allowlist: other IPv6 port EPERM"
is "$(c /t12/allow ::ffff:127.0.0.1 9 tcp)" ECONNREFUSED "connect allowlist: IPv4 allow matches IPv4-mapped"
is "$(c /t12/sibling 127.0.0.1 10 tcp)" ECONNREFUSED "connect allowlist: sibling unaffected"

stop_enforcerd
