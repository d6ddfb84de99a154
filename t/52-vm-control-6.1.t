#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 52-vm-control-6.1.t - guest tests '20-*.sh 21-*.sh 22-*.sh 24-*.sh 25-*.sh 26-*.sh 27-*.sh 28-*.sh 29-*.sh' in one boot of Debian's 6.1 cloud kernel
# with the bpf LSM on (t/vm/group.sh, t/vm/run-vm.sh).
VM_TIMEOUT=${VM_TIMEOUT:-1500} exec "$(dirname "$0")/vm/group.sh" 6.1 '20-*.sh' '21-*.sh' '22-*.sh' '24-*.sh' '25-*.sh' '26-*.sh' '27-*.sh' '28-*.sh' '29-*.sh'
