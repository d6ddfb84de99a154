/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * policy.h - the policy model: INI files parsed into policies (policy_parse.c),
 * and policies compiled into BPF map entries (policy_compile.c).
 *
 * Errors are collected as "file:line: message" strings in struct enf_errors;
 * a policy set with any error must never be applied.
 */
#ifndef ENFORCER_POLICY_H
#define ENFORCER_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "enforcer_abi.h"

struct jbuf;

/* Limits enforced by the parser/compiler (documented in README). */
#define POLICY_FILE_MAX      (1024 * 1024)  /* bytes per policy file */
#define POLICY_LINE_MAX      4096           /* bytes per line */
#define POLICY_RULES_MAX     200000         /* rules per policy */
#define POLICY_CGROUPS_MAX   256            /* cgroup= / unit= per policy */
#define POLICY_NAME_MAX      64             /* [A-Za-z0-9_.-]+ */

struct enf_errors {
	char **msg;          /* "file:line: message" */
	size_t n;
};

void errors_add(struct enf_errors *e, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void errors_free(struct enf_errors *e);

/* One rule, as written and as understood. */
struct enf_rule {
	int line;
	uint32_t id;          /* index in policy->rules: the rule_id in events */
	enum enf_hook hook;
	uint8_t verdict;      /* ENF_ALLOW, ENF_DENY, ENF_READONLY */
	char *text;           /* "deny = /usr/bin/curl" exactly as in the file (trimmed) */
	/* exec and file rules */
	char *path;           /* as written */
	char *resolved;       /* symlinks resolved (within the policy's root); == path
	                       * (not a copy) when that is the same name */
	bool path_in_text;    /* path shares text's allocation: freed with it */
	bool text_in_strs;    /* text lies in its policy's strs: freed with them */
	bool dir;             /* written with a trailing '/' */
	bool pattern;         /* a glob pattern (pattern.h); one written with a trailing
	                       * slash gets a last component "**" */
	uint8_t cond;         /* [file]: ENF_COND_* written after the path ("owner") */
	uint8_t rights;       /* [file]: ENF_RIGHT_* denied beyond the compiled verdict
	                       * (allow = P read create: all but those; deny = P truncate:
	                       * those only) */
	uint8_t named_rights; /* the ENF_RIGHT_* words written after the path */
	/* program condition (prog_cond.c): `exe PATH` after the rule */
	char *exe;            /* the program as written, NULL: any program */
	uint8_t prog;         /* its class in the policy (1..ENF_PROG_CLASSES), 0: any */
	bool parent;          /* [exec]: `parent PATH`, the parent process's program */
	/* connect and bind rules; unix: connect rules have family ENF_FAMILY_UNIX
	 * and the socket's name in path ("/run/x.sock", "/run/dir/", "@abstract") */
	uint8_t family;       /* 4 or 6 (IPv4-mapped IPv6 rules become 4), ENF_FAMILY_PACKET,
	                       * ENF_FAMILY_RAW4/_RAW6 (`PROTO socket`: no address) */
	uint8_t addr[16];     /* network byte order, masked to plen */
	uint8_t plen;
	uint16_t port_lo, port_hi;   /* 0-65535 when no port was given */
	bool port_any;
	uint8_t proto;        /* 0 any, 6 tcp, 17 udp */
};

struct enf_section {
	bool present;
	uint8_t deflt;        /* ENF_ALLOW or ENF_DENY */
};

/* [capabilities]: what a governed process may still use after its setup
 * phase.  Without a default (or a section), ENF_CAP_DEFAULT_DENY is denied. */
enum caps_default { CAPS_DEFAULT_CONFINE = 0, CAPS_DEFAULT_ALLOW, CAPS_DEFAULT_DENY };
struct enf_caps {
	bool present;
	uint8_t deflt;        /* enum caps_default */
	uint64_t allow, deny; /* bit n: CAP n named by allow = / deny = */
};

/* Rule texts (and paths) of a policy, carved from chunks: one allocation
 * per 64 KiB of them, not one per rule (policy_parse.c). */
struct enf_strs {
	struct enf_strs *next;
	size_t len, cap;
	char b[];
};

struct enf_policy_src {
	char *name;
	char *file;           /* path of the .ini */
	char **cgroups;       /* absolute cgroup paths, "/" = whole host */
	size_t ncgroups;
	char **units;         /* unit = foo.service (host-service issue) */
	size_t nunits;
	char **namespaces;    /* namespace = payments: every pod of that namespace */
	size_t nnamespaces;
	char **pods;          /* pod = payments/api-0 */
	size_t npods;
	uint8_t mode;         /* ENF_MODE_ENFORCE / ENF_MODE_AUDIT */
	struct enf_section sec[ENF_HOOK_MAX];
	struct enf_caps caps;
	struct enf_rule *rules;
	size_t nrules;
	char **progs;         /* progs[c - 1]: the program of `exe` class c, as written */
	size_t nprogs;
	/* where things were written, for cross-file messages */
	int line;             /* the [policy] header (1 when there is none) */
	int name_line;        /* name = ... (0: the name comes from the file name) */
	int *cgroup_lines;    /* line of each cgroups[i] */
	struct enf_strs *strs;    /* where its rules' texts are (text_in_strs) */
};

struct enf_policy_set {
	struct enf_policy_src *pol;
	size_t n;
};

/* "/a/b", "/a/b/": absolute, no ".", ".." or empty components. */
bool policy_path_normal(const char *p, bool allow_trailing_slash);
/* An IP rule of [connect] or [bind] (not a unix: one). */
static inline bool rule_is_ip(const struct enf_rule *r)
{
	return (r->hook == ENF_HOOK_CONNECT || r->hook == ENF_HOOK_BIND) && r->family != ENF_FAMILY_UNIX;
}
/* A `PROTO socket` connect rule: judges the creation of raw IP sockets. */
static inline bool rule_is_rawsock(const struct enf_rule *r)
{
	return r->family == ENF_FAMILY_RAW4 || r->family == ENF_FAMILY_RAW6;
}
/* The kind of a path-keyed rule (exec, file, unix:). */
static inline uint32_t rule_path_kind(const struct enf_rule *r)
{
	return r->hook == ENF_HOOK_EXEC ? ENF_KIND_EXEC :
	       r->hook == ENF_HOOK_FILE ? ENF_KIND_FILE : ENF_KIND_UNIX;
}

/* The policy-id field of a path-keyed rule's tags: policy id, and for an
 * exec or file rule with a program condition its class (ENF_TAG_CLASS,
 * ENF_TAG_PARENT). */
static inline uint32_t rule_tag_id(const struct enf_rule *r, uint32_t id)
{
	if (!r->prog || (r->hook != ENF_HOOK_EXEC && r->hook != ENF_HOOK_FILE))
		return id;
	return id | ENF_TAG_CLASS(r->prog) | (r->parent ? ENF_TAG_PARENT : 0);
}

/* Parse one file and append it to set. Returns 0, or -1 with errors added. */
int policy_parse_file(const char *path, struct enf_policy_set *set, struct enf_errors *err);
/* Parse from memory (fuzzing, tests); file is used in messages only. */
int policy_parse_buffer(const char *file, const char *buf, size_t len,
			struct enf_policy_set *set, struct enf_errors *err);
/* Every *.ini in dir, sorted by name, then cross-checks (duplicate names).
 * Returns 0 or -1 (errors added); on -1 set may hold partial results that
 * the caller frees. */
int policy_load_dir(const char *dir, struct enf_policy_set *set, struct enf_errors *err);
/* Cross-file checks after parsing files one by one (duplicate names...). */
int policy_set_validate(struct enf_policy_set *set, struct enf_errors *err);
void policy_set_free(struct enf_policy_set *set);

/* Resolve rule paths (symlinks, within root; root "/" for the host).
 * Rules of pod policies (namespace=/pod= and no cgroup=/unit=) are kept as
 * written: they name paths inside containers, resolved per container with
 * policy_resolve_rule() when one is bound. */
int policy_resolve_paths(struct enf_policy_set *set, const char *root, struct enf_errors *err);
/* Would policy_resolve_paths(set, root) resolve every rule, without an
 * error, to the path it holds (r->resolved) now?  Writes nothing. */
bool policy_resolve_unchanged(const struct enf_policy_set *set, const char *root);
int policy_resolve_rule(const char *root, const struct enf_rule *r, char *out, size_t outsz);
/* A host-wide baseline: bound to the root cgroup ("/"). */
bool policy_is_hostwide(const struct enf_policy_src *p);
/* A policy for pods: it has namespace= or pod= keys. */
bool policy_is_pod(const struct enf_policy_src *p);
/* Does policy p govern a pod of namespace ns named pod (either may be NULL)? */
bool policy_matches_pod(const struct enf_policy_src *p, const char *ns, const char *pod);

/* Compiled form: map entries with the generation bit 0 (the loader sets it). */
struct enf_path_entry {
	struct enf_path_key k;
	struct enf_path_val v;
};

struct enf_net_entry {
	struct enf_net_key k;
	struct enf_net_val v;
};

struct enf_compiled {
	struct enf_path_entry *paths;
	size_t npaths;
	struct enf_net_entry *nets;
	size_t nnets;
	struct enf_policy *pols;    /* pols[i] for set->pol[i] */
	uint32_t *ids;              /* policy id of set->pol[i] (used in tags) */
	size_t npols;
	uint64_t serial;            /* this output of policy_compile() (and its exact
				     * copies): equal serials, equal contents; 0: unknown */
};

/* ids[i] is the policy id for set->pol[i] (< ENF_MAX_POLICIES); NULL means i. */
int policy_compile(const struct enf_policy_set *set, const uint32_t *ids,
		   struct enf_compiled *out, struct enf_errors *err);
void policy_compiled_free(struct enf_compiled *c);
/* The capabilities policy p denies after setup (bit n: CAP n). */
uint64_t policy_cap_deny(const struct enf_policy_src *p);

/* policy_dump.c: a parsed (and resolved) set, for `enforcerctl check` and
 * the control socket.  Text: one block per policy.  JSON: an array of
 * policy objects {name, file, mode, cgroups, units, exec, file, connect},
 * each section {present, default, rules:[{line, rule, verdict, path,
 * resolved} | {line, rule, verdict, family, addr, prefix, port_lo, port_hi,
 * proto}]}. */
void policy_dump_text(FILE *f, const struct enf_policy_set *s);
void policy_dump_json(struct jbuf *b, const struct enf_policy_set *s);
/* "deny", "allow", "readonly"; "enforce", "audit"; "exec", "file", "connect", "bind" */
const char *policy_verdict_name(uint8_t v);
/* A file rule's condition word: "owner", "owner-write"; in events also "exe",
 * "parent" (a rule with a program condition decided); NULL for none. */
const char *policy_cond_name(uint8_t cond);
/* The name of one ENF_RIGHT_* bit ("truncate"); NULL for none. */
const char *policy_right_name(uint8_t right);
/* The verdict a rule compiles to: a deny rule that names rights denies
 * only those (ENF_ALLOW with rule->rights). */
uint8_t policy_rule_verdict(const struct enf_rule *r);
const char *policy_mode_name(uint8_t m);
const char *policy_hook_name(enum enf_hook h);

#endif
