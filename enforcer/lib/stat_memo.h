/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * stat_memo.h - stat()/lstat() results remembered for the length of one
 * pass over a policy set (stat_memo.c): a reload of 10,000 rules below one
 * directory stats that directory once, not 10,000 times, and a path below
 * a directory known missing is missing without a system call.  Outside
 * stat_memo_begin() .. stat_memo_end() every call goes to the kernel.
 */
#ifndef ENFORCER_STAT_MEMO_H
#define ENFORCER_STAT_MEMO_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

void stat_memo_begin(void);
void stat_memo_end(void);

/* The current pass: 0 outside one, else a number no other pass had (what
 * a caller derived from this pass's answers is valid while it is the
 * same). */
uint64_t stat_memo_pass(void);

/* stat() (follow) or lstat() of path: 0, or -1 with errno set, as they. */
int stat_memo(const char *path, struct stat *st, bool follow);

/* Is a directory above path known missing (ENOENT, ENOTDIR) in this pass?
 * Then path is missing too, for stat() and lstat(). */
bool stat_memo_below_missing(const char *path);

/* Mark (follow) path as put under tag in this pass: true if it already
 * was (the caller may skip a write whose repetition changes nothing). */
bool stat_memo_put_once(const char *path, uint32_t tag);
/* From now on no put is remembered (a second fill of the same maps). */
void stat_memo_forget_puts(void);

#endif
