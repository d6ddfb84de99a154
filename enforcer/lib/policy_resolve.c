// SPDX-License-Identifier: GPL-2.0-only
/*
 * policy_resolve.c - rule paths with their symlinks resolved, as the kernel
 * will report them (d_path never shows a symlink): "/bin/sh" on a merged-/usr
 * system becomes "/usr/bin/dash".
 *
 * Resolution happens inside a root directory as if chrooted there: an
 * absolute symlink target restarts at that root and ".." never climbs above
 * it.  The part of a path that does not exist (yet) is appended lexically,
 * so a file created after loading is still governed by its rule.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "pattern.h"
#include "stat_memo.h"
#include "policy.h"

#define RESOLVE_LINKS_MAX 40      /* symlinks followed per path, as the kernel */
#define RESOLVE_BUF       8192    /* resolved path plus what is left to walk */

/* Drop the last component of cur ("/a/b" -> "/a", "/a" -> ""). */
static void pop_component(char *cur, size_t *n)
{
	while (*n > 0 && cur[*n - 1] != '/')
		(*n)--;
	if (*n > 0)
		(*n)--;
	cur[*n] = 0;
}

/*
 * The directory part of the last path resolve_one() walked without a
 * symbolic link (its text up to the last '/'), and where the walk stood
 * before the last component: a path in the same directory starts there.
 * Valid within one stat_memo pass (the same answers for the same paths).
 */
static struct {
	uint64_t pass;
	size_t rootlen, dirlen, curlen;
	bool exists;
	bool as_written;           /* !exists and cur is dir, byte for byte */
	char root[PATH_MAX];
	char dir[RESOLVE_BUF];
	char cur[RESOLVE_BUF];
} last_dir;

/* path in the directory of last_dir, its last component plain (not "."
 * or "..", no '/'): resolve it from there.  1: not that case (or the
 * component is a symbolic link): walk the path. */
static int resolve_in_last_dir(const char *root, size_t rootlen, const char *path, size_t pathlen,
			       char *out, size_t outsz)
{
	const char *name = path + last_dir.dirlen + 1;
	size_t nl = pathlen - last_dir.dirlen - 1, n;
	char full[RESOLVE_BUF + PATH_MAX];
	struct stat sb;

	if (!last_dir.pass || last_dir.pass != stat_memo_pass() || pathlen <= last_dir.dirlen + 1 ||
	    path[last_dir.dirlen] != '/' || memcmp(path, last_dir.dir, last_dir.dirlen) ||
	    rootlen != last_dir.rootlen || memcmp(root, last_dir.root, rootlen) || memchr(name, '/', nl) ||
	    (name[0] == '.' && (nl == 1 || (nl == 2 && name[1] == '.'))) || nl > NAME_MAX)
		return 1;
	n = last_dir.curlen + 1 + nl;
	if (n >= outsz || n >= RESOLVE_BUF)
		return 1;
	memcpy(out, last_dir.cur, last_dir.curlen);
	out[last_dir.curlen] = '/';
	memcpy(out + last_dir.curlen + 1, name, nl + 1);
	if (last_dir.exists) {
		memcpy(full, root, rootlen);
		memcpy(full + rootlen, out, n + 1);
		/* missing: appended as written; a symbolic link: the walk */
		if (stat_memo(full, &sb, false) == 0 && S_ISLNK(sb.st_mode))
			return 1;
	}
	return 0;
}

/*
 * Resolve path (absolute) within root into out (without trailing '/',
 * "/" for the root itself).  Returns 0, or -1 with a message in msg.
 */
