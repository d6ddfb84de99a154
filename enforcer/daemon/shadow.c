// SPDX-License-Identifier: GPL-2.0-only
/*
 * shadow.c - `enforcerctl shadow` and `promote` in the daemon: the
 * candidate set held beside the live one, the observation policy added to
 * every load while it is held (reload.c calls shadow_extend), the judgement
 * of each observed action by both sets with the offline model and its
 * `shadow` audit lines (audit.c calls shadow_event), the report, and
 * promote: the candidate's files installed into the policy directory and
 * made live by one reload (one generation flip).  README "Shadow and
 * promote" says what is judged and what is not.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "daemon.h"
#include "handlers.h"
#include "audit_format.h"
#include "json.h"
#include "shadow_model.h"

#define PREVIOUS_DIR ".enforcer-previous"   /* in the policy directory: what promote replaced */
#define TID_SLOTS 256

static struct {
	bool loaded;
	bool strict;                  /* the shadow verb's own load: no silent drop */
	struct shadow_cand cand;
	time_t since;
	struct shadow_report rep;
	/* the live set for the model: D.cur without the observation policy */
	struct enf_compiled live_comp;
	size_t live_n;
	bool live_ok;
	uint64_t observed, judged, unmodelled, duplicates;
	/* the last observation record of a thread: its enforce-mode denial by
	 * a live policy after the observation policy is the same action */
	struct { uint32_t tid, op; uint8_t hook; uint64_t key; } last[TID_SLOTS];
	char note[512];               /* why the last reload dropped the shadow */
} S;

bool shadow_loaded(void)
{
	return S.loaded;
}

const char *shadow_drop_note(void)
{
	return S.note;
}

static void drop_state(void)
{
	shadow_cand_free(&S.cand);
	shadow_report_free(&S.rep);
	S.loaded = false;
	S.observed = S.judged = S.unmodelled = S.duplicates = 0;
	memset(S.last, 0, sizeof(S.last));
}

/* Append the observation policy to set (reload.c, after the policy
 * directory was read).  Strict (the shadow verb): an error fails the load.
 * Otherwise (reload, SIGHUP, --watch) the shadow is dropped, logged and
 * said in status, and the load goes on without it. */
int shadow_extend(struct enf_policy_set *set, struct enf_errors *err)
{
	struct enf_policy_set obs = {}, all;
	struct enf_errors e = {};
	struct enf_policy_src *grown;
	char *ini;

	if (!S.loaded)
		return 0;
	ini = shadow_observe_ini(&S.cand.set, &e);
	if (ini && policy_parse_buffer(SHADOW_OBSERVE_FILE, ini, strlen(ini), &obs, &e) == 0 &&
	    policy_resolve_paths(&obs, "/", &e) == 0 && obs.n == 1) {
		/* the live set and the observation policy together: stacking bounds */
		all.n = set->n + 1;
		all.pol = malloc(all.n * sizeof(*all.pol));
		if (!all.pol) {
			errors_add(&e, SHADOW_OBSERVE_FILE, 0, "out of memory");
		} else {
			memcpy(all.pol, set->pol, set->n * sizeof(*all.pol));
			all.pol[set->n] = obs.pol[0];
			policy_set_validate(&all, &e);
			free(all.pol);
		}
	}
	free(ini);
	if (!e.n && !(grown = realloc(set->pol, (set->n + 1) * sizeof(*set->pol))))
		errors_add(&e, SHADOW_OBSERVE_FILE, 0, "out of memory");
	if (e.n) {
		policy_set_free(&obs);
		if (S.strict) {
			errors_add(err, S.cand.dir, 0, "shadow: the observation policy (audit mode, bound "
				   "to the candidate's cgroups) cannot be added to the live set:");
			for (size_t i = 0; i < e.n; i++)
				errors_add(err, SHADOW_OBSERVE_FILE, 0, "%s", e.msg[i]);
			errors_free(&e);
			return -1;
		}
		snprintf(S.note, sizeof(S.note), "the shadow of %.150s was dropped by a reload: %.300s",
			 S.cand.dir, e.msg[0]);
		log_err(-EINVAL, "shadow: %s", S.note);
		errors_free(&e);
		drop_state();
		return 0;
	}
	set->pol = grown;
	set->pol[set->n++] = obs.pol[0];
	free(obs.pol);
	return 0;
}

