// SPDX-License-Identifier: GPL-2.0-only
/*
 * capability.c - capability names (CAP_SYS_ADMIN ...) to numbers and back,
 * as <linux/capability.h> numbers them (0 .. CAP_CHECKPOINT_RESTORE).
 */
#include <stddef.h>
#include <string.h>
#include <strings.h>
#include "capability.h"

static const char *const names[ENF_CAP_LAST + 1] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
	"CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
	"CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE",
	"CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
	"CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
};

int capability_from_name(const char *name, size_t len)
{
	if (len > 4 && !strncasecmp(name, "CAP_", 4))
		name += 4, len -= 4;
	for (int i = 0; i <= ENF_CAP_LAST; i++)
		if (strlen(names[i]) - 4 == len && !strncasecmp(names[i] + 4, name, len))
			return i;
	return -1;
}

const char *capability_name(int cap)
{
	return cap >= 0 && cap <= ENF_CAP_LAST ? names[cap] : NULL;
}
