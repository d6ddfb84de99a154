// SPDX-License-Identifier: GPL-2.0-only
/*
 * cgroupfs.c - the cgroup v2 hierarchy seen from user space: where it is
 * mounted (mountinfo.c), the id of a cgroup path, the path of a cgroup id
 * (for audit lines: a file handle, falling back to a cached tree walk), and
 * the cgroups of a given name (unit=: a walk of the tree, kept on purpose:
 * no kernel interface looks cgroups up by name).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <unistd.h>
#include <time.h>
#include "daemon.h"
#include "mountinfo.h"

#define CG_CACHE_SIZE 8192    /* power of two */
_Static_assert(CG_CACHE_SIZE == 1 << 13, "slot() hashes to 13 bits and masks with CG_CACHE_SIZE - 1");
#ifndef FILEID_KERNFS
#define FILEID_KERNFS 0xfe    /* include/linux/exportfs.h */
#endif

struct cg_entry {
	uint64_t id;
	char *path;
};

static struct cg_entry cache[CG_CACHE_SIZE];
static size_t cache_used;
static time_t last_scan;

/* The first cgroup2 mount that shows the whole hierarchy (root "/": not a
 * bind mount of a sub-tree), checked with statfs(2). */
int cgroupfs_find_root(char *out, size_t sz)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0;
	int ret = -ENOENT;

	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		struct mountinfo_entry e;
		struct statfs sfs;

		if (mountinfo_parse(line, &e) < 0 || strcmp(e.fstype, "cgroup2") || strcmp(e.root, "/"))
			continue;
		if (statfs(e.mount_point, &sfs) < 0 || sfs.f_type != CGROUP2_SUPER_MAGIC)
			continue;        /* over-mounted since */
		if (strlen(e.mount_point) >= sz) {
			ret = -ENAMETOOLONG;
			continue;
		}
		strcpy(out, e.mount_point);
		ret = 0;
		break;
	}
	free(line);
	fclose(f);
	return ret;
}

