// SPDX-License-Identifier: GPL-2.0-only
/*
 * log.c - enforcerd's stderr logging: one line per message, "enforcerd: ...".
 * When stderr is systemd's journal stream ($JOURNAL_STREAM), each line
 * starts with a syslog priority prefix (<3> errors, <6> information), so
 * `journalctl -p warning` shows the errors and not routine messages.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "log.h"

int fd_is_journal(int fd)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!js || sscanf(js, "%llu:%llu", &dev, &ino) != 2 || fstat(fd, &st))
		return 0;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

static void vlog(const char *prio, const char *fmt, va_list ap)
{
	static int journal = -1;

	if (journal < 0)
		journal = fd_is_journal(2);
	if (journal)
		fputs(prio, stderr);
	fputs("enforcerd: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int log_err(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("<3>", fmt, ap);
	va_end(ap);
	return err;
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("<6>", fmt, ap);
	va_end(ap);
}
