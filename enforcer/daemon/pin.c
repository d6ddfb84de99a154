// SPDX-License-Identifier: GPL-2.0-only
/*
 * pin.c - keep enforcement in force without the daemon: maps and links are
 * pinned in bpffs (PIN_DIR/maps, PIN_DIR/links).  A new enforcerd adopts the
 * pinned maps (same rules, same generation, same ring buffer).  When the
 * pinned programs came from the very BPF object this enforcerd embeds (the
 * SHA-256 in the obj_sig map equals its own, and every link pin holds a
 * program of that name, type and maps), it keeps them and their links: no
 * load, no verification, nothing replaced.  Otherwise it attaches its own
 * programs, then replaces the old link pins: at every instant at least one
 * set of programs enforces.  pin_remove() is the only way to stop it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "daemon.h"
#include "proto_client.h"
#include "enforcer.skel.h"
#include "sha256.h"

/* "enforcer.bss" -> "enforcer_bss" */
static void pin_path(char *out, size_t sz, const char *sub, const char *name)
{
	snprintf(out, sz, "%s/%s/%s", D.pin_dir, sub, name);
	for (char *p = out + strlen(D.pin_dir) + strlen(sub) + 2; *p; p++)
		if (*p == '.')
			*p = '_';
}

bool pin_exists(void)
{
	char p[PATH_MAX];
	struct stat st;

	snprintf(p, sizeof(p), "%s/maps", D.pin_dir);
	return stat(p, &st) == 0;
}

/* obj_sig had no pin (pinned by an enforcerd without it): pin_all pins ours. */
static bool sig_unpinned;

/* Reuse every pinned map whose shape matches; refuse a mismatch clearly. */
int pin_adopt_maps(struct enforcer_bpf *skel)
{
	struct bpf_map *map;

	sig_unpinned = false;
	bpf_object__for_each_map(map, skel->obj) {
		struct bpf_map_info info = {};
		__u32 len = sizeof(info);
		char p[PATH_MAX];
		int fd, err;

		pin_path(p, sizeof(p), "maps", bpf_map__name(map));
		fd = bpf_obj_get(p);
		if (fd < 0 && errno == ENOENT && map == skel->maps.obj_sig) {
			sig_unpinned = true;   /* a fresh one: the programs load afresh */
			continue;
		}
		if (fd < 0)
			return log_err(-errno, "adopt: pinned map %s: %s (run 'enforcerd --unload' to start afresh)",
				       p, strerror(errno));
		if (bpf_obj_get_info_by_fd(fd, &info, &len) < 0 ||
		    info.type != bpf_map__type(map) || info.key_size != bpf_map__key_size(map) ||
		    info.value_size != bpf_map__value_size(map) ||
		    (info.type != BPF_MAP_TYPE_RINGBUF && info.max_entries != bpf_map__max_entries(map))) {
			close(fd);
			return log_err(-EINVAL, "adopt: pinned map %s does not match this enforcerd "
				       "(another version?): run 'enforcerd --unload' first", p);
		}
		err = bpf_map__reuse_fd(map, fd);
		close(fd);
		if (err)
			return log_err(err, "adopt: reusing %s: %s", p, strerror(-err));
	}
	return 0;
}

/* The SHA-256 of the BPF object this enforcerd embeds. */
static void obj_digest(struct enf_obj_sig *sig)
{
	size_t sz = 0;
	const void *elf = enforcer_bpf__elf_bytes(&sz);

	sha256(elf, sz, sig->sha256);
}

static int sig_write(struct enforcer_bpf *skel, bool ours)
{
	struct enf_obj_sig sig = {};
	__u32 zero = 0;

	if (ours)
		obj_digest(&sig);
	if (bpf_map_update_elem(bpf_map__fd(skel->maps.obj_sig), &zero, &sig, BPF_ANY) < 0)
		return log_err(-errno, "pin: recording the BPF object's digest: %s", strerror(errno));
	return 0;
}

/* The programs enforcerd attaches (and pins a link of): every one it
 * loads but the syscall programs, which it runs itself (enf_storm_flush). */
static bool attached_prog(struct bpf_program *prog)
{
	return bpf_program__autoload(prog) && bpf_program__type(prog) != BPF_PROG_TYPE_SYSCALL;
}

