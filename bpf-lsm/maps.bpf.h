/* SPDX-License-Identifier: GPL-2.0 */
/*
 * maps.bpf.h - every map and global of enforcer's BPF object, declared once.
 *
 * enforcer.bpf.c defines them (ENF_DEFINE_MAPS); every other *.bpf.c sees
 * them as extern and `bpftool gen object` links all parts into one object
 * with one copy of each map, so the daemon keeps a single skeleton.
 * Key and value types come from include/enforcer_abi.h (shared with user
 * space); the "resized from user space" maps are sized before load.
 */
#ifndef ENF_MAPS_BPF_H
#define ENF_MAPS_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "enforcer_abi.h"

#ifdef ENF_DEFINE_MAPS
#define ENF_SHARED
#else
#define ENF_SHARED extern
#endif

/* Every `x & (N - 1)` bound below assumes N is a power of two. */
#define ENF_ASSERT_POW2(n) \
	_Static_assert((n) > 0 && ((n) & ((n) - 1)) == 0, #n " is used as a mask: must be a power of two")
ENF_ASSERT_POW2(ENF_MAX_STACK);
ENF_ASSERT_POW2(ENF_MAX_BIND);
ENF_ASSERT_POW2(ENF_NET_SLOTS);
ENF_ASSERT_POW2(ENF_ARGV_MAX);
ENF_ASSERT_POW2(ENF_UNGOV_SLOTS);
ENF_ASSERT_POW2(ENF_RT_BLOOM_WORDS);
ENF_ASSERT_POW2(ENF_PAT_GLOB);
ENF_ASSERT_POW2(ENF_PAT_SUBJECT);
ENF_ASSERT_POW2(ENF_PAT_DEPTH);
_Static_assert(ENF_HOOK_MAX <= 4, "hooks are indexed with `hook & 3`");
_Static_assert(ENF_MAX_POLICIES <= 4096 && ENF_PROG_CLASSES < 64,
	       "ENF_UNIX_TABLE packs a policy id in 12 bits and a class in 6");

#define EPERM 1

/*
 * The single switch a reload flips: user space stores the new generation
 * with one atomic 8-byte store through the mmap()ed .bss.  0 = nothing
 * loaded; otherwise generation & 1 selects the live half of every map.
 */
ENF_SHARED volatile __u64 enf_generation;
/* The epoch of each half's path keys (enforcer_abi.h, ENF_TAG_EPOCH):
 * written by enforcerd before it fills a half, which no program reads then
 * (a grace period after the switch away from it). */
ENF_SHARED volatile __u32 enf_path_epoch[2];
/* enforcerd's thread group id: governed tasks may not signal or trace it. */
ENF_SHARED volatile __u32 enf_daemon_tgid;
/* enforcerd's start time, in clock ticks since boot (/proc/PID/stat's
 * starttime), written before enf_daemon_tgid: with it, who is enforcerd,
 * never governed (gov_rest); a process that took its pid after it stopped
 * (its enforcement pinned and in force) started later, and is governed. */
ENF_SHARED volatile __u64 enf_daemon_start;
/* enforcerd's mount namespace (inode number of /proc/self/ns/mnt): mounts
 * it sees may not cover or remove enforcer's own files (protect.bpf.c). */
ENF_SHARED volatile __u32 enf_daemon_mntns;
/* Deny storms (enforcer_abi.h, enf_storm_key): full lines per key and
 * window; 0 = off (every denial is a line).  Set by enforcerd at start. */
ENF_SHARED volatile __u64 enf_storm_window_ns;
ENF_SHARED volatile __u32 enf_storm_burst;

/* Exec and file rules: (tag, path prefix) -> verdict. */
ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 65536);            /* resized from user space */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct enf_path_key);
	__type(value, struct enf_path_val);
} path_rules SEC(".maps");

/* The exact-path keys of exec and file rules (enforcer_abi.h,
 * enf_exact_key), looked up before path_rules. */
ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);            /* resized from user space */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct enf_exact_key);
	__type(value, struct enf_path_val);
} path_exact SEC(".maps");

