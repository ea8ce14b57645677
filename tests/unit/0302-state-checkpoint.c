/*
 * 0302-state-checkpoint.c
 *	  Snapshots through checkpoint storage: round trip of every state kind
 *	  (timers fire in order after restore), incremental checkpoints copy only
 *	  new files, rescale 2->3 and 4->2 with every key present exactly once,
 *	  truncated and bit-flipped files detected with fallback to the previous
 *	  checkpoint, retention of the last N, self-contained savepoints.
 */
#include "tests/unit/0300-state-util.h"

#include <dirent.h>
#include <sys/stat.h>

#define MAXP 128

/* Snapshot every backend of a job and commit checkpoint id. */
static bool
checkpoint(sl_ck_storage *ck, sl_state **sts, int p, uint64_t id, bool savepoint,
           sl_ck_task_info *infos, sl_error **errp)
{
	for (int i = 0; i < p; i++) {
		sl_state_snapshot *snap = sl_state_snapshot_take(sts[i], id, errp);
		if (!snap)
			return false;
		bool ok = sl_state_snapshot_upload(snap, ck, i, savepoint, &infos[i], errp);
		sl_state_snapshot_free(snap);
		if (!ok)
			return false;
	}
	return sl_ck_storage_commit(ck, id, savepoint, MAXP, infos, p, errp);
}

static char *
task_dir(const char *base, const char *tag, int i)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%s/%s-%d", base, tag, i);
	return sl_xstrdup(buf);
}

static bool
fire_collect(void *ctx, sl_timer_domain dom, int64_t time, const void *key, size_t klen,
             sl_error **errp)
{
	sl_strbuf *sb = ctx;
	sl_strbuf_appendf(sb, "%d:%lld:%.*s ", (int)dom, (long long)time, (int)klen,
	                  (const char *)key);
	return true;
}

