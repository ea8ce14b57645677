/*
 * 0102-parser-errors.c
 *	  Syntax and lexical errors render exactly as the user sees them
 *	  (message, source line, caret under the offending token, detail with
 *	  the expected tokens, did-you-mean hint), and hostile input (deep
 *	  nesting, huge literals, invalid UTF-8) fails cleanly or works.
 */
#include "parser/parser.h"
#include "tests/unit/test.h"

/* The rendered error for sql (file "q.sql"), or "OK" when it parses. */
static char *
render(const char *sql, size_t len, sl_errcode *code)
{
	sl_arena *a = sl_arena_new(NULL, "err");
	sl_ast_script *s;
	sl_error *e = NULL;
	sl_strbuf out = SL_STRBUF_INIT;

	if (sl_parse(sql, len, a, &s, &e)) {
		sl_strbuf_append(&out, "OK");
		if (code)
			*code = SL_OK;
	} else {
		sl_error_render(e, "q.sql", sql, len, &out);
		if (code)
			*code = e->code;
		sl_error_free(e);
	}
	sl_arena_free(a);
	return sl_strbuf_take(&out);
}

#define CHECK_ERR(sql, expect)                                                 \
	do {                                                                       \
		char *r_ = render((sql), strlen(sql), NULL);                           \
		SL_CHECK_STR(r_, expect);                                              \
		free(r_);                                                              \
	} while (0)

static void
test_syntax_errors(void)
{
	CHECK_ERR("SELECT * FORM t",
	          "q.sql:1:10: error: syntax error at or near \"FORM\"\n"
	          "    SELECT * FORM t\n"
	          "             ^^^^\n"
	          "hint: did you mean \"FROM\"?\n");
	CHECK_ERR("SELCT 1",
	          "q.sql:1:1: error: syntax error at or near \"SELCT\"\n"
	          "    SELCT 1\n"
	          "    ^^^^^\n"
	          "hint: did you mean \"SELECT\"?\n");
	CHECK_ERR("SELECT a FROM t GROUP a",
	          "q.sql:1:23: error: syntax error at or near \"a\"\n"
	          "    SELECT a FROM t GROUP a\n"
	          "                          ^\n"
	          "detail: Expected \"BY\".\n");
	CHECK_ERR("SELECT a FROM",
	          "q.sql:1:14: error: syntax error at end of input\n"
	          "    SELECT a FROM\n"
	          "                 ^\n");
	CHECK_ERR("SELECT 1 +\n",
	          "q.sql:2:1: error: syntax error at end of input\n"
	          "    \n"
	          "    ^\n");
	CHECK_ERR("CREATE TABLE t (a INT) WITH ('k' 'v')",
	          "q.sql:1:34: error: syntax error at or near \"'v'\"\n"
	          "    CREATE TABLE t (a INT) WITH ('k' 'v')\n"
	          "                                     ^^^\n"
	          "detail: Expected \"=\".\n");
	CHECK_ERR("SELECT a\nFROM t\nWHERE a = = 1",
	          "q.sql:3:11: error: syntax error at or near \"=\"\n"
	          "    WHERE a = = 1\n"
	          "              ^\n");
	CHECK_ERR("INSERT INTO s SELECT 1; DROP TABLE",
	          "q.sql:1:35: error: syntax error at end of input\n"
	          "    INSERT INTO s SELECT 1; DROP TABLE\n"
	          "                                      ^\n");
	CHECK_ERR("SELECT EXTRACT(FORTNIGHT FROM ts)",
	          "q.sql:1:16: error: unknown time unit \"FORTNIGHT\"\n"
	          "    SELECT EXTRACT(FORTNIGHT FROM ts)\n"
	          "                   ^^^^^^^^^\n");
	CHECK_ERR("EXPLAIN VERBOSE SELECT 1",
	          "q.sql:1:9: error: unknown EXPLAIN detail \"VERBOSE\"\n"
	          "    EXPLAIN VERBOSE SELECT 1\n"
	          "            ^^^^^^^\n"
	          "hint: Known details are JSON, CHANGELOG_MODE, ESTIMATED_COST and PLAN_ADVICE.\n");
	CHECK_ERR("CREATE TABLE t (a TIMESTAMP(3), WATERMARK FOR a AS a, WATERMARK FOR a AS a)",
	          "q.sql:1:55: error: multiple WATERMARK definitions\n"
	          "    CREATE TABLE t (a TIMESTAMP(3), WATERMARK FOR a AS a, WATERMARK FOR a AS a)\n"
	          "                                                          ^^^^^^^^^^^^^^^^^^^^\n");
	CHECK_ERR("SELECT MAP['a']",
	          "q.sql:1:8: error: MAP constructor needs an even number of arguments\n"
	          "    SELECT MAP['a']\n"
	          "           ^^^^^^^^\n");
	CHECK_ERR("SELECT a FROM t WHERE a NOT BETWEEN 1",
	          "q.sql:1:38: error: syntax error at end of input\n"
	          "    SELECT a FROM t WHERE a NOT BETWEEN 1\n"
	          "                                         ^\n"
	          "detail: Expected \"||\", \"AND\", \"+\", \"-\", \"*\", \"/\", \"%\", \"[\" or \".\".\n");
	CHECK_ERR("SELECT CAST(a AS INT",
	          "q.sql:1:21: error: syntax error at end of input\n"
	          "    SELECT CAST(a AS INT\n"
	          "                        ^\n"
	          "detail: Expected \"NOT\", \"NULL\" or \")\".\n");
	CHECK_ERR("SELECT a FROM t WHER a > 1",
	          "q.sql:1:22: error: syntax error at or near \"a\"\n"
	          "    SELECT a FROM t WHER a > 1\n"
	          "                         ^\n"
	          "hint: did you mean \"WHERE\" instead of \"WHER\"?\n");
}