/* After each applied generation: the live set's model. */
void shadow_applied(void)
{
	struct enf_policy_set live;
	struct enf_errors e = {};

	policy_compiled_free(&S.live_comp);
	S.live_ok = false;
	S.live_n = D.cur.n;
	if (S.live_n && !strcmp(D.cur.pol[S.live_n - 1].name, SHADOW_OBSERVE_NAME))
		S.live_n--;
	if (!S.loaded)
		return;
	live.pol = D.cur.pol;
	live.n = S.live_n;
	if (policy_compile(&live, NULL, &S.live_comp, &e) == 0 && !e.n)
		S.live_ok = true;
	else
		log_err(-EINVAL, "shadow: the live set's model: %s", e.n ? e.msg[0] : "failed");
	errors_free(&e);
}

static uint64_t action_key(const struct enf_event *e)
{
	uint64_t h = 1469598103934665603ull;
	size_t n = e->path_len < ENF_EVENT_PATH ? e->path_len : ENF_EVENT_PATH;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)e->path[i]) * 1099511628211ull;
	for (size_t i = 0; i < sizeof(e->addr); i++)
		h = (h ^ e->addr[i]) * 1099511628211ull;
	h = (h ^ e->port) * 1099511628211ull;
	return (h ^ e->proto) * 1099511628211ull;
}

/*
 * One kernel record.  Returns true when it is the observation policy's
 * (not delivered as an audit line: its action is judged here), false for
 * every other record (delivered as usual).  A live enforce-mode denial is
 * judged here too when the observation policy did not see the action (the
 * live policy denied first in the stack, or the candidate does not govern
 * the cgroup: there it allows everything).
 */
bool shadow_event(const struct enf_event *e, const struct audit_context *ac)
{
	const struct enf_policy_src *p = ac->policy;
	bool obs = p && !strcmp(p->name, SHADOW_OBSERVE_NAME);
	struct shadow_side live, cand;
	struct enf_policy_set lset;
	struct vm_action a;
	enum shadow_kind k;
	unsigned slot = e->tid % TID_SLOTS;
	static struct jbuf line;
	struct audit_meta m = {};
	char action[VM_PATH_MAX + 64], ts[48], exe[VM_PATH_MAX];

	if (!S.loaded || !S.live_ok)
		return obs;
	if (obs) {
		S.observed++;
		S.last[slot].tid = e->tid;
		S.last[slot].op = e->op;
		S.last[slot].hook = e->hook;
		S.last[slot].key = action_key(e);
	} else {
		size_t gov[1];
		bool cand_governs;

		if (!p || !e->action)
			return false;
		cand_governs = ac->cgroup && vm_governing(&S.cand.set, ac->cgroup, gov, 1) > 0;
		if (cand_governs) {
			/* audit-mode records never stop the walk: the observation
			 * policy saw the action */
			if (e->action != ENF_ACTION_DENY)
				return false;
			if (S.last[slot].tid == e->tid && S.last[slot].op == e->op &&
			    S.last[slot].hook == e->hook && S.last[slot].key == action_key(e)) {
				S.last[slot].tid = 0;
				S.duplicates++;
				return false;
			}
		}
	}
	/* /proc/PID/exe as read (not NUL-terminated) */
	if (ac->exe && ac->exe_len < sizeof(exe)) {
		memcpy(exe, ac->exe, ac->exe_len);
		exe[ac->exe_len] = 0;
	} else {
		exe[0] = 0;
	}
	if (!ac->cgroup || shadow_action_of(e, exe[0] ? exe : NULL, &a) < 0) {
		if (obs)
			S.unmodelled++;
		return obs;
	}
	lset.pol = D.cur.pol;
	lset.n = S.live_n;
	/* the live set: the kernel's run-time view is its generation's, the
	 * model's the set in force (a record of the previous generation in
	 * flight across a reload is judged by the new one) */
	shadow_judge(&lset, &S.live_comp, ac->cgroup, &a, e->hook, &live);
	if (!obs && e->action == ENF_ACTION_DENY && live.outcome != VM_DENIED) {
		/* the kernel denied (a run-time binding, identity): it is the truth */
		live.outcome = VM_DENIED;
		live.policy = p->name;
		live.rule = e->rule_id < p->nrules ? p->rules[e->rule_id].text : NULL;
		live.rule_line = e->rule_id < p->nrules ? p->rules[e->rule_id].line : 0;
	}
	shadow_judge(&S.cand.set, &S.cand.comp, ac->cgroup, &a, e->hook, &cand);
	S.judged++;
	k = shadow_kind_of(&live, &cand);
	if (k == SHADOW_SAME)
		return obs;
	vm_action_format(&a, action, sizeof(action));
	{
		struct audit_side ls = { vm_outcome_name(live.outcome), live.policy, live.rule,
					 live.rule_line };
		struct audit_side cs = { vm_outcome_name(cand.outcome), cand.policy, cand.rule,
					 cand.rule_line };

		jb_reset(&line);
		audit_format_shadow(&line, e, ac, shadow_kind_name(k), action, &ls, &cs, &m);
		audit_deliver(&line, &m);
	}
	json_rfc3339(ts, sizeof(ts), ac->real_ns);
	shadow_report_add(&S.rep, k, ac->cgroup, e->hook, action, &live, &cand, ts);
	return obs;
}

