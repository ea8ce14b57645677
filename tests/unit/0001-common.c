/*
 * 0001-common.c
 *	  common/: arenas, strbuf, vectors, hashing, suggestions, UTF-8 checks
 *	  and the error renderer's exact text.
 */
#include "common/common.h"
#include "tests/unit/test.h"

static void
test_arena_tree(void)
{
	sl_arena *root = sl_arena_new(NULL, "root");
	sl_arena *child = sl_arena_new(root, "child");
	char *s;
	int *big;

	s = sl_arena_strdup(child, "hello");
	SL_CHECK_STR(s, "hello");
	SL_CHECK(((uintptr_t)s & 15) == 0);
	big = SL_ANEWN(child, int, 100000); /* larger than any block */
	SL_CHECK_INT(big[99999], 0);
	big[99999] = 7;
	SL_CHECK(sl_arena_used(root) >= 400000);
	SL_CHECK_STR(sl_arena_printf(root, "%d-%s", 42, "x"), "42-x");
	sl_arena_reset(root); /* frees the child too */
	SL_CHECK(sl_arena_used(root) == 0);
	for (int i = 0; i < 10000; i++)
		sl_arena_alloc(root, 100);
	SL_CHECK(sl_arena_used(root) >= 1000000);
	sl_arena_free(root);
}

static void
test_strbuf_and_vec(void)
{
	sl_strbuf sb = SL_STRBUF_INIT;
	SL_VEC(int) v = {0};
	char *t;

	SL_CHECK_STR(sl_strbuf_str(&sb), "");
	for (int i = 0; i < 1000; i++)
		sl_strbuf_appendf(&sb, "%d,", i);
	SL_CHECK(sb.len == strlen(sb.data));
	SL_CHECK(strncmp(sb.data, "0,1,2,", 6) == 0);
	sl_strbuf_reset(&sb);
	sl_strbuf_appendc(&sb, 'a');
	sl_strbuf_appendn(&sb, "bcd", 2);
	t = sl_strbuf_take(&sb);
	SL_CHECK_STR(t, "abc");
	SL_CHECK(sb.data == NULL && sb.len == 0);
	free(t);

	for (int i = 0; i < 5000; i++)
		sl_vec_push(&v, i * 2);
	SL_CHECK_INT(v.n, 5000);
	SL_CHECK_INT(v.v[4999], 9998);
	sl_vec_free(&v);
	SL_CHECK(v.v == NULL);
}

static void
test_hash(void)
{
	/* values are part of the state format: pin them */
	SL_CHECK(sl_hash64("abc", 3, 0) == sl_hash64("abc", 3, 0));
	SL_CHECK(sl_hash64("abc", 3, 0) != sl_hash64("abd", 3, 0));
	SL_CHECK(sl_hash64("abc", 3, 0) != sl_hash64("abc", 3, 1));
	SL_CHECK(sl_hash64("", 0, 0) == 0x2D06800538D394C2ULL); /* XXH3_64bits("") */
	SL_CHECK(sl_hash_u64(1) != sl_hash_u64(2));
}

static void
test_suggest(void)
{
	const char *cols[] = {"dateTime", "auction", "bidder", "price", "channel"};

	SL_CHECK_INT(sl_edit_distance("kitten", "sitting"), 3);
	SL_CHECK_INT(sl_edit_distance("abcd", "abdc"), 1); /* transposition */
	SL_CHECK_INT(sl_edit_distance("", "abc"), 3);
	SL_CHECK_STR(sl_suggest("datetime", cols, 5), "dateTime");
	SL_CHECK_STR(sl_suggest("dateTiem", cols, 5), "dateTime");
	SL_CHECK_STR(sl_suggest("bider", cols, 5), "bidder");
	SL_CHECK(sl_suggest("zzzzzz", cols, 5) == NULL);
	SL_CHECK(sl_streq_ci("SELECT", "select"));
	SL_CHECK(!sl_streq_ci("SELECT", "selec"));
}

static void
test_utf8(void)
{
	SL_CHECK(sl_utf8_valid("h\xc3\xa9llo", 6));
	SL_CHECK(!sl_utf8_valid("\xc3", 1));
	SL_CHECK(!sl_utf8_valid("\xff", 1));
	SL_CHECK(!sl_utf8_valid("\xed\xa0\x80", 3)); /* surrogate */
	SL_CHECK(!sl_utf8_valid("\xc0\xaf", 2));     /* overlong */
	SL_CHECK(sl_utf8_valid("\xf0\x9f\x98\x80", 4));
}

static char *
render(sl_error *e, const char *file, const char *src)
{
	sl_strbuf sb = SL_STRBUF_INIT;
	sl_error_render(e, file, src, src ? strlen(src) : 0, &sb);
	return sl_strbuf_take(&sb);
}

