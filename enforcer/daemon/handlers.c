// SPDX-License-Identifier: GPL-2.0-only
/*
 * handlers.c - the daemon's answers to control-socket requests: status,
 * policies, stats (JSON and Prometheus text), reload and reopen.  The table
 * of verbs is enforcerd.c's; peer.c decides who may change state.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "daemon.h"
#include "path_garbage.h"
#include "handlers.h"
#include "enforcer.skel.h"


int handle_status(struct jbuf *b, const struct proto_req *req)
{
	struct utsname u;

	(void)req;
	uname(&u);
	jb_obj_open(b);
	jb_kbool(b, "ok", true);
	jb_kstr(b, "version", ENFORCER_VERSION);
	jb_kstr(b, "kernel", u.release);
	jb_kint(b, "uptime", (int64_t)(time(NULL) - D.started));
	jb_kuint(b, "generation", D.generation);
	jb_kbool(b, "live", D.live && D.generation > 0);
	jb_kbool(b, "pinned", D.pin_dir != NULL);
	if (D.pin_dir)
		jb_kstr(b, "pin_dir", D.pin_dir);
	jb_kbool(b, "adopted", D.adopted);
	jb_kbool(b, "programs_adopted", D.progs_adopted);
	jb_kstr(b, "policy_dir", D.policy_dir);
	jb_kstr(b, "cgroup_root", D.cgroup_root);
	jb_kuint(b, "reloads", D.reloads);
	jb_kuint(b, "reload_failures", D.reload_failures);
	if (D.last_reload_error[0])
		jb_kstr(b, "last_reload_error", D.last_reload_error);
	shadow_status(b);
	jb_key(b, "policies");
	jb_arr_open(b);
	for (size_t i = 0; i < D.cur.n; i++) {
		const struct enf_policy_src *p = &D.cur.pol[i];

		jb_obj_open(b);
		jb_kstr(b, "name", p->name);
		jb_kstr(b, "file", p->file);
		jb_kstr(b, "mode", p->mode == ENF_MODE_AUDIT ? "audit" : "enforce");
		jb_kuint(b, "id", D.cur_ids[i]);
		jb_key(b, "cgroups");
		jb_arr_open(b);
		for (size_t j = 0; j < p->ncgroups; j++) {
			uint64_t id;
			int r = cgroupfs_id(p->cgroups[j], &id);

			jb_obj_open(b);
			jb_kstr(b, "path", p->cgroups[j]);
			jb_kstr(b, "state", r == 0 ? "bound" : "pending");
			if (r == 0)
				jb_kuint(b, "id", id);
			jb_obj_close(b);
		}
		/* cgroups bound at run time (pods: their pod's cgroup) */
		size_t ndyn;
		const struct dyn_bind *dyn = bindings_get(&ndyn);

		for (size_t j = 0; j < ndyn; j++) {
			uint64_t id;

			if (dyn[j].via_pod || !policy_matches_pod(p, dyn[j].ns, dyn[j].pod) ||
			    cgroupfs_id(dyn[j].cgpath, &id) < 0)
				continue;
			jb_obj_open(b);
			jb_kstr(b, "path", dyn[j].cgpath);
			jb_kstr(b, "state", "bound");
			jb_kuint(b, "id", id);
			if (dyn[j].ns)
				jb_kstr(b, "namespace", dyn[j].ns);
			if (dyn[j].pod)
				jb_kstr(b, "pod", dyn[j].pod);
			jb_obj_close(b);
		}
		jb_arr_close(b);
		jb_obj_close(b);
	}
	jb_arr_close(b);
	jb_obj_close(b);
	return 0;
}

int handle_policies(struct jbuf *b, const struct proto_req *req)
{
	(void)req;
	jb_obj_open(b);
	jb_kbool(b, "ok", true);
	jb_kuint(b, "generation", D.generation);
	jb_key(b, "policies");
	policy_dump_json(b, &D.cur);
	jb_obj_close(b);
	return 0;
}


/* Entries in map fd (keys of ksz bytes): bounded by its max_entries. */
static uint64_t map_count(int fd, size_t ksz)
{
	char k[64], next[64];
	uint64_t n = 0;
	void *prev = NULL;

	if (ksz > sizeof(k))
		return 0;
	while (bpf_map_get_next_key(fd, prev, next) == 0) {
		memcpy(k, next, ksz);
		prev = k;
		n++;
	}
	return n;
}

