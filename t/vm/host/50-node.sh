# SPDX-License-Identifier: GPL-2.0-only
# 50-node.sh - a real Kubernetes node in the real-host VM, set up as
# kubernetes/README.md says: containerd 1.6 (Debian's) with its CRI plugin on
# `containerd config default`, driven through the CRI socket by the calls a
# kubelet makes (t/vm/cri/kubelet.py: RunPodSandbox, CreateContainer,
# StartContainer, ExecSync), with both cgroup drivers (runtime handlers runc
# = cgroupfs and runc-systemd = systemd).  Images come offline: the enforcer
# image from `make image` (build/enforcer-image.tar), a pause image and a
# busybox image packed here by enforcer/image/oci-layout.sh, all loaded with
# `ctr -n k8s.io image import`.  enforcerd runs AS A POD from the DaemonSet's
# own pod template (kubernetes/daemonset.yaml: privileged, hostPID, its host
# mounts) with the ConfigMap's policies (kubernetes/configmap.yaml), its
# init container installs the hook; then containerd-add-hook.sh sets the
# base spec.  Asserted: namespace payments has its container's first
# command (/bin/sh) denied and a later exec of a shell denied, the pod's
# sandbox governed, namespace dev untouched; with enforcerd down, `ctr run`
# (no CRI: no hook) runs at once, enforcer's own pod starts, a payments pod
# does not (fail closed after the hook's timeout) and a pod of the fail-open
# namespace monitoring (--fail-open-namespace in the base spec's hook args,
# as the README's Availability says) starts after it; once enforcerd is back
# the payments pod is governed from its first instruction and the monitoring
# pod is bound by enforcerd's start-up discovery.  enforcerd starts twice
# (once, then again after it was down): its readiness is polled with a
# cheap ping on the host socket (an ExecSync every 0.2 s would take the
# guest's one CPU from enforcerd's BPF verification), then checked through
# the CRI as the README's step 5 says.
# guest-timeout: 1800
set -u
S=$HT_SRC
N=/tmp/node
mkdir -p $N /tmp/cri
export PYTHONPATH=/tmp/cri
CTR="ctr -n k8s.io"
BUSYBOX=localhost/busybox:test

