/*
 * 1061-calc-dict.c
 *	  runtime/expr.c dictionary evaluation (runtime/dict.h): expressions
 *	  over columns that carry a dictionary give exactly what they give over
 *	  the same values without one (strings, integers, booleans, NULL rows,
 *	  NULL entries, an input selection), and take their values from the
 *	  dictionary (sl_rexpr_prog_dict_rows) where they may: not for a
 *	  column without one, not when two columns' codes differ on a row, not
 *	  for RAND(); a tree that fails on an entry no row has falls back to
 *	  per-row evaluation, and one that fails on a row fails as without a
 *	  dictionary. A Calc that projects an annotated column keeps the
 *	  annotation, so the next Calc uses it; compacting a chunk moves the
 *	  codes with the rows. A node meeting more
 *	  dictionaries than it keeps (4) still computes right.
 */
#include "runtime/dict.h"
#include "runtime/expr.h"
#include "runtime/runtime_int.h"
#include "tests/unit/0400-expr-util.h"
#include "tests/unit/test.h"

#include <string.h>

/* columns: x BIGINT, ch STRING (dict column 0), url STRING (dict column 1) */
static const sl_type *tcols[3];

/* entries: channel, url; entry 3 has a NULL channel, entry 5 is "12" / "7" */
#define NENT 6
static const char *const ent_ch[NENT] = {"Apple", "channel-7", "Google", NULL, "channel-1", "12"};
static const char *const ent_url[NENT] = {
	"https://n.com/ab/cd/ef/item.htm?query=1", "https://n.com/x/y/z/item.htm?query=1&channel_id=7",
	"https://n.com/a/b/c/item.htm?query=1", "https://n.com/q/r/s/item.htm?query=1&channel_id=3",
	"https://n.com/k/l/m/item.htm?query=1&channel_id=1", "7"};

static sl_dict *
make_dict(void)
{
	const sl_type *t[2] = {tcols[1], tcols[2]};
	sl_dict *d = sl_dict_new(t, 2, NENT);
	for (uint32_t i = 0; i < NENT; i++) {
		if (ent_ch[i]) {
			SL_VEC_DATA(d->cols[0], sl_str)[i] = (sl_str){(uint32_t)strlen(ent_ch[i]), ent_ch[i]};
			sl_vec_set_valid(d->cols[0], i);
		}
		SL_VEC_DATA(d->cols[1], sl_str)[i] = (sl_str){(uint32_t)strlen(ent_url[i]), ent_url[i]};
		sl_vec_set_valid(d->cols[1], i);
	}
	return d;
}

/* rows with codes code_ch[i] / code_url[i] (NENT = a NULL row), x = i (NULL
 * every 7th); annotated with d when d != NULL; the selection leaves out
 * rows 2 and 9 */
static sl_chunk *
make_chunk(const sl_dict *d, const uint32_t *code_ch, const uint32_t *code_url, int nrows)
{
	sl_chunk *c = sl_chunk_new(tcols, 3, 0);
	uint32_t k = 0;
	for (int i = 0; i < nrows; i++) {
		uint32_t r = sl_chunk_append_row(c);
		if (i % 7 == 6)
			sl_chunk_set_null(c, 0, r);
		else
			sl_chunk_set_i64(c, 0, r, i);
		if (code_ch[i] == NENT || !ent_ch[code_ch[i]])
			sl_chunk_set_null(c, 1, r);
		else
			sl_chunk_set_str(c, 1, r, ent_ch[code_ch[i]], strlen(ent_ch[code_ch[i]]));
		if (code_url[i] == NENT)
			sl_chunk_set_null(c, 2, r);
		else
			sl_chunk_set_str(c, 2, r, ent_url[code_url[i]], strlen(ent_url[code_url[i]]));
	}
	if (d) {
		uint32_t *a = sl_vec_set_dict(c->cols[1], d, 0);
		uint32_t *b = sl_vec_set_dict(c->cols[2], d, 1);
		for (int i = 0; i < nrows; i++) {
			a[i] = code_ch[i];
			b[i] = code_url[i];
		}
	}
	for (uint32_t r = 0; r < (uint32_t)nrows; r++)
		if (r != 2 && r != 9)
			c->sel_buf[k++] = (uint16_t)r;
	c->sel = c->sel_buf;
	c->nsel = k;
	return c;
}

