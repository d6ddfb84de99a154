#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# containerd-add-hook.sh - make containerd's CRI plugin start every container
# from enforcer's base OCI spec (containerd-base-spec.json: containerd's own
# default spec plus hooks.createRuntime = enforcer-oci-hook), by setting
# base_runtime_spec in each runtime handler's table of config.toml.
#
#   containerd-add-hook.sh [--spec PATH] [--check] [CONFIG]
#
# CONFIG defaults to /etc/containerd/config.toml; PATH to
# /etc/containerd/enforcer-base-spec.json.  Works on what `containerd config
# default` writes, on Debian's shipped config and on hand-written ones:
#   - every [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.NAME]
#     table (config version 2; "io.containerd.cri.v1.runtime" in version 3)
#     gets base_runtime_spec = PATH, replacing an empty value;
#   - when there is no such table, a runc table is appended;
#   - a base_runtime_spec of your own is left alone and reported (add the
#     hook to that spec instead), exit 1.
# Why not an `imports` drop-in: containerd merges an imported file plugin by
# plugin, replacing the whole CRI section, so a drop-in holding only
# base_runtime_spec silently drops SystemdCgroup, sandbox_image and the CNI
# paths of the main file (measured on containerd 1.6.20).
# The result is checked with `containerd --config NEW config dump` when
# containerd is installed; the old file is kept as CONFIG.enforcer-backup.
# Running it twice changes nothing.  --check: say whether CONFIG is set up,
# change nothing (exit 0 when it is).  Restart containerd afterwards.
set -eu

spec=/etc/containerd/enforcer-base-spec.json
check=
while [ $# -gt 0 ]; do
	case $1 in
	--spec) spec=$2; shift 2 ;;
	--check) check=1; shift ;;
	-h|--help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "containerd-add-hook: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
cfg=${1:-/etc/containerd/config.toml}
case $spec in
/*) ;;
*) echo "containerd-add-hook: --spec must be an absolute path" >&2; exit 2 ;;
esac
case $spec in
*'"'*|*'\'*) echo "containerd-add-hook: --spec must not contain quotes or backslashes" >&2; exit 2 ;;
esac

if [ ! -e "$cfg" ]; then
	[ -z "$check" ] || { echo "containerd-add-hook: $cfg does not exist"; exit 1; }
	: > "$cfg.enforcer-new"
else
	cp "$cfg" "$cfg.enforcer-new"
fi
new=$cfg.enforcer-new
trap 'rm -f "$new" "$new.tmp"' EXIT

# The config version: a top-level `version = N` before the first table.
# containerd reads a file without one as version 1 (plugin "cri"), which
# this script does not edit.
ver=$(awk '/^[ \t]*\[/ { exit } /^[ \t]*version[ \t]*=/ { sub(/.*=[ \t]*/, ""); sub(/[ \t#].*/, ""); print; exit }' "$new")
if [ -z "$ver" ] && [ -s "$new" ] && grep -q '^[ \t]*[^# \t]' "$new"; then
	echo "containerd-add-hook: $cfg has no 'version = 2' line: containerd reads it as a version 1" \
		"config; write one with 'containerd config default' (version 2) first" >&2
	exit 1
fi
case ${ver:-2} in
2) plugin=io.containerd.grpc.v1.cri ;;
3) plugin=io.containerd.cri.v1.runtime ;;
*) echo "containerd-add-hook: config version $ver is not supported (2 or 3)" >&2; exit 1 ;;
esac
[ -n "$ver" ] || { printf 'version = 2\n' > "$new.tmp"; cat "$new" >> "$new.tmp"; mv "$new.tmp" "$new"; }