/* Live entries of the verdict cache's table (bpf-lsm/vcache.bpf.h): a key,
 * an even sequence word, at least one kind stored.  Read through the
 * skeleton's mapping of .bss, without the slots' locks: a snapshot. */
static uint64_t vcache_live(void)
{
	const volatile struct vcache_val *vc = D.skel->bss->enf_vc;
	uint64_t n = 0;

	for (uint32_t i = 0; i < ENF_VC_SLOTS; i++) {
		uint32_t seq = vc[i].seq;

		if (vc[i].key && !(seq & 1) && (seq & VC_SEQ_NOALL) != VC_SEQ_NOALL)
			n++;
	}
	return n;
}

static int stats_json(struct jbuf *b)
{
	size_t rules_left = PROTO_RULES_METRICS, rules_omitted = 0;

	jb_obj_open(b);
	jb_kbool(b, "ok", true);
	jb_kuint(b, "generation", D.generation);
	jb_kuint(b, "reloads", D.reloads);
	jb_kuint(b, "reload_failures", D.reload_failures);
	jb_kuint(b, "reloads_unchanged", D.reloads_unchanged);
	jb_kuint(b, "reload_path_epochs", D.path_epochs);
	jb_kuint(b, "reload_path_garbage", garbage_pending(-1));
	jb_kuint(b, "ringbuf_drops", audit_counter(ENF_CNT_RB_DROPS));
	jb_kuint(b, "storm_suppressed", audit_counter(ENF_CNT_SUPPRESSED));
	jb_kuint(b, "fail_closed", audit_counter(ENF_CNT_FAIL_CLOSED));
	jb_kuint(b, "cgroup_cache_misses", audit_counter(ENF_CNT_CACHE_MISS));
	jb_kuint(b, "verdict_cache_hits", audit_counter(ENF_CNT_VCACHE_HIT));
	jb_kuint(b, "verdict_cache_fills", audit_counter(ENF_CNT_VCACHE_FILL));
	jb_kuint(b, "verdict_cache_live", vcache_live());
	jb_kuint(b, "exec_cache_hits", audit_counter(ENF_CNT_XCACHE_HIT));
	jb_kuint(b, "exec_cache_fills", audit_counter(ENF_CNT_XCACHE_FILL));
	jb_kuint(b, "mmap_cache_hits", audit_counter(ENF_CNT_MCACHE_HIT));
	jb_kuint(b, "mmap_cache_fills", audit_counter(ENF_CNT_MCACHE_FILL));
	jb_kuint(b, "connect_cache_hits", audit_counter(ENF_CNT_NCACHE_HIT));
	jb_kuint(b, "connect_cache_fills", audit_counter(ENF_CNT_NCACHE_FILL));
	jb_kuint(b, "cgroups_bound_on_mkdir", audit_counter(ENF_CNT_BIND_ON_MKDIR));
	jb_kuint(b, "tamper_denials", audit_counter(ENF_CNT_TAMPER));
	jb_kuint(b, "setup_write_refusals", audit_counter(ENF_CNT_SETUP_WRITE));
	jb_kuint(b, "map_update_failures", audit_counter(ENF_CNT_MAP_FAIL) + D.map_update_failures);
	jb_kuint(b, "cgroup_bindings", map_count(bpf_map__fd(D.skel->maps.cg_bind),
						 sizeof(struct enf_cg_key)));
	jb_kuint(b, "rule_hits_lost", audit_counter(ENF_CNT_HITS_LOST));
	jb_kuint(b, "audit_lines_written", audit_lines_written());
	jb_kuint(b, "audit_write_errors", audit_write_errors());
	jb_key(b, "control");
	control_stats(b);
	jb_key(b, "policies");
	jb_arr_open(b);
	for (size_t i = 0; i < D.cur.n; i++) {
		jb_obj_open(b);
		jb_kstr(b, "name", D.cur.pol[i].name);
		for (uint32_t h = 0; h < ENF_HOOK_MAX; h++) {
			struct enf_pstat st;

			policy_stat(D.cur_ids[i], h, &st);
			jb_key(b, policy_hook_name(h));
			jb_obj_open(b);
			jb_kuint(b, "checks", st.checks);
			jb_kuint(b, "denials", st.denials);
			jb_kuint(b, "audits", st.audits);
			jb_obj_close(b);
		}
		/* after the hooks: their objects come right after "name" */
		stats_json_rules(b, i, &rules_left, &rules_omitted);
		jb_obj_close(b);
	}
	jb_arr_close(b);
	jb_kuint(b, "rules_omitted", rules_omitted);
	jb_obj_close(b);
	return 0;
}