static void
test_lexical_errors(void)
{
	CHECK_ERR("SELECT 'abc",
	          "q.sql:1:8: error: unterminated string literal\n"
	          "    SELECT 'abc\n"
	          "           ^\n");
	CHECK_ERR("SELECT `abc FROM t",
	          "q.sql:1:8: error: unterminated quoted identifier\n"
	          "    SELECT `abc FROM t\n"
	          "           ^\n");
	CHECK_ERR("SELECT 1 /* note\n more",
	          "q.sql:1:10: error: unterminated /* comment\n"
	          "    SELECT 1 /* note\n"
	          "             ^^\n");
	CHECK_ERR("SELECT /*+ OPTIONS('a' = 'b')",
	          "q.sql:1:8: error: unterminated hint comment\n"
	          "    SELECT /*+ OPTIONS('a' = 'b')\n"
	          "           ^^^\n");
	CHECK_ERR("SELECT a # b",
	          "q.sql:1:10: error: invalid character \"#\"\n"
	          "    SELECT a # b\n"
	          "             ^\n");
	CHECK_ERR("SELECT \"name\" FROM t",
	          "q.sql:1:8: error: invalid character \"\"\"\n"
	          "    SELECT \"name\" FROM t\n"
	          "           ^\n"
	          "hint: Use single quotes for string literals and backquotes for identifiers.\n");
	CHECK_ERR("SELECT 123abc",
	          "q.sql:1:8: error: trailing junk after numeric literal\n"
	          "    SELECT 123abc\n"
	          "           ^^^^\n");
	CHECK_ERR("SELECT 1e",
	          "q.sql:1:8: error: invalid number: exponent has no digits\n"
	          "    SELECT 1e\n"
	          "           ^^\n");
	CHECK_ERR("SELECT 1e999",
	          "q.sql:1:8: error: numeric literal is out of range for DOUBLE\n"
	          "    SELECT 1e999\n"
	          "           ^^^^^\n");
	CHECK_ERR("SELECT 1234567890123456789012345678901234567890",
	          "q.sql:1:8: error: numeric literal has more than 38 digits\n"
	          "    SELECT 1234567890123456789012345678901234567890\n"
	          "           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n");
	CHECK_ERR("SELECT ``",
	          "q.sql:1:8: error: zero-length quoted identifier\n"
	          "    SELECT ``\n"
	          "           ^^\n");
	CHECK_ERR("SELECT X'ABC'",
	          "q.sql:1:8: error: binary literal must have an even number of hex digits\n"
	          "    SELECT X'ABC'\n"
	          "           ^^^^^^\n");
	CHECK_ERR("SELECT CAST(a AS DECIMAL(99999999999, 2))",
	          "q.sql:1:26: error: type parameter 99999999999 is out of range\n"
	          "    SELECT CAST(a AS DECIMAL(99999999999, 2))\n"
	          "                             ^^^^^^^^^^^\n");
	CHECK_ERR("SELECT 1 /*+ A */",
	          "q.sql:1:10: error: syntax error at or near \"/*+\"\n"
	          "    SELECT 1 /*+ A */\n"
	          "             ^^^\n");
}

