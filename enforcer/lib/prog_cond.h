/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * prog_cond.h - program conditions: "RULE exe PATH", one syntax for every
 * section that takes one ([exec], [file], [connect], [bind]), and "RULE
 * parent PATH" on [exec] rules.  The program is matched by identity (see
 * ENF_KIND_PROG in enforcer_abi.h).
 */
#ifndef ENFORCER_PROG_COND_H
#define ENFORCER_PROG_COND_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Split a trailing "exe PATH" off value (NUL-terminated, modified in
 * place: cut before "exe").  Returns 0 when there is none, 1 with *exe
 * pointing at PATH, or -1 with a one-line message in err (no file:line).
 * PATH is one token: absolute, normalized, a file (no trailing '/'),
 * shorter than maxlen.
 */
int prog_cond_split(char *value, const char **exe, size_t maxlen, char *err, size_t errsz);

#define PROG_COND_DIR    0x1   /* PATH may be a directory ("/usr/bin/": every program below) */
#define PROG_COND_PARENT 0x2   /* "parent PATH" is accepted (sets *parent) */
/* prog_cond_split with the forms flags allow. */
int prog_cond_split_ex(char *value, const char **exe, bool *parent, unsigned flags, size_t maxlen,
		       char *err, size_t errsz);

#endif