/* Inode identity of rule targets and their ancestors. */
ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);            /* resized from user space */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct enf_inode_key);
	__type(value, struct enf_inode_val);
} inode_rules SEC(".maps");

/* Glob patterns of exec and file rules (enforcer_abi.h): two halves of
 * ENF_MAX_PATTERNS, indexed by enf_inode_val.pat. */
ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * ENF_MAX_PATTERNS);
	__type(key, __u32);
	__type(value, struct enf_pattern);
} patterns SEC(".maps");

/* The matcher's state (pattern.bpf.c): the names below an anchor, joined
 * by '/', and where the match of the current pattern stands. */
struct pat_state {
	char subj[ENF_PAT_SUBJECT + 256];       /* a name is read at an offset below ENF_PAT_SUBJECT */
	__u64 dent[ENF_PAT_DEPTH];              /* the dentries below the anchor, top first */
	__u32 cstart[ENF_PAT_DEPTH + 1];        /* where each name starts in subj */
	__u64 cur;                              /* the walk up collecting dent[] */
	__u32 lvl, n, len, trunc;               /* names below the anchor; read; subj bytes; more unread */
	__u32 first, npat, k, self_any;         /* the patterns; the one being matched */
	__u32 g, s, ci;                         /* glob position, subject position, its name */
	__u32 sg, ss, star;                     /* the last '*': glob after it, subject, set */
	__u32 dg, dc, dstar;                    /* the last '**': glob after it, name, set */
	__u32 partial;                          /* the subject is a directory matches may lie below */
	int result;                             /* PAT_* once decided */
	__u32 hit;                              /* the pattern index that matched */
	__u32 anc;                              /* ... that a partial match found (self_any) */
	__u32 has_anc;
	__u32 has_hit;
	__u32 idx;                              /* first + k: a map key */
	__u32 progs[2];                         /* classes of the program, of its parent's */
	__u32 no_progs;                         /* patterns with a program condition never match */
	__u32 same_dir;                         /* a rename within one directory (PAT_SAME_DIR) */
	struct enf_inode_key pk;                /* finding them: a program's (or dir's) identity */
	__u64 pcur;                             /* the dentry looked at */
	__u32 pwhich, pdirs, pdone;             /* program (0) or parent's (1); walk up; done */
	__u32 zero;                             /* 0: a map key */
};

ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pat_state);
} pat_scratch SEC(".maps");

/* Connect rules: (tag, address prefix) -> rules applicable below it. */
ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16384);            /* 16 rules per prefix: ample */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct enf_net_key);
	__type(value, struct enf_net_val);
} net_rules SEC(".maps");

/* Per-policy settings: gen * ENF_MAX_POLICIES + policy id. */
ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * ENF_MAX_POLICIES);
	__type(key, __u32);
	__type(value, struct enf_policy);
} policies SEC(".maps");

/* Cgroups created while cg_bind was full, whose policies could not be
 * bound (cgroup_mkdir): cgroup id -> mask of the generation halves (bit
 * gen) that missed them.  Their tasks, and those of every cgroup below,
 * fail closed in those halves; removed with the cgroup (cgroup_rmdir), a
 * half's bit cleared by the reload that refills it. */
ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u8);
} cg_unbound SEC(".maps");
/* Entries in cg_unbound (0: the walks skip the lookup). */
ENF_SHARED volatile __u64 enf_unbound_n;

/* The runtime filter (include/enforcer_abi.h): [half][word], written by
 * enforcerd through the mmap()ed .bss before the switch to that half,
 * cleared with the half's identities.  confine.bpf.h reads it. */
ENF_SHARED volatile __u64 enf_rt_bloom[2][ENF_RT_BLOOM_WORDS];

/* (cgroup id, gen) -> policies bound directly to that cgroup. */
ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct enf_cg_key);
	__type(value, struct enf_bind);
} cg_bind SEC(".maps");

/* (gen, cgroup path) -> policies for a cgroup that may not exist yet;
 * enf_cgroup_mkdir copies them into cg_bind as the cgroup is created. */
ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct enf_cgpath_key);
	__type(value, struct enf_bind);
} cgpath_bind SEC(".maps");

