#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""kubelet.py - the part of a kubelet the node test needs: it runs a
Kubernetes Pod spec (a DaemonSet's pod template as written in
kubernetes/daemonset.yaml, or a test pod) on containerd through the CRI
socket, with the calls and fields a kubelet uses: RunPodSandbox (pod cgroup
parent for the cgroupfs or the systemd driver, host PID/network/IPC,
privileged), init containers run to completion in order, then
CreateContainer + StartContainer for each container (command, args, env,
hostPath/configMap/emptyDir volumes with readOnly and mountPropagation,
privileged, allowPrivilegeEscalation), ExecSync, ContainerStatus,
StopPodSandbox/RemovePodSandbox.

  kubelet.py [--sock PATH] run-pod POD.json --namespace NS --name NAME --uid UID
             [--driver cgroupfs|systemd] [--configmap CM.json]... [--plan]
      POD.json: a Pod, a DaemonSet (its pod template) or a bare PodSpec, as
      JSON.  Prints one JSON line: {"sandbox": ID, "containers": {NAME: ID},
      "cgroup_parent": ...}; on a failure {"error": "...", "step": "...",
      ...} and exit 1.  --plan prints the CRI requests instead of sending
      them (no socket needed).
  kubelet.py exec CID [--timeout S] -- CMD...   ExecSync: the command's
      stdout and stderr, exit with its exit code (126 when the runtime
      could not exec it, with the runtime's error on stderr)
  kubelet.py status CID        ContainerStatus as JSON
  kubelet.py rm-pod SANDBOX    StopPodSandbox + RemovePodSandbox
  kubelet.py version           the runtime's name and version
  kubelet.py serve             one command per line on stdin (a JSON array:
      the arguments of one of the commands above), one JSON line per
      command on stdout: {"rc": N, "out": STDOUT, "err": STDERR}; one
      process and one channel for a whole test (python and grpc start once)

Needs python3-grpcio, python3-protobuf and cri_subset_pb2.py (protoc
--python_out of cri-subset.proto) in PYTHONPATH or next to this file.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import cri_subset_pb2 as pb
except ImportError:   # noqa
    pb = None

SVC = "/runtime.v1.RuntimeService/"
METHODS = {
    "Version": ("VersionRequest", "VersionResponse"),
    "RunPodSandbox": ("RunPodSandboxRequest", "RunPodSandboxResponse"),
    "StopPodSandbox": ("StopPodSandboxRequest", "StopPodSandboxResponse"),
    "RemovePodSandbox": ("RemovePodSandboxRequest", "RemovePodSandboxResponse"),
    "CreateContainer": ("CreateContainerRequest", "CreateContainerResponse"),
    "StartContainer": ("StartContainerRequest", "StartContainerResponse"),
    "StopContainer": ("StopContainerRequest", "StopContainerResponse"),
    "RemoveContainer": ("RemoveContainerRequest", "RemoveContainerResponse"),
    "ContainerStatus": ("ContainerStatusRequest", "ContainerStatusResponse"),
    "ExecSync": ("ExecSyncRequest", "ExecSyncResponse"),
}
PROPAGATION = {None: "PROPAGATION_PRIVATE", "None": "PROPAGATION_PRIVATE",
               "HostToContainer": "PROPAGATION_HOST_TO_CONTAINER",
               "Bidirectional": "PROPAGATION_BIDIRECTIONAL"}
KUBELET_ROOT = "/var/lib/kubelet"


class CRI:
    """The runtime service over the CRI socket; with plan=True the requests
    are recorded (as dicts) instead of sent."""

    def __init__(self, sock, plan=False):
        self.plan = plan
        self.sent = []
        if not plan:
            import grpc
            self.grpc = grpc
            self.ch = grpc.insecure_channel("unix://" + sock)
            CHANNELS.append(self.ch)

    def call(self, method, deadline=120, **fields):
        req_t, resp_t = METHODS[method]
        self.sent.append({"method": method, "request": fields})
        if self.plan:
            return None
        req = getattr(pb, req_t)(**fields)
        stub = self.ch.unary_unary(SVC + method, request_serializer=type(req).SerializeToString,
                                   response_deserializer=getattr(pb, resp_t).FromString)
        return stub(req, timeout=deadline)


def pod_spec(doc):
    """The PodSpec of a Pod, a DaemonSet/Deployment (template) or a bare spec."""
    if doc.get("kind") in ("DaemonSet", "Deployment", "StatefulSet", "ReplicaSet", "Job"):
        return doc["spec"]["template"]["spec"], doc["spec"]["template"].get("metadata", {})
    if doc.get("kind") == "Pod":
        return doc["spec"], doc.get("metadata", {})
    return doc, {}


def qos(spec):
    """The pod's QoS class, as the kubelet computes it (enough of it)."""
    ctrs = spec.get("containers", []) + spec.get("initContainers", [])
    any_res = any(c.get("resources", {}).get("requests") or c.get("resources", {}).get("limits") for c in ctrs)
    if not any_res:
        return "besteffort"
    guaranteed = all(
        c.get("resources", {}).get("limits", {}).get(r) and
        c.get("resources", {}).get("limits", {}).get(r) == c.get("resources", {}).get("requests", {}).get(r,
                                                                                                        c["resources"]["limits"][r])
        for c in ctrs for r in ("cpu", "memory"))
    return "guaranteed" if guaranteed else "burstable"


def cgroup_parent(driver, q, uid):
    """The pod's cgroup as the kubelet names it for its cgroup driver."""
    if driver == "systemd":
        u = uid.replace("-", "_")
        if q == "guaranteed":
            return "/kubepods.slice/kubepods-pod%s.slice" % u
        return "/kubepods.slice/kubepods-%s.slice/kubepods-%s-pod%s.slice" % (q, q, u)
    if q == "guaranteed":
        return "/kubepods/pod%s" % uid
    return "/kubepods/%s/pod%s" % (q, uid)


def volumes(spec, uid, configmaps, plan):
    """volume name -> host directory (made as the kubelet would)."""
    out = {}
    for v in spec.get("volumes", []):
        name = v["name"]
        if "hostPath" in v:
            hp = v["hostPath"]
            t = hp.get("type", "")
            if not plan:
                if t == "DirectoryOrCreate":
                    os.makedirs(hp["path"], exist_ok=True)
                elif t == "Directory" and not os.path.isdir(hp["path"]):
                    raise RuntimeError("hostPath %s: %s is not a directory" % (name, hp["path"]))
            out[name] = hp["path"]
        elif "configMap" in v:
            cm = configmaps.get(v["configMap"]["name"])
            if cm is None:
                raise RuntimeError("configMap %s not given (--configmap)" % v["configMap"]["name"])
            d = "%s/pods/%s/volumes/kubernetes.io~configmap/%s" % (KUBELET_ROOT, uid, name)
            if not plan:
                os.makedirs(d, exist_ok=True)
                for k, text in (cm.get("data") or {}).items():
                    with open(os.path.join(d, k), "w") as f:
                        f.write(text)
            out[name] = d
        elif "emptyDir" in v:
            d = "%s/pods/%s/volumes/kubernetes.io~empty-dir/%s" % (KUBELET_ROOT, uid, name)
            if not plan:
                os.makedirs(d, exist_ok=True)
            out[name] = d
        else:
            raise RuntimeError("volume %s: only hostPath, configMap and emptyDir are supported" % name)
    return out


def ns_options(spec, container_level):
    return {
        "network": "NODE" if spec.get("hostNetwork") else "POD",
        "pid": "NODE" if spec.get("hostPID") else ("POD" if spec.get("shareProcessNamespace") or not container_level
                                                   else "CONTAINER"),
        "ipc": "NODE" if spec.get("hostIPC") else "POD",
    }


def container_config(c, spec, vols, sandbox_cfg, meta):
    sc = c.get("securityContext", {})
    mounts = []
    for m in c.get("volumeMounts", []):
        if m["name"] not in vols:
            raise RuntimeError("container %s: volumeMount %s names no volume" % (c["name"], m["name"]))
        mounts.append({"container_path": m["mountPath"], "host_path": vols[m["name"]],
                       "readonly": bool(m.get("readOnly")),
                       "propagation": PROPAGATION[m.get("mountPropagation")]})
    lsc = {"privileged": bool(sc.get("privileged")),
           "namespace_options": ns_options(spec, True),
           "readonly_rootfs": bool(sc.get("readOnlyRootFilesystem")),
           "no_new_privs": sc.get("allowPrivilegeEscalation") is False}
    caps = sc.get("capabilities", {})
    if caps:
        lsc["capabilities"] = {"add_capabilities": ["CAP_" + x for x in caps.get("add", [])],
                               "drop_capabilities": ["CAP_" + x for x in caps.get("drop", [])]}
    return {
        "metadata": {"name": c["name"], "attempt": 0},
        "image": {"image": c["image"]},
        "command": c.get("command", []),
        "args": c.get("args", []),
        "working_dir": c.get("workingDir", ""),
        "envs": [{"key": e["name"], "value": str(e.get("value", ""))} for e in c.get("env", [])],
        "mounts": mounts,
        "labels": {"io.kubernetes.container.name": c["name"],
                   "io.kubernetes.pod.name": meta["name"], "io.kubernetes.pod.namespace": meta["namespace"],
                   "io.kubernetes.pod.uid": meta["uid"]},
        "annotations": {"io.kubernetes.container.restartCount": "0"},
        "log_path": "%s/0.log" % c["name"],
        "linux": {"security_context": lsc},
    }


def run_pod(cri, doc, ns, name, uid, driver, configmaps, handler):
    spec, tmeta = pod_spec(doc)
    meta = {"name": name, "namespace": ns, "uid": uid}
    q = qos(spec)
    parent = cgroup_parent(driver, q, uid)
    vols = volumes(spec, uid, configmaps, cri.plan)
    privileged = any(c.get("securityContext", {}).get("privileged")
                     for c in spec.get("containers", []) + spec.get("initContainers", []))
    logdir = "/var/log/pods/%s_%s_%s" % (ns, name, uid)
    if not cri.plan:
        for c in spec.get("initContainers", []) + spec.get("containers", []):
            os.makedirs(os.path.join(logdir, c["name"]), exist_ok=True)
    sandbox_cfg = {
        "metadata": {"name": name, "uid": uid, "namespace": ns, "attempt": 0},
        "hostname": "" if spec.get("hostNetwork") else name,
        "log_directory": logdir,
        "labels": dict(tmeta.get("labels", {}), **{"io.kubernetes.pod.name": name,
                                                    "io.kubernetes.pod.namespace": ns,
                                                    "io.kubernetes.pod.uid": uid}),
        "annotations": dict(tmeta.get("annotations", {})),
        "linux": {"cgroup_parent": parent,
                  "security_context": {"namespace_options": ns_options(spec, False),
                                       "privileged": bool(privileged)}},
    }
    res = {"sandbox": None, "containers": {}, "cgroup_parent": parent, "qos": q}
    step = "RunPodSandbox"
    try:
        r = cri.call("RunPodSandbox", config=sandbox_cfg, runtime_handler=handler)
        sid = r.pod_sandbox_id if r else "plan-sandbox"
        res["sandbox"] = sid
        for kind in ("initContainers", "containers"):
            for c in spec.get(kind, []):
                step = "CreateContainer %s" % c["name"]
                cc = container_config(c, spec, vols, sandbox_cfg, meta)
                r = cri.call("CreateContainer", pod_sandbox_id=sid, config=cc, sandbox_config=sandbox_cfg)
                cid = r.container_id if r else "plan-" + c["name"]
                res["containers"][c["name"]] = cid
                step = "StartContainer %s" % c["name"]
                cri.call("StartContainer", container_id=cid)
                if kind == "initContainers" and not cri.plan:
                    step = "init container %s" % c["name"]
                    st = wait_exit(cri, cid, 120)
                    if st.state != pb.CONTAINER_EXITED or st.exit_code != 0:
                        raise RuntimeError("init container %s: state %s exit %d: %s %s" % (
                            c["name"], pb.ContainerState.Name(st.state), st.exit_code, st.reason, st.message))
    except Exception as e:   # noqa: a failed step is the result
        res["error"] = grpc_msg(e)
        res["step"] = step
    if cri.plan:
        res["requests"] = cri.sent
    return res


def grpc_msg(e):
    d = getattr(e, "details", None)
    return d() if callable(d) else str(e)


def wait_exit(cri, cid, secs):
    end = time.time() + secs
    while True:
        st = cri.call("ContainerStatus", container_id=cid).status
        if st.state == pb.CONTAINER_EXITED or time.time() > end:
            return st
        time.sleep(0.2)


def main(argv):
    sock = "/run/containerd/containerd.sock"
    if argv[:1] == ["--sock"]:
        sock, argv = argv[1], argv[2:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[0], argv[1:]
    if cmd == "run-pod":
        opts = {"--namespace": None, "--name": None, "--uid": None, "--driver": "cgroupfs",
                "--handler": None}
        cms = {}
        plan = False
        path = None
        i = 0
        while i < len(args):
            a = args[i]
            if a == "--plan":
                plan = True
                i += 1
            elif a == "--configmap":
                with open(args[i + 1]) as f:
                    cm = json.load(f)
                cms[cm["metadata"]["name"]] = cm
                i += 2
            elif a in opts:
                opts[a] = args[i + 1]
                i += 2
            elif path is None:
                path = a
                i += 1
            else:
                print("kubelet.py: unexpected %s" % a, file=sys.stderr)
                return 2
        if not path or not all(opts[k] for k in ("--namespace", "--name", "--uid")):
            print("kubelet.py run-pod POD.json --namespace NS --name NAME --uid UID", file=sys.stderr)
            return 2
        if opts["--driver"] not in ("cgroupfs", "systemd"):
            print("kubelet.py: --driver cgroupfs or systemd", file=sys.stderr)
            return 2
        with open(path) as f:
            doc = json.load(f)
        handler = opts["--handler"] if opts["--handler"] is not None else \
            ("runc-systemd" if opts["--driver"] == "systemd" else "runc")
        cri = CRI(sock, plan)
        try:
            res = run_pod(cri, doc, opts["--namespace"], opts["--name"], opts["--uid"], opts["--driver"], cms,
                          handler)
        except RuntimeError as e:
            res = {"error": str(e), "step": "pod spec"}
        print(json.dumps(res, sort_keys=True))
        return 1 if "error" in res else 0
    cri = CRI(sock)
    if cmd == "exec":
        timeout = 30
        if args[:1] == ["--timeout"]:
            timeout, args = int(args[1]), args[2:]
        cid, rest = args[0], args[1:]
        if rest[:1] == ["--"]:
            rest = rest[1:]
        try:
            r = cri.call("ExecSync", deadline=timeout + 30, container_id=cid, cmd=rest, timeout=timeout)
        except Exception as e:   # noqa: the runtime could not exec it
            print(grpc_msg(e), file=sys.stderr)
            return 126
        sys.stdout.write(r.stdout.decode(errors="replace"))
        sys.stderr.write(r.stderr.decode(errors="replace"))
        return r.exit_code
    if cmd == "status":
        try:
            st = cri.call("ContainerStatus", container_id=args[0]).status
        except Exception as e:   # noqa
            print(json.dumps({"error": grpc_msg(e)}))
            return 1
        print(json.dumps({"id": st.id, "state": pb.ContainerState.Name(st.state), "exit_code": st.exit_code,
                          "reason": st.reason, "message": st.message}))
        return 0
    if cmd == "rm-pod":
        try:
            cri.call("StopPodSandbox", pod_sandbox_id=args[0])
            cri.call("RemovePodSandbox", pod_sandbox_id=args[0])
        except Exception as e:   # noqa
            print(grpc_msg(e), file=sys.stderr)
            return 1
        return 0
    if cmd == "version":
        r = cri.call("Version", version="v1")
        print(r.runtime_name, r.runtime_version, r.runtime_api_version)
        return 0
    print("kubelet.py: unknown command %s" % cmd, file=sys.stderr)
    return 2


def serve(prefix):
    """Run commands read from stdin, one JSON array a line, in this process."""
    import io
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        out, err = io.StringIO(), io.StringIO()
        real = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = out, err
        try:
            rc = main(prefix + json.loads(line))
        except Exception as e:   # noqa: a broken command is its result
            print("kubelet.py: %s" % e, file=sys.stderr)
            rc = 2
        finally:
            sys.stdout, sys.stderr = real
            while CHANNELS:
                CHANNELS.pop().close()
        print(json.dumps({"rc": rc, "out": out.getvalue(), "err": err.getvalue()}), flush=True)
    return 0


CHANNELS = []   # this command's channels (closed after it, in serve mode)


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        sys.exit(serve([]))
    if sys.argv[1:2] == ["--sock"] and sys.argv[3:4] == ["serve"]:
        sys.exit(serve(sys.argv[1:3]))
    sys.exit(main(sys.argv[1:]))