/* ---- verbs ---- */

static void answer_errors(struct jbuf *b, const char *msg, const struct enf_errors *err)
{
	jb_obj_open(b);
	jb_kbool(b, "ok", false);
	jb_kstr(b, "error", msg);
	if (err && err->n) {
		jb_key(b, "errors");
		jb_arr_open(b);
		for (size_t i = 0; i < err->n; i++)
			jb_str(b, err->msg[i]);
		jb_arr_close(b);
	}
	jb_kuint(b, "generation", D.generation);
	jb_obj_close(b);
}

static void put_policies(struct jbuf *b)
{
	jb_key(b, "policies");
	jb_arr_open(b);
	for (size_t i = 0; i < S.cand.set.n; i++)
		jb_str(b, S.cand.set.pol[i].name);
	jb_arr_close(b);
}

/* The loaded shadow's directory, start, policies and counts: the head of
 * its status object and of its report. */
static void put_summary(struct jbuf *b)
{
	char ts[48];

	jb_kstr(b, "dir", S.cand.dir);
	json_rfc3339(ts, sizeof(ts), (uint64_t)S.since * 1000000000ull);
	jb_kstr(b, "since", ts);
	put_policies(b);
	jb_kuint(b, "observed", S.observed);
	jb_kuint(b, "judged", S.judged);
	jb_kuint(b, "unmodelled", S.unmodelled);
}

void shadow_status(struct jbuf *b)
{
	jb_key(b, "shadow");
	jb_obj_open(b);
	jb_kbool(b, "loaded", S.loaded);
	if (S.loaded) {
		put_summary(b);
		/* live denials after the observation policy's record of the same action */
		jb_kuint(b, "duplicates", S.duplicates);
		jb_kuint(b, "differences", S.rep.differences);
		jb_kuint(b, "report_dropped", S.rep.dropped);
	}
	if (S.note[0])
		jb_kstr(b, "last_dropped", S.note);
	jb_obj_close(b);
}

static int no_shadow(struct jbuf *b, const char *verb)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "%s: no shadow loaded (enforcerctl shadow DIR loads one)%s%.180s",
		 verb, S.note[0] ? "; " : "", S.note);
	answer_errors(b, msg, NULL);
	return -ENOENT;
}

