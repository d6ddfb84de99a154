// SPDX-License-Identifier: GPL-2.0-only
/*
 * path_garbage.c - the path entries a reload left behind under an old
 * epoch (enforcer_abi.h, ENF_TAG_EPOCH; policy_apply.c, epoch_next), and
 * their deletion.
 *
 * No lookup carries an old epoch, so these entries are never matched; they
 * only take room in path_rules and path_exact.  A thread at SCHED_IDLE
 * deletes them a chunk at a time, so it runs only when the CPU has nothing
 * else to do and never delays enforcerd or the work of the host.  The main
 * thread deletes what is left itself (garbage_drain) when it needs the
 * room or an epoch whose garbage is pending; it waits at most for the one
 * chunk the thread is deleting.  The thread reserves each chunk under the
 * lock before it deletes it, so a key is deleted once, by one of them.
 *
 * ENFORCER_TEST_GARBAGE_HOLD=FILE (tests): the thread deletes nothing
 * while FILE exists.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "daemon.h"
#include "enforcer.skel.h"
#include "path_garbage.h"

#define GARB_MAX   (2 * ENF_EPOCHS)   /* entries pending at most */
#define GARB_CHUNK 256                /* keys per delete by the thread */

struct garb {
	struct key_record k[2];     /* GARB_PATHS, GARB_EXACT */
	size_t taken[2];            /* keys reserved for deletion (a prefix) */
	size_t inflight;            /* keys reserved, not deleted yet */
	uint32_t bit, epoch;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work = PTHREAD_COND_INITIALIZER;     /* an entry added */
static pthread_cond_t chunk_done = PTHREAD_COND_INITIALIZER;
static struct garb *q[GARB_MAX];
static size_t nq;
static size_t left[2];              /* keys not deleted yet, per map */
static uint32_t failed;             /* halves some of whose garbage could not go */
static bool thread_on;
static int fds[2] = { -1, -1 };     /* the thread's own descriptors of the maps */
static const char *hold;

/* Delete cnt keys of ksz bytes from fd: batched, else one by one (a key
 * already gone is not an error).  0 or -errno. */
static int delete_keys(int fd, const char *keys, size_t ksz, size_t cnt)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u32 done = (__u32)cnt;

	if (bpf_map_delete_batch(fd, keys, &done, &opts) == 0 && done == cnt)
		return 0;
	for (size_t i = 0; i < cnt; i++)
		if (bpf_map_delete_elem(fd, keys + i * ksz) < 0 && errno != ENOENT)
			return -errno;
	return 0;
}

/* An entry with keys not reserved yet (under mu), or NULL. */
static struct garb *untaken(void)
{
	for (size_t i = 0; i < nq; i++)
		for (int m = 0; m < 2; m++)
			if (q[i]->taken[m] < q[i]->k[m].n)
				return q[i];
	return NULL;
}

/* Reserve up to max keys of g (under mu): the map, the first key, how many. */
static size_t take(struct garb *g, size_t max, int *map, size_t *from)
{
	int m = g->taken[GARB_PATHS] < g->k[GARB_PATHS].n ? GARB_PATHS : GARB_EXACT;
	size_t n = g->k[m].n - g->taken[m];

	if (n > max)
		n = max;
	*map = m;
	*from = g->taken[m];
	g->taken[m] += n;
	g->inflight += n;
	return n;
}

/* The chunk is deleted (under mu): accounted, and g freed once all of it is. */
static void settle(struct garb *g, int m, size_t n, int err)
{
	g->inflight -= n;
	left[m] -= n;
	if (err)
		failed |= 1u << g->bit;
	if (g->inflight || g->taken[0] < g->k[0].n || g->taken[1] < g->k[1].n)
		return;
	for (size_t i = 0; i < nq; i++)
		if (q[i] == g) {
			q[i] = q[--nq];
			break;
		}
	free(g->k[0].k);
	free(g->k[1].k);
	free(g);
}

static bool held(void)
{
	return hold && access(hold, F_OK) == 0;
}

static void *garbage_thread(void *arg)
{
	struct sched_param sp = { 0 };

	(void)arg;
	/* only when nothing else wants the CPU; else the lowest weight */
	if (sched_setscheduler(0, SCHED_IDLE, &sp) < 0)
		setpriority(PRIO_PROCESS, (id_t)gettid(), 19);
	pthread_mutex_lock(&mu);
	for (;;) {
		struct garb *g = held() ? NULL : untaken();
		size_t n, from;
		int m, err;

		if (!g) {
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 100 * 1000 * 1000;       /* a held file is looked at again */
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			if (hold)
				pthread_cond_timedwait(&work, &mu, &ts);
			else
				pthread_cond_wait(&work, &mu);
			continue;
		}
		n = take(g, GARB_CHUNK, &m, &from);
		pthread_mutex_unlock(&mu);
		err = delete_keys(fds[m], (const char *)g->k[m].k + from * g->k[m].ksz, g->k[m].ksz, n);
		pthread_mutex_lock(&mu);
		settle(g, m, n, err);
		pthread_cond_broadcast(&chunk_done);
	}
	return NULL;
}

