#!/bin/sh
# 67-vm-node-6.12.t - a real Kubernetes node (containerd's CRI, enforcerd as a
# pod from kubernetes/daemonset.yaml, pods in both cgroup drivers, enforcerd
# up and down: t/vm/host/50-node.sh) in one boot of the real-host image with
# Debian's 6.12 kernel (t/vm/run-host-vm.sh).  Needs `make host-image image`.
cd "$(dirname "$0")/.." || exit 1
HOST_VM_TIMEOUT=${HOST_VM_TIMEOUT:-1500} exec t/vm/run-host-vm.sh 6.12 50-node.sh
