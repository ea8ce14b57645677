/*
 * cmd_run.c
 *	  sluice run FILE.sql [--parallelism N] [--events N] [--quiet] [--udf-path DIR]
 *	             [--checkpoint-interval DUR] [--state-dir DIR] [--restore latest|PATH]
 *	             [--stop-with-savepoint DIR] [--verbose]
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
 *	  Checkpoints (docs/checkpoints.md): --checkpoint-interval (or SET
 *	  'execution.checkpointing.interval') turns them on; they go to
 *	  <state dir>/<job name>/ where the state dir is --state-dir, else
 *	  'state.checkpoints.dir', else ./sluice-state, and the job name is
 *	  'pipeline.name', else the file's base name without ".sql".
 *	  --restore latest resumes from the newest restorable checkpoint there
 *	  (none: a fresh start, with a note); --restore PATH from a checkpoint
 *	  (chk-<n>) or savepoint dir. With checkpoints on, a failed job
 *	  restarts from its latest checkpoint per 'restart-strategy'
 *	  (fixed-delay by default). --stop-with-savepoint DIR: the first
 *	  SIGTERM/SIGINT writes a savepoint into DIR, then the job stops and
 *	  sluice exits 0; a second signal cancels at once.
 *
 * INTERFACE ROUTINES
 *	  sl_cmd_run
 */
#include "cli/cli.h"
#include "planner/options.h"
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
	        "usage: sluice run FILE.sql [--parallelism N] [--events N] [--quiet] [--udf-path DIR]\n"
	        "                  [--checkpoint-interval DUR] [--state-dir DIR] [--restore latest|PATH]\n"
	        "                  [--stop-with-savepoint DIR] [--verbose]\n\n"
	        "Run the queries of FILE.sql (INSERT, STATEMENT SET, or a SELECT whose rows are\n"
	        "printed to stdout). Exits 0 when every bounded source is exhausted.\n\n"
	        "options:\n"
	        "  --parallelism N  run N parallel subtasks (default: 'parallelism.default' or 1)\n"
	        "  --events N       override 'events.num' of every nexmark source\n"
	        "  --quiet          no progress line on stderr\n"
	        "  --udf-path DIR   load CREATE FUNCTION ... LANGUAGE C libraries from DIR\n"
	        "                   (several separated by ':'; SET 'udf.path' overrides)\n"
	        "  --checkpoint-interval DUR  checkpoint every DUR (\"1s\", \"500 ms\");\n"
	        "                   overrides 'execution.checkpointing.interval'\n"
	        "  --state-dir DIR  checkpoint root (default 'state.checkpoints.dir', else\n"
	        "                   ./sluice-state); checkpoints go to DIR/<job name>/\n"
	        "  --restore latest|PATH  resume from the newest checkpoint of this job, or from\n"
	        "                   a checkpoint (chk-N) or savepoint directory\n"
	        "  --stop-with-savepoint DIR  on SIGTERM/SIGINT write a savepoint into DIR, stop,\n"
	        "                   exit 0\n"
	        "  --verbose        a line per checkpoint and a summary on stderr\n"
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

/* Checkpoint settings of one run (flags over SET over defaults). */
typedef struct ck_settings {
	char *jobdir;               /* <state dir>/<job name>; NULL: checkpoints off */
	const char *restore;        /* "latest", a path, or NULL */
	const char *savepoint_dir;  /* --stop-with-savepoint */
	bool restart;               /* restart-strategy fixed-delay */
	int64_t attempts, delay_ms;
	bool verbose;
} ck_settings;

static bool
sleep_ms_interruptible(int64_t ms)
{
	while (ms > 0 && !got_signal) {
		struct timespec ts = {0, 20 * 1000000L};
		nanosleep(&ts, NULL);
		ms -= 20;
	}
	return !got_signal;
}

/* The restore dir for an attempt: "latest" resolves in the job dir (a
 * fresh start when there is none yet). NULL with *fresh = true, or a
 * malloc'ed dir; false on a bad --restore. */