static void
test_invalid_utf8(void)
{
	static const char sql[] = "SELECT 'caf\xc3\xa9', '\xff' FROM t";
	sl_errcode code;
	char *r = render(sql, sizeof sql - 1, &code);

	SL_CHECK_INT(code, SL_ERR_ENCODING);
	SL_CHECK_STR(r, "q.sql:1:17: error: invalid UTF-8 byte 0xFF\n"
	                "    SELECT 'café', '?' FROM t\n"
	                "                    ^\n"
	                "detail: SQL text must be encoded in UTF-8.\n");
	free(r);
	/* overlong encoding and a truncated sequence at the end */
	r = render("SELECT '\xc0\xaf'", 11, &code);
	SL_CHECK_INT(code, SL_ERR_ENCODING);
	free(r);
	r = render("SELECT 1 -- \xe2\x82", 14, &code);
	SL_CHECK_INT(code, SL_ERR_ENCODING);
	free(r);
	/* valid multi-byte text in identifiers and strings */
	r = render("SELECT `名前`, 'ü' FROM t", strlen("SELECT `名前`, 'ü' FROM t"), &code);
	SL_CHECK_STR(r, "OK");
	free(r);
}

static char *
repeat(const char *a, int n, const char *mid, const char *b)
{
	sl_strbuf sb = SL_STRBUF_INIT;
	for (int i = 0; i < n; i++)
		sl_strbuf_append(&sb, a);
	sl_strbuf_append(&sb, mid);
	for (int i = 0; i < n; i++)
		sl_strbuf_append(&sb, b);
	return sl_strbuf_take(&sb);
}

static void
test_hostile_input(void)
{
	sl_errcode code;
	char *sql, *r;

	/* 10,000 nested parentheses: a clean limit error at the 1001st */
	sql = repeat("(", 10000, "1", ")");
	{
		char *full = malloc(strlen(sql) + 8);
		strcpy(full, "SELECT ");
		strcat(full, sql);
		r = render(full, strlen(full), &code);
		SL_CHECK_INT(code, SL_ERR_LIMIT);
		SL_CHECK(strncmp(r, "q.sql:1:1008: error: statement is too deeply nested\n", 52) == 0);
		free(r);
		free(full);
	}
	free(sql);

	/* 1,000 nested parentheses are fine */
	sql = repeat("(", 999, "1", ")");
	{
		char *full = malloc(strlen(sql) + 8);
		strcpy(full, "SELECT ");
		strcat(full, sql);
		r = render(full, strlen(full), &code);
		SL_CHECK_STR(r, "OK");
		free(r);
		free(full);
	}
	free(sql);

	/* 20,000 prefix operators: the parser stack limit, not a crash */
	sql = repeat("NOT ", 20000, "TRUE", "");
	{
		char *full = malloc(strlen(sql) + 8);
		strcpy(full, "SELECT ");
		strcat(full, sql);
		r = render(full, strlen(full), &code);
		SL_CHECK_INT(code, SL_ERR_LIMIT);
		SL_CHECK(strstr(r, "statement is too deeply nested") != NULL);
		free(r);
		free(full);
	}
	free(sql);

	/* 10 MB string literal */
	{
		size_t n = 10u << 20;
		char *big = malloc(n + 32);
		sl_arena *a = sl_arena_new(NULL, "big");
		sl_ast_script *s;
		sl_error *e = NULL;
		size_t len;

		strcpy(big, "SELECT '");
		len = strlen(big);
		memset(big + len, 'x', n);
		len += n;
		big[len++] = '\'';
		SL_CHECK(sl_parse(big, len, a, &s, &e));
		if (s) {
			sl_ast_select *sel = SL_CAST(sl_ast_select, s->stmts.items[0]);
			SL_CHECK_INT(SL_CAST(sl_ast_literal, sel->targets.items[0]->expr)->len, n);
		}
		sl_arena_free(a);
		/* and unterminated */
		r = render(big, len - 1, &code);
		SL_CHECK_INT(code, SL_ERR_SYNTAX);
		SL_CHECK(strstr(r, "unterminated string literal") != NULL);
		free(r);
		free(big);
	}

	/* NUL bytes are invalid characters outside strings, kept inside */
	{
		static const char nul[] = "SELECT 'a\0b', 1";
		sl_arena *a = sl_arena_new(NULL, "nul");
		sl_ast_script *s;
		sl_error *e = NULL;
		SL_CHECK(sl_parse(nul, sizeof nul - 1, a, &s, &e));
		if (s) {
			sl_ast_select *sel = SL_CAST(sl_ast_select, s->stmts.items[0]);
			SL_CHECK_INT(SL_CAST(sl_ast_literal, sel->targets.items[0]->expr)->len, 3);
		}
		sl_arena_free(a);
		r = render("SELECT \0", 8, &code);
		SL_CHECK_INT(code, SL_ERR_SYNTAX);
		SL_CHECK(strstr(r, "invalid character U+0000") != NULL);
		free(r);
	}

	/* empty and comment-only scripts are valid and empty */
	{
		sl_arena *a = sl_arena_new(NULL, "empty");
		sl_ast_script *s;
		sl_error *e = NULL;
		SL_CHECK(sl_parse("", 0, a, &s, &e) && s->stmts.n == 0);
		SL_CHECK(sl_parse(" ;; -- x\n /* y */ ;", 19, a, &s, &e) && s->stmts.n == 0);
		sl_arena_free(a);
	}

	/* many statements */
	{
		sl_strbuf sb = SL_STRBUF_INIT;
		sl_arena *a = sl_arena_new(NULL, "many");
		sl_ast_script *s;
		sl_error *e = NULL;
		for (int i = 0; i < 20000; i++)
			sl_strbuf_appendf(&sb, "SELECT %d;\n", i);
		SL_CHECK(sl_parse(sb.data, sb.len, a, &s, &e) && s->stmts.n == 20000);
		sl_strbuf_free(&sb);
		sl_arena_free(a);
	}

	/* a long left-deep expression does not deepen the parser stack */
	{
		sl_strbuf sb = SL_STRBUF_INIT;
		sl_arena *a = sl_arena_new(NULL, "long");
		sl_ast_script *s;
		sl_error *e = NULL;
		sl_strbuf_append(&sb, "SELECT 0");
		for (int i = 0; i < 20000; i++)
			sl_strbuf_append(&sb, " + 1");
		SL_CHECK(sl_parse(sb.data, sb.len, a, &s, &e));
		sl_strbuf_free(&sb);
		sl_arena_free(a);
	}
}

