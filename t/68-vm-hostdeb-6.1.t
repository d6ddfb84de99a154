#!/bin/sh
# 68-vm-hostdeb-6.1.t - the Debian package on the real host (Debian bookworm,
# systemd, Debian's 6.1 kernel): install the .deb from 'make deb'
# (t/vm/host/30-deb.sh), hardened units under policy (40-sandbox.sh),
# removal and purge (45-deb-remove.sh); one boot.
exec "$(dirname "$0")/vm/host-group.sh" 6.1 '3*.sh' '4*.sh'
