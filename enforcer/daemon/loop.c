// SPDX-License-Identifier: GPL-2.0-only
/*
 * loop.c - the daemon's single-threaded epoll event loop: file descriptors
 * with callbacks, and tick callbacks run about once a second.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"

#define LOOP_TICK_MS   1000
#define LOOP_MAX_TICKS 16
#define LOOP_BATCH     64

struct loop_fd {
	int fd;
	loop_cb cb;
	void *ctx;
	bool dead;                       /* removed; freed after the batch */
	struct loop_fd *next;
};

struct loop_tick {
	tick_cb cb;
	void *ctx;
};

static int epfd = -1;
static struct loop_fd *fds;          /* registered descriptors */
static struct loop_tick ticks[LOOP_MAX_TICKS];
static int nticks;
static uint64_t next_tick;
static struct loop_fd *graveyard;    /* removed during a batch, see loop_run */

uint64_t loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int loop_init(void)
{
	if (epfd >= 0)
		return 0;
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (epfd < 0)
		return -errno;
	next_tick = loop_now_ms() + LOOP_TICK_MS;
	return 0;
}

static struct loop_fd *find(int fd)
{
	for (struct loop_fd *f = fds; f; f = f->next)
		if (f->fd == fd)
			return f;
	return NULL;
}

int loop_add(int fd, uint32_t events, loop_cb cb, void *ctx)
{
	struct epoll_event ev = { .events = events };
	struct loop_fd *f;

	if (epfd < 0 && loop_init() < 0)
		return -errno;
	if (find(fd))
		return -EEXIST;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->fd = fd;
	f->cb = cb;
	f->ctx = ctx;
	ev.data.ptr = f;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int e = -errno;

		free(f);
		return e;
	}
	f->next = fds;
	fds = f;
	return 0;
}

int loop_mod(int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events };
	struct loop_fd *f = find(fd);

	if (!f)
		return -ENOENT;
	ev.data.ptr = f;
	if (epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev) < 0)
		return -errno;
	return 0;
}

void loop_del(int fd)
{
	struct loop_fd **pp, *f;

	for (pp = &fds; (f = *pp); pp = &f->next) {
		if (f->fd == fd) {
			epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
			*pp = f->next;
			f->dead = true;
			f->next = graveyard;
			graveyard = f;
			return;
		}
	}
}

int loop_add_tick(tick_cb cb, void *ctx)
{
	if (nticks == LOOP_MAX_TICKS)
		return -ENOSPC;
	ticks[nticks].cb = cb;
	ticks[nticks].ctx = ctx;
	nticks++;
	return 0;
}

static void bury(void)
{
	while (graveyard) {
		struct loop_fd *f = graveyard;

		graveyard = f->next;
		free(f);
	}
}

int loop_run(volatile sig_atomic_t *stop)
{
	struct epoll_event evs[LOOP_BATCH];

	if (epfd < 0 && loop_init() < 0)
		return -errno;
	while (!*stop) {
		uint64_t now = loop_now_ms();
		int timeout, n;

		if (now >= next_tick) {
			next_tick = now + LOOP_TICK_MS;
			for (int i = 0; i < nticks; i++)
				ticks[i].cb(ticks[i].ctx);
			if (*stop)
				break;
			now = loop_now_ms();
		}
		timeout = next_tick > now ? (int)(next_tick - now) : 0;
		n = epoll_wait(epfd, evs, LOOP_BATCH, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (int i = 0; i < n; i++) {
			struct loop_fd *f = evs[i].data.ptr;

			/* an earlier callback in this batch may have removed f */
			if (!f->dead)
				f->cb(f->ctx, f->fd, evs[i].events);
		}
		bury();
	}
	return 0;
}
