/*
 * 1050-state-scan.c
 *	  sl_state_scan (state/kv.c), the full pass the regular join's
 *	  watermark sweep runs over its states, and sl_state_list_put:
 *	  - a scan of a list state and of a map state under a 16 KB budget
 *	    (most entries evicted to RocksDB, some dirty in the cache) returns
 *	    every live entry exactly once with its current value, keys and
 *	    user keys split correctly, and nothing of other states;
 *	  - the callback may rewrite, clear and remove entries while the scan
 *	    runs: the scan still sees the state as of its start, and the
 *	    changes are there afterwards (and after a snapshot and restore);
 *	  - after a restore with half the key groups, the scan returns only
 *	    the keys of those key groups;
 *	  - expired TTL entries are skipped; a callback error stops the scan.
 */
#include "tests/unit/0300-state-util.h"

#define MAXP 128
#define NKEYS 2000

typedef struct seen {
	int n;                        /* callbacks */
	int count[NKEYS];             /* per key index */
	int bad;                      /* wrong value or key shape */
	bool map;
	int mode;                     /* 0 look, 1 rewrite/drop (list), 2 remove (map), 3 fail at 10 */
	sl_state_kv *kv;
} seen;

/* key<i> -> list of (i % 5) + 1 elements "e<i>.<j>"; map: ("g<i % 7>", "u<i>") -> "v<i>" */
static int
key_index(const char *p, size_t n, char c)
{
	char b[32];
	if (n < 2 || n >= sizeof b || p[0] != c)
		return -1;
	memcpy(b, p + 1, n - 1);
	b[n - 1] = 0;
	return atoi(b);
}

/* dir/name, malloc'ed */
static char *
join_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = sl_xmalloc(n);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

static size_t
list_of(int i, int nelem, sl_strbuf *out)
{
	sl_strbuf_reset(out);
	for (int j = 0; j < nelem; j++) {
		char e[32];
		int n = snprintf(e, sizeof e, "e%d.%d", i, j);
		uint32_t l = (uint32_t)n;
		char h[4] = {(char)l, (char)(l >> 8), (char)(l >> 16), (char)(l >> 24)};
		sl_strbuf_appendn(out, h, 4);
		sl_strbuf_appendn(out, e, (size_t)n);
	}
	return out->len;
}

static bool
visit(void *ctx, const void *key, size_t klen, const void *ukey, size_t uklen, const void *val,
      size_t vlen, sl_error **errp)
{
	seen *s = ctx;
	sl_strbuf want = SL_STRBUF_INIT;
	int i;
	s->n++;
	if (s->mode == 3 && s->n == 10) {
		*errp = sl_error_new(SL_ERR_STATE, SL_SPAN_NONE, "stop here");
		return false;
	}
	if (s->map) {
		char v[32];
		int g = key_index(key, klen, 'g');
		i = key_index(ukey, uklen, 'u');
		if (i < 0 || i >= NKEYS || g != i % 7 || (size_t)snprintf(v, sizeof v, "v%d", i) != vlen ||
		    memcmp(v, val, vlen) != 0)
			s->bad++;
		else
			s->count[i]++;
		if (s->mode == 2 && i >= 0 && i % 2 == 0 &&
		    !sl_state_map_remove(s->kv, key, klen, ukey, uklen, errp))
			return false;
		return true;
	}
	i = key_index(key, klen, 'k');
	if (ukey || uklen || i < 0 || i >= NKEYS || list_of(i, i % 5 + 1, &want) != vlen ||
	    memcmp(want.data, val, vlen) != 0)
		s->bad++;
	else
		s->count[i]++;
	if (s->mode == 1 && i >= 0) {
		bool ok = i % 3 == 0 ? sl_state_list_clear(s->kv, key, klen, errp)
		                     : sl_state_list_put(s->kv, key, klen, want.data, list_of(i, 1, &want), errp);
		sl_strbuf_free(&want);
		return ok;
	}
	sl_strbuf_free(&want);
	return true;
}

