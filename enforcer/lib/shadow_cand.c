// SPDX-License-Identifier: GPL-2.0-only
/*
 * shadow_cand.c - the candidate policy set of `enforcerctl shadow DIR`:
 * its *.ini files read once into memory (what promote installs is exactly
 * what was shadowed), parsed, validated, resolved and compiled for the
 * offline model (shadow_model.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "array.h"
#include "shadow_model.h"

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct shadow_file *)a)->name, ((const struct shadow_file *)b)->name);
}

static bool wanted(const char *n)
{
	size_t l = strlen(n);

	return n[0] != '.' && ((l > 4 && !strcmp(n + l - 4, ".ini")) ||
			       (l > 5 && !strcmp(n + l - 5, ".test")));
}

/* The file's bytes (at most POLICY_FILE_MAX + 1: enough to report a limit). */
static int read_file(const char *path, char **data, size_t *len, struct enf_errors *err)
{
	struct stat sb;
	size_t cap = POLICY_FILE_MAX + 1, n = 0;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);

	if (fd < 0) {
		errors_add(err, path, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		errors_add(err, path, 0, "not a regular file");
		close(fd);
		return -1;
	}
	buf = malloc(cap);
	if (!buf) {
		errors_add(err, path, 0, "out of memory");
		close(fd);
		return -1;
	}
	while (n < cap) {
		ssize_t r = read(fd, buf + n, cap - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			errors_add(err, path, 0, "read error: %s", strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*data = buf;
	*len = n;
	return 0;
}

int shadow_cand_load(const char *dir, struct shadow_cand *c, struct enf_errors *err)
{
	DIR *d;
	struct dirent *de;
	size_t cap = 0, nini = 0;
	char path[8192];

	memset(c, 0, sizeof(*c));
	if (dir[0] != '/' || strlen(dir) >= sizeof(c->dir)) {
		errors_add(err, dir, 0, "the candidate directory must be an absolute path");
		return -1;
	}
	snprintf(c->dir, sizeof(c->dir), "%s", dir);
	d = opendir(dir);
	if (!d) {
		errors_add(err, dir, 0, "cannot open the candidate directory: %s", strerror(errno));
		return -1;
	}
	while ((errno = 0, de = readdir(d))) {
		if (!wanted(de->d_name))
			continue;
		if (c->nfiles >= SHADOW_FILES_MAX) {
			errors_add(err, dir, 0, "more than %d files", SHADOW_FILES_MAX);
			break;
		}
		if (!array_grow((void **)&c->files, &cap, c->nfiles + 1, sizeof(*c->files)) ||
		    !(c->files[c->nfiles].name = strdup(de->d_name))) {
			errors_add(err, dir, 0, "out of memory");
			break;
		}
		c->files[c->nfiles].data = NULL;
		c->nfiles++;
	}
	if (errno && !err->n)
		errors_add(err, dir, 0, "cannot read the candidate directory: %s", strerror(errno));
	closedir(d);
	if (err->n)
		goto fail;
	if (c->nfiles)
		qsort(c->files, c->nfiles, sizeof(*c->files), cmp_file);
	for (size_t i = 0; i < c->nfiles; i++) {
		struct shadow_file *f = &c->files[i];
		size_t l = strlen(f->name);

		snprintf(path, sizeof(path), "%s/%s", dir, f->name);
		if (read_file(path, &f->data, &f->len, err) < 0)
			continue;
		if (l > 4 && !strcmp(f->name + l - 4, ".ini")) {
			nini++;
			policy_parse_buffer(path, f->data, f->len, &c->set, err);
		}
	}
	if (!err->n && !nini)
		errors_add(err, dir, 0, "no policy (*.ini) in the candidate directory");
	if (err->n)
		goto fail;
	for (size_t i = 0; i < c->set.n; i++) {
		const struct enf_policy_src *p = &c->set.pol[i];

		if (!strcmp(p->name, SHADOW_OBSERVE_NAME))
			errors_add(err, p->file, p->name_line ? p->name_line : p->line,
				   "the policy name '%s' is reserved for shadow", p->name);
		if (p->nnamespaces || p->npods)
			errors_add(err, p->file, p->line, "policy '%s': pod policies (namespace=, pod=) "
				   "cannot be shadowed (bound at run time); promote them with reload",
				   p->name);
	}
	if (err->n || policy_set_validate(&c->set, err) < 0 || err->n ||
	    policy_resolve_paths(&c->set, "/", err) < 0 || err->n ||
	    policy_compile(&c->set, NULL, &c->comp, err) < 0 || err->n)
		goto fail;
	return 0;
fail:
	shadow_cand_free(c);
	return -1;
}

void shadow_cand_free(struct shadow_cand *c)
{
	policy_compiled_free(&c->comp);
	policy_set_free(&c->set);
	for (size_t i = 0; i < c->nfiles; i++) {
		free(c->files[i].name);
		free(c->files[i].data);
	}
	free(c->files);
	c->files = NULL;
	c->nfiles = 0;
}