/* (gen, cgroup name) -> policies bound by unit name. */
ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct enf_cgname_key);
	__type(value, struct enf_bind);
} cgname_bind SEC(".maps");

/* cgroup id -> governing policies (own and ancestors'), per generation. */
ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct enf_cg_cache);
} cg_cache SEC(".maps");

/* The ungoverned filter every hook starts with: word (cgroup id ^ gen_bit)
 * & (2 * ENF_UNGOV_SLOTS - 1) holds the id of a cgroup that no policy
 * governs in half gen_bit (0: none known); the halves interleaved, a
 * word's half is the low bit of its index xor its id's.  Written only
 * from a fresh collect() (never from a cg_cache hit), one 8-byte store;
 * enforcerd clears a half before refilling it (after a grace period) and a
 * live bind's subtree with its cg_cache entries.  In .bss, direct-mapped:
 * a hook reads its word with one load (no map lookup, no key on the stack,
 * no call the compiler must save registers around); enforcerd writes it
 * through the skeleton's mapping, one aligned 8-byte store a word. */
ENF_SHARED volatile __u64 enf_ungov[2 * ENF_UNGOV_SLOTS];

/* enum enf_counter -> count (per CPU). */
ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ENF_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* policy id * ENF_HOOK_MAX + hook -> checks, denials, audits (per CPU). */
ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ENF_MAX_POLICIES * ENF_HOOK_MAX);
	__type(key, __u32);
	__type(value, struct enf_pstat);
} pstats SEC(".maps");

/* A policy's rules' hits (per CPU) at its slots (enf_policy.hits_base,
 * hits_n): one array slot per rule and per section default; a cache's
 * allows of the rule too (struct enf_slot_hits). */
ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ENF_RULE_SLOTS);
	__type(key, __u32);
	__type(value, struct enf_slot_hits);
} rule_slots SEC(".maps");

/* Written by enforcerd only (no hook reads it; enf_zero does): 1 + the
 * hook of each rule_slots slot of a policy range it assigned, 0 for a slot
 * with nothing to fold.  In .bss, so it stays with pinned maps: another
 * enforcerd folds what the slots hold by the right hook. */
ENF_ASSERT_POW2(ENF_RULE_SLOTS);
ENF_ASSERT_POW2(ENF_HOOK_MAX);
ENF_SHARED volatile __u8 enf_slot_hook[ENF_RULE_SLOTS];

/* (policy id, rule id, hook) -> the hits (per CPU) of a rule beyond its
 * policy's slots: only rules that matched take an entry, allocated at
 * their first match. */
ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, ENF_RULE_HITS_MAX);
	__type(key, struct enf_hit_key);
	__type(value, struct enf_hits);
} rule_hits SEC(".maps");

/* Audit records (struct enf_event) to enforcerd. */
ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);          /* resized from user space */
} events SEC(".maps");

/* Per task: exec'd a non-runtime program while governed (confine.bpf.h). */
ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct enf_task);
} task_state SEC(".maps");

/* cgroup id -> 1: a container's cgroup whose runtime is still setting it
 * up (enforcerd's bind pid=); removed at the first exec of a workload in it. */
ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, __u8);
} setup_cg SEC(".maps");
/* Entries in setup_cg, never fewer (enforcerd adds before it inserts, the
 * BPF side subtracts after a delete that removed one): 0 lets an exec and a
 * capability check skip setup_cg. */
ENF_SHARED volatile __u64 enf_setup_n;

/* cgroup level -> id of enforcerd's cgroup and of each cgroup above it
 * (0: none at that level), filled by enforcerd: their control files are
 * not for confined tasks (cgroup.freeze, cgroup.kill, memory.max, ...). */
ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ENF_DAEMON_CG_LEVELS);
	__type(key, __u32);
	__type(value, __u64);
} daemon_cg SEC(".maps");

/* Which BPF object the pinned programs came from (struct enf_obj_sig):
 * read and written by enforcerd only, no program uses it. */
ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct enf_obj_sig);
} obj_sig SEC(".maps");

