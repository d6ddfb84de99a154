#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# host-6.12.t - the full real-host run on Debian's 6.12 kernel (make
# host-vmtest): boot 1 the smoke,
# the .deb, hardened units under policy, the package removed, `make
# install`; boot 2 boot ordering, reload, restart and kill -9 under load,
# the journal.  Joins `make check` (t/65-vm-host-6.12.t) once it has passed
# on 6.12.
cd "$(dirname "$0")/../../.." || exit 1
exec t/vm/host-group.sh 6.12 '0*.sh' '3*.sh' '4*.sh' '1*.sh' '2*.sh'
