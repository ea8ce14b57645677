/*
 * 0551-fs-sink.c
 *	  The filesystem sink's two-phase commit, driven directly through its
 *	  operator callbacks (runtime/connectors/filesystem_sink.c) without a
 *	  job: rows stay in hidden in-progress files until notify_complete of
 *	  the checkpoint that pre-committed them; a repeated notify is
 *	  harmless; a restore from checkpoint n commits n's pending files and
 *	  deletes files written after n; without checkpoints the end commits
 *	  everything; success markers follow the watermark.
 *
 *	  The framework functions the sink calls (sl_op_state, the task
 *	  counters) are provided here, so the operator runs alone; its blobs
 *	  live in a real state backend (state/).
 */
#include "runtime/op.h"
#include "state/state.h"
#include "test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static sl_state *g_state;
static char g_dir[256];

/* ---- the framework, as far as the sink needs it ---- */
sl_state *
sl_op_state(sl_op *op, sl_error **errp)
{
	(void)op;
	(void)errp;
	return g_state;
}
void sl_task_count_sink_rows(sl_task *task, uint64_t n) { (void)task; (void)n; }
/* the job's checkpoint interval: > 0 except in test_no_checkpoints */
static int64_t g_interval_ms = 1000;
int64_t
sl_job_checkpoint_interval_ms(const sl_job *job)
{
	(void)job;
	return g_interval_ms;
}
void sl_task_note_watermark(sl_task *task, int64_t wm);
void sl_task_note_watermark(sl_task *task, int64_t wm) { (void)task; (void)wm; }

static sl_state *
new_state(const char *name)
{
	char d[300];
	sl_state_options o = {0};
	sl_error *e = NULL;
	sl_state *st;
	snprintf(d, sizeof d, "%s/%s", g_dir, name);
	o.local_dir = d;
	o.maxp = 8;
	o.kg_first = 0;
	o.kg_last = 7;
	o.write_buffer_bytes = 1 << 20;
	o.block_cache_bytes = 1 << 20;
	st = sl_state_open(&o, &e);
	if (!st) {
		printf("#   state: %s\n", e->message);
		sl_error_free(e);
	}
	return st;
}

/* The physical sink of `INSERT INTO dst SELECT ...` over a datagen table. */
static const sl_rel *
plan_sink(sl_catalog *cat, sl_arena *a, const char *extra)
{
	static char script[2048];
	sl_stmt_text *st;
	size_t n, len;
	const sl_rel *sink = NULL;
	sl_plan_options po = {1, NULL};
	snprintf(script, sizeof script,
	         "CREATE TABLE src (id BIGINT, dt STRING) WITH ('connector' = 'datagen');"
	         "CREATE TABLE dst (id BIGINT, dt STRING) PARTITIONED BY (dt) WITH ('connector' = 'filesystem', "
	         "'path' = '%s/out', 'format' = 'csv'%s);"
	         "INSERT INTO dst SELECT id, dt FROM src;",
	         g_dir, extra);
	len = strlen(script);
	n = sl_plan_split_script(script, len, &st);
	for (size_t i = 0; i < n; i++) {
		sl_stmt_result res;
		sl_plan_statement(cat, script, len, st[i], &po, a, &res);
		if (res.kind == SL_RESULT_ERROR)
			printf("#   plan: %s\n", res.error->message);
		if (res.kind == SL_RESULT_PLAN)
			sink = res.plan->roots[0];
	}
	free(st);
	return sink;
}

static bool
start(sl_op *op, const sl_rel *sink, sl_arena *a, uint64_t restored)
{
	sl_error *e = NULL;
	memset(op, 0, sizeof *op);
	op->rel = sink;
	op->parallelism = 1;
	op->restored_id = restored;
	if (!sl_op_init_filesystem_sink(op, a, &e) || !op->ops->open(op, &e)) {
		printf("#   sink: %s\n", e ? e->message : "?");
		sl_error_free(e);
		return false;
	}
	return true;
}

static void
push(sl_op *op, const sl_type *const *types, const char *rows)
{
	/* rows: "id:dt;id:dt;..." */
	sl_chunk *c = sl_chunk_new(types, 2, 64);
	sl_error *e = NULL;
	for (const char *p = rows; *p;) {
		char dt[32];
		long id;
		int used = 0;
		if (sscanf(p, "%ld:%31[^;]%n", &id, dt, &used) < 2)
			break;
		uint32_t r = sl_chunk_append_row(c);
		sl_chunk_set_i64(c, 0, r, id);
		sl_chunk_set_str(c, 1, r, dt, strlen(dt));
		p += used;
		if (*p == ';')
			p++;
	}
	SL_CHECK(op->ops->push(op, 0, c, &e));
	sl_error_free(e);
}

