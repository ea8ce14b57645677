/*
 * 1060-calc-cse.c
 *	  runtime/expr.c common subexpressions of a Calc (sl_rexpr_calc_new/_run):
 *	  a deterministic subexpression that the filter and the projections
 *	  share is computed once per row of a chunk, also when the filter
 *	  computed it on some rows only (the projection computes the rest and
 *	  merges them); a non-deterministic C UDF and RAND() are never merged.
 *	  Counted with C UDFs that record every row they are called for; the
 *	  results equal separate filter and projection programs and a pinned
 *	  answer, on rows with NULLs and an input selection vector.
 */
#include "runtime/expr.h"
#include "runtime/runtime_int.h"
#include "tests/unit/0400-expr-util.h"
#include "tests/unit/test.h"
#include "udf/udf.h"

#include <stdarg.h>

#define NROWS 12

static const sl_type *tcols[3];            /* x BIGINT, y BOOLEAN, s STRING */
static int hits_det[SL_CHUNK_CAPACITY];    /* rows det_x10 was called for */
static int hits_nondet[SL_CHUNK_CAPACITY]; /* rows nondet_x10 was called for */

/* x * 10 (NULL for NULL); hits[row]++ for every row asked */
static int
x10(sluice_udf_ctx *ctx, const sluice_udf_vector *args, uint32_t nargs, const uint32_t *sel,
    uint32_t n, sluice_udf_out *out)
{
	int *hits = ctx->user_data;
	(void)nargs;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t row = sluice_udf_row(sel, i);
		hits[row]++;
		if (sluice_udf_is_null(&args[0], row))
			sluice_udf_set_null(out, row);
		else
			SLUICE_UDF_OUT(out, int64_t)[row] = SLUICE_UDF_IN(&args[0], int64_t)[row] * 10;
	}
	return 0;
}

static const sluice_udf_function det_fn = {
	.name = "det_x10", .kind = SLUICE_UDF_SCALAR, .flags = SLUICE_UDF_DETERMINISTIC,
	.signature = "BIGINT(BIGINT)", .user_data = hits_det, .scalar = x10};
static const sluice_udf_function nondet_fn = {
	.name = "nondet_x10", .kind = SLUICE_UDF_SCALAR, .signature = "BIGINT(BIGINT)",
	.user_data = hits_nondet, .scalar = x10};

static sl_udf_registry *reg;


static sl_rexpr *X(void) { return sl_rexpr_col(A, 0, tcols[0]); }
static sl_rexpr *Y(void) { return sl_rexpr_col(A, 1, tcols[1]); }
static sl_rexpr *S(void) { return sl_rexpr_col(A, 2, tcols[2]); }
static sl_rexpr *STR(const char *s) { return sl_rexpr_const_str(A, s, strlen(s)); }
static sl_rexpr *BIG(int64_t v) { return sl_rexpr_const_bigint(A, v); }

/* a new tree for name(x) each time: sharing must come from structure */
static sl_rexpr *
udf_x(const char *name)
{
	const sl_type *at[] = {tcols[0]};
	const sl_udf_fn *fn = sl_udf_resolve(reg, name, at, 1, NULL);
	sl_rexpr *args[] = {X()};
	SL_ASSERT(fn);
	return sl_rexpr_udf(A, fn, args, 1, fn->sig.result);
}

/* rows: x (NULL every 5th), y (TRUE, FALSE, NULL in turn), s (NULL every
 * 4th); the input selection leaves out rows 1 and 7 */
static sl_chunk *
make_chunk(void)
{
	static const char *const strs[] = {"AB", "Cd", "ab", "xY", "é-É", "AB", "q", "AB",
	                                   "zz", "Ab", "AB", "k"};
	sl_chunk *c = sl_chunk_new(tcols, 3, 0);
	uint32_t k = 0;
	for (int i = 0; i < NROWS; i++) {
		uint32_t r = sl_chunk_append_row(c);
		if (i % 5 == 3)
			sl_chunk_set_null(c, 0, r);
		else
			sl_chunk_set_i64(c, 0, r, i);
		if (i % 3 == 2)
			sl_chunk_set_null(c, 1, r);
		else
			sl_chunk_set_bool(c, 1, r, i % 3 == 0);
		if (i % 4 == 2)
			sl_chunk_set_null(c, 2, r);
		else
			sl_chunk_set_str(c, 2, r, strs[i], strlen(strs[i]));
	}
	for (uint32_t r = 0; r < NROWS; r++)
		if (r != 1 && r != 7)
			c->sel_buf[k++] = (uint16_t)r;
	c->sel = c->sel_buf;
	c->nsel = k;
	return c;
}

