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

#define PROG_COND_DIR    0x1   /* PATH may be a directory ("/usr/bin/": every program below) */
#define PROG_COND_PARENT 0x2   /* "parent PATH" is accepted (sets *parent) */
/*
 * Split a trailing "exe PATH" (or, with PROG_COND_PARENT, "parent PATH")
 * off value (NUL-terminated, modified in place: cut before the keyword).
 * Returns 0 when there is none, 1 with *exe pointing at PATH (*parent set
 * for "parent"), or -1 with a one-line message in err (no file:line).
 * PATH is one token: absolute, normalized, a file (no trailing '/' unless
 * PROG_COND_DIR), shorter than maxlen.  flags: the forms allowed.
 */
int prog_cond_split(char *value, const char **exe, bool *parent, unsigned flags, size_t maxlen,
		    char *err, size_t errsz);

#endif
