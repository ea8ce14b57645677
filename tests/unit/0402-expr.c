/*
 * 0402-expr.c
 *	  runtime/: the expression engine — column refs (nested ROW fields),
 *	  three-valued AND/OR/NOT, CASE/IF/COALESCE evaluated lazily on the
 *	  rows that reach each branch, IN (hash set and expressions), BETWEEN,
 *	  LIKE with % _ and ESCAPE, IS [NOT] NULL/TRUE/FALSE, filters over a
 *	  selection, projections, errors naming the row, overload resolution,
 *	  and no memory growth over 1000 chunks.
 */
#include "runtime/expr.h"
#include "runtime/runtime_int.h"
#include "tests/unit/0400-expr-util.h"
#include "tests/unit/test.h"


/* Evaluate e over chunk c; the live rows' values joined by ", ", or
 * "ERROR <code>: <message>". */
static const char *
eval_rows(const sl_rexpr *e, sl_chunk *c)
{
	static char buf[4096];
	sl_error *err = NULL;
	sl_rexpr_prog *prog = sl_rexpr_prog_new(e, &err);

	if (!prog) {
		snprintf(buf, sizeof buf, "COMPILE %s: %s", sl_errcode_name(err->code), err->message);
		sl_error_free(err);
		return buf;
	}
	eval_text(prog, c, 1, true, buf, sizeof buf);
	sl_rexpr_prog_free(prog);
	return buf;
}

/* A chunk with a nullable BOOLEAN column of values t/f/n (one char each),
 * a nullable INT column and a STRING column. */
static const sl_type *tcols[3];

static sl_chunk *
bool_chunk(const char *bools, const int *ints, const char *const *strs)
{
	sl_chunk *c = sl_chunk_new(tcols, 3, 0);
	for (size_t i = 0; bools[i]; i++) {
		uint32_t r = sl_chunk_append_row(c);
		if (bools[i] == 'n')
			sl_chunk_set_null(c, 0, r);
		else
			sl_chunk_set_bool(c, 0, r, bools[i] == 't');
		if (ints && ints[i] != INT32_MIN)
			sl_chunk_set_i32(c, 1, r, ints[i]);
		else
			sl_chunk_set_null(c, 1, r);
		if (strs && strs[i])
			sl_chunk_set_str(c, 2, r, strs[i], strlen(strs[i]));
		else
			sl_chunk_set_null(c, 2, r);
	}
	return c;
}


static sl_rexpr *B0(void) { return sl_rexpr_col(A, 0, tcols[0]); }
static sl_rexpr *I1(void) { return sl_rexpr_col(A, 1, tcols[1]); }
static sl_rexpr *S2(void) { return sl_rexpr_col(A, 2, tcols[2]); }
static sl_rexpr *INT(int32_t v) { return sl_rexpr_const_int(A, v); }
static sl_rexpr *STR(const char *s) { return sl_rexpr_const_str(A, s, strlen(s)); }