/* Prometheus text exposition format, carried in a JSON string. */
static int stats_prometheus(struct jbuf *b)
{
	struct jbuf t;
	char line[512];
	/* every scalar of the JSON stats, under the same meaning
	 * (rule_hits_lost: stats_prometheus_rules) */
	const struct { const char *name, *type, *help; uint64_t v; } globals[] = {
		{ "enforcer_ringbuf_drops_total", "counter", "Audit events lost because the ring buffer was full.",
		  audit_counter(ENF_CNT_RB_DROPS) },
		{ "enforcer_storm_suppressed_total", "counter", "Denials reported as suppressed counts (deny storms).",
		  audit_counter(ENF_CNT_SUPPRESSED) },
		{ "enforcer_fail_closed_total", "counter", "Denials because a bound ran out or a kernel read failed.",
		  audit_counter(ENF_CNT_FAIL_CLOSED) },
		{ "enforcer_tamper_denials_total", "counter", "Denied attempts on enforcer itself.",
		  audit_counter(ENF_CNT_TAMPER) },
		{ "enforcer_setup_write_refusals_total", "counter",
		  "cgroup.procs/cgroup.threads writes by a governed task through a descriptor it did not open "
		  "as one (refused a setup phase then).",
		  audit_counter(ENF_CNT_SETUP_WRITE) },
		{ "enforcer_reloads_total", "counter", "Successful policy reloads.", D.reloads },
		{ "enforcer_reload_failures_total", "counter", "Policy reloads that failed (nothing changed).",
		  D.reload_failures },
		{ "enforcer_reloads_unchanged_total", "counter", "Reloads that wrote no map.", D.reloads_unchanged },
		{ "enforcer_generation", "gauge", "Policy generation in force.", D.generation },
		{ "enforcer_map_update_failures_total", "counter", "Map updates that failed (kernel and daemon); "
		  "governed work fails closed.", audit_counter(ENF_CNT_MAP_FAIL) + D.map_update_failures },
		{ "enforcer_cgroup_cache_misses_total", "counter", "Cgroup binding cache misses.",
		  audit_counter(ENF_CNT_CACHE_MISS) },
		{ "enforcer_cgroups_bound_on_mkdir_total", "counter", "Cgroups bound by path as they appeared.",
		  audit_counter(ENF_CNT_BIND_ON_MKDIR) },
		{ "enforcer_cgroup_bindings", "gauge", "Entries in the cgroup binding map.",
		  map_count(bpf_map__fd(D.skel->maps.cg_bind), sizeof(struct enf_cg_key)) },
		{ "enforcer_verdict_cache_fills_total", "counter", "Read-only open allows stored in the verdict cache.",
		  audit_counter(ENF_CNT_VCACHE_FILL) },
		{ "enforcer_verdict_cache_hits_total", "counter", "File opens answered by the verdict cache.",
		  audit_counter(ENF_CNT_VCACHE_HIT) },
		{ "enforcer_verdict_cache_live", "gauge", "Live entries of the verdict cache's table (of 8192).",
		  vcache_live() },
		{ "enforcer_exec_cache_fills_total", "counter", "Exec allows stored in the verdict cache.",
		  audit_counter(ENF_CNT_XCACHE_FILL) },
		{ "enforcer_exec_cache_hits_total", "counter", "Execs answered by the verdict cache.",
		  audit_counter(ENF_CNT_XCACHE_HIT) },
		{ "enforcer_mmap_cache_fills_total", "counter", "PROT_EXEC mapping allows stored in the verdict cache.",
		  audit_counter(ENF_CNT_MCACHE_FILL) },
		{ "enforcer_mmap_cache_hits_total", "counter", "PROT_EXEC mappings answered by the verdict cache.",
		  audit_counter(ENF_CNT_MCACHE_HIT) },
		{ "enforcer_connect_cache_fills_total", "counter", "Connect allows stored in the connect cache.",
		  audit_counter(ENF_CNT_NCACHE_FILL) },
		{ "enforcer_connect_cache_hits_total", "counter", "Connects answered by the connect cache.",
		  audit_counter(ENF_CNT_NCACHE_HIT) },
		{ "enforcer_audit_lines_written_total", "counter", "Audit lines written to the audit log.",
		  audit_lines_written() },
		{ "enforcer_audit_write_errors_total", "counter", "Audit log writes that failed.",
		  audit_write_errors() },
	};

	jb_init(&t);
	for (size_t i = 0; i < sizeof(globals) / sizeof(globals[0]); i++) {
		snprintf(line, sizeof(line), "# HELP %s %s\n# TYPE %s %s\n%s %llu\n",
			 globals[i].name, globals[i].help, globals[i].name, globals[i].type, globals[i].name,
			 (unsigned long long)globals[i].v);
		jb_raw(&t, line, strlen(line));
	}
	static const char *kinds[] = { "checks", "denials", "audits" };
	for (int k = 0; k < 3; k++) {
		snprintf(line, sizeof(line), "# HELP enforcer_%s_total Per policy and hook.\n"
			 "# TYPE enforcer_%s_total counter\n", kinds[k], kinds[k]);
		jb_raw(&t, line, strlen(line));
		for (size_t i = 0; i < D.cur.n; i++)
			for (uint32_t h = 0; h < ENF_HOOK_MAX; h++) {
				struct enf_pstat st;
				uint64_t v;

				policy_stat(D.cur_ids[i], h, &st);
				v = k == 0 ? st.checks : k == 1 ? st.denials : st.audits;
				/* policy names are [A-Za-z0-9_.-]: no label escaping needed */
				snprintf(line, sizeof(line), "enforcer_%s_total{policy=\"%s\",hook=\"%s\"} %llu\n",
					 kinds[k], D.cur.pol[i].name, policy_hook_name(h), (unsigned long long)v);
				jb_raw(&t, line, strlen(line));
			}
	}
	stats_prometheus_rules(&t);
	jb_obj_open(b);
	jb_kbool(b, "ok", true);
	jb_key(b, "text");
	jb_strn(b, t.s ? t.s : "", t.len);
	jb_obj_close(b);
	jb_free(&t);
	return 0;
}

