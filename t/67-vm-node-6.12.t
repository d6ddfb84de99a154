#!/bin/sh
# 67-vm-node-6.12.t - a real Kubernetes node (containerd's CRI driven like a
# kubelet, enforcerd as a pod from kubernetes/daemonset.yaml, pods in both
# cgroup drivers, enforcerd up and down: t/vm/host/5*.sh) in one boot of the
# real-host image with Debian's 6.12 kernel.  Needs `make host-image all image`.
HOST_VM_TIMEOUT=${HOST_VM_TIMEOUT:-1500} exec "$(dirname "$0")/vm/host-group.sh" 6.12 '5*.sh'
