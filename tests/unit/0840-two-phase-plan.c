/*
 * 0840-two-phase-plan.c
 *	  Two-phase (local/global) aggregation in the physical plan
 *	  (planner/physical.c): when 'table.optimizer.agg-phase-strategy' and
 *	  mini-batch give Local*Aggregate -> Exchange -> Global*Aggregate, the
 *	  shape of that pair, and every case that must keep one phase.
 */
#include "tests/unit/0200-planner-test.h"

static const sl_rel *
find_op(const sl_plan *p, int tag)
{
	for (int i = 0; p && i < p->nops; i++)
		if (p->ops[i]->tag == tag)
			return p->ops[i];
	return NULL;
}

/* Does the plan of sql (with set prepended) contain an operator tagged tag? */
static bool
has_op(const char *set, const char *sql, int tag)
{
	pt_run r;
	sl_strbuf sb = SL_STRBUF_INIT;
	bool found;
	sl_strbuf_append(&sb, set);
	sl_strbuf_append(&sb, sql);
	pt_exec(&r, sl_strbuf_str(&sb), true, 2);
	SL_CHECK_STR(pt_error(&r), "");
	found = find_op(r.last.plan, tag) != NULL;
	pt_free(&r);
	sl_strbuf_free(&sb);
	return found;
}

#define TWO "SET 'table.optimizer.agg-phase-strategy' = 'TWO_PHASE';"
#define ONE "SET 'table.optimizer.agg-phase-strategy' = 'ONE_PHASE';"
#define MB "SET 'table.exec.mini-batch.enabled' = 'true';"

static const char *group_q =
	"SELECT auction, COUNT(*), SUM(price), MIN(price), MAX(price), AVG(price),"
	" COUNT(*) FILTER (WHERE price > 10) FROM bid GROUP BY auction;";
static const char *window_q =
	"SELECT auction, window_start, COUNT(*), MAX(price) FROM TABLE(HOP(TABLE bid,"
	" DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND))"
	" GROUP BY auction, window_start, window_end;";

/* The pair's shape: Local chained to its input, keys + $acc (BYTES), a
 * hash exchange on the Local's key columns, the Global over it with the
 * aggregates still referring to the Local's input (agg_input). */
static void
test_group_shape(void)
{
	pt_run r;
	const sl_rel *g, *x, *l;
	pt_exec(&r, TWO "SELECT auction, COUNT(*), SUM(price) FROM bid GROUP BY auction;", true, 2);
	SL_CHECK_STR(pt_error(&r), "");
	g = find_op(r.last.plan, T_PGlobalGroupAggregate);
	SL_CHECK(g != NULL);
	SL_CHECK(find_op(r.last.plan, T_PGroupAggregate) == NULL);
	if (g) {
		x = g->inputs[0];
		SL_CHECK_INT(x->tag, T_PExchange);
		SL_CHECK_INT(x->dist, SL_DIST_HASH);
		SL_CHECK_INT(x->nkeys, 1);
		SL_CHECK_INT(x->keys[0], 0);
		l = x->inputs[0];
		SL_CHECK_INT(l->tag, T_PLocalGroupAggregate);
		SL_CHECK(l->chain);
		SL_CHECK_INT(l->nfields, 2);
		SL_CHECK_STR(l->fields[0].name, "auction");
		SL_CHECK_STR(l->fields[1].name, "$acc");
		SL_CHECK_INT(l->fields[1].type->kind, SL_TYPE_BYTES);
		SL_CHECK(g->agg_input == l->inputs[0]);
		SL_CHECK_INT(g->nkeys, 1);
		SL_CHECK_INT(g->keys[0], 0);
		SL_CHECK_INT(g->naggs, 2);
		SL_CHECK_INT(g->parallelism, 2);
		SL_CHECK_INT(g->changelog.kinds, SL_CL_I | SL_CL_UB | SL_CL_UA);
		SL_CHECK_INT(l->changelog.kinds, SL_CL_I);
		SL_CHECK(!l->minibatch);
	}
	pt_free(&r);
	/* keyless: the Global runs alone behind a single exchange */
	pt_exec(&r, TWO "SELECT COUNT(*), MAX(price) FROM bid;", true, 2);
	g = find_op(r.last.plan, T_PGlobalGroupAggregate);
	SL_CHECK(g != NULL);
	if (g) {
		SL_CHECK_INT(g->parallelism, 1);
		SL_CHECK_INT(g->inputs[0]->dist, SL_DIST_SINGLE);
		SL_CHECK_INT(g->inputs[0]->inputs[0]->parallelism, 2);
	}
	pt_free(&r);
}