/* Skeleton index -> id of the pinned link kept (0: loaded afresh). */
#define PIN_MAX_PROGS 128
static __u32 kept_link_id[PIN_MAX_PROGS];

/* Is the program held by link pin p one this enforcerd would load as prog,
 * using the maps it adopted (ids[n])?  Its link's id in *link_id. */
static bool pinned_prog_matches(const char *p, struct bpf_program *prog, const __u32 *ids, size_t n,
				__u32 *link_id)
{
	struct bpf_link_info li = {};
	struct bpf_prog_info pi = {};
	__u32 map_ids[64], len = sizeof(li);
	int lfd = bpf_obj_get(p), pfd = -1;
	bool ok = false;

	if (lfd < 0 || bpf_obj_get_info_by_fd(lfd, &li, &len) < 0)
		goto out;
	pfd = bpf_prog_get_fd_by_id(li.prog_id);
	pi.nr_map_ids = sizeof(map_ids) / sizeof(map_ids[0]);
	pi.map_ids = (__u64)(unsigned long)map_ids;
	len = sizeof(pi);
	if (pfd < 0 || bpf_obj_get_info_by_fd(pfd, &pi, &len) < 0 ||
	    pi.nr_map_ids > sizeof(map_ids) / sizeof(map_ids[0]) ||
	    pi.type != bpf_program__type(prog) ||
	    strncmp(pi.name, bpf_program__name(prog), sizeof(pi.name) - 1))
		goto out;
	for (__u32 i = 0; i < pi.nr_map_ids; i++) {
		size_t j = 0;

		while (j < n && ids[j] != map_ids[i])
			j++;
		if (j == n)
			goto out;   /* a map that is not one of ours */
	}
	*link_id = li.id;
	ok = true;
out:
	if (pfd >= 0)
		close(pfd);
	if (lfd >= 0)
		close(lfd);
	return ok;
}

/*
 * After pin_adopt_maps: keep the pinned programs when they are provably
 * this enforcerd's own, i.e. the obj_sig digest is the SHA-256 of its BPF
 * object and every program it would attach has a link pin whose program
 * has that name and type and uses only the adopted maps, and no other link
 * pin exists.  Then those programs are not loaded (autoload off); 1.  Any
 * doubt: 0, everything loads and verifies afresh.
 */
int pin_adopt_progs(struct enforcer_bpf *skel)
{
	struct enf_obj_sig want, have;
	const char *env = getenv("ENFORCER_VERIFIER_STATS");
	__u32 zero = 0, ids[64];
	struct bpf_program *prog;
	struct bpf_map *map;
	size_t n = 0, want_links = 0, links = 0;
	char p[PATH_MAX];
	struct dirent *de;
	DIR *d;

	memset(kept_link_id, 0, sizeof(kept_link_id));
	if (env && !strcmp(env, "1")) {
		log_info("adopt: ENFORCER_VERIFIER_STATS=1: loading and verifying the programs afresh");
		return 0;
	}
	obj_digest(&want);
	if (sig_unpinned || bpf_map_lookup_elem(bpf_map__fd(skel->maps.obj_sig), &zero, &have) < 0 ||
	    memcmp(want.sha256, have.sha256, sizeof(want.sha256))) {
		log_info("adopt: the pinned programs are not from this enforcerd's BPF object "
			 "(its SHA-256 differs): loading and verifying its own");
		return 0;
	}
	bpf_object__for_each_map(map, skel->obj) {
		struct bpf_map_info info = {};
		__u32 len = sizeof(info);

		if (n == sizeof(ids) / sizeof(ids[0]) ||
		    bpf_obj_get_info_by_fd(bpf_map__fd(map), &info, &len) < 0)
			return 0;
		ids[n++] = info.id;
	}
	if (skel->skeleton->prog_cnt > PIN_MAX_PROGS)
		return 0;
	for (int i = 0; i < skel->skeleton->prog_cnt; i++) {
		prog = *skel->skeleton->progs[i].prog;
		if (!attached_prog(prog))
			continue;
		want_links++;
		pin_path(p, sizeof(p), "links", bpf_program__name(prog));
		if (!pinned_prog_matches(p, prog, ids, n, &kept_link_id[i])) {
			log_info("adopt: %s is missing or holds another program: loading and verifying afresh", p);
			memset(kept_link_id, 0, sizeof(kept_link_id));
			return 0;
		}
	}
	snprintf(p, sizeof(p), "%s/links", D.pin_dir);
	d = opendir(p);
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.')
			links++;
	if (d)
		closedir(d);
	if (links != want_links) {
		log_info("adopt: %zu link pins where %zu programs attach: loading and verifying afresh",
			 links, want_links);
		memset(kept_link_id, 0, sizeof(kept_link_id));
		return 0;
	}
	for (int i = 0; i < skel->skeleton->prog_cnt; i++)
		if (kept_link_id[i])
			bpf_program__set_autoload(*skel->skeleton->progs[i].prog, false);
	return 1;
}