static void
test_roundtrip(void)
{
	char *base = test_tmpdir("ckrt");
	char *d0 = task_dir(base, "local", 0), *d1 = task_dir(base, "local", 1);
	sl_ck_storage *ck = sl_ck_storage_open(base, "job", NULL);
	sl_state *st = test_open(d0, MAXP, 0, MAXP - 1, NULL, 0);
	sl_state_value *vs = sl_state_value_open(st, "v", NULL, NULL);
	sl_state_map *ms = sl_state_map_open(st, "m", NULL, NULL);
	sl_state_list *ls = sl_state_list_open(st, "l", NULL, NULL);
	sl_state_timers *tm = sl_state_timers_open(st, "t", NULL);
	char k[32];
	for (int i = 0; i < 1000; i++) {
		snprintf(k, sizeof k, "key-%d", i);
		CHECK_OK(sl_state_value_put(vs, k, strlen(k), &i, sizeof i, errp));
		CHECK_OK(sl_state_map_put(ms, "mk", 2, k, strlen(k), &i, sizeof i, errp));
		CHECK_OK(sl_state_list_append(ls, "lk", 2, k, strlen(k), errp));
	}
	CHECK_OK(sl_state_timer_register(tm, SL_TIMER_EVENT, 300, "x", 1, errp));
	CHECK_OK(sl_state_timer_register(tm, SL_TIMER_EVENT, 100, "y", 1, errp));
	CHECK_OK(sl_state_timer_register(tm, SL_TIMER_EVENT, 200, "z", 1, errp));
	CHECK_OK(sl_state_timer_register(tm, SL_TIMER_PROC, 150, "p", 1, errp));
	CHECK_OK(sl_state_timer_register(tm, SL_TIMER_EVENT, 50, "fired", 5, errp));
	sl_strbuf sb = SL_STRBUF_INIT;
	SL_CHECK_INT(sl_state_timers_advance(tm, SL_TIMER_EVENT, 60, fire_collect, &sb, NULL), 1);
	sl_state_op_put(st, "offsets", "p0=42", 5);
	sl_ck_task_info info[1];
	CHECK_OK(checkpoint(ck, &st, 1, 1, false, info, errp));
	/* changes after the checkpoint are not in it */
	CHECK_OK(sl_state_value_put(vs, "after", 5, "x", 1, errp));
	sl_state_close(st);

	uint64_t id = 0;
	char *dir = NULL;
	CHECK_OK(sl_ck_storage_find(ck, "latest", &id, &dir, errp));
	SL_CHECK_INT(id, 1);
	st = test_open(d1, MAXP, 0, MAXP - 1, dir, 0);
	SL_CHECK(st != NULL);
	if (st) {
		vs = sl_state_value_open(st, "v", NULL, NULL);
		ms = sl_state_map_open(st, "m", NULL, NULL);
		ls = sl_state_list_open(st, "l", NULL, NULL);
		tm = sl_state_timers_open(st, "t", NULL);
		int bad = 0;
		for (int i = 0; i < 1000; i++) {
			snprintf(k, sizeof k, "key-%d", i);
			const void *v;
			size_t vl;
			if (sl_state_value_get(vs, k, strlen(k), &v, &vl, NULL) != 1 || *(const int *)v != i)
				bad++;
			if (sl_state_map_get(ms, "mk", 2, k, strlen(k), &v, &vl, NULL) != 1 ||
			    *(const int *)v != i)
				bad++;
		}
		SL_CHECK_INT(bad, 0);
		const void *v;
		size_t vl, pos = 0;
		SL_CHECK_INT(sl_state_value_get(vs, "after", 5, &v, &vl, NULL), 0);
		SL_CHECK_INT(sl_state_list_get(ls, "lk", 2, &v, &vl, NULL), 1);
		int n = 0;
		const void *el;
		size_t ell;
		while (sl_state_list_next(v, vl, &pos, &el, &ell))
			n++;
		SL_CHECK_INT(n, 1000);
		const void *op = sl_state_op_get(st, "offsets", &vl);
		SL_CHECK(op && vl == 5 && memcmp(op, "p0=42", 5) == 0);
		/* timers survive restore and fire in order; the fired one is gone */
		sl_strbuf_reset(&sb);
		SL_CHECK_INT(sl_state_timers_advance(tm, SL_TIMER_EVENT, 1000, fire_collect, &sb, NULL), 3);
		SL_CHECK_INT(sl_state_timers_advance(tm, SL_TIMER_PROC, 1000, fire_collect, &sb, NULL), 1);
		SL_CHECK_STR(sl_strbuf_str(&sb), "0:100:y 0:200:z 0:300:x 1:150:p ");
		sl_state_close(st);
	}
	sl_strbuf_free(&sb);
	free(dir);
	sl_ck_storage_free(ck);
	sl_rm_rf(base);
	free(base);
	free(d0);
	free(d1);
}

static uint64_t
dir_bytes(const char *path, int *nfiles)
{
	DIR *d = opendir(path);
	uint64_t total = 0;
	if (!d)
		return 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char p[1024];
		struct stat sb;
		snprintf(p, sizeof p, "%s/%s", path, de->d_name);
		if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode)) {
			total += (uint64_t)sb.st_size;
			if (nfiles)
				(*nfiles)++;
		}
	}
	closedir(d);
	return total;
}

/* 1 % of the keys change between two checkpoints: the second copies only
 * the new SST files (and the small private files), and we can count them. */
