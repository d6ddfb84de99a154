#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 51-vm-core-6.12.t - guest tests '0*.sh 1*.sh' in one boot of Debian's 6.12 cloud kernel
# with the bpf LSM on (t/vm/group.sh, t/vm/run-vm.sh).
exec "$(dirname "$0")/vm/group.sh" 6.12 '0*.sh' '1*.sh' 