# Two passes over the file: the first finds each runtime table's current
# base_runtime_spec, the second writes it.  A header is normalised (spaces
# dropped, single quotes made double) before it is compared.
awk -v plugin="$plugin" -v spec="$spec" -v report=/dev/stderr '
function norm(h) { gsub(/[ \t]/, "", h); gsub(/\047/, "\"", h); return h }
function runtime_table(h,    p, rest) {
	p = "[plugins.\"" plugin "\".containerd.runtimes."
	if (substr(h, 1, length(p)) != p || substr(h, length(h)) != "]" || substr(h, 1, 2) == "[[")
		return ""
	rest = substr(h, length(p) + 1, length(h) - length(p) - 1)
	if (rest ~ /^"[^"]+"$/ || rest ~ /^[A-Za-z0-9_-]+$/)
		return rest
	return ""
}
FNR == NR {
	if ($0 ~ /^[ \t]*\[/) { cur = runtime_table(norm($0)); if (cur != "") seen[cur] = 1; next }
	if (cur != "" && $0 ~ /^[ \t]*base_runtime_spec[ \t]*=/) {
		v = $0; sub(/^[^=]*=[ \t]*/, "", v); sub(/[ \t]*(#.*)?$/, "", v)
		val[cur] = v
	}
	next
}
FNR == 1 { cur = "" }
{
	if ($0 ~ /^[ \t]*\[/) {
		cur = runtime_table(norm($0))
		print
		if (cur != "" && (val[cur] == "" || val[cur] == "\"\"" || val[cur] == "\047\047" ||
				  val[cur] == "\"" spec "\"" || val[cur] == "\047" spec "\047")) {
			ind = $0; sub(/[^ \t].*/, "", ind)
			print ind "  base_runtime_spec = \"" spec "\""
			done[cur] = 1
		} else if (cur != "") {
			print "containerd-add-hook: runtime " cur " already has base_runtime_spec = " val[cur] \
			      ": add enforcer-oci-hook to hooks.createRuntime of that spec" > report
			own = 1
		}
		next
	}
	if (cur != "" && done[cur] && $0 ~ /^[ \t]*base_runtime_spec[ \t]*=/)
		next
	print
}
END {
	n = 0
	for (r in seen) n++
	if (n == 0) {
		print ""
		print "# enforcer: every container the CRI plugin creates runs enforcer-oci-hook"
		print "[plugins.\"" plugin "\".containerd.runtimes.runc]"
		print "  runtime_type = \"io.containerd.runc.v2\""
		print "  base_runtime_spec = \"" spec "\""
	}
	exit own ? 3 : 0
}' "$new" "$new" > "$new.tmp" || rc=$?
rc=${rc:-0}
[ "$rc" = 0 ] || [ "$rc" = 3 ] || { echo "containerd-add-hook: cannot edit $cfg" >&2; exit 1; }
mv "$new.tmp" "$new"

if [ -n "$check" ]; then
	if [ -e "$cfg" ] && cmp -s "$cfg" "$new" && [ "$rc" = 0 ]; then
		echo "containerd-add-hook: $cfg starts every CRI container from $spec"
		exit 0
	fi
	echo "containerd-add-hook: $cfg is not set up (run without --check)"
	exit 1
fi
if command -v containerd >/dev/null 2>&1; then
	if ! out=$(containerd --config "$new" config dump 2>&1 >/dev/null); then
		echo "containerd-add-hook: containerd refuses the edited config, $cfg left as it was:" >&2
		echo "$out" >&2
		exit 1
	fi
fi
if [ -e "$cfg" ] && cmp -s "$cfg" "$new"; then
	[ "$rc" = 0 ] && echo "containerd-add-hook: $cfg already set up" ||
		echo "containerd-add-hook: $cfg not changed"
else
	[ ! -e "$cfg" ] || [ -e "$cfg.enforcer-backup" ] || cp -p "$cfg" "$cfg.enforcer-backup"
	mv "$new" "$cfg"
	echo "containerd-add-hook: $cfg: base_runtime_spec = \"$spec\"; now: systemctl restart containerd"
fi
[ "$rc" = 0 ] || exit 1
