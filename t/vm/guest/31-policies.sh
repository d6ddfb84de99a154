# SPDX-License-Identifier: GPL-2.0-only
# 31-policies.sh - the shipped policies (policies/*.ini, copied to
# /policies in the guest) do what their comments say.  The generic ones are
# rebound to test cgroups with sed, as an admin would (no-cloud-metadata
# binds "/" as shipped: the harness itself must stay outside every policy);
# sshd.ini and nginx.ini are used as shipped, through their unit= lines, in
# cgroups named ssh.service, sshd.service and nginx.service.
#
# The guest's /bin/sh is busybox: no-shells' "deny = /bin/sh" resolves to
# /bin/busybox and denies every applet in its cgroup.  So checks run as
# static binaries (probe, bpfpoke), and static stand-ins are installed
# where bash, dash, zsh and fish would be.

P=/tmp/pol31
mkdir -p $P
rm -f $P/*.ini

ok "every shipped policy passes enforcerctl check in the guest" \
	sh -c 'enforcerctl --json check /policies/*.ini >/dev/null'

# stand-in shells (static, exit 0) and an nginx binary
for s in /bin/bash /bin/dash /usr/bin/zsh; do
	cp /bin/probe $s
done
mkdir -p /usr/sbin /var/log/nginx /var/lib/nginx /etc/nginx /etc/ssh
cp /bin/probe /usr/sbin/nginx
echo 'worker_processes 1;' > /etc/nginx/nginx.conf
echo 'Port 22' > /etc/ssh/sshd_config
rm -f /etc/t31x
echo victim > /etc/t31del

cg_make t31/noshell
cg_make t31/nometa
cg_make t31/rosys
cg_make t31/free
cg_make t31sl/ssh.service
cg_make t31sl/nginx.service

sed 's|^cgroup = .*|cgroup = /t31/noshell|' /policies/no-shells.ini > $P/no-shells.ini
sed 's|^cgroup = .*|cgroup = /t31/nometa|' /policies/no-cloud-metadata.ini > $P/no-cloud-metadata.ini
sed 's|^cgroup = .*|cgroup = /t31/rosys|' /policies/readonly-system.ini > $P/readonly-system.ini
cp /policies/sshd.ini $P/sshd.ini
# nginx's exec allowlist, plus the test's own checkers (probe, bpfpoke),
# which in_cg runs inside the cgroup.
awk '{ print } /^allow = \/usr\/sbin\/nginx/ { print "allow = /bin/probe"; print "allow = /bin/bpfpoke" }' \
	/policies/nginx.ini > $P/nginx.ini
is "$(grep -c '^allow = /bin/' $P/nginx.ini)" 2 "nginx copy: the checkers allowed"
is "$(grep -c '^cgroup = /t31/' $P/*.ini | awk -F: '{ s += $2 } END { print s }')" 3 \
	"three generic policies rebound with sed"

cleanup31() {
	unload_enforcer
	rm -f /bin/bash /bin/dash /usr/bin/zsh /usr/bin/fish /usr/sbin/nginx /etc/t31x /etc/t31del
}
trap cleanup31 EXIT

start_enforcerd $P --no-pin

# ---- no-shells ----
is "$(in_cg t31/noshell probe exec /bin/sh)" EPERM "no-shells: /bin/sh (busybox here) EPERM"
is "$(in_cg t31/noshell probe exec /bin/bash)" EPERM "no-shells: /bin/bash EPERM"
is "$(in_cg t31/noshell probe exec /bin/dash)" EPERM "no-shells: /bin/dash EPERM"
is "$(in_cg t31/noshell probe exec /usr/bin/zsh)" EPERM "no-shells: /usr/bin/zsh EPERM"
cp /bin/probe /usr/bin/fish
is "$(in_cg t31/noshell probe exec /usr/bin/fish)" EPERM "no-shells: a shell installed after the policy loaded EPERM"
ln -sf /bin/bash /tmp/t31.notashell
is "$(in_cg t31/noshell probe exec /tmp/t31.notashell)" EPERM "no-shells: a shell through a symlink EPERM"
is "$(in_cg t31/noshell probe exec /usr/bin/allowme)" ok "no-shells: a static binary runs"
is "$(in_cg t31/noshell probe open /etc/passwd r)" ok "no-shells: files untouched"
is "$(in_cg t31/free probe exec /bin/bash)" ok "no-shells: a sibling cgroup may run bash"
is "$(in_cg t31/free probe exec /bin/sh)" ok "no-shells: a sibling cgroup may run sh"
ok "audit: the denied shell is logged with its rule" wait_audit '"policy":"no-shells".*"rule":"deny = /bin/bash"'

# ---- no-cloud-metadata ----
is "$(in_cg t31/nometa probe connect 169.254.169.254 80 tcp)" EPERM "no-cloud-metadata: tcp 169.254.169.254:80 EPERM"
is "$(in_cg t31/nometa probe connect 169.254.169.254 80 udp)" EPERM "no-cloud-metadata: udp connect EPERM"
is "$(in_cg t31/nometa probe sendto 169.254.169.254 80)" EPERM "no-cloud-metadata: udp sendto EPERM (nothing sent)"
is "$(in_cg t31/nometa probe connect ::ffff:169.254.169.254 80 tcp)" EPERM "no-cloud-metadata: IPv4-mapped IPv6 EPERM"
is "$(in_cg t31/nometa probe connect fd00:ec2::254 80 tcp)" EPERM "no-cloud-metadata: AWS IPv6 endpoint EPERM"
is "$(in_cg t31/nometa probe connect 169.254.170.2 80 tcp)" EPERM "no-cloud-metadata: ECS credentials endpoint EPERM"
is "$(in_cg t31/nometa probe connect 100.100.100.200 80 tcp)" EPERM "no-cloud-metadata: Alibaba endpoint EPERM"
is "$(in_cg t31/nometa probe connect 127.0.0.1 9 tcp)" ECONNREFUSED "no-cloud-metadata: other connects go through"
like "$(in_cg t31/free probe connect 169.254.169.254 80 tcp)" '^E' "no-cloud-metadata: a sibling reaches the network stack"
isnt_eperm() { [ "$(in_cg t31/free probe connect 169.254.169.254 80 tcp)" != EPERM ]; }
ok "no-cloud-metadata: the sibling's failure is not enforcer's EPERM" isnt_eperm

# ---- readonly-system ----
is "$(in_cg t31/rosys probe open /etc/passwd r)" ok "readonly-system: /etc read ok"
is "$(in_cg t31/rosys probe open /etc/passwd w)" EPERM "readonly-system: /etc/passwd write EPERM"
is "$(in_cg t31/rosys bpfpoke create /etc/t31x)" EPERM "readonly-system: creating /etc/x EPERM"
ok "readonly-system: /etc/x was not created" [ ! -e /etc/t31x ]
is "$(in_cg t31/rosys bpfpoke unlink /etc/t31del)" EPERM "readonly-system: unlink in /etc EPERM"
is "$(in_cg t31/rosys probe open /usr/bin/allowme w)" EPERM "readonly-system: /usr write EPERM"
is "$(in_cg t31/rosys probe exec /usr/bin/allowme)" ok "readonly-system: binaries still run"
is "$(in_cg t31/rosys bpfpoke create /tmp/t31.rw)" ok "readonly-system: /tmp stays writable"
is "$(in_cg t31/free bpfpoke create /etc/t31x)" ok "readonly-system: a sibling may create /etc/x"
rm -f /etc/t31x /etc/t31del /tmp/t31.rw

# ---- sshd (unit = ssh.service, sshd.service) ----
S=t31sl/ssh.service
is "$(in_cg $S probe open /etc/ssh/sshd_config r)" ok "sshd: reads its configuration"
is "$(in_cg $S probe open /etc/ssh/sshd_config w)" EPERM "sshd: /etc/ssh is read-only"
is "$(in_cg $S probe open /etc/passwd w)" ok "sshd: /etc/passwd stays writable (password changes)"
is "$(in_cg $S probe exec /usr/bin/curl)" EPERM "sshd: curl EPERM"
is "$(in_cg $S probe exec /usr/bin/allowme)" ok "sshd: other programs run"
is "$(in_cg $S probe connect 169.254.169.254 80 tcp)" EPERM "sshd: metadata service EPERM"
cg_make t31sl/late/sshd.service
is "$(in_cg t31sl/late/sshd.service probe exec /usr/bin/curl)" EPERM \
	"sshd: a cgroup named sshd.service created after start is governed"

# ---- nginx (unit = nginx.service) ----
N=t31sl/nginx.service
is "$(in_cg $N probe exec /usr/sbin/nginx)" ok "nginx: nginx runs"
is "$(in_cg $N probe exec /usr/bin/allowme)" EPERM "nginx: any other program EPERM (allowlist)"
is "$(in_cg $N probe exec /bin/sh)" EPERM "nginx: no shell"
is "$(in_cg $N probe exec /usr/bin/curl)" EPERM "nginx: no curl"
is "$(in_cg $N probe open /etc/nginx/nginx.conf r)" ok "nginx: reads its configuration"
is "$(in_cg $N probe open /etc/nginx/nginx.conf w)" EPERM "nginx: its configuration is read-only"
is "$(in_cg $N probe open /etc/shadow r)" EPERM "nginx: /etc/shadow EPERM even for reading"
is "$(in_cg $N bpfpoke create /var/log/nginx/access.log)" ok "nginx: writes its logs"
is "$(in_cg $N probe open /var/log/nginx/access.log w)" ok "nginx: appends to its logs"
is "$(in_cg $N probe connect 169.254.169.254 80 tcp)" EPERM "nginx: metadata service EPERM"
is "$(in_cg $N probe connect 127.0.0.1 25 tcp)" EPERM "nginx: no SMTP"
is "$(in_cg $N probe connect 127.0.0.1 9 tcp)" ECONNREFUSED "nginx: upstream connects go through"
rm -f /var/log/nginx/access.log

KEEP_PINNED=1 stop_enforcerd   # --no-pin must end it by itself
is "$(in_cg t31/noshell probe exec /bin/bash)" ok "--no-pin: the policies end with the daemon"
