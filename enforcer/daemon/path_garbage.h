/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * path_garbage.h - path entries left under an old epoch by a reload, and
 * their deletion by an idle thread (path_garbage.c).
 */
#ifndef ENFORCER_PATH_GARBAGE_H
#define ENFORCER_PATH_GARBAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "key_record.h"

#define GARB_PATHS 0      /* path_rules */
#define GARB_EXACT 1      /* path_exact */

/* The keys of paths and exact (half bit, written under epoch) are garbage
 * now: they move here, and both records are left empty and known. */
void garbage_add(uint32_t bit, uint32_t epoch, struct key_record *paths, struct key_record *exact);
/* Keys not deleted yet: of one map (GARB_PATHS, GARB_EXACT), or of both (-1). */
size_t garbage_pending(int map);
/* Is garbage of half bit under epoch still pending? */
bool garbage_has_epoch(uint32_t bit, uint32_t epoch);
/* Delete it all now (waits for the thread's chunk, if one is under way). */
void garbage_drain(void);
/* The halves (bit mask) some of whose garbage could not be deleted since
 * the last call: their records go unknown (walked at their next clear). */
uint32_t garbage_failed_take(void);

#endif
