/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * daemon.h - enforcerd's shared state and the functions its modules export
 * to each other (BPF setup, policy apply, cgroupfs, audit, reload).
 */
#ifndef ENFORCER_DAEMON_H
#define ENFORCER_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <limits.h>
#include <time.h>
#include "control.h"
#include "log.h"
#include "policy.h"
#include "enforcer_version.h"

struct enforcer_bpf;

struct daemon {
	/* options */
	const char *policy_dir;
	const char *socket_path;
	const char *socket_group;
	const char *admin_group;    /* --admin-group: may change enforcer */
	const char *audit_path;     /* "-" = stdout */
	const char *pin_dir;        /* bpffs directory; NULL with --no-pin */
	int verbose;
	bool unload;                /* --unload */
	bool watch;                 /* --watch */
	bool no_vcache;             /* --no-verdict-cache */
	unsigned long max_rules;    /* --max-rules: map entries per generation */
	unsigned long max_cgroups;  /* --max-cgroups: cg_bind entries (both generations) */
	unsigned long storm_window_ms; /* --storm-window: deny-storm window, 0 = off */
	unsigned long storm_burst;  /* --storm-burst: full lines per key and window */
#define RUNTIMES_MAX 32
	const char *runtimes[RUNTIMES_MAX]; /* --runtime: programs with a setup phase */
	int nruntimes;                      /* 0: the built-in list */
	bool adopted;               /* maps came from a previous enforcerd */
	bool progs_adopted;         /* ... and its programs and links too (same object) */
	/* runtime */
	struct enforcer_bpf *skel;
	char cgroup_root[PATH_MAX];
	time_t started;
	bool live;
	uint64_t generation;            /* live generation (0 = none yet) */
	struct enf_policy_set cur;      /* the policy set in force */
	uint32_t cur_ids[ENF_MAX_POLICIES];
	struct enf_policy_set prev;     /* the one before, for events in flight */
	uint32_t prev_ids[ENF_MAX_POLICIES];
	uint64_t prev_generation;
	uint64_t reloads, reload_failures;
	uint64_t reloads_unchanged;     /* reloads that found the maps holding the set */
	bool last_reload_unchanged;
	uint64_t map_update_failures;   /* daemon-side map updates that failed */
	uint64_t path_epochs;           /* reloads that left a half's path entries as garbage */
	char last_reload_error[512];
};

/* Written only by enforcerd.c (options, start-up, unload) and reload.c (the
 * policy set in force and its counters); every other module reads it. */
extern struct daemon D;


/* bpf_setup.c */
int bpf_setup_check_lsm(void);
int bpf_setup_load(struct enforcer_bpf **out, int verbose, bool adopt);
int bpf_setup_attach(struct enforcer_bpf *skel);
void bpf_setup_destroy(struct enforcer_bpf *skel);

/* bindings.c: cgroups bound at run time (bind request, OCI hook). */
struct dyn_bind {
	char *cgpath;
	char *ns, *pod, *container, *root;   /* NULL when not given */
	bool via_pod;   /* a pod's container: its policies are bound at the pod's
			 * cgroup (a record of its own), this one keeps its root */
};
typedef void (*bind_found_fn)(void *ctx, const char *cgpath, const char *ns, const char *pod,
			      const char *container, const char *root);
const struct dyn_bind *bindings_get(size_t *n);
void bindings_load(void);
/* discover.c: running containers of containerd and CRI-O. */
int oci_discover_bindings(bind_found_fn fn, void *ctx);

/* pin.c */
bool pin_exists(void);
int pin_adopt_maps(struct enforcer_bpf *skel);
int pin_adopt_progs(struct enforcer_bpf *skel);   /* 1: keep the pinned programs */
int pin_open_links(struct enforcer_bpf *skel);
int pin_all(struct enforcer_bpf *skel, bool adopted);
int pin_remove(void);
void pin_wait_detached(void);   /* after pin_remove and closing our links */
int pin_mkdirs(void);

