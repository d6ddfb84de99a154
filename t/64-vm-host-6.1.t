#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 64-vm-host-6.1.t - real-host smoke test: Debian bookworm with systemd as PID 1
# and Debian's 6.1 kernel and initrd (t/vm/run-host-vm.sh, image: make
# host-image): t/vm/host/0*.sh.  The full real-host run (make
# host-vmtest, t/vm/pending/host-6.1.t) joins this once it passes.
exec "$(dirname "$0")/vm/host-group.sh" 6.1 '0*.sh'