static void
test_incremental(void)
{
	char *base = test_tmpdir("ckinc");
	char *d0 = task_dir(base, "local", 0);
	sl_ck_storage *ck = sl_ck_storage_open(base, "job", NULL);
	sl_state *st = test_open(d0, MAXP, 0, MAXP - 1, NULL, 0);
	sl_state_value *vs = sl_state_value_open(st, "v", NULL, NULL);
	enum { N = 40000, VL = 200 };
	char k[32], val[VL];
	memset(val, 'v', VL);
	for (int i = 0; i < N; i++) {
		snprintf(k, sizeof k, "key-%08d", i);
		CHECK_OK(sl_state_value_put(vs, k, strlen(k), val, VL, errp));
	}
	sl_ck_task_info i1[1], i2[1];
	CHECK_OK(checkpoint(ck, &st, 1, 1, false, i1, errp));
	char shared[600];
	snprintf(shared, sizeof shared, "%s/job/shared", base);
	int nshared1 = 0;
	uint64_t shared1 = dir_bytes(shared, &nshared1);
	SL_CHECK_INT(i1[0].bytes_copied, i1[0].bytes_total);
	memset(val, 'w', VL);
	for (int i = 0; i < N / 100; i++) {
		snprintf(k, sizeof k, "key-%08d", i * 100 + 7);
		CHECK_OK(sl_state_value_put(vs, k, strlen(k), val, VL, errp));
	}
	CHECK_OK(checkpoint(ck, &st, 1, 2, false, i2, errp));
	int nshared2 = 0;
	uint64_t shared2 = dir_bytes(shared, &nshared2);
	char priv[600];
	snprintf(priv, sizeof priv, "%s/job/chk-2/task-0", base);
	uint64_t private2 = dir_bytes(priv, NULL);
	printf("# ck1: %" PRIu64 " bytes copied; ck2: %" PRIu64 " of %" PRIu64
	       " bytes copied (%d new shared files, %" PRIu64 " B; private %" PRIu64 " B)\n",
	       i1[0].bytes_copied, i2[0].bytes_copied, i2[0].bytes_total, nshared2 - nshared1,
	       shared2 - shared1, private2);
	/* exactly the new shared files plus the private files were copied */
	SL_CHECK_INT(i2[0].bytes_copied, (shared2 - shared1) + private2);
	SL_CHECK(nshared2 > nshared1);
	/* and that is a small part of the state */
	SL_CHECK(i2[0].bytes_copied * 100 <= i2[0].bytes_total * 5);
	sl_state_close(st);
	sl_ck_storage_free(ck);
	sl_rm_rf(base);
	free(base);
	free(d0);
}

/* Rescale: old_p tasks hold N keys (value state and one timer per key);
 * restored into new_p tasks, every key is in exactly one new task, in the
 * task owning its key group, with its value and its timer. */
