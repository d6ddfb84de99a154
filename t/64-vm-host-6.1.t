#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 64-vm-host-6.1.t - the real host (issue 13): Debian bookworm with systemd as
# PID 1 and Debian's 6.1 kernel and initrd (t/vm/run-host-vm.sh, image: make
# host-image), one VM run of two boots.  Boot 1: the smoke (0*.sh), the
# .deb installed, hardened units under policy and the package removed
# (3*.sh, 4*.sh), then `make install` as the README says (1*.sh), which
# reboots; boot 2: boot ordering, reload, restart and kill -9 under load,
# the journal (2*.sh).  t/vm/host/5*.sh (node) is not part of it.
exec "$(dirname "$0")/vm/host-group.sh" 6.1 '0*.sh' '3*.sh' '4*.sh' '1*.sh' '2*.sh'
