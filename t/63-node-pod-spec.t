#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 63-node-pod-spec.t - the node test (t/vm/host/50-node.sh) starts enforcerd
# from kubernetes/daemonset.yaml's own pod template through its small
# kubelet (t/vm/cri/kubelet.py); here, without a VM, the CRI requests that
# kubelet builds from the manifest (--plan) are checked against the
# manifest: privileged sandbox and containers, host PID, every volumeMount
# with its host path, readOnly and mountPropagation, the init container
# before enforcerd, the image; and the node test really uses the manifest
# and the ConfigMap.  A mount or privilege changed in the manifest changes
# what the node test runs; a kubelet that drops one fails here.
cd "$(dirname "$0")/.." || exit 1
exec python3 - <<'PY'
import json, os, subprocess, sys, tempfile
n = failed = 0
def ok(cond, desc, why=None):
    global n, failed
    n += 1
    failed += 0 if cond else 1
    print(("ok" if cond else "not ok") + " %d - %s" % (n, desc))
    if not cond and why:
        for l in str(why).splitlines():
            print("# " + l)
    return cond

try:
    import yaml
except ImportError as e:
    ok(False, "PyYAML importable (python3-yaml, make deps)", e)
    print("1..%d" % n)
    sys.exit(1)
ds = [d for d in yaml.safe_load_all(open("kubernetes/daemonset.yaml")) if d and d.get("kind") == "DaemonSet"][0]
cm = [d for d in yaml.safe_load_all(open("kubernetes/configmap.yaml")) if d and d.get("kind") == "ConfigMap"][0]
spec = ds["spec"]["template"]["spec"]
d = tempfile.mkdtemp()
json.dump(ds, open(d + "/ds.json", "w"))
json.dump(cm, open(d + "/cm.json", "w"))
r = subprocess.run([sys.executable, "t/vm/cri/kubelet.py", "run-pod", d + "/ds.json", "--namespace", "enforcer-system",
                    "--name", "enforcerd-x", "--uid", "0b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "--driver", "systemd",
                    "--configmap", d + "/cm.json", "--plan"], capture_output=True, text=True)
try:
    plan = json.loads(r.stdout)
except ValueError:
    plan = {}
ok(r.returncode == 0 and "requests" in plan, "kubelet.py --plan runs the DaemonSet's pod template", r.stdout + r.stderr)
reqs = plan.get("requests", [])
methods = [q["method"] for q in reqs]
names = [c["name"] for c in spec.get("initContainers", [])] + [c["name"] for c in spec["containers"]]
want = ["RunPodSandbox"] + sum([["CreateContainer", "StartContainer"] for _ in names], [])
ok(methods == want, "CRI calls: RunPodSandbox, then Create+Start for %s in order" % ", ".join(names), methods)
sb = reqs[0]["request"]["config"] if reqs else {}
ok(sb.get("linux", {}).get("security_context", {}).get("privileged") is True, "sandbox: privileged")
ok(sb.get("linux", {}).get("security_context", {}).get("namespace_options", {}).get("pid") == "NODE",
   "sandbox: host PID (hostPID: true)")
ok(sb.get("metadata", {}).get("namespace") == "enforcer-system" == ds["metadata"]["namespace"],
   "sandbox: the DaemonSet's namespace (enforcer-system, the hook's system namespace)")
vols = {v["name"]: v for v in spec["volumes"]}
creates = [q["request"]["config"] for q in reqs if q["method"] == "CreateContainer"]
for c, cc in zip(spec.get("initContainers", []) + spec["containers"], creates):
    lsc = cc["linux"]["security_context"]
    ok(lsc["privileged"] == bool(c.get("securityContext", {}).get("privileged")) and lsc["privileged"],
       "%s: privileged, as the manifest says" % c["name"])
    ok(lsc["namespace_options"]["pid"] == "NODE", "%s: host PID" % c["name"])
    ok(cc["image"]["image"] == c["image"], "%s: image %s" % (c["name"], c["image"]))
    ok(cc["command"] == c.get("command", []) and cc["args"] == c.get("args", []), "%s: command and args" % c["name"])
    got = {m["container_path"]: m for m in cc["mounts"]}
    ok(len(got) == len(c.get("volumeMounts", [])), "%s: %d mounts, one per volumeMount" % (c["name"], len(got)))
    for m in c.get("volumeMounts", []):
        g = got.get(m["mountPath"], {})
        v = vols[m["name"]]
        prop = {None: "PROPAGATION_PRIVATE", "HostToContainer": "PROPAGATION_HOST_TO_CONTAINER",
                "Bidirectional": "PROPAGATION_BIDIRECTIONAL"}[m.get("mountPropagation")]
        if "hostPath" in v:
            hp_ok = g.get("host_path") == v["hostPath"]["path"]
        else:
            hp_ok = "kubernetes.io~configmap" in g.get("host_path", "")
        ok(hp_ok and g.get("readonly") == bool(m.get("readOnly")) and g.get("propagation") == prop,
           "%s: %s from %s (readOnly %s, %s)" % (c["name"], m["mountPath"],
                                                 v.get("hostPath", {}).get("path", "configMap " + m["name"]),
                                                 bool(m.get("readOnly")), prop), g)