# j JSON KEY [KEY2]: a field of a JSON object (KEY2: a field of that field);
# empty when missing or null (jsonget: static, no python start-up per call)
j() {
	if [ $# -ge 3 ]; then
		printf '%s\n' "$1" | $VMBIN/jsonget "$2" 2>/dev/null | $VMBIN/jsonget "$3" 2>/dev/null
	else
		printf '%s\n' "$1" | $VMBIN/jsonget "$2" 2>/dev/null
	fi | sed 's/^(missing)$//; s/^null$//'
}
# K ARGS...: one t/vm/cri/kubelet.py command (its stdout, stderr and exit
# code), run by one `kubelet.py serve` for the whole script (python and
# grpc start once, not at each of the ~80 calls); kube_start starts it
kube_start() {
	coproc KUBELET { exec python3 "$S/t/vm/cri/kubelet.py" serve 2>/tmp/kubelet.err; }
}
K() {
	local _a= _x _r
	for _x in "$@"; do
		_x=${_x//\\/\\\\}
		_x=${_x//\"/\\\"}
		_a="$_a${_a:+,}\"$_x\""
	done
	printf '[%s]\n' "$_a" >&"${KUBELET[1]}"
	if ! IFS= read -r _r <&"${KUBELET[0]}"; then
		echo "kubelet.py serve is gone: $(cat /tmp/kubelet.err)" >&2
		return 125
	fi
	printf '%s\n' "$_r" | $VMBIN/jsonget out | head -c -1
	printf '%s\n' "$_r" | $VMBIN/jsonget err | head -c -1 >&2
	return "$(printf '%s\n' "$_r" | $VMBIN/jsonget rc)"
}
uuid() { cat /proc/sys/kernel/random/uuid; }
cri_up() { K version >/dev/null 2>&1; }
T0=$(date +%s)
# tick WHAT: how long the script took so far (a slow CI machine shows where)
tick() { diag "$(( $(date +%s) - T0 )) s: $*"; }

# ---- what the node test needs ----
if ! python3 -c 'import grpc, google.protobuf, yaml' 2>/tmp/node.err || ! command -v protoc >/dev/null; then
	fail "python3-grpcio, python3-protobuf, python3-yaml and protoc are in the image (t/vm/host-image.packages)"
	diag "$(cat /tmp/node.err)"
	return 0
fi
protoc -I $S/t/vm/cri --python_out=/tmp/cri $S/t/vm/cri/cri-subset.proto
kube_start
if [ ! -s $S/build/enforcer-image.tar ]; then
	fail "build/enforcer-image.tar exists (make image)"
	return 0
fi
python3 - "$S" $N <<'PY'
import json, sys, yaml
src, out = sys.argv[1], sys.argv[2]
for f, kind, name in (("daemonset.yaml", "DaemonSet", "ds"), ("configmap.yaml", "ConfigMap", "cm")):
    docs = [d for d in yaml.safe_load_all(open(src + "/kubernetes/" + f)) if d and d.get("kind") == kind]
    doc = docs[0]
    if kind == "ConfigMap":
        # the test's own policy for the fail-open namespace monitoring (the
        # ConfigMap's policies unchanged): start-up discovery binds its pods
        doc["data"]["node-test-monitoring.ini"] = (
            "[policy]\nname = node-test-monitoring\nnamespace = monitoring\nmode = enforce\n"
            "[exec]\ndefault = allow\ndeny = /bin/sh\n")
    json.dump(doc, open("%s/%s.json" % (out, name), "w"))
PY
DS_IMAGE=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["spec"]["template"]["spec"]["containers"][0]["image"])' $N/ds.json)

# pod_json FILE CMD...: a pod of one busybox container "app" running CMD
pod_json() {
	_f=$1
	shift
	_c=
	for _x in "$@"; do
		_c="$_c${_c:+,}\"$_x\""
	done
	printf '{"kind":"Pod","spec":{"containers":[{"name":"app","image":"%s","command":[%s]}]}}\n' "$BUSYBOX" "$_c" > "$_f"
}

# ---- containerd as cluster guides install it, CNI, two cgroup drivers ----
mkdir -p /etc/containerd /etc/cni/net.d /opt/cni
containerd config default > /etc/containerd/config.toml
cat >> /etc/containerd/config.toml <<'EOF'

# the node test: a second runtime handler for the systemd cgroup driver
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc-systemd]
  runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc-systemd.options]
    SystemdCgroup = true
EOF
[ -e /opt/cni/bin ] || ln -s /usr/lib/cni /opt/cni/bin
cat > /etc/cni/net.d/10-node-test.conflist <<'EOF'
{"cniVersion": "0.4.0", "name": "node-test",
 "plugins": [{"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false,
              "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.88.0.0/16"}]]}}]}
EOF
systemctl start containerd
wait_for 60 cri_up
like "$(K version 2>&1)" '^containerd 1\.6\.' "containerd's CRI plugin answers on its socket (Version)"

tick "containerd up"
# ---- images, offline ----
rm -rf $N/pause-root $N/bb-root
mkdir -p $N/pause-root $N/bb-root/bin $N/bb-root/etc $N/bb-root/tmp
cp $S/build/vm-bin/pause $N/pause-root/pause
sh $S/enforcer/image/oci-layout.sh $N/pause.tar registry.k8s.io/pause:3.6 $N/pause-root --entrypoint /pause >/dev/null
# /bin/sh, /bin/sleep and /bin/chroot are copies of their own (inodes of
# their own), so that denying the shells (payments denies /bin/ash, a
# busybox link) denies nothing else; a few other applets as links
bb=$(command -v busybox)
for f in busybox sh sleep chroot; do cp "$bb" $N/bb-root/bin/$f; done
for a in ash cat echo false id ls mount true umount; do ln -s busybox $N/bb-root/bin/$a; done
printf 'root:x:0:0:root:/:/bin/sh\n' > $N/bb-root/etc/passwd
sh $S/enforcer/image/oci-layout.sh $N/busybox.tar $BUSYBOX $N/bb-root >/dev/null
$CTR image import $S/build/enforcer-image.tar >/tmp/node.err 2>&1 || diag "import: $(cat /tmp/node.err)"
for t in $N/pause.tar $N/busybox.tar; do
	$CTR image import "$t" >/tmp/node.err 2>&1 || diag "import $t: $(cat /tmp/node.err)"