static void
format_out(const sl_chunk *out, sl_strbuf *sb)
{
	uint32_t n = sl_chunk_live(out);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t r = out->sel ? out->sel[i] : i;
		sl_strbuf_append(sb, "[");
		for (int c = 0; c < out->ncols; c++) {
			if (c)
				sl_strbuf_append(sb, ", ");
			sl_value_format(out->cols[c], r, sb);
		}
		sl_strbuf_append(sb, "]");
	}
}

static const sl_type *const *
otypes(sl_rexpr **exprs, int n)
{
	static const sl_type *t[8];
	for (int i = 0; i < n; i++)
		t[i] = exprs[i]->type;
	return t;
}

/* WHERE y OR f(x) > 20 OR LOWER(s) = 'ab'
 * SELECT f(x), CASE WHEN y THEN f(x) + 1 ELSE -1 END, LOWER(s), x
 * The OR asks f(x) only on rows where y is not TRUE and LOWER(s) only on
 * rows still undecided; the projections ask both on every passing row. */
static void
build(const char *fname, sl_rexpr **cond, sl_rexpr **exprs)
{
	sl_rexpr *ors[3];
	sl_rexpr *when[1], *then[1];
	ors[0] = Y();
	ors[1] = call(">", 2, udf_x(fname), BIG(20));
	ors[2] = call("=", 2, call("LOWER", 1, S()), STR("ab"));
	*cond = sl_rexpr_or(A, ors, 3);
	exprs[0] = udf_x(fname);
	when[0] = Y();
	then[0] = call("+", 2, udf_x(fname), BIG(1));
	exprs[1] = sl_rexpr_case(A, when, then, 1, BIG(-1), then[0]->type);
	exprs[2] = call("LOWER", 1, S());
	exprs[3] = X();
}

/* The pinned answer: live rows 0, 2..6, 8..11; passing: y TRUE (0, 3, 6,
 * 9) or x*10 > 20 (4, 5, 10, 11); 2 (x*10 = 20, NULL s) and 8 (NULL x and
 * y, 'zz') give NULL */
static const char *const expected =
	"[0, 1, ab, 0][null, null, xy, null][40, -1, é-é, 4][50, -1, ab, 5][60, 61, null, 6]"
	"[90, 91, ab, 9][100, -1, null, 10][110, -1, k, 11]";

