// SPDX-License-Identifier: GPL-2.0-only
/*
 * key_record.c - the keys written into one half of a BPF map, so a reload
 * deletes exactly those (key_record.h).
 */
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "key_record.h"

void key_record_add(struct key_record *r, const void *keys, size_t cnt)
{
	if (!r->known || !cnt)
		return;
	if (r->n + cnt < r->n || !array_grow(&r->k, &r->cap, r->n + cnt, r->ksz)) {
		r->known = false;    /* its owner walks the map next time */
		return;
	}
	memcpy((char *)r->k + r->n * r->ksz, keys, cnt * r->ksz);
	r->n += cnt;
}

static size_t cmp_size;

static int key_cmp(const void *a, const void *b)
{
	return memcmp(a, b, cmp_size);
}

size_t key_record_unique(struct key_record *r)
{
	char *k = r->k;
	size_t n = 0;

	if (r->n < 2)
		return r->n;
	cmp_size = r->ksz;
	qsort(k, r->n, r->ksz, key_cmp);
	for (size_t i = 0; i < r->n; i++)
		if (!n || memcmp(k + (n - 1) * r->ksz, k + i * r->ksz, r->ksz))
			memmove(k + n++ * r->ksz, k + i * r->ksz, r->ksz);
	return r->n = n;
}

void key_record_reset(struct key_record *r)
{
	r->n = 0;
	r->known = true;
}