static void
rescale(int old_p, int new_p)
{
	char *base = test_tmpdir("ckscale");
	sl_ck_storage *ck = sl_ck_storage_open(base, "job", NULL);
	enum { N = 6000 };
	sl_state *old[8];
	sl_state_value *ov[8];
	sl_state_timers *ot[8];
	for (int i = 0; i < old_p; i++) {
		int f, l;
		sl_state_task_range(MAXP, old_p, i, &f, &l);
		char *d = task_dir(base, "old", i);
		old[i] = test_open(d, MAXP, f, l, NULL, 1 << 20);
		free(d);
		ov[i] = sl_state_value_open(old[i], "v", NULL, NULL);
		ot[i] = sl_state_timers_open(old[i], "t", NULL);
	}
	char k[32];
	for (int n = 0; n < N; n++) {
		snprintf(k, sizeof k, "k%d", n);
		int kg = sl_state_key_group(k, strlen(k), MAXP);
		int owner = -1;
		for (int i = 0; i < old_p; i++)
			if (kg >= old[i]->kg_first && kg <= old[i]->kg_last)
				owner = i;
		CHECK_OK(sl_state_value_put(ov[owner], k, strlen(k), &n, sizeof n, errp));
		CHECK_OK(sl_state_timer_register(ot[owner], SL_TIMER_EVENT, n, k, strlen(k), errp));
	}
	for (int i = 0; i < old_p; i++) {
		char op[16];
		snprintf(op, sizeof op, "off%d", i);
		sl_state_op_put(old[i], "offsets", op, strlen(op));
	}
	sl_ck_task_info infos[8];
	CHECK_OK(checkpoint(ck, old, old_p, 1, false, infos, errp));
	for (int i = 0; i < old_p; i++)
		sl_state_close(old[i]);

	char *dir = NULL;
	uint64_t id;
	CHECK_OK(sl_ck_storage_find(ck, "latest", &id, &dir, errp));
	int *seen = sl_xcalloc(N, sizeof(int));
	long raw_total = 0;
	int bad = 0, timers = 0;
	for (int i = 0; i < new_p && dir; i++) {
		int f, l;
		sl_state_task_range(MAXP, new_p, i, &f, &l);
		char *d = task_dir(base, "new", i);
		sl_state *st = test_open(d, MAXP, f, l, dir, 1 << 20);
		free(d);
		SL_CHECK(st != NULL);
		if (!st)
			continue;
		sl_state_value *vs = sl_state_value_open(st, "v", NULL, NULL);
		sl_state_timers *tm = sl_state_timers_open(st, "t", NULL);
		/* every key stored in this task, straight from RocksDB */
		rocksdb_readoptions_t *ro = rocksdb_readoptions_create();
		rocksdb_iterator_t *it = rocksdb_create_iterator_cf(st->db, ro, vs->cf);
		for (rocksdb_iter_seek_to_first(it); rocksdb_iter_valid(it); rocksdb_iter_next(it)) {
			size_t kl, vl;
			const char *rk = rocksdb_iter_key(it, &kl);
			const char *rv = rocksdb_iter_value(it, &vl);
			int kg = ((uint8_t)rk[0] << 8) | (uint8_t)rk[1];
			char nb[16] = "";
			memcpy(nb, rk + 3, SL_MIN(kl - 3, sizeof nb - 1));
			int n = atoi(nb);
			raw_total++;
			if (kg < f || kg > l || n < 0 || n >= N || vl != 5 || memcmp(rv + 1, &n, 4) != 0 ||
			    kg != sl_state_key_group(rk + 2, kl - 2, MAXP)) {
				if (bad++ < 3)
					printf("# bad key n=%d kg=%d range [%d,%d] vl=%zu\n", n, kg, f, l, vl);
				continue;
			}
			seen[n]++;
		}
		rocksdb_iter_destroy(it);
		rocksdb_readoptions_destroy(ro);
		sl_strbuf sb = SL_STRBUF_INIT;
		timers += (int)sl_state_timers_advance(tm, SL_TIMER_EVENT, N, fire_collect, &sb, NULL);
		sl_strbuf_free(&sb);
		/* operator state of every old task, by old task */
		size_t ol;
		const char *op = sl_state_op_get(st, "offsets@0", &ol);
		SL_CHECK(op && ol == 4 && memcmp(op, "off0", 4) == 0);
		sl_state_close(st);
	}
	int missing = 0, dup = 0;
	for (int n = 0; n < N; n++) {
		missing += seen[n] == 0;
		dup += seen[n] > 1;
	}
	printf("# rescale %d->%d: %ld keys stored, %d missing, %d duplicated, %d bad, %d timers\n",
	       old_p, new_p, raw_total, missing, dup, bad, timers);
	SL_CHECK_INT(missing, 0);
	SL_CHECK_INT(dup, 0);
	SL_CHECK_INT(bad, 0);
	SL_CHECK_INT(raw_total, N);
	SL_CHECK_INT(timers, N);
	free(seen);
	free(dir);
	sl_ck_storage_free(ck);
	sl_rm_rf(base);
	free(base);
}

static void
test_rescale_2_to_3(void)
{
	rescale(2, 3);
}

static void
test_rescale_4_to_2(void)
{
	rescale(4, 2);
}

