// SPDX-License-Identifier: GPL-2.0-only
/*
 * watch.c - `enforcerd --watch`: reload when the policy directory changes.
 * inotify on the directory sees files written, created, removed and renamed,
 * including the "..data" symlink swap a Kubernetes ConfigMap volume does on
 * update.  Changes are coalesced: one reload on the next tick (<= 1 s).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>
#include "daemon.h"
#include "loop.h"

static int ifd = -1;
static bool pending;

static void arm(void)
{
	if (inotify_add_watch(ifd, D.policy_dir, IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_TO |
			      IN_MOVED_FROM | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR) < 0)
		log_err(-errno, "watch: %s: %s (retrying every second)", D.policy_dir, strerror(errno));
}

static void on_event(void *ctx, int fd, uint32_t events)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;

	(void)ctx;
	(void)events;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)p;

			if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF))
				pending = true;   /* the directory itself went: re-arm on tick */
			pending = true;
			p += sizeof(*ev) + ev->len;
		}
	}
}

static void tick(void *ctx)
{
	struct enf_errors err = {};

	(void)ctx;
	if (!pending)
		return;
	pending = false;
	arm();   /* no-op when still watched; re-arms after the directory was replaced */
	reload_request(&err);
	errors_free(&err);
}

int watch_init(void)
{
	ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (ifd < 0)
		return log_err(-errno, "watch: inotify: %s", strerror(errno));
	arm();
	loop_add(ifd, 1 /* EPOLLIN */, on_event, NULL);
	return loop_add_tick(tick, NULL);
}
