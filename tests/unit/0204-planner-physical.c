/*
 * 0204-planner-physical.c
 *	  Physical planning: determinism (plan twice, same EXPLAIN), exchanges
 *	  and parallelism, projection pruning down to nested fields.
 */
#include "tests/unit/0200-planner-test.h"

static const char *queries[] = {
	"SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0;",
	"SELECT Q.category, AVG(Q.final) FROM (SELECT MAX(B.price) AS final, A.category FROM auction A, bid B"
	" WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires GROUP BY A.id, A.category) Q"
	" GROUP BY Q.category;",
	"SELECT auction, COUNT(*) FROM TABLE(HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND,"
	" INTERVAL '10' SECOND)) GROUP BY auction, window_start, window_end;",
	"SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rn FROM bid)"
	" WHERE rn <= 10;",
};

static void
test_deterministic(void)
{
	for (size_t i = 0; i < SL_ARRAY_LEN(queries); i++) {
		pt_run a, b;
		char *x, *y;
		pt_exec(&a, queries[i], true, 4);
		pt_exec(&b, queries[i], true, 4);
		x = pt_explain(&a);
		y = pt_explain(&b);
		SL_CHECK(x[0] != '\0');
		SL_CHECK_STR(x, y);
		free(x);
		free(y);
		pt_free(&a);
		pt_free(&b);
	}
}

static const sl_rel *
find_op(const sl_plan *p, int tag)
{
	for (int i = 0; p && i < p->nops; i++)
		if (p->ops[i]->tag == tag)
			return p->ops[i];
	return NULL;
}

static void
test_exchanges_and_parallelism(void)
{
	pt_run r;
	const sl_rel *op;
	pt_exec(&r, "SELECT auction, COUNT(*) FROM bid GROUP BY auction;", true, 4);
	op = find_op(r.last.plan, T_PGroupAggregate);
	SL_CHECK(op != NULL);
	if (op) {
		SL_CHECK_INT(op->parallelism, 4);
		SL_CHECK_INT(op->inputs[0]->tag, T_PExchange);
		SL_CHECK_INT(op->inputs[0]->dist, SL_DIST_HASH);
	}
	pt_free(&r);
	/* no keys: a single task */
	pt_exec(&r, "SELECT COUNT(*) FROM bid;", true, 4);
	op = find_op(r.last.plan, T_PGroupAggregate);
	SL_CHECK(op != NULL);
	if (op) {
		SL_CHECK_INT(op->parallelism, 1);
		SL_CHECK_INT(op->inputs[0]->dist, SL_DIST_SINGLE);
	}
	pt_free(&r);
	/* parallelism from SET */
	pt_exec(&r, "SET 'parallelism.default' = '3'; SELECT auction FROM bid;", true, 0);
	op = find_op(r.last.plan, T_PTableSourceScan);
	SL_CHECK(op != NULL);
	if (op)
		SL_CHECK_INT(op->parallelism, 3);
	pt_free(&r);
}

static void
test_projection_pruning(void)
{
	pt_run r;
	const sl_rel *scan;
	pt_exec(&r, "SELECT auction, price FROM bid;", true, 1);
	scan = find_op(r.last.plan, T_PTableSourceScan);
	SL_CHECK(scan != NULL);
	if (scan) {
		/* event_type, the three dateTime fields, bid.auction and bid.price */
		bool has_person_name = false, has_bid_price = false;
		for (int i = 0; i < scan->nfields; i++) {
			if (strcmp(scan->fields[i].name, "person.name") == 0)
				has_person_name = true;
			if (strcmp(scan->fields[i].name, "bid.price") == 0)
				has_bid_price = true;
		}
		SL_CHECK(!has_person_name);
		SL_CHECK(has_bid_price);
		SL_CHECK_INT(scan->nfields, 6);
	}
	pt_free(&r);
}

static void
test_json(void)
{
	pt_run r;
	sl_strbuf sb = SL_STRBUF_INIT;
	pt_exec(&r, "SELECT auction FROM bid;", true, 1);
	if (r.last.plan)
		sl_plan_explain_json(r.last.plan, &sb);
	SL_CHECK(strstr(sl_strbuf_str(&sb), "\"operator\": \"TableSourceScan\"") != NULL);
	SL_CHECK(strstr(sl_strbuf_str(&sb), "\"sinks\": [") != NULL);
	sl_strbuf_free(&sb);
	pt_free(&r);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_deterministic);
	SL_RUN(test_exchanges_and_parallelism);
	SL_RUN(test_projection_pruning);
	SL_RUN(test_json);
	return SL_TEST_MAIN_END();
}
