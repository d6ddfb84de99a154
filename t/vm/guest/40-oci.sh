# SPDX-License-Identifier: GPL-2.0-only
# 40-oci.sh - Kubernetes-style containers started by a real OCI runtime
# (crun, Debian's) with enforcer-oci-hook in the bundle's createRuntime
# hooks and kubelet-like cgroups (cgroupfs driver /kubepods/besteffort/
# podUID/ID; the systemd driver's kubepods.slice/.../cri-containerd-ID.scope
# made as plain cgroupfs directories): per-namespace policies give two
# guest-timeout: 1200
# namespaces different verdicts for the same exec, open and connect; a
# container is governed from its first exec, 100 starts in a row; rule paths
# are the container's (symlinks resolved in its root); fail closed without
# enforcerd; bindings survive a restart; running containers are found at
# start-up from containerd's state directory; a pod's sandbox, which runs no
# hook, is governed through its pod's cgroup once a container of the pod is
# bound.  Network rules in pod policies (issue 18): [bind], `exe` resolved
# in the container's root, unix: sockets by the identity of their file as
# the container sees it (a host socket placed in its root) and abstract names.

# the pins the script before this one left are adopted (t/vm/lib.sh): its
# programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol40
O=/tmp/oci
SOCK=/run/enforcer/enforcer.sock
CRUN="crun --cgroup-manager=cgroupfs"
PODUID=6f1c2a4e_0b7d_4c59_9a43_1e2f3a4b5c6d

if ! command -v crun >/dev/null 2>&1; then
	fail "crun is in the VM (install it: make deps; run-vm.sh copies it)"
	return 0 2>/dev/null || exit 0
fi
if [ ! -x /bin/enforcer-oci-hook ]; then
	fail "enforcer-oci-hook is in the VM (make all)"
	return 0 2>/dev/null || exit 0
fi

# ---- root file systems: one per namespace ----
# /bin/sh is a copy of busybox of its own (an inode of its own), /bin/sleep
# another, so that denying the shell denies nothing else.
mkrootfs() {
	_r=$O/$1/rootfs
	mkdir -p "$_r/bin" "$_r/etc" "$_r/data" "$_r/proc" "$_r/dev" "$_r/tmp" "$_r/run"
	cp /bin/busybox "$_r/bin/sh"
	cp /bin/busybox "$_r/bin/sleep"
	cp /bin/probe "$_r/bin/probe"
	cp /bin/escape "$_r/bin/escape"
	cp /bin/netprobe "$_r/bin/netprobe"
	cp /bin/netprobe "$_r/bin/npd"        # the program an exe deny names
	cp /bin/netprobe "$_r/bin/srv"        # the program an exe allow names
	echo "container secret of $1" > "$_r/etc/secret"
	echo "container data of $1" > "$_r/data/target"
	ln -s /data/target "$_r/etc/alias"       # absolute: must resolve inside the root
	# patterns in a pod policy: /keys/*.key, /lnk/*.pem (/lnk -> /keys, in the root)
	mkdir -p "$_r/keys" "$_r/opt/t"
	echo "key of $1" > "$_r/keys/a.key"
	echo "txt of $1" > "$_r/keys/a.txt"
	echo "pem of $1" > "$_r/keys/b.pem"
	ln -s /keys "$_r/lnk"
	cp /bin/busybox "$_r/opt/t/true"
	# program conditions in a pod policy: the container's own programs
	mkdir -p "$_r/pr/bin" "$_r/pr/copy" "$_r/pr/link" "$_r/pr/moved" "$_r/pr/real" "$_r/pr/sym" "$_r/pr/dir"
	cp /bin/probe "$_r/pr/bin/probe"      # the program exe names
	cp /bin/probe "$_r/pr/copy/probe"     # a copy of it (probe acts by its name)
	cp /bin/probe "$_r/pr/real/probe"     # named through a symlink in the root
	ln -s /pr/real/probe "$_r/pr/sym/probe"   # absolute: resolved inside the root
	cp /bin/probe "$_r/pr/dir/probe"      # a program below a named directory
	cp /bin/busybox "$_r/bin/true"
	echo "only of $1" > "$_r/data/only"
	echo "dirform of $1" > "$_r/data/dirform"
}
mkrootfs payments
mkrootfs dev
mkrootfs other
# the host's files of the same names (other inodes)
mkdir -p /data /pr/real
cp /bin/probe /pr/real/probe      # what /pr/sym/probe would be, resolved above the root
echo "host secret" > /etc/secret
echo "host data" > /data/target