static int shadow_load(struct jbuf *b, const char *dir)
{
	struct shadow_cand old = S.cand, fresh;
	struct shadow_report old_rep = S.rep;
	bool was = S.loaded;
	time_t old_since = S.since;
	struct enf_errors err = {};
	int ret;

	if (shadow_cand_load(dir, &fresh, &err) < 0) {
		answer_errors(b, "shadow: the candidate has errors: nothing changed", &err);
		log_err(-EINVAL, "shadow %s: %s", dir, err.n ? err.msg[0] : "failed");
		errors_free(&err);
		return -EINVAL;
	}
	S.cand = fresh;
	memset(&S.rep, 0, sizeof(S.rep));
	S.loaded = true;
	S.strict = true;
	ret = reload_load(&err);
	S.strict = false;
	if (ret) {
		shadow_cand_free(&S.cand);
		S.cand = old;
		S.rep = old_rep;
		S.loaded = was;
		S.since = old_since;
		answer_errors(b, "shadow: not loaded: nothing changed", &err);
		log_err(-EINVAL, "shadow %s: %s", dir, err.n ? err.msg[0] : "failed");
		errors_free(&err);
		return ret;
	}
	if (was) {
		shadow_cand_free(&old);
		shadow_report_free(&old_rep);
	}
	S.since = time(NULL);
	S.observed = S.judged = S.unmodelled = S.duplicates = 0;
	S.note[0] = 0;
	log_info("shadow: candidate %s (%zu policies) judged beside the live set, generation %llu",
		 dir, S.cand.set.n, (unsigned long long)D.generation);
	jb_obj_open(b);
	jb_kbool(b, "ok", true);
	jb_kstr(b, "dir", S.cand.dir);
	put_policies(b);
	jb_kuint(b, "generation", D.generation);
	jb_obj_close(b);
	return 0;
}

static int shadow_drop(struct jbuf *b)
{
	struct enf_errors err = {};
	int ret;

	if (!S.loaded)
		return no_shadow(b, "shadow drop");
	S.loaded = false;
	ret = reload_load(&err);
	if (ret) {
		S.loaded = true;
		answer_errors(b, "shadow drop: the reload without the observation policy failed: "
			      "the shadow stays loaded", &err);
		errors_free(&err);
		return ret;
	}
	log_info("shadow: candidate %s dropped, generation %llu", S.cand.dir,
		 (unsigned long long)D.generation);
	jb_obj_open(b);
	jb_kbool(b, "ok", true);
	jb_kstr(b, "dropped", S.cand.dir);
	jb_kuint(b, "generation", D.generation);
	jb_obj_close(b);
	drop_state();
	S.note[0] = 0;
	return 0;
}

static int shadow_report(struct jbuf *b)
{
	if (!S.loaded)
		return no_shadow(b, "shadow report");
	jb_obj_open(b);
	jb_kbool(b, "ok", true);
	put_summary(b);
	jb_kuint(b, "lost", audit_lost_total());
	shadow_report_json(b, &S.rep);
	jb_obj_close(b);
	return 0;
}

int handle_shadow(struct jbuf *b, const struct proto_req *req)
{
	const char *arg = req->argv[1];

	if (!strcmp(arg, "report"))
		return shadow_report(b);
	if (!strcmp(arg, "drop"))
		return shadow_drop(b);
	return shadow_load(b, arg);
}

/* ---- promote ---- */

