/*
 * cmd_run.c
 *	  sluice run FILE.sql [--parallelism N] [--events N] [--quiet] [--udf-path DIR]
 *
 *	  Plans every statement of the file in order (DDL and SET update the
 *	  catalog), then runs all of its queries -- INSERTs, STATEMENT SETs, a
 *	  bare SELECT (printed to stdout with its changelog kinds) -- together
 *	  as one job (each query keeps its own sources; the job ends when all
 *	  have). Exits 0 once every bounded source is exhausted
 *	  and every sink has its rows; SIGINT/SIGTERM cancel the job cleanly
 *	  (sinks flush what they have, exit status 130/143). On a terminal,
 *	  a live progress line on stderr shows rows in/out per second and the
 *	  sinks' watermark; --quiet (or stderr not being a tty) turns it off.
 *
 *	  --events N overrides 'events.num' of every nexmark source (a bounded
 *	  run of a benchmark query without editing it).
 *
 * INTERFACE ROUTINES
 *	  sl_cmd_run
 */
#include "cli/cli.h"
#include "planner/planner.h"
#include "runtime/job.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got_signal;

static void
on_signal(int sig)
{
	got_signal = sig;
}

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: sluice run FILE.sql [--parallelism N] [--events N] [--quiet] [--udf-path DIR]\n\n"
	        "Run the queries of FILE.sql (INSERT, STATEMENT SET, or a SELECT whose rows are\n"
	        "printed to stdout). Exits 0 when every bounded source is exhausted.\n\n"
	        "options:\n"
	        "  --parallelism N  run N parallel subtasks (default: 'parallelism.default' or 1)\n"
	        "  --events N       override 'events.num' of every nexmark source\n"
	        "  --quiet          no progress line on stderr\n"
	        "  --udf-path DIR   load CREATE FUNCTION ... LANGUAGE C libraries from DIR\n"
	        "                   (several separated by ':'; SET 'udf.path' overrides)\n"
	        "  -h, --help       show this help\n");
}

static bool
parse_num(const char *flag, const char *v, long long lo, long long hi, long long *out)
{
	char *end;
	long long n;
	if (!v) {
		sl_cli_usage_error("option \"%s\" needs a value", flag);
		return false;
	}
	n = strtoll(v, &end, 10);
	if (*end || end == v || n < lo || n > hi) {
		sl_cli_usage_error("invalid value \"%s\" for option \"%s\"", v, flag);
		fprintf(stderr, "hint: give a whole number from %lld to %lld\n", lo, hi);
		return false;
	}
	*out = n;
	return true;
}

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
fmt_wm(int64_t wm, char *buf, size_t n)
{
	if (wm == INT64_MIN || wm == INT64_MAX) {
		snprintf(buf, n, "%s", wm == INT64_MAX ? "end" : "-");
		return;
	}
	{
		time_t secs = (time_t)(wm / 1000000);
		struct tm tm;
		gmtime_r(&secs, &tm);
		snprintf(buf, n, "%04d-%02d-%02d %02d:%02d:%02d.%03d", tm.tm_year + 1900, tm.tm_mon + 1,
		         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)((wm / 1000) % 1000));
	}
}

static void
report(sl_error *err, const char *file, const char *src, size_t len)
{
	sl_strbuf sb = SL_STRBUF_INIT;
	sl_error_render(err, file, src, len, &sb);
	fputs(sl_strbuf_str(&sb), stderr);
	sl_strbuf_free(&sb);
	sl_error_free(err);
}

/* Run the plans as one job; returns the exit status. */
static int
run_plans(const sl_plan *const *plans, int nplans, const sl_job_options *jo, bool progress,
          const char *file, const char *src, size_t len)
{
	sl_error *err = NULL;
	sl_job *job = sl_job_new_plans(plans, nplans, jo, &err);
	double t0 = now_s(), tlast = t0;
	uint64_t lin = 0, lout = 0;
	int rc = 0;

	if (!job || !sl_job_start(job, &err)) {
		report(err, file, src, len);
		sl_job_free(job);
		return 1;
	}
	while (!sl_job_wait(job, 200000)) {
		if (got_signal) {
			sl_job_cancel(job);
			break;
		}
		if (progress) {
			sl_job_stats st;
			double t = now_s();
			char wm[64];
			sl_job_stats_get(job, &st);
			fmt_wm(st.watermark, wm, sizeof wm);
			fprintf(stderr, "\r%.0fs  in %llu (%.0f/s)  out %llu (%.0f/s)  watermark %s   ",
			        t - t0, (unsigned long long)st.source_rows,
			        (st.source_rows - lin) / (t - tlast), (unsigned long long)st.sink_rows,
			        (st.sink_rows - lout) / (t - tlast), wm);
			fflush(stderr);
			lin = st.source_rows;
			lout = st.sink_rows;
			tlast = t;
		}
	}
	if (progress)
		fprintf(stderr, "\r\033[K");
	if (!sl_job_finish(job, &err)) {
		report(err, file, src, len);
		rc = 1;
	} else if (got_signal) {
		rc = 128 + got_signal;
	}
	sl_job_free(job);
	return rc;
}