/* e over c, evaluated twice (the second run uses the values the first
 * computed): the live rows' values, or "ERROR ..."; *dict_rows gets the
 * rows taken from a dictionary */
static const char *
eval_rows(const sl_rexpr *e, sl_chunk *c, uint64_t *dict_rows)
{
	static char buf[8192];
	sl_error *err = NULL;
	sl_rexpr_prog *prog = sl_rexpr_prog_new(e, &err);
	SL_ASSERT(prog);
	eval_text(prog, c, 2, false, buf, sizeof buf);
	*dict_rows = sl_rexpr_prog_dict_rows(prog);
	sl_rexpr_prog_free(prog);
	return buf;
}

static sl_rexpr *X(void) { return sl_rexpr_col(A, 0, tcols[0]); }
static sl_rexpr *CH(void) { return sl_rexpr_col(A, 1, tcols[1]); }
static sl_rexpr *URL(void) { return sl_rexpr_col(A, 2, tcols[2]); }
static sl_rexpr *STR(const char *s) { return sl_rexpr_const_str(A, s, strlen(s)); }
static sl_rexpr *BIG(int64_t v) { return sl_rexpr_const_bigint(A, v); }
static sl_rexpr *INT(int32_t v) { return sl_rexpr_const_int(A, v); }

/* q21's channel_id */
static sl_rexpr *
q21_case(void)
{
	sl_rexpr *whens[2] = {call("=", 2, call("LOWER", 1, CH()), STR("apple")),
	                      call("=", 2, call("LOWER", 1, CH()), STR("google"))};
	sl_rexpr *thens[2] = {STR("0"), STR("1")};
	sl_rexpr *els = call("REGEXP_EXTRACT", 3, URL(), STR("(&|^)channel_id=([^&]*)"), INT(2));
	return sl_rexpr_case(A, whens, thens, 2, els, tcols[2]);
}

/* e gives the same over annotated and plain chunks of the same values;
 * the annotated run takes want_dict rows (or any number > 0 when
 * want_dict < 0) from the dictionary */
static void
check_same(const char *what, sl_rexpr *e, const uint32_t *cc, const uint32_t *cu, int nrows,
           int64_t want_dict)
{
	sl_dict *d = make_dict();
	sl_chunk *with = make_chunk(d, cc, cu, nrows), *plain = make_chunk(NULL, cc, cu, nrows);
	uint64_t dw, dp;
	char expect[8192];
	snprintf(expect, sizeof expect, "%s", eval_rows(e, plain, &dp));
	printf("# %s: %s\n", what, expect);
	SL_CHECK_STR(eval_rows(e, with, &dw), expect);
	SL_CHECK_INT((int64_t)dp, 0);
	if (want_dict < 0)
		SL_CHECK(dw > 0);
	else
		SL_CHECK_INT((int64_t)dw, want_dict);
	sl_chunk_unref(with);
	sl_chunk_unref(plain);
	sl_dict_free(d);
}

#define NR 24
static uint32_t cc[NR], cu[NR];

