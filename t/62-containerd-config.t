#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 62-containerd-config.t - kubernetes/containerd-add-hook.sh on the configs
# nodes really have (t/data/containerd: `containerd config default` of 1.6,
# Debian's shipped file) and on hand-written ones: the result parses as TOML
# with no duplicated table, every runc-type runtime table gets
# base_runtime_spec, what was there (SystemdCgroup, sandbox_image, CNI paths)
# stays, a second run changes nothing, a base spec of the user's own is left
# alone with exit 1, a version 1 file is refused.  When containerd is
# installed, it must accept every result (`containerd config dump`); the
# node test (t/6x-vm-node-*.t) starts containerd on it.
cd "$(dirname "$0")/.." || exit 1
exec python3 - <<'PY'
import os, shutil, subprocess, sys, tempfile, tomllib

n = failed = 0
def ok(cond, desc, why=None):
    global n, failed
    n += 1
    failed += 0 if cond else 1
    print(("ok" if cond else "not ok") + " %d - %s" % (n, desc.replace("\n", "; ")))
    if not cond and why:
        for l in str(why).splitlines():
            print("# " + l)
    sys.stdout.flush()
    return cond

S = os.path.abspath("kubernetes/containerd-add-hook.sh")
SPEC = "/etc/containerd/enforcer-base-spec.json"
have_ctd = shutil.which("containerd") is not None
d = tempfile.mkdtemp()

