#!/bin/sh
# 64-vm-host-6.1.t - real-host tests: Debian bookworm with systemd as PID 1 and
# Debian's 6.1 kernel and initrd (t/vm/run-host-vm.sh, image: make host-image);
# guest scripts t/vm/host/[0-3]*.sh, installed and run as an admin would.
exec "$(dirname "$0")/vm/host-group.sh" 6.1 '[0-3]*.sh'