static bool policy_file(const char *n)
{
	size_t l = strlen(n);

	return n[0] != '.' && ((l > 4 && !strcmp(n + l - 4, ".ini")) ||
			       (l > 5 && !strcmp(n + l - 5, ".test")));
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Move every policy file of from (a directory fd) into to. */
static int move_files(int from, int to, struct enf_errors *err, const char *what)
{
	DIR *d;
	struct dirent *de;
	int dfd = dup(from), rc = 0;

	if (dfd < 0 || !(d = fdopendir(dfd))) {
		if (dfd >= 0)
			close(dfd);
		errors_add(err, D.policy_dir, 0, "promote: %s: %s", what, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		if (!policy_file(de->d_name))
			continue;
		if (renameat(from, de->d_name, to, de->d_name) < 0) {
			errors_add(err, D.policy_dir, 0, "promote: %s %s: %s", what, de->d_name,
				   strerror(errno));
			rc = -1;
		}
	}
	closedir(d);
	return rc;
}

/* Empty the previous-set directory (files only). */
static void clear_dir(int fd)
{
	DIR *d;
	struct dirent *de;
	int dfd = dup(fd);

	if (dfd < 0 || !(d = fdopendir(dfd))) {
		if (dfd >= 0)
			close(dfd);
		return;
	}
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			unlinkat(fd, de->d_name, 0);
	closedir(d);
}

/*
 * promote: the candidate's files (as shadowed) replace the policy
 * directory's *.ini and *.test (those go to DIR/.enforcer-previous/), and
 * one reload makes them live: the generation flips once, the observation
 * policy leaves in the same flip.  On any failure the files are put back
 * and the live set stays (the reload changes nothing when it fails).
 */
int handle_promote(struct jbuf *b, const struct proto_req *req)
{
	struct enf_errors err = {};
	int dir = -1, prev = -1, ret = -EIO;
	char tmp[300];
	size_t written = 0, installed = 0;

	(void)req;
	if (!S.loaded)
		return no_shadow(b, "promote");
	dir = open(D.policy_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0) {
		errors_add(&err, D.policy_dir, 0, "promote: cannot open the policy directory: %s",
			   strerror(errno));
		goto fail;
	}
	/* 1. the candidate's files beside the live ones, hidden (.NAME.promote) */
	for (; written < S.cand.nfiles; written++) {
		const struct shadow_file *f = &S.cand.files[written];
		int fd;

		snprintf(tmp, sizeof(tmp), ".%s.promote", f->name);
		fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
		if (fd < 0 || write_all(fd, f->data, f->len) < 0 || fsync(fd) < 0) {
			errors_add(&err, D.policy_dir, 0, "promote: cannot write %s: %s", tmp,
				   strerror(errno));
			if (fd >= 0)
				close(fd);
			written++;
			goto unstage;
		}
		close(fd);
	}
	/* 2. the live files into .enforcer-previous/ (emptied first) */
	if (mkdirat(dir, PREVIOUS_DIR, 0755) < 0 && errno != EEXIST) {
		errors_add(&err, D.policy_dir, 0, "promote: cannot create %s: %s", PREVIOUS_DIR,
			   strerror(errno));
		goto unstage;
	}
	prev = openat(dir, PREVIOUS_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (prev < 0) {
		errors_add(&err, D.policy_dir, 0, "promote: cannot open %s: %s", PREVIOUS_DIR,
			   strerror(errno));
		goto unstage;
	}
	clear_dir(prev);
	if (move_files(dir, prev, &err, "cannot move the live file") < 0)
		goto restore;
	/* 3. the candidate's files under their names */
	for (; installed < S.cand.nfiles; installed++) {
		const char *name = S.cand.files[installed].name;

		snprintf(tmp, sizeof(tmp), ".%s.promote", name);
		if (renameat(dir, tmp, dir, name) < 0) {
			errors_add(&err, D.policy_dir, 0, "promote: cannot install %s: %s", name,
				   strerror(errno));
			goto restore;
		}
	}
	fsync(dir);
	/* 4. one reload: the candidate live, the observation policy gone */
	S.loaded = false;
	ret = reload_load(&err);
	if (ret) {
		S.loaded = true;
		goto restore;
	}
	log_info("promote: candidate %s is live: generation %llu, %zu policies (the previous "
		 "files are in %s/%s)", S.cand.dir, (unsigned long long)D.generation, D.cur.n,
		 D.policy_dir, PREVIOUS_DIR);
	jb_obj_open(b);
	jb_kbool(b, "ok", true);
	jb_kstr(b, "promoted", S.cand.dir);
	jb_kuint(b, "generation", D.generation);
	jb_kuint(b, "policies", D.cur.n);
	jb_key(b, "installed");
	jb_arr_open(b);
	for (size_t i = 0; i < S.cand.nfiles; i++)
		jb_str(b, S.cand.files[i].name);
	jb_arr_close(b);
	snprintf(tmp, sizeof(tmp), "%s/%s", D.policy_dir, PREVIOUS_DIR);
	jb_kstr(b, "previous", tmp);
	jb_obj_close(b);
	drop_state();
	S.note[0] = 0;
	close(prev);
	close(dir);
	return 0;
restore:
	/* the candidate's installed files out, the live ones back */
	for (size_t i = 0; i < installed; i++)
		unlinkat(dir, S.cand.files[i].name, 0);
	if (prev >= 0)
		move_files(prev, dir, &err, "cannot put back");
unstage:
	for (size_t i = 0; i < written; i++) {
		snprintf(tmp, sizeof(tmp), ".%s.promote", S.cand.files[i].name);
		unlinkat(dir, tmp, 0);
	}
fail:
	if (prev >= 0)
		close(prev);
	if (dir >= 0)
		close(dir);
	answer_errors(b, "promote failed: nothing changed, the live set and the shadow stay", &err);
	for (size_t i = 0; i < err.n; i++)
		log_err(-EINVAL, "%s", err.msg[i]);
	errors_free(&err);
	return ret ? ret : -EIO;
}
