/* log.c - enforcerd's stderr logging: one line per message, "enforcerd: ..." */
#include <stdarg.h>
#include <stdio.h>
#include "log.h"

int log_err(int err, const char *fmt, ...)
{
	va_list ap;

	fputs("enforcerd: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return err;
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	fputs("enforcerd: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
