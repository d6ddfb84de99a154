/* SPDX-License-Identifier: GPL-2.0 */
/*
 * enforcer_abi.h - the contract between the BPF LSM programs (bpf-lsm/) and
 * user space (enforcer/): map keys, map values, events and limits.
 *
 * Only fixed-width types; BPF builds take them from vmlinux.h, user space
 * from <linux/types.h>.  Every struct here is copied by value into maps or
 * the ring buffer, so sizes are chosen to keep BPF stack use well under the
 * 512-byte limit (large keys live in a per-CPU scratch map instead).
 */
#ifndef ENFORCER_ABI_H
#define ENFORCER_ABI_H

#ifdef __bpf__
#include "vmlinux.h"
#else
#include <linux/types.h>
#endif

/* Limits shared by the compiler (which rejects what does not fit) and the
 * BPF side (which fails closed when a bound runs out). */
#define ENF_MAX_POLICIES   4096   /* policy ids 0..4095 per generation */
#define ENF_MAX_BIND       8      /* policies bound directly to one cgroup */
#define ENF_MAX_STACK      8      /* policies governing one cgroup, ancestors included */
#define ENF_MAX_CG_DEPTH   32     /* cgroup levels walked upward inline */
#define ENF_MAX_CG_WALK    65536  /* levels walked beyond them (bpf_loop) */
#define ENF_PATH_KEY_MAX   248    /* bytes of path in an LPM key (256-byte key) */
#define ENF_NET_SLOTS      16     /* connect rules that can apply to one prefix */
#define ENF_CG_PATH_MAX    252    /* bytes of a cgroup path bound before it exists */
#define ENF_EVENT_PATH     256    /* bytes of path carried by an event */
#define ENF_PATH_BUF       4096   /* scratch buffer for bpf_d_path (PATH_MAX) */
#define ENF_ARGV_MAX       256    /* bytes of argv carried by an exec event */
#define ENF_ARGV_ARGS      32     /* arguments read at most */
#define ENF_RULE_DEFAULT   0xffffffffu
#define ENF_RULE_SELF      0xfffffffeu /* rule_id: enforcer's self-protection */
#define ENF_CG_NAME_MAX    124    /* bytes of a cgroup name bound with unit= */ /* rule_id meaning "the section's default" */

/* Rule kinds: the top bits of every LPM key's tag. */
enum enf_kind {
	ENF_KIND_EXEC = 0,
	ENF_KIND_FILE = 1,
	ENF_KIND_NET4 = 2,
	ENF_KIND_NET6 = 3,
	ENF_KIND_SELF = 4,      /* inode identity of enforcer's own files (policy id 0) */
	ENF_KIND_RUNTIME = 5,   /* inode identity of runtime binaries (setup phase, policy id 0) */
	ENF_KIND_PROG = 6,      /* inode identity of the programs `exe` conditions name (classes) */
	ENF_KIND_BIND4 = 7,     /* [bind] rules, IPv4 local addresses */
	ENF_KIND_BIND6 = 8,     /* [bind] rules, IPv6 local addresses */
	ENF_KIND_UNIX = 9,      /* unix: connect rules: socket names (path_rules), identity (inode_rules) */
	ENF_KIND_PACKET = 10,   /* `packet` connect rules (net_rules, no address): AF_PACKET socket creation */
	ENF_KIND_RAW4 = 11,     /* `PROTO socket` connect rules (net_rules, no address): raw IPv4 socket creation */
	ENF_KIND_RAW6 = 12,     /* ... raw IPv6 socket creation */
};

/* Hooks, as reported in events and stats. */
enum enf_hook {
	ENF_HOOK_EXEC = 0,
	ENF_HOOK_FILE = 1,
	ENF_HOOK_CONNECT = 2,
	ENF_HOOK_BIND = 3,      /* bind() and listen() of IP sockets ([bind]) */
	ENF_HOOK_MAX = 4,
};
/* Events only: a capability (or a privileged operation) denied by
 * [capabilities]; no per-hook statistics. */
#define ENF_HOOK_CAPABLE ENF_HOOK_MAX

enum enf_verdict {
	ENF_ALLOW = 0,
	ENF_DENY = 1,
	ENF_READONLY = 2,   /* file rules only: reads pass, writes are denied */
};

enum enf_mode {
	ENF_MODE_ENFORCE = 0,
	ENF_MODE_AUDIT = 1,
};

enum enf_access {
	ENF_ACC_NONE = 0,
	ENF_ACC_READ = 1,
	ENF_ACC_WRITE = 2,
	ENF_ACC_EXEC = 3,
};

/*
 * tag = generation bit (31) | kind (bits 24..30) | policy id (bits 0..23).
 * Two generations of rules live side by side; the active one is chosen by
 * enf_config.gen_bit, so a reload fills the inactive half and flips.
 */
#define ENF_TAG(gen, kind, pid) \
	((((__u32)(gen) & 1u) << 31) | (((__u32)(kind) & 0x7fu) << 24) | ((__u32)(pid) & 0xffffffu))

/*
 * The keys of path_rules and path_exact also carry their half's epoch
 * (bits 19..23 of the tag, free in every tag: ENF_TAG_CLASS and
 * ENF_TAG_PARENT end at bit 18), enf_path_epoch[half] in the BPF object's
 * .bss.  A reload that keeps none of the inactive half's path entries
 * writes the new ones under the next epoch instead of deleting the old ones
 * first: those are never matched again (no lookup carries their epoch) and
 * a thread of enforcerd deletes them when the CPU is idle (path_garbage.c).
 */
