/*
 * 0202-planner-types.c
 *	  Type inference: DECIMAL arithmetic, aggregate result types, CASE,
 *	  literals, time attributes through projections, joins and aggregates.
 */
#include "tests/unit/0200-planner-test.h"

/* The type of column col of the (first) sink's input, as a string. */
static char *
col_type(const char *sql, int col)
{
	pt_run r;
	sl_strbuf sb = SL_STRBUF_INIT;
	pt_exec(&r, sql, true, 1);
	if (r.last.plan) {
		const sl_rel *in = r.last.plan->roots[0]->inputs[0];
		if (col < in->nfields)
			sl_type_to_string(in->fields[col].type, &sb);
	} else {
		sl_strbuf_appendf(&sb, "error: %s", pt_error(&r));
	}
	pt_free(&r);
	return sl_strbuf_take(&sb);
}

#define CHECK_TYPE(sql, col, want)                                             \
	do {                                                                       \
		char *t_ = col_type(sql, col);                                         \
		SL_CHECK_STR(t_, want);                                                \
		free(t_);                                                              \
	} while (0)

static void
test_decimal(void)
{
	CHECK_TYPE("SELECT 0.908 * price FROM bid;", 0, "DECIMAL(23, 3)");
	CHECK_TYPE("SELECT price + 1 FROM bid;", 0, "BIGINT");
	CHECK_TYPE("SELECT 1.5 FROM bid;", 0, "DECIMAL(2, 1) NOT NULL");
}

static void
test_aggregates(void)
{
	CHECK_TYPE("SELECT COUNT(*) FROM bid;", 0, "BIGINT NOT NULL");
	CHECK_TYPE("SELECT AVG(price) FROM bid;", 0, "BIGINT");
	CHECK_TYPE("SELECT SUM(0.5 * price) FROM bid;", 0, "DECIMAL(38, 1)");
	CHECK_TYPE("SELECT MAX(channel) FROM bid;", 0, "STRING");
}

static void
test_time_attributes(void)
{
	CHECK_TYPE("SELECT dateTime FROM bid;", 0, "TIMESTAMP(3) *ROWTIME*");
	/* a regular join materializes the rowtime */
	CHECK_TYPE("SELECT B.dateTime FROM bid B JOIN auction A ON B.auction = A.id;", 0, "TIMESTAMP(3)");
	/* window_time of a window aggregate is a rowtime again */
	CHECK_TYPE("SELECT window_time, COUNT(*) FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '1' SECOND))"
	           " GROUP BY window_start, window_end, window_time;", 0, "TIMESTAMP(3) NOT NULL");
	CHECK_TYPE("SELECT PROCTIME() FROM bid;", 0, "TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*");
}

static void
test_errors(void)
{
	CHECK_TYPE("SELECT 'abc' + 1 FROM bid;", 0,
	           "error: operator \"+\" cannot be applied to CHAR(3) NOT NULL and INT NOT NULL");
	CHECK_TYPE("SELECT SUM(channel) FROM bid;", 0, "error: function \"SUM\" requires a numeric argument, not STRING");
	CHECK_TYPE("SELECT price FROM bid WHERE dateTime = TRUE;", 0,
	           "error: cannot compare TIMESTAMP(3) *ROWTIME* with BOOLEAN NOT NULL");
}

/* comparisons, IS [NOT] DISTINCT FROM, IN and || are typed by the
 * built-in registry (udf/builtins.def), as the runtime computes them */
static void
test_operators(void)
{
	CHECK_TYPE("SELECT price = 1.5 FROM bid;", 0, "BOOLEAN");
	CHECK_TYPE("SELECT 'a' = 'abc' FROM bid;", 0, "BOOLEAN NOT NULL");
	CHECK_TYPE("SELECT price IS DISTINCT FROM 1 FROM bid;", 0, "BOOLEAN NOT NULL");
	CHECK_TYPE("SELECT 'a' || 'b' FROM bid;", 0, "STRING NOT NULL");
	CHECK_TYPE("SELECT channel || 'b' FROM bid;", 0, "STRING");
	CHECK_TYPE("SELECT 'a' || 1 FROM bid;", 0,
	           "error: operator \"||\" cannot be applied to CHAR(1) NOT NULL and INT NOT NULL");
	CHECK_TYPE("SELECT price IN (1, 'a') FROM bid;", 0,
	           "error: IN list value of type CHAR(1) NOT NULL cannot be compared with BIGINT");
	CHECK_TYPE("SELECT TRUE < 1 FROM bid;", 0,
	           "error: cannot compare BOOLEAN NOT NULL with INT NOT NULL");
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_decimal);
	SL_RUN(test_aggregates);
	SL_RUN(test_time_attributes);
	SL_RUN(test_errors);
	SL_RUN(test_operators);
	return SL_TEST_MAIN_END();
}
