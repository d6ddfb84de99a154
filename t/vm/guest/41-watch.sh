# SPDX-License-Identifier: GPL-2.0-only
# 41-watch.sh - enforcerd --watch follows a policy directory laid out like a
# Kubernetes ConfigMap volume: NAME.ini -> ..data/NAME.ini, ..data -> a
# timestamped directory, updated by an atomic rename of the ..data symlink.
# guest-timeout: 400

# the pins the script before this one left are adopted (t/vm/lib.sh): its
# programs are this build's, its checks need no fresh load
ADOPT_PINS=1

W=/tmp/cm41
mkdir -p $W/..2026_v1 $W/..2026_v2
cat > $W/..2026_v1/pol.ini <<'INI'
[policy]
cgroup = /t41
[exec]
deny = /usr/bin/denyme
INI
cat > $W/..2026_v2/pol.ini <<'INI'
[policy]
cgroup = /t41
[exec]
deny = /usr/bin/other1
INI
ln -s ..2026_v1 $W/..data
ln -s ..data/pol.ini $W/pol.ini
cg_make t41

start_enforcerd $W --watch
is "$(in_cg /t41 probe exec /usr/bin/denyme)" EPERM "watch: version 1 in force (denyme denied)"
is "$(in_cg /t41 probe exec /usr/bin/other1)" ok "watch: version 1 in force (other1 allowed)"
g1=$(enforcerctl --json status | jsonget generation)

# the ConfigMap update: a new ..data symlink renamed over the old one
ln -s ..2026_v2 $W/..data_tmp
is "$(trick rename $W/..data_tmp $W/..data)" ok "watch: ..data swapped by rename"
i=0
while [ $i -lt 100 ]; do
	[ "$(in_cg /t41 probe exec /usr/bin/other1)" = EPERM ] && break
	sleep 0.1
	i=$((i + 1))
done
is "$(in_cg /t41 probe exec /usr/bin/other1)" EPERM "watch: version 2 in force after the swap (other1 denied)"
is "$(in_cg /t41 probe exec /usr/bin/denyme)" ok "watch: version 2 in force (denyme allowed)"
g2=$(enforcerctl --json status | jsonget generation)
ok "watch: the generation moved on ($g1 -> $g2)" test "$g2" -gt "$g1"

# a broken update keeps the set in force
mkdir -p $W/..2026_v3
printf '[policy]\ncgroup = relative\n' > $W/..2026_v3/pol.ini
ln -s ..2026_v3 $W/..data_tmp
trick rename $W/..data_tmp $W/..data >/dev/null
sleep 3
is "$(in_cg /t41 probe exec /usr/bin/other1)" EPERM "watch: a broken update leaves version 2 in force"
like "$(enforcerctl --json status | jsonget last_reload_error)" 'pol.ini:2' "watch: status names the broken line"
stop_enforcerd