#define ENF_EPOCHS         32
#define ENF_TAG_EPOCH(e)   (((__u32)(e) & 0x1fu) << 19)

/* LPM trie key for exec and file rules: 4 + 4 + 248 = 256 bytes, the LPM
 * trie's maximum.  prefixlen counts bits of tag + path.  A file rule ends
 * with its NUL so it matches that exact path only; a directory rule "/usr/"
 * is stored without NUL (and "/usr" + NUL for the directory itself). */
struct enf_path_key {
	__u32 prefixlen;
	__u32 tag;
	char path[ENF_PATH_KEY_MAX];
};

/*
 * Exact-path keys (hash path_exact), for the exec and file rule keys that
 * name one whole path (a file rule, a directory's own "/usr" + NUL) under a
 * plain policy tag, whose path with its NUL fits ENF_EXACT_PATH bytes: the
 * bytes after the NUL are zero.  Such a key is the longest match its path
 * can have in path_rules, so one hash lookup gives the LPM's answer when it
 * hits; on a miss path_rules is looked up as before.  A hash update is a
 * few times cheaper than an LPM trie insert (10,000 changed rules: a
 * reload's largest cost).  Rules with a program condition, unix: names
 * and longer paths stay in path_rules.
 */
#define ENF_EXACT_PATH     60     /* bytes of path in an exact-path key (64-byte key) */
struct enf_exact_key {
	__u32 tag;
	char path[ENF_EXACT_PATH];
};

struct enf_path_val {
	__u32 rule_id;      /* index of the rule in its policy, for audit */
	__u8 verdict;       /* enum enf_verdict */
	__u8 cond;          /* ENF_COND_*: when the verdict applies as written */
	__u8 rights;        /* ENF_RIGHT_*: denied beyond what the verdict denies */
	__u8 plen;          /* bytes of the rule's path key: its specificity */
};

/* File rights a rule can grant or deny on its own (enf_path_val.rights,
 * enf_inode_val.rights: the rights denied beyond the verdict). */
#define ENF_RIGHT_READ     0x01 /* open for reading */
#define ENF_RIGHT_WRITE    0x02 /* open for writing; mode, owner, times, xattrs */
#define ENF_RIGHT_TRUNCATE 0x04 /* O_TRUNC, truncate, ftruncate */
#define ENF_RIGHT_CREATE   0x08 /* a new name in a directory (file, dir, node, symlink, link, rename in) */
#define ENF_RIGHT_REMOVE   0x10 /* unlink, rmdir, rename away */
#define ENF_RIGHT_REFER    0x20 /* rename or link to another directory */
#define ENF_RIGHTS_ALL     0x3f

/* Conditions on a file rule (enf_path_val.cond, enf_inode_val.cond): the
 * rule's verdict applies as written to the file's owner only (the task's
 * fsuid is the inode's uid, read when the rule is met); anyone else is
 * denied (OWNER) or gets read-only access (OWNER_WRITE). */
#define ENF_COND_OWNER       0x01
#define ENF_COND_OWNER_WRITE 0x02
/* Events only (enf_event.cond): a rule with a program condition decided,
 * `exe PATH` (the program doing it) or `parent PATH` (its parent process's). */
#define ENF_COND_EXE         0x04
#define ENF_COND_PARENT      0x08

/* LPM trie key for connect rules: IPv4 uses addr[0..3] (ENF_KIND_NET4),
 * IPv6 all 16 bytes (ENF_KIND_NET6).  IPv4-mapped IPv6 destinations are
 * looked up as IPv4. */
struct enf_net_key {
	__u32 prefixlen;
	__u32 tag;
	__u8 addr[16];
};

/* enf_net_rule.proto beyond tcp (6) and udp (17): */
#define ENF_PROTO_ICMP   1      /* ICMP sockets (ping, raw); ICMPv6 (58) on IPv6 rules */
#define ENF_PROTO_ICMPV6 58
#define ENF_PROTO_SCTP   132
#define ENF_PROTO_RAW    255    /* any raw socket (SOCK_RAW), whatever its protocol */
/* net_query.proto of a raw socket: its protocol with this bit */
#define ENF_PROTO_RAW_SOCK 0x100

struct enf_net_rule {
	__u16 port_lo;      /* host byte order; 0..65535 = any port */
	__u16 port_hi;
	__u8 proto;         /* 0 any, 6 tcp, 17 udp, ENF_PROTO_* */
	__u8 verdict;       /* ENF_ALLOW or ENF_DENY */
	__u16 prog;         /* 0 any program; n: `exe` class n of the policy (bit n-1 of its mask) */
	__u32 rule_id;
};

/*
 * Program conditions (`exe PATH` after a rule): each distinct program path
 * a policy names is a class 1..ENF_PROG_CLASSES.  inode_rules maps
 * (ENF_TAG(gen, ENF_KIND_PROG, policy), dev, ino) of each named program to
 * the mask of its classes (enf_inode_val.progs; two names of one file set
 * two bits), so a task's executable (mm->exe_file) is matched by identity:
 * hard links, bind mounts and symlinks reach the same classes, a copy none.
 */
#define ENF_PROG_CLASSES   32