write_policy $P payments <<'INI'
[policy]
name = payments-baseline
namespace = payments
[exec]
deny = /bin/sh
deny = /opt/*/true
deny = /bin/sleep exe /pr/bin/probe
deny = /bin/true parent /pr/bin/probe
[file]
deny = /etc/secret
deny = /etc/alias
deny = /keys/*.key
deny = /lnk/*.pem
allow = /keys/*.key exe /pr/bin/probe
deny = /data/only
allow = /data/only exe /pr/bin/probe
allow = /data/only exe /pr/sym/probe
deny = /data/dirform exe /pr/dir/
deny = /lnk/a.txt exe /pr/bin/probe
[connect]
deny = 127.0.0.1 port 8440
deny = 127.0.0.1 port 8441 exe /bin/npd
deny = unix:/run/app.sock
deny = unix:@t40-abs
[bind]
deny = 0.0.0.0/0 port 4444
allow = 0.0.0.0/0 port 4444 tcp exe /bin/srv
INI
write_policy $P dev <<'INI'
[policy]
name = dev-baseline
namespace = dev
[exec]
deny = /bin/sleep
INI
write_policy $P onepod <<'INI'
[policy]
name = one-pod
pod = dev/web-0
[file]
deny = /data/target
INI

# write_config NS POD CGPATH ID [ANNOTATION-STYLE [HOOK-ARGS]] -- ARGS...
# ANNOTATION-STYLE: containerd (default) or crio.
write_config() {
	_ns=$1 _pod=$2 _cg=$3 _id=$4 _style=${5:-containerd} _hargs=${6:-}
	shift 6
	[ "${1:-}" = -- ] && shift
	_args=
	for _a in "$@"; do
		_args="$_args${_args:+,}\"$_a\""
	done
	if [ "$_style" = crio ]; then
		_ann="\"io.kubernetes.pod.namespace\":\"$_ns\",\"io.kubernetes.pod.name\":\"$_pod\",\"io.kubernetes.container.name\":\"app\",\"io.kubernetes.cri-o.ContainerType\":\"container\""
	else
		_ann="\"io.kubernetes.cri.sandbox-namespace\":\"$_ns\",\"io.kubernetes.cri.sandbox-name\":\"$_pod\",\"io.kubernetes.cri.container-name\":\"app\",\"io.kubernetes.cri.container-type\":\"container\""
	fi
	_h="\"enforcer-oci-hook\",\"--socket\",\"$SOCK\""
	for _a in $_hargs; do
		_h="$_h,\"$_a\""
	done
	_hooks="\"hooks\":{\"createRuntime\":[{\"path\":\"/bin/enforcer-oci-hook\",\"args\":[$_h],\"timeout\":20}]},"
	# containerd runs no hook for a pod's sandbox (pause)
	[ "$_hargs" = nohook ] && _hooks=
	# CAPS (a JSON list of names): the capabilities the runtime gives it
	_caps=
	[ -z "${CAPS:-}" ] || _caps="\"capabilities\":{\"bounding\":[$CAPS],\"effective\":[$CAPS],\"permitted\":[$CAPS]},"
	cat > "$O/$_ns/config.json" <<EOF
{"ociVersion":"1.0.2",
 "process":{"terminal":false,"user":{"uid":0,"gid":0},"args":[$_args],$_caps
            "env":["PATH=/bin"],"cwd":"/"},
 "root":{"path":"rootfs","readonly":false},
 "hostname":"$_pod",
 "mounts":[],
 "annotations":{$_ann},
 $_hooks
 "linux":{"cgroupsPath":"$_cg",
          "namespaces":[{"type":"pid"},{"type":"mount"},{"type":"ipc"},{"type":"uts"}]}}
EOF
}

# kubelet-like cgroups: cg_LAYOUT ID [POD] (POD: the pod being run, or
# api-0); every pod has a UID of its own, as the kubelet gives it
poduid() {
	case $1 in
	api-0) echo $PODUID ;;
	web-0) echo 7a2d3b5f_1c8e_4d6a_8b54_2f3a4b5c6d7e ;;
	web-1) echo 8b3e4c6a_2d9f_4e7b_9c65_3a4b5c6d7e8f ;;
	sb-0) echo 0d5a6e8c_4fbb_4a9d_9e87_5c6d7e8f9a0b ;;
	*) echo 9c4f5d7b_3eaa_4f8c_8d76_4b5c6d7e8f9a ;;
	esac
}
cg_cgroupfs() { echo "/kubepods/besteffort/pod$(poduid "${2:-${_rpod:-api-0}}")/$1"; }
cg_systemd() {
	_u=$(poduid "${2:-${_rpod:-api-0}}")
	echo "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod$_u.slice/cri-containerd-$1.scope"
}

# run NS POD LAYOUT ID STYLE -- ARGS...: run a container to its end, print
# its output (stdout+stderr) and "rc=N".
run() {
	_rns=$1 _rpod=$2 _lay=$3 _rid=$4 _rst=$5
	shift 5
	write_config "$_rns" "$_rpod" "$($_lay "$_rid")" "$_rid" "$_rst" "" "$@"
	$CRUN run --no-pivot --bundle "$O/$_rns" "$_rid" </dev/null 2>&1
	echo "rc=$?"
	$CRUN delete -f "$_rid" >/dev/null 2>&1
}

# probe output of a container run (first line that is a verdict)
verdict() {
	_out=$(run "$@")
	_v=$(printf '%s\n' "$_out" | grep -E '^(ok|E[A-Z]+)$' | head -1)
	[ -n "$_v" ] || printf '%s\n' "container $4 gave no verdict:" "$_out" | sed 's/^/# /' >&2
	echo "$_v"
}

start_enforcerd $P || return 0 2>/dev/null || exit 0

# is the bind request there?
ans=$(sockclient -s 'bind /\n' -c 1 -t 5 $SOCK 2>&1)
if printf '%s\n' "$ans" | grep -q 'not supported\|unknown request'; then
	fail "enforcerd answers the bind request (got: $ans)"
fi

# ---- two namespaces, different verdicts for the same actions ----
probe listen 127.0.0.1 8440 120 >/dev/null 2>&1 &
LPID=$!
sleep 0.5
n=0
for lay in cg_cgroupfs cg_systemd; do
	n=$((n + 1))
	is "$(verdict payments api-0 $lay pe$n containerd -- /bin/probe exec /bin/sh)" EPERM \
		"payments ($lay): exec of the container's /bin/sh denied"
	is "$(verdict dev web-1 $lay de$n crio -- /bin/probe exec /bin/sh)" ok \
		"dev ($lay, CRI-O annotations): the same exec allowed"
	is "$(verdict payments api-0 $lay po$n containerd -- /bin/probe open /etc/secret r)" EPERM \
		"payments ($lay): open of the container's /etc/secret denied"
	is "$(verdict dev web-1 $lay do$n crio -- /bin/probe open /etc/secret r)" ok \
		"dev ($lay): the same open allowed"
	is "$(verdict payments api-0 $lay pc$n containerd -- /bin/probe connect 127.0.0.1 8440 tcp)" EPERM \
		"payments ($lay): connect to 127.0.0.1:8440 denied"
	is "$(verdict dev web-1 $lay dc$n crio -- /bin/probe connect 127.0.0.1 8440 tcp)" ok \
		"dev ($lay): the same connect allowed"
	is "$(verdict dev web-1 $lay dx$n crio -- /bin/probe exec /bin/sleep 0)" EPERM \
		"dev ($lay): its own rule (exec /bin/sleep) denied"
	is "$(verdict payments api-0 $lay px$n containerd -- /bin/probe exec /bin/sleep 0)" ok \
		"payments ($lay): dev's rule does not apply"
done
# pod policies confine privileges after the runtime's setup (crun mounts
# and pivots in the container's cgroup, then execs the container's program)
CAPS='"CAP_SYS_CHROOT","CAP_SYS_ADMIN"'
is "$(verdict payments api-0 cg_cgroupfs pcap1 containerd -- /bin/escape chroot / 2>/dev/null)" EPERM \
	"payments: a container given CAP_SYS_CHROOT starts, its chroot is denied (the policy's built-in set)"
is "$(jsonget -m hook=capability -m op=chroot policy capability < $AUDIT_LOG | sort -u)" \
	"$(printf 'payments-baseline\tCAP_SYS_CHROOT')" "... its audit line names the policy and CAP_SYS_CHROOT"
is "$(verdict payments api-0 cg_cgroupfs pcap2 containerd -- /bin/escape tmpfs /tmp 2>/dev/null)" EPERM \
	"payments: its mount (CAP_SYS_ADMIN) is denied"
is "$(verdict other x-0 cg_cgroupfs ocap1 containerd -- /bin/escape chroot / 2>/dev/null)" ok \
	"a namespace without policy: the same chroot works (control)"
is "$(verdict other x-0 cg_cgroupfs ocap2 containerd -- /bin/escape tmpfs /tmp 2>/dev/null)" ok \
	"a namespace without policy: the same mount works (control)"
CAPS=
is "$(verdict other x-0 cg_cgroupfs ot1 containerd -- /bin/probe exec /bin/sh)" ok \
	"a namespace without policy: not governed"
is "$(verdict dev web-0 cg_cgroupfs wp1 containerd -- /bin/probe open /data/target r)" EPERM \
	"pod = dev/web-0: its pod governed by the pod policy"
is "$(verdict dev web-1 cg_cgroupfs wp2 containerd -- /bin/probe open /data/target r)" ok \
	"pod = dev/web-0: another pod of dev not"

# ---- patterns in a pod policy: anchored in each container's root ----
is "$(verdict payments api-0 cg_cgroupfs gp1 containerd -- /bin/probe open /keys/a.key r)" EPERM \
	"pod pattern: /keys/*.key denies the container's /keys/a.key"
is "$(verdict payments api-0 cg_cgroupfs gp2 containerd -- /bin/probe open /keys/a.txt r)" ok \
	"pod pattern: /keys/a.txt does not match: allowed"
is "$(verdict dev web-1 cg_cgroupfs gp3 crio -- /bin/probe open /keys/a.key r)" ok \
	"pod pattern: the same open in dev's container (sibling namespace) allowed"
like "$(grep 'keys/a\.key' $AUDIT_LOG | tail -n 1)" '"rule":"deny = /keys/\*\.key"' \
	"pod pattern: the audit line names the pattern rule"
is "$(verdict payments api-0 cg_cgroupfs gp4 containerd -- /bin/probe open /keys/b.pem r)" EPERM \
	"pod pattern: /lnk/*.pem, its directory a symlink resolved in the container's root (/keys)"
is "$(verdict payments api-0 cg_cgroupfs gp5 containerd -- /bin/probe open /lnk/b.pem r)" EPERM \
	"pod pattern: ... and opened through the symlink"
ln -s /keys/a.key $O/payments/rootfs/tmp/k.sym
ln $O/payments/rootfs/keys/a.key $O/payments/rootfs/data/k.hard
is "$(verdict payments api-0 cg_cgroupfs gp6 containerd -- /bin/probe open /tmp/k.sym r)" EPERM \
	"pod pattern get-around: a symlink into the pattern's directory, denied"
is "$(verdict payments api-0 cg_cgroupfs gp7 containerd -- /bin/probe open /data/k.hard r)" EPERM \
	"pod pattern get-around: a hard link made after the bind, denied (by identity)"
is "$(verdict payments api-0 cg_cgroupfs gp8 containerd -- /bin/probe exec /opt/t/true)" EPERM \
	"pod pattern: [exec] /opt/*/true denied in payments"
