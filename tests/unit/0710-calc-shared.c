/*
 * 0710-calc-shared.c
 *	  runtime/expr.c sl_rexpr_calc_new/_run: a Calc's filter and projections
 *	  compiled as one program. Results equal separate programs
 *	  (sl_rexpr_filter + sl_rexpr_project) on rows with NULLs and an empty
 *	  result; a subexpression in both the filter and a projection compiles
 *	  to one node (the program is smaller than the separate ones); strings
 *	  the filter computed and a projection reused stay valid in the output
 *	  chunk after the program has evaluated later chunks.
 */
#include "runtime/expr.h"
#include "runtime/runtime_int.h"
#include "tests/unit/0400-expr-util.h"
#include "tests/unit/test.h"

#include <stdarg.h>

static const sl_type *tcols[2];


/* the output column types of projections exprs[0..3) */
static const sl_type *const *
otypes(sl_rexpr **exprs)
{
	static const sl_type *t[3];
	for (int i = 0; i < 3; i++)
		t[i] = exprs[i]->type;
	return t;
}

static sl_rexpr *S0(void) { return sl_rexpr_col(A, 0, tcols[0]); }
static sl_rexpr *I1(void) { return sl_rexpr_col(A, 1, tcols[1]); }
static sl_rexpr *STR(const char *s) { return sl_rexpr_const_str(A, s, strlen(s)); }

