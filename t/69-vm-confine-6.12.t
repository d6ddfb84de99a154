#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 69-vm-confine-6.12.t - guest tests '8*.sh' (confinement that holds: deep
# cgroups and walks, stopping enforcerd, map churn, the verdict cache) and
# the attacker trials '9*.sh' in
# one boot of Debian's 6.12 cloud kernel with the bpf LSM on (t/vm/group.sh, t/vm/run-vm.sh).
VM_TIMEOUT=${VM_TIMEOUT:-1500} exec "$(dirname "$0")/vm/group.sh" 6.12 '8*.sh' '9*.sh'