int
sl_cmd_run(int argc, char **argv)
{
	const char *file = NULL;
	long long par = 0, events = 0;
	bool quiet = false;
	static const char *flags[] = {"--parallelism", "--events", "--quiet", "--udf-path", "--help"};
	size_t len, n;
	char *src;
	sl_stmt_text *stmts = NULL;
	sl_catalog *cat;
	sl_arena *arena;
	sl_plan_options popts = {0};
	sl_job_options jo = {0};
	int rc = 0, nplans = 0;
	const sl_plan **plans = NULL;
	struct sigaction sa;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		}
		if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
			quiet = true;
		} else if (strcmp(a, "--parallelism") == 0 || strncmp(a, "--parallelism=", 14) == 0) {
			const char *v = a[13] == '=' ? a + 14 : (i + 1 < argc ? argv[++i] : NULL);
			if (!parse_num("--parallelism", v, 1, 128, &par))
				return 2;
		} else if (strcmp(a, "--events") == 0 || strncmp(a, "--events=", 9) == 0) {
			const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
			if (!parse_num("--events", v, 1, INT64_MAX, &events))
				return 2;
		} else if (strcmp(a, "--udf-path") == 0 || strncmp(a, "--udf-path=", 11) == 0) {
			const char *v = a[10] == '=' ? a + 11 : (i + 1 < argc ? argv[++i] : NULL);
			if (!v || !*v) {
				sl_cli_usage_error("option \"--udf-path\" needs a directory");
				return 2;
			}
			popts.udf_path = v;
		} else if (a[0] == '-' && a[1]) {
			const char *near = sl_suggest(a, flags, SL_ARRAY_LEN(flags));
			sl_cli_usage_error("unknown option \"%s\"", a);
			if (near)
				fprintf(stderr, "hint: did you mean \"%s\"?\n", near);
			else
				fprintf(stderr, "hint: run \"sluice run --help\"\n");
			return 2;
		} else if (!file) {
			file = a;
		} else {
			sl_cli_usage_error("run takes one file, got \"%s\" and \"%s\"", file, a);
			return 2;
		}
	}
	if (!file) {
		sl_cli_usage_error("missing FILE.sql");
		usage(stderr);
		return 2;
	}
	if (!(src = sl_cli_read_file(file, &len)))
		return 1;
	popts.parallelism = (int)par;
	jo.nexmark_events = events;
	jo.out = stdout;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	n = sl_plan_split_script(src, len, &stmts);
	cat = sl_catalog_new();
	arena = sl_arena_new(NULL, "query");
	for (size_t i = 0; i < n && rc == 0 && !got_signal; i++) {
		sl_stmt_result res;
		sl_plan_statement(cat, src, len, stmts[i], &popts, arena, &res);
		if (res.kind == SL_RESULT_ERROR) {
			report(res.error, file, src, len);
			rc = 1;
			break;
		}
		if (res.kind == SL_RESULT_TEXT || res.kind == SL_RESULT_EXPLAIN) {
			fputs(res.message, stdout);
			continue;
		}
		if (res.kind != SL_RESULT_PLAN)
			continue;
		plans = realloc(plans, sizeof *plans * (size_t)(nplans + 1));
		if (!plans)
			abort();
		plans[nplans++] = res.plan;
	}
	if (rc == 0 && nplans > 0 && !got_signal) {
		fflush(stdout);
		rc = run_plans(plans, nplans, &jo, !quiet && isatty(2), file, src, len);
	}
	if (rc == 0 && nplans == 0 && !got_signal) {
		fprintf(stderr, "sluice: error: %s has no query to run (INSERT, SELECT or STATEMENT SET)\n", file);
		rc = 1;
	}
	fflush(stdout);
	free(plans);
	sl_arena_free(arena);
	sl_catalog_free(cat);
	free(stmts);
	free(src);
	return rc;
}