/* url-like strings: "channel_id=<x>&..." or NULL */
static sl_chunk *
make_chunk(const char *const *urls, int n, int base)
{
	sl_chunk *c = sl_chunk_new(tcols, 2, 0);
	for (int i = 0; i < n; i++) {
		uint32_t r = sl_chunk_append_row(c);
		if (urls[i])
			sl_chunk_set_str(c, 0, r, urls[i], strlen(urls[i]));
		else
			sl_chunk_set_null(c, 0, r);
		sl_chunk_set_i32(c, 1, r, base + i);
	}
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

/* cond: UPPER(REGEXP_EXTRACT(s, 'channel_id=([^&]*)', 1)) <> 'X'
 * exprs: UPPER(REGEXP_EXTRACT(...)), i + 1, CONCAT(UPPER(REGEXP_EXTRACT(...)), '!') */
static void
build(sl_rexpr **cond, sl_rexpr **exprs)
{
	sl_rexpr *rx = call("REGEXP_EXTRACT", 3, S0(), STR("channel_id=([^&]*)"),
	                    sl_rexpr_const_int(A, 1));
	sl_rexpr *up = call("UPPER", 1, rx);
	*cond = call("<>", 2, up, STR("X"));
	exprs[0] = call("UPPER", 1, call("REGEXP_EXTRACT", 3, S0(), STR("channel_id=([^&]*)"),
	                                 sl_rexpr_const_int(A, 1)));
	exprs[1] = call("+", 2, I1(), sl_rexpr_const_int(A, 1));
	exprs[2] = call("CONCAT", 2, up, STR("!"));
}

static void
test_equal_to_separate_programs(void)
{
	static const char *const urls[] = {
		"channel_id=ab&x=1", NULL, "x=2", "channel_id=x", "channel_id=", "channel_id=cd",
	};
	sl_rexpr *cond, *exprs[3];
	sl_error *err = NULL;
	sl_rexpr_prog *one, *fprog, *pprogs[3];
	sl_chunk *in1, *in2, *out1, *out2;
	sl_strbuf a = SL_STRBUF_INIT, b = SL_STRBUF_INIT;
	int64_t n;
	build(&cond, exprs);
	one = sl_rexpr_calc_new(cond, exprs, 3, &err);
	fprog = sl_rexpr_prog_new(cond, &err);
	for (int i = 0; i < 3; i++)
		pprogs[i] = sl_rexpr_prog_new(exprs[i], &err);
	SL_CHECK(one && fprog && pprogs[0] && pprogs[1] && pprogs[2]);
	if (!one || !fprog)
		return;
	/* the shared REGEXP_EXTRACT/UPPER compile once: smaller than the four */
	{
		size_t sep = sl_rexpr_prog_memory(fprog);
		for (int i = 0; i < 3; i++)
			sep += sl_rexpr_prog_memory(pprogs[i]);
		printf("# one program %zu bytes, separate programs %zu bytes\n",
		       sl_rexpr_prog_memory(one), sep);
		SL_CHECK(sl_rexpr_prog_memory(one) * 3 < sep * 2);
	}
	in1 = make_chunk(urls, 6, 0);
	in2 = make_chunk(urls, 6, 0);
	out1 = sl_chunk_new(otypes(exprs), 3, 0);
	out2 = sl_chunk_new(otypes(exprs), 3, 0);
	n = sl_rexpr_calc_run(one, in1, out1, &err);
	SL_CHECK_INT(n, 3);
	SL_CHECK_INT(sl_rexpr_filter(fprog, in2, &err), 3);
	SL_CHECK(sl_rexpr_project(pprogs, 3, in2, out2, &err));
	format_out(out1, &a);
	format_out(out2, &b);
	SL_CHECK_STR(sl_strbuf_str(&a), sl_strbuf_str(&b));
	SL_CHECK_STR(sl_strbuf_str(&a), "[AB, 1, AB!][, 5, !][CD, 6, CD!]");
	/* later chunks through the same program leave out1's strings intact */
	for (int k = 0; k < 50; k++) {
		static const char *const other[] = {"channel_id=zzzzzzzzzzzzzzzz", "channel_id=yy"};
		sl_chunk *in = make_chunk(other, 2, 100);
		sl_chunk *out = sl_chunk_new(otypes(exprs), 3, 0);
		SL_CHECK_INT(sl_rexpr_calc_run(one, in, out, &err), 2);
		sl_chunk_unref(out);
		sl_chunk_unref(in);
	}
	sl_strbuf_reset(&a);
	format_out(out1, &a);
	SL_CHECK_STR(sl_strbuf_str(&a), "[AB, 1, AB!][, 5, !][CD, 6, CD!]");
	/* nothing passes: 0 rows and the output untouched */
	{
		static const char *const none[] = {"channel_id=x", NULL};
		sl_chunk *in = make_chunk(none, 2, 0);
		sl_chunk *out = sl_chunk_new(otypes(exprs), 3, 0);
		SL_CHECK_INT(sl_rexpr_calc_run(one, in, out, &err), 0);
		SL_CHECK_INT(out->count, 0);
		sl_chunk_unref(out);
		sl_chunk_unref(in);
	}
	sl_strbuf_free(&a);
	sl_strbuf_free(&b);
	sl_chunk_unref(out1);
	sl_chunk_unref(out2);
	sl_chunk_unref(in1);
	sl_chunk_unref(in2);
	sl_rexpr_prog_free(one);
	sl_rexpr_prog_free(fprog);
	for (int i = 0; i < 3; i++)
		sl_rexpr_prog_free(pprogs[i]);
}

static void
test_no_filter(void)
{
	static const char *const urls[] = {"channel_id=q", NULL};
	sl_rexpr *cond, *exprs[3];
	sl_error *err = NULL;
	sl_rexpr_prog *one;
	sl_chunk *in, *out;
	sl_strbuf a = SL_STRBUF_INIT;
	build(&cond, exprs);
	one = sl_rexpr_calc_new(NULL, exprs, 3, &err);
	SL_CHECK(one != NULL);
	if (!one)
		return;
	in = make_chunk(urls, 2, 7);
	out = sl_chunk_new(otypes(exprs), 3, 0);
	SL_CHECK_INT(sl_rexpr_calc_run(one, in, out, &err), 2);
	format_out(out, &a);
	SL_CHECK_STR(sl_strbuf_str(&a), "[Q, 8, Q!][null, 9, null]");
	sl_strbuf_free(&a);
	sl_chunk_unref(out);
	sl_chunk_unref(in);
	sl_rexpr_prog_free(one);
}

int
main(int argc, char **argv)
{
	A = sl_arena_new(NULL, "test");
	tcols[0] = sl_rt_type(SL_TYPE_VARCHAR);
	tcols[1] = sl_rt_type(SL_TYPE_INT);
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_equal_to_separate_programs);
	SL_RUN(test_no_filter);
	sl_arena_free(A);
	return SL_TEST_MAIN_END();
}