int cgroupfs_id(const char *cgpath, uint64_t *id)
{
	char full[PATH_MAX * 2];
	struct stat st;

	snprintf(full, sizeof(full), "%s%s", D.cgroup_root, strcmp(cgpath, "/") ? cgpath : "");
	if (stat(full, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	*id = st.st_ino;
	return 0;
}

static struct cg_entry *slot(uint64_t id)
{
	size_t i = (id * 0x9E3779B97F4A7C15ull) >> 51;   /* 13 bits */

	for (size_t n = 0; n < CG_CACHE_SIZE; n++, i = (i + 1) & (CG_CACHE_SIZE - 1))
		if (!cache[i].id || cache[i].id == id)
			return &cache[i];
	return NULL;
}

static void cache_clear(void)
{
	for (size_t i = 0; i < CG_CACHE_SIZE; i++) {
		free(cache[i].path);
		cache[i].path = NULL;
		cache[i].id = 0;
	}
	cache_used = 0;
}

static int scan_one(const char *fpath, const struct stat *sb, int type, struct FTW *ftw)
{
	struct cg_entry *e;
	const char *rel;

	(void)ftw;
	if (type != FTW_D)
		return 0;
	if (cache_used >= CG_CACHE_SIZE / 2)
		return 1;   /* stop: cache full enough */
	e = slot(sb->st_ino);
	if (!e || e->id)
		return 0;
	rel = fpath + strlen(D.cgroup_root);
	e->path = strdup(*rel ? rel : "/");
	if (!e->path)
		return 1;
	e->id = sb->st_ino;
	cache_used++;
	return 0;
}

/* The tree walk: the fallback where file handles do not work (no
 * CAP_DAC_READ_SEARCH, a kernel without cgroup2 file handles).  Cached,
 * rescanned on a miss at most once a second, at most CG_CACHE_SIZE / 2
 * cgroups. */
static const char *path_by_walk(uint64_t id)
{
	struct cg_entry *e = slot(id);
	time_t now = time(NULL);

	if (e && e->id == id)
		return e->path;
	if (now == last_scan)
		return NULL;
	last_scan = now;
	if (cache_used >= CG_CACHE_SIZE / 2)
		cache_clear();
	nftw(D.cgroup_root, scan_one, 32, FTW_PHYS | FTW_MOUNT);
	e = slot(id);
	return e && e->id == id ? e->path : NULL;
}

/*
 * The cgroup's path through a file handle: cgroup2 (kernfs) takes the
 * cgroup id itself as a handle of type FILEID_KERNFS, so open_by_handle_at()
 * finds the directory in O(1) whatever the number of cgroups, and its
 * /proc/self/fd link names it.  0, -ESTALE when the cgroup is gone, or
 * another -errno when handles cannot be used here.
 */
static int path_by_handle(uint64_t id, char *out, size_t sz)
{
	static int root_fd = -1;
	struct {
		struct file_handle fh;
		uint64_t id;
	} h = { .fh.handle_bytes = sizeof(uint64_t), .fh.handle_type = FILEID_KERNFS, .id = id };
	size_t rootlen = strlen(D.cgroup_root);
	char link[64];
	ssize_t n;
	int fd;

	_Static_assert(offsetof(struct file_handle, f_handle) == sizeof(struct file_handle),
		       "the id follows the header");
	if (root_fd < 0) {
		root_fd = open(D.cgroup_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (root_fd < 0)
			return -errno;
	}
	fd = open_by_handle_at(root_fd, &h.fh, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, out, sz - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	out[n] = '\0';
	if (strncmp(out, D.cgroup_root, rootlen) || (out[rootlen] && out[rootlen] != '/'))
		return -EXDEV;       /* outside our view of the hierarchy */
	if (!out[rootlen])
		snprintf(out, sz, "/");
	else
		memmove(out, out + rootlen, strlen(out + rootlen) + 1);
	return 0;
}

const char *cgroupfs_path(uint64_t id)
{
	static char path[PATH_MAX];
	static bool walk_said;
	int r = path_by_handle(id, path, sizeof(path));

	if (r == 0)
		return path;
	if (r == -ESTALE || r == -ENOENT)
		return NULL;         /* removed since the event */
	if (!walk_said) {
		walk_said = true;
		log_info("cgroupfs: no cgroup file handles here (%s): audit lines' cgroup paths come "
			 "from a walk of %s", strerror(-r), D.cgroup_root);
	}
	return path_by_walk(id);
}

/* Every cgroup named name (a unit: "sshd.service"), wherever it lives. */
static const char *find_name;
static char **find_out;
static size_t find_n, find_cap;

static int find_one(const char *fpath, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	if (type != FTW_D || strcmp(fpath + ftw->base, find_name))
		return 0;
	if (find_n == find_cap) {
		char **nv = realloc(find_out, (find_cap ? find_cap * 2 : 8) * sizeof(*nv));

		if (!nv)
			return 1;
		find_out = nv;
		find_cap = find_cap ? find_cap * 2 : 8;
	}
	find_out[find_n] = strdup(fpath + strlen(D.cgroup_root));
	if (!find_out[find_n])
		return 1;
	find_n++;
	return 0;
}

int cgroupfs_find_named(const char *name, char ***paths, size_t *n)
{
	find_name = name;
	find_out = NULL;
	find_n = find_cap = 0;
	if (nftw(D.cgroup_root, find_one, 32, FTW_PHYS | FTW_MOUNT) < 0) {
		for (size_t i = 0; i < find_n; i++)
			free(find_out[i]);
		free(find_out);
		return -errno;
	}
	*paths = find_out;
	*n = find_n;
	return 0;
}

/* cgpath and every cgroup below it (a pod's containers, a unit's children) */
static void (*below_fn)(uint64_t id, void *ctx);
static void *below_ctx;

static int below_one(const char *fpath, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)fpath;
	(void)ftw;
	if (type == FTW_D)
		below_fn(sb->st_ino, below_ctx);
	return 0;
}

int cgroupfs_each_below(const char *cgpath, void (*fn)(uint64_t id, void *ctx), void *ctx)
{
	char full[PATH_MAX * 2];

	snprintf(full, sizeof(full), "%s%s", D.cgroup_root, strcmp(cgpath, "/") ? cgpath : "");
	below_fn = fn;
	below_ctx = ctx;
	return nftw(full, below_one, 32, FTW_PHYS | FTW_MOUNT) < 0 ? -errno : 0;
}
