#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 47-vm-faults-6.12.t - guest tests '7*.sh' (faults: map full, policy directory
# gone, cgroup removed while bound, audit disk full, socket path taken; and
# the ASan build of enforcerd) in one boot of Debian's 6.12 cloud kernel.
# Builds the ASan enforcerd first (make asan-daemon) and puts it into the guest.
cd "$(dirname "$0")/.." || exit 1
# (prove -j runs both kernels' wrappers at once: one make at a time)
mkdir -p "${BUILD:-build}"
flock "${BUILD:-build}/.asan-daemon.lock" make -s asan-daemon >&2 || { echo "1..1"; echo "not ok 1 - make asan-daemon failed"; exit 1; }
VM_TIMEOUT=${VM_TIMEOUT:-1500} VM_EXTRA_BINS=enforcerd-asan exec t/vm/group.sh 6.12 '7*.sh'
