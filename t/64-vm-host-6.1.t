#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 64-vm-host-6.1.t - the real host on Debian's 6.1 kernel and initrd: Debian
# bookworm with systemd as PID 1 (t/vm/run-host-vm.sh, image: make
# host-image).  Boot 1: the smoke, the .deb, hardened units under policy,
# the package removed, `make install`; boot 2 (a real reboot): boot
# ordering, reload, restart and kill -9 under load, the journal.
cd "$(dirname "$0")/.." || exit 1
exec t/vm/host-group.sh 6.1 '0*.sh' '3*.sh' '4*.sh' '1*.sh' '2*.sh'
