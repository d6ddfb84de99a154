#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 43-license.t - issue 13: the license is stated once and the same
# everywhere.  LICENSE is the GPL version 2 text; the built BPF objects
# declare "GPL" to the kernel (their license section); every tracked source
# file (C, headers, shell, tests, make and Python files) carries an SPDX
# header naming GPL-2.0 in its first lines; debian/copyright and the README
# name GPL-2.0-only.  Fails (never skips) when the BPF objects were not
# built: run `make all`.
cd "$(dirname "$0")/.." || exit 1

n=0
failed=0
pass() { n=$((n + 1)); echo "ok $n - $*"; }
fail() { n=$((n + 1)); failed=1; echo "not ok $n - $*"; }
diag() { printf '%s\n' "$*" | sed 's/^/# /'; }
check() { _d=$1; shift; if "$@"; then pass "$_d"; else fail "$_d"; fi; }

check "LICENSE is the GNU GPL version 2" \
	sh -c 'head -n 3 LICENSE | grep -q "GNU GENERAL PUBLIC LICENSE" &&
		head -n 3 LICENSE | grep -q "Version 2, June 1991"'
check "LICENSE is the whole text (ends with the appendix)" grep -q 'Lesser General' LICENSE

# The license the kernel sees: the "license" section of each built object.
nobj=0
for o in build/enforcer.bpf.o build/empty.bpf.o; do
	nobj=$((nobj + 1))
	lic=$(readelf -p license "$o" 2>/dev/null | sed -n 's/^ *\[ *0\] *//p')
	check "$o declares license \"GPL\" to the kernel (got '$lic')" [ "$lic" = GPL ]
done

# SPDX headers: every tracked source file, in its first 3 lines.
if git rev-parse --git-dir >/dev/null 2>&1; then
	files=$(git ls-files | grep -E '(\.(c|h|sh|t|mk|py)|(^|/)Makefile)$')
else
	files=$(find . -path ./build -prune -o -type f \
		\( -name '*.[ch]' -o -name '*.sh' -o -name '*.t' -o -name '*.mk' -o -name '*.py' \
		-o -name Makefile \) -print | sed 's|^\./||')
fi
missing=
nfiles=0
for f in $files; do
	[ -f "$f" ] || continue
	nfiles=$((nfiles + 1))
	head -n 3 "$f" | grep -qE 'SPDX-License-Identifier: GPL-2\.0(-only)?( |\*|$)' ||
		missing="$missing $f"
done
check "every source file ($nfiles) has an SPDX GPL-2.0 header" [ -z "$missing" ] && [ "$nfiles" -gt 100 ]
[ -z "$missing" ] || diag "without one:$missing"

check "debian/copyright: GPL-2.0-only" grep -qx 'License: GPL-2.0-only' debian/copyright
check "README names GPL-2.0-only and LICENSE" grep -q 'GPL-2.0-only, \[LICENSE\](LICENSE)' README.md

echo "1..$n"
exit $failed
