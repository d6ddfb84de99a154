#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 67-vm-node-6.12.t - a real Kubernetes node (issue 14) in one boot of the
# real-host image with Debian's 6.12 kernel: containerd's CRI driven like a
# kubelet (t/vm/cri/kubelet.py), enforcerd as a pod from
# kubernetes/daemonset.yaml, pods in both cgroup drivers, enforcerd up and
# down (fail closed, enforcer's own namespace, a fail-open namespace), pod
# policies confining privileges (t/vm/host/5*.sh).  About 9 to 12 minutes
# under TCG on a loaded 2-core machine: make check starts it first.
cd "$(dirname "$0")/.." || exit 1
HOST_VM_TIMEOUT=${HOST_VM_TIMEOUT:-2400} exec t/vm/host-group.sh 6.12 '5*.sh'
