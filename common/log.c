/*
 * log.c
 *	  Leveled logging to stderr, one whole line per call (thread-safe:
 *	  each line is formatted first and written with one fwrite under the
 *	  stdio lock). The level comes from SLUICE_LOG or sl_log_set_level.
 *
 * INTERFACE ROUTINES
 *	  sl_log, sl_log_enabled, sl_log_set_level
 */
#include "common/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int log_level = -1; /* -1: not read from the environment yet */

static int
level_from_env(void)
{
	const char *s = getenv("SLUICE_LOG");
	if (!s) return SL_LOG_WARN;
	if (sl_streq_ci(s, "error")) return SL_LOG_ERROR;
	if (sl_streq_ci(s, "info")) return SL_LOG_INFO;
	if (sl_streq_ci(s, "debug")) return SL_LOG_DEBUG;
	return SL_LOG_WARN;
}

bool
sl_log_enabled(sl_log_level level)
{
	int cur = __atomic_load_n(&log_level, __ATOMIC_RELAXED);
	if (cur < 0) {
		cur = level_from_env();
		__atomic_store_n(&log_level, cur, __ATOMIC_RELAXED);
	}
	return (int)level <= cur;
}

void
sl_log_set_level(sl_log_level level)
{
	__atomic_store_n(&log_level, (int)level, __ATOMIC_RELAXED);
}

void
sl_log(sl_log_level level, const char *fmt, ...)
{
	static const char *const names[] = {"error", "warning", "info", "debug"};
	sl_strbuf sb = SL_STRBUF_INIT;
	va_list ap;

	if (!sl_log_enabled(level))
		return;
	sl_strbuf_appendf(&sb, "sluice: %s: ", names[level]);
	va_start(ap, fmt);
	sl_strbuf_vappendf(&sb, fmt, ap);
	va_end(ap);
	sl_strbuf_appendc(&sb, '\n');
	fwrite(sb.data, 1, sb.len, stderr);
	sl_strbuf_free(&sb);
}