int handle_stats(struct jbuf *b, const struct proto_req *req)
{
	if (req->rules)
		return handle_stats_rules(b, req->rules);
	return req->prometheus ? stats_prometheus(b) : stats_json(b);
}

int handle_reload(struct jbuf *b, const struct proto_req *req)
{
	struct enf_errors err = {};
	int ret;

	bool had_shadow = shadow_loaded();

	(void)req;
	ret = reload_request(&err);
	jb_obj_open(b);
	jb_kbool(b, "ok", ret == 0);
	if (ret == 0) {
		jb_kuint(b, "generation", D.generation);
		jb_kuint(b, "policies", D.cur.n);
		/* nothing to write: the maps hold this set (same generation) */
		if (D.last_reload_unchanged)
			jb_kbool(b, "unchanged", true);
		/* a shadow stays loaded across a reload, unless it no longer fits */
		if (had_shadow)
			jb_kstr(b, "shadow", shadow_loaded() ? "kept" : shadow_drop_note());
	} else {
		jb_kstr(b, "error", "policy errors: nothing changed, the previous policy set stays in force");
		jb_key(b, "errors");
		jb_arr_open(b);
		for (size_t i = 0; i < err.n; i++)
			jb_str(b, err.msg[i]);
		jb_arr_close(b);
		jb_kuint(b, "generation", D.generation);
	}
	jb_obj_close(b);
	errors_free(&err);
	return ret;
}

int handle_reopen(struct jbuf *b, const struct proto_req *req)
{
	struct enf_errors err = {};
	int ret = audit_rotate(&err);

	(void)req;
	jb_obj_open(b);
	jb_kbool(b, "ok", ret == 0);
	if (ret < 0)
		jb_kstr(b, "error", strerror(-ret));
	else if (ret > 0)
		jb_kstr(b, "error", err.n ? err.msg[0] : "could not protect the reopened audit log");
	jb_obj_close(b);
	if (ret > 0)
		log_err(-EIO, "reopen: the audit log was reopened but is not protected: %s",
			err.n ? err.msg[0] : "?");
	errors_free(&err);
	return ret < 0 ? ret : ret ? -EIO : 0;
}
