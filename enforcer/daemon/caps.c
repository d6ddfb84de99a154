// SPDX-License-Identifier: GPL-2.0-only
/*
 * caps.c - once enforcement is attached, keep only the capabilities that
 * running needs (see README "Capabilities"):
 *   CAP_SYS_PTRACE       read /proc/PID/exe of any process for audit lines
 *   CAP_DAC_READ_SEARCH  read policy files and /proc entries it does not own;
 *                        open_by_handle_at() of a cgroup id (cgroupfs.c)
 * Map updates, pins and the control socket need none: their fds and files
 * are already open or owned by root.  The bounding set is cleared too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/capability.h>
#include "daemon.h"

int caps_drop(void)
{
	static const cap_value_t keep[] = { CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH };
	cap_t caps;
	int ret = 0;

	for (cap_value_t c = 0; c <= CAP_LAST_CAP; c++) {
		if (c == CAP_SYS_PTRACE || c == CAP_DAC_READ_SEARCH)
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
			return log_err(-errno, "caps: dropping %s from the bounding set: %s",
				       cap_to_name(c), strerror(errno));
	}
	caps = cap_init();
	if (!caps)
		return log_err(-errno, "caps: %s", strerror(errno));
	if (cap_set_flag(caps, CAP_PERMITTED, 2, keep, CAP_SET) < 0 ||
	    cap_set_flag(caps, CAP_EFFECTIVE, 2, keep, CAP_SET) < 0 ||
	    cap_set_proc(caps) < 0)
		ret = log_err(-errno, "caps: keeping only CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH: %s",
			      strerror(errno));
	cap_free(caps);
	return ret;
}