def run(cfg, *args):
    r = subprocess.run(["sh", S, *args, cfg], capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr

def load(p):
    with open(p, "rb") as f:
        return tomllib.load(f)

def runtimes(t, plugin="io.containerd.grpc.v1.cri"):
    return t.get("plugins", {}).get(plugin, {}).get("containerd", {}).get("runtimes", {})

def dump_ok(p, what):
    if not have_ctd:
        return
    r = subprocess.run(["containerd", "--config", p, "config", "dump"], capture_output=True, text=True)
    ok(r.returncode == 0, "%s: containerd accepts it (config dump)" % what, r.stderr)

# 1. containerd config default, with the edits most cluster guides make
src = open("t/data/containerd/1.6-default.toml").read()
ok("SystemdCgroup = false" in src and 'sandbox_image = "registry.k8s.io/pause:3.6"' in src,
   "fixture: containerd 1.6 config default")
cfg = os.path.join(d, "default.toml")
open(cfg, "w").write(src.replace("SystemdCgroup = false", "SystemdCgroup = true"))
rc, out = run(cfg)
ok(rc == 0, "config default: exit 0", out)
try:
    t = load(cfg)
    ok(True, "config default: the result parses as TOML (no duplicated table)")
except Exception as e:
    t = {}
    ok(False, "config default: the result parses as TOML (no duplicated table)", e)
rt = runtimes(t)
ok(rt.get("runc", {}).get("base_runtime_spec") == SPEC, "config default: runc's base_runtime_spec set", rt.get("runc"))
ok(rt.get("runc", {}).get("options", {}).get("SystemdCgroup") is True, "config default: SystemdCgroup = true kept")
cri = t.get("plugins", {}).get("io.containerd.grpc.v1.cri", {})
ok(cri.get("sandbox_image") == "registry.k8s.io/pause:3.6", "config default: sandbox_image kept")
ok(cri.get("containerd", {}).get("default_runtime", {}).get("base_runtime_spec") == "",
   "config default: the unused default_runtime table untouched")
orig = src.replace("SystemdCgroup = false", "SystemdCgroup = true").splitlines()
new = open(cfg).read().splitlines()
ok(len(new) == len(orig) and sum(a != b for a, b in zip(orig, new)) == 1,
   "config default: exactly one line changed")
ok(os.path.exists(cfg + ".enforcer-backup"), "config default: a backup of the old file")
before = open(cfg).read()
rc, out = run(cfg)
ok(rc == 0 and open(cfg).read() == before and "already set up" in out, "config default: a second run changes nothing", out)
rc, out = run(cfg, "--check")
ok(rc == 0, "config default: --check says it is set up", out)
dump_ok(cfg, "config default")

# 2. what Debian ships: a CRI section without runtime tables
cfg = os.path.join(d, "debian.toml")
shutil.copy("t/data/containerd/debian-12.toml", cfg)
rc, out = run(cfg, "--check")
ok(rc == 1, "Debian's file: --check says it is not set up", out)
rc, out = run(cfg)
ok(rc == 0, "Debian's file: exit 0", out)
t = load(cfg)
rt = runtimes(t)
ok(rt.get("runc", {}).get("base_runtime_spec") == SPEC and rt["runc"].get("runtime_type") == "io.containerd.runc.v2",
   "Debian's file: a runc table appended", rt)
ok(t["plugins"]["io.containerd.grpc.v1.cri"]["cni"]["bin_dir"] == "/usr/lib/cni", "Debian's file: CNI paths kept")
dump_ok(cfg, "Debian's file")

# 3. hand-written: single quotes, two handlers, an empty '' value
cfg = os.path.join(d, "hand.toml")
open(cfg, "w").write("version = 2\n[plugins.'io.containerd.grpc.v1.cri'.containerd.runtimes.runc]\n"
                     "  runtime_type = 'io.containerd.runc.v2'\n"
                     "  [plugins.'io.containerd.grpc.v1.cri'.containerd.runtimes.runc.options]\n"
                     "    SystemdCgroup = true\n"
                     "[plugins.'io.containerd.grpc.v1.cri'.containerd.runtimes.\"crun\"]\n"
                     "  runtime_type = 'io.containerd.runc.v2'\n  base_runtime_spec = ''\n")
rc, out = run(cfg)
t = load(cfg)
rt = runtimes(t)
ok(rc == 0 and rt["runc"]["base_runtime_spec"] == SPEC and rt["crun"]["base_runtime_spec"] == SPEC,
   "hand-written: both runtime handlers set", out + str(rt))
ok(rt["runc"]["options"]["SystemdCgroup"] is True and "base_runtime_spec" not in rt["runc"]["options"],
   "hand-written: the options sub-table untouched")
dump_ok(cfg, "hand-written")

# 4. a base spec of the user's own
cfg = os.path.join(d, "own.toml")
own = 'version = 2\n[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]\n  base_runtime_spec = "/etc/mine.json"\n'
open(cfg, "w").write(own)
rc, out = run(cfg)
ok(rc == 1 and open(cfg).read() == own and "/etc/mine.json" in out and "hooks.createRuntime" in out,
   "own base spec: left alone, exit 1, says what to do (%s)" % out.strip())

# 5. no file, an empty file, a version 1 file, containerd 2 (version 3)
cfg = os.path.join(d, "none.toml")
rc, out = run(cfg)
t = load(cfg) if os.path.exists(cfg) else {}
ok(rc == 0 and t.get("version") == 2 and runtimes(t)["runc"]["base_runtime_spec"] == SPEC,
   "no file: written with version = 2 and a runc table", out)
cfg = os.path.join(d, "v1.toml")
open(cfg, "w").write("[plugins.cri]\n  sandbox_image = 'x'\n")
rc, out = run(cfg)
ok(rc == 1 and "version" in out and open(cfg).read() == "[plugins.cri]\n  sandbox_image = 'x'\n",
   "version 1 file: refused, unchanged (%s)" % out.strip())
cfg = os.path.join(d, "v3.toml")
open(cfg, "w").write('version = 3\n[plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc]\n'
                     '  runtime_type = "io.containerd.runc.v2"\n')
rc, out = run(cfg)
t = load(cfg)
ok(rc == 0 and runtimes(t, "io.containerd.cri.v1.runtime")["runc"]["base_runtime_spec"] == SPEC,
   "version 3 (containerd 2): the cri.v1.runtime plugin's table set", out)
rc, out = run(os.path.join(d, "x.toml"), "--spec", "relative.json")
ok(rc == 2, "--spec must be absolute", out)

# 6. what the old README said (append the fragment) is what breaks containerd
if have_ctd:
    cfg = os.path.join(d, "appended.toml")
    open(cfg, "w").write(src + "\n" + open("kubernetes/containerd-config.toml").read())
    r = subprocess.run(["containerd", "--config", cfg, "config", "dump"], capture_output=True, text=True)
    ok(r.returncode != 0 and "duplicated tables" in r.stderr,
       "appending the fragment to config default: containerd refuses it (why the script exists)", r.stderr)
shutil.rmtree(d)
print("1..%d" % n)
sys.exit(1 if failed else 0)
PY
