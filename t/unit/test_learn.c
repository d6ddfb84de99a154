// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_learn.c - the learning aggregator (learn.c) on the host: records of
 * the learning policy only, distinct actions with hits and first/last use,
 * the bound (new actions past it counted, never silently), name-only and
 * lost records, the state file round trip, and the policy written.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "enforcer_abi.h"
#include "learn.h"
#include "tap.h"

static int add(struct learn_set *s, const char *line)
{
	return learn_add_line(s, "learn-x", line, strlen(line));
}

static const struct learn_entry *get(const struct learn_set *s, int hook, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->e[i].hook == hook && !strcmp(s->e[i].key, key))
			return &s->e[i];
	return NULL;
}

int main(void)
{
	struct learn_set s = { .max = 4 }, r = { 0 };
	const struct learn_entry *e;
	char path[] = "/tmp/learnXXXXXX", *buf = NULL;
	size_t blen = 0;
	FILE *f;
	int fd;

	is_int(add(&s, "{\"time\":\"T1\",\"action\":\"audit\",\"hook\":\"exec\",\"policy\":\"learn-x\",\"path\":\"/bin/a\"}"), 1,
	       "an exec record is learned");
	is_int(add(&s, "{\"time\":\"T2\",\"action\":\"audit\",\"hook\":\"exec\",\"policy\":\"learn-x\",\"path\":\"/bin/a\"}"), 1,
	       "the same action again");
	e = get(&s, ENF_HOOK_EXEC, "/bin/a");
	ok(e && e->hits == 2 && !strcmp(e->first, "T1") && !strcmp(e->last, "T2"), "one action: 2 hits, first T1, last T2");
	is_int(add(&s, "{\"time\":\"T3\",\"hook\":\"exec\",\"policy\":\"other\",\"path\":\"/bin/b\"}"), 0,
	       "another policy's record is ignored");
	is_int(add(&s, "not json"), -1, "a line that is not JSON");
	add(&s, "{\"time\":\"T4\",\"hook\":\"file\",\"policy\":\"learn-x\",\"path\":\"/d/f\",\"access\":\"read\"}");
	add(&s, "{\"time\":\"T5\",\"hook\":\"file\",\"policy\":\"learn-x\",\"path\":\"/d/f\",\"access\":\"write\"}");
	e = get(&s, ENF_HOOK_FILE, "/d/f");
	ok(e && e->write && e->hits == 2, "file: read then write: one action, written");
	add(&s, "{\"time\":\"T6\",\"hook\":\"connect\",\"policy\":\"learn-x\",\"addr\":\"10.0.0.5\",\"port\":443,\"proto\":\"tcp\",\"family\":\"ipv4\"}");
	ok(get(&s, ENF_HOOK_CONNECT, "10.0.0.5 port 443 tcp") != NULL, "connect: ADDR port N PROTO");
	add(&s, "{\"time\":\"T7\",\"hook\":\"connect\",\"policy\":\"learn-x\",\"path\":\"/run/x.sock\",\"family\":\"unix\"}");
	ok(get(&s, ENF_HOOK_CONNECT, "unix:/run/x.sock") != NULL, "connect: unix:PATH");
	is_int(s.n, 4, "4 distinct actions: the bound");
	is_int(add(&s, "{\"time\":\"T8\",\"hook\":\"bind\",\"policy\":\"learn-x\",\"addr\":\"0.0.0.0\",\"port\":80,\"proto\":\"tcp\"}"), 0,
	       "a new action past the bound is not kept");
	is_int(s.dropped, 1, "  and counted as dropped");
	is_int(add(&s, "{\"time\":\"T9\",\"hook\":\"exec\",\"policy\":\"learn-x\",\"path\":\"/bin/a\"}"), 1,
	       "a known action still counts past the bound");
	add(&s, "{\"time\":\"T10\",\"hook\":\"file\",\"policy\":\"learn-x\",\"path\":\"x\",\"path_is_name\":true}");
	is_int(s.names_only, 1, "a name-only record is counted, not learned");
	add(&s, "{\"lost\":7,\"lost_total\":7,\"time\":\"T11\"}");
	is_int(s.lost, 7, "lost records are counted");
	is_string(s.last_time, "T9", "the newest record's time");

	fd = mkstemp(path);
	if (fd < 0)
		bail("mkstemp");
	close(fd);
	is_int(learn_save(&s, path), 0, "state saved");
	r.max = 10;
	is_int(learn_load(&r, path), 0, "state loaded");
	ok(r.n == s.n && r.events == s.events && r.dropped == 1 && r.names_only == 1 && r.lost == 7 &&
	   !strcmp(r.last_time, "T9"), "  the same counts (%zu actions, %llu records)", r.n,
	   (unsigned long long)r.events);
	e = get(&r, ENF_HOOK_EXEC, "/bin/a");
	ok(e && e->hits == 3 && !strcmp(e->first, "T1") && !strcmp(e->last, "T9"), "  the same hits and times");
	f = open_memstream(&buf, &blen);
	learn_write_ini(f, &r, "learned-x", "cgroup = /x", 4);
	fclose(f);
	ok(strstr(buf, "[policy]\nname = learned-x\ncgroup = /x\nmode = enforce\n") != NULL, "policy: name, target, enforce");
	ok(strstr(buf, "[exec]\ndefault = deny\nallow = /bin/a  ; hits 3, first T1, last T9\n") != NULL, "exec: allow with hits, first, last");
	ok(strstr(buf, "[file]\ndefault = deny\nallow = /d/f  ; hits 2") != NULL, "file: a written file is allowed");
	ok(strstr(buf, "allow = unix:/run/x.sock  ; hits 1") != NULL, "connect: unix rule");
	ok(strstr(buf, "WARNING: 1 records of new actions past the bound") != NULL, "the bound's losses are said");
	ok(strstr(buf, "WARNING: the kernel lost 7 records") != NULL, "the kernel's losses are said");
	free(buf);
	unlink(path);
	{
		struct learn_set pk = { .max = 4 };

		add(&pk, "{\"time\":\"T1\",\"hook\":\"connect\",\"op\":\"socket\",\"policy\":\"learn-x\",\"family\":\"packet\",\"ethertype\":3}");
		ok(get(&pk, ENF_HOOK_CONNECT, "packet") != NULL && pk.n == 1, "connect: a packet socket: packet");
		learn_free(&pk);
	}
	learn_free(&s);
	learn_free(&r);
	return done_testing();
}