/* notify.c: sd_notify(3) without libsystemd; no-op outside systemd. */
void notify(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void notify_watchdog_tick(void *ctx);

/* watch.c: --watch */
int watch_init(void);

/* caps.c */
int caps_drop(void);

/* self_id.c: enforcerd's tgid, mount namespace and cgroups, for the BPF
 * side's protection of it; 0 or -errno (logged). */
int self_id_publish(void);

/* cgroupfs.c */
int cgroupfs_find_named(const char *name, char ***paths, size_t *n);
int cgroupfs_find_root(char *out, size_t sz);
int cgroupfs_id(const char *cgpath, uint64_t *id);          /* 0, or -errno */
const char *cgroupfs_path(uint64_t id);                      /* NULL if unknown */
/* fn(id, ctx) for cgpath and every cgroup below it; 0 or -errno */
int cgroupfs_each_below(const char *cgpath, void (*fn)(uint64_t id, void *ctx), void *ctx);

/* policy_apply.c, the one writer of the policy maps: fill the inactive half
 * with c (and the run-time bindings dyn) and flip to it.  hits_kept[i]:
 * set->pol[i] keeps the rule hit counters it has in the live half.
 * *unchanged (may be NULL: always fill): set when the fill would write
 * exactly what a half holds: the live one (then nothing is touched and
 * *generation stays) or the inactive one (then the switch alone). */
int policy_apply(const struct enf_policy_set *set, const struct enf_compiled *c, const bool *hits_kept,
		 const struct dyn_bind *dyn, size_t ndyn, uint64_t *generation, bool *unchanged,
		 struct enf_errors *err);
/* fill_digest.c: the digest of a fill's map writes; a dry fill emulates
 * the emptied half instead of writing (every map but plain_fd). */
void fill_digest_begin(bool dry, int plain_fd);
bool fill_digest_dry(void);
void fill_digest_pause(bool paused);
uint64_t fill_digest_end(void);
int fd_update(int fd, const void *k, const void *v, unsigned long long flags);
int fd_lookup(int fd, const void *k, void *v);
/* rule_slots.c: base[i], n[i]: the rule hit counter slots (rule_slots) of
 * c->pols[i] in the half being filled; live_ids: the ids of the live half
 * live_bit.  0 or -errno. */
int rule_slots_assign(uint32_t live_bit, const uint8_t *live_ids, const struct enf_policy_set *set,
		      const struct enf_compiled *c, const bool *kept, uint32_t *base, uint32_t *n);
/* Bind one run-time binding b to policy ids in the live half now (and the
 * container paths of every binding of dyn). */
int policy_apply_bind(const struct dyn_bind *b, const uint32_t *ids, size_t nids,
		      const struct dyn_bind *dyn, size_t ndyn);
/* bind pid=PID: the container's init is in the runtime's setup phase. */
int policy_apply_mark_setup(const char *cgpath);   /* bind pid=: setup phase */
/* policy_apply.c: wait until every BPF program running now has finished. */
int policy_grace_period(void);
/* The same wait, begun now in a thread (one at a time: a second begin
 * while one is under way does nothing): a reload that will write the
 * inactive half begins it first thing, so that it runs while the reload
 * parses and compiles; policy_apply() ends it (or waits itself).
 * policy_grace_end(): wait for the one begun, if any; 0 or -errno. */
void policy_grace_begin(void);
int policy_grace_end(void);
/* After adopting pinned maps: every policy slot of both halves may be in use. */
void policy_apply_adopted(void);

/* reload.c: all or nothing; on failure err says why and nothing changed. */
int reload_load(struct enf_errors *err);      /* start-up: the first load */
int reload_request(struct enf_errors *err);   /* SIGHUP, --watch, `reload`: notifies, logs */
int reload_reapply(struct enf_errors *err);   /* the set in force again (audit log reopened) */
int audit_rotate(struct enf_errors *err);     /* reopen + protect the new file */
const struct enf_policy_src *daemon_policy_by_id(uint64_t generation, uint32_t id);

/* shadow.c: the candidate of `enforcerctl shadow` (README "Shadow and
 * promote").  reload.c: shadow_extend after reading the policy directory
 * (adds the observation policy while a shadow is loaded), shadow_applied
 * after each applied generation; audit.c: shadow_event for each record
 * (true: an observation record, judged and not delivered). */
struct audit_context;
struct enf_event;
struct jbuf;
int shadow_extend(struct enf_policy_set *set, struct enf_errors *err);
void shadow_applied(void);
bool shadow_event(const struct enf_event *e, const struct audit_context *ac);
bool shadow_loaded(void);
const char *shadow_drop_note(void);
void shadow_status(struct jbuf *b);

/* attribution.c: the generation in force, kept in /run/enforcer beside the
 * socket, so that after adopting pinned enforcement its events still name
 * the right policy and rule. */
void attribution_save(void);             /* after each applied generation */
int attribution_load(uint64_t generation); /* on adopt; -1: nothing usable */
const struct enf_policy_src *attribution_lookup(uint64_t generation, uint32_t id);
void attribution_remove(void);           /* unload */
void attribution_fini(void);

/* counters.c: per-CPU counters summed over CPUs */
uint64_t audit_counter(uint32_t idx);      /* enum enf_counter (a cache's hits: all of them) */
uint64_t audit_counter_raw(uint32_t idx);  /* ... only what the counters map holds */
struct enf_pstat;
void policy_stat(uint32_t id, uint32_t hook, struct enf_pstat *out);
void policy_stat_reset(uint32_t id);       /* the id now names another policy */
/* A rule's hits since load (summed over CPUs; zeros when it never matched). */
void rule_hits_get(uint32_t policy_id, uint32_t hook, uint32_t rule_id, struct enf_hits *out);
void rule_hits_reset(uint32_t policy_id);  /* its rules changed, or its id was given away */

/* cache_acct.c: a cache's allows, counted in rule slots (struct enf_slot_hits) */
uint64_t cache_acct_hits(uint32_t hook);               /* the lead counts of hook's slots */
uint64_t cache_acct_checks(uint32_t id, uint32_t hook); /* policy id's cached checks of hook */
void cache_acct_forget(uint32_t id);                  /* its stats reset: start from zero */
/* After the grace period since the last switch: fold and zero every slot
 * with counts that no policy of the live half uses (live[slot] == 0). */
int cache_acct_retire(const uint8_t *live);
struct enf_policy_src;
/* Slots [base, base + n) count policy id's (p's) rules from now on. */
void cache_acct_track(uint32_t id, uint32_t base, uint32_t n, const struct enf_policy_src *p);

/* audit.c: delivery of audit lines (audit_format.c writes them) */
typedef void (*audit_publish_fn)(const char *line, size_t len, const struct audit_meta *m);
int audit_init(audit_publish_fn publish);   /* publish: the live subscribers */
int audit_reopen(void);
void audit_tick(void *ctx);
void audit_storm_flush(int force);          /* deny storms: pending counts as summary lines */
/* map_zero.c: zero entries [first, first + n) of rule_slots (every CPU)
 * in the kernel (enf_zero); 0 or -errno (then batch-update) */
int map_zero(enum enf_zero_map map, uint32_t first, uint32_t n);
void audit_fini(void);
uint64_t audit_lines_written(void);
uint64_t audit_write_errors(void);
uint64_t audit_lost_total(void);
void audit_backlog_foreach(backlog_fn fn, void *ctx);   /* for control_config */
struct audit_meta;
/* Deliver one complete JSON object (no newline) like an event's line. */
void audit_deliver(struct jbuf *b, const struct audit_meta *m);

#endif