/*
 * Exec and file rules with a program condition are keyed like the others
 * (path_rules, inode_rules) under a tag whose policy-id field also holds
 * the class (policy ids stay below 4096: 12 bits) and, for `parent PATH`
 * (exec rules: the program of the parent process), ENF_TAG_PARENT.  A
 * class may name a directory (`exe /usr/bin/`): its inode's entry, then,
 * counts for every program below it (walking up from the program).
 */
#define ENF_TAG_CLASS(c)   (((__u32)(c) & 0x3fu) << 12)
#define ENF_TAG_PARENT     (1u << 18)
_Static_assert(!(ENF_TAG_EPOCH(ENF_EPOCHS - 1) & (ENF_TAG_CLASS(0x3f) | ENF_TAG_PARENT | 0xfffu |
				 ENF_TAG(1, 0x7f, 0))), "the epoch bits are free in every tag");
/* enf_policy.prog_hooks, beyond bit h (hook h has rules with a program
 * condition): */
#define ENF_PROG_PARENT    0x10 /* exec rules with `parent PATH` */
#define ENF_PROG_DIRS      0x20 /* a class names a directory */

/* Every rule that can apply to addresses under one prefix, the rules of
 * shorter covering prefixes included, most specific first: the first entry
 * whose port and protocol match decides. */
struct enf_net_val {
	__u32 n;
	__u32 pad;
	struct enf_net_rule r[ENF_NET_SLOTS];
};

/* Per-policy settings, array index gen * ENF_MAX_POLICIES + policy id. */
struct enf_policy {
	__u8 used;
	__u8 mode;                      /* enum enf_mode */
	__u8 deflt[ENF_HOOK_MAX];       /* default verdict per hook */
	__u8 active[ENF_HOOK_MAX];      /* 0: hook has no rules and allows all */
	__u8 flags;                     /* ENF_POL_* */
	__u8 prog_hooks;                /* bit h: hook h has rules with an `exe` condition (IP,
					 * exec, file); ENF_PROG_* */
	__u32 unix_progs;               /* bit c-1: unix: rules name program class c (a table of its own) */
	__u64 cap_deny;                 /* bit n: CAP n denied after setup ([capabilities]) */
	__u32 hits_base;                /* its slots in rule_slots (struct enf_hits, per CPU): */
	__u32 hits_n;                   /* hits_base + hook for a section's default, hits_base +
					 * ENF_HOOK_MAX + rule id for a rule; ids beyond hits_n
					 * (0: none) are counted in the rule_hits hash */
};

/* A pod policy (namespace=/pod=): bound at the OCI createRuntime hook, so
 * the runtime's own set-up (mounts, pivot_root) still runs under it, in
 * its setup phase (ENF_KIND_RUNTIME). */
#define ENF_POL_POD 0x01
/* Bound to the root cgroup ("/"): a host-wide baseline.  It governs every
 * process, PID 1 and the admin's shell included, so it does not make them
 * "confined" for enforcer's self-protection: root can still manage it. */
#define ENF_POL_HOSTWIDE 0x02
/* Has unix: connect rules: Unix-domain connects and datagram sends are
 * judged (by those rules only; the section's default is for IP). */
#define ENF_POL_UNIX 0x04

/*
 * unix: rules with `exe PATH`: each program class c a policy's unix: rules
 * name gets a table of its own, path and inode keys tagged
 * ENF_TAG(gen, ENF_KIND_UNIX, ENF_UNIX_TABLE(policy, c)), holding that
 * class's rules and every unix: rule without `exe` (the compiler resolves
 * "a rule with exe over one without" at one name).  A task whose program is
 * in such a class is judged by that table; any other by table 0 (the rules
 * without exe).  Policy ids fit in 12 bits, classes in 6 more.
 */
#define ENF_UNIX_TABLE(pid, cls) (((__u32)(pid) & 0xfffu) | (((__u32)(cls) & 0x3fu) << 12))

/* Policies bound directly to one cgroup (by id, or by path before it
 * exists). */
struct enf_bind {
	__u32 n;
	__u32 ids[ENF_MAX_BIND];
};

struct enf_cg_key {
	__u64 cgid;
	__u32 gen;
	__u32 pad;
};

struct enf_cgpath_key {
	__u32 gen;
	char path[ENF_CG_PATH_MAX];
};

/* (gen, last path component) -> policies for every cgroup of that name
 * (unit = foo.service binds wherever systemd puts the unit). */
struct enf_cgname_key {
	__u32 gen;
	char name[ENF_CG_NAME_MAX];
};

/* The ungoverned filter (enf_ungov) holds 2 * ENF_UNGOV_SLOTS words, both
 * generation halves interleaved (bpf-lsm/govern.bpf.h, ungov_word). */
#define ENF_UNGOV_SLOTS 4096

/* The runtime filter (enf_rt_bloom, a global of the BPF object): per
 * generation half, ENF_RT_BLOOM_BITS bits, bit ENF_RT_BLOOM_BIT(ino) set by
 * enforcerd for the inode number of every runtime identity
 * (ENF_KIND_RUNTIME) it writes into that half.  A clear bit says "not a
 * runtime binary" without the hash lookup; a set one may be a collision. */
#define ENF_RT_BLOOM_BITS 1024
#define ENF_RT_BLOOM_WORDS (ENF_RT_BLOOM_BITS / 64)
#define ENF_RT_BLOOM_BIT(ino) ((__u32)(((__u64)(ino) * 0x9E3779B97F4A7C15ULL) >> 54))

