/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * loop.h - the daemon's single-threaded epoll event loop: file descriptors
 * with callbacks, and a once-a-second tick for timeouts and housekeeping.
 */
#ifndef ENFORCER_LOOP_H
#define ENFORCER_LOOP_H

#include <signal.h>
#include <stdint.h>

typedef void (*loop_cb)(void *ctx, int fd, uint32_t events);
typedef void (*tick_cb)(void *ctx);

int loop_init(void);
int loop_add(int fd, uint32_t events, loop_cb cb, void *ctx);   /* EPOLLIN etc. */
int loop_mod(int fd, uint32_t events);
void loop_del(int fd);
int loop_add_tick(tick_cb cb, void *ctx);
/* Runs until *stop is set; -EINTR is a wake-up, not an error. */
int loop_run(volatile sig_atomic_t *stop);
uint64_t loop_now_ms(void);  /* CLOCK_MONOTONIC in ms */

#endif