/* Find a file of checkpoint 2 that checkpoint 1 does not have. */
static bool
newest_shared_file(const char *base, char *out, size_t outlen)
{
	char man[600];
	snprintf(man, sizeof man, "%s/job/chk-2/task-0.manifest", base);
	FILE *f = fopen(man, "r");
	if (!f)
		return false;
	char line[1024], rel[512], best[512] = "";
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "file %511s", rel) == 1 && strncmp(rel, "../shared/", 10) == 0)
			strcpy(best, rel); /* names sort by file number: the last is newest */
	fclose(f);
	snprintf(out, outlen, "%s/job/chk-2/%s", base, best);
	return best[0] != 0;
}

static void
corrupt_case(bool trunc)
{
	char *base = test_tmpdir("ckbad");
	char *d0 = task_dir(base, "local", 0), *d1 = task_dir(base, "local", 1);
	sl_ck_storage *ck = sl_ck_storage_open(base, "job", NULL);
	sl_state *st = test_open(d0, MAXP, 0, MAXP - 1, NULL, 0);
	sl_state_value *vs = sl_state_value_open(st, "v", NULL, NULL);
	sl_ck_task_info info[1];
	CHECK_OK(sl_state_value_put(vs, "k", 1, "one", 3, errp));
	CHECK_OK(checkpoint(ck, &st, 1, 1, false, info, errp));
	CHECK_OK(sl_state_value_put(vs, "k", 1, "two", 3, errp));
	CHECK_OK(checkpoint(ck, &st, 1, 2, false, info, errp));
	sl_state_close(st);

	char victim[1200];
	SL_CHECK(newest_shared_file(base, victim, sizeof victim));
	struct stat sb;
	SL_CHECK(stat(victim, &sb) == 0);
	if (trunc) {
		SL_CHECK(truncate(victim, sb.st_size / 2) == 0);
	} else {
		FILE *f = fopen(victim, "r+b");
		SL_CHECK(f != NULL);
		if (f) {
			fseek(f, sb.st_size / 3, SEEK_SET);
			int c = fgetc(f);
			fseek(f, sb.st_size / 3, SEEK_SET);
			fputc(c ^ 0x10, f);
			fclose(f);
		}
	}
	char *d2 = sl_ck_storage_dir(ck, 2, false);
	sl_error *e = NULL;
	SL_CHECK(!sl_ck_verify(d2, &e));
	printf("# verify: %s\n", e ? e->message : "(no error)");
	SL_CHECK(e && e->code == SL_ERR_CORRUPT &&
	         strstr(e->message, trunc ? "is truncated" : "checksum") &&
	         strstr(e->message, "shared/"));
	sl_error_free(e);
	free(d2);
	/* explicit id: refused with the reason */
	uint64_t id = 0;
	char *dir = NULL;
	e = NULL;
	SL_CHECK(!sl_ck_storage_find(ck, "2", &id, &dir, &e));
	SL_CHECK(e && strstr(e->message, "checkpoint 2 is not restorable"));
	sl_error_free(e);
	/* latest: falls back to checkpoint 1 (a warning names checkpoint 2) */
	CHECK_OK(sl_ck_storage_find(ck, "latest", &id, &dir, errp));
	SL_CHECK_INT(id, 1);
	st = dir ? test_open(d1, MAXP, 0, MAXP - 1, dir, 0) : NULL;
	SL_CHECK(st != NULL);
	if (st) {
		vs = sl_state_value_open(st, "v", NULL, NULL);
		const void *v;
		size_t vl;
		SL_CHECK_INT(sl_state_value_get(vs, "k", 1, &v, &vl, NULL), 1);
		SL_CHECK(vl == 3 && memcmp(v, "one", 3) == 0);
		sl_state_close(st);
	}
	/* restoring straight from the corrupt dir fails with the same reason */
	d2 = sl_ck_storage_dir(ck, 2, false);
	sl_state_options o = {.local_dir = d1, .kg_first = 0, .kg_last = MAXP - 1, .restore_dir = d2};
	e = NULL;
	st = sl_state_open(&o, &e);
	SL_CHECK(st == NULL && e && e->code == SL_ERR_CORRUPT);
	sl_error_free(e);
	sl_state_close(st);
	free(d2);
	free(dir);
	sl_ck_storage_free(ck);
	sl_rm_rf(base);
	free(base);
	free(d0);
	free(d1);
}