/* Per-cgroup cache of the governing policies (own + ancestors). */
#define ENF_CACHE_OVERFLOW 0xffffffffu
struct enf_cg_cache {
	__u64 generation;
	__u32 n;                        /* ENF_CACHE_OVERFLOW: fail closed */
	__u32 ids[ENF_MAX_STACK];
};

/* The generation as one hook call sees it (derived from the single u64
 * enf_generation in the BPF object's .bss, which a reload flips). */
struct enf_config {
	__u64 generation;               /* bumped on every flip; invalidates caches */
	__u32 gen_bit;                  /* generation & 1: which half of the maps is live */
	__u32 pad;
};

/* Global counters (per-CPU array). */
enum enf_counter {
	ENF_CNT_RB_DROPS = 0,           /* events lost: ring buffer full */
	ENF_CNT_FAIL_CLOSED = 1,        /* denials because a bound ran out or a read failed */
	ENF_CNT_CACHE_MISS = 2,
	ENF_CNT_BIND_ON_MKDIR = 3,      /* cgroups bound by path as they appeared */
	ENF_CNT_TAMPER = 4,             /* denied attempts on enforcer itself */
	ENF_CNT_MAP_FAIL = 5,           /* kernel-side map updates that failed */
	ENF_CNT_HITS_LOST = 6,          /* rule matches not counted: rule_hits full */
	ENF_CNT_SUPPRESSED = 7,         /* denials folded into a later line's "suppressed" count */
	ENF_CNT_VCACHE_HIT = 8,         /* file opens allowed by the verdict cache (vcache.bpf.h) */
	ENF_CNT_VCACHE_FILL = 9,        /* allows of a file open stored in the verdict cache */
	ENF_CNT_NCACHE_HIT = 10,        /* connects allowed by the connect cache (ncache.bpf.h) */
	ENF_CNT_NCACHE_FILL = 11,       /* allows of a connect stored in the connect cache */
	ENF_CNT_XCACHE_HIT = 12,        /* execs allowed by the verdict cache (vcache.bpf.h) */
	ENF_CNT_XCACHE_FILL = 13,       /* allows of an exec stored in the verdict cache */
	ENF_CNT_MCACHE_HIT = 14,        /* PROT_EXEC mappings allowed by the verdict cache */
	ENF_CNT_MCACHE_FILL = 15,       /* allows of a PROT_EXEC mapping stored in it */
	/* 16 + hook: a cache's hits (of that hook: file -> VCACHE_HIT, exec ->
	 * XCACHE_HIT, connect -> NCACHE_HIT) that enforcerd folded out of
	 * rule_slots' lead counts when it zeroed their slots (enf_zero; no
	 * hook writes these: see struct enf_slot_hits) */
	ENF_CNT_CACHE_FOLDED = 16,
	/* writes to a cgroup.procs/cgroup.threads by a governed task that may
	 * not start a setup phase and was not refused one (a descriptor opened
	 * before a live bind, or by another): refused then (cgroup.bpf.c,
	 * enf_procs_write) */
	ENF_CNT_SETUP_WRITE = 16 + ENF_HOOK_MAX,
	ENF_CNT_MAX = 17 + ENF_HOOK_MAX,
};

/* Per policy, per hook counters (per-CPU array, index id * 3 + hook). */
struct enf_pstat {
	__u64 checks;
	__u64 denials;
	__u64 audits;
};

/*
 * Rule hit counters: how often each rule decided, since its policy was
 * loaded (a reload that changes a policy's rules, or gives its id to
 * another policy, clears them).  rule_id ENF_RULE_DEFAULT: the section's
 * default decided.  Each policy gets a range of slots of the per-CPU array
 * rule_slots (ENF_RULE_SLOTS in all; enf_policy.hits_base, hits_n),
 * assigned by enforcerd at reload and kept by a reload that keeps the
 * policy's rules: a match is one array slot, no hashing.  Rules beyond
 * their policy's range (the slots ran out) are counted in the per-CPU hash
 * rule_hits, bounded by ENF_RULE_HITS_MAX rules that have matched; beyond,
 * matches are counted in ENF_CNT_HITS_LOST only.
 */
#define ENF_RULE_SLOTS 8192
#define ENF_RULE_HITS_MAX 16384
struct enf_hit_key {
	__u32 policy_id;
	__u32 rule_id;
	__u32 hook;             /* enum enf_hook */
	__u32 pad;
};

struct enf_hits {
	__u64 allowed;          /* the rule's verdict let the action pass */
	__u64 denied;           /* ... denied it (enforce mode) */
	__u64 audited;          /* ... would have denied it (audit mode) */
};

/*
 * rule_slots' value: a rule's hits as judged (h), and the allows a cache
 * (the verdict cache's open and exec kinds, the connect cache) answered
 * for it without judging, counted by one per-CPU add (cache_hit_account, audit.bpf.h): `lead`
 * when this policy came first among those the cached decision accounted,
 * `more` for the others.  Each such allow is also an allow of the rule
 * (h.allowed), a check of its policy's hook (enf_pstat.checks) and, for
 * `lead`, one hit of the cache by the slot's hook (file: ENF_CNT_VCACHE_HIT,
 * exec: ENF_CNT_XCACHE_HIT, connect: ENF_CNT_NCACHE_HIT):
 * enforcerd adds them when it reads those counters (counters.c,
 * cache_acct.c), and folds them away before a slot is zeroed.
 */
