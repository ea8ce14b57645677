/*
 * 1080-state-map-resize.c
 *	  Map values that grow and shrink in place
 *	  (sl_state_map_resize_for_update, state/kv.c; the GroupAggregate's
 *	  COUNT(DISTINCT) value sets) and the map's one-entry lookup memo (a
 *	  lookup of the key the previous lookup found skips hashing):
 *	  - resizing an absent entry creates it zeroed (*oldlen 0); a grown
 *	    value keeps its bytes and reads zero past them; a shrunk one keeps
 *	    its prefix; values read back after a flush to RocksDB;
 *	  - a random mix of gets, grows, shrinks, puts and removes over many
 *	    keys under a 16 KB budget (entries evicted and reloaded between a
 *	    get and the resize of the same key or of another one) agrees with
 *	    an in-memory model at every step, and after a snapshot and restore;
 *	  - the memo never answers for another key, nor with a removed entry
 *	    (a get after a remove of the same key finds nothing; a get of a
 *	    key equal in its first bytes finds its own value).
 */
#include "tests/unit/0300-state-util.h"

#define MAXP 128
#define NKEYS 400
#define MAXLEN 600

/* xorshift64* */
static uint64_t rng = 0x2545F4914F6CDD1DULL;
static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

/* the model: key i ("k<i>" under group "g<i % 5>") -> bytes */
typedef struct model {
	bool present[NKEYS];
	size_t len[NKEYS];
	unsigned char val[NKEYS][MAXLEN];
} model;

static size_t
gkey(int i, char *b)
{
	return (size_t)snprintf(b, 16, "g%d", i % 5);
}

static size_t
ukey(int i, char *b)
{
	return (size_t)snprintf(b, 16, "k%d", i);
}

/* 1 if key i reads back as in the model */
static int
agrees(sl_state_map *ms, const model *m, int i)
{
	char g[16], u[16];
	size_t gl = gkey(i, g), ul = ukey(i, u), vlen;
	const void *v;
	sl_error *e = NULL;
	int f = sl_state_map_get(ms, g, gl, u, ul, &v, &vlen, &e);
	sl_error_free(e);
	if (f < 0)
		return 0;
	if (!m->present[i])
		return f == 0;
	return f == 1 && vlen == m->len[i] && memcmp(v, m->val[i], vlen) == 0;
}

static int
all_agree(sl_state_map *ms, const model *m)
{
	int bad = 0;
	for (int i = 0; i < NKEYS; i++)
		if (!agrees(ms, m, i)) {
			if (bad++ < 3)
				printf("#   key %d differs from the model\n", i);
		}
	return bad;
}