static int resolve_one(const char *root, const char *path, char *out, size_t outsz,
		       char *msg, size_t msgsz)
{
	char rest[RESOLVE_BUF], cur[RESOLVE_BUF], full[RESOLVE_BUF + PATH_MAX];
	char target[PATH_MAX + 1];
	size_t curlen = 0, rootlen = strlen(root);
	int links = 0;
	bool exists = true;

	while (rootlen > 0 && root[rootlen - 1] == '/')
		rootlen--;                 /* "/" -> "", "/tmp/r/" -> "/tmp/r" */
	size_t pathlen = strlen(path);

	if (pathlen >= sizeof(rest)) {
		snprintf(msg, msgsz, "path too long to resolve");
		return -1;
	}
	/* 10,000 rules in one directory: that directory walked once */
	if (resolve_in_last_dir(root, rootlen, path, pathlen, out, outsz) == 0)
		return 0;
	memcpy(rest, path, pathlen + 1);    /* (no printf: called once per rule and component) */
	cur[0] = 0;

	char *p = rest;
	while (*p) {
		char comp[NAME_MAX + 2];
		size_t cl;
		struct stat sb;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		cl = strcspn(p, "/");
		if (cl > NAME_MAX) {
			snprintf(msg, msgsz, "path component too long (max %d bytes)", NAME_MAX);
			return -1;
		}
		memcpy(comp, p, cl);
		comp[cl] = 0;
		/* the last component of path, no link followed: remember where
		 * the walk stands (see last_dir) */
		if (!links && !p[cl] && stat_memo_pass() && rootlen < sizeof(last_dir.root) &&
		    p > rest && p[-1] == '/') {
			last_dir.pass = stat_memo_pass();
			last_dir.rootlen = rootlen;
			memcpy(last_dir.root, root, rootlen);
			last_dir.dirlen = (size_t)(p - 1 - rest);
			memcpy(last_dir.dir, rest, last_dir.dirlen);
			last_dir.curlen = curlen;
			memcpy(last_dir.cur, cur, curlen + 1);
			last_dir.exists = exists;
			last_dir.as_written = !exists && curlen == last_dir.dirlen &&
					      !memcmp(cur, last_dir.dir, curlen);
		}
		p += cl;

		if (!strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) {
			pop_component(cur, &curlen);
			continue;
		}
		if (curlen + 1 + cl >= sizeof(cur)) {
			snprintf(msg, msgsz, "path too long to resolve");
			return -1;
		}
		size_t prev = curlen;
		cur[curlen++] = '/';
		memcpy(cur + curlen, comp, cl);
		curlen += cl;
		cur[curlen] = 0;
		if (!exists)
			continue;

		if (rootlen < PATH_MAX) {           /* always, for a real root */
			memcpy(full, root, rootlen);
			memcpy(full + rootlen, cur, curlen + 1);
		} else {
			snprintf(full, sizeof(full), "%.*s%s", (int)rootlen, root, cur);
		}
		if (stat_memo(full, &sb, false) < 0) {
			exists = false;        /* the rest is appended as written */
			continue;
		}
		if (!S_ISLNK(sb.st_mode))
			continue;

		ssize_t tl = readlink(full, target, sizeof(target) - 1);
		if (tl < 0) {
			exists = false;
			continue;
		}
		target[tl] = 0;
		if (++links > RESOLVE_LINKS_MAX) {
			snprintf(msg, msgsz, "too many levels of symbolic links");
			return -1;
		}
		/* The link is replaced by its target, followed by what is left. */
		size_t left = strlen(p);
		if ((size_t)tl + 1 + left >= sizeof(rest)) {
			snprintf(msg, msgsz, "path too long to resolve");
			return -1;
		}
		memmove(rest + tl + 1, p, left + 1);
		memcpy(rest, target, (size_t)tl);
		rest[tl] = '/';
		p = rest;
		if (target[0] == '/')
			curlen = 0;            /* absolute: back to the root */
		else
			curlen = prev;         /* relative: from the link's directory */
		cur[curlen] = 0;
	}
	if (curlen == 0) {
		cur[0] = '/';
		cur[1] = 0;
		curlen = 1;
	}
	if (curlen >= outsz) {
		snprintf(msg, msgsz, "path too long (max %d bytes)", ENF_PATH_KEY_MAX - 1);
		return -1;
	}
	memcpy(out, cur, curlen + 1);
	return 0;
}

bool policy_is_hostwide(const struct enf_policy_src *p)
{
	for (size_t i = 0; i < p->ncgroups; i++)
		if (!strcmp(p->cgroups[i], "/"))
			return true;
	return false;
}

bool policy_is_pod(const struct enf_policy_src *p)
{
	return (p->nnamespaces || p->npods) && !p->ncgroups && !p->nunits;
}

bool policy_matches_pod(const struct enf_policy_src *p, const char *ns, const char *pod)
{
	if (!ns)
		return false;
	for (size_t i = 0; i < p->nnamespaces; i++)
		if (!strcmp(p->namespaces[i], ns))
			return true;
	if (!pod)
		return false;
	for (size_t i = 0; i < p->npods; i++) {
		size_t nl = strlen(ns);

		if (!strncmp(p->pods[i], ns, nl) && p->pods[i][nl] == '/' && !strcmp(p->pods[i] + nl + 1, pod))
			return true;
	}
	return false;
}

int policy_resolve_rule(const char *root, const struct enf_rule *r, char *out, size_t outsz)
{
	char buf[RESOLVE_BUF + 2], msg[128];
	size_t n;

	if (!r->path || resolve_one(root, r->path, buf, sizeof(buf) - 1, msg, sizeof(msg)) < 0)
		return -1;
	n = strlen(buf);
	if (r->dir && strcmp(buf, "/")) {
		buf[n++] = '/';
		buf[n] = 0;
	}
	if (n + 1 > outsz || n > ENF_PATH_KEY_MAX - 1)
		return -1;
	memcpy(out, buf, n + 1);
	return 0;
}

/*
 * Does path (pathlen bytes, not a directory's "/a/b/") name a plain entry
 * (not "." or "..") of the directory of last_dir, found missing by the walk
 * and resolved to its own text?  Then it resolves to itself, as written
 * (resolve_one() would append its last name to that same text): 10,000
 * deny rules of absent files below one directory are not walked one by one.
 */
