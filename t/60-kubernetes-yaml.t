#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 60-kubernetes-yaml.t - issue 7: the kubernetes/ manifests parse (every
# *.yaml as YAML, *.json as JSON, *.toml as TOML), hold what an operator
# needs (the DaemonSet's privileges and host mounts, the hook at the
# createRuntime stage), and the ConfigMap's policies pass `enforcerctl
# check`.  Needs python3 with PyYAML (python3-yaml, `make deps`): fails,
# never skips, without it.
cd "$(dirname "$0")/.." || exit 1
if ! command -v python3 >/dev/null 2>&1; then
	echo "1..1"
	echo "not ok 1 - python3 is installed (make deps)"
	exit 1
fi
exec python3 - <<'PY'
import glob, json, os, subprocess, sys, tempfile

n = 0
failed = 0

def ok(cond, desc, why=None):
    global n, failed
    n += 1
    if not cond:
        failed += 1
    print(("ok" if cond else "not ok") + " %d - %s" % (n, desc))
    if not cond and why:
        for l in str(why).splitlines():
            print("# " + l)
    sys.stdout.flush()
    return cond

try:
    import yaml
    have_yaml = True
    yerr = None
except Exception as e:       # noqa
    have_yaml = False
    yerr = e
ok(have_yaml, "PyYAML importable (Debian: python3-yaml, make deps)", yerr)

docs = {}
for f in sorted(glob.glob("kubernetes/*.yaml") + glob.glob("kubernetes/*.yml")):
    if not have_yaml:
        ok(False, "%s parses as YAML (no PyYAML)" % f)
        continue
    try:
        with open(f) as fh:
            d = [x for x in yaml.safe_load_all(fh) if x is not None]
        good = len(d) > 0 and all(isinstance(x, dict) and "apiVersion" in x and "kind" in x for x in d)
        ok(good, "%s parses as YAML: %d Kubernetes object(s)" % (f, len(d)),
           "every document must be a mapping with apiVersion and kind")
        docs[f] = d
    except Exception as e:
        ok(False, "%s parses as YAML" % f, e)
ok(len(docs) >= 2, "kubernetes/ has the DaemonSet and ConfigMap manifests (%d YAML files parsed)" % len(docs))

jsons = {}
for f in sorted(glob.glob("kubernetes/*.json")):
    try:
        with open(f) as fh:
            jsons[os.path.basename(f)] = json.load(fh)
        ok(True, "%s parses as JSON" % f)
    except Exception as e:
        ok(False, "%s parses as JSON" % f, e)

tomls = sorted(glob.glob("kubernetes/*.toml"))
ok(len(tomls) >= 1, "kubernetes/ has the containerd TOML configuration (%d files)" % len(tomls))
for f in tomls:
    try:
        import tomllib
        with open(f, "rb") as fh:
            tomllib.load(fh)
        ok(True, "%s parses as TOML" % f)
    except Exception as e:
        ok(False, "%s parses as TOML" % f, e)

ok(len(jsons) >= 2, "kubernetes/ has the JSON hook configurations (%d parsed)" % len(jsons))

def objs(kind):
    return [o for d in docs.values() for o in d if o.get("kind") == kind]

# the DaemonSet
ds = objs("DaemonSet")
if ok(len(ds) == 1, "one DaemonSet"):
    spec = ds[0]["spec"]["template"]["spec"]
    ok(spec.get("hostPID") is True, "DaemonSet: hostPID")
    ctrs = [c for c in spec["containers"] if "enforcerd" in " ".join(c.get("command", []))]
    if ok(len(ctrs) == 1, "DaemonSet: runs enforcerd"):
        c = ctrs[0]
        cmd = c["command"]
        ok(c.get("securityContext", {}).get("privileged") is True, "DaemonSet: privileged")
        ok("--watch" in cmd, "DaemonSet: enforcerd --watch")
        ok("--policy-dir" in cmd and cmd[cmd.index("--policy-dir") + 1] == "/etc/enforcer/policies",
           "DaemonSet: --policy-dir /etc/enforcer/policies")
        vols = {v["name"]: v for v in spec["volumes"]}
        mounts = {m["mountPath"]: vols.get(m["name"], {}) for m in c.get("volumeMounts", [])}
        for p in ("/sys/fs/bpf", "/sys/fs/cgroup", "/sys/kernel/security", "/run/enforcer"):
            ok(mounts.get(p, {}).get("hostPath", {}).get("path") == p,
               "DaemonSet: host %s mounted at %s" % (p, p))
        pm = mounts.get("/etc/enforcer/policies", {})
        ok("configMap" in pm, "DaemonSet: policies from a ConfigMap")
        cms = [o["metadata"]["name"] for o in objs("ConfigMap")]
        ok(pm.get("configMap", {}).get("name") in cms, "DaemonSet: its ConfigMap is in kubernetes/",
           "ConfigMaps: %s" % cms)

# the hook configuration
h = jsons.get("crio-hook.json")
if ok(h is not None, "crio-hook.json present"):
    ok(h.get("version") == "1.0.0" and h.get("stages") == ["createRuntime"] and
       h.get("when", {}).get("always") is True and
       h.get("hook", {}).get("path") == "/usr/local/bin/enforcer-oci-hook",
       "crio-hook.json: enforcer-oci-hook at createRuntime, always")
b = jsons.get("containerd-base-spec.json")
if ok(b is not None, "containerd-base-spec.json present"):
    cr = b.get("hooks", {}).get("createRuntime", [])
    ok(any(x.get("path") == "/usr/local/bin/enforcer-oci-hook" for x in cr),
       "containerd-base-spec.json: enforcer-oci-hook in hooks.createRuntime")
ok(os.path.exists("kubernetes/README.md"), "kubernetes/README.md present")

# the ConfigMap's policies compile
ctl = "build/enforcerctl"
ncm_ini = 0
for cm in objs("ConfigMap"):
    for key, text in sorted((cm.get("data") or {}).items()):
        if not key.endswith(".ini"):
            continue
        ncm_ini += 1
        if not os.access(ctl, os.X_OK):
            ok(False, "ConfigMap %s: %s passes enforcerctl check (%s missing: make all)" % (
                cm["metadata"]["name"], key, ctl))
            continue
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, key)
            with open(p, "w") as fh:
                fh.write(text)
            r = subprocess.run([ctl, "check", p], capture_output=True, text=True)
            ok(r.returncode == 0, "ConfigMap %s: %s passes enforcerctl check" % (
                cm["metadata"]["name"], key), r.stdout + r.stderr)

ok(ncm_ini >= 1, "the ConfigMaps hold policies (%d .ini keys checked)" % ncm_ini)

print("1..%d" % n)
sys.exit(1 if failed else 0)
PY