is "$(verdict dev web-1 cg_cgroupfs gp9 crio -- /bin/probe exec /opt/t/true)" ok \
	"pod pattern: ... allowed in dev"
is "$(probe open $O/payments/rootfs/keys/a.key r)" ok \
	"pod pattern: a host process outside the containers not governed"

# ---- program conditions in a pod policy: the container's programs ----
is "$(verdict payments api-0 cg_cgroupfs xe1 containerd -- /bin/probe open /data/only r)" EPERM \
	"pod exe: another program may not read /data/only"
is "$(verdict payments api-0 cg_cgroupfs xe2 containerd -- /pr/bin/probe open /data/only r)" ok \
	"pod exe: the program exe names (resolved in the container's root) reads it"
is "$(verdict dev web-1 cg_cgroupfs xe3 crio -- /bin/probe open /data/only r)" ok \
	"pod exe: the same open in dev's container (sibling namespace) allowed"
is "$(verdict payments api-0 cg_cgroupfs xe4 containerd -- /pr/copy/probe open /data/only r)" EPERM \
	"pod exe: a copy of the program does not inherit the allow"
ln $O/payments/rootfs/pr/bin/probe $O/payments/rootfs/pr/link/probe
is "$(verdict payments api-0 cg_cgroupfs xe5 containerd -- /pr/link/probe open /data/only r)" ok \
	"pod exe: a hard link of the program made after the load reads it"
