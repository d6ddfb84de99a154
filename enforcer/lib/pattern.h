/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pattern.h - glob patterns in exec and file rule paths (`*`, `?`, `**`):
 * their syntax, their order (most specific first), and the matcher that
 * bpf-lsm/pattern.bpf.c runs in the kernel, written again in C for the
 * offline verdict model and the unit tests.
 *
 * A pattern is its literal directory (the components before the first one
 * holding a wildcard, ending in '/') and its glob (the rest).  `*` and `?`
 * match any bytes but '/' (any number, one); `**`, a whole component,
 * matches any number of components, zero included.  No other byte is
 * special: `[`, `]` and `\` match themselves.
 */
#ifndef ENFORCER_PATTERN_H
#define ENFORCER_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "policy.h"

#define POLICY_PATTERNS_MAX 256     /* patterns per policy (ENF_MAX_PATTERNS per set) */

/* Does this rule path hold a wildcard ('*' or '?')? */
bool pattern_is(const char *path);
/* Where its glob starts: the first component holding a wildcard (0 when
 * none).  path[0..start) is the literal directory, '/' included. */
size_t pattern_glob_start(const char *path);
/* A syntax error of pattern path (NULL: fine), in a static buffer. */
const char *pattern_error(const char *path);
/* Match glob against subject (the names below the literal directory,
 * joined by '/'; "" for the directory itself).  *partial (may be NULL):
 * the subject is a directory that matches could lie below. */
bool pattern_match(const char *glob, const char *subject, bool *partial);
/* Literal bytes of a glob (not '*', '?'): the second key of the order. */
size_t pattern_literals(const char *glob);
/* A pattern rule's specificity: its (resolved) literal directory's length
 * plus one (above that directory's own rule, below any rule deeper). */
uint8_t pattern_plen(const struct enf_rule *r);
/* Most specific first: the longer literal directory, then more literal
 * bytes, then a program condition (`exe`, `parent`) before none, then the
 * stricter verdict, then the earlier rule.  For qsort. */
int pattern_cmp(const void *a, const void *b);
/* The rule the path lookup finds for paths below the literal directory
 * dir (the longest key of tag prefixing it): its rule id, or
 * ENF_RULE_DEFAULT.  The pattern overrides that rule. */
uint32_t pattern_cover(const struct enf_compiled *c, uint32_t tag, const char *dir);

/* The pattern rule of kind that p's patterns decide path by (the most
 * specific that matches: pattern_cmp), or NULL.  Literal rules not
 * considered: a literal rule whose key is longer than the pattern's
 * pattern_plen() beats it. */
const struct enf_rule *pattern_best(const struct enf_policy_src *p, uint32_t kind, const char *path);
/* Does pattern rule r match path (its literal directory itself included
 * when the glob matches no name)? */
bool pattern_rule_matches(const struct enf_rule *r, const char *path);
/* The same for a process in program class prog (1..; `parent` when
 * parent) only: the patterns without a condition and those of that class. */
const struct enf_rule *pattern_best_prog(const struct enf_policy_src *p, uint32_t kind, const char *path,
					 uint8_t prog, bool parent);
/* The path lookup's answer for the file at path (the longest key of tag
 * prefixing it, its NUL counted), or NULL. */
const struct enf_path_entry *pattern_lpm(const struct enf_compiled *c, uint32_t tag, const char *path);

#endif