done
imgs=$($CTR image ls -q 2>&1)
for i in "$DS_IMAGE" registry.k8s.io/pause:3.6 $BUSYBOX; do
	like "$imgs" "^$i\$" "image $i loaded with ctr -n k8s.io image import (no registry)"
done

tick "images loaded"
# ---- README step 3: enforcerd as the DaemonSet runs it ----
# start_enforcerd_pod NAME: run the DaemonSet's pod template; sets EPOD, ECID
start_enforcerd_pod() {
	_out=$(K run-pod $N/ds.json --namespace enforcer-system --name "$1" --uid "$(uuid)" \
		--driver systemd --configmap $N/cm.json 2>&1)
	EPOD=$(j "$_out" sandbox)
	ECID=$(j "$_out" containers enforcerd)
	EOUT=$_out
}
# enforcerd_up: enforcerd answers on the host's socket (cheap: no runtime
# exec); enforcerd_wait SECS: poll it until enforcerd's container exits
# or SECS pass, then `enforcerctl status` in the pod through the CRI
enforcerd_up() { $S/build/enforcerctl --timeout 2 ping >/dev/null 2>&1; }
ecid_exited() { exited "$ECID"; }
enforcerd_wait() {
	local _end=$(( $(date +%s) + $1 ))
	while ! enforcerd_up && [ "$(date +%s)" -lt "$_end" ]; do
		if ecid_exited; then
			diag "enforcerd's container exited: $(K status "$ECID")"
			break
		fi
		sleep 1
	done
	wait_for 30 estatus
}
estatus() { K exec "$ECID" -- /usr/local/sbin/enforcerctl status >/tmp/node.status 2>&1; }
exited() { [ "$(j "$(K status "$1")" state)" = CONTAINER_EXITED ]; }
elog() { tail -n 20 /var/log/pods/enforcer-system_"$1"_*/enforcerd/0.log 2>/dev/null; }
t0=$(date +%s)
start_enforcerd_pod enforcerd-node1
if [ -n "$ECID" ] && [ -z "$(j "$EOUT" error)" ]; then
	pass "enforcerd's pod (daemonset.yaml's template: init container, then enforcerd) started through the CRI"
else
	fail "enforcerd's pod (daemonset.yaml's template: init container, then enforcerd) started through the CRI"
	diag "$EOUT"
fi
ok "its init container installed the hook on the node (/usr/local/bin/enforcer-oci-hook)" \
	test -x /usr/local/bin/enforcer-oci-hook

tick "enforcerd's pod started"
# ---- README step 4: containerd runs the hook (while enforcerd loads) ----
install -m 0644 $S/kubernetes/containerd-base-spec.json /etc/containerd/enforcer-base-spec.json
# and as the README's Availability says: the hook's args in the base spec
# name a fail-open namespace (monitoring)
python3 - /etc/containerd/enforcer-base-spec.json <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
spec["hooks"]["createRuntime"][0]["args"] += ["--fail-open-namespace", "monitoring"]
json.dump(spec, open(sys.argv[1], "w"), indent=2)
PY
out=$(sh $S/kubernetes/containerd-add-hook.sh /etc/containerd/config.toml 2>&1)
is "$?" 0 "containerd-add-hook.sh on containerd config default (plus a runc-systemd handler): exit 0"
[ -z "$out" ] || diag "$out"
is "$(grep -c 'base_runtime_spec = "/etc/containerd/enforcer-base-spec.json"' /etc/containerd/config.toml)" 2 \
	"... base_runtime_spec set for both runtime handlers"
systemctl restart containerd
wait_for 60 cri_up
is "$(systemctl is-active containerd)" active "containerd restarts on the edited config"
is "$(j "$(K status "$ECID")" state)" CONTAINER_RUNNING "enforcerd's pod still runs after containerd's restart"