static void
fill(sl_state_list *ls, sl_state_map *ms)
{
	sl_strbuf b = SL_STRBUF_INIT;
	for (int i = 0; i < NKEYS; i++) {
		char k[32], g[8], u[32], v[32];
		int kn = snprintf(k, sizeof k, "k%d", i), gn = snprintf(g, sizeof g, "g%d", i % 7);
		int un = snprintf(u, sizeof u, "u%d", i), vn = snprintf(v, sizeof v, "v%d", i);
		for (int j = 0; j < i % 5 + 1; j++) {
			char e[32];
			int en = snprintf(e, sizeof e, "e%d.%d", i, j);
			SL_CHECK(sl_state_list_append(ls, k, (size_t)kn, e, (size_t)en, NULL));
		}
		SL_CHECK(sl_state_map_put(ms, g, (size_t)gn, u, (size_t)un, v, (size_t)vn, NULL));
	}
	sl_strbuf_free(&b);
}

static int
count_ones(const seen *s, int from, int to)
{
	int n = 0;
	for (int i = from; i < to; i++)
		n += s->count[i] == 1;
	return n;
}

static void
test_scan_all(void)
{
	char *dir = test_tmpdir("1050");
	char *d1 = join_path(dir, "a");
	sl_state *st = test_open(d1, MAXP, 0, MAXP - 1, NULL, 16 << 10);
	sl_state_desc d = {0};
	sl_state_list *ls, *other;
	sl_state_map *ms;
	seen *s = sl_xcalloc(1, sizeof *s);
	sl_error *err = NULL;
	SL_CHECK(st != NULL);
	if (!st)
		return;
	ls = sl_state_list_open(st, "l", &d, NULL);
	ms = sl_state_map_open(st, "m", &d, NULL);
	other = sl_state_list_open(st, "other", &d, NULL);
	SL_CHECK(sl_state_list_append(other, "k1", 2, "zz", 2, NULL));
	fill(ls, ms);
	/* the 16 KB budget cannot hold 2000 keys: most are in RocksDB */
	SL_CHECK(ls->evictions > 0);

	s->kv = ls;
	SL_CHECK(sl_state_scan(ls, visit, s, NULL));
	SL_CHECK_INT(s->bad, 0);
	SL_CHECK_INT(s->n, NKEYS);
	SL_CHECK_INT(count_ones(s, 0, NKEYS), NKEYS);

	memset(s, 0, sizeof *s);
	s->map = true;
	s->kv = ms;
	SL_CHECK(sl_state_scan(ms, visit, s, NULL));
	SL_CHECK_INT(s->bad, 0);
	SL_CHECK_INT(count_ones(s, 0, NKEYS), NKEYS);

	/* changes while scanning: lists rewritten to one element or cleared,
	 * even map entries removed */
	memset(s, 0, sizeof *s);
	s->mode = 1;
	s->kv = ls;
	SL_CHECK(sl_state_scan(ls, visit, s, NULL));
	SL_CHECK_INT(s->bad, 0);
	SL_CHECK_INT(count_ones(s, 0, NKEYS), NKEYS);
	memset(s, 0, sizeof *s);
	s->mode = 2;
	s->map = true;
	s->kv = ms;
	SL_CHECK(sl_state_scan(ms, visit, s, NULL));
	SL_CHECK_INT(count_ones(s, 0, NKEYS), NKEYS);
	{
		int wrong = 0;
		sl_strbuf want = SL_STRBUF_INIT;
		for (int i = 0; i < NKEYS; i++) {
			char k[32], g[8], u[32];
			int kn = snprintf(k, sizeof k, "k%d", i), gn = snprintf(g, sizeof g, "g%d", i % 7);
			int un = snprintf(u, sizeof u, "u%d", i);
			const void *buf;
			size_t len;
			int f = sl_state_list_get(ls, k, (size_t)kn, &buf, &len, NULL);
			if (i % 3 == 0 ? f != 0
			               : f != 1 || len != list_of(i, 1, &want) || memcmp(buf, want.data, len) != 0)
				wrong++;
			f = sl_state_map_get(ms, g, (size_t)gn, u, (size_t)un, &buf, &len, NULL);
			if (f != (i % 2 == 0 ? 0 : 1))
				wrong++;
		}
		sl_strbuf_free(&want);
		SL_CHECK_INT(wrong, 0);
	}

	/* a failing callback stops the scan with its error */
	memset(s, 0, sizeof *s);
	s->mode = 3;
	s->map = true;
	s->kv = ms;
	SL_CHECK(!sl_state_scan(ms, visit, s, &err));
	SL_CHECK(err != NULL && strstr(err->message, "stop here"));
	SL_CHECK_INT(s->n, 10);
	sl_error_free(err);

	/* snapshot, restore half the key groups: only their keys come back */
	{
		sl_state_snapshot *snap = sl_state_snapshot_take(st, 1, NULL);
		sl_ck_storage *ck = sl_ck_storage_open(dir, "job", NULL);
		sl_ck_task_info info;
		char *d2 = join_path(dir, "b"), *cdir;
		sl_state *st2;
		int nmine = 0, nscanned;
		SL_CHECK(snap && ck);
		SL_CHECK(sl_state_snapshot_upload(snap, ck, 0, false, &info, NULL));
		SL_CHECK(sl_ck_storage_commit(ck, 1, false, MAXP, &info, 1, NULL));
		sl_state_snapshot_free(snap);
		cdir = sl_ck_storage_dir(ck, 1, false);
		st2 = test_open(d2, MAXP, 0, MAXP / 2 - 1, cdir, 16 << 10);
		SL_CHECK(st2 != NULL);
		if (st2) {
			sl_state_list *ls2 = sl_state_list_open(st2, "l", &d, NULL);
			for (int i = 0; i < NKEYS; i++) {
				char k[32];
				int kn = snprintf(k, sizeof k, "k%d", i);
				if (i % 3 != 0 && sl_state_key_group(k, (size_t)kn, MAXP) < MAXP / 2)
					nmine++;
			}
			memset(s, 0, sizeof *s);
			s->kv = ls2;
			SL_CHECK(sl_state_scan(ls2, visit, s, NULL));
			nscanned = s->n;
			SL_CHECK_INT(nscanned, nmine);
			SL_CHECK(nmine > NKEYS / 5 && nmine < NKEYS);
			sl_state_close(st2);
		}
		free(cdir);
		free(d2);
		sl_ck_storage_free(ck);
	}
	sl_state_close(st);
	free(s);
	free(d1);
	sl_rm_rf(dir);
	free(dir);
}

