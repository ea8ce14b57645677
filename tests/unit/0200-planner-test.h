/*
 * 0200-planner-test.h
 *	  Helpers for the planner's unit tests (0201-0204): run a script
 *	  through the planner statement by statement.
 */
#ifndef SL_PLANNER_TEST_H
#define SL_PLANNER_TEST_H

#include "planner/planner.h"
#include "tests/unit/test.h"

#include <stdlib.h>
#include <string.h>

/* The Nexmark source table and the bid/auction/person views. */
static const char *nexmark_ddl =
	"CREATE TABLE nexmark (event_type INT,"
	" person ROW<id BIGINT, name VARCHAR, emailAddress VARCHAR, creditCard VARCHAR, city VARCHAR,"
	"  state VARCHAR, dateTime TIMESTAMP(3), extra VARCHAR>,"
	" auction ROW<id BIGINT, itemName VARCHAR, description VARCHAR, initialBid BIGINT, reserve BIGINT,"
	"  dateTime TIMESTAMP(3), expires TIMESTAMP(3), seller BIGINT, category BIGINT, extra VARCHAR>,"
	" bid ROW<auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,"
	"  dateTime TIMESTAMP(3), extra VARCHAR>,"
	" dateTime AS CASE WHEN event_type = 0 THEN person.dateTime WHEN event_type = 1 THEN auction.dateTime"
	"  ELSE bid.dateTime END,"
	" WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND) WITH ('connector' = 'nexmark');\n"
	"CREATE VIEW person AS SELECT person.id, person.name, person.emailAddress, person.creditCard,"
	" person.city, person.state, dateTime, person.extra FROM nexmark WHERE event_type = 0;\n"
	"CREATE VIEW auction AS SELECT auction.id, auction.itemName, auction.description, auction.initialBid,"
	" auction.reserve, dateTime, auction.expires, auction.seller, auction.category, auction.extra"
	" FROM nexmark WHERE event_type = 1;\n"
	"CREATE VIEW bid AS SELECT bid.auction, bid.bidder, bid.price, bid.channel, bid.url, dateTime,"
	" bid.extra FROM nexmark WHERE event_type = 2;\n";

typedef struct pt_run {
	sl_catalog *cat;
	sl_arena *arena;
	sl_stmt_result last;     /* result of the last statement */
	int nerrors;
	char *src;
} pt_run;

/* Run every statement of sql (after the Nexmark DDL when nexmark);
 * the last statement's result is kept in r->last. */
static inline void
pt_exec(pt_run *r, const char *sql, bool nexmark, int parallelism)
{
	sl_strbuf sb = SL_STRBUF_INIT;
	sl_stmt_text *st = NULL;
	size_t n;
	sl_plan_options po = {.parallelism = parallelism};
	memset(r, 0, sizeof *r);
	r->cat = sl_catalog_new();
	r->arena = sl_arena_new(NULL, "test");
	if (nexmark)
		sl_strbuf_append(&sb, nexmark_ddl);
	sl_strbuf_append(&sb, sql);
	r->src = sl_strbuf_take(&sb);
	n = sl_plan_split_script(r->src, strlen(r->src), &st);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && r->last.kind == SL_RESULT_ERROR)
			sl_error_free(r->last.error);
		sl_plan_statement(r->cat, r->src, strlen(r->src), st[i], &po, r->arena, &r->last);
		if (r->last.kind == SL_RESULT_ERROR)
			r->nerrors++;
	}
	free(st);
}

static inline void
pt_free(pt_run *r)
{
	if (r->last.kind == SL_RESULT_ERROR)
		sl_error_free(r->last.error);
	sl_arena_free(r->arena);
	sl_catalog_free(r->cat);
	free(r->src);
}

/* The error message of the last statement ("" if none). */
static inline const char *
pt_error(const pt_run *r)
{
	return r->last.kind == SL_RESULT_ERROR ? r->last.error->message : "";
}

/* EXPLAIN text of the last statement's plan (malloc'ed). */
static inline char *
pt_explain(const pt_run *r)
{
	sl_strbuf sb = SL_STRBUF_INIT;
	if (r->last.plan)
		sl_plan_explain(r->last.plan, &sb);
	return sl_strbuf_take(&sb);
}

#endif
