/*
 * util.c
 *	  Helpers shared by the subcommands (kept out of main.c so that tests
 *	  can link them without main()).
 */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
sl_cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("sluice: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

char *
sl_cli_read_file(const char *path, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	sl_strbuf sb = SL_STRBUF_INIT;
	char buf[65536];
	size_t n;

	if (!f) {
		sl_cli_usage_error("cannot read \"%s\": %s", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sl_strbuf_appendn(&sb, buf, n);
	if (ferror(f)) {
		sl_cli_usage_error("cannot read \"%s\": %s", path, strerror(errno));
		fclose(f);
		sl_strbuf_free(&sb);
		return NULL;
	}
	fclose(f);
	if (lenp)
		*lenp = sb.len;
	return sl_strbuf_take(&sb);
}

