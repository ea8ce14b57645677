/*
 * cmd_explain.c
 *	  sluice explain FILE.sql [--json] [--logical] [--parallelism N] [--udf-path DIR]
 *	  sluice check FILE.sql [--echo] [--parallelism N] [--udf-path DIR]
 *
 *	  Both run every statement of the file through the planner in order
 *	  (DDL updates the catalog; INSERT, SELECT, EXPLAIN and STATEMENT SET
 *	  are planned). explain prints the physical plan of each query; check
 *	  prints "FILE: ok (N statements)" or every error rendered with the
 *	  file, line, column, source line and caret. check --echo echoes each
 *	  statement followed by its result or its rendered error: the golden
 *	  SQL tests (tests/sql/) are written in that format.
 *
 * INTERFACE ROUTINES
 *	  sl_cmd_explain, sl_cmd_check
 */
#include "cli/cli.h"
#include "planner/planner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct opts {
	const char *file;
	bool json, logical, echo;
	int parallelism;
	const char *udf_path;
} opts;

static void
usage(FILE *out, const char *cmd)
{
	if (strcmp(cmd, "explain") == 0)
		fprintf(out,
		        "usage: sluice explain FILE.sql [--json] [--logical] [--parallelism N] [--udf-path DIR]\n\n"
		        "Plan every statement of FILE.sql and print the physical plan of each query\n"
		        "(INSERT, SELECT, EXPLAIN, STATEMENT SET): one operator per line, sinks first,\n"
		        "inputs indented below, with keys, windows, time attributes, changelog modes\n"
		        "and parallelism.\n\n"
		        "options:\n"
		        "  --json           print the plan as JSON (nodes with ids, inputs, properties)\n"
		        "  --logical        print the logical plan after rewrites instead\n"
		        "  --parallelism N  plan for N parallel subtasks (default: 'parallelism.default' or 1)\n"
		        "  --udf-path DIR   load CREATE FUNCTION ... LANGUAGE C libraries from DIR\n"
		        "                   (several separated by ':'; SET 'udf.path' overrides)\n"
		        "  -h, --help       show this help\n");
	else
		fprintf(out,
		        "usage: sluice check FILE.sql [--echo] [--parallelism N] [--udf-path DIR]\n\n"
		        "Parse, bind and plan every statement of FILE.sql. Prints \"FILE.sql: ok (N statements)\"\n"
		        "and exits 0, or prints every error with its position and exits 1.\n\n"
		        "options:\n"
		        "  --echo           echo each statement and its result or error (golden test format)\n"
		        "  --parallelism N  plan for N parallel subtasks\n"
		        "  --udf-path DIR   load CREATE FUNCTION ... LANGUAGE C libraries from DIR\n"
		        "                   (several separated by ':'; SET 'udf.path' overrides)\n"
		        "  -h, --help       show this help\n");
}

/* Returns -1 to continue, else an exit status. */
static int
parse_args(int argc, char **argv, opts *o)
{
	const char *cmd = argv[0];
	static const char *flags_explain[] = {"--json", "--logical", "--parallelism", "--udf-path", "--help"};
	static const char *flags_check[] = {"--echo", "--parallelism", "--udf-path", "--help"};
	bool is_explain = strcmp(cmd, "explain") == 0;
	memset(o, 0, sizeof *o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout, cmd);
			return 0;
		}
		if (is_explain && strcmp(a, "--json") == 0) {
			o->json = true;
		} else if (is_explain && strcmp(a, "--logical") == 0) {
			o->logical = true;
		} else if (!is_explain && strcmp(a, "--echo") == 0) {
			o->echo = true;
		} else if (strcmp(a, "--parallelism") == 0 || strncmp(a, "--parallelism=", 14) == 0) {
			const char *v = a[13] == '=' ? a + 14 : (i + 1 < argc ? argv[++i] : NULL);
			char *end;
			long n;
			if (!v) {
				sl_cli_usage_error("option \"--parallelism\" needs a value");
				return 2;
			}
			n = strtol(v, &end, 10);
			if (*end || n < 1 || n > 1024) {
				sl_cli_usage_error("invalid value \"%s\" for option \"--parallelism\"", v);
				fprintf(stderr, "hint: give a whole number from 1 to 1024\n");
				return 2;
			}
			o->parallelism = (int)n;
		} else if (strcmp(a, "--udf-path") == 0 || strncmp(a, "--udf-path=", 11) == 0) {
			const char *v = a[10] == '=' ? a + 11 : (i + 1 < argc ? argv[++i] : NULL);
			if (!v || !*v) {
				sl_cli_usage_error("option \"--udf-path\" needs a directory");
				return 2;
			}
			o->udf_path = v;
		} else if (a[0] == '-' && a[1]) {
			const char *near = is_explain ? sl_suggest(a, flags_explain, SL_ARRAY_LEN(flags_explain))
			                              : sl_suggest(a, flags_check, SL_ARRAY_LEN(flags_check));
			sl_cli_usage_error("unknown option \"%s\"", a);
			if (near)
				fprintf(stderr, "hint: did you mean \"%s\"?\n", near);
			else
				fprintf(stderr, "hint: run \"sluice %s --help\"\n", cmd);
			return 2;
		} else if (!o->file) {
			o->file = a;
		} else {
			sl_cli_usage_error("%s takes one file, got \"%s\" and \"%s\"", cmd, o->file, a);
			return 2;
		}
	}
	if (!o->file) {
		sl_cli_usage_error("missing FILE.sql");
		usage(stderr, cmd);
		return 2;
	}
	return -1;
}