/* After the load (pin_adopt_progs returned 1): the skeleton takes the kept
 * links, which must still be the ones checked. */
int pin_open_links(struct enforcer_bpf *skel)
{
	for (int i = 0; i < skel->skeleton->prog_cnt && i < PIN_MAX_PROGS; i++) {
		struct bpf_program *prog = *skel->skeleton->progs[i].prog;
		struct bpf_link_info li = {};
		__u32 len = sizeof(li);
		struct bpf_link *l;
		char p[PATH_MAX];

		if (!kept_link_id[i])
			continue;
		pin_path(p, sizeof(p), "links", bpf_program__name(prog));
		l = bpf_link__open(p);
		if (!l || bpf_obj_get_info_by_fd(bpf_link__fd(l), &li, &len) < 0 || li.id != kept_link_id[i]) {
			bpf_link__destroy(l);
			return log_err(-ESTALE, "adopt: %s changed while enforcerd started: start it again", p);
		}
		*skel->skeleton->progs[i].link = l;
	}
	return 0;
}

int pin_mkdirs(void)
{
	char p[PATH_MAX];

	if (mkdir(D.pin_dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	snprintf(p, sizeof(p), "%s/maps", D.pin_dir);
	if (mkdir(p, 0700) < 0 && errno != EEXIST)
		return -errno;
	snprintf(p, sizeof(p), "%s/links", D.pin_dir);
	if (mkdir(p, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/* Pin maps (fresh load) and links (always, replacing older link pins). */
int pin_all(struct enforcer_bpf *skel, bool adopted)
{
	struct bpf_program *prog;
	struct bpf_map *map;
	char p[PATH_MAX];
	int err = pin_mkdirs();

	if (err)
		return log_err(err, "pin: creating %s: %s (is bpffs mounted on /sys/fs/bpf?)",
			       D.pin_dir, strerror(-err));
	bpf_object__for_each_map(map, skel->obj) {
		if (adopted && !(sig_unpinned && map == skel->maps.obj_sig))
			continue;
		{
			pin_path(p, sizeof(p), "maps", bpf_map__name(map));
			unlink(p);
			err = bpf_map__pin(map, p);
			if (err)
				return log_err(err, "pin: %s: %s", p, strerror(-err));
		}
	}
	/* kept programs: their links are pinned already, and nothing else is */
	if (D.progs_adopted)
		return 0;
	/* the links change hands: no enforcerd may keep them until the
	 * digest names the object they all come from again */
	if ((err = sig_write(skel, false)) < 0)
		return err;
	bpf_object__for_each_program(prog, skel->obj) {
		struct bpf_link **l = NULL;

		/* find the skeleton's link for this program */
		for (int i = 0; i < skel->skeleton->prog_cnt; i++)
			if (*skel->skeleton->progs[i].prog == prog)
				l = skel->skeleton->progs[i].link;
		if (!l || !*l)
			continue;
		pin_path(p, sizeof(p), "links", bpf_program__name(prog));
		/* the old pin (if any) goes only once ours is attached */
		unlink(p);
		err = bpf_link__pin(*l, p);
		if (err)
			return log_err(err, "pin: %s: %s", p, strerror(-err));
	}
	/* links of programs this enforcerd no longer has */
	snprintf(p, sizeof(p), "%s/links", D.pin_dir);
	DIR *d = opendir(p);
	if (d) {
		struct dirent *de;

		while ((de = readdir(d))) {
			bool ours = false;

			if (de->d_name[0] == '.')
				continue;
			bpf_object__for_each_program(prog, skel->obj) {
				char want[PATH_MAX], *base;

				pin_path(want, sizeof(want), "links", bpf_program__name(prog));
				base = strrchr(want, '/') + 1;
				if (!strcmp(base, de->d_name) && bpf_program__autoload(prog))
					ours = true;
			}
			if (!ours)
				unlinkat(dirfd(d), de->d_name, 0);
		}
		closedir(d);
	}
	return sig_write(skel, true);
}

static void rm_dir(const char *sub)
{
	char p[PATH_MAX];
	DIR *d;
	struct dirent *de;

	snprintf(p, sizeof(p), "%s/%s", D.pin_dir, sub);
	d = opendir(p);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (!strcmp(sub, "links")) {
			/* detach now, whoever else still holds the link */
			char lp[PATH_MAX * 2];
			int fd;

			snprintf(lp, sizeof(lp), "%s/%s", p, de->d_name);
			fd = bpf_obj_get(lp);
			if (fd >= 0) {
				bpf_link_detach(fd);
				close(fd);
			}
		}
		unlinkat(dirfd(d), de->d_name, 0);
	}
	closedir(d);
	rmdir(p);
}

#define PIN_MAX_LINKS 256

/* The ids of the pinned links and of their programs (at most max); their
 * number. */
static size_t link_ids(uint32_t *ids, uint32_t *prog_ids, size_t max)
{
	char p[PATH_MAX], lp[PATH_MAX * 2];
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	snprintf(p, sizeof(p), "%s/links", D.pin_dir);
	d = opendir(p);
	if (!d)
		return 0;
	while ((de = readdir(d)) && n < max) {
		struct bpf_link_info info = {};
		__u32 len = sizeof(info);
		int fd;

		if (de->d_name[0] == '.')
			continue;
		snprintf(lp, sizeof(lp), "%s/%s", p, de->d_name);
		fd = bpf_obj_get(lp);
		if (fd < 0)
			continue;
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 && info.id) {
			prog_ids[n] = info.prog_id;
			ids[n++] = info.id;
		}
		close(fd);
	}
	closedir(d);
	return n;
}

/*
 * pin_wait_detached: wait until the links pin_remove() removed are gone,
 * 10 s at most (then say so).  LSM links cannot be detached while held
 * (no BPF_LINK_DETACH for them), and the last reference a removed pin held
 * is put from a work queue on newer kernels: without the wait, enforcement
 * could outlast `enforcerd --unload` (and `dpkg -r`) by a moment.  A link
 * whose last reference is put can no longer be opened by id, yet it stays
 * attached until that work item runs (seen on 6.12: seconds under load);
 * its program, though, keeps a reference until the link is detached.  So
 * the wait is for the programs to go.
 */
static uint32_t removed_ids[PIN_MAX_LINKS], removed_progs[PIN_MAX_LINKS];
static size_t removed_n;

/* Wait until object id is gone (get(id) fails); 0, or -EBUSY at the deadline. */
static int wait_gone(int (*get)(__u32), uint32_t id, long long deadline, const char *what)
{
	int fd;

	while (id && (fd = get(id)) >= 0) {
		close(fd);
		if (proto_now_ms() > deadline)
			return log_err(-EBUSY, "unload: %s %u still attached after 10 s: another "
				       "process holds it", what, id);
		usleep(10 * 1000);
	}
	return 0;
}

void pin_wait_detached(void)
{
	long long deadline = proto_now_ms() + 10 * 1000;

	for (size_t i = 0; i < removed_n; i++)
		if (wait_gone(bpf_link_get_fd_by_id, removed_ids[i], deadline, "link") < 0 ||
		    wait_gone(bpf_prog_get_fd_by_id, removed_progs[i], deadline, "program") < 0)
			return;
	removed_n = 0;
}

/* Remove every pin: links detach once no process holds them
 * (pin_wait_detached waits for that). */
int pin_remove(void)
{
	removed_n = link_ids(removed_ids, removed_progs, PIN_MAX_LINKS);
	rm_dir("links");
	rm_dir("maps");
	if (rmdir(D.pin_dir) < 0 && errno != ENOENT)
		return log_err(-errno, "unload: removing %s: %s", D.pin_dir, strerror(errno));
	return 0;
}