static void
test_three_valued_logic(void)
{
	/* all 9 combinations: a in column 0, b in a second chunk column via CASE */
	static const char *a = "tttfffnnn", *b = "tfntfntfn";
	sl_chunk *c = sl_chunk_new(tcols, 3, 0);
	const sl_type *bt[2] = {sl_rt_type(SL_TYPE_BOOLEAN), sl_rt_type(SL_TYPE_BOOLEAN)};
	sl_chunk *d = sl_chunk_new(bt, 2, 0);
	sl_rexpr *x, *y, *args[2];
	for (int i = 0; i < 9; i++) {
		uint32_t r = sl_chunk_append_row(d);
		if (a[i] == 'n')
			sl_chunk_set_null(d, 0, r);
		else
			sl_chunk_set_bool(d, 0, r, a[i] == 't');
		if (b[i] == 'n')
			sl_chunk_set_null(d, 1, r);
		else
			sl_chunk_set_bool(d, 1, r, b[i] == 't');
	}
	x = sl_rexpr_col(A, 0, bt[0]);
	y = sl_rexpr_col(A, 1, bt[1]);
	args[0] = x;
	args[1] = y;
	SL_CHECK_STR(eval_rows(sl_rexpr_and(A, args, 2), d),
	             "true, false, null, false, false, false, null, false, null");
	SL_CHECK_STR(eval_rows(sl_rexpr_or(A, args, 2), d),
	             "true, true, true, true, false, null, true, null, null");
	SL_CHECK_STR(eval_rows(sl_rexpr_not(A, x), d),
	             "false, false, false, true, true, true, null, null, null");
	SL_CHECK_STR(eval_rows(sl_rexpr_is(A, x, SL_IS_NULL), d),
	             "false, false, false, false, false, false, true, true, true");
	SL_CHECK_STR(eval_rows(sl_rexpr_is(A, x, SL_IS_NOT_NULL), d),
	             "true, true, true, true, true, true, false, false, false");
	SL_CHECK_STR(eval_rows(sl_rexpr_is(A, y, SL_IS_TRUE), d),
	             "true, false, false, true, false, false, true, false, false");
	SL_CHECK_STR(eval_rows(sl_rexpr_is(A, y, SL_IS_NOT_TRUE), d),
	             "false, true, true, false, true, true, false, true, true");
	SL_CHECK_STR(eval_rows(sl_rexpr_is(A, y, SL_IS_FALSE), d),
	             "false, true, false, false, true, false, false, true, false");
	SL_CHECK_STR(eval_rows(sl_rexpr_is(A, y, SL_IS_NOT_FALSE), d),
	             "true, false, true, true, false, true, true, false, true");
	/* n-ary AND with a constant */
	{
		sl_rexpr *three[3] = {x, y, sl_rexpr_const_bool(A, true)};
		SL_CHECK_STR(eval_rows(sl_rexpr_and(A, three, 3), d),
		             "true, false, null, false, false, false, null, false, null");
	}
	sl_chunk_unref(c);
	sl_chunk_unref(d);
}

static void
test_lazy_case_and_errors(void)
{
	static const int ints[] = {10, 0, -5, INT32_MIN, 3};
	sl_chunk *c = bool_chunk("tttft", ints, NULL);
	sl_rexpr *div = call("/", 2, INT(100), I1());
	sl_rexpr *cond = call("<>", 2, I1(), INT(0));
	sl_rexpr *cs = sl_rexpr_if(A, cond, div, sl_rexpr_const_int(A, -1), div->type);
	const char *s;
	/* division by zero only where the branch is taken */
	SL_CHECK_STR(eval_rows(cs, c), "10, -1, -20, -1, 33");
	s = eval_rows(div, c);
	SL_CHECK_STR(s, "ERROR division_by_zero: division by zero / The failing input row is "
	                "+I[true, 0, null].");
	/* AND short-circuits too: FALSE rows never reach the division */
	{
		sl_rexpr *a2[2] = {cond, call("=", 2, div, INT(10))};
		SL_CHECK_STR(eval_rows(sl_rexpr_and(A, a2, 2), c), "true, false, false, null, false");
	}
	/* CASE without ELSE gives NULL */
	{
		sl_rexpr *w[2] = {call(">", 2, I1(), INT(5)), call("<", 2, I1(), INT(0))};
		sl_rexpr *t[2] = {STR("big"), STR("neg")};
		const sl_type *st = sl_rt_type(SL_TYPE_VARCHAR);
		SL_CHECK_STR(eval_rows(sl_rexpr_case(A, w, t, 2, NULL, st), c), "big, null, neg, null, null");
		SL_CHECK_STR(eval_rows(sl_rexpr_case(A, w, t, 2, STR("other"), st), c),
		             "big, other, neg, other, other");
	}
	/* structurally equal subtrees (shared in the program) under disjoint
	 * selections: each branch still sees only its rows */
	{
		sl_rexpr *w[2] = {call(">", 2, I1(), INT(0)), call("<", 2, I1(), INT(0))};
		sl_rexpr *t[2] = {call("/", 2, INT(100), I1()), call("/", 2, INT(100), I1())};
		SL_CHECK_STR(eval_rows(sl_rexpr_case(A, w, t, 2, INT(0), t[0]->type), c),
		             "10, 0, -20, 0, 33");
		SL_CHECK_STR(eval_rows(call("+", 2, call("*", 2, I1(), INT(2)), call("*", 2, I1(), INT(2))), c),
		             "40, 0, -20, null, 12");
	}
	/* COALESCE / IFNULL / IF / NULLIF through the named entry point */
	SL_CHECK_STR(eval_rows(call("COALESCE", 2, I1(), INT(42)), c), "10, 0, -5, 42, 3");
	SL_CHECK_STR(eval_rows(call("IFNULL", 2, I1(), INT(7)), c), "10, 0, -5, 7, 3");
	SL_CHECK_STR(eval_rows(call("COALESCE", 3, sl_rexpr_const_null(A, tcols[1]), I1(), INT(1)), c),
	             "10, 0, -5, 1, 3");
	SL_CHECK_STR(eval_rows(call("IF", 3, B0(), INT(1), INT(2)), c), "1, 1, 1, 2, 1");
	SL_CHECK_STR(eval_rows(call("NULLIF", 2, I1(), INT(0)), c), "10, null, -5, null, 3");
	sl_chunk_unref(c);
}