static bool
resolve_restore(const ck_settings *cs, const char *which, char **out)
{
	uint64_t id;
	*out = NULL;
	if (!which)
		return true;
	if (strcmp(which, "latest") == 0) {
		if (!cs->jobdir) {
			sl_cli_usage_error("--restore latest needs a checkpoint directory");
			fprintf(stderr, "hint: give --state-dir DIR or --checkpoint-interval\n");
			return false;
		}
		if (!sl_job_find_latest_checkpoint(cs->jobdir, &id, out)) {
			fprintf(stderr, "sluice: no checkpoint in \"%s\" yet: starting from the beginning\n",
			        cs->jobdir);
			return true;
		}
		return true;
	}
	{
		/* a job dir (chk-* inside) means its latest checkpoint */
		char mp[4096];
		FILE *f;
		snprintf(mp, sizeof mp, "%s/_metadata", which);
		if ((f = fopen(mp, "r"))) {
			fclose(f);
			*out = strdup(which);
			return true;
		}
		if (sl_job_find_latest_checkpoint(which, &id, out))
			return true;
		fprintf(stderr, "sluice: error: \"%s\" is not a checkpoint or savepoint directory "
		        "(no _metadata)\n", which);
		return false;
	}
}

/* Run the plans as one job; returns the exit status. With checkpoints
 * and a restart strategy, a failed attempt is torn down and the job is
 * rebuilt from its latest checkpoint. */
