#!/bin/sh
# 51-vm-6.12.t - every guest test script (t/vm/guest/*.sh) in one boot of
# Debian's 6.12 cloud kernel with the bpf LSM on (see t/vm/run-vm.sh).
cd "$(dirname "$0")/.." || exit 1
exec t/vm/run-vm.sh 6.12
