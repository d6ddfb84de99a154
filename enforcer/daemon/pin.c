// SPDX-License-Identifier: GPL-2.0-only
/*
 * pin.c - keep enforcement in force without the daemon: maps and links are
 * pinned in bpffs (PIN_DIR/maps, PIN_DIR/links).  A new enforcerd adopts the
 * pinned maps (same rules, same generation, same ring buffer), attaches its
 * own programs, then replaces the old link pins: at every instant at least
 * one set of programs enforces.  pin_remove() is the only way to stop it.
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

/* Reuse every pinned map whose shape matches; refuse a mismatch clearly. */
int pin_adopt_maps(struct enforcer_bpf *skel)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, skel->obj) {
		struct bpf_map_info info = {};
		__u32 len = sizeof(info);
		char p[PATH_MAX];
		int fd, err;

		pin_path(p, sizeof(p), "maps", bpf_map__name(map));
		fd = bpf_obj_get(p);
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
	if (!adopted) {
		bpf_object__for_each_map(map, skel->obj) {
			pin_path(p, sizeof(p), "maps", bpf_map__name(map));
			unlink(p);
			err = bpf_map__pin(map, p);
			if (err)
				return log_err(err, "pin: %s: %s", p, strerror(-err));
		}
	}
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
	return 0;
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
