/*
 * 0400-expr-util.h
 *	  Helpers shared by the expression tests (0402, 0403, 0710, 1060):
 *	  the arena A their expressions live in, and call(name, n, args...),
 *	  a built-in (or registered) function applied to n expressions, which
 *	  stops the test when the call does not bind.
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

#endif
