/* SPDX-License-Identifier: MIT
 * stderr logger: "2026-11-22T19:00:00Z level func: message". One write(2)
 * per line so concurrent threads never interleave within a line. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <stdatomic.h>
#include "base/log.h"

static _Atomic int cur_level = LOG_LVL_INFO;

void log_set_level(enum log_level lvl) { cur_level = (int)lvl; }
enum log_level log_get_level(void) { return (enum log_level)cur_level; }

int log_level_parse(const char *s, enum log_level *out)
{
	static const char *names[] = {"error", "warn", "info", "debug"};
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	return -1;
}

static void emit(const char *lvl, const char *func, const char *fmt, va_list ap)
{
	char line[2048];
	char ts[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	int n = func ? snprintf(line, sizeof line, "%s %s %s: ", ts, lvl, func)
	             : snprintf(line, sizeof line, "%s %s ", ts, lvl);
	if (n < 0)
		return;
	if ((size_t)n < sizeof line) {
		int m = vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
		if (m > 0)
			n += m;
	}
	if ((size_t)n >= sizeof line - 1)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	ssize_t w = write(STDERR_FILENO, line, (size_t)n);
	(void)w; /* nowhere else to report a failed log write */
}

void log_emit(enum log_level lvl, const char *func, const char *fmt, ...)
{
	static const char *names[] = {"error", "warn", "info", "debug"};
	if ((int)lvl > cur_level)
		return;
	va_list ap;
	va_start(ap, fmt);
	emit(names[lvl], func, fmt, ap);
	va_end(ap);
}

void log_access(const char *fmt, ...)
{
	if (cur_level < LOG_LVL_INFO)
		return;
	va_list ap;
	va_start(ap, fmt);
	emit("access", NULL, fmt, ap);
	va_end(ap);
}