/* The statement text without leading blanks/comments and trailing blanks. */
static void
echo_statement(const char *src, sl_stmt_text st, sl_strbuf *out)
{
	uint32_t s = st.start, e = st.end;
	while (e > s && (src[e - 1] == ' ' || src[e - 1] == '\n' || src[e - 1] == '\t' || src[e - 1] == '\r'))
		e--;
	sl_strbuf_appendn(out, src + s, e - s);
	sl_strbuf_append(out, "\n");
}

static int
run(int argc, char **argv, bool is_explain)
{
	opts o;
	int rc = parse_args(argc, argv, &o);
	size_t len, n;
	char *src;
	sl_stmt_text *stmts = NULL;
	sl_catalog *cat;
	sl_arena *arena;
	sl_plan_options popts = {0};
	sl_strbuf out = SL_STRBUF_INIT, errs = SL_STRBUF_INIT;
	int nerr = 0, nplans = 0;

	if (rc >= 0)
		return rc;
	if (!(src = sl_cli_read_file(o.file, &len)))
		return 1;
	popts.parallelism = o.parallelism;
	popts.udf_path = o.udf_path;
	n = sl_plan_split_script(src, len, &stmts);
	cat = sl_catalog_new();
	arena = sl_arena_new(NULL, "query");
	for (size_t i = 0; i < n; i++) {
		sl_stmt_result res;
		if (o.echo) {
			if (i)
				sl_strbuf_append(&out, "\n");
			echo_statement(src, stmts[i], &out);
		}
		sl_plan_statement(cat, src, len, stmts[i], &popts, arena, &res);
		if (res.kind == SL_RESULT_ERROR) {
			nerr++;
			sl_error_render(res.error, o.file, src, len, o.echo ? &out : &errs);
			sl_error_free(res.error);
			continue;
		}
		if (o.echo) {
			switch (res.kind) {
			case SL_RESULT_OK:
				sl_strbuf_appendf(&out, "%s\n", res.message);
				break;
			case SL_RESULT_TEXT:
			case SL_RESULT_EXPLAIN:
				sl_strbuf_append(&out, res.message);
				break;
			case SL_RESULT_PLAN:
				sl_strbuf_append(&out, "planned\n");
				break;
			default:
				break;
			}
			continue;
		}
		if (!is_explain)
			continue;
		if (res.kind == SL_RESULT_PLAN || res.kind == SL_RESULT_EXPLAIN) {
			if (nplans++)
				sl_strbuf_append(&out, "\n");
			if (res.kind == SL_RESULT_EXPLAIN && !o.json && !o.logical)
				sl_strbuf_append(&out, res.message);
			else if (o.logical)
				sl_plan_explain_logical(res.plan, &out);
			else if (o.json || res.explain_json)
				sl_plan_explain_json(res.plan, &out);
			else
				sl_plan_explain(res.plan, &out);
		} else if (res.kind == SL_RESULT_TEXT) {
			sl_strbuf_append(&out, res.message);
		}
	}
	fputs(sl_strbuf_str(&out), stdout);
	fputs(sl_strbuf_str(&errs), stderr);
	if (!o.echo) {
		if (nerr)
			rc = 1;
		else if (is_explain && nplans == 0) {
			fprintf(stderr, "sluice: error: %s has no query to explain (INSERT, SELECT or EXPLAIN)\n", o.file);
			rc = 1;
		} else {
			rc = 0;
			if (!is_explain)
				printf("%s: ok (%zu statement%s)\n", o.file, n, n == 1 ? "" : "s");
		}
	} else {
		rc = 0;
	}
	sl_strbuf_free(&out);
	sl_strbuf_free(&errs);
	sl_arena_free(arena);
	sl_catalog_free(cat);
	free(stmts);
	free(src);
	return rc;
}

int
sl_cmd_explain(int argc, char **argv)
{
	return run(argc, argv, true);
}

int
sl_cmd_check(int argc, char **argv)
{
	return run(argc, argv, false);
}