static bool in_missing_dir(const char *root, size_t rootlen, const char *path, size_t pathlen,
			   uint64_t pass)
{
	const char *name = path + last_dir.dirlen + 1;
	size_t nl = pathlen - last_dir.dirlen - 1;

	/* pass: stat_memo_pass(), asked once per resolve_set(); no memcmp()
	 * of the root "/" (length 0) */
	return last_dir.pass && last_dir.pass == pass && last_dir.as_written &&
	       pathlen > last_dir.dirlen + 1 && path[last_dir.dirlen] == '/' &&
	       rootlen == last_dir.rootlen && !memcmp(path, last_dir.dir, last_dir.dirlen) &&
	       (!rootlen || !memcmp(root, last_dir.root, rootlen)) && nl <= NAME_MAX &&
	       !memchr(name, '/', nl) && !(name[0] == '.' && (nl == 1 || (nl == 2 && name[1] == '.')));
}

/*
 * Resolve every rule of set (see policy_resolve_paths).  check: store
 * nothing, and return 0 only when every rule resolves, without an error, to
 * the path it holds already (r->resolved), else 1 (err unused).
 */
static int resolve_set(struct enf_policy_set *set, const char *root, struct enf_errors *err, bool check)
{
	size_t rootlen;
	int rc = 0;

	if (!root || !root[0])
		root = "/";
	rootlen = strlen(root);
	while (rootlen > 0 && root[rootlen - 1] == '/')
		rootlen--;               /* as resolve_one() takes it */
	stat_memo_begin();       /* one lstat() per directory, not per rule */
	uint64_t pass = stat_memo_pass();

	for (size_t i = 0; i < set->n && !(check && rc); i++) {
		struct enf_policy_src *p = &set->pol[i];
		bool pod = policy_is_pod(p);      /* (asked once, not per rule) */

		for (size_t k = 0; k < p->nrules; k++) {
			struct enf_rule *r = &p->rules[k];
			char out[RESOLVE_BUF + 2], msg[128];
			size_t n;

			if (!r->path || r->path[0] != '/')      /* IP rules, abstract sockets */
				continue;
			if (!r->pattern && !r->dir && !pod &&
			    (n = strlen(r->path)) <= ENF_PATH_KEY_MAX - 1 &&
			    in_missing_dir(root, rootlen, r->path, n, pass)) {
				/* resolves to itself: no walk, no copy */
				if (check) {
					if (!r->resolved || strcmp(r->resolved, r->path))
						rc = 1;
					continue;
				}
				if (r->resolved && r->resolved != r->path)
					free(r->resolved);
				r->resolved = r->path;
				continue;
			}
			if (r->pattern && !pod) {
				/* a pattern: its literal directory resolved, the glob kept */
				size_t gs = pattern_glob_start(r->path);
				char dir[RESOLVE_BUF];

				snprintf(dir, sizeof(dir), "%.*s", (int)(gs > 1 ? gs - 1 : gs), r->path);
				if (resolve_one(root, dir, out, sizeof(out) - 1, msg, sizeof(msg)) < 0) {
					rc = check ? 1 : (errors_add(err, p->file, r->line, "%s", msg), -1);
					continue;
				}
				n = strlen(out);
				if (n + 1 + strlen(r->path + gs) + 1 > sizeof(out))
					n = sizeof(out) - 1;    /* reported as too long below */
				else
					n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s",
							      strcmp(out, "/") ? "/" : "", r->path + gs);
				if (n > ENF_PATH_KEY_MAX - 1) {
					rc = check ? 1 : (errors_add(err, p->file, r->line, "path too long (max %d bytes)",
								     ENF_PATH_KEY_MAX - 1), -1);
					continue;
				}
				goto keep;
			}
			if (pod) {
				/* a path inside containers: kept as written here */
				snprintf(out, sizeof(out), "%s", r->path);
				if (strlen(out) > 1 && out[strlen(out) - 1] == '/')
					out[strlen(out) - 1] = 0;
			} else if (resolve_one(root, r->path, out, sizeof(out) - 1, msg, sizeof(msg)) < 0) {
				rc = check ? 1 : (errors_add(err, p->file, r->line, "%s", msg), -1);
				continue;
			}
			n = strlen(out);
			if (r->dir && strcmp(out, "/")) {
				out[n++] = '/';
				out[n] = 0;
			}
			if (n > ENF_PATH_KEY_MAX - 1) {
				rc = check ? 1 : (errors_add(err, p->file, r->line, "path too long (max %d bytes)",
							     ENF_PATH_KEY_MAX - 1), -1);
				continue;
			}
keep:
			if (check) {
				if (!r->resolved || strcmp(r->resolved, out))
					rc = 1;
				continue;
			}
			/* the path as written, most often: no copy of it (the one
			 * pointer is freed with the path; policy.h) */
			char *d = r->path && !strcmp(out, r->path) ? r->path : strdup(out);
			if (!d) {
				errors_add(err, p->file, r->line, "out of memory");
				rc = -1;
				continue;
			}
			if (r->resolved != r->path)
				free(r->resolved);
			r->resolved = d;
		}
	}
	stat_memo_end();
	return rc;
}

int policy_resolve_paths(struct enf_policy_set *set, const char *root, struct enf_errors *err)
{
	return resolve_set(set, root, err, false);
}

bool policy_resolve_unchanged(const struct enf_policy_set *set, const char *root)
{
	/* check mode writes nothing into set */
	return resolve_set((struct enf_policy_set *)set, root, NULL, true) == 0;
}