# what enforcerd needs of the host, whatever the kubelet does: the manifest itself
ed = [c for c in spec["containers"] if c["name"] == "enforcerd"][0]
paths = {m["mountPath"]: vols[m["name"]].get("hostPath", {}).get("path") for m in ed["volumeMounts"]}
for p in ("/sys/fs/bpf", "/sys/fs/cgroup", "/sys/kernel/security", "/run/enforcer", "/run/containerd"):
    ok(paths.get(p) == p, "manifest: enforcerd mounts the host's %s" % p)
bpf = [m for m in ed["volumeMounts"] if m["mountPath"] == "/sys/fs/bpf"][0]
ok(bpf.get("mountPropagation") == "Bidirectional", "manifest: /sys/fs/bpf Bidirectional (pins outlive the pod)")
import re
mk = re.search(r"^IMAGE\s*\?=\s*(\S+)", open("enforcer/image/image.mk").read(), re.M)
ok(mk and all(c["image"] == mk.group(1) for c in spec.get("initContainers", []) + spec["containers"]),
   "manifest: the image `make image` builds (%s)" % (mk.group(1) if mk else "?"))
# the init container's script runs in the image's root (busybox applets)
init = spec.get("initContainers", [{}])[0]
if os.geteuid() != 0:
    print("ok %d # SKIP chroot into the image root needs root" % (n + 1))
    n += 1
    try:   # make check counts and lists skips
        if os.environ.get("ENFORCER_SKIP_LOG"):
            with open(os.environ["ENFORCER_SKIP_LOG"], "a") as f:
                f.write("t/63-node-pod-spec.t: chroot into the image root needs root\n")
    except OSError:
        pass
else:
    r = tempfile.mkdtemp()
    b = subprocess.run(["sh", "enforcer/image/enforcer-rootfs.sh", "build", r + "/root"], capture_output=True, text=True)
    if ok(b.returncode == 0, "enforcer-rootfs.sh builds the image's root", b.stdout + b.stderr):
        for dd in ("host/usr/local/bin", "host/etc/containers/oci/hooks.d"):
            os.makedirs(r + "/root/" + dd)
        x = subprocess.run(["chroot", r + "/root"] + init["command"], capture_output=True, text=True)
        ok(x.returncode == 0 and os.access(r + "/root/host/usr/local/bin/enforcer-oci-hook", os.X_OK) and
           os.path.exists(r + "/root/host/etc/containers/oci/hooks.d/enforcer.json"),
           "the init container's command runs in the image and installs the hook and CRI-O's hook file",
           x.stdout + x.stderr)
    subprocess.run(["rm", "-rf", r])
# the node test runs these files, not a copy
t = open("t/vm/host/50-node.sh").read()
ok("kubernetes/\" + f" in t or "daemonset.yaml" in t, "the node test reads kubernetes/daemonset.yaml")
ok("configmap.yaml" in t and "--configmap" in t, "the node test mounts kubernetes/configmap.yaml's policies")
ok("containerd-add-hook.sh" in t and "containerd config default" in t,
   "the node test installs the hook with containerd-add-hook.sh onto containerd config default")
# kubernetes/README.md's node commands (steps 1, 4 and 5) are the ones the
# node test runs ($S/ is the source tree there, $CTR is ctr -n k8s.io)
tn = t.replace("$S/", "").replace("$CTR ", "ctr -n k8s.io ")
rd = open("kubernetes/README.md").read()
cmds = [l.strip() for l in rd.splitlines() if l.startswith("    ") and
        l.strip().startswith(("ctr ", "install ", "sh kubernetes/", "systemctl restart"))]
ok(len(cmds) >= 4, "kubernetes/README.md: the node's commands found (%d)" % len(cmds), cmds)
for c in cmds:
    ok(c in tn, "the node test runs kubernetes/README.md's `%s`" % c)
chk = [l.strip() for l in rd.splitlines() if l.startswith("    kubectl") and "exec ds/enforcerd --" in l]
for c in chk:
    cmd = c.split("exec ds/enforcerd --", 1)[1].split("#")[0].strip()
    ok(('K exec "$ECID" -- /usr/local/sbin/' + cmd) in t,
       "the node test runs README step 5's `%s` in enforcerd's pod through the CRI" % cmd)
ok(len(chk) == 1, "kubernetes/README.md: one check through kubectl exec ds/enforcerd")
print("1..%d" % n)
sys.exit(1 if failed else 0)
PY
