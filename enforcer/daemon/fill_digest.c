// SPDX-License-Identifier: GPL-2.0-only
/*
 * fill_digest.c - what a reload writes into the policy maps, as one digest,
 * so that a reload that would write exactly what the live half holds can
 * leave the maps alone (policy_apply.c: "unchanged").
 *
 * Between fill_digest_begin() and fill_digest_end() every map write goes
 * through fd_update(): the write (map, flags, key, value), in order, is
 * absorbed into a keyed SipHash-2-4 (a key drawn at start-up: file
 * identities an unprivileged user can steer cannot be chosen to collide).
 * Equal sequences of writes into an emptied half give equal maps.  In a
 * dry pass nothing reaches the kernel: the writes land in a table here,
 * which fd_lookup() answers from as the emptied half would (every map but
 * the one named at begin, which the fill only writes).  Outside a pass
 * both go straight to the kernel.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "daemon.h"
#include "enforcer.skel.h"

struct ent {
	int fd;               /* 0: a free slot (fd 0 is never a map here) */
	uint64_t h;
	char *k, *v;
};

static struct {
	bool on, dry, paused;
	int plain_fd;         /* written, never read by a fill: not emulated */
	uint64_t v0, v1, v2, v3, buf;
	unsigned nbuf;
	uint64_t total;
	struct ent *t;
	size_t cap, n;
} F;
static uint64_t key[2];
static struct { int fd; uint32_t ks, vs; } sz[16];

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
static void sipround(void)
{
	F.v0 += F.v1; F.v1 = ROTL(F.v1, 13); F.v1 ^= F.v0; F.v0 = ROTL(F.v0, 32);
	F.v2 += F.v3; F.v3 = ROTL(F.v3, 16); F.v3 ^= F.v2;
	F.v0 += F.v3; F.v3 = ROTL(F.v3, 21); F.v3 ^= F.v0;
	F.v2 += F.v1; F.v1 = ROTL(F.v1, 17); F.v1 ^= F.v2; F.v2 = ROTL(F.v2, 32);
}

static void word(uint64_t m)
{
	F.v3 ^= m;
	sipround();
	sipround();
	F.v0 ^= m;
}

static void absorb(const void *p, size_t n)
{
	const unsigned char *b = p;

	F.total += n;
	for (size_t i = 0; i < n; i++) {
		F.buf |= (uint64_t)b[i] << (8 * F.nbuf);
		if (++F.nbuf == 8) {
			word(F.buf);
			F.buf = 0;
			F.nbuf = 0;
		}
	}
}

/* Key and value size of map fd (the skeleton's maps; a few fds in turn). */
static int sizes(int fd, uint32_t *ks, uint32_t *vs)
{
	struct bpf_map *m;
	size_t i;

	for (i = 0; i < sizeof(sz) / sizeof(sz[0]) && sz[i].fd; i++)
		if (sz[i].fd == fd) {
			*ks = sz[i].ks;
			*vs = sz[i].vs;
			return 0;
		}
	bpf_object__for_each_map(m, D.skel->obj) {
		if (bpf_map__fd(m) != fd)
			continue;
		*ks = bpf_map__key_size(m);
		*vs = bpf_map__value_size(m);
		if (i < sizeof(sz) / sizeof(sz[0]))
			sz[i] = (typeof(sz[0])){ fd, *ks, *vs };
		return 0;
	}
	return -1;
}