tick "containerd restarted with the hook"
# ---- README step 5: check ----
enforcerd_wait 400
st=$(cat /tmp/node.status)
like "$st" 'payments-baseline' "enforcerctl status in the pod (kubectl exec ds/enforcerd -- enforcerctl status): the ConfigMap's policies loaded ($(( $(date +%s) - t0 )) s)"
[ -n "$st" ] || diag "enforcerd's log: $(elog enforcerd-node1)"
ok "the control socket is on the host (/run/enforcer/enforcer.sock: hostPath mount)" test -S /run/enforcer/enforcer.sock
ok "pinned enforcement on the host's bpffs (/sys/fs/bpf/enforcer: Bidirectional mount)" test -d /sys/fs/bpf/enforcer/links
is "$(K exec "$ECID" -- cat /proc/1/comm 2>&1)" systemd "enforcerd sees the host's processes (hostPID: its PID 1 is systemd)"

tick "enforcerd's pod up"
# ---- pods in both cgroup drivers ----
pod_json $N/sh.json /bin/sh -c 'echo RAN; exec sleep 1000'
pod_json $N/sleep.json /bin/sleep 1000
PODS=
# runpod NS NAME DRIVER SPEC: prints the kubelet's JSON line
runpod() {
	_o=$(K run-pod "$4" --namespace "$1" --name "$2" --uid "$(uuid)" --driver "$3" 2>&1)
	_s=$(j "$_o" sandbox)
	[ -z "$_s" ] || PODS="$PODS $_s"
	printf '%s' "$_o"
}
# the audit lines enforcerd wrote (--audit-log -: its pod's log, CRI format)
audit_lines() { cat /var/log/pods/enforcer-system_enforcerd-node*_*/enforcerd/*.log 2>/dev/null | sed -n 's/^[^ ]* std[a-z]* [FP] \({.*"action":.*}\)$/\1/p'; }
# exec_denied_in CID: policies of the audit lines denying /bin/sh in CID's cgroup
exec_denied_in() { audit_lines | $VMBIN/jsonget -m hook=exec -m action=deny -m path=/bin/sh policy cgroup 2>&1 | grep -F "$1" | cut -f1 | sort -u; }
# first_denied JSON NS NAME: the pod's container "app" never ran its first
# command: its exec failed with EPERM, reported by the runtime either as
# StartContainer's error or (runc execs after StartContainer returned) in
# the container's log ("exec /bin/sh: operation not permitted"), and it
# exited non-zero without output
first_denied() {
	_e=$(j "$1" error)
	if [ -n "$_e" ]; then
		printf '%s' "$_e" | grep -q 'operation not permitted' && return 0
		diag "start failed otherwise: $_e"
		return 1
	fi
	_c=$(j "$1" containers app)
	wait_for 20 exited "$_c"
	_st=$(K status "$_c")
	_log=$(cat /var/log/pods/"$2"_"$3"_*/app/0.log 2>/dev/null)
	if [ "$(j "$_st" state)" = CONTAINER_EXITED ] && [ "$(j "$_st" exit_code)" != 0 ] &&
		! printf '%s' "$_log" | grep -q RAN &&
		printf '%s' "$_log" | grep -q 'exec /bin/sh: operation not permitted'; then
		return 0
	fi
	diag "the container ran or failed otherwise: $_st; log: $_log"
	return 1
}
# cgroup of a container's (or sandbox's) init process, from containerd's state
cg_of() {
	_p=$(cat /run/containerd/io.containerd.runtime.v2.task/k8s.io/"$1"/init.pid 2>/dev/null)
	sed -n 's/^0:://p' /proc/"$_p"/cgroup 2>/dev/null
}
for drv in cgroupfs systemd; do
	o=$(runpod payments api-sh-$drv $drv $N/sh.json)
	ok "$drv: payments: the container's first command (/bin/sh) denied with EPERM, it never ran" first_denied "$o" payments api-sh-$drv
	is "$(exec_denied_in "$(j "$o" containers app)")" payments-baseline \
		"$drv: ... its audit line: exec of /bin/sh denied by payments-baseline in the container's cgroup"
	o=$(runpod payments api-$drv $drv $N/sleep.json)
	PCID=$(j "$o" containers app)
	PSB=$(j "$o" sandbox)
	is "$(j "$o" error)" "" "$drv: payments: a pod running /bin/sleep starts"
	if [ $drv = cgroupfs ]; then
		like "$(cg_of "$PCID")" "^/kubepods/besteffort/pod[0-9a-f-]+/$PCID\$" "$drv: its cgroup is the kubelet's cgroupfs layout"
	else
		like "$(cg_of "$PCID")" "^/kubepods\.slice/kubepods-besteffort\.slice/kubepods-besteffort-pod[0-9a-f_]+\.slice/cri-containerd-$PCID\.scope\$" \
			"$drv: its cgroup is the kubelet's systemd layout"
	fi
	out=$(K exec "$PCID" -- /bin/sh -c 'echo RAN' 2>&1)
	rc=$?
	if [ $rc != 0 ] && ! printf '%s' "$out" | grep -q RAN && printf '%s' "$out" | grep -q 'operation not permitted'; then
		pass "$drv: payments: a later exec of /bin/sh in the running container denied with EPERM (rc $rc)"
	else
		fail "$drv: payments: a later exec of /bin/sh in the running container denied with EPERM"
		diag "rc $rc: $out"
	fi
	is "$(audit_lines | $VMBIN/jsonget -m hook=exec -m action=deny -m path=/bin/sh -m cgroup="$(cg_of "$PCID")" policy rule 2>&1 | sort -u)" \
		"$(printf 'payments-baseline\tdeny = /bin/sh')" "$drv: ... its audit line (enforcerd's pod log): policy, rule, the container's cgroup"
	# pod policies confine privileges: containerd gives containers CAP_SYS_CHROOT
	# and CAP_NET_RAW, the policy's built-in set denies them after setup
	out=$(K exec "$PCID" -- /bin/chroot / /bin/sleep 0 2>&1)
	rc=$?
	if [ $rc != 0 ] && printf '%s' "$out" | grep -q 'Operation not permitted'; then
		pass "$drv: payments: chroot in the container fails with EPERM (CAP_SYS_CHROOT denied by the pod policy)"
	else
		fail "$drv: payments: chroot in the container fails with EPERM (CAP_SYS_CHROOT denied by the pod policy)"
		diag "rc $rc: $out"
	fi
	is "$(audit_lines | $VMBIN/jsonget -m hook=capability -m op=chroot -m cgroup="$(cg_of "$PCID")" policy capability 2>&1 | sort -u)" \
		"$(printf 'payments-baseline\tCAP_SYS_CHROOT')" "$drv: ... its audit line names the policy and the capability"
	is "$(K exec "$PCID" -- /bin/sleep 0 >/dev/null 2>&1; echo $?)" 0 "$drv: payments: exec of /bin/sleep allowed (only the shell is denied)"
	SBCG=$(cg_of "$PSB")
	like "$SBCG" 'pod' "$drv: the pod's sandbox (pause) runs in the pod's cgroup"
	is "$(in_cg "$SBCG" "$VMBIN/probe" exec /bin/sh)" EPERM \
		"$drv: a process in the pod's sandbox cgroup: exec of /bin/sh denied (no hook ran for the sandbox; bound at the pod's cgroup)"
	o=$(runpod dev web-$drv $drv $N/sh.json)
	DCID=$(j "$o" containers app)
	is "$(j "$o" error)" "" "$drv: dev (no policy): the same /bin/sh pod starts (its first command runs)"
	is "$(K exec "$DCID" -- /bin/sh -c 'echo RAN' 2>&1)" RAN "$drv: dev: exec of /bin/sh allowed"
	is "$(K exec "$DCID" -- /bin/chroot / /bin/sleep 0 2>&1; echo rc=$?)" rc=0 "$drv: dev: chroot in the container works (control)"
	is "$(in_cg "$(cg_of "$(j "$o" sandbox)")" "$VMBIN/probe" exec /bin/sh)" ok \
		"$drv: dev: its sandbox cgroup not governed"
