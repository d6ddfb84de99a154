/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * learn.h - learning a policy from audit-mode would-deny records
 * (`enforcerctl learn`): every record of the learning policy is one
 * action the workload did; the set of distinct actions (bounded) becomes an
 * allowlist policy, `default = deny` in each section, each rule annotated
 * with its hit count and first and last use.
 */
#ifndef ENFORCER_LEARN_H
#define ENFORCER_LEARN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define LEARN_MAX_DEFAULT 4096     /* distinct actions kept */

struct learn_entry {
	uint8_t hook;          /* ENF_HOOK_EXEC, _FILE, _CONNECT, _BIND */
	bool write;            /* file: opened for writing at least once */
	char *key;             /* exec/file: path; connect/bind: "ADDR port N PROTO"; unix:NAME */
	uint64_t hits;
	char first[40], last[40];   /* RFC 3339 times of the records */
};

struct learn_set {
	struct learn_entry *e;
	size_t n, cap, max;    /* max: distinct actions kept (0: LEARN_MAX_DEFAULT) */
	uint64_t events;       /* records learned */
	uint64_t dropped;      /* records of new actions past max (reported, never silent) */
	uint64_t names_only;   /* records carrying only a name (rename, unlink...): not learnable */
	uint64_t lost;         /* "lost" lines: records the kernel could not deliver */
	char last_time[40];    /* the newest record's time (resuming skips older ones) */
};

/* One audit line (JSON); only records with "policy" == policy count.
 * Returns 1 when learned, 0 when ignored, -1 on a line that is not JSON. */
int learn_add_line(struct learn_set *s, const char *policy, const char *line, size_t len);

/* State file: one entry per line, "HOOK\tWRITE\tHITS\tFIRST\tLAST\tKEY",
 * after a header line "enforcer-learn 1\tEVENTS\tDROPPED\tNAMES\tLOST\tLAST". */
int learn_save(const struct learn_set *s, const char *path);
int learn_load(struct learn_set *s, const char *path);   /* 0, or -1 (errno) */

/* The policy: [policy] with the target lines given (e.g. "cgroup = /x"),
 * then one section per hook, default = deny.  fold: a directory holding
 * at least fold learned files becomes one directory rule (0: never). */
void learn_write_ini(FILE *f, const struct learn_set *s, const char *name,
		     const char *target_line, unsigned fold);
void learn_free(struct learn_set *s);

#endif