static void
test_in_between(void)
{
	static const int ints[] = {1, 2, 3, INT32_MIN, 5, 6};
	static const char *const strs[] = {"apple", "b", "", NULL, "Apple", "google"};
	sl_chunk *c = bool_chunk("tttttt", ints, strs);
	sl_rexpr *l1[3] = {INT(1), INT(3), INT(5)};
	sl_rexpr *l2[3] = {INT(1), sl_rexpr_const_null(A, tcols[1]), INT(5)};
	sl_rexpr *l3[3] = {STR("apple"), STR(""), STR("google")};
	sl_rexpr *l4[2] = {call("+", 2, INT(1), INT(1)), call("*", 2, I1(), INT(1))};
	SL_CHECK_STR(eval_rows(sl_rexpr_in(A, I1(), l1, 3, false), c),
	             "true, false, true, null, true, false");
	SL_CHECK_STR(eval_rows(sl_rexpr_in(A, I1(), l1, 3, true), c),
	             "false, true, false, null, false, true");
	/* a NULL in the list: no match is NULL, not FALSE */
	SL_CHECK_STR(eval_rows(sl_rexpr_in(A, I1(), l2, 3, false), c),
	             "true, null, null, null, true, null");
	SL_CHECK_STR(eval_rows(sl_rexpr_in(A, S2(), l3, 3, false), c),
	             "true, false, true, null, false, true");
	SL_CHECK_STR(eval_rows(sl_rexpr_in(A, I1(), l4, 2, false), c),
	             "true, true, true, null, true, true");
	SL_CHECK_STR(eval_rows(sl_rexpr_between(A, I1(), INT(2), INT(5), false, false), c),
	             "false, true, true, null, true, false");
	SL_CHECK_STR(eval_rows(sl_rexpr_between(A, I1(), INT(5), INT(2), false, false), c),
	             "false, false, false, null, false, false");
	SL_CHECK_STR(eval_rows(sl_rexpr_between(A, I1(), INT(5), INT(2), false, true), c),
	             "false, true, true, null, true, false");
	SL_CHECK_STR(eval_rows(sl_rexpr_between(A, I1(), INT(2), INT(5), true, false), c),
	             "true, false, false, null, false, true");
	/* x BETWEEN NULL AND 2: FALSE where x > 2, else NULL */
	SL_CHECK_STR(eval_rows(sl_rexpr_between(A, I1(), sl_rexpr_const_null(A, tcols[1]), INT(2),
	                                        false, false), c),
	             "null, null, false, null, false, false");
	sl_chunk_unref(c);
}

