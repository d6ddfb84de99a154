// SPDX-License-Identifier: GPL-2.0-only
/*
 * reload.c - (re)load the policy directory: parse, resolve, compile, apply.
 * All or nothing: any error leaves the policy set in force as it was.
 * Policy ids are stable per policy name across reloads (stats follow them).
 * reload_load() is the first load at start-up; reload_request() is the one
 * entry point of a running daemon (SIGHUP, --watch, the `reload` verb).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "daemon.h"
#include "enforcer.skel.h"

/* Give each policy of set an id: its old id if the name is known, else the
 * lowest id used by neither the current nor the new set. */
static int assign_ids(const struct enf_policy_set *set, uint32_t *ids, struct enf_errors *err)
{
	static uint8_t taken[ENF_MAX_POLICIES];

	memset(taken, 0, sizeof(taken));
	if (set->n > ENF_MAX_POLICIES) {
		errors_add(err, D.policy_dir, 0, "too many policies: %zu (max %d)", set->n, ENF_MAX_POLICIES);
		return -E2BIG;
	}
	for (size_t i = 0; i < D.cur.n; i++)
		taken[D.cur_ids[i]] = 1;
	for (size_t i = 0; i < set->n; i++) {
		ids[i] = UINT32_MAX;
		for (size_t j = 0; j < D.cur.n; j++)
			if (!strcmp(D.cur.pol[j].name, set->pol[i].name))
				ids[i] = D.cur_ids[j];
	}
	for (size_t i = 0; i < set->n; i++) {
		if (ids[i] != UINT32_MAX)
			continue;
		for (uint32_t id = 0; id < ENF_MAX_POLICIES; id++)
			if (!taken[id]) {
				taken[id] = 1;
				ids[i] = id;
				break;
			}
		if (ids[i] == UINT32_MAX) {
			errors_add(err, set->pol[i].file, 0, "no free policy id (max %d policies)", ENF_MAX_POLICIES);
			return -E2BIG;
		}
	}
	return 0;
}

/* The same rules, in the same order: rule ids keep their meaning. */
static bool same_rules(const struct enf_policy_src *a, const struct enf_policy_src *b)
{
	if (a->nrules != b->nrules)
		return false;
	for (size_t r = 0; r < a->nrules; r++)
		if (a->rules[r].hook != b->rules[r].hook || strcmp(a->rules[r].text, b->rules[r].text))
			return false;
	return true;
}

/* Zero the per-CPU counters of ids that now name another policy, and the
 * rule hits of policies whose rules changed (those in the rule_hits hash;
 * rule_slots.c gives them fresh slots).  kept[i]: set->pol[i] keeps its
 * rule hits. */
static void reset_stats(const struct enf_policy_set *set, const uint32_t *ids, bool *kept)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct enf_policy_src *known = NULL;

		for (size_t j = 0; j < D.cur.n; j++)
			if (D.cur_ids[j] == ids[i] && !strcmp(D.cur.pol[j].name, set->pol[i].name))
				known = &D.cur.pol[j];
		if (!known)
			policy_stat_reset(ids[i]);
		kept[i] = known && same_rules(known, &set->pol[i]);
		if (!kept[i])
			rule_hits_reset(ids[i]);
	}
	/* ids given up: their hits would greet the next policy to take one */
	for (size_t j = 0; j < D.cur.n; j++) {
		bool kept = false;

		for (size_t i = 0; i < set->n; i++)
			kept |= ids[i] == D.cur_ids[j];
		if (!kept)
			rule_hits_reset(D.cur_ids[j]);
	}
}

int reload_load(struct enf_errors *err)
{
	struct enf_policy_set set = {};
	struct enf_compiled comp = {};
	static uint32_t ids[ENF_MAX_POLICIES];
	static bool kept[ENF_MAX_POLICIES];
	uint64_t gen = D.generation;
	const struct dyn_bind *dyn;
	bool unchanged = false;
	size_t ndyn;
	int ret;

	if (policy_load_dir(D.policy_dir, &set, err) < 0 ||
	    policy_resolve_paths(&set, "/", err) < 0 ||
	    shadow_extend(&set, err) < 0 ||
	    assign_ids(&set, ids, err) < 0 ||
	    policy_compile(&set, ids, &comp, err) < 0) {
		ret = -EINVAL;
		goto fail;
	}
	reset_stats(&set, ids, kept);
	dyn = bindings_get(&ndyn);
	ret = policy_apply(&set, &comp, kept, dyn, ndyn, &gen, &unchanged, err);
	if (ret)
		goto fail;
	policy_compiled_free(&comp);
	/* unchanged: the switch to a half holding this set already */
	D.last_reload_unchanged = unchanged;
	D.reloads_unchanged += unchanged;
	/* Keep the previous set: events already in the ring buffer name it. */
	policy_set_free(&D.prev);
	D.prev = D.cur;
	memcpy(D.prev_ids, D.cur_ids, sizeof(D.prev_ids));
	D.prev_generation = D.generation;
	D.cur = set;
	memcpy(D.cur_ids, ids, set.n * sizeof(ids[0]));
	D.generation = gen;
	/* deny storms: what the old set's keys have pending, now, while the
	 * previous set still names them; their keys go */
	audit_storm_flush(1);
	D.reloads++;
	D.last_reload_error[0] = 0;
	shadow_applied();
	if (D.pin_dir)
		attribution_save();
	return 0;
fail:
	if (!err->n)
		errors_add(err, D.policy_dir, 0, "reload failed: %s", strerror(-ret));
	snprintf(D.last_reload_error, sizeof(D.last_reload_error), "%s", err->msg[0]);
	D.reload_failures++;
	policy_compiled_free(&comp);
	policy_set_free(&set);
	return ret ? ret : -EINVAL;
}

int reload_request(struct enf_errors *err)
{
	int ret;

	notify("RELOADING=1");
	ret = reload_load(err);
	notify("READY=1\nSTATUS=enforcing generation %llu, %zu policies%s",
	       (unsigned long long)D.generation, D.cur.n, ret ? " (last reload failed)" : "");
	if (ret == 0) {
		log_info("reload: generation %llu, %zu policies%s", (unsigned long long)D.generation, D.cur.n,
			 D.last_reload_unchanged ? ", unchanged (the maps hold this set)" : "");
	} else {
		for (size_t i = 0; i < err->n; i++)
			log_err(-EINVAL, "reload: %s", err->msg[i]);
	}
	return ret;
}

const struct enf_policy_src *daemon_policy_by_id(uint64_t generation, uint32_t id)
{
	const struct enf_policy_set *s = &D.cur;
	const uint32_t *ids = D.cur_ids;

	if (generation && generation == D.prev_generation && generation != D.generation) {
		s = &D.prev;
		ids = D.prev_ids;
	}
	for (size_t i = 0; i < s->n; i++)
		if (ids[i] == id)
			return &s->pol[i];
	/* an event of the generation adopted from the previous enforcerd */
	return attribution_lookup(generation, id);
}