/* crashers and mismatches found by tests/fuzz/fuzz_parse */
static void
test_fuzz_regressions(void)
{
	sl_errcode code;
	char *r;

	/* a string literal inside a hint used to end the hint state */
	r = render("SELECT /*+ A('x') */ 1", 22, &code);
	SL_CHECK_STR(r, "OK");
	free(r);
	r = render("SELECT /*+ A('x' /* c */) */ 1", 30, &code);
	SL_CHECK_STR(r, "OK");
	free(r);
	/* hint keys that lost their backquotes print quoted again when they
	 * do not scan as plain identifiers ($ may not start one) */
	{
		static const char *const cases[] = {
			"SELECT * FROM t /*+ H(`$$x`, `1a`, `select`, `a b`, ok_1$) */",
			"INSERT INTO t PARTITION (`$d` = 'x', `from` = 'y') SELECT 1",
			"CREATE FUNCTION f AS 's' LANGUAGE `$c`",
		};
		for (size_t i = 0; i < SL_ARRAY_LEN(cases); i++) {
			sl_arena *a = sl_arena_new(NULL, "rt");
			sl_ast_script *s1, *s2;
			sl_error *e = NULL;
			sl_strbuf t = SL_STRBUF_INIT;
			SL_CHECK(sl_parse(cases[i], strlen(cases[i]), a, &s1, &e));
			if (s1) {
				sl_ast_print(s1, &t);
				SL_CHECK(sl_parse(t.data, t.len, a, &s2, &e) && sl_ast_equal(s1, s2));
			}
			sl_strbuf_free(&t);
			sl_arena_free(a);
		}
	}
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_syntax_errors);
	SL_RUN(test_lexical_errors);
	SL_RUN(test_invalid_utf8);
	SL_RUN(test_hostile_input);
	SL_RUN(test_fuzz_regressions);
	return SL_TEST_MAIN_END();
}