struct enf_slot_hits {
	struct enf_hits h;
	__u64 lead;
	__u64 more;
};

/* Event flags. */
#define ENF_EV_PATH_TRUNC   0x01
#define ENF_EV_FAIL_CLOSED  0x02
#define ENF_EV_ARGV_TRUNC   0x04
#define ENF_EV_HAS_ARGV     0x08

/* The arguments of an exec audit line: NUL-separated strings (read by
 * audit.bpf.c as the record is written: the execve's argv array, or the
 * process's command line for a later executable mapping). */
struct enf_argv {
	__u32 len;                      /* bytes used in buf */
	__u32 argc;                     /* arguments copied */
	__u32 trunc;                    /* more arguments or bytes than fit */
	__u32 pad;
	char buf[ENF_ARGV_MAX * 2];     /* second half: room for the verifier's bound */
};

/* One audit record from the ring buffer. */
struct enf_event {
	__u64 ts_boot;                  /* bpf_ktime_get_boot_ns() */
	__u64 cgid;
	__u64 generation;
	__u32 pid;                      /* thread group id */
	__u32 tid;
	__u32 ppid;
	__u32 uid;
	__u32 gid;
	__u32 policy_id;
	__u32 rule_id;                  /* ENF_RULE_DEFAULT for the default */
	__u8 hook;                      /* enum enf_hook */
	__u8 action;                    /* 1 deny, 2 audit */
	__u8 access;                    /* enum enf_access */
	__u8 proto;                     /* 6 tcp, 17 udp */
	__u8 family;                    /* 4 or 6 */
	__u8 flags;                     /* ENF_EV_* */
	__u16 port;                     /* host byte order */
	__u8 addr[16];
	char comm[16];
	__u32 path_len;                 /* bytes in path, without NUL */
	__u32 ns_pid;                   /* pid in the task's own pid namespace */
	__u32 ns_level;                 /* depth of that namespace (0 = initial) */
	__u32 argv_len;                 /* exec: bytes in argv (NUL-separated) */
	__u32 op;                       /* enum enf_op */
	__u8 cap;                       /* ENF_HOOK_CAPABLE: the capability number */
	__u8 cond;                      /* ENF_COND_* that decided (the rule's condition failed) */
	__u16 sysno;                    /* ENF_HOOK_CAPABLE: the syscall being made */
	__u8 right;                     /* ENF_RIGHT_* a rule denied on its own (file) */
	__u8 summary;                   /* 1: a storm summary (no object fields), see enf_storm_key */
	__u16 exe_len;                  /* bytes in exe, without NUL */
	__u8 exe_flags;                 /* ENF_EXE_*: how exe[] was filled */
	__u8 pad4[3];
	__u32 suppressed;               /* repeats of this key not written as lines before this one */
	char path[ENF_EVENT_PATH];
	char argv[ENF_ARGV_MAX];
	char exe[ENF_EVENT_PATH];       /* the acting process's executable, as the kernel
					 * names it when the record is written */
};

/*
 * Deny storms (audit field "suppressed", README "Audit format"): with
 * storm suppression on (enforcerd --storm-window MS, --storm-burst N; off
 * by default: one line per denial), the records of one key (policy, rule,
 * cgroup, process, hook, op, action, generation) are limited to `burst`
 * full lines per window; the kernel counts the rest in the key's `pending`
 * (map storms) and the next full line of the key carries them as
 * `suppressed`, or, when the window has ended, a summary record
 * (enf_event.summary = 1) written by enf_storm_flush, a program enforcerd
 * runs every second and at reload and stop.  So lines + suppressed =
 * attempts exactly.  A key the map cannot hold, and a fail-closed record,
 * is never suppressed.
 */
#define ENF_STORM_KEYS 4096
struct enf_storm_key {
	__u64 cgid;
	__u64 generation;
	__u32 policy_id;
	__u32 rule_id;
	__u32 pid;                      /* thread group id */
	__u16 op;
	__u8 hook;
	__u8 action;
};

struct enf_storm_val {
	__u64 win_start;                /* bpf_ktime_get_boot_ns() of the window's first denial */
	__u64 pending;                  /* suppressed, not yet reported (atomic) */
	__u32 lines;                    /* full lines in this window */
	__u32 uid;
	__u32 gid;
	__u32 ppid;
	__u32 flags;                    /* ENF_EV_FAIL_CLOSED of the key's records */
	__u32 pad;
	char comm[16];                  /* for the summary record */
};

/* enf_storm_flush's context (BPF_PROG_RUN): force: report every pending
 * count now, and drop the keys of other generations than `generation`. */
struct enf_storm_flush_ctx {
	__u64 generation;
	__u32 force;
	__u32 written;                  /* out: summary records written */
};

/* enf_zero's context (BPF_PROG_RUN by enforcerd at reload): zero entries
 * first .. first + n - 1 of a map, on each of ncpu CPUs for the per-CPU
 * rule_slots.  A loop in the kernel instead of a batched map update
 * (~820 guest instructions an entry, ~25 here). */
