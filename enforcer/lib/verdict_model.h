/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * verdict_model.h - the offline matching model: which policies govern a
 * cgroup, and what each of them decides for one action (exec, open,
 * connect, bind), computed from the compiler's own output (the map entries
 * policy_compile() produces) the way the BPF hooks read them: the longest
 * path prefix (a file over a directory, a deeper directory over a
 * shallower one), the first rule of the longest address prefix whose port,
 * protocol and program match, the section's default, stacking (every
 * governing policy must allow).  Used by `enforcerctl explain` and
 * `enforcerctl test`, and compared with the kernel in the VM
 * (t/vm/guest/25-policy-tests.sh).
 *
 * Program conditions (`exe PATH`, `exe DIR/`, `parent PATH`) are judged
 * for the program the action names (`exe P`, `parent Q` at the end of an
 * exec or open action: the program of the process doing it, and of its
 * parent process), by path as the kernel judges them by identity (a copy
 * of a program is another program); an action that names none is judged
 * for a program that is in no class, and explain says when a rule with a
 * condition matches its path.  Not modelled: identity matching of hard
 * links and bind mounts (the
 * kernel's inode walk; for a path reached without them it finds the same
 * rule), enforcer's self-protection, run-time binds of pod policies, the
 * kernel's bounds on patterns (a file more than ENF_PAT_DEPTH names below
 * a pattern's directory that a `**` pattern must look past fails closed
 * there), and a literal rule below a pattern's directory naming no file at
 * load (the kernel takes the stricter of it and the pattern).
 */
#ifndef ENFORCER_VERDICT_MODEL_H
#define ENFORCER_VERDICT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "policy.h"

#define VM_PATH_MAX 4096

enum vm_op { VM_EXEC, VM_OPEN, VM_CONNECT, VM_BIND };

/* One action, as a test line or explain's arguments write it:
 *   exec PATH [not-owner] [exe P] [parent Q]
 *   open PATH [read] [write] [truncate] [create] [not-owner] [exe P] [parent Q]
 *                                              (default: read)
 *   connect ADDR PORT [tcp|udp] [exe PATH]     (default tcp)
 *   connect unix:PATH | unix:@NAME
 *   bind ADDR PORT [tcp|udp] [exe PATH] */
struct vm_action {
	enum vm_op op;
	char path[VM_PATH_MAX];   /* exec, open; connect unix: the socket's name */
	uint8_t need;             /* open: ENF_RIGHT_* asked for */
	bool write;               /* open: write, create or truncate (what readonly denies) */
	bool not_owner;           /* open, exec: the process does not own the file */
	uint8_t family;           /* connect/bind: 4, 6, ENF_FAMILY_UNIX, _PACKET, _RAW4/_RAW6 (creation) */
	uint8_t addr[16];
	uint16_t port;
	uint8_t proto;            /* 6 tcp, 17 udp; a raw socket's protocol */
	char exe[VM_PATH_MAX];    /* the process's program ("" : none named) */
	char parent[VM_PATH_MAX]; /* exec, open: its parent process's program ("": none named) */
};

/* Parse "exec /usr/bin/curl" (words split on blanks).  0, or -1 with a
 * one-line message in err. */
int vm_action_parse(const char *text, struct vm_action *a, char *err, size_t errsz);
/* Resolve the action's paths through symlinks, as the kernel sees them
 * (the existing prefix; the rest kept). */
void vm_action_resolve(struct vm_action *a);
/* The action written back ("open /etc/passwd write"). */
void vm_action_format(const struct vm_action *a, char *out, size_t outsz);

/* Which policies of set govern cgroup cgpath (bound to it or to an
 * ancestor by cgroup=, or by unit= to a cgroup of that name on the way):
 * their indexes into idx (at most max); returns how many govern (may be
 * more than max).  Pod policies are bound at run time: not counted. */
size_t vm_governing(const struct enf_policy_set *set, const char *cgpath, size_t *idx, size_t max);

/* What one governing policy decided. */
struct vm_pol_result {
	size_t pol;                   /* index in the set */
	enum enf_hook hook;           /* exec also opens its file: a [file] result too */
	bool active;                  /* false: no rules for this hook and default allow */
	bool denied;
	uint8_t verdict;              /* after conditions: ENF_ALLOW, ENF_DENY, ENF_READONLY */
	const struct enf_rule *rule;  /* the deciding rule; NULL: the default (or nothing) */
	uint8_t right;                /* the ENF_RIGHT_* a rule denied on its own */
	bool cond;                    /* an owner condition decided */
	char why[512];
	/* other rules that matched the action and lost, most specific first */
	const struct enf_rule *lost[8];
	size_t nlost;
};

enum vm_outcome { VM_ALLOWED = 0, VM_DENIED = 1, VM_AUDITED = 2 };

struct vm_result {
	enum vm_outcome outcome;   /* denied by an enforce-mode policy; else audited
				    * (an audit-mode policy would deny); else allowed */
	bool fail_closed;          /* more than ENF_MAX_STACK policies: denied */
	size_t n;
	struct vm_pol_result r[2 * ENF_MAX_STACK];
};

/* Judge a under the policies gov[0..ngov) of set, compiled into c with
 * policy_compile(set, NULL, c, ...) (policy ids = set indexes). */
void vm_judge(const struct enf_policy_set *set, const struct enf_compiled *c,
	      const size_t *gov, size_t ngov, const struct vm_action *a, struct vm_result *out);

const char *vm_outcome_name(enum vm_outcome o);   /* "allow", "deny", "audit" */
/* Why rule w decided over l (both matched the action on path). */
const char *vm_why_over(const struct enf_rule *w, const struct enf_rule *l, const char *path);

#endif