mv $O/payments/rootfs/pr/link/probe $O/payments/rootfs/pr/moved/probe
is "$(verdict payments api-0 cg_cgroupfs xe6 containerd -- /pr/moved/probe open /data/only r)" ok \
	"pod exe: ... renamed, too"
is "$(verdict payments api-0 cg_cgroupfs xe7 containerd -- /pr/sym/probe open /data/only r)" ok \
	"pod exe: a program named by a symlink in the container (absolute, resolved in its root)"
is "$(verdict payments api-0 cg_cgroupfs xe8 containerd -- /pr/dir/probe open /data/dirform r)" EPERM \
	"pod exe DIR/: a program below the named directory denied"
is "$(verdict payments api-0 cg_cgroupfs xe9 containerd -- /bin/probe open /data/dirform r)" ok \
	"pod exe DIR/: ... a program elsewhere not"
is "$(verdict payments api-0 cg_cgroupfs xe10 containerd -- /pr/bin/probe open /keys/a.key r)" ok \
	"pod exe: a pattern's allow for the program beats the pattern's deny"
is "$(verdict payments api-0 cg_cgroupfs xe15 containerd -- /pr/bin/probe open /lnk/a.txt r)" EPERM \
	"pod exe: a rule whose path holds a symlink in the container (/lnk -> /keys): the program denied"
