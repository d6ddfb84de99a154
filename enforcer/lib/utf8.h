/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * utf8.h - the one UTF-8 validator of enforcer (utf8.c), used by the policy
 * parser (policy files are text) and the JSON writer (valid sequences pass
 * as is).  The fuzz oracle (t/fuzz/json_check.h) keeps its own, written
 * apart on purpose: a differential check cannot share the code it checks.
 */
#ifndef ENFORCER_UTF8_H
#define ENFORCER_UTF8_H

#include <stddef.h>

/* Length (1..4) of the valid UTF-8 sequence at s[0..n), n >= 1, or 0 when
 * the bytes there do not start one (RFC 3629: no overlong form, no
 * surrogate, at most U+10FFFF). */
size_t utf8_seq(const unsigned char *s, size_t n);

#endif