static void
test_same_values(void)
{
	sl_rexpr *in_list[3] = {STR("apple"), STR("google"), STR("baidu")};
	/* rows asked per evaluation: 22 live rows, 2 evaluations */
	const int64_t live2 = 2 * (NR - 2);
	check_same("q21 CASE", q21_case(), cc, cu, NR, live2);
	check_same("SPLIT_INDEX", call("SPLIT_INDEX", 3, URL(), STR("/"), INT(3)), cc, cu, NR, live2);
	check_same("CHAR_LENGTH + 1", call("+", 2, call("CHAR_LENGTH", 1, CH()), INT(1)), cc, cu, NR,
	           live2);
	check_same("IS NULL", sl_rexpr_is(A, CH(), SL_IS_NULL), cc, cu, NR, live2);
	check_same("IN", sl_rexpr_in(A, call("LOWER", 1, CH()), in_list, 3, false), cc, cu, NR, live2);
	/* x has no dictionary: only CONCAT's own kid LOWER(ch) is gathered */
	check_same("CONCAT with x",
	           call("CONCAT", 2, call("LOWER", 1, CH()), sl_rexpr_cast(A, X(), tcols[2], false)), cc,
	           cu, NR, live2);
	check_same("x only", call("+", 2, X(), BIG(1)), cc, cu, NR, 0);
	/* RAND() is not a function of the row: never from the dictionary,
	 * so rows of one entry get different values */
	{
		sl_rexpr *e = call("+", 2, sl_rexpr_cast(A, call("*", 2, call("RAND", 0),
		                                                  sl_rexpr_const_double(A, 1e12)),
		                                         tcols[0], false),
		                   call("CHAR_LENGTH", 1, CH()));
		sl_dict *d = make_dict();
		sl_chunk *c = make_chunk(d, cc, cu, NR);
		sl_error *err = NULL;
		sl_rexpr_prog *p = sl_rexpr_prog_new(e, &err);
		const sl_vector *v = sl_rexpr_eval(p, c, NULL, &err);
		int same = 0;
		SL_ASSERT(v);
		/* rows 0 and 7 have code 0 ("Apple") */
		SL_CHECK_INT(cc[0], cc[7]);
		same = SL_VEC_DATA(v, int64_t)[0] == SL_VEC_DATA(v, int64_t)[7];
		SL_CHECK_INT(same, 0);
		SL_CHECK_INT((int64_t)sl_rexpr_prog_dict_rows(p), NR - 2); /* CHAR_LENGTH only */
		sl_rexpr_prog_free(p);
		sl_chunk_unref(c);
		sl_dict_free(d);
	}
}

static void
test_codes_differ(void)
{
	uint32_t u2[NR];
	memcpy(u2, cu, sizeof u2);
	u2[5] = (cc[5] + 1) % NENT;  /* row 5: channel of one entry, url of another */
	check_same("codes differ", call("CONCAT", 2, CH(), URL()), cc, u2, NR, 0);
	check_same("codes equal", call("CONCAT", 2, CH(), URL()), cc, cu, NR, 2 * (NR - 2));
	/* the CASE as a whole is not, its parts over one column each are */
	check_same("codes differ, q21 CASE", q21_case(), cc, u2, NR, -1);
	/* a tree over one column still uses it */
	check_same("codes differ, one column", call("LOWER", 1, CH()), cc, u2, NR, -1);
}

static void
test_errors(void)
{
	/* CAST(ch AS BIGINT) fails on "Apple" (entry 0): rows with entries
	 * 4/5 only ("channel-1" fails too: only entry 5, "12") */
	uint32_t c5[NR], u5[NR];
	for (int i = 0; i < NR; i++) {
		c5[i] = i % 3 == 0 ? NENT : 5;
		u5[i] = c5[i];
	}
	check_same("CAST on good rows", call("+", 2, sl_rexpr_cast(A, CH(), tcols[0], false), BIG(1)), c5,
	           u5, NR, 0);
	/* and on rows that have a bad one: the same error as without */
	check_same("CAST on a bad row", call("+", 2, sl_rexpr_cast(A, CH(), tcols[0], false), BIG(1)), cc,
	           cu, NR, 0);
}

/* A Calc projecting ch and url keeps their dictionary; the next Calc over
 * its output takes UPPER(ch) from it. */
static void
test_projection_keeps(void)
{
	sl_dict *d = make_dict();
	sl_chunk *in = make_chunk(d, cc, cu, NR);
	sl_rexpr *proj[3] = {CH(), URL(), X()};
	const sl_type *ot[3] = {tcols[1], tcols[2], tcols[0]};
	sl_error *err = NULL;
	sl_rexpr_prog *p1 = sl_rexpr_calc_new(NULL, proj, 3, &err), *p2;
	sl_chunk *mid = sl_chunk_new(ot, 3, 0), *out;
	sl_rexpr *lower[1];
	const sl_type *lt[1] = {tcols[1]};
	SL_ASSERT(p1);
	SL_CHECK_INT(sl_rexpr_calc_run(p1, in, mid, &err), NR - 2);
	SL_CHECK(mid->cols[0]->dict == d && mid->cols[0]->dict_col == 0);
	SL_CHECK(mid->cols[1]->dict == d && mid->cols[1]->dict_col == 1);
	SL_CHECK(mid->cols[2]->dict == NULL);
	for (uint32_t i = 0; i < mid->nsel; i++)
		SL_CHECK_INT(mid->cols[0]->codes[mid->sel[i]], cc[mid->sel[i]]);
	lower[0] = call("UPPER", 1, sl_rexpr_col(A, 0, tcols[1]));
	p2 = sl_rexpr_calc_new(NULL, lower, 1, &err);
	out = sl_chunk_new(lt, 1, 0);
	SL_CHECK_INT(sl_rexpr_calc_run(p2, mid, out, &err), NR - 2);
	SL_CHECK_INT((int64_t)sl_rexpr_prog_dict_rows(p2), NR - 2);
	/* the output column was computed, not copied: no dictionary */
	SL_CHECK(out->cols[0]->dict == NULL);
	{
		sl_strbuf sb = SL_STRBUF_INIT;
		sl_value_format(out->cols[0], 0, &sb);
		SL_CHECK_STR(sl_strbuf_str(&sb), "APPLE");
		sl_strbuf_free(&sb);
	}
	/* a reset chunk forgets it */
	sl_chunk_reset(mid);
	SL_CHECK(mid->cols[0]->dict == NULL);
	sl_chunk_unref(out);
	sl_chunk_unref(mid);
	sl_chunk_unref(in);
	sl_rexpr_prog_free(p1);
	sl_rexpr_prog_free(p2);
	sl_dict_free(d);
}