/* Visible part files' rows and the hidden files, as one sorted text:
 * "dt=a:1,dt=a:2,...|hidden=N|markers=M". */
static int
cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static const char *
listing(void)
{
	static char res[4096];
	char *rows[256], out[300];
	int nrows = 0, hidden = 0, markers = 0;
	DIR *d;
	struct dirent *e;
	snprintf(out, sizeof out, "%s/out", g_dir);
	res[0] = '\0';
	if (!(d = opendir(out)))
		return "none";
	while ((e = readdir(d))) {
		char pd[600];
		DIR *d2;
		struct dirent *f;
		if (e->d_name[0] == '.')
			continue;
		snprintf(pd, sizeof pd, "%s/%s", out, e->d_name);
		if (!(d2 = opendir(pd)))
			continue;
		while ((f = readdir(d2))) {
			char fp[900], line[128];
			FILE *fh;
			if (strcmp(f->d_name, ".") == 0 || strcmp(f->d_name, "..") == 0)
				continue;
			if (f->d_name[0] == '.') {
				hidden++;
				continue;
			}
			if (strcmp(f->d_name, "_SUCCESS") == 0) {
				markers++;
				continue;
			}
			snprintf(fp, sizeof fp, "%s/%s", pd, f->d_name);
			if (!(fh = fopen(fp, "r")))
				continue;
			while (fgets(line, sizeof line, fh) && nrows < 256) {
				char *r = malloc(strlen(e->d_name) + strlen(line) + 2);
				line[strcspn(line, "\n")] = '\0';
				sprintf(r, "%s:%s", e->d_name, line);
				rows[nrows++] = r;
			}
			fclose(fh);
		}
		closedir(d2);
	}
	closedir(d);
	qsort(rows, (size_t)nrows, sizeof *rows, cmp_str);
	for (int i = 0; i < nrows; i++) {
		strcat(res, i ? "," : "");
		strcat(res, rows[i]);
		free(rows[i]);
	}
	snprintf(res + strlen(res), sizeof res - strlen(res), "|hidden=%d|markers=%d", hidden, markers);
	return res;
}

static void
test_two_phase_commit(void)
{
	sl_arena *a = sl_arena_new(NULL, "t");
	sl_catalog *cat = sl_catalog_new();
	const sl_rel *sink = plan_sink(cat, a, "");
	const sl_type *types[2] = {sl_type_simple(SL_TYPE_BIGINT), sl_type_new_varchar(a, SL_VARCHAR_MAX)};
	sl_op op;
	sl_error *e = NULL;
	void *blob1 = NULL;
	size_t blen = 0;
	g_state = new_state("s1");
	SL_CHECK(sink != NULL);
	if (!sink || !start(&op, sink, a, 0))
		goto out;
	push(&op, types, "1:a;2:a;3:b");
	SL_CHECK_STR(listing(), "|hidden=2|markers=0");
	SL_CHECK(op.ops->snapshot(&op, 1, &e));
	{
		const void *b = sl_state_op_get(g_state, "fs.sink", &blen);
		blob1 = malloc(blen);
		memcpy(blob1, b, blen);
	}
	/* pre-committed at 1, not visible until 1 completes */
	SL_CHECK_STR(listing(), "|hidden=2|markers=0");
	push(&op, types, "4:a");
	SL_CHECK(op.ops->notify_complete(&op, 1, &e));
	SL_CHECK_STR(listing(), "dt=a:1,dt=a:2,dt=b:3|hidden=1|markers=0");
	SL_CHECK(op.ops->notify_complete(&op, 1, &e)); /* idempotent */
	SL_CHECK_STR(listing(), "dt=a:1,dt=a:2,dt=b:3|hidden=1|markers=0");
	/* the process dies here: row 4 is in no checkpoint */
	op.ops->close(&op);
	sl_state_close(g_state);

	/* restore from 1: its commits are done already; row 4's file goes */
	g_state = new_state("s2");
	sl_state_op_put(g_state, "fs.sink", blob1, blen);
	if (!start(&op, sink, a, 1))
		goto out;
	SL_CHECK(op.ops->notify_complete(&op, 1, &e));
	SL_CHECK_STR(listing(), "dt=a:1,dt=a:2,dt=b:3|hidden=0|markers=0");
	push(&op, types, "4:a;5:c");
	SL_CHECK(op.ops->snapshot(&op, 2, &e));
	SL_CHECK_STR(listing(), "dt=a:1,dt=a:2,dt=b:3|hidden=2|markers=0");
	op.ops->close(&op); /* dies before 2 completes */
	sl_state_close(g_state);

	/* restore from 1 again (2 never completed): rows 4, 5 are redone */
	g_state = new_state("s3");
	sl_state_op_put(g_state, "fs.sink", blob1, blen);
	if (!start(&op, sink, a, 1))
		goto out;
	SL_CHECK_STR(listing(), "dt=a:1,dt=a:2,dt=b:3|hidden=0|markers=0");
	push(&op, types, "4:a;5:c");
	SL_CHECK(op.ops->end(&op, &e));
	SL_CHECK(op.ops->snapshot(&op, 2, &e));   /* the final checkpoint */
	SL_CHECK(op.ops->notify_complete(&op, 2, &e));
	SL_CHECK_STR(listing(), "dt=a:1,dt=a:2,dt=a:4,dt=b:3,dt=c:5|hidden=0|markers=0");
	op.ops->close(&op);
	sl_state_close(g_state);
	g_state = NULL;
out:
	free(blob1);
	sl_error_free(e);
	sl_catalog_free(cat);
	sl_arena_free(a);
}