enum enf_zero_map {
	ENF_ZERO_RULE_SLOTS = 0,        /* rule_slots (struct enf_slot_hits, per CPU) */
	/* 1: the ungoverned filter's, before it was a global word array */
	ENF_SUM_RULE_SLOTS = 2,         /* rule_slots: sum lead/more by hook, write nothing */
};
struct enf_zero_ctx {
	__u32 map;                      /* enum enf_zero_map */
	__u32 first;
	__u32 n;
	__u32 ncpu;                     /* rule_slots: libbpf_num_possible_cpus() */
	__u32 done;                     /* out: entries zeroed (n * ncpu for rule_slots) */
	__u32 pad;
	/* rule_slots (zero and sum): out, the range's cached allows by the
	 * hook enf_slot_hook gives each slot (struct enf_slot_hits); zeroing
	 * also adds `lead` to counters[ENF_CNT_CACHE_FOLDED + hook] on this
	 * CPU and clears the slots' enf_slot_hook */
	__u64 lead[ENF_HOOK_MAX];
	__u64 more[ENF_HOOK_MAX];
};
#define ENF_ZERO_MAX_ITER (1u << 23)    /* bpf_loop's bound: n (* ncpu) beyond it is refused */

/* enf_event.exe_flags */
#define ENF_EXE_SET      0x01   /* exe holds the program's path (else: none was read) */
#define ENF_EXE_TRUNC    0x02   /* deeper than ENF_EXE_DEPTH or longer than exe: the
				 * last components only */
#define ENF_EXE_DELETED  0x04   /* the file is no longer linked (memfd, unlinked) */
#define ENF_EXE_DEPTH    16     /* path components an event's exe carries at most */

/* What the process tried, beyond the hook (event field "op"). */
enum enf_op {
	ENF_OP_NONE = 0,
	ENF_OP_OPEN,
	ENF_OP_EXEC,
	ENF_OP_CONNECT,
	ENF_OP_SENDMSG,         /* sendto/sendmsg with an address, TCP Fast Open */
	ENF_OP_MMAP_EXEC,       /* mmap/mprotect with PROT_EXEC (ld.so /bin/x) */
	ENF_OP_UNLINK,
	ENF_OP_RMDIR,
	ENF_OP_RENAME,
	ENF_OP_LINK,
	ENF_OP_TRUNCATE,
	ENF_OP_CHMOD,
	ENF_OP_CHOWN,
	ENF_OP_CREATE,          /* a new name in a protected directory */
	ENF_OP_CGROUP_MOVE,     /* writing a cgroup.procs outside the policies */
	ENF_OP_MOUNT,
	ENF_OP_TAMPER,          /* bpf(), signal or ptrace of enforcerd, its files */
	ENF_OP_CAPABLE,         /* a capability a governed task's policy does not grant */
	ENF_OP_UMOUNT,          /* the syscalls a capability denial names (ENF_HOOK_CAPABLE) */
	ENF_OP_PIVOT_ROOT,
	ENF_OP_CHROOT,
	ENF_OP_FSOPEN,
	ENF_OP_FSCONFIG,
	ENF_OP_FSMOUNT,
	ENF_OP_MOVE_MOUNT,
	ENF_OP_OPEN_TREE,
	ENF_OP_MOUNT_SETATTR,
	ENF_OP_UNSHARE,
	ENF_OP_SETNS,
	ENF_OP_SOCKET,
	ENF_OP_PTRACE,          /* ptrace of a task outside the governed subtree, or in setup */
	ENF_OP_SYSCTL,          /* a write to /proc/sys */
	ENF_OP_XATTR,           /* setxattr/removexattr, POSIX ACLs */
	ENF_OP_SETATTR,         /* times, mode, ownership, size through setattr */
	ENF_OP_BIND,            /* bind() of an IP socket ([bind]) */
	ENF_OP_LISTEN,          /* listen(): the socket's local address, port 0 when unbound */
	ENF_OP_TIOCSTI,         /* ioctl TIOCSTI: a byte pushed into a terminal's input */
	ENF_OP_TIOCLINUX,       /* ioctl TIOCLINUX set/paste selection into a console's input */
	ENF_OP_PRCTL,           /* prctl(PR_SET_MM): a task renaming its own program (exe_file) */
	ENF_OP_SETSOCKOPT,      /* an IPv6 routing header set on a socket */
	ENF_OP_RECEIVE,         /* a packet or raw socket received (SCM_RIGHTS, pidfd_getfd) */
	ENF_OP_MAX,
};

/* Inode identity of rule targets and their ancestors (dev as the kernel
 * encodes it: major << 20 | minor): catches hard links and bind mounts,
 * and protects what rules name from being renamed, unlinked or changed. */
struct enf_inode_key {
	__u32 tag;              /* ENF_TAG(gen, ENF_KIND_EXEC or ENF_KIND_FILE, policy) */
	__u32 pad;
	__u64 dev;
	__u64 ino;
};

#define ENF_INO_FILE_RULE  0x01 /* a rule names this file */
#define ENF_INO_DIR_RULE   0x02 /* a rule names this directory (and below) */
#define ENF_INO_ANCESTOR   0x04 /* a directory above a deny/readonly rule */
#define ENF_INO_PATTERNS   0x08 /* patterns live below this directory (npat from pat) */

