/*
 * test.h
 *	  The unit-test harness: TAP-style output that tests/runner.sh counts.
 *
 *	  A test file defines static void test_xxx(void) functions and a main()
 *	  that calls SL_RUN(test_xxx) for each. Inside, SL_CHECK(cond) and the
 *	  typed SL_CHECK_* macros record failures without stopping the test;
 *	  each SL_RUN prints "ok - name" or "not ok - name" with the failed
 *	  checks. SL_TEST_MAIN_END returns the exit status (1 if any failed).
 *	  Run one test binary alone to see its output; pass a test name as
 *	  argv[1] to run just that test.
 */
#ifndef SL_TEST_H
#define SL_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int sl_test_failed_checks;  /* failed checks in the running test */
static int sl_test_failed_tests;   /* failed tests so far */
static int sl_test_ran;            /* tests run so far */
static const char *sl_test_only;   /* argv[1]: run only this test */

#define SL_CHECK(cond)                                                         \
	do {                                                                       \
		if (!(cond)) {                                                         \
			sl_test_failed_checks++;                                           \
			printf("#   check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
		}                                                                      \
	} while (0)

#define SL_CHECK_INT(a, b)                                                     \
	do {                                                                       \
		long long sl_a_ = (long long)(a), sl_b_ = (long long)(b);              \
		if (sl_a_ != sl_b_) {                                                  \
			sl_test_failed_checks++;                                           \
			printf("#   check failed: %s == %s: %lld != %lld (%s:%d)\n", #a, #b, \
			       sl_a_, sl_b_, __FILE__, __LINE__);                          \
		}                                                                      \
	} while (0)

#define SL_CHECK_STR(a, b)                                                     \
	do {                                                                       \
		const char *sl_a_ = (a), *sl_b_ = (b);                                 \
		if (!sl_a_ || !sl_b_ || strcmp(sl_a_, sl_b_) != 0) {                   \
			sl_test_failed_checks++;                                           \
			printf("#   check failed: %s == %s (%s:%d)\n#   got:      \"%s\"\n" \
			       "#   expected: \"%s\"\n", #a, #b, __FILE__, __LINE__,       \
			       sl_a_ ? sl_a_ : "(null)", sl_b_ ? sl_b_ : "(null)");       \
		}                                                                      \
	} while (0)

#define SL_RUN(fn)                                                             \
	do {                                                                       \
		if (sl_test_only && strcmp(sl_test_only, #fn) != 0)                    \
			break;                                                             \
		sl_test_failed_checks = 0;                                             \
		fflush(stdout);                                                        \
		fn();                                                                  \
		sl_test_ran++;                                                         \
		if (sl_test_failed_checks) {                                           \
			sl_test_failed_tests++;                                            \
			printf("not ok - %s\n", #fn);                                      \
		} else {                                                               \
			printf("ok - %s\n", #fn);                                          \
		}                                                                      \
		fflush(stdout);                                                        \
	} while (0)

#define SL_TEST_MAIN_BEGIN(argc, argv)                                         \
	setvbuf(stdout, NULL, _IOLBF, 0);                                          \
	sl_test_only = (argc) > 1 ? (argv)[1] : NULL

#define SL_TEST_MAIN_END()                                                     \
	(sl_test_ran == 0 ? (printf("not ok - no test ran\n"), 1)                  \
	                  : (sl_test_failed_tests ? 1 : 0))

#endif /* SL_TEST_H */