is "$(verdict payments api-0 cg_cgroupfs xe16 containerd -- /bin/probe open /lnk/a.txt r)" ok \
	"pod exe: ... another program not (the resolved path is the program's rule only)"
is "$(verdict payments api-0 cg_cgroupfs xe11 containerd -- /pr/bin/probe exec /bin/sleep 0)" EPERM \
	"pod exec exe: the program exe names may not start /bin/sleep"
is "$(jsonget -m hook=exec -m condition=exe policy rule path < $AUDIT_LOG | tail -n 1)" \
	"$(printf 'payments-baseline\tdeny = /bin/sleep exe /pr/bin/probe\t/bin/sleep')" \
	"pod exec exe: the audit line names the policy, the rule with its condition and the path"
is "$(verdict payments api-0 cg_cgroupfs xe12 containerd -- /pr/bin/probe exec /bin/true)" EPERM \
	"pod exec parent: a child of the program parent names may not start /bin/true"
is "$(jsonget -m hook=exec -m condition=parent policy rule < $AUDIT_LOG | tail -n 1)" \
	"$(printf 'payments-baseline\tdeny = /bin/true parent /pr/bin/probe')" \
	"pod exec parent: the audit line names the policy and the rule with its condition"
is "$(verdict payments api-0 cg_cgroupfs xe13 containerd -- /bin/probe exec /bin/true)" ok \
	"pod exec parent: started by another program, it runs"
is "$(verdict dev web-1 cg_cgroupfs xe14 crio -- /pr/bin/probe exec /bin/true)" ok \
	"pod exec parent: ... and in dev's container (sibling namespace)"
is "$(probe open $O/payments/rootfs/data/only r)" ok \
	"pod exe: a host process outside the containers not governed"
is "$($O/payments/rootfs/pr/bin/probe exec $O/payments/rootfs/bin/sleep 0)" ok \
	"pod exe: ... the container's program run from the host not either"

