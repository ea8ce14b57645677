/*
 * 0400-expr-util.h
 *	  Helpers shared by the expression tests (0402, 0403, 0710, 1060):
 *	  the arena A their expressions live in, call(name, n, args...),
 *	  a built-in (or registered) function applied to n expressions, which
 *	  stops the test when the call does not bind, and format_live(), a
 *	  result's values at a chunk's live rows.
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

#endif