static void
test_like(void)
{
	static const char *const strs[] = {"abc", "abd", "a_c", "xabcx", "", "a%", "ab", "日本語", NULL};
	sl_chunk *c = bool_chunk("ttttttttt", NULL, strs);
#define LIKE(p) eval_rows(sl_rexpr_like(A, S2(), STR(p), NULL, false), c)
#define LIKE_E(p, e) eval_rows(sl_rexpr_like(A, S2(), STR(p), STR(e), false), c)
	SL_CHECK_STR(LIKE("abc"), "true, false, false, false, false, false, false, false, null");
	SL_CHECK_STR(LIKE("ab%"), "true, true, false, false, false, false, true, false, null");
	SL_CHECK_STR(LIKE("%c"), "true, false, true, false, false, false, false, false, null");
	SL_CHECK_STR(LIKE("%bc%"), "true, false, false, true, false, false, false, false, null");
	SL_CHECK_STR(LIKE("a_c"), "true, false, true, false, false, false, false, false, null");
	SL_CHECK_STR(LIKE("%"), "true, true, true, true, true, true, true, true, null");
	SL_CHECK_STR(LIKE(""), "false, false, false, false, true, false, false, false, null");
	SL_CHECK_STR(LIKE("___"), "true, true, true, false, false, false, false, true, null");
	SL_CHECK_STR(LIKE("a%c"), "true, false, true, false, false, false, false, false, null");
	SL_CHECK_STR(LIKE("%a%b%"), "true, true, false, true, false, false, true, false, null");
	SL_CHECK_STR(LIKE("日%"), "false, false, false, false, false, false, false, true, null");
	SL_CHECK_STR(LIKE_E("a\\_c", "\\"), "false, false, true, false, false, false, false, false, null");
	SL_CHECK_STR(LIKE_E("a!%", "!"), "false, false, false, false, false, true, false, false, null");
	SL_CHECK_STR(LIKE_E("%!%", "!"), "false, false, false, false, false, true, false, false, null");
	SL_CHECK_STR(LIKE_E("a!x", "!"),
	             "COMPILE invalid_parameter: invalid escape sequence in LIKE pattern \"a!x\"");
	SL_CHECK_STR(eval_rows(sl_rexpr_like(A, S2(), STR("ab%"), NULL, true), c),
	             "false, false, true, true, true, true, false, true, null");
	/* a pattern that varies per row */
	SL_CHECK_STR(eval_rows(sl_rexpr_like(A, STR("abc"), S2(), NULL, false), c),
	             "true, false, true, false, false, true, false, false, null");
#undef LIKE
#undef LIKE_E
	sl_chunk_unref(c);
}