# ---- network rules in a pod policy ----
# Unix servers outside every policy, before the containers start (their
# identity is taken when a container is bound): a socket file inside each
# root (the container reaches /run/app.sock; its bound name is the host's
# path), and an abstract name (no network namespace: the host's).
for ns in payments dev; do
	netprobe unix-serve $O/$ns/rootfs/run/app.sock stream 600 >/dev/null &
done
netprobe unix-serve @t40-abs stream 600 >/dev/null &
i=0
while [ $i -lt 100 ] && ! { [ -S $O/payments/rootfs/run/app.sock ] && [ -S $O/dev/rootfs/run/app.sock ] &&
	grep -q '@t40-abs' /proc/net/unix; }; do
	sleep 0.1
	i=$((i + 1))
done
ok "pod net: unix servers up" test $i -lt 100
is "$(verdict payments api-0 cg_cgroupfs nb1 containerd -- /bin/netprobe bind-listen 0.0.0.0 4444)" EPERM \
	"pod net: a bind shell on 4444 in payments denied ([bind])"
is "$(verdict payments api-0 cg_cgroupfs nb2 containerd -- /bin/srv bind-listen 0.0.0.0 4444)" ok \
	"pod net: the container's /bin/srv may (exe, resolved in its root)"
is "$(verdict dev web-1 cg_cgroupfs nb3 containerd -- /bin/netprobe bind-listen 0.0.0.0 4444)" ok \
	"pod net: dev's container listens on 4444 (no rule)"
is "$(jsonget -m hook=bind -m op=bind policy port comm < $AUDIT_LOG | sort -u)" \
	"$(printf 'payments-baseline\t4444\tnetprobe')" "pod net: the bind audit line names the policy, port and program"
is "$(verdict payments api-0 cg_cgroupfs nx1 containerd -- /bin/npd connect 127.0.0.1 8441)" EPERM \
	"pod net: connect by the container's /bin/npd denied (exe deny)"
is "$(verdict payments api-0 cg_cgroupfs nx2 containerd -- /bin/netprobe connect 127.0.0.1 8441)" ECONNREFUSED \
	"pod net: the same connect by another program passes"
is "$(verdict dev web-1 cg_cgroupfs nx3 containerd -- /bin/npd connect 127.0.0.1 8441)" ECONNREFUSED \
	"pod net: dev's /bin/npd passes (no rule)"
is "$(verdict payments api-0 cg_cgroupfs nu1 containerd -- /bin/netprobe unix-connect /run/app.sock stream)" EPERM \
	"pod net: payments' /run/app.sock (a host socket in its root) denied by identity"
is "$(jsonget -m family=unix -m op=connect policy path < $AUDIT_LOG | sort -u | head -1)" \
	"$(printf 'payments-baseline\t%s' $O/payments/rootfs/run/app.sock)" \
	"pod net: its audit line names the peer's bound (host) name"
is "$(verdict dev web-1 cg_cgroupfs nu2 containerd -- /bin/netprobe unix-connect /run/app.sock stream)" ok \
	"pod net: dev's /run/app.sock passes (control)"
is "$(verdict payments api-0 cg_cgroupfs nu3 containerd -- /bin/netprobe unix-connect @t40-abs stream)" EPERM \
	"pod net: an abstract name denied in payments"
is "$(verdict dev web-1 cg_cgroupfs nu4 containerd -- /bin/netprobe unix-connect @t40-abs stream)" ok \
	"pod net: the abstract name from dev (control)"

# ---- the container's own process is the first exec: 100 starts ----
good=0
bad=
i=0
nsh() {
	jsonget -m hook=exec -m action=deny -m path=/bin/sh policy < $AUDIT_LOG 2>/dev/null | grep -c .
}
nsh0=$(nsh)
while [ $i -lt 100 ]; do
	i=$((i + 1))
	out=$(run payments api-0 cg_cgroupfs first$i containerd -- /bin/sh -c 'echo RAN')
	case "$out" in
	*RAN*) bad="$bad $i(ran)" ;;
	*rc=0*) bad="$bad $i(rc0)" ;;
	*"Operation not permitted"*|*EPERM*) good=$((good + 1)) ;;
	*) bad="$bad $i(other)"; [ -n "${first_other:-}" ] || first_other=$out ;;
	esac