static void
test_truncated_file_fallback(void)
{
	corrupt_case(true);
}

static void
test_bitflip_fallback(void)
{
	corrupt_case(false);
}

static void
test_retain_and_savepoint(void)
{
	char *base = test_tmpdir("ckret");
	char *d0 = task_dir(base, "local", 0), *d1 = task_dir(base, "local", 1);
	sl_ck_storage *ck = sl_ck_storage_open(base, "job", NULL);
	sl_state *st = test_open(d0, MAXP, 0, MAXP - 1, NULL, 0);
	sl_state_value *vs = sl_state_value_open(st, "v", NULL, NULL);
	sl_ck_task_info info[1];
	char k[32];
	for (int c = 1; c <= 6; c++) {
		for (int i = 0; i < 500; i++) {
			snprintf(k, sizeof k, "c%d-%d", c, i);
			CHECK_OK(sl_state_value_put(vs, k, strlen(k), &c, sizeof c, errp));
		}
		CHECK_OK(checkpoint(ck, &st, 1, (uint64_t)c, false, info, errp));
		CHECK_OK(sl_ck_storage_retain(ck, SL_STATE_DEFAULT_RETAIN, errp));
	}
	CHECK_OK(checkpoint(ck, &st, 1, 7, true, info, errp)); /* savepoint 7 */
	sl_state_close(st);
	char p[600];
	struct stat sb;
	for (int c = 1; c <= 6; c++) {
		snprintf(p, sizeof p, "%s/job/chk-%d", base, c);
		SL_CHECK((stat(p, &sb) == 0) == (c >= 4));
	}
	/* every kept checkpoint still verifies after the deletions */
	for (int c = 4; c <= 6; c++) {
		char *d = sl_ck_storage_dir(ck, (uint64_t)c, false);
		CHECK_OK(sl_ck_verify(d, errp));
		free(d);
	}
	/* savepoint: restorable after every checkpoint and shared file is gone */
	snprintf(p, sizeof p, "%s/job/shared", base);
	sl_rm_rf(p);
	for (int c = 4; c <= 6; c++) {
		snprintf(p, sizeof p, "%s/job/chk-%d", base, c);
		sl_rm_rf(p);
	}
	char *sp = sl_ck_storage_dir(ck, 7, true);
	CHECK_OK(sl_ck_verify(sp, errp));
	st = test_open(d1, MAXP, 0, MAXP - 1, sp, 0);
	SL_CHECK(st != NULL);
	if (st) {
		vs = sl_state_value_open(st, "v", NULL, NULL);
		int bad = 0;
		for (int c = 1; c <= 6; c++)
			for (int i = 0; i < 500; i++) {
				snprintf(k, sizeof k, "c%d-%d", c, i);
				const void *v;
				size_t vl;
				if (sl_state_value_get(vs, k, strlen(k), &v, &vl, NULL) != 1 || *(const int *)v != c)
					bad++;
			}
		SL_CHECK_INT(bad, 0);
		sl_state_close(st);
	}
	free(sp);
	sl_ck_storage_free(ck);
	sl_rm_rf(base);
	free(base);
	free(d0);
	free(d1);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_roundtrip);
	SL_RUN(test_incremental);
	SL_RUN(test_rescale_2_to_3);
	SL_RUN(test_rescale_4_to_2);
	SL_RUN(test_truncated_file_fallback);
	SL_RUN(test_bitflip_fallback);
	SL_RUN(test_retain_and_savepoint);
	return SL_TEST_MAIN_END();
}