static void
test_shared_once(void)
{
	sl_rexpr *cond, *exprs[4];
	sl_error *err = NULL;
	sl_rexpr_prog *one, *fprog, *pprogs[4];
	sl_chunk *in, *in2, *out, *out2;
	sl_strbuf a = SL_STRBUF_INIT, b = SL_STRBUF_INIT;
	int twice = 0, dead = 0, once = 0;

	build("det_x10", &cond, exprs);
	one = sl_rexpr_calc_new(cond, exprs, 4, &err);
	SL_CHECK(one != NULL);
	if (!one)
		return;
	in = make_chunk();
	out = sl_chunk_new(otypes(exprs, 4), 4, 0);
	memset(hits_det, 0, sizeof hits_det);
	SL_CHECK_INT(sl_rexpr_calc_run(one, in, out, &err), 8);
	format_out(out, &a);
	SL_CHECK_STR(sl_strbuf_str(&a), expected);
	for (int r = 0; r < NROWS; r++) {
		twice += hits_det[r] > 1;
		dead += (r == 1 || r == 7) && hits_det[r];
		once += hits_det[r] == 1;
	}
	/* every live row once: the filter's rows (y not TRUE) and the
	 * projections' rest (y TRUE); none twice, none of the dead rows */
	SL_CHECK_INT(twice, 0);
	SL_CHECK_INT(dead, 0);
	SL_CHECK_INT(once, NROWS - 2);

	/* the same answer from separate programs (nothing shared) */
	fprog = sl_rexpr_prog_new(cond, &err);
	for (int i = 0; i < 4; i++)
		pprogs[i] = sl_rexpr_prog_new(exprs[i], &err);
	in2 = make_chunk();
	out2 = sl_chunk_new(otypes(exprs, 4), 4, 0);
	SL_CHECK_INT(sl_rexpr_filter(fprog, in2, &err), 8);
	SL_CHECK(sl_rexpr_project(pprogs, 4, in2, out2, &err));
	format_out(out2, &b);
	SL_CHECK_STR(sl_strbuf_str(&b), expected);

	/* the next chunk starts afresh: again once per live row */
	sl_chunk_unref(out);
	sl_chunk_unref(in);
	in = make_chunk();
	out = sl_chunk_new(otypes(exprs, 4), 4, 0);
	memset(hits_det, 0, sizeof hits_det);
	SL_CHECK_INT(sl_rexpr_calc_run(one, in, out, &err), 8);
	once = 0;
	for (int r = 0; r < NROWS; r++)
		once += hits_det[r] == 1;
	SL_CHECK_INT(once, NROWS - 2);
	sl_strbuf_reset(&a);
	format_out(out, &a);
	SL_CHECK_STR(sl_strbuf_str(&a), expected);

	sl_strbuf_free(&a);
	sl_strbuf_free(&b);
	sl_chunk_unref(out);
	sl_chunk_unref(out2);
	sl_chunk_unref(in);
	sl_chunk_unref(in2);
	sl_rexpr_prog_free(one);
	sl_rexpr_prog_free(fprog);
	for (int i = 0; i < 4; i++)
		sl_rexpr_prog_free(pprogs[i]);
}

/* The same Calc over a UDF that is not deterministic: each call is its
 * own node, so a row is computed once per call that asks for it. */
static void
test_nondeterministic_not_merged(void)
{
	sl_rexpr *cond, *exprs[4];
	sl_error *err = NULL;
	sl_rexpr_prog *one;
	sl_chunk *in, *out;
	sl_strbuf a = SL_STRBUF_INIT;
	int total = 0;
	build("nondet_x10", &cond, exprs);
	one = sl_rexpr_calc_new(cond, exprs, 4, &err);
	SL_CHECK(one != NULL);
	if (!one)
		return;
	in = make_chunk();
	out = sl_chunk_new(otypes(exprs, 4), 4, 0);
	memset(hits_nondet, 0, sizeof hits_nondet);
	SL_CHECK_INT(sl_rexpr_calc_run(one, in, out, &err), 8);
	format_out(out, &a);
	SL_CHECK_STR(sl_strbuf_str(&a), expected);
	for (int r = 0; r < NROWS; r++)
		total += hits_nondet[r];
	/* filter: the 6 live rows where y is not TRUE; projection 0: the 8
	 * passing rows; the CASE's THEN: the 4 rows where y is TRUE */
	SL_CHECK_INT(total, 6 + 8 + 4);
	sl_strbuf_free(&a);
	sl_chunk_unref(out);
	sl_chunk_unref(in);
	sl_rexpr_prog_free(one);
}

/* SELECT RAND() = RAND(), UUID() = UUID(): two calls, two values */
static void
test_random_not_merged(void)
{
	sl_rexpr *exprs[2];
	const sl_type *t1[] = {sl_rt_type(SL_TYPE_INT)};
	sl_error *err = NULL;
	sl_rexpr_prog *one;
	sl_chunk *in = sl_chunk_new(t1, 1, 0), *out;
	int same_rand = 0, same_uuid = 0;
	exprs[0] = call("=", 2, call("RAND", 0), call("RAND", 0));
	exprs[1] = call("=", 2, call("UUID", 0), call("UUID", 0));
	one = sl_rexpr_calc_new(NULL, exprs, 2, &err);
	SL_CHECK(one != NULL);
	if (!one)
		return;
	for (uint32_t i = 0; i < SL_CHUNK_CAPACITY; i++)
		sl_chunk_set_i32(in, 0, sl_chunk_append_row(in), (int32_t)i);
	out = sl_chunk_new(otypes(exprs, 2), 2, 0);
	SL_CHECK_INT(sl_rexpr_calc_run(one, in, out, &err), SL_CHUNK_CAPACITY);
	for (uint32_t r = 0; r < SL_CHUNK_CAPACITY; r++) {
		same_rand += SL_VEC_DATA(out->cols[0], uint8_t)[r];
		same_uuid += SL_VEC_DATA(out->cols[1], uint8_t)[r];
	}
	SL_CHECK_INT(same_rand, 0);
	SL_CHECK_INT(same_uuid, 0);
	sl_chunk_unref(out);
	sl_chunk_unref(in);
	sl_rexpr_prog_free(one);
}