done
is "$good" 100 "100 starts in a row: the container's /bin/sh denied (EPERM) as its first exec every time"
i=0
while [ "$(nsh)" -lt $((nsh0 + 100)) ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
is "$(($(nsh) - nsh0))" 100 "100 starts: 100 audit lines deny exec of /bin/sh (enforcer denied each)"
[ -z "$bad" ] || diag "failed starts:$bad ${first_other:+first other output: $first_other}"

# ---- paths are the container's ----
# a long-running payments container; a host process joins its cgroup
write_config payments api-0 "$(cg_cgroupfs live1 api-0)" live1 containerd "" -- /bin/sleep 300
if $CRUN run --no-pivot --detach --bundle $O/payments live1 </dev/null >/tmp/crun40.out 2>&1; then
	pass "a long-running payments container starts"
else
	fail "a long-running payments container starts"
	diag "$(cat /tmp/crun40.out)"
fi
CG1=$(cg_cgroupfs live1 api-0)
is "$(in_cg "$CG1" probe open $O/payments/rootfs/etc/secret r)" EPERM \
	"in its cgroup: the container's /etc/secret (seen from the host) denied"
# A process in the container's cgroup is judged by the paths it sees from its
# own root (README: "Paths are matched as the confined process sees them"):
# a host-root process sees the host's /etc/secret under the rule's path.
is "$(in_cg "$CG1" probe open /etc/secret r)" EPERM \
	"in its cgroup, from the host's root: /etc/secret is the rule's path: denied"
is "$(in_cg "$CG1" probe open $O/payments/rootfs/data/target r)" EPERM \
	"rule /etc/alias -> /data/target resolved inside the container's root"
is "$(probe open /data/target r)" ok \
	"... and a host process outside the cgroup opens the host's /data/target"
is "$(probe open $O/payments/rootfs/etc/secret r)" ok \
	"a host process outside the container's cgroup: not governed"
is "$(verdict payments api-0 cg_cgroupfs al1 containerd -- /bin/probe open /etc/alias r)" EPERM \
	"inside a container: open through the symlink denied"
is "$(verdict payments api-0 cg_cgroupfs al2 containerd -- /bin/probe open /data/target r)" EPERM \
	"inside a container: open of the symlink's target denied"

# ---- the pod's sandbox is governed, though no hook ran for it ----
# containerd starts a pod's sandbox (pause) without base_runtime_spec, so
# without the hook.  The first container of the pod binds the pod's cgroup,
# which holds the sandbox too.
write_config payments sb-0 "$(cg_cgroupfs sandbox1 sb-0)" sandbox1 containerd nohook -- /bin/sleep 300
if $CRUN run --no-pivot --detach --bundle $O/payments sandbox1 </dev/null >/tmp/crun40.out 2>&1; then
	pass "a sandbox-like container without the hook starts (pod payments/sb-0)"
else
	fail "a sandbox-like container without the hook starts (pod payments/sb-0)"
	diag "$(cat /tmp/crun40.out)"
fi
SB=$(cg_cgroupfs sandbox1 sb-0)
is "$(in_cg "$SB" probe open $O/payments/rootfs/etc/secret r)" ok \
	"the sandbox before its pod's first container: not governed (no hook ran)"
is "$(verdict payments sb-0 cg_cgroupfs sbapp1 containerd -- /bin/probe open /etc/secret r)" EPERM \
	"the pod's first container: governed"
is "$(in_cg "$SB" probe open $O/payments/rootfs/etc/secret r)" EPERM \
	"the sandbox after its pod's first container was bound: governed (pod cgroup)"
mkdir -p "$CG_ROOT$(cg_cgroupfs nb1 x-0)"
is "$(in_cg "$(cg_cgroupfs nb1 x-0)" probe open $O/payments/rootfs/etc/secret r)" ok \
	"a neighbour pod's cgroup: not governed"
rmdir "$CG_ROOT$(cg_cgroupfs nb1 x-0)" 2>/dev/null

# ---- bindings survive a restart of enforcerd ----
stop_enforcerd
start_enforcerd $P
is "$(in_cg "$CG1" probe open $O/payments/rootfs/etc/secret r)" EPERM \
	"after a restart: the running container still governed"

# ---- fail closed, and fail open when configured ----
# enforcement goes with this stop (pins removed), as with no enforcer on the
# node: the container found below at start-up is governed by discovery alone
# (the start after it loads afresh); the pins of the next start are left
# for the next script again
ADOPT_PINS=
stop_enforcerd
ADOPT_PINS=1
write_config payments api-0 "$(cg_cgroupfs fc1 api-0)" fc1 containerd "--timeout 2" -- /bin/probe exec /bin/sleep 0
out=$($CRUN run --no-pivot --bundle $O/payments fc1 </dev/null 2>&1; echo "rc=$?")
$CRUN delete -f fc1 >/dev/null 2>&1
like "$out" 'rc=[1-9]' "enforcerd down: the container does not start (fail closed)"
if printf '%s\n' "$out" | grep -q '^ok$'; then
	fail "enforcerd down: the container's process never ran"
else
	pass "enforcerd down: the container's process never ran"
fi
# crun does not relay a hook's stderr: ask the hook itself
hout=$(echo '{"ociVersion":"1.0.2","id":"why1","status":"creating","pid":1,"bundle":"'$O/payments'"}' |
	/bin/enforcer-oci-hook --socket /run/enforcer/enforcer.sock --timeout 1 2>&1; echo "rc=$?")
like "$hout" 'enforcerd unreachable' "enforcerd down: the hook says why"
write_config payments api-0 "$(cg_cgroupfs fo1 api-0)" fo1 containerd "--timeout 2 --fail-open" -- /bin/probe exec /bin/sleep 0
out=$($CRUN run --no-pivot --bundle $O/payments fo1 </dev/null 2>&1; echo "rc=$?")
$CRUN delete -f fo1 >/dev/null 2>&1
like "$out" 'rc=0' "enforcerd down, --fail-open: the container starts"
hout=$(echo '{"ociVersion":"1.0.2","id":"why2","status":"creating","pid":1,"bundle":"'$O/payments'"}' |
	/bin/enforcer-oci-hook --socket /run/enforcer/enforcer.sock --timeout 1 --fail-open 2>&1; echo "rc=$?")
like "$hout" 'UNGOVERNED' "enforcerd down, --fail-open: with a warning"

# ---- discovery at start-up: a container started while enforcerd was down ----
write_config payments api-0 "$(cg_cgroupfs disc1 api-0)" disc1 containerd "--timeout 1 --fail-open" -- /bin/sleep 300
$CRUN run --no-pivot --detach --bundle $O/payments disc1 </dev/null >/tmp/crun40.out 2>&1 ||
	diag "crun: $(cat /tmp/crun40.out)"
CG2=$(cg_cgroupfs disc1 api-0)
rm -f /run/enforcer/bindings       # only discovery can find it
is "$(in_cg "$CG2" probe open $O/payments/rootfs/etc/secret r)" ok \
	"started while enforcerd was down: not governed yet"
# what containerd's shim keeps: DIR/<namespace>/<id>/{config.json,init.pid,rootfs}
TD=/run/containerd/io.containerd.runtime.v2.task/k8s.io/disc1
mkdir -p $TD
cp $O/payments/config.json $TD/config.json
ln -s $O/payments/rootfs $TD/rootfs
$CRUN state disc1 2>/dev/null | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p' | head -1 > $TD/init.pid
like "$(cat $TD/init.pid)" '^[0-9]+$' "the container's pid from crun state"
start_enforcerd $P
is "$(in_cg "$CG2" probe open $O/payments/rootfs/etc/secret r)" EPERM \
	"found in containerd's state directory at start-up: governed"
# from the host's root, a process in the cgroup sees the rule's path too
is "$(in_cg "$CG2" probe open /etc/secret r)" EPERM \
	"... the rule's path, judged from the process's own root"

$CRUN kill live1 KILL >/dev/null 2>&1
$CRUN kill disc1 KILL >/dev/null 2>&1
$CRUN kill sandbox1 KILL >/dev/null 2>&1
sleep 0.3
$CRUN delete -f sandbox1 >/dev/null 2>&1
$CRUN delete -f live1 >/dev/null 2>&1
$CRUN delete -f disc1 >/dev/null 2>&1
stop_enforcerd
kill $LPID 2>/dev/null
# shellcheck disable=SC2046
kill $(pidof netprobe) 2>/dev/null
true