/* Control-socket connections: who connected, stored on the socket itself
 * (see struct enf_ctl_peer). */
ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct enf_ctl_peer);
} ctl_peers SEC(".maps");


/* vc_lookup's reads for vc_fill (vcache.bpf.h). */
struct vc_scratch {
	__u64 epoch, root_d, root_m;
	__u64 links;                            /* enf_vc_links, read before the decision */
	__u32 rseq, mseq, fsseq;
	__u32 ok;                               /* cacheable so far */
	__u32 amask;
	__u32 rules[ENF_MAX_STACK];
	__u32 slots[ENF_MAX_STACK];             /* vc_fill: rule_slots indices */
};

/* The connect cache's miss (ncache.bpf.h): what nc_fill stores. */
struct nc_scratch {
	__u64 epoch;                            /* enf_vcache_epoch, read before the decision */
	__u32 ok;                               /* cacheable so far */
	__u32 amask;                            /* the policies accounted */
	__u32 rule;                             /* enf_ip_judge of a connect: the deciding rule ... */
	__u32 clean;                            /* ... 1: allowed (not denied, not audit's would-deny) */
	__u32 rules[ENF_MAX_STACK];             /* the rule that allowed, per policy */
	__u32 slots[ENF_MAX_STACK];             /* nc_fill: rule_slots indices */
};

/* Per-CPU scratch: the LPM key is followed by room for a whole PATH_MAX
 * path, so bpf_d_path() writes straight into the key.  The other members
 * are too large for the 512-byte BPF stack. */
struct scratch {
	struct enf_path_key key;               /* key.path[] continues into ... */
	char rest[ENF_PATH_BUF - ENF_PATH_KEY_MAX + 8];
	struct enf_cg_cache cache;             /* governing(): a freshly collected set */
	struct enf_cgpath_key cgpath;          /* cgroup_mkdir: path key */
	struct enf_argv argv;                  /* exec audit lines' arguments */
	struct enf_cg_cache dst;               /* cgroup.procs write: destination's set */
	struct enf_cgname_key cgname;          /* cgroup_mkdir: name key */
	__u64 prog[10];                        /* check_path's calls: prog.bpf.c's search, its result,
						* enf_walk's (off the stack) */
	struct enf_storm_key storm_key;        /* audit records: the deny-storm key ... */
	struct enf_storm_val storm_val;        /* ... and a new key's first value */
	__u32 storm_keyed;                     /* the record being written is the key's line */
	__u32 storm_pad;
	__u64 exe_dent[ENF_EXE_DEPTH];         /* exe_fill: the program's dentries, deepest first */
	__u32 exe_n;                           /* ... how many */
	__u32 exe_flags;                       /* ... ENF_EXE_TRUNC */
	__u32 exe_ret;                         /* ... its result: length | ENF_EXE_* << 16 */
	__u32 exe_pad;
	__u64 exe_file, exe_top, exe_d, exe_m, exe_up, exe_tmp;  /* ... its reads, its walk */
	char exe[ENF_EVENT_PATH * 2];          /* ... its path (second half: the verifier's bound) */
	__u32 refer_gain;                      /* refer(): the rights a move can gain (kept here,
						* not in a register: one verifier state, not two) */
	__u32 refer_pad;
	struct vc_scratch vc;                  /* the verdict cache's miss: what vc_fill compares */
	__u8 sctp_addr[28];                    /* an SCTP_DSTADDRV4/V6 control message's address as a
						* sockaddr_in/_in6 (net.bpf.c's sctp_cmsgs) ... */
	__u16 sctp_port;                       /* ... the sendmsg's port (network order) ... */
	__u16 sctp_pad;
	__u64 sctp_cmsg[2];                    /* ... a control message's header */
	__u64 sctp_ptr;                        /* ... sctp_addr's address, as a number ... */
	__u64 sctp_sk, sctp_ctl, sctp_clen;    /* ... the socket, the control data and its length
						* (here, not in registers spilled to the stack) */
	__u32 exact_len;                       /* check_path: the key's path length with its NUL
						* when it fits an exact-path key (path_exact), else 0 */
	__u32 exact_pad;
	struct nc_scratch nc;                  /* the connect cache's miss (ncache.bpf.h) */
};