struct enf_inode_val {
	union {
		__u32 rule_id;
		__u32 progs;    /* ENF_KIND_PROG: mask of the program classes of this file */
	};
	__u8 verdict;           /* of the rule, when FILE_RULE or DIR_RULE */
	__u8 flags;
	__u8 cond;              /* ENF_COND_* of that rule */
	__u8 rights;            /* ENF_RIGHT_* that rule denies beyond its verdict */
	__u8 plen;              /* the rule's enf_path_val.plen (its specificity) */
	__u8 npat;              /* ENF_INO_PATTERNS: how many patterns, ... */
	__u16 pat;              /* ... from this index of the patterns map (its half's) */
};

/*
 * Glob patterns in exec and file rule paths (README: Patterns): each is anchored at its literal directory (the components
 * before the first one with a wildcard, the deepest of them that exists at
 * load), whose inode_rules entry carries ENF_INO_PATTERNS and the range of
 * its patterns in the patterns map, most specific first.  The inode walk,
 * reaching that directory, matches the names below it against `glob`
 * (enf_pat_match): `*` and `?` never cross '/', a whole component `**`
 * matches any number of components (zero included).  A pattern with a
 * program condition (prog) matches only for a task whose program (or its
 * parent process's) is in that class, by identity (enf_prog_classes).
 */
#define ENF_MAX_PATTERNS   1024 /* per policy set: the patterns map holds two halves */
#define ENF_PAT_PER_DIR    16   /* patterns of one policy anchored at one directory */
#define ENF_PAT_GLOB       128  /* a pattern's glob part, its NUL included */
#define ENF_PAT_DEPTH      16   /* names below an anchor the matcher reads */
#define ENF_PAT_SUBJECT    4096 /* bytes of those names, joined by '/' */
#define ENF_PAT_STEPS      8192 /* matcher steps per anchor (bpf_loop) */
#define ENF_PAT_DEEP       0x01 /* enf_pattern.flags: the glob holds a `**` */
#define ENF_PAT_PARENT     0x02 /* its program condition is `parent PATH` (exec) */
#define ENF_PAT_PROGS      0x04 /* its policy has patterns with a program condition:
				 * the matcher reads the program's classes */
#define ENF_PAT_DIRS       0x08 /* ... some class names a directory (walk up) */
#define ENF_PAT_ANY_PARENT 0x10 /* ... some pattern has `parent PATH` */
#define ENF_PAT_NAME_ONLY  0x20 /* every file pattern of its anchor is `**` and one
				 * last name (ANCHOR then "**" and G), and no other file
				 * rule of the policy (a literal path, a pattern's
				 * literal directory) lies below the anchor: a verdict
				 * below it depends on a file's last name only, so a
				 * directory below the anchor renamed within its own
				 * parent changes none (enf_rename) */

struct enf_pattern {
	__u32 rule_id;
	__u32 cover;            /* the rule the path LPM finds for the anchor's path
				 * (ENF_RULE_DEFAULT: none): the pattern overrides it */
	__u8 verdict;           /* as enf_path_val */
	__u8 cond;
	__u8 rights;
	__u8 plen;              /* literal directory's length + 1 (its specificity) */
	__u8 flags;             /* ENF_PAT_* */
	__u8 prog;              /* `exe`/`parent` condition: its class 1..ENF_PROG_CLASSES
				 * (ENF_PAT_PARENT: of the parent process's program); 0 none */
	__u8 pad[2];
	char glob[ENF_PAT_GLOB];        /* the rest below the anchor, '/'-separated */
};

#define ENF_MAX_WALK 64         /* dentry levels walked up from a victim inline */
#define ENF_MAX_WALK_LONG 65536 /* levels walked beyond them (bpf_loop) */
#define ENF_EV_NAME_ONLY 0x10   /* path holds the last component only */
#define ENF_EV_PATH_AS_GIVEN 0x20 /* path is the syscall's argument, unresolved */
#define ENF_EV_HAS_FSTYPE 0x40  /* argv holds a file system type (mount, fsopen) */
#define ENF_EV_ABSTRACT 0x80    /* family ENF_FAMILY_UNIX: path is an abstract name */
#define ENF_FAMILY_UNIX 1       /* event family of a Unix-domain connect or send */
/* Rule and event family of `packet` connect rules: the creation of an
 * AF_PACKET socket (event port: its ethertype, proto: its socket type). */
#define ENF_FAMILY_PACKET 17
/* Rule families of `PROTO socket` connect rules (`deny = raw socket`,
 * `allow = icmp socket exe P`): the creation of a raw IPv4 or IPv6 socket,
 * no address.  Its event has family 4 or 6, op ENF_OP_SOCKET, proto the
 * socket's protocol (its low byte, what its packets carry). */
#define ENF_FAMILY_RAW4 18
#define ENF_FAMILY_RAW6 19

/*
 * Per task (task local storage): set at an exec in a governed cgroup,
 * inherited at fork.  A governed task is in its setup phase while it has
 * not exec'd a program other than a runtime's (ENF_KIND_RUNTIME) since it
 * was governed: the runtime building a service's or container's
 * environment may use every capability until it execs the workload.
 */
struct enf_task {
	__u32 flags;            /* ENF_TASK_* */
	__u32 pad;
};
#define ENF_TASK_EXECED 0x1     /* refused a setup phase for good (confined, not in setup, exec'd a runtime) */
#define ENF_TASK_RUNTIME 0x2    /* its last exec was of a runtime binary (or its copy) */
#define ENF_TASK_CLONED 0x4     /* ... then of the runtime's anonymous copy of itself */
#define ENF_TASK_MOVED 0x8      /* joined its cgroup by a trusted move (or clone3 into it), no exec since */