/* Restore from a checkpoint whose notify never ran: open commits it. */
static void
test_restore_finishes_commit(void)
{
	sl_arena *a = sl_arena_new(NULL, "t");
	sl_catalog *cat = sl_catalog_new();
	const sl_rel *sink = plan_sink(cat, a, ", 'sink.partition-commit.policy.kind' = 'success-file', "
	                                       "'sink.partition-commit.trigger' = 'partition-time'");
	const sl_type *types[2] = {sl_type_simple(SL_TYPE_BIGINT), sl_type_new_varchar(a, SL_VARCHAR_MAX)};
	sl_op op;
	sl_error *e = NULL;
	void *blob = NULL;
	size_t blen = 0;
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf %s/out", g_dir);
	SL_CHECK(system(cmd) == 0);
	g_state = new_state("s4");
	if (!sink || !start(&op, sink, a, 0))
		goto out;
	push(&op, types, "1:2026-01-01;2:2026-01-02");
	SL_CHECK(op.ops->watermark(&op, 86400000000LL * 20454 + 1, &e)); /* past 2026-01-01 */
	SL_CHECK(op.ops->snapshot(&op, 7, &e));
	{
		const void *b = sl_state_op_get(g_state, "fs.sink", &blen);
		blob = malloc(blen);
		memcpy(blob, b, blen);
	}
	op.ops->close(&op); /* crash between _metadata and notify */
	sl_state_close(g_state);
	SL_CHECK_STR(listing(), "|hidden=2|markers=0");
	g_state = new_state("s5");
	sl_state_op_put(g_state, "fs.sink", blob, blen);
	if (!start(&op, sink, a, 7))
		goto out;
	SL_CHECK(op.ops->notify_complete(&op, 7, &e));
	/* both files visible; 2026-01-01 is complete by the watermark */
	SL_CHECK_STR(listing(), "dt=2026-01-01:1,dt=2026-01-02:2|hidden=0|markers=1");
	SL_CHECK(op.ops->end(&op, &e));
	op.ops->close(&op); /* ended, but restored: the final checkpoint commits, not close */
	sl_state_close(g_state);
	g_state = NULL;
out:
	free(blob);
	sl_error_free(e);
	sl_catalog_free(cat);
	sl_arena_free(a);
}

/* Without checkpoints the end of the input commits everything. */
static void
test_no_checkpoints(void)
{
	sl_arena *a = sl_arena_new(NULL, "t");
	sl_catalog *cat = sl_catalog_new();
	const sl_rel *sink = plan_sink(cat, a, ", 'sink.partition-commit.policy.kind' = 'success-file', "
	                                       "'sink.rolling-policy.file-size' = '1 b'");
	const sl_type *types[2] = {sl_type_simple(SL_TYPE_BIGINT), sl_type_new_varchar(a, SL_VARCHAR_MAX)};
	sl_op op;
	sl_error *e = NULL;
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf %s/out", g_dir);
	SL_CHECK(system(cmd) == 0);
	g_state = new_state("s6");
	g_interval_ms = 0;
	if (!sink || !start(&op, sink, a, 0))
		goto out;
	push(&op, types, "1:x;2:x;3:y");
	/* 1-byte files: every row rolled its own file, still hidden */
	SL_CHECK_STR(listing(), "|hidden=3|markers=0");
	SL_CHECK(op.ops->end(&op, &e));
	op.ops->close(&op);
	SL_CHECK_STR(listing(), "dt=x:1,dt=x:2,dt=y:3|hidden=0|markers=2");
	sl_state_close(g_state);
	g_state = NULL;
out:
	g_interval_ms = 1000;
	sl_error_free(e);
	sl_catalog_free(cat);
	sl_arena_free(a);
}