static void
test_resize_basics(void)
{
	char *dir = test_tmpdir("1080a");
	sl_state *st = test_open(dir, MAXP, 0, MAXP - 1, NULL, 1 << 20);
	sl_error *e = NULL;
	sl_state_map *ms = st ? sl_state_map_open(st, "m", &(sl_state_desc){0}, &e) : NULL;
	unsigned char *p;
	const void *v;
	size_t old = 99, vlen;
	SL_CHECK(ms != NULL);
	if (!ms)
		goto out;
	p = sl_state_map_resize_for_update(ms, "a", 1, "x", 1, 8, &old, &e);
	SL_CHECK(p != NULL);
	SL_CHECK_INT((int)old, 0);
	if (!p)
		goto out;
	for (int i = 0; i < 8; i++)
		SL_CHECK_INT(p[i], 0);
	memcpy(p, "abcdefgh", 8);
	/* grow: old bytes kept, the new ones zero */
	p = sl_state_map_resize_for_update(ms, "a", 1, "x", 1, 100, &old, &e);
	SL_CHECK(p && old == 8 && memcmp(p, "abcdefgh", 8) == 0);
	if (!p)
		goto out;
	for (int i = 8; i < 100; i++)
		if (p[i] != 0) {
			SL_CHECK(!"a grown value reads zero past its old bytes");
			break;
		}
	p[99] = 'z';
	/* after a flush to RocksDB and a drop of the cache, it reads back */
	SL_CHECK(sl_kv_flush(ms, &e));
	SL_CHECK_INT(sl_state_map_get(ms, "a", 1, "x", 1, &v, &vlen, &e), 1);
	SL_CHECK(vlen == 100 && memcmp(v, "abcdefgh", 8) == 0 && ((const char *)v)[99] == 'z');
	/* shrink: the prefix stays */
	p = sl_state_map_resize_for_update(ms, "a", 1, "x", 1, 3, &old, &e);
	SL_CHECK(p && old == 100 && memcmp(p, "abc", 3) == 0);
	SL_CHECK_INT(sl_state_map_get(ms, "a", 1, "x", 1, &v, &vlen, &e), 1);
	SL_CHECK(vlen == 3 && memcmp(v, "abc", 3) == 0);
	/* the memo: remove, then get of the same key finds nothing */
	SL_CHECK(sl_state_map_remove(ms, "a", 1, "x", 1, &e));
	SL_CHECK_INT(sl_state_map_get(ms, "a", 1, "x", 1, &v, &vlen, &e), 0);
	/* keys alike in their first bytes and in (key, user key) split:
	 * ("ab", "c") and ("a", "bc") are different entries */
	SL_CHECK(sl_state_map_put(ms, "ab", 2, "c", 1, "1", 1, &e));
	SL_CHECK(sl_state_map_put(ms, "a", 1, "bc", 2, "2", 1, &e));
	SL_CHECK_INT(sl_state_map_get(ms, "ab", 2, "c", 1, &v, &vlen, &e), 1);
	SL_CHECK(vlen == 1 && ((const char *)v)[0] == '1');
	SL_CHECK_INT(sl_state_map_get(ms, "a", 1, "bc", 2, &v, &vlen, &e), 1);
	SL_CHECK(vlen == 1 && ((const char *)v)[0] == '2');
	SL_CHECK_INT(sl_state_map_get(ms, "a", 1, "bcd", 3, &v, &vlen, &e), 0);
	SL_CHECK_INT(sl_state_map_get(ms, "a", 1, "bc", 2, &v, &vlen, &e), 1);
	SL_CHECK(vlen == 1 && ((const char *)v)[0] == '2');
out:
	if (e) {
		printf("#   %s\n", e->message);
		sl_error_free(e);
	}
	if (st)
		sl_state_close(st);
	sl_rm_rf(dir);
	free(dir);
}

/* One random step on key i (and sometimes a get of key i2 between). */
static bool
step(sl_state_map *ms, model *m, sl_error **errp)
{
	int i = (int)(rnd() % NKEYS), op = (int)(rnd() % 10);
	char g[16], u[16];
	size_t gl = gkey(i, g), ul = ukey(i, u), old, nl;
	const void *v;
	size_t vlen;
	unsigned char *p;
	/* a get first (as the value sets do), sometimes of another key, and
	 * check it */
	int j = rnd() % 4 == 0 ? (int)(rnd() % NKEYS) : i;
	if (!agrees(ms, m, j)) {
		printf("#   get of key %d before op %d on key %d differs\n", j, op, i);
		return false;
	}
	switch (op) {
	case 0:
	case 1:
	case 2:
	case 3: /* grow by 1..64 bytes (as an insert into a sorted array) */
	case 4: /* shrink or regrow to a random length */
		nl = (size_t)(rnd() % (op < 4 ? 64 : MAXLEN));   /* (SL_MIN evaluates twice) */
		if (op < 4)
			nl = SL_MIN((size_t)MAXLEN, (m->present[i] ? m->len[i] : 0) + 1 + nl);
		if (!(p = sl_state_map_resize_for_update(ms, g, gl, u, ul, nl, &old, errp)))
			return false;
		if (old != (m->present[i] ? m->len[i] : 0)) {
			printf("#   key %d: oldlen %zu, model %zu\n", i, old, m->len[i]);
			return false;
		}
		for (size_t k = 0; k < nl; k++)
			if (p[k] != (k < old ? m->val[i][k] : 0)) {
				printf("#   key %d: byte %zu after resize %zu -> %zu\n", i, k, old, nl);
				return false;
			}
		/* write a few bytes of the value, as the caller would */
		for (size_t k = 0; k < nl; k += 1 + rnd() % 16)
			p[k] = (unsigned char)rnd();
		memcpy(m->val[i], p, nl);
		m->len[i] = nl;
		m->present[i] = true;
		return true;
	case 5:
	case 6: /* put a fresh value */
		nl = (size_t)(rnd() % 40);
		for (size_t k = 0; k < nl; k++)
			m->val[i][k] = (unsigned char)rnd();
		if (!sl_state_map_put(ms, g, gl, u, ul, m->val[i], nl, errp))
			return false;
		m->len[i] = nl;
		m->present[i] = true;
		return true;
	case 7: /* remove, then read it back: gone */
		if (!sl_state_map_remove(ms, g, gl, u, ul, errp))
			return false;
		m->present[i] = false;
		m->len[i] = 0;
		if (sl_state_map_get(ms, g, gl, u, ul, &v, &vlen, errp) != 0) {
			printf("#   key %d found after its remove\n", i);
			return false;
		}
		return true;
	default: /* get of the same key twice, the second through the memo */
		return agrees(ms, m, i) && agrees(ms, m, i);
	}
}