/* Capabilities denied after setup when a policy has no [capabilities]
 * section: those that let a process leave or blind its policy (mounts,
 * namespaces, chroot, modules, raw devices, bpf, tracing others, raw and
 * packet sockets, routing and netfilter, MAC policy, reboot). */
#define ENF_CAP_BIT(c) (1ULL << (c))
#define ENF_CAP_DEFAULT_DENY                                                         \
	(ENF_CAP_BIT(12) /* NET_ADMIN */ | ENF_CAP_BIT(13) /* NET_RAW */ |               \
	 ENF_CAP_BIT(16) /* SYS_MODULE */ | ENF_CAP_BIT(17) /* SYS_RAWIO */ |            \
	 ENF_CAP_BIT(18) /* SYS_CHROOT */ | ENF_CAP_BIT(19) /* SYS_PTRACE */ |           \
	 ENF_CAP_BIT(21) /* SYS_ADMIN */ | ENF_CAP_BIT(22) /* SYS_BOOT */ |              \
	 ENF_CAP_BIT(32) /* MAC_OVERRIDE */ | ENF_CAP_BIT(33) /* MAC_ADMIN */ |          \
	 ENF_CAP_BIT(38) /* PERFMON */ | ENF_CAP_BIT(39) /* BPF */)
#define ENF_CAP_SYS_ADMIN 21
#define ENF_CAP_SYS_PTRACE 19

/* The obj_sig map's one value: SHA-256 of the BPF object whose programs
 * hold the pinned links (written by enforcerd once it pinned them; zero
 * while they are replaced).  Only a digest equal to a new enforcerd's own
 * lets it keep the pinned programs instead of loading its own (pin.c). */
struct enf_obj_sig {
	__u8 sha256[32];
};
#define ENF_DAEMON_CG_LEVELS 64  /* levels of enforcerd's cgroup guarded (daemon_cg) */
/* A control-socket connection, as the kernel saw its peer connect
 * (sk_storage on the accepted socket, unix_stream_connect): enforcerd
 * reads it by the accepted fd, so no pid is ever looked up again. */
#define ENF_CTL_LISTENER  0x01  /* enforcerd's listening socket (set by enforcerd) */
#define ENF_CTL_RECORDED  0x02  /* a connection to it: the fields below are set */
#define ENF_CTL_CONFINED  0x04  /* the connecting task was confined by a policy */
struct enf_ctl_peer {
	__u32 flags;
	__u32 tgid;             /* the connecting task's thread group id */
	__u64 cgid;             /* its cgroup */
};
#define ENF_ACTION_DENY  1
#define ENF_ACTION_AUDIT 2

/* What a cache entry needs to account a hit as the decision it stores
 * did (cache_hit_account, audit.bpf.h): the policies that decision
 * accounted, packed (k < nacc), in stack order. */
struct enf_acct {
	__u32 nacc;
	__u32 ids[ENF_MAX_STACK];               /* the policy's id */
	__u32 rules[ENF_MAX_STACK];             /* the rule that allowed */
	__u32 slots[ENF_MAX_STACK];             /* its rule_slots index; ~0: enf_account */
};

/* The verdict cache's entries (bpf-lsm/vcache.bpf.h): global data of the
 * BPF object (enf_vc in .bss), which enforcerd reads for `stats`. */
/* The kinds of allow an entry can hold (one key, vcache.bpf.h); a hit of
 * one accounts as the decision it stores did (struct enf_acct): */
#define VC_OPEN 1       /* a read-only open (file_open): acc[VC_ACC_OPEN] */
#define VC_EXEC 2       /* an exec of the file (bprm_check_security): acc[VC_ACC_EXEC] */
#define VC_MMAP 4       /* a PROT_EXEC mapping of it (mmap_file: explicit exec deny
			 * rules only; an allow accounts nothing) */
/* vcache_val.seq: a fill counter (odd while a fill writes) and, above it,
 * a bit per kind NOT stored under the entry's key: a lookup tests both with
 * one mask.  A zeroed entry reads "every kind stored" but holds key 0,
 * which no inode's key equals, and generation 0, which no lookup equals. */
#define VC_SEQ_CNT 0x0fffffffu
#define VC_SEQ_NO(kind) ((__u32)(kind) << 28)
#define VC_SEQ_NOALL VC_SEQ_NO(VC_OPEN | VC_EXEC | VC_MMAP)
#define VC_ACC_OPEN 0
#define VC_ACC_EXEC 1

#define ENF_VC_SLOT_BITS 13
#define ENF_VC_SLOTS (1u << ENF_VC_SLOT_BITS)

struct vcache_val {
	__u32 seq;                              /* fills (odd while one writes) | kinds not
						 * stored: VC_SEQ_* */
	__u32 pad;
	__u64 key;                              /* the inode (vc_key: its address, as a number) */
	__u64 generation, epoch;
	__u64 dentry, mnt, root_d, root_m;      /* the file's f_path, the task's root */
	__u64 rmseq;                            /* rename_lock | mount_lock sequence << 32 */
	__u64 cgid;                             /* the task's cgroup (its governing set) */
	struct enf_acct acc[2];                 /* what a hit accounts: VC_ACC_OPEN, VC_ACC_EXEC */
};

#endif /* ENFORCER_ABI_H */
