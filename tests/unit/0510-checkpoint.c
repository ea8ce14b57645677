/*
 * 0510-checkpoint.c
 *	  Checkpoints through the job API (runtime/job.h, runtime/checkpoint.h):
 *	  a checkpointed run prints the same rows as an unchecked one and leaves
 *	  a restorable job checkpoint; restoring the final checkpoint of a
 *	  bounded run resumes the sources at their end (no row again) with the
 *	  aggregate state intact; a corrupt newest _metadata falls back to the
 *	  previous checkpoint; an operator checkpoint without a job _metadata
 *	  is dropped by the id scan; a checkpoint of another plan is refused.
 */
#include "tests/unit/test.h"
#include "planner/planner.h"
#include "runtime/job.h"
#include "runtime/checkpoint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DDL \
	"CREATE TABLE nexmark (event_type INT," \
	" bid ROW<auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR," \
	"  dateTime TIMESTAMP(3), extra VARCHAR>," \
	" dateTime AS bid.dateTime," \
	" WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND" \
	") WITH ('connector' = 'nexmark', 'first-event.rate' = '1000', 'events.num' = '30000');\n" \
	"CREATE TABLE out_t (a BIGINT, c BIGINT) WITH ('connector' = 'print');\n"

static const char *Q1 = "INSERT INTO out_t SELECT bid.auction, COUNT(*) FROM nexmark "
                        "WHERE event_type = 2 GROUP BY bid.auction;\n";
static const char *Q2 = "INSERT INTO out_t SELECT bid.auction, bid.price FROM nexmark "
                        "WHERE event_type = 2;\n";

static char tmpdir[256];

/* Plan DDL + body at parallelism p and run it with jo (out replaced by a
 * memory stream); the printed text (malloc'ed) or NULL with *errp. */
