/*
 * cgroupfs.c - the cgroup v2 hierarchy seen from user space: where it is
 * mounted, the id of a cgroup path, and the path of a cgroup id (for audit
 * lines; cached, rescanned on a miss at most once a second).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "daemon.h"

#define CG_CACHE_SIZE 8192    /* power of two */

struct cg_entry {
	uint64_t id;
	char *path;
};

static struct cg_entry cache[CG_CACHE_SIZE];
static size_t cache_used;
static time_t last_scan;

int cgroupfs_find_root(char *out, size_t sz)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	int ret = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		/* id parent maj:min root mountpoint opts... - fstype source superopts */
		char mnt[PATH_MAX], *sep = strstr(line, " - ");
		char fstype[64];

		if (!sep || sscanf(sep, " - %63s", fstype) != 1 || strcmp(fstype, "cgroup2"))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
			continue;
		/* mountinfo escapes spaces as \040; cgroup mounts rarely have any */
		if (strlen(mnt) >= sz) {
			ret = -ENAMETOOLONG;
			break;
		}
		strcpy(out, mnt);
		ret = 0;
		break;
	}
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

const char *cgroupfs_path(uint64_t id)
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
