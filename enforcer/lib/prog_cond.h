/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * prog_cond.h - program conditions: "RULE exe PATH", one syntax for every
 * section that takes one (today [connect] and [bind]).  The program is
 * matched by identity (see ENF_KIND_PROG in enforcer_abi.h).
 */
#ifndef ENFORCER_PROG_COND_H
#define ENFORCER_PROG_COND_H

#include <stddef.h>

/*
 * Split a trailing "exe PATH" off value (NUL-terminated, modified in
 * place: cut before "exe").  Returns 0 when there is none, 1 with *exe
 * pointing at PATH, or -1 with a one-line message in err (no file:line).
 * PATH is one token: absolute, normalized, a file (no trailing '/'),
 * shorter than maxlen.
 */
int prog_cond_split(char *value, const char **exe, size_t maxlen, char *err, size_t errsz);

#endif