static char *
run(const char *body, int p, sl_job_options jo, uint64_t *restored, sl_error **errp)
{
	char script[8192];
	sl_stmt_text *st = NULL;
	size_t n, len;
	sl_catalog *cat = sl_catalog_new();
	sl_arena *arena = sl_arena_new(NULL, "test");
	sl_plan_options po = {.parallelism = p};
	sl_plan *plan = NULL;
	char *buf = NULL;
	size_t blen = 0;
	FILE *f = open_memstream(&buf, &blen);
	sl_job *job = NULL;
	bool ok = false;

	snprintf(script, sizeof script, "%s%s", DDL, body);
	len = strlen(script);
	n = sl_plan_split_script(script, len, &st);
	for (size_t i = 0; i < n; i++) {
		sl_stmt_result res;
		sl_plan_statement(cat, script, len, st[i], &po, arena, &res);
		if (res.kind == SL_RESULT_ERROR) {
			*errp = res.error;
			break;
		}
		if (res.kind == SL_RESULT_PLAN)
			plan = res.plan;
	}
	jo.out = f;
	if (plan && (job = sl_job_new(plan, &jo, errp))) {
		if (restored)
			*restored = sl_job_restored_id(job);
		ok = sl_job_start(job, errp) && sl_job_finish(job, errp);
		sl_job_free(job);
	}
	fclose(f);
	free(st);
	sl_arena_free(arena);
	sl_catalog_free(cat);
	if (!ok) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Final state of a printed changelog: lines "+I[a, c]"/"+U"/"-U"
 * reduced to the last +I/+U per key, as a sorted key->count sum. */
static long long
final_sum(const char *text, int *keys)
{
	long long sum = 0;
	int nk = 0;
	/* keys are auction ids < 100000 in this stream */
	static long long last[200000];
	static bool has[200000];
	memset(has, 0, sizeof has);
	for (const char *l = text; l && *l;) {
		const char *nl = strchr(l, '\n');
		long long a, c;
		char kind[3] = {0};
		const char *b = strchr(l, '[');
		if (b && b - l >= 2 && sscanf(b + 1, "%lld, %lld", &a, &c) == 2 && a >= 0 && a < 200000) {
			memcpy(kind, b - 2, 2);
			if (strcmp(kind, "+I") == 0 || strcmp(kind, "+U") == 0) {
				last[a] = c;
				has[a] = true;
			}
		}
		l = nl ? nl + 1 : NULL;
	}
	for (int i = 0; i < 200000; i++)
		if (has[i]) {
			sum += last[i];
			nk++;
		}
	*keys = nk;
	return sum;
}

static void
test_checkpoint_then_restore_final(void)
{
	sl_error *e = NULL;
	sl_job_options jo = {0};
	char dir[512], *latest = NULL, *plain, *ck, *again;
	uint64_t id = 0, restored = 0;
	int k1, k2;
	sl_ckpt_meta m;

	snprintf(dir, sizeof dir, "%s/job1", tmpdir);
	plain = run(Q1, 2, jo, NULL, &e);
	SL_CHECK(plain != NULL);
	jo.checkpoint_interval_ms = 20;
	jo.checkpoint_dir = dir;
	ck = run(Q1, 2, jo, NULL, &e);
	SL_CHECK(ck != NULL);
	if (!plain || !ck)
		goto out;
	/* the same final state with and without checkpoints */
	SL_CHECK_INT(final_sum(plain, &k1), final_sum(ck, &k2));
	SL_CHECK_INT(k1, k2);
	SL_CHECK(k1 > 100);
	SL_CHECK(sl_job_find_latest_checkpoint(dir, &id, &latest));
	SL_CHECK(id >= 1);
	if (latest && sl_ckpt_read_meta(latest, &m, &e)) {
		int with_state = 0;
		SL_CHECK_INT(m.id, id);
		SL_CHECK(!m.savepoint);
		for (int i = 0; i < m.nops; i++)
			if (m.dirs[i])
				with_state++;
		SL_CHECK(with_state >= 2);     /* the source's positions, the aggregate */
		sl_ckpt_meta_free(&m);
	}
	/* restore the final checkpoint: the sources are at their end, nothing
	 * is printed again, at another parallelism too */
	jo.restore_dir = latest;
	again = run(Q1, 1, jo, &restored, &e);
	SL_CHECK(again != NULL);
	SL_CHECK_INT(restored, id);
	if (again)
		SL_CHECK_STR(again, "");
	free(again);
out:
	if (e) {
		fprintf(stderr, "# %s\n", e->message);
		sl_error_free(e);
	}
	free(latest);
	free(plain);
	free(ck);
}

static void
test_corrupt_falls_back(void)
{
	sl_error *e = NULL;
	sl_job_options jo = {0};
	char dir[512], path[1100], *latest = NULL, *out;
	uint64_t id = 0, id2 = 0;
	FILE *f;

	snprintf(dir, sizeof dir, "%s/job2", tmpdir);
	jo.checkpoint_interval_ms = 10;
	jo.checkpoints_retained = 3;
	jo.checkpoint_dir = dir;
	out = run(Q1, 2, jo, NULL, &e);
	SL_CHECK(out != NULL);
	free(out);
	SL_CHECK(sl_job_find_latest_checkpoint(dir, &id, &latest));
	free(latest);
	latest = NULL;
	if (id < 2) {
		fprintf(stderr, "# only %llu checkpoints; fallback not exercised\n", (unsigned long long)id);
		return;
	}
	/* flip a byte of the newest job _metadata */
	snprintf(path, sizeof path, "%s/chk-%llu/_metadata", dir, (unsigned long long)id);
	f = fopen(path, "r+");
	SL_CHECK(f != NULL);
	if (f) {
		fseek(f, 30, SEEK_SET);
		fputc('#', f);
		fclose(f);
	}
	{
		sl_ckpt_meta m;
		char d[1100];
		snprintf(d, sizeof d, "%s/chk-%llu", dir, (unsigned long long)id);
		SL_CHECK(!sl_ckpt_read_meta(d, &m, &e));
		SL_CHECK(e && e->code == SL_ERR_CORRUPT);
		if (e)
			sl_error_free(e);
		e = NULL;
	}
	SL_CHECK(sl_job_find_latest_checkpoint(dir, &id2, &latest));
	SL_CHECK(id2 < id && id2 >= 1);
	free(latest);
}

static void
test_orphan_and_other_plan(void)
{
	sl_error *e = NULL;
	sl_job_options jo = {0};
	char dir[512], p[1100], *latest = NULL, *out;
	uint64_t id = 0;
	FILE *f;

	snprintf(dir, sizeof dir, "%s/job1", tmpdir);
	/* an operator checkpoint whose job _metadata was never written */
	snprintf(p, sizeof p, "%s/op-0/chk-99", dir);
	mkdir(p, 0777);
	snprintf(p, sizeof p, "%s/op-0/chk-99/_metadata", dir);
	f = fopen(p, "w");
	SL_CHECK(f != NULL);
	if (f)
		fclose(f);
	SL_CHECK_INT(sl_ckpt_scan_ids(dir), 99);
	SL_CHECK(access(p, F_OK) != 0);
	/* a checkpoint of Q1 does not restore Q2 */
	SL_CHECK(sl_job_find_latest_checkpoint(dir, &id, &latest));
	jo.restore_dir = latest;
	out = run(Q2, 2, jo, NULL, &e);
	SL_CHECK(out == NULL);
	SL_CHECK(e != NULL);
	if (e) {
		SL_CHECK_INT(e->code, SL_ERR_CHECKPOINT);
		SL_CHECK(strstr(e->message, "different job") != NULL);
		sl_error_free(e);
	}
	free(out);
	free(latest);
}

int
main(void)
{
	char cmd[600];
	snprintf(tmpdir, sizeof tmpdir, "%s/sl-0510-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpdir))
		return 1;
	SL_RUN(test_checkpoint_then_restore_final);
	SL_RUN(test_corrupt_falls_back);
	SL_RUN(test_orphan_and_other_plan);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "# could not remove %s\n", tmpdir);
	return SL_TEST_MAIN_END();
}