/* Deny storms: a key's window and its suppressed count (audit.bpf.c).
 * Full: a new key is not suppressed (its every denial is a line). */
ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, ENF_STORM_KEYS);
	__type(key, struct enf_storm_key);
	__type(value, struct enf_storm_val);
} storms SEC(".maps");

/* The verdict cache (vcache.bpf.h): a direct-mapped table of
 * ENF_VC_SLOTS entries, a slot per hash of the inode's address; an entry
 * holds the allows of a read-only open, of an exec and of a PROT_EXEC
 * mapping of one file, and what they depended on. */
/* (struct vcache_val, its kinds and its sequence word: include/enforcer_abi.h) */
/* The entries: global data (.bss), read in place by a lookup: no map
 * lookup at all (enforcerd counts the live ones for `stats`). */
ENF_SHARED struct vcache_val enf_vc[ENF_VC_SLOTS];

/* Each slot's lock (fills and kills; a lookup takes none): an array of
 * its own, a spin lock being allowed in a map value only. */
struct vcache_lock {
	struct bpf_spin_lock lock;
};

ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ENF_VC_SLOTS);
	__type(key, __u32);
	__type(value, struct vcache_lock);
} vcache SEC(".maps");

/* The connect cache (ncache.bpf.h): an allowed connect() of a governed
 * task, under the whole key it was decided for (the cgroup, the normalised
 * destination, the protocol).  A direct-mapped array (slot: a hash of the
 * key): a slot is overwritten whole, in place, by the next fill that maps
 * to it, under its lock and sequence word; never freed or reused for a
 * value of another type. */
struct ncache_key {
	__u64 cgid;                             /* the task's cgroup (its governing set) */
	__u8 addr[16];                          /* as dest_parse gives it (v4-mapped as IPv4) */
	__u16 port;                             /* host order */
	__u8 family;                            /* 4 or 6 */
	__u8 proto;                             /* the socket's protocol (MPTCP as TCP) */
	__u8 raw;                               /* a SOCK_RAW socket */
	__u8 pad[3];
};
_Static_assert(sizeof(struct ncache_key) == 32, "ncache_key: four 8-byte words");

struct ncache_val {
	struct bpf_spin_lock lock;              /* fills only */
	__u32 seq;                              /* odd while a fill writes */
	__u64 generation, epoch;
	__u64 w[4];                             /* the struct ncache_key it was filled for */
	struct enf_acct acct;                   /* what a hit accounts */
};

#define ENF_NCACHE_SLOTS 4096
ENF_ASSERT_POW2(ENF_NCACHE_SLOTS);

ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ENF_NCACHE_SLOTS);
	__type(key, __u32);
	__type(value, struct ncache_val);
} ncache SEC(".maps");

/* Bumped by enforcerd after every live `bind` and at start: entries of
 * before (of the verdict cache and of the connect cache) never hit.
 * enf_vcache_off: --no-verdict-cache (both caches off). */
ENF_SHARED volatile __u64 enf_vcache_epoch;
ENF_SHARED volatile __u32 enf_vcache_off;
/* Bumped by every link and unlink on the host (file.bpf.c), before the
 * entry of the inode's slot is killed: a fill whose decision saw another
 * value stores nothing (vcache.bpf.h). */
ENF_SHARED volatile __u64 enf_vc_links;

/* One struct scratch per CPU (key 0). */
ENF_SHARED struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch_map SEC(".maps");

/* A path_rules or path_exact key's tag: tag (of half tag >> 31) with
 * that half's epoch (enforcer_abi.h, ENF_TAG_EPOCH). */
static __always_inline __u32 enf_path_tag(__u32 tag)
{
	return tag | ENF_TAG_EPOCH(enf_path_epoch[tag >> 31]);
}

#endif /* ENF_MAPS_BPF_H */
