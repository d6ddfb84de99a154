// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_oci_state.c - libFuzzer target for the OCI state reader
 * (enforcer/lib/oci_state.c): any bytes are either a state document whose
 * fields are terminated and printable, or an error with a non-empty message;
 * the same bytes as a config.json (written to a temporary file) likewise.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "oci_state.h"

#define FAIL(...) do { fprintf(stderr, "fuzz_oci_state: " __VA_ARGS__); fputc('\n', stderr); abort(); } while (0)

static void check_field(const char *f, size_t sz, const char *what)
{
	if (!memchr(f, 0, sz))
		FAIL("%s not terminated", what);
	for (const char *p = f; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f)
			FAIL("%s holds a control byte", what);
}

static void check_state(const struct oci_state *st)
{
	check_field(st->id, sizeof(st->id), "id");
	check_field(st->status, sizeof(st->status), "status");
	check_field(st->bundle, sizeof(st->bundle), "bundle");
	check_field(st->root, sizeof(st->root), "root");
	check_field(st->ns, sizeof(st->ns), "ns");
	check_field(st->pod, sizeof(st->pod), "pod");
	check_field(st->container_name, sizeof(st->container_name), "container_name");
	check_field(st->cgroups_path, sizeof(st->cgroups_path), "cgroups_path");
	check_field(st->cgroup, sizeof(st->cgroup), "cgroup");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly size bytes, so that ASan sees any read past it */
	char *doc = malloc(size ? size : 1), err[512], path[] = "/tmp/fuzz-oci-XXXXXX";
	struct oci_state *st = malloc(sizeof(*st));
	int fd;

	if (!doc || !st)
		abort();
	memcpy(doc, data, size);
	err[0] = 0;
	if (oci_state_parse(doc, size, st, err, sizeof(err)) == 0)
		check_state(st);
	else if (!err[0])
		FAIL("state rejected without a message");

	/* the same bytes as the bundle's config.json */
	memset(st, 0, sizeof(*st));
	fd = mkstemp(path);
	if (fd >= 0) {
		if (write(fd, data, size) == (ssize_t)size) {
			err[0] = 0;
			if (oci_state_read_config(st, path, err, sizeof(err)) == 0)
				check_state(st);
			else if (!err[0])
				FAIL("config rejected without a message");
		}
		close(fd);
		unlink(path);
	}
	free(doc);
	free(st);
	return 0;
}