done
tick "pods in both drivers"
estatus
like "$(cat /tmp/node.status)" 'kubepods' "enforcerctl status lists the bound pod cgroups"

# ---- enforcerd down: no deadlock, explicit availability ----
K rm-pod "$EPOD" >/tmp/node.err 2>&1 || diag "rm-pod: $(cat /tmp/node.err)"
gone() { ! pgrep -x enforcerd >/dev/null; }
wait_for 30 gone
ok "enforcerd's pod stopped (enforcerd is down)" gone
# denied_sh CID: an exec of /bin/sh in CID fails with EPERM and never runs
denied_sh() {
	local _o
	_o=$(K exec "$1" -- /bin/sh -c 'echo RAN' 2>&1)
	if ! printf '%s' "$_o" | grep -q RAN && printf '%s' "$_o" | grep -q 'operation not permitted'; then
		return 0
	fi
	diag "exec of /bin/sh in $1: $_o"
	return 1
}
ok "enforcerd down: the running payments pod stays governed (pinned enforcement: exec of /bin/sh EPERM)" denied_sh "$PCID"
tick "enforcerd down"
# outside the CRI: ctr run gets no base spec, so no hook (a hook would fail
# closed now: a container without pod annotations, enforcerd unreachable)
t0=$(date +%s)
out=$($CTR run --rm $BUSYBOX ctr-run-1 /bin/sh -c 'echo RAN' 2>&1)
is "$out" RAN "ctr run (no CRI, no base spec, no hook, no pod) runs /bin/sh while enforcerd is down: not governed by pod policies (README threat model; $(( $(date +%s) - t0 )) s)"
t0=$(date +%s)
o=$(runpod payments api-down systemd $N/sleep.json)
dt=$(( $(date +%s) - t0 ))
like "$(j "$o" step)" '^StartContainer app$' "enforcerd down: a payments pod does not start (fail closed)"
like "$(j "$o" error)" 'enforcerd unreachable' "... the runtime reports the hook's message (enforcerd unreachable)"
[ "$dt" -ge 5 ] && pass "... after the hook waited its --timeout (5 s; took $dt s)" || fail "... after the hook waited its --timeout (took $dt s)"
t0=$(date +%s)
o=$(runpod monitoring mon-down cgroupfs $N/sleep.json)
dt=$(( $(date +%s) - t0 ))
MCID=$(j "$o" containers app)
is "$(j "$o" error)" "" "enforcerd down: a pod of the fail-open namespace monitoring (--fail-open-namespace) starts"
[ "$dt" -ge 5 ] && pass "... after the hook waited its --timeout (5 s; took $dt s)" || fail "... after the hook waited its --timeout (took $dt s)"
is "$(K exec "$MCID" -- /bin/sh -c 'echo RAN' 2>&1)" RAN "... ungoverned while enforcerd is down (its policy denies /bin/sh: exec runs)"
t0=$(date +%s)
start_enforcerd_pod enforcerd-node2
dt=$(( $(date +%s) - t0 ))
if [ -n "$ECID" ] && [ -z "$(j "$EOUT" error)" ]; then
	pass "enforcerd down: enforcer's own pod starts (namespace enforcer-system always starts; $dt s)"
