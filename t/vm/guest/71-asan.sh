# SPDX-License-Identifier: GPL-2.0-only
# 71-asan.sh - enforcerd built with AddressSanitizer + UBSan (issue 9;
# `make asan-daemon`, in the guest as /bin/enforcerd-asan) through a full
# scenario: load a policy, deny exec/open/connect, good and broken reloads
# (enforcerctl and SIGHUP), the audit stream (backlog and --follow), stats,
# status, then SIGTERM.  It must exit 0 and its stderr must hold no
# AddressSanitizer, LeakSanitizer or UBSan ("runtime error") report.

ASAN_BIN=/bin/enforcerd-asan
P=/tmp/pol71
D=/data/t71
CG=t71/gov
mkdir -p $P $D
echo data > $D/secret
echo data > $D/fine
cg_make $CG

if [ ! -x $ASAN_BIN ]; then
	fail "ASan enforcerd in the guest ($ASAN_BIN missing: make asan-daemon, VM_EXTRA_BINS=enforcerd-asan)"
	return 0 2>/dev/null || exit 0
fi
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=0:exitcode=23
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=0
# the sanitizer runtime is really in the binary (else "no report" means nothing)
like "$(ASAN_OPTIONS=help=1 $ASAN_BIN --version 2>&1 | grep -c 'detect_leaks')" '^[1-9]' \
	"asan: $ASAN_BIN carries the ASan/LSan runtime"

cat > $P/t71.ini <<INI
[policy]
name = t71
cgroup = /$CG
[exec]
deny = /usr/bin/denyme
[file]
deny = $D/secret
[connect]
deny = 127.0.0.2
INI

ENFORCERD=$ASAN_BIN ENFORCERD_START_WAIT=180 start_enforcerd $P --no-pin || {
	diag "$(cat /tmp/enforcerd.err)"
	return 0 2>/dev/null || exit 0
}

rm -f /tmp/t71.follow
enforcerctl audit --follow > /tmp/t71.follow 2>&1 &
FPID=$!
sleep 1

is "$(in_cg $CG probe exec /usr/bin/denyme)" EPERM "asan: exec denied"
is "$(in_cg $CG probe open $D/secret r)" EPERM "asan: open denied"
is "$(in_cg $CG probe connect 127.0.0.2 9 udp)" EPERM "asan: connect denied"
is "$(in_cg $CG probe exec /usr/bin/allowme)" ok "asan: other exec allowed"
is "$(in_cg $CG probe open $D/fine r)" ok "asan: other open allowed"
ok "asan: the denials reach the audit log" wait_audit '"hook":"connect"' 10

# good reload: a second policy, a changed rule set
cat > $P/t71b.ini <<INI
[policy]
name = t71b
cgroup = /$CG
[exec]
deny = /usr/bin/other1
[file]
deny = $D/fine
INI
enforcerctl reload >/tmp/t71.out 2>&1
is "$?" 0 "asan: good reload"
is "$(in_cg $CG probe exec /usr/bin/other1)" EPERM "asan: new rule in force"
is "$(in_cg $CG probe open $D/fine r)" EPERM "asan: new file rule in force"

# broken reloads (enforcerctl and SIGHUP): nothing changes
printf '[policy]\ncgroup = /t71/x\n[file]\ndeny = relative\n[bogus\nkey\n' > $P/zz-broken.ini
enforcerctl reload >/tmp/t71.out 2>&1
is "$?" 1 "asan: broken reload exits 1"
kill -HUP "$ENFORCERD_PID"
sleep 2
is "$(in_cg $CG probe exec /usr/bin/other1)" EPERM "asan: broken reload: old set in force"
rm -f $P/zz-broken.ini $P/t71b.ini
kill -HUP "$ENFORCERD_PID"
sleep 2
is "$(in_cg $CG probe exec /usr/bin/other1)" ok "asan: SIGHUP reload removed the second policy"
is "$(in_cg $CG probe exec /usr/bin/denyme)" EPERM "asan: first policy still in force"

# audit stream, stats, status, policies, reopen, prometheus
enforcerctl audit >/tmp/t71.audit 2>&1
is "$?" 0 "asan: enforcerctl audit"
like "$(cat /tmp/t71.audit)" '"policy":"t71"' "asan: audit backlog names the policy"
enforcerctl audit --hook file --action deny >/dev/null 2>&1
is "$?" 0 "asan: enforcerctl audit with filters"
ok "asan: enforcerctl stats" sh -c 'enforcerctl --json stats >/tmp/t71.stats'
ok "asan: enforcerctl stats --prometheus" sh -c 'enforcerctl stats --prometheus >/dev/null'
ok "asan: enforcerctl status" sh -c 'enforcerctl --json status >/dev/null'
ok "asan: enforcerctl policies" sh -c 'enforcerctl --json policies >/dev/null'
ok "asan: enforcerctl reopen" sh -c 'enforcerctl reopen >/dev/null'
# a malformed request and an abrupt client
sockclient -s 'status\nfrobnicate \x01\xff\n' -t 3 /run/enforcer/enforcer.sock >/dev/null 2>&1
sockclient -n 3 -s 'stats' -t 1 /run/enforcer/enforcer.sock >/dev/null 2>&1
sleep 1
kill "$FPID" 2>/dev/null
wait "$FPID" 2>/dev/null
like "$(cat /tmp/t71.follow)" '"action":"deny"' "asan: audit --follow streamed denials"
ok "asan: enforcerd alive before stop" kill -0 "$ENFORCERD_PID"

stop_enforcerd
diag "ASan enforcerd stderr (last lines):"
diag "$(tail -n 5 /tmp/enforcerd.err)"
if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error' /tmp/enforcerd.err; then
	fail "asan: no sanitizer report on enforcerd's stderr"
	diag "$(grep -E -A40 'ERROR: (Address|Leak)Sanitizer|runtime error' /tmp/enforcerd.err | head -150)"
else
	pass "asan: no sanitizer report on enforcerd's stderr"
fi