static void
test_filter_project(void)
{
	static const int ints[] = {1, 2, 3, 4, 5, 6, INT32_MIN, 8};
	static const char *const strs[] = {"a", "bb", "ccc", "dddd", "e", "ff", "g", NULL};
	sl_chunk *c = bool_chunk("tftftftf", ints, strs);
	sl_error *err = NULL;
	sl_rexpr *pred = call(">", 2, I1(), INT(2));
	sl_rexpr_prog *fp = sl_rexpr_prog_new(pred, &err);
	sl_rexpr_prog *fp2 = sl_rexpr_prog_new(B0(), &err);
	sl_rexpr *proj[2] = {call("UPPER", 1, S2()), call("*", 2, I1(), INT(10))};
	const sl_type *otypes[2] = {proj[0]->type, proj[1]->type};
	sl_rexpr_prog *pp[2] = {sl_rexpr_prog_new(proj[0], &err), sl_rexpr_prog_new(proj[1], &err)};
	sl_chunk *out = sl_chunk_new(otypes, 2, 0);
	sl_strbuf sb = SL_STRBUF_INIT;

	SL_CHECK_INT(sl_rexpr_filter(fp, c, &err), 5);
	SL_CHECK_INT(c->nsel, 5);
	SL_CHECK_INT(c->sel[0], 2);
	/* a second filter narrows the selection further */
	SL_CHECK_INT(sl_rexpr_filter(fp2, c, &err), 2);
	SL_CHECK_INT(c->sel[0], 2);
	SL_CHECK_INT(c->sel[1], 4);
	c->kinds[4] = SL_ROW_UPDATE_AFTER;
	SL_CHECK(sl_rexpr_project(pp, 2, c, out, &err));
	SL_CHECK_INT(out->nsel, 2);
	for (uint32_t i = 0; i < out->nsel; i++) {
		sl_chunk_format_row(out, out->sel[i], &sb);
		sl_strbuf_append(&sb, ";");
	}
	SL_CHECK_STR(sl_strbuf_str(&sb), "+I[CCC, 30];+U[E, 50];");
	/* output strings outlive the input: out keeps c alive */
	SL_CHECK_INT(atomic_load(&c->refcount), 1 + (out->nkeep > 0));
	sl_chunk_unref(c);
	sl_strbuf_reset(&sb);
	sl_chunk_format_row(out, out->sel[1], &sb);
	SL_CHECK_STR(sl_strbuf_str(&sb), "+U[E, 50]");
	sl_strbuf_free(&sb);
	sl_chunk_unref(out);
	sl_rexpr_prog_free(fp);
	sl_rexpr_prog_free(fp2);
	sl_rexpr_prog_free(pp[0]);
	sl_rexpr_prog_free(pp[1]);
}

static void
test_nested_field(void)
{
	sl_type_field f[2] = {{"id", sl_rt_type(SL_TYPE_BIGINT)}, {"name", sl_rt_type(SL_TYPE_VARCHAR)}};
	sl_type_field outer_f[1];
	sl_type rt = {.kind = SL_TYPE_ROW, .nullable = true, .nfields = 2, .fields = f};
	sl_type outer = {.kind = SL_TYPE_ROW, .nullable = true, .nfields = 1, .fields = outer_f};
	const sl_type *ty[1] = {&outer};
	sl_chunk *c;
	int path[2] = {0, 1};
	outer_f[0].name = "person";
	outer_f[0].type = &rt;
	c = sl_chunk_new(ty, 1, 0);
	for (int i = 0; i < 3; i++) {
		uint32_t r = sl_chunk_append_row(c);
		sl_vector *p = c->cols[0]->children[0];
		SL_VEC_DATA(p->children[0], int64_t)[r] = 100 + i;
		SL_VEC_DATA(p->children[1], sl_str)[r] = sl_strheap_copy(&c->heap, "n", 1);
	}
	sl_vec_set_null(c->cols[0], 1);                 /* whole outer row NULL */
	sl_vec_set_null(c->cols[0]->children[0], 2);    /* inner row NULL */
	SL_CHECK_STR(eval_rows(sl_rexpr_col_path(A, 0, &outer, path, 2), c), "n, null, null");
	path[1] = 0;
	SL_CHECK_STR(eval_rows(call("+", 2, sl_rexpr_col_path(A, 0, &outer, path, 2),
	                            sl_rexpr_const_bigint(A, 1)), c), "101, null, null");
	{
		sl_strbuf sb = SL_STRBUF_INIT;
		sl_rexpr_format(sl_rexpr_col_path(A, 0, &outer, path, 2), &sb);
		SL_CHECK_STR(sl_strbuf_str(&sb), "$0.person.id");
		sl_strbuf_free(&sb);
	}
	sl_chunk_unref(c);
}

