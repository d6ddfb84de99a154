# SPDX-License-Identifier: GPL-2.0-only
# 29-ungov-filter.sh - the ungoverned filter every hook starts with
# (enf_ungov, issue 16): a cgroup that no policy governs is remembered per
# generation half, so its tasks leave each hook after one array load.  A
# reload that binds a policy to it governs it at once at both parities of
# the generation (the half being refilled forgets what it knew), a reload
# that unbinds it frees it again, and a governed neighbour stays governed
# throughout.

# the pins the script before this one left are adopted (t/vm/lib.sh): its
# programs are this build's, its checks need no fresh load
ADOPT_PINS=1

P=/tmp/pol27
cg_make t26/x
cg_make t26/gov
write_policy $P gov <<INI
[policy]
name = t26gov
cgroup = /t26/gov
[exec]
deny = /usr/bin/denyme
INI
bind_x() {
	write_policy $P x <<INI
[policy]
name = t26x
cgroup = /t26/x
[exec]
deny = /usr/bin/denyme
INI
}
start_enforcerd $P || exit 1
# the verifier's work on the programs near its 1M-instruction budget (6.1)
progs=$(bpfpoke insns enf_ | sort)
diag "verified instructions (name, insns, type): $(echo "$progs" | tr '\n' ' ')"
# issue 16: exec audit lines get their argv without syscall tracepoints
case $progs in
*"enf_file_open "*) pass "bpfpoke lists enforcerd's programs" ;;
*) fail "bpfpoke lists enforcerd's programs (got '$progs')" ;;
esac
is "$(echo "$progs" | awk '$3 == 5 || $3 == 17' | wc -l)" 0 \
	"no tracepoint or raw tracepoint program (types 5, 17) loaded: no tax on every syscall"
is "$(echo "$progs" | awk '$1 ~ /^enf_execve/' | wc -l)" 0 \
	"no argv stash program (enf_execve*) loaded"
reload() {
	enforcerctl reload >/dev/null 2>&1 || fail "enforcerctl reload ($1)"
}
gen() { enforcerctl --json status | jsonget generation; }
for round in 1 2; do
	g0=$(gen)
	case $g0 in
	[0-9]*) ;;
	*) fail "round $round: enforcerctl status gives the generation (got '$g0')"; exit 1 ;;
	esac
	is "$(in_cg t26/x probe exec /usr/bin/denyme)" ok \
		"round $round: unbound cgroup runs it (generation $g0: its half remembers it ungoverned)"
	# a set that changes (a policy for a cgroup not there): the other
	# half is filled and switched to (a reload that changes nothing
	# would not switch)
	write_policy $P filler <<INI
[policy]
name = t26filler
cgroup = /t26/none
[exec]
deny = /usr/bin/denyme
INI
	reload "a filler policy"
	is "$(gen)" "$((g0 + 1))" "round $round: the filler reload switched halves"
	is "$(in_cg t26/x probe exec /usr/bin/denyme)" ok \
		"round $round: still unbound after a reload (generation $(gen), the other half)"
	rm -f $P/filler.ini
	bind_x
	reload "bind t26/x"
	g2=$(gen)
	is "$((g2 % 2))" "$((g0 % 2))" "round $round: the binding reload is in the half of generation $g0"
	is "$(in_cg t26/x probe exec /usr/bin/denyme)" EPERM \
		"round $round: bound by the reload (generation $g2): governed at once"
	is "$(in_cg t26/gov probe exec /usr/bin/denyme)" EPERM "round $round: the neighbour stays governed"
	rm -f $P/x.ini
	reload "unbind t26/x"
	is "$(in_cg t26/x probe exec /usr/bin/denyme)" ok \
		"round $round: unbound again (generation $(gen)): runs it"
done
stop_enforcerd