/* The thread and its descriptors, the first time there is garbage. */
static void thread_start(void)
{
	pthread_attr_t a;
	pthread_t t;

	if (thread_on)
		return;
	hold = getenv("ENFORCER_TEST_GARBAGE_HOLD");
	fds[GARB_PATHS] = fcntl(bpf_map__fd(D.skel->maps.path_rules), F_DUPFD_CLOEXEC, 3);
	fds[GARB_EXACT] = fcntl(bpf_map__fd(D.skel->maps.path_exact), F_DUPFD_CLOEXEC, 3);
	if (fds[0] < 0 || fds[1] < 0)
		return;
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	thread_on = pthread_create(&t, &a, garbage_thread, NULL) == 0;
	pthread_attr_destroy(&a);
	if (!thread_on)
		log_info("path rules: no thread to delete old entries when idle (%s): reloads delete them",
			 strerror(errno));
}

size_t garbage_pending(int map)
{
	size_t n;

	pthread_mutex_lock(&mu);
	n = map == GARB_EXACT ? left[GARB_EXACT] : map == GARB_PATHS ? left[GARB_PATHS] :
	    left[GARB_PATHS] + left[GARB_EXACT];
	pthread_mutex_unlock(&mu);
	return n;
}

bool garbage_has_epoch(uint32_t bit, uint32_t epoch)
{
	bool has = false;

	pthread_mutex_lock(&mu);
	for (size_t i = 0; i < nq; i++)
		has |= q[i]->bit == bit && q[i]->epoch == epoch;
	pthread_mutex_unlock(&mu);
	return has;
}

uint32_t garbage_failed_take(void)
{
	uint32_t f;

	pthread_mutex_lock(&mu);
	f = failed;
	failed = 0;
	pthread_mutex_unlock(&mu);
	return f;
}

void garbage_drain(void)
{
	pthread_mutex_lock(&mu);
	while (nq) {
		struct garb *g = untaken();
		size_t n, from;
		int m, err;

		if (!g) {           /* only the thread's chunk is left */
			pthread_cond_wait(&chunk_done, &mu);
			continue;
		}
		n = take(g, SIZE_MAX, &m, &from);
		pthread_mutex_unlock(&mu);
		err = delete_keys(m == GARB_PATHS ? bpf_map__fd(D.skel->maps.path_rules) :
			    bpf_map__fd(D.skel->maps.path_exact),
			    (const char *)g->k[m].k + from * g->k[m].ksz, g->k[m].ksz, n);
		if (err)
			D.map_update_failures++;
		pthread_mutex_lock(&mu);
		settle(g, m, n, err);
	}
	pthread_mutex_unlock(&mu);
}

void garbage_add(uint32_t bit, uint32_t epoch, struct key_record *paths, struct key_record *exact)
{
	struct garb *g;

	if (!paths->n && !exact->n)
		return;
	if (garbage_pending(-1) && !thread_on)
		garbage_drain();        /* no thread: one entry at a time */
	pthread_mutex_lock(&mu);
	if (nq == GARB_MAX) {
		pthread_mutex_unlock(&mu);
		garbage_drain();
		pthread_mutex_lock(&mu);
	}
	g = calloc(1, sizeof(*g));
	if (!g) {
		/* no room to remember them: the half is walked at its next clear */
		failed |= 1u << bit;
		pthread_mutex_unlock(&mu);
		return;
	}
	/* the records' keys move here; theirs start empty */
	g->k[GARB_PATHS] = *paths;
	g->k[GARB_EXACT] = *exact;
	*paths = (struct key_record){ .ksz = paths->ksz, .known = true };
	*exact = (struct key_record){ .ksz = exact->ksz, .known = true };
	g->bit = bit;
	g->epoch = epoch;
	q[nq++] = g;
	left[GARB_PATHS] += g->k[GARB_PATHS].n;
	left[GARB_EXACT] += g->k[GARB_EXACT].n;
	pthread_cond_signal(&work);
	pthread_mutex_unlock(&mu);
	thread_start();
}
