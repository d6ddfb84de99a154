#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# host-6.12.t - the full real-host groups on Debian's 6.12 kernel, not yet in
# `make check` (make host-vmtest): t/vm/host/[1-4]*.sh in the runs of
# t/64,65 (install, reboot, service) and t/68,69 (.deb, sandboxed units).
# They join the suite once they have passed on both kernels.
cd "$(dirname "$0")/../../.." || exit 1
exec t/vm/host-group.sh 6.12 '[0-2]*.sh'