else
	fail "enforcerd down: enforcer's own pod starts (namespace enforcer-system always starts)"
	diag "$EOUT"
fi
tick "enforcer's pod started again"
t0=$(date +%s)
enforcerd_wait 400
st=$(cat /tmp/node.status)
like "$st" 'payments-baseline' "the new enforcerd is up ($(( $(date +%s) - t0 )) s)"
like "$st" '"adopted": *true' "... it adopted the pinned enforcement"
[ -n "$st" ] || diag "enforcerd's log: $(elog enforcerd-node2)"
o=$(runpod payments api-sh-back cgroupfs $N/sh.json)
ok "enforcerd back: a payments pod is governed from its first instruction (/bin/sh denied with EPERM)" \
	first_denied "$o" payments api-sh-back
ok "enforcerd back: a later exec of /bin/sh in the running payments pod denied" denied_sh "$PCID"
ok "enforcerd back: the monitoring pod that started while it was down is bound by start-up discovery (exec of /bin/sh EPERM)" \
	denied_sh "$MCID"

tick "enforcerd back"
for p in $PODS "$EPOD"; do
	K rm-pod "$p" >/dev/null 2>&1
done
systemctl stop containerd
eval "exec ${KUBELET[1]}>&-"
wait "$KUBELET_PID" 2>/dev/null
tick "done"
true
