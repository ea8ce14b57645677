/*
 * 0252-config-doc.c
 *	  docs/CONFIGURATION.md is generated from planner/options.def: fail when
 *	  the committed file is out of date (run `make update-config-doc`).
 */
#include "planner/options.h"
#include "tests/unit/test.h"

static void
test_config_doc_up_to_date(void)
{
	/* The runner sets SRCDIR; run alone, find the tree from this file's path. */
	const char *srcdir = getenv("SRCDIR");
	char path[4096];
	if (srcdir) {
		snprintf(path, sizeof path, "%s/docs/CONFIGURATION.md", srcdir);
	} else {
		const char *slash = strrchr(__FILE__, '/');
		int dirlen = slash ? (int)(slash - __FILE__) : 0;
		snprintf(path, sizeof path, "%.*s%s../../docs/CONFIGURATION.md", dirlen, __FILE__,
		         slash ? "/" : "");
	}
	FILE *f = fopen(path, "rb");
	SL_CHECK(f != NULL);
	if (!f) {
		printf("#   cannot open %s\n", path);
		return;
	}
	sl_strbuf have = SL_STRBUF_INIT;
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sl_strbuf_appendn(&have, buf, n);
	fclose(f);

	sl_strbuf want = SL_STRBUF_INIT;
	sl_options_write_markdown(&want);
	bool same = have.len == want.len && memcmp(sl_strbuf_str(&have), sl_strbuf_str(&want), want.len) == 0;
	if (!same)
		printf("#   %s is out of date: run `make update-config-doc`\n", path);
	SL_CHECK(same);
	sl_strbuf_free(&have);
	sl_strbuf_free(&want);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_config_doc_up_to_date);
	return SL_TEST_MAIN_END();
}
