#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# 29-check-forms.t - issue 19's rule forms end to end through `enforcerctl
# check`: the policy reference example of README.md and the example of
# enforcer.ini(5) compile, check prints each form (program conditions with
# exe PATH, exe DIR/ and parent on every rule kind, owner and owner-write,
# rights, patterns, protocol rules, packet and raw socket creation,
# [capabilities]), and each form's malformed line is refused with
# file:line and its own message.
import json
import os
import re
import subprocess
import sys
import tempfile

os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
CTL = "build/enforcerctl"
n = 0
failed = False


def ok(cond, desc):
    global n, failed
    n += 1
    if not cond:
        failed = True
    print("%s %d - %s" % ("ok" if cond else "not ok", n, desc))
    return cond


def check(path):
    r = subprocess.run([CTL, "--json", "check", path], capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


if not os.access(CTL, os.X_OK):
    print("1..1\nnot ok 1 - %s missing (run make)" % CTL)
    sys.exit(1)

tmp = tempfile.mkdtemp(prefix="t29.")

# ---- the README's policy reference example ----
readme = open("README.md").read()
m = re.search(r"^## Policy reference.*?^```ini\n(.*?)^```$", readme, re.S | re.M)
ok(m is not None, "README: the policy reference has an ini example")
ex = os.path.join(tmp, "readme.ini")
with open(ex, "w") as f:
    f.write(m.group(1) if m else "")
rc, out, err = check(ex)
ok(rc == 0, "README: the example compiles (%s)" % err.strip()[:200])
try:
    pol = json.loads(out)[0]
except (ValueError, IndexError):
    pol = {}


def rule(section, text):
    for r in pol.get(section, {}).get("rules", []):
        if r.get("rule") == text:
            return r
    return None


def has(section, text, desc, **want):
    r = rule(section, text)
    good = r is not None and all(r.get(k) == v for k, v in want.items())
    ok(good, "check prints %s: [%s] %s" % (desc, section, text))
    if not good:
        print("# got: %s" % json.dumps(r))


has("exec", "deny = /usr/bin/ls parent /bin/dash", "parent PATH", parent="/bin/dash")
has("exec", "deny = /usr/bin/wget exe /usr/bin/python3", "exe PATH on exec", exe="/usr/bin/python3")
has("exec", "allow = /home/user1/hello owner", "owner on exec", condition="owner")
has("file", "allow = /home/ owner", "owner on file", condition="owner", dir=True)
has("file", "readonly = /srv/keys/ owner", "readonly with owner", condition="owner", verdict="readonly")
has("file", "allow = /srv/shared/ owner-write", "owner-write", condition="owner-write")
has("file", "deny = /var/log/app/ truncate remove", "rights on deny", denied_rights=["truncate", "remove"])
has("file", "allow = /srv/drop/ read create", "rights on allow",
    denied_rights=["write", "truncate", "remove", "refer"])
has("file", "allow = /srv/secret exe /usr/bin/cat", "exe PATH on file", exe="/usr/bin/cat")
has("file", "deny = /etc/ssh/ exe /usr/local/bin/", "exe DIR/ on file", exe="/usr/local/bin/")
has("file", "deny = /etc/*shadow*", "a * pattern", pattern=True)
has("file", "deny = /home/*/.ssh/**", "a ** pattern", pattern=True)
has("file", "readonly = /var/log/*.log", "a readonly pattern", pattern=True, verdict="readonly")
has("connect", "allow = 10.1.0.0/16 port 5432 tcp exe /usr/bin/psql", "exe PATH on connect", exe="/usr/bin/psql")
has("connect", "allow = 10.2.0.0/16 port 443 tcp exe /opt/app/bin/", "exe DIR/ on connect", exe="/opt/app/bin/")
has("connect", "deny = icmp", "a protocol rule (icmp)", proto="icmp", prefix=0)
has("connect", "allow = tcp port 443", "a protocol rule with a port (tcp)", proto="tcp", port_lo=443)
has("connect", "deny = raw", "a protocol rule (raw)", proto="raw")
has("connect", "deny = raw socket", "raw socket creation", sock_type="raw", proto="raw")
has("connect", "allow = icmp socket exe /usr/bin/ping", "raw ICMP socket creation with exe",
    sock_type="raw", proto="icmp", exe="/usr/bin/ping")
has("connect", "deny = packet", "packet socket creation", family="packet")
has("connect", "allow = packet exe /usr/sbin/dhclient", "packet with exe", family="packet", exe="/usr/sbin/dhclient")
has("bind", "allow = 0.0.0.0/0 port 8080 tcp exe /usr/sbin/nginx", "exe PATH on bind", exe="/usr/sbin/nginx")
caps = pol.get("capabilities", {})
ok(caps.get("present") and "CAP_KILL" in caps.get("denied", []) and "CAP_NET_RAW" not in caps.get("denied", [])
   and "CAP_SYS_ADMIN" in caps.get("denied", []),
   "check prints [capabilities]: deny CAP_KILL, allow CAP_NET_RAW, default deny")

# ---- the man page's example ----
man = open("enforcer/man/enforcer.ini.5").read()
m = re.search(r"^\.nf\n\.RS\n(.*?)^\.RE\n\.fi", man, re.S | re.M)
ok(m is not None, "enforcer.ini(5): an example policy")
ex = os.path.join(tmp, "man.ini")
with open(ex, "w") as f:
    f.write((m.group(1) if m else "").replace("\\-", "-"))
rc, out, err = check(ex)
ok(rc == 0, "enforcer.ini(5): the example compiles (%s)" % err.strip()[:200])
forms = {"parent ": "parent PATH", " owner": "owner", " truncate": "a right", "*": "a pattern",
         "exe /usr/local/bin/": "exe DIR/ on a file rule", "tcp exe /opt/app/bin/": "exe DIR/ on a connect rule",
         "= icmp": "a protocol rule", "tcp port 443": "a protocol rule with a port", "raw socket": "raw socket creation",
         "packet": "packet sockets", "[capabilities]": "[capabilities]", "[bind]": "[bind]"}
body = m.group(1) if m else ""
for k, v in forms.items():
    ok(k in body, "enforcer.ini(5): the example shows %s" % v)

# ---- each form's malformed line: file:line and its own message ----
HDR = "[policy]\ncgroup = /t29\n"
bad = [
    ("[exec]\ndeny = /bin/ls parent\n", "'parent' needs a program path"),
    ("[file]\nallow = /srv parent /bin/sh\n", "'parent' is for [exec] rules only"),
    ("[file]\nallow = /srv/x exe bin/cat\n", "relative program path 'bin/cat'"),
    ("[connect]\nallow = 10.0.0.1 exe /opt/*/\n", "a program path takes no wildcard"),
    ("[bind]\nallow = 0.0.0.0/0 port 80 exe /opt/../x/\n", "program path '/opt/../x/' is not normalized"),
    ("[file]\ndeny = /srv/ owner\n", "condition 'owner' on a deny rule"),
    ("[file]\nreadonly = /srv/ owner-write\n", "condition 'owner-write' on a readonly rule"),
    ("[exec]\nallow = /bin/x owner-write\n", "condition 'owner-write' on an [exec] rule"),
    ("[file]\nallow = /srv/ owner sometimes\n", "unknown word 'sometimes' after the path"),
    ("[file]\nreadonly = /srv/ truncate\n", "rights after a readonly rule"),
    ("[file]\ndeny = /srv/ remove remove\n", "'remove' written twice"),
    ("[exec]\ndeny = /bin/ truncate\n", "'truncate' after the path is for [file] rules only"),
    ("[file]\ndeny = /a/b**/c\n", "'**' must be a whole path component"),
    ("[connect]\ndeny = icmp port 7\n", "'port' with icmp"),
    ("[connect]\ndeny = tcp udp\n", "protocol given twice"),
    ("[connect]\ndeny = 10.0.0.0/8 icmp\n", "unexpected 'icmp' (expected 'port N[-M]', 'tcp' or 'udp')"),
    ("[connect]\ndeny = packet port 3\n", "unexpected 'port' after 'packet'"),
    ("[bind]\ndeny = packet\n", "packet rules belong in [connect]"),
    ("[bind]\ndeny = raw socket\n", "socket rules belong in [connect]"),
    ("[capabilities]\nallow = CAP_FLY\n", "unknown capability 'CAP_FLY'"),
    ("[capabilities]\ndeny = CAP_KILL\nallow = KILL\n", "CAP_KILL already named on line 4"),
    ("[capabilities]\ndefault = maybe\n", "bad default 'maybe'"),
]
for i, (text, msg) in enumerate(bad):
    p = os.path.join(tmp, "bad%d.ini" % i)
    with open(p, "w") as f:
        f.write(HDR + text)
    line = 2 + text.count("\n")
    rc, out, err = check(p)
    want = "%s:%d: %s" % (p, line, msg)
    good = rc != 0 and want in err
    ok(good, "error with file:line: %s" % text.replace("\n", " ").strip())
    if not good:
        print("# rc %d, stderr: %s" % (rc, err.strip()[:300]))
        print("# expected to contain: %s" % want)

print("1..%d" % n)
sys.exit(1 if failed else 0)