static void
test_random_model(void)
{
	char *dir = test_tmpdir("1080b"), *dir2 = NULL, *base = NULL;
	sl_state *st = test_open(dir, MAXP, 0, MAXP - 1, NULL, 16 << 10), *st2 = NULL;
	sl_error *e = NULL;
	sl_state_map *ms = st ? sl_state_map_open(st, "m", &(sl_state_desc){0}, &e) : NULL;
	sl_ck_storage *ck = NULL;
	model *m = sl_xcalloc(1, sizeof *m);
	int steps = 0;
	SL_CHECK(ms != NULL);
	if (!ms)
		goto out;
	for (; steps < 40000; steps++) {
		if (!step(ms, m, &e))
			break;
		if (steps % 5000 == 4999 && all_agree(ms, m) != 0)
			break;
	}
	SL_CHECK_INT(steps, 40000);
	/* the budget held (entries were evicted, the values live in RocksDB) */
	SL_CHECK(ms->used <= (size_t)(64 << 10));
	SL_CHECK_INT(all_agree(ms, m), 0);
	/* snapshot and restore into a new backend: the same values */
	{
		sl_ck_task_info info;
		sl_state_snapshot *snap = sl_state_snapshot_take(st, 1, &e);
		char *ckdir;
		base = test_tmpdir("1080ck");
		ck = sl_ck_storage_open(base, "job", &e);
		SL_CHECK(snap && ck);
		if (!snap || !ck) {
			if (snap)
				sl_state_snapshot_free(snap);
			goto out;
		}
		SL_CHECK(sl_state_snapshot_upload(snap, ck, 0, false, &info, &e));
		SL_CHECK(sl_ck_storage_commit(ck, 1, false, MAXP, &info, 1, &e));
		sl_state_snapshot_free(snap);
		ckdir = sl_ck_storage_dir(ck, 1, false);
		dir2 = test_tmpdir("1080c");
		st2 = test_open(dir2, MAXP, 0, MAXP - 1, ckdir, 16 << 10);
		free(ckdir);
	}
	SL_CHECK(st2 != NULL);
	if (st2) {
		sl_state_map *ms2 = sl_state_map_open(st2, "m", &(sl_state_desc){0}, &e);
		SL_CHECK(ms2 != NULL);
		if (ms2) {
			SL_CHECK_INT(all_agree(ms2, m), 0);
			/* and it goes on from there */
			for (steps = 0; steps < 5000 && step(ms2, m, &e); steps++)
				;
			SL_CHECK_INT(steps, 5000);
			SL_CHECK_INT(all_agree(ms2, m), 0);
		}
	}
out:
	if (e) {
		printf("#   %s\n", e->message);
		sl_error_free(e);
	}
	if (st)
		sl_state_close(st);
	if (st2)
		sl_state_close(st2);
	if (ck)
		sl_ck_storage_free(ck);
	sl_rm_rf(dir);
	free(dir);
	if (dir2) {
		sl_rm_rf(dir2);
		free(dir2);
	}
	if (base) {
		sl_rm_rf(base);
		free(base);
	}
	free(m);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_resize_basics);
	SL_RUN(test_random_model);
	return SL_TEST_MAIN_END();
}