static bool
count_cb(void *ctx, const void *key, size_t klen, const void *ukey, size_t uklen, const void *val,
         size_t vlen, sl_error **errp)
{
	(void)key, (void)klen, (void)ukey, (void)uklen, (void)val, (void)vlen, (void)errp;
	(*(int *)ctx)++;
	return true;
}

/* expired entries are not returned */
static void
test_scan_ttl(void)
{
	char *dir = test_tmpdir("1050t");
	sl_state *st = test_open(dir, MAXP, 0, MAXP - 1, NULL, 1 << 20);
	sl_state_desc d = {.ttl_ms = 1000};
	sl_state_list *ls;
	int n = 0;
	SL_CHECK(st != NULL);
	if (!st)
		return;
	ls = sl_state_list_open(st, "l", &d, NULL);
	SL_CHECK(sl_state_list_append(ls, "a", 1, "x", 1, NULL));
	test_now += 2000;
	SL_CHECK(sl_state_list_append(ls, "b", 1, "y", 1, NULL));
	SL_CHECK(sl_state_scan(ls, count_cb, &n, NULL));
	SL_CHECK_INT(n, 1);
	sl_state_close(st);
	sl_rm_rf(dir);
	free(dir);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_scan_all);
	SL_RUN(test_scan_ttl);
	return SL_TEST_MAIN_END();
}