static int
run_plans(const sl_plan *const *plans, int nplans, const sl_job_options *jo0,
          const ck_settings *cs, bool progress, const char *file, const char *src, size_t len)
{
	int rc = 0;
	int64_t attempt = 0;
	const char *which = cs->restore;
	for (;;) {
		sl_error *err = NULL;
		sl_job_options jo = *jo0;
		char *restore_dir = NULL;
		sl_job *job;
		double t0 = now_s(), tlast = t0;
		uint64_t lin = 0, lout = 0;
		bool sp_requested = false, failed = false;

		if (!resolve_restore(cs, which, &restore_dir))
			return 1;
		jo.restore_dir = restore_dir;
		job = sl_job_new_plans(plans, nplans, &jo, &err);
		if (job && (cs->verbose || attempt > 0) && sl_job_restored_id(job))
			fprintf(stderr, "sluice: restored from checkpoint %llu (%s)\n",
			        (unsigned long long)sl_job_restored_id(job), restore_dir);
		if (!job || !sl_job_start(job, &err)) {
			report(err, file, src, len);
			sl_job_free(job);
			free(restore_dir);
			return 1;
		}
		while (!sl_job_wait(job, 200000)) {
			if (got_signal) {
				if (cs->savepoint_dir && !sp_requested) {
					sp_requested = true;
					got_signal = 0;
					fprintf(stderr, "sluice: taking a savepoint into %s, then stopping\n",
					        cs->savepoint_dir);
					sl_job_stop_with_savepoint(job, cs->savepoint_dir);
				} else {
					sl_job_cancel(job);
					break;
				}
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
			failed = true;
		} else if (sp_requested && sl_job_savepoint_done(job)) {
			fprintf(stderr, "sluice: savepoint %llu written to %s\n",
			        (unsigned long long)sl_job_savepoint_done(job), cs->savepoint_dir);
			rc = 0;
		} else if (got_signal) {
			rc = 128 + got_signal;
		}
		if (cs->verbose)
			sl_job_checkpoint_summary(job, stderr);
		sl_job_free(job);
		free(restore_dir);
		if (!failed)
			return rc;
		if (!cs->jobdir || !cs->restart || attempt >= cs->attempts || got_signal) {
			report(err, file, src, len);
			return 1;
		}
		attempt++;
		fprintf(stderr, "sluice: job failed: %s\n", err->message);
		fprintf(stderr, "sluice: restarting from the latest checkpoint in %lld ms (attempt %lld of %lld)\n",
		        (long long)cs->delay_ms, (long long)attempt, (long long)cs->attempts);
		sl_error_free(err);
		if (!sleep_ms_interruptible(cs->delay_ms))
			return 128 + got_signal;
		which = "latest";
	}
}

/* A duration option: the SET value or its default; -1 when unset. */
static int64_t
cat_duration(const sl_catalog *cat, const char *key)
{
	const char *v = sl_catalog_config(cat, key);
	int64_t ms;
	if (!v || !sl_parse_duration_ms(v, &ms))
		return -1;
	return ms;
}

static int64_t
cat_int(const sl_catalog *cat, const char *key, int64_t dflt)
{
	const char *v = sl_catalog_config(cat, key);
	char *end;
	long long n;
	if (!v)
		return dflt;
	n = strtoll(v, &end, 10);
	return *end ? dflt : n;
}

int
sl_cmd_run(int argc, char **argv)
{
	const char *file = NULL;
	long long par = 0, events = 0;
	bool quiet = false;
	static const char *flags[] = {"--parallelism", "--events", "--quiet", "--udf-path", "--help",
	                              "--checkpoint-interval", "--state-dir", "--restore",
	                              "--stop-with-savepoint", "--verbose"};
	const char *ck_interval = NULL, *state_dir = NULL;
	ck_settings cs = {0};
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
		} else if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
			cs.verbose = true;
		} else if (strcmp(a, "--checkpoint-interval") == 0 ||
		           strncmp(a, "--checkpoint-interval=", 22) == 0 ||
		           strcmp(a, "--state-dir") == 0 || strncmp(a, "--state-dir=", 12) == 0 ||
		           strcmp(a, "--restore") == 0 || strncmp(a, "--restore=", 10) == 0 ||
		           strcmp(a, "--stop-with-savepoint") == 0 ||
		           strncmp(a, "--stop-with-savepoint=", 22) == 0) {
			const char *eq = strchr(a, '=');
			size_t fl = eq ? (size_t)(eq - a) : strlen(a);
			const char *v = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
			char flag[32];
			snprintf(flag, sizeof flag, "%.*s", (int)fl, a);
			if (!v || !*v) {
				sl_cli_usage_error("option \"%s\" needs a value", flag);
				return 2;
			}
			if (strcmp(flag, "--checkpoint-interval") == 0) {
				int64_t ms;
				if (!sl_parse_duration_ms(v, &ms) || ms < 10) {
					sl_cli_usage_error("invalid value \"%s\" for option \"%s\"", v, flag);
					fprintf(stderr, "hint: give a duration of at least 10 ms, e.g. \"1s\" or \"500 ms\"\n");
					return 2;
				}
				ck_interval = v;
			} else if (strcmp(flag, "--state-dir") == 0) {
				state_dir = v;
			} else if (strcmp(flag, "--restore") == 0) {
				cs.restore = v;
			} else {
				cs.savepoint_dir = v;
			}
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
		int64_t interval = -1;
		char name[256];
		const char *pn = sl_catalog_config(cat, "pipeline.name");
		const char *root = state_dir ? state_dir : sl_catalog_config(cat, "state.checkpoints.dir");
		const char *rs = sl_catalog_config(cat, "restart-strategy.type");
		if (!rs)
			rs = sl_catalog_config(cat, "restart-strategy");
		if (ck_interval)
			sl_parse_duration_ms(ck_interval, &interval);
		else
			interval = cat_duration(cat, "execution.checkpointing.interval");
		if (pn && *pn) {
			snprintf(name, sizeof name, "%s", pn);
		} else {
			const char *b = strrchr(file, '/');
			size_t bl;
			b = b ? b + 1 : file;
			bl = strlen(b);
			if (bl > 4 && strcmp(b + bl - 4, ".sql") == 0)
				bl -= 4;
			snprintf(name, sizeof name, "%.*s", (int)bl, b);
		}
		for (char *c = name; *c; c++)
			if (*c == '/' || *c == ' ')
				*c = '_';
		if (interval > 0 || cs.restore || cs.savepoint_dir || state_dir) {
			sl_strbuf sb = SL_STRBUF_INIT;
			sl_strbuf_appendf(&sb, "%s/%s", root && *root ? root : "./sluice-state", name);
			cs.jobdir = strdup(sl_strbuf_str(&sb));
			sl_strbuf_free(&sb);
		}
		if (interval > 0) {
			jo.checkpoint_interval_ms = interval;
			jo.checkpoint_timeout_ms = cat_duration(cat, "execution.checkpointing.timeout");
			jo.checkpoints_retained = (int)cat_int(cat, "state.checkpoints.num-retained", 1);
			jo.checkpoint_dir = cs.jobdir;
		}
		{
			const char *cb = sl_catalog_config(cat, "state.backend.cache.size");
			int64_t bytes;
			if (cb && sl_parse_memory_size(cb, &bytes) && bytes > 0)
				jo.state_cache_bytes = (size_t)bytes;
		}
		jo.savepoints = cs.savepoint_dir != NULL;
		/* the job-wide default of the tables' 'scan.watermark.idle-timeout' */
		if ((jo.source_idle_timeout_ms = cat_duration(cat, "table.exec.source.idle-timeout")) < 0)
			jo.source_idle_timeout_ms = 0;
		jo.checkpoint_log = cs.verbose ? stderr : NULL;
		cs.restart = interval > 0 && (!rs || sl_streq_ci(rs, "fixed-delay"));
		cs.attempts = cat_int(cat, "restart-strategy.fixed-delay.attempts", INT32_MAX);
		cs.delay_ms = cat_duration(cat, "restart-strategy.fixed-delay.delay");
		if (cs.delay_ms < 0)
			cs.delay_ms = 1000;
		fflush(stdout);
		rc = run_plans(plans, nplans, &jo, &cs, !quiet && isatty(2), file, src, len);
		free(cs.jobdir);
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
