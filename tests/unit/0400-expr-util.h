/*
 * 0400-expr-util.h
 *	  Helpers shared by the expression tests (0402, 0403, 0710, 1060):
 *	  the arena A their expressions live in, call(name, n, args...),
 *	  a built-in (or registered) function applied to n expressions, which
 *	  stops the test when the call does not bind, format_live(), a
 *	  result's values at a chunk's live rows, and eval_text(), a program's
 *	  result over a chunk as that text or its error.
 */
#ifndef SL_TEST_EXPR_UTIL_H
#define SL_TEST_EXPR_UTIL_H

#include "runtime/expr.h"
#include "runtime/runtime_int.h"
#include "tests/unit/test.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static sl_arena *A;

static sl_rexpr *
call(const char *name, int n, ...)
{
	sl_rexpr *args[8];
	va_list ap;
	sl_error *err = NULL;
	sl_rexpr *e;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		args[i] = va_arg(ap, sl_rexpr *);
	va_end(ap);
	e = sl_rexpr_call_named(A, name, args, n, &err);
	if (!e) {
		printf("# call %s: %s\n", name, err->message);
		sl_error_free(err);
		abort();
	}
	return e;
}

/* v's values at c's live rows, joined by ", ", appended to sb. */
static inline void
format_live(const sl_vector *v, const sl_chunk *c, sl_strbuf *sb)
{
	for (uint32_t i = 0; i < sl_chunk_live(c); i++) {
		if (i)
			sl_strbuf_append(sb, ", ");
		sl_value_format(v, c->sel ? c->sel[i] : i, sb);
	}
}

/* Evaluate prog over c `times` times (a second run reuses what the first
 * computed) and write the last result's values at c's live rows to buf,
 * or "ERROR <code>: <message>" (with " / <detail>" when detail is set). */
static inline const char *
eval_text(sl_rexpr_prog *prog, sl_chunk *c, int times, bool detail, char *buf, size_t size)
{
	sl_error *err = NULL;
	const sl_vector *v = NULL;
	for (int i = 0; i < times && (i == 0 || v); i++)
		v = sl_rexpr_eval(prog, c, NULL, &err);
	if (!v) {
		snprintf(buf, size, "ERROR %s: %s%s%s", sl_errcode_name(err->code), err->message,
		         detail && err->detail ? " / " : "", detail && err->detail ? err->detail : "");
		sl_error_free(err);
	} else {
		sl_strbuf sb = SL_STRBUF_INIT;
		format_live(v, c, &sb);
		snprintf(buf, size, "%s", sl_strbuf_str(&sb));
		sl_strbuf_free(&sb);
	}
	return buf;
}

#endif
