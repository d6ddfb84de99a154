// SPDX-License-Identifier: GPL-2.0-only
/* test_key_record.c - key_record (the keys a reload deletes instead of
 * walking a map): a fresh record is unknown (maps adopted from an earlier
 * enforcerd are walked), a reset one records every key added one by one or
 * in a batch, unique sorts and drops repeats, and a record that cannot grow
 * becomes unknown until the next reset. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../enforcer/lib/key_record.h"
#include "tap.h"

struct key { uint32_t tag; char path[12]; };

int main(void)
{
	struct key_record r = KEY_RECORD_INIT(struct key);
	struct key k[3000], *got;
	size_t i;
	bool all;

	plan(9);
	memset(k, 0, sizeof(k));
	for (i = 0; i < 3000; i++) {
		k[i].tag = (uint32_t)((i * 7919) % 1000);   /* each key three times, shuffled */
		k[i].path[0] = 'a';
	}
	key_record_add(&r, &k[0], 1);
	ok(!r.known && r.n == 0, "a fresh record is unknown and records nothing");
	key_record_reset(&r);
	ok(r.known && r.n == 0, "reset: known and empty");
	key_record_add(&r, &k[0], 1);
	key_record_add(&r, &k[1], 2999);
	ok(r.known && r.n == 3000, "one key and a batch of 2999: 3000 recorded");
	got = r.k;
	ok(!memcmp(&got[0], &k[0], sizeof(k[0])) && !memcmp(&got[2999], &k[2999], sizeof(k[0])),
	   "the keys are recorded as written, in order");
	ok(key_record_unique(&r) == 1000 && r.n == 1000, "unique: 1000 keys left (%zu)", r.n);
	all = true;
	for (i = 1; i < r.n; i++)
		all = all && memcmp(&got[i - 1], &got[i], sizeof(*got)) < 0;
	ok(all, "unique: sorted, no key twice (%zu left)", r.n);
	key_record_add(&r, &k[0], 0);
	ok(r.known, "adding nothing keeps the record");
	key_record_add(&r, &k[0], SIZE_MAX);
	ok(!r.known, "a record that cannot grow becomes unknown");
	key_record_add(&r, &k[0], 1);
	key_record_reset(&r);
	ok(r.known && r.n == 0, "and known again after the next clear");
	free(r.k);
	return done_testing();
}