/* A filter that keeps nothing, and a chunk without a selection vector
 * whose rows are all NULL: nothing computed twice, NULLs pass through */
static void
test_empty_and_all_null(void)
{
	sl_rexpr *cond, *exprs[4];
	sl_error *err = NULL;
	sl_rexpr_prog *one;
	sl_chunk *in, *out;
	sl_strbuf a = SL_STRBUF_INIT;
	int total = 0;
	build("det_x10", &cond, exprs);
	(void)cond;
	/* WHERE y AND f(x) > 20: on all-NULL rows nothing passes */
	{
		sl_rexpr *ands[] = {Y(), call(">", 2, udf_x("det_x10"), BIG(20))};
		one = sl_rexpr_calc_new(sl_rexpr_and(A, ands, 2), exprs, 4, &err);
	}
	SL_CHECK(one != NULL);
	if (!one)
		return;
	in = sl_chunk_new(tcols, 3, 0);
	for (int i = 0; i < 5; i++) {
		uint32_t r = sl_chunk_append_row(in);
		sl_chunk_set_null(in, 0, r);
		sl_chunk_set_null(in, 1, r);
		sl_chunk_set_null(in, 2, r);
	}
	out = sl_chunk_new(otypes(exprs, 4), 4, 0);
	memset(hits_det, 0, sizeof hits_det);
	SL_CHECK_INT(sl_rexpr_calc_run(one, in, out, &err), 0);
	SL_CHECK_INT(out->count, 0);
	for (int r = 0; r < 5; r++)
		total += hits_det[r];
	SL_CHECK_INT(total, 5);   /* y NULL leaves every row undecided: f once each */
	sl_chunk_unref(out);
	sl_chunk_unref(in);
	sl_rexpr_prog_free(one);

	/* no filter, all NULL: f once per row, every column NULL */
	one = sl_rexpr_calc_new(NULL, exprs, 4, &err);
	in = sl_chunk_new(tcols, 3, 0);
	for (int i = 0; i < 3; i++) {
		uint32_t r = sl_chunk_append_row(in);
		sl_chunk_set_null(in, 0, r);
		sl_chunk_set_null(in, 1, r);
		sl_chunk_set_null(in, 2, r);
	}
	out = sl_chunk_new(otypes(exprs, 4), 4, 0);
	memset(hits_det, 0, sizeof hits_det);
	SL_CHECK_INT(sl_rexpr_calc_run(one, in, out, &err), 3);
	format_out(out, &a);
	SL_CHECK_STR(sl_strbuf_str(&a), "[null, -1, null, null][null, -1, null, null][null, -1, null, null]");
	total = 0;
	for (int r = 0; r < 3; r++)
		total += hits_det[r] == 1;
	SL_CHECK_INT(total, 3);
	sl_strbuf_free(&a);
	sl_chunk_unref(out);
	sl_chunk_unref(in);
	sl_rexpr_prog_free(one);
}

int
main(int argc, char **argv)
{
	A = sl_arena_new(NULL, "test");
	tcols[0] = sl_rt_type(SL_TYPE_BIGINT);
	tcols[1] = sl_rt_type(SL_TYPE_BOOLEAN);
	tcols[2] = sl_rt_type(SL_TYPE_VARCHAR);
	reg = sl_udf_registry_new();
	if (!sl_udf_add_builtin(reg, &det_fn, NULL) || !sl_udf_add_builtin(reg, &nondet_fn, NULL))
		abort();
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_shared_once);
	SL_RUN(test_nondeterministic_not_merged);
	SL_RUN(test_random_not_merged);
	SL_RUN(test_empty_and_all_null);
	sl_udf_registry_free(reg);
	sl_arena_free(A);
	return SL_TEST_MAIN_END();
}
