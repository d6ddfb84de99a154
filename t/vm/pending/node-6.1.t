#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# node-6.1.t - a real Kubernetes node (containerd's CRI driven like a kubelet,
# enforcerd as a pod from kubernetes/daemonset.yaml, pods in both cgroup
# drivers, enforcerd up and down: t/vm/host/5*.sh) in one boot of the
# real-host image with Debian's 6.1 kernel (make host-vmtest).  Not yet in
# `make check`: about 30 minutes a boot under TCG on 2 loaded cores.
cd "$(dirname "$0")/../../.." || exit 1
HOST_VM_TIMEOUT=${HOST_VM_TIMEOUT:-3000} exec t/vm/host-group.sh 6.1 '5*.sh'