static uint64_t mix(int fd, const void *k, uint32_t ks)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ (uint64_t)fd;
	const unsigned char *b = k;

	for (uint32_t i = 0; i < ks; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

static struct ent *find(int fd, const void *k, uint32_t ks, uint64_t h)
{
	size_t i = h & (F.cap - 1);

	while (F.t[i].fd && !(F.t[i].fd == fd && F.t[i].h == h && !memcmp(F.t[i].k, k, ks)))
		i = (i + 1) & (F.cap - 1);
	return &F.t[i];
}

static int grow(void)
{
	size_t ocap = F.cap, ncap = ocap ? 2 * ocap : 256;
	struct ent *old = F.t, *nt = calloc(ncap, sizeof(*nt));

	if (!nt)
		return -ENOMEM;
	F.t = nt;
	F.cap = ncap;
	for (size_t i = 0; i < ocap; i++)
		if (old[i].fd) {
			uint32_t ks, vs;

			sizes(old[i].fd, &ks, &vs);
			*find(old[i].fd, old[i].k, ks, old[i].h) = old[i];
		}
	free(old);
	return 0;
}

void fill_digest_begin(bool dry, int plain_fd)
{
	if (!key[0] && !key[1] && getrandom(key, sizeof(key), 0) != sizeof(key)) {
		key[0] = (uint64_t)rand() << 32 ^ (uint64_t)rand();   /* never seen: getrandom() failing */
		key[1] = (uint64_t)rand() << 32 ^ (uint64_t)rand();
	}
	F.on = true;
	F.dry = dry;
	F.paused = false;
	F.plain_fd = plain_fd;
	F.v0 = 0x736f6d6570736575ull ^ key[0];
	F.v1 = 0x646f72616e646f6dull ^ key[1];
	F.v2 = 0x6c7967656e657261ull ^ key[0];
	F.v3 = 0x7465646279746573ull ^ key[1];
	F.buf = 0;
	F.nbuf = 0;
	F.total = 0;
}

bool fill_digest_dry(void)
{
	return F.on && F.dry;
}

void fill_digest_pause(bool paused)
{
	F.paused = paused;
}

uint64_t fill_digest_end(void)
{
	uint64_t b = F.buf | (F.total << 56);

	word(b);
	F.v2 ^= 0xff;
	for (int i = 0; i < 4; i++)
		sipround();
	for (size_t i = 0; i < F.cap; i++)
		if (F.t[i].fd) {
			free(F.t[i].k);
			free(F.t[i].v);
		}
	free(F.t);
	F.t = NULL;
	F.cap = F.n = 0;
	F.on = F.dry = false;
	return F.v0 ^ F.v1 ^ F.v2 ^ F.v3;
}

int fd_update(int fd, const void *k, const void *v, unsigned long long flags)
{
	uint32_t ks, vs;
	struct ent *e;
	uint64_t h;

	if (!F.on || F.paused)
		return bpf_map_update_elem(fd, k, v, flags);
	if (sizes(fd, &ks, &vs) < 0) {
		errno = EINVAL;
		return -1;
	}
	absorb(&fd, sizeof(fd));
	absorb(&flags, sizeof(flags));
	absorb(k, ks);
	absorb(v, vs);
	if (!F.dry)
		return bpf_map_update_elem(fd, k, v, flags);
	if (fd == F.plain_fd)
		return 0;
	/* the emptied half, emulated */
	if ((F.n + 1) * 2 > F.cap && grow() < 0)
		return -1;
	h = mix(fd, k, ks);
	e = find(fd, k, ks, h);
	if (e->fd && (flags & 3) == BPF_NOEXIST) {
		errno = EEXIST;
		return -1;
	}
	if (!e->fd && (flags & 3) == BPF_EXIST) {
		errno = ENOENT;
		return -1;
	}
	if (!e->fd) {
		if (!(e->k = malloc(ks)) || !(e->v = malloc(vs))) {
			free(e->k);
			e->k = NULL;
			errno = ENOMEM;
			return -1;
		}
		memcpy(e->k, k, ks);
		e->fd = fd;
		e->h = h;
		F.n++;
	}
	memcpy(e->v, v, vs);
	return 0;
}

int fd_lookup(int fd, const void *k, void *v)
{
	uint32_t ks, vs;
	struct ent *e;

	if (!F.on || !F.dry)
		return bpf_map_lookup_elem(fd, k, v);
	if (fd == F.plain_fd || !F.cap || sizes(fd, &ks, &vs) < 0) {
		errno = ENOENT;
		return -1;
	}
	e = find(fd, k, ks, mix(fd, k, ks));
	if (!e->fd) {
		errno = ENOENT;
		return -1;
	}
	memcpy(v, e->v, vs);
	return 0;
}
