#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# node-6.12.t - a real Kubernetes node (issue 14) in one boot of the
# real-host image with Debian's 6.12 kernel: containerd's CRI driven like a
# kubelet (t/vm/cri/kubelet.py), enforcerd as a pod from
# kubernetes/daemonset.yaml, pods in both cgroup drivers, enforcerd up and
# down, pod policies confining privileges (t/vm/host/5*.sh).  Not in `make
# check` (make host-vmtest): at main 5192c95 the check of enforcerd's pod
# (`enforcerctl status` through the CRI) did not pass within 18 min on
# either kernel; it passed 55/55 on both at c393b24.
cd "$(dirname "$0")/../../.." || exit 1
HOST_VM_TIMEOUT=${HOST_VM_TIMEOUT:-2400} exec t/vm/host-group.sh 6.12 '5*.sh'