/* Compacting an annotated chunk (its selection applied in place) moves
 * each row's code with its value. */
static void
test_compact(void)
{
	sl_dict *d = make_dict();
	sl_chunk *with = make_chunk(d, cc, cu, NR), *plain = make_chunk(NULL, cc, cu, NR);
	uint64_t dw, dp;
	char expect[8192];
	sl_chunk_compact(with);
	sl_chunk_compact(plain);
	SL_CHECK(with->sel == NULL && with->count == NR - 2);
	snprintf(expect, sizeof expect, "%s", eval_rows(q21_case(), plain, &dp));
	SL_CHECK_STR(eval_rows(q21_case(), with, &dw), expect);
	SL_CHECK_INT((int64_t)dw, 2 * (NR - 2));
	sl_chunk_unref(with);
	sl_chunk_unref(plain);
	sl_dict_free(d);
}

/* One program over chunks of 6 different dictionaries (as many sources):
 * right every time; the first 4 from their dictionaries. */
static void
test_many_dicts(void)
{
	sl_rexpr *e = call("LOWER", 1, CH());
	sl_error *err = NULL;
	sl_rexpr_prog *p = sl_rexpr_prog_new(e, &err);
	sl_dict *ds[6];
	sl_chunk *plain = make_chunk(NULL, cc, cu, NR);
	char expect[8192];
	uint64_t dp;
	snprintf(expect, sizeof expect, "%s", eval_rows(e, plain, &dp));
	for (int k = 0; k < 6; k++) {
		sl_chunk *c;
		const sl_vector *v;
		sl_strbuf sb = SL_STRBUF_INIT;
		ds[k] = make_dict();
		c = make_chunk(ds[k], cc, cu, NR);
		v = sl_rexpr_eval(p, c, NULL, &err);
		SL_ASSERT(v);
		format_live(v, c, &sb);
		SL_CHECK_STR(sl_strbuf_str(&sb), expect);
		SL_CHECK_INT((int64_t)sl_rexpr_prog_dict_rows(p), (int64_t)(k < 4 ? k + 1 : 4) * (NR - 2));
		sl_strbuf_free(&sb);
		sl_chunk_unref(c);
	}
	for (int k = 0; k < 6; k++)
		sl_dict_free(ds[k]);
	sl_chunk_unref(plain);
	sl_rexpr_prog_free(p);
}

int
main(int argc, char **argv)
{
	A = sl_arena_new(NULL, "test");
	tcols[0] = sl_rt_type(SL_TYPE_BIGINT);
	tcols[1] = sl_rt_type(SL_TYPE_VARCHAR);
	tcols[2] = sl_rt_type(SL_TYPE_VARCHAR);
	/* every entry and the NULL row; url's code equals channel's */
	for (int i = 0; i < NR; i++) {
		cc[i] = (uint32_t)((i * 5) % (NENT + 1));
		cu[i] = cc[i];
	}
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_same_values);
	SL_RUN(test_codes_differ);
	SL_RUN(test_errors);
	SL_RUN(test_projection_keeps);
	SL_RUN(test_compact);
	SL_RUN(test_many_dicts);
	sl_arena_free(A);
	return SL_TEST_MAIN_END();
}
