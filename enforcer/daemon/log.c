// SPDX-License-Identifier: GPL-2.0-only
/*
 * log.c - enforcerd's stderr logging: one line per message, "enforcerd: ...".
 * When stderr is systemd's journal stream ($JOURNAL_STREAM), each line
 * starts with a syslog priority prefix (<3> errors, <6> information), so
 * `journalctl -p warning` shows the errors and not routine messages.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
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

/* One write per line: journald takes the priority prefix from the start of
 * a line as it receives it, and lines of the audit stream (the same
 * socket) never land inside one. */
static void vlog(const char *prio, const char *fmt, va_list ap)
{
	static int journal = -1;
	char line[4096];
	int n, m;

	if (journal < 0)
		journal = fd_is_journal(2);
	n = snprintf(line, sizeof(line), "%senforcerd: ", journal ? prio : "");
	m = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	if (m < 0)
		m = 0;
	if ((size_t)m > sizeof(line) - n - 2)
		m = sizeof(line) - n - 2;       /* cut: the line still ends */
	n += m;
	line[n++] = '\n';
	for (int off = 0; off < n;) {
		ssize_t w = write(STDERR_FILENO, line + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += w;
	}
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