static void
test_lookup_and_types(void)
{
	const sl_type *at[2], *cast_to[2], *res;
	sl_func_id id;
	sl_error *err = NULL;
	sl_strbuf sb = SL_STRBUF_INIT;
	sl_rexpr *e;

	at[0] = sl_rt_type(SL_TYPE_BIGINT);
	at[1] = sl_rt_decimal(A, 3, 3);
	SL_CHECK(sl_udf_builtin_resolve(A, "*", at, 2, NULL, &id, cast_to, &res, &err));
	SL_CHECK_INT(id, SL_FN_MUL);
	SL_CHECK_INT(res->kind, SL_TYPE_DECIMAL);
	SL_CHECK_INT(res->precision, 23); /* Nexmark q1: DECIMAL(23, 3) */
	SL_CHECK_INT(res->scale, 3);
	SL_CHECK(cast_to[0] && cast_to[0]->kind == SL_TYPE_DECIMAL && cast_to[0]->precision == 19);
	SL_CHECK(cast_to[1] == NULL);
	at[0] = sl_rt_type(SL_TYPE_BIGINT);
	at[1] = sl_rt_type(SL_TYPE_INT);
	SL_CHECK(sl_udf_builtin_resolve(A, "mod", at, 2, NULL, &id, cast_to, &res, &err));
	SL_CHECK_INT(id, SL_FN_MOD);
	SL_CHECK_INT(res->kind, SL_TYPE_INT);
	SL_CHECK(sl_udf_builtin_resolve(A, "+", at, 2, NULL, &id, cast_to, &res, &err));
	SL_CHECK_INT(res->kind, SL_TYPE_BIGINT);
	at[0] = sl_rt_decimal(A, 10, 2);
	at[1] = sl_rt_decimal(A, 5, 3);
	SL_CHECK(sl_udf_builtin_resolve(A, "/", at, 2, NULL, &id, cast_to, &res, &err));
	SL_CHECK_INT(res->precision, 19); /* p1 - s1 + s2 + scale */
	SL_CHECK_INT(res->scale, 8);      /* max(6, s1 + p2 + 1) */
	at[0] = sl_rt_type(SL_TYPE_TIMESTAMP);
	at[1] = sl_rt_type(SL_TYPE_VARCHAR);
	SL_CHECK(sl_udf_builtin_resolve(A, "date_format", at, 2, NULL, &id, cast_to, &res, &err));
	SL_CHECK_INT(id, SL_FN_DATE_FORMAT);
	SL_CHECK(!sl_udf_builtin_resolve(A, "no_such_fn", at, 2, NULL, &id, cast_to, &res, &err));
	SL_CHECK_INT(err->code, SL_ERR_UNDEFINED_FUNCTION);
	sl_error_free(err);
	err = NULL;
	at[0] = sl_rt_type(SL_TYPE_BOOLEAN);
	SL_CHECK(!sl_udf_builtin_resolve(A, "LOWER", at, 1, NULL, &id, cast_to, &res, &err));
	SL_CHECK_INT(err->code, SL_ERR_DATATYPE_MISMATCH);
	SL_CHECK_STR(err->message, "argument 1 of function \"LOWER\" must be a string value, not BOOLEAN");
	sl_error_free(err);
	err = NULL;
	SL_CHECK(sl_udf_builtin_exists("regexp_extract"));
	SL_CHECK(sl_udf_builtin_exists("coalesce"));
	SL_CHECK(!sl_udf_builtin_exists("nope"));
	e = call("=", 2, call("MOD", 2, sl_rexpr_col(A, 0, sl_rt_type(SL_TYPE_BIGINT)), INT(123)),
	         INT(0));
	sl_rexpr_format(e, &sb);
	SL_CHECK_STR(sl_strbuf_str(&sb), "(MOD($0, 123) = 0)");
	sl_strbuf_free(&sb);
}

