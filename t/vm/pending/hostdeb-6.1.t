#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# hostdeb-6.1.t - the Debian package and hardened units under policy on the
# real host, Debian's 6.1 kernel (t/vm/host/3*.sh, 4*.sh); not yet in
# `make check` (make host-vmtest).
cd "$(dirname "$0")/../../.." || exit 1
exec t/vm/host-group.sh 6.1 '3*.sh' '4*.sh'
