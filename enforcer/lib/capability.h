/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * capability.h - capability names (CAP_SYS_ADMIN ...) to numbers and back,
 * for the [capabilities] section and for audit lines.
 */
#ifndef ENFORCER_CAPABILITY_H
#define ENFORCER_CAPABILITY_H

#include <stdint.h>

#define ENF_CAP_LAST 40            /* CAP_CHECKPOINT_RESTORE */
#define ENF_CAP_ALL ((2ULL << ENF_CAP_LAST) - 1)

/* "CAP_SYS_ADMIN", "cap_sys_admin" or "sys_admin" -> 21; -1 if unknown. */
int capability_from_name(const char *name, size_t len);
/* 21 -> "CAP_SYS_ADMIN"; NULL if out of range. */
const char *capability_name(int cap);

#endif