static void
test_no_memory_growth(void)
{
	const sl_type *ty[2] = {sl_rt_type(SL_TYPE_BIGINT), sl_rt_type(SL_TYPE_VARCHAR)};
	sl_chunk_pool *in_pool = sl_chunk_pool_new(ty, 2, 0);
	sl_rexpr *url = sl_rexpr_col(A, 1, ty[1]);
	sl_rexpr *e1 = call("LOWER", 1, call("REGEXP_EXTRACT", 3, url,
	                                      STR("(&|^)channel_id=([^&]*)"), INT(2)));
	sl_rexpr *e2 = call("CONCAT", 3, call("SPLIT_INDEX", 3, url, STR("/"), INT(3)), STR("-"),
	                    call("DATE_FORMAT", 2, sl_rexpr_const_timestamp(A, 0, 3), STR("yyyy")));
	const sl_type *oty[2] = {e1->type, e2->type};
	sl_chunk_pool *out_pool = sl_chunk_pool_new(oty, 2, 0);
	sl_error *err = NULL;
	sl_rexpr_prog *p[2] = {sl_rexpr_prog_new(e1, &err), sl_rexpr_prog_new(e2, &err)};
	sl_chunk_stats s0, s1;
	size_t m0 = 0, m1;
	char buf[128];
	for (int round = 0; round < 1010; round++) {
		sl_chunk *in = sl_chunk_pool_get(in_pool), *out;
		if (round == 10) {
			sl_chunk_stats_get(&s0);
			m0 = sl_rexpr_prog_memory(p[0]) + sl_rexpr_prog_memory(p[1]);
		}
		for (int i = 0; i < 1024; i++) {
			uint32_t r = sl_chunk_append_row(in);
			int len = snprintf(buf, sizeof buf, "https://www.nexmark.com/%d/item.htm?query=1&channel_id=CH%d", i, round + i);
			sl_chunk_set_i64(in, 0, r, i);
			sl_chunk_set_str(in, 1, r, buf, (size_t)len);
		}
		out = sl_chunk_pool_get(out_pool);
		SL_CHECK(sl_rexpr_project(p, 2, in, out, &err));
		if (round == 0) {
			sl_strbuf sb = SL_STRBUF_INIT;
			sl_chunk_format_row(out, 5, &sb);
			SL_CHECK_STR(sl_strbuf_str(&sb), "+I[ch5, 5-1970]");
			sl_strbuf_free(&sb);
		}
		sl_chunk_unref(in);
		sl_chunk_unref(out);
	}
	sl_chunk_stats_get(&s1);
	m1 = sl_rexpr_prog_memory(p[0]) + sl_rexpr_prog_memory(p[1]);
	SL_CHECK_INT(s1.chunks_allocated - s0.chunks_allocated, 0);
	SL_CHECK_INT(s1.heap_blocks - s0.heap_blocks, 0);
	SL_CHECK_INT(s1.pool_gets - s0.pool_gets, 1999); /* s0 is taken after one get */
	SL_CHECK_INT(m1, m0);
	sl_rexpr_prog_free(p[0]);
	sl_rexpr_prog_free(p[1]);
	sl_chunk_pool_free(in_pool);
	sl_chunk_pool_free(out_pool);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	A = sl_arena_new(NULL, "test");
	tcols[0] = sl_rt_type(SL_TYPE_BOOLEAN);
	tcols[1] = sl_rt_type(SL_TYPE_INT);
	tcols[2] = sl_rt_type(SL_TYPE_VARCHAR);
	SL_RUN(test_three_valued_logic);
	SL_RUN(test_lazy_case_and_errors);
	SL_RUN(test_in_between);
	SL_RUN(test_like);
	SL_RUN(test_filter_project);
	SL_RUN(test_nested_field);
	SL_RUN(test_lookup_and_types);
	SL_RUN(test_no_memory_growth);
	sl_arena_free(A);
	return SL_TEST_MAIN_END();
}
