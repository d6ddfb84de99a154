/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * key_record.h - the keys written into one half of a BPF map (key_record.c),
 * so that a reload deletes exactly those instead of walking the map.  A
 * record that is not known (a map adopted from an earlier enforcerd, or a
 * record that could not grow) tells its owner to walk the map instead.
 */
#ifndef ENFORCER_KEY_RECORD_H
#define ENFORCER_KEY_RECORD_H

#include <stdbool.h>
#include <stddef.h>

struct key_record {
	void *k;          /* n keys of ksz bytes */
	size_t ksz, n, cap;
	bool known;       /* false: some key written is not in k */
};

#define KEY_RECORD_INIT(type) { .ksz = sizeof(type) }

/* Append cnt keys.  Out of memory: the record becomes unknown (and stays so
 * until key_record_reset). */
void key_record_add(struct key_record *r, const void *keys, size_t cnt);

/* Sort the keys and drop repeats; returns the new n. */
size_t key_record_unique(struct key_record *r);

/* The half is empty: nothing recorded, and the record is known again. */
void key_record_reset(struct key_record *r);

#endif