/* Two subtasks: a partition's marker waits until both are done with it. */
static void
test_marker_waits_for_all_subtasks(void)
{
	sl_arena *a = sl_arena_new(NULL, "t");
	sl_catalog *cat = sl_catalog_new();
	const sl_rel *sink = plan_sink(cat, a, ", 'sink.partition-commit.policy.kind' = 'success-file', "
	                                       "'sink.partition-commit.trigger' = 'partition-time'");
	const sl_type *types[2] = {sl_type_simple(SL_TYPE_BIGINT), sl_type_new_varchar(a, SL_VARCHAR_MAX)};
	sl_op o0, o1;
	sl_error *e = NULL;
	char cmd[400];
	int64_t day1 = 86400000000LL * 20454; /* 2026-01-01 */
	snprintf(cmd, sizeof cmd, "rm -rf %s/out", g_dir);
	SL_CHECK(system(cmd) == 0);
	g_state = new_state("s7");
	if (!sink || !start(&o0, sink, a, 0) || !start(&o1, sink, a, 0))
		goto out;
	/* start() sets parallelism 1: make them subtasks 0 and 1 of 2 */
	o0.ops->close(&o0);
	o1.ops->close(&o1);
	memset(&o0, 0, sizeof o0);
	memset(&o1, 0, sizeof o1);
	o0.rel = o1.rel = sink;
	o0.parallelism = o1.parallelism = 2;
	o1.subtask = 1;
	SL_CHECK(sl_op_init_filesystem_sink(&o0, a, &e) && o0.ops->open(&o0, &e));
	SL_CHECK(sl_op_init_filesystem_sink(&o1, a, &e) && o1.ops->open(&o1, &e));
	push(&o0, types, "1:2026-01-01");
	push(&o1, types, "2:2026-01-02");
	SL_CHECK(o0.ops->watermark(&o0, day1 + 86400000000LL + 1, &e)); /* past both days */
	SL_CHECK(o1.ops->watermark(&o1, day1 + 1, &e));                 /* past the first */
	SL_CHECK(o0.ops->snapshot(&o0, 1, &e) && o1.ops->snapshot(&o1, 1, &e));
	SL_CHECK(o0.ops->notify_complete(&o0, 1, &e));
	/* subtask 1 has not reported: nothing is complete yet */
	SL_CHECK_STR(listing(), "dt=2026-01-01:1|hidden=1|markers=0");
	SL_CHECK(o1.ops->notify_complete(&o1, 1, &e));
	/* both past 2026-01-01; 2026-01-02 waits for subtask 1's watermark */
	SL_CHECK_STR(listing(), "dt=2026-01-01:1,dt=2026-01-02:2|hidden=0|markers=1");
	SL_CHECK(o1.ops->watermark(&o1, day1 + 86400000000LL + 1, &e));
	SL_CHECK(o0.ops->snapshot(&o0, 2, &e) && o1.ops->snapshot(&o1, 2, &e));
	SL_CHECK(o1.ops->notify_complete(&o1, 2, &e));
	SL_CHECK(o0.ops->notify_complete(&o0, 2, &e));
	SL_CHECK_STR(listing(), "dt=2026-01-01:1,dt=2026-01-02:2|hidden=0|markers=2");
	o0.ops->close(&o0);
	o1.ops->close(&o1);
	sl_state_close(g_state);
	g_state = NULL;
out:
	sl_error_free(e);
	sl_catalog_free(cat);
	sl_arena_free(a);
}

int
main(int argc, char **argv)
{
	char cmd[300];
	SL_TEST_MAIN_BEGIN(argc, argv);
	snprintf(g_dir, sizeof g_dir, "/tmp/sl-0551-%d", (int)getpid());
	mkdir(g_dir, 0777);
	SL_RUN(test_two_phase_commit);
	SL_RUN(test_restore_finishes_commit);
	SL_RUN(test_no_checkpoints);
	SL_RUN(test_marker_waits_for_all_subtasks);
	snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
	if (system(cmd) != 0)
		printf("# cleanup failed\n");
	return SL_TEST_MAIN_END();
}
