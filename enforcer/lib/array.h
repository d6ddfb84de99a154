/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * array.h - growing a heap array (array.c): the one copy of the "double the
 * capacity until it fits" step used by the parser, compiler, JSON reader,
 * OCI state reader and the daemon.
 */
#ifndef ENFORCER_ARRAY_H
#define ENFORCER_ARRAY_H

#include <stdbool.h>
#include <stddef.h>

/* Make *arr (of *cap elements of elem bytes) hold at least need elements:
 * the capacity doubles from 8.  false (and *arr, *cap untouched) when out of
 * memory or the size would overflow. */
bool array_grow(void **arr, size_t *cap, size_t need, size_t elem);

#endif