static void
test_error_render(void)
{
	const char *src = "-- clicks\nSELECT user_idd, count(*) FROM clicks GROUP BY 1\n";
	sl_error *e = sl_error_new(SL_ERR_UNDEFINED_COLUMN, ((sl_span){17, 25}),
	                           "column \"%s\" does not exist", "user_idd");
	char *out;

	sl_error_set_hint(e, "a column named \"%s\" exists in table \"%s\"", "user_id", "clicks");
	out = render(e, "queries/clicks.sql", src);
	SL_CHECK_STR(out, "queries/clicks.sql:2:8: error: column \"user_idd\" does not exist\n"
	                  "    SELECT user_idd, count(*) FROM clicks GROUP BY 1\n"
	                  "           ^^^^^^^^\n"
	                  "hint: a column named \"user_id\" exists in table \"clicks\"\n");
	free(out);
	SL_CHECK_STR(sl_errcode_name(e->code), "undefined_column");
	sl_error_free(e);

	/* UTF-8 counts characters; a point span at end of input gets one caret */
	e = sl_error_new(SL_ERR_SYNTAX, ((sl_span){13, 13}), "unterminated string literal");
	out = render(e, NULL, "SELECT '\xc3\xa9t\xc3\xa9");
	SL_CHECK_STR(out, "<input>:1:12: error: unterminated string literal\n"
	                  "    SELECT '\xc3\xa9t\xc3\xa9\n"
	                  "               ^\n");
	free(out);
	sl_error_free(e);

	/* invalid UTF-8 and control bytes never reach the terminal */
	e = sl_error_new(SL_ERR_ENCODING, ((sl_span){7, 8}), "invalid UTF-8");
	out = render(e, "f.sql", "SELECT \xff\x01 FROM t");
	SL_CHECK_STR(out, "f.sql:1:8: error: invalid UTF-8\n"
	                  "    SELECT ?? FROM t\n"
	                  "           ^\n");
	free(out);
	sl_error_free(e);

	/* no span: no source line */
	e = sl_error_new(SL_ERR_IO, SL_SPAN_NONE, "cannot open \"%s\"", "x");
	sl_error_set_detail(e, "No such file.");
	out = render(e, "f.sql", "x");
	SL_CHECK_STR(out, "f.sql: error: cannot open \"x\"\ndetail: No such file.\n");
	free(out);
	sl_error_free(e);
}

static void
test_error_render_long_line(void)
{
	/* a 1 MB line is shown as a window around the span, not whole */
	size_t n = 1000000;
	char *src = malloc(n + 1);
	sl_error *e;
	char *out;

	memset(src, 'a', n);
	src[n] = '\0';
	memcpy(src + 500000, "BAD", 3);
	e = sl_error_new(SL_ERR_SYNTAX, ((sl_span){500000, 500003}), "syntax error at \"BAD\"");
	out = render(e, "big.sql", src);
	SL_CHECK(strlen(out) < 600);
	SL_CHECK(strstr(out, "big.sql:1:500001: error") == out);
	SL_CHECK(strstr(out, "...") != NULL);
	/* the caret is under BAD */
	{
		const char *l2 = strchr(out, '\n') + 1;
		const char *l3 = strchr(l2, '\n') + 1;
		const char *bad = strstr(l2, "BAD");
		const char *caret = strchr(l3, '^');
		SL_CHECK(bad && caret && (bad - l2) == (caret - l3));
		SL_CHECK(strncmp(caret, "^^^\n", 4) == 0);
	}
	free(out);
	sl_error_free(e);
	free(src);
}

static void
test_error_render_long_last_line(void)
{
	/* regression (fuzzer): a long last line with no newline, in a buffer
	 * with no NUL after it, must not be read past its end (ASan builds) */
	size_t n = 400;
	char *src = malloc(n);
	sl_error *e;
	sl_strbuf sb = SL_STRBUF_INIT;

	memset(src, 'x', n);
	e = sl_error_new(SL_ERR_SYNTAX, ((sl_span){390, 392}), "bad");
	sl_error_render(e, "t.sql", src, n, &sb);
	SL_CHECK(strstr(sb.data, "t.sql:1:391: error: bad\n") == sb.data);
	SL_CHECK(strstr(sb.data, "^^\n") != NULL);
	sl_strbuf_free(&sb);
	sl_error_free(e);
	free(src);
}

static void
test_fail_helper(void)
{
	sl_error *err = NULL;
	SL_CHECK(!sl_fail(&err, SL_ERR_INVALID_OPTION, SL_SPAN_NONE, "bad %s", "x"));
	SL_CHECK(err && err->code == SL_ERR_INVALID_OPTION);
	SL_CHECK_STR(err->message, "bad x");
	SL_CHECK(!sl_fail(NULL, SL_ERR_INTERNAL, SL_SPAN_NONE, "ignored"));
	sl_error_free(err);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_arena_tree);
	SL_RUN(test_strbuf_and_vec);
	SL_RUN(test_hash);
	SL_RUN(test_suggest);
	SL_RUN(test_utf8);
	SL_RUN(test_error_render);
	SL_RUN(test_error_render_long_line);
	SL_RUN(test_error_render_long_last_line);
	SL_RUN(test_fail_helper);
	return SL_TEST_MAIN_END();
}
