// SPDX-License-Identifier: GPL-2.0-only
/*
 * stat_memo.c - stat()/lstat() results remembered for one pass over a
 * policy set (stat_memo.h).  An open-addressing table of paths, grown at
 * half full, emptied by stat_memo_end(): what it remembers is never older
 * than the pass (a reload, a resolution) that asked.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "stat_memo.h"

struct memo {
	char *path;           /* NULL: a free slot */
	bool follow;
	int err;              /* 0, or the errno of the failed call */
	struct stat st;
	uint32_t put_epoch;   /* stat_memo_put_once() saw put_tag in this epoch */
	uint32_t put_tag;
};

static struct memo *tab;
static size_t cap, used;
static bool active;
static int depth;             /* passes may nest: the outermost one decides */
static uint32_t epoch = 1;    /* puts remembered since stat_memo_forget_puts() */
static uint64_t pass;         /* counts outermost passes */

static uint64_t hash(const char *s, size_t n, bool follow)
{
	uint64_t h = 1469598103934665603ull ^ follow;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

/* The slot of (path[0..n), follow): found, or the free one to fill. */
static struct memo *slot(const char *path, size_t n, bool follow)
{
	size_t i = hash(path, n, follow) & (cap - 1);

	while (tab[i].path && (tab[i].follow != follow || strncmp(tab[i].path, path, n) ||
			       tab[i].path[n]))
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static bool grow(void)
{
	size_t ocap = cap;
	/* small at first: a fresh large table is page faults on every pass */
	struct memo *old = tab, *nt = calloc(ocap ? 2 * ocap : 64, sizeof(*nt));

	if (!nt)
		return false;
	tab = nt;
	cap = ocap ? 2 * ocap : 64;
	for (size_t i = 0; i < ocap; i++)
		if (old[i].path)
			*slot(old[i].path, strlen(old[i].path), old[i].follow) = old[i];
	free(old);
	return true;
}

void stat_memo_begin(void)
{
	if (depth++ == 0) {
		active = grow();
		pass++;
	}
}

uint64_t stat_memo_pass(void)
{
	return active ? pass : 0;
}

void stat_memo_end(void)
{
	if (depth > 0 && --depth > 0)
		return;
	for (size_t i = 0; i < cap; i++)
		free(tab[i].path);
	free(tab);
	tab = NULL;
	cap = used = 0;
	active = false;
}

/* The entry of (path, follow), made (with the kernel's answer) if new;
 * NULL when not remembering (or out of memory). */
static struct memo *lookup(const char *path, bool follow)
{
	struct memo *m;

	if (!active || ((used + 1) * 2 > cap && !grow()))
		return NULL;
	m = slot(path, strlen(path), follow);
	if (m->path)
		return m;
	if (!(m->path = strdup(path)))
		return NULL;
	m->follow = follow;
	m->err = (follow ? stat(path, &m->st) : lstat(path, &m->st)) < 0 ? errno : 0;
	used++;
	return m;
}

int stat_memo(const char *path, struct stat *st, bool follow)
{
	struct memo *m = lookup(path, follow);

	if (!m)
		return follow ? stat(path, st) : lstat(path, st);
	if (m->err) {
		errno = m->err;
		return -1;
	}
	*st = m->st;
	return 0;
}

bool stat_memo_below_missing(const char *path)
{
	size_t n = strlen(path);

	if (!active)
		return false;
	/* every proper prefix ending before a '/', longest first */
	while (n > 1) {
		while (n > 0 && path[n - 1] != '/')
			n--;
		if (n <= 1)
			break;
		n--;          /* "/a/b/c" -> "/a/b" */
		for (int f = 0; f < 2; f++) {
			struct memo *m = slot(path, n, f);

			if (m->path && (m->err == ENOENT || m->err == ENOTDIR))
				return true;
		}
	}
	return false;
}

bool stat_memo_put_once(const char *path, uint32_t tag)
{
	struct memo *m = active ? slot(path, strlen(path), true) : NULL;

	if (!m || !m->path)
		return false;
	if (m->put_epoch == epoch && m->put_tag == tag)
		return true;
	m->put_epoch = epoch;
	m->put_tag = tag;
	return false;
}

void stat_memo_forget_puts(void)
{
	epoch++;
}