static void
test_window_shape(void)
{
	pt_run r;
	const sl_rel *g, *l;
	pt_exec(&r, window_q, true, 2);
	g = find_op(r.last.plan, T_PGlobalWindowAggregate);
	l = find_op(r.last.plan, T_PLocalWindowAggregate);
	SL_CHECK(g != NULL && l != NULL);
	if (g && l) {
		SL_CHECK_INT(l->nfields, 3);
		SL_CHECK_STR(l->fields[1].name, "$slice_end");
		SL_CHECK_INT(l->rowtime_col, -1);
		SL_CHECK_INT(g->win_end_col, 1);
		SL_CHECK_INT(g->win_start_col, -1);
		SL_CHECK_INT(g->nwprops, 3);
		SL_CHECK(g->inputs[0]->inputs[0] == l);
		SL_CHECK_INT(g->window.kind, SL_WIN_HOP);
	}
	pt_free(&r);
}

static void
test_strategies(void)
{
	/* AUTO: windows two-phase, GROUP BY only with mini-batch */
	SL_CHECK(has_op("", window_q, T_PLocalWindowAggregate));
	SL_CHECK(!has_op("", group_q, T_PLocalGroupAggregate));
	SL_CHECK(has_op(MB, group_q, T_PLocalGroupAggregate));
	/* ONE_PHASE wins over mini-batch and windows */
	SL_CHECK(!has_op(ONE MB, group_q, T_PLocalGroupAggregate));
	SL_CHECK(!has_op(ONE, window_q, T_PLocalWindowAggregate));
	SL_CHECK(has_op(ONE, window_q, T_PWindowAggregate));
	/* TWO_PHASE without mini-batch */
	SL_CHECK(has_op(TWO, group_q, T_PLocalGroupAggregate));
	/* the plan does not depend on the parallelism (savepoints rescale) */
	{
		pt_run r;
		pt_exec(&r, window_q, true, 1);
		SL_CHECK(find_op(r.last.plan, T_PLocalWindowAggregate) != NULL);
		pt_free(&r);
	}
	/* mini-batch bounds reach the Local */
	{
		pt_run r;
		const sl_rel *l;
		pt_exec(&r, MB "SET 'table.exec.mini-batch.size' = '500';"
		            "SET 'table.exec.mini-batch.allow-latency' = '2 s';"
		            "SELECT auction, COUNT(*) FROM bid GROUP BY auction;", true, 2);
		l = find_op(r.last.plan, T_PLocalGroupAggregate);
		SL_CHECK(l != NULL);
		if (l) {
			SL_CHECK(l->minibatch);
			SL_CHECK_INT(l->minibatch_size, 500);
			SL_CHECK_INT(l->minibatch_latency_ms, 2000);
		}
		pt_free(&r);
	}
}

/* Aggregates that cannot merge partial accumulators keep one phase even
 * under TWO_PHASE, as do SESSION windows. */
static void
test_fallbacks(void)
{
	SL_CHECK(!has_op(TWO, "SELECT auction, COUNT(DISTINCT bidder) FROM bid GROUP BY auction;",
	                 T_PLocalGroupAggregate));
	SL_CHECK(has_op(TWO, "SELECT auction, COUNT(DISTINCT bidder) FROM bid GROUP BY auction;",
	                T_PGroupAggregate));
	SL_CHECK(!has_op(TWO, "SELECT auction, MAX(channel) FROM bid GROUP BY auction;",
	                 T_PLocalGroupAggregate));
	/* MIN/MAX over an updating input keep a multiset: the outer aggregate
	 * keeps one phase (the inner one is two-phase) */
	SL_CHECK(has_op(TWO, "SELECT c, MAX(a) FROM (SELECT auction AS a, COUNT(*) AS c FROM bid"
	                     " GROUP BY auction) GROUP BY c;", T_PGroupAggregate));
	/* ... while COUNT/SUM over it merge (retractions inside partials) */
	SL_CHECK(!has_op(TWO, "SELECT c, COUNT(*), SUM(a) FROM (SELECT auction AS a, COUNT(*) AS c FROM bid"
	                      " GROUP BY auction) GROUP BY c;", T_PGroupAggregate));
	SL_CHECK(!has_op(TWO, "SELECT bidder, COUNT(*) FROM bid GROUP BY bidder,"
	                      " SESSION(dateTime, INTERVAL '10' SECOND);", T_PLocalWindowAggregate));
	SL_CHECK(!has_op(TWO, "SELECT window_start, COUNT(DISTINCT bidder) FROM TABLE(TUMBLE(TABLE bid,"
	                      " DESCRIPTOR(dateTime), INTERVAL '10' SECOND)) GROUP BY window_start, window_end;",
	                 T_PLocalWindowAggregate));
}

int
main(void)
{
	SL_RUN(test_group_shape);
	SL_RUN(test_window_shape);
	SL_RUN(test_strategies);
	SL_RUN(test_fallbacks);
	return SL_TEST_MAIN_END();
}
