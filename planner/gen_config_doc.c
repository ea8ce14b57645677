/*
 * gen_config_doc.c
 *	  Writes docs/CONFIGURATION.md, generated from planner/options.def, to
 *	  standard output (`make update-config-doc` redirects it into the
 *	  source tree). tests/unit/0252-config-doc fails when the committed file
 *	  differs from what this prints.
 */
#include "planner/options.h"

#include <stdio.h>

int
main(void)
{
	sl_strbuf sb = SL_STRBUF_INIT;
	sl_options_write_markdown(&sb);
	fputs(sl_strbuf_str(&sb), stdout);
	sl_strbuf_free(&sb);
	return ferror(stdout) ? 1 : 0;
}
