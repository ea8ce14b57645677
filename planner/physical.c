/*
 * physical.c
 *	  Logical plan -> physical operator DAG: picks each operator, inserts
 *	  exchanges (forward, hash on keys, broadcast, single), sets the
 *	  parallelism (a GROUP BY without keys, a global Top-N and a keyless
 *	  join run at 1), infers the changelog mode of every edge, checks that
 *	  every operator and sink accepts the changes it is given, marks
 *	  chaining and numbers the operators (sources first).
 *
 *	  Deterministic: the result depends only on the logical plan, the
 *	  parallelism, the TTL and the aggregation options (agg-phase strategy,
 *	  mini-batch).
 *
 * INTERFACE ROUTINES
 *	  sl_physical_build   build the DAG into *plan
 */
#include "planner/planner_int.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void sl_rel_describe(const sl_rel *r, sl_strbuf *out);

typedef struct phys_ctx {
	sl_arena *a;
	int parallelism;
	int64_t ttl_ms;
	sl_error *err;
	SL_VEC(sl_rel *) ops;
	sl_span span;           /* the statement's INSERT target / query, for errors */
	int agg_phase;          /* table.optimizer.agg-phase-strategy: 0 AUTO, 1 ONE_PHASE, 2 TWO_PHASE */
	bool minibatch;         /* table.exec.mini-batch.enabled */
	int64_t mb_latency_ms, mb_size;
	int64_t idle_ms;        /* table.exec.source.idle-timeout */
} phys_ctx;

static bool
updating(const sl_rel *r)
{
	return (r->changelog.kinds & (SL_CL_UB | SL_CL_UA | SL_CL_D)) != 0;
}

static sl_rel *
pnode(phys_ctx *px, const sl_rel *l, int tag)
{
	sl_rel *r = sl_rel_copy(px->a, l);
	r->tag = tag;
	r->parallelism = px->parallelism;
	r->changelog.kinds = SL_CL_I;
	return r;
}

static sl_rel *
exchange(phys_ctx *px, sl_rel *in, sl_dist_kind dist, int nkeys, const int *keys, int parallelism)
{
	sl_rel *x = sl_rel_new(px->a, T_PExchange, 1);
	x->inputs[0] = in;
	x->nfields = in->nfields;
	x->fields = in->fields;
	x->dist = dist;
	x->nkeys = nkeys;
	x->keys = keys;
	x->parallelism = parallelism;
	x->changelog = in->changelog;
	x->rowtime_col = in->rowtime_col;
	x->proctime_col = in->proctime_col;
	return x;
}

/* Input edge of a keyed operator: hash on keys, or single when keyless. */
static sl_rel *
keyed_input(phys_ctx *px, sl_rel *in, int nkeys, const int *keys, int *parallelism)
{
	if (nkeys == 0) {
		*parallelism = 1;
		return exchange(px, in, SL_DIST_SINGLE, 0, NULL, 1);
	}
	*parallelism = px->parallelism;
	return exchange(px, in, SL_DIST_HASH, nkeys, keys, px->parallelism);
}

/* The node that introduces the updates flowing out of r. */
static const sl_rel *
update_origin(const sl_rel *r)
{
	while ((r->tag == T_PCalc || r->tag == T_PExchange || r->tag == T_PWatermarkAssigner) &&
	       r->ninputs == 1 && updating(r->inputs[0]))
		r = r->inputs[0];
	return r;
}

static bool
need_append_only(phys_ctx *px, const sl_rel *op, const sl_rel *in, sl_span span)
{
	sl_strbuf sb = SL_STRBUF_INIT;
	if (!updating(in))
		return true;
	sl_rel_describe(update_origin(in), &sb);
	px->err = sl_error_new(SL_ERR_CHANGELOG_MODE, sl_span_valid(span) ? span : px->span,
	                       "%s doesn't support consuming update and delete changes which is produced by node %s",
	                       sl_rel_name(op->tag), sl_strbuf_str(&sb));
	sl_error_set_hint(px->err, "%s",
	                  "window aggregations, window Top-N, interval and window joins and deduplication need an "
	                  "append-only input; aggregate before the updating operator or use a regular GROUP BY");
	sl_strbuf_free(&sb);
	return false;
}

static bool
is_cdc_format(const char *f)
{
	return f && (strcmp(f, "debezium-json") == 0 || strcmp(f, "canal-json") == 0 ||
	             strcmp(f, "maxwell-json") == 0 || strcmp(f, "ogg-json") == 0);
}

static int *
int_copy(phys_ctx *px, const int *v, int n)
{
	int *c = SL_ANEWN(px->a, int, n + 1);
	if (n)
		memcpy(c, v, sizeof(int) * (size_t)n);
	return c;
}

/* Columns of the scan output holding the table's primary key (-1 when pruned). */
static int *
pk_cols(phys_ctx *px, const sl_rel *scan, int *n)
{
	const sl_table *t = scan->table;
	int *v = SL_ANEWN(px->a, int, t->npk + 1), k = 0;
	for (int i = 0; i < t->npk; i++)
		for (int j = 0; j < scan->nfields; j++)
			if (scan->scan_cols[j] == t->pk[i] && scan->scan_paths[j] < 0)
				v[k++] = j;
	*n = k;
	return v;
}

static sl_rel *translate(phys_ctx *px, const sl_rel *l);

/* Window join and window Top-N close a window on the watermark; over a
 * processing-time window (window_start column `col` of `in`) there is
 * none, so they are refused as Flink refuses them ("Processing time
 * Window Join/TopN is not supported yet"). */
static bool
refuse_proctime_window(phys_ctx *px, const sl_rel *l, const sl_rel *in, int col, const char *what)
{
	const sl_window *w = col >= 0 && col < in->nfields ? in->fields[col].window : NULL;
	if (!w || w->time_kind != SL_TIME_ATTR_PROCTIME)
		return false;
	px->err = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, l->span,
	                       "processing-time window %s is not supported yet", what);
	sl_error_set_hint(px->err, "%s", "window the input on an event-time attribute (WATERMARK FOR ...)");
	return true;
}

/* ---------------------------------------------------------------------
 * Two-phase (local/global) aggregation, as Flink's
 * TwoStageOptimizedAggregateRule / TwoStageOptimizedWindowAggregateRule.
 *
 *   Global*Aggregate(keys 0..k-1, aggregates over agg_input)
 *   +- Exchange(hash[keys])  (single when keyless)
 *      +- Local*Aggregate(keys, aggregates)  chained to its input
 *
 * The Local folds the rows of a chunk (a mini-batch; for windows: until
 * a buffered window closes) into one partial accumulator per key (and
 * window end) and emits rows (keys..., [$slice_end], $acc) where $acc is
 * the runtime's accumulator bytes (runtime/op.h, sl_agg_acc); it holds no
 * keyed state and flushes before every watermark, barrier and end of
 * input. The Global merges them into keyed state (sl_agg_merge).
 *
 * Used when every aggregate can merge partial accumulators (COUNT, SUM,
 * SUM0, AVG, numeric MIN/MAX over an append-only input, each with FILTER;
 * not DISTINCT, string MIN/MAX, MIN/MAX over updates, C aggregates:
 * those keep one phase, as Flink needs split-distinct for DISTINCT) and
 *   TWO_PHASE: always (windows: TUMBLE/HOP/CUMULATE on event time;
 *              SESSION keeps one phase);
 *   AUTO:      windows always; GROUP BY when 'table.exec.mini-batch.enabled'
 *              is on (as Flink: local-global for unbounded aggregates only
 *              with mini-batch). Not by parallelism: the plan must be the
 *              same at every parallelism, or a savepoint could not be
 *              restored at another one (state is matched by operator);
 *   ONE_PHASE: never.
 * ------------------------------------------------------------------- */
static bool
aggs_mergeable(const sl_rel *l, const sl_rel *in)
{
	for (int i = 0; i < l->naggs; i++) {
		const sl_aggcall *c = &l->aggs[i];
		if (c->distinct)
			return false;
		switch (c->kind) {
		case SL_AGG_COUNT_STAR:
		case SL_AGG_COUNT:
		case SL_AGG_SUM:
		case SL_AGG_SUM0:
		case SL_AGG_AVG:
			break;
		case SL_AGG_MIN:
		case SL_AGG_MAX:
			if (c->nargs < 1 || updating(in) || sl_type_is_string(in->fields[c->args[0]].type))
				return false;
			break;
		default:
			return false;
		}
	}
	return true;
}

static bool
use_two_phase(phys_ctx *px, const sl_rel *l, const sl_rel *in, bool window)
{
	if (px->agg_phase == 1 || !aggs_mergeable(l, in))
		return false;
	if (window && (l->window.kind == SL_WIN_SESSION || l->window.kind == SL_WIN_NONE ||
	               l->window.time_kind == SL_TIME_ATTR_PROCTIME || l->window.npart > 0))
		return false;
	return px->agg_phase == 2 || window || px->minibatch;
}

static int64_t
gcd64(int64_t a, int64_t b)
{
	while (b) {
		int64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* Slice-shared windows (Flink's SliceSharedWindowAggProcessor): a HOP or
 * CUMULATE window assigned from the time column is cut into slices of
 * gcd(size, slide); the Local folds each row into its one slice, the
 * Global keeps one accumulator per (key, slice) and merges a window's
 * slices when it fires (CUMULATE: into the period's first slice, one
 * merge per window). A HOP whose window spans more than 64 slices keeps
 * per-window accumulators (each firing would read that many slices).
 * Windows taken from window_start/_end columns stay per window. */
static int64_t
slice_of(const sl_rel *l)
{
	const sl_window *w = &l->window;
	int64_t g;
	if ((l->win_start_col >= 0 && !l->legacy_window) || w->time_kind == SL_TIME_ATTR_PROCTIME ||
	    (w->kind != SL_WIN_HOP && w->kind != SL_WIN_CUMULATE) || w->size_us <= 0 || w->slide_us <= 0)
		return 0;
	g = gcd64(w->size_us, w->slide_us);
	if (w->kind == SL_WIN_CUMULATE)
		return w->size_us % w->slide_us == 0 ? g : 0;
	return w->size_us / g <= 64 ? g : 0;
}

/* Local*Aggregate over in (chained) and Global*Aggregate over the keyed
 * exchange of its output; returns the global node. */
static sl_rel *
two_phase(phys_ctx *px, const sl_rel *l, sl_rel *in, bool window)
{
	int nk = l->nkeys, nf = nk + (window ? 1 : 0) + 1, p;
	sl_rel *loc = pnode(px, l, window ? T_PLocalWindowAggregate : T_PLocalGroupAggregate);
	sl_rel *glob = pnode(px, l, window ? T_PGlobalWindowAggregate : T_PGlobalGroupAggregate);
	int *gkeys = SL_ANEWN(px->a, int, nk + 1);
	loc->inputs[0] = in;
	loc->parallelism = in->parallelism;
	loc->chain = true;
	loc->nfields = nf;
	loc->fields = SL_ANEWN(px->a, sl_field, nf + 1);
	for (int i = 0; i < nk; i++) {
		loc->fields[i] = in->fields[l->keys[i]];
		loc->fields[i].type = sl_type_with_time_attr(px->a, loc->fields[i].type, SL_TIME_ATTR_NONE);
		loc->fields[i].wprop = 0;
		loc->fields[i].window = NULL;
		gkeys[i] = i;
	}
	if (window) {
		loc->fields[nk].name = "$slice_end";
		loc->fields[nk].type = sl_type_simple(SL_TYPE_BIGINT);
	}
	memset(loc->hint_ttl_ms, 0, sizeof loc->hint_ttl_ms);   /* no state */
	loc->fields[nf - 1].name = "$acc";
	loc->fields[nf - 1].type = sl_type_new_bytes(px->a, SL_VARCHAR_MAX);
	loc->rowtime_col = loc->proctime_col = -1;
	loc->nwprops = 0;
	loc->minibatch = !window && px->minibatch;
	loc->minibatch_latency_ms = px->mb_latency_ms;
	loc->minibatch_size = px->mb_size;
	glob->agg_input = in;
	glob->keys = gkeys;
	glob->inputs[0] = keyed_input(px, loc, nk, gkeys, &p);
	glob->parallelism = p;
	if (window) {
		glob->win_start_col = -1;
		glob->win_end_col = nk;
		loc->slice_us = glob->slice_us = slice_of(l);
	} else {
		glob->changelog.kinds = updating(in) ? SL_CL_I | SL_CL_UB | SL_CL_UA | SL_CL_D
		                                     : SL_CL_I | SL_CL_UB | SL_CL_UA;
		glob->state_ttl_ms = px->ttl_ms;
	}
	return glob;
}

static sl_rel *
translate_sink(phys_ctx *px, const sl_rel *l, sl_rel *in)
{
	sl_rel *r = pnode(px, l, T_PSink);
	const sl_table *t = l->sink;
	const char *conn = t ? t->connector : NULL;
	bool accepts_updates = true, upsert = false;
	r->inputs[0] = in;
	r->parallelism = in->parallelism;
	r->chain = true;
	if (t && !sl_connector_can_write(conn)) {
		px->err = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, l->span,
		                       "table \"%s\" cannot be written: connector \"%s\" is a source only", t->name, conn);
		return NULL;
	}
	if (t) {
		if (strcmp(conn, "upsert-kafka") == 0) {
			upsert = true;
		} else if (strcmp(conn, "postgres") == 0 || strcmp(conn, "jdbc") == 0) {
			upsert = t->npk > 0;
			accepts_updates = upsert;
		} else if (strcmp(conn, "kafka") == 0 || strcmp(conn, "filesystem") == 0) {
			accepts_updates = is_cdc_format(t->format);
		}
	}
	if (!accepts_updates && updating(in)) {
		sl_strbuf sb = SL_STRBUF_INIT;
		sl_rel_describe(update_origin(in), &sb);
		px->err = sl_error_new(SL_ERR_CHANGELOG_MODE, l->span,
		                       "table sink \"%s\" doesn't support consuming update changes which is produced by node %s",
		                       l->sink_name, sl_strbuf_str(&sb));
		sl_error_set_hint(px->err,
		                  "connector \"%s\" writes append-only data; write to an 'upsert-kafka' table with a "
		                  "PRIMARY KEY (or a 'postgres' table with a PRIMARY KEY) to keep an updating result",
		                  conn);
		sl_strbuf_free(&sb);
		return NULL;
	}
	if (upsert) {
		int *pk = SL_ANEWN(px->a, int, t->npk + 1), k = 0;
		/* sink columns are the table's writable columns in order */
		for (int i = 0; i < t->npk; i++) {
			int pos = 0;
			for (int c = 0; c < t->ncols; c++) {
				if (t->cols[c].kind == SL_TCOL_COMPUTED ||
				    (t->cols[c].kind == SL_TCOL_METADATA && t->cols[c].is_virtual))
					continue;
				if (c == t->pk[i])
					pk[k++] = pos;
				pos++;
			}
		}
		r->changelog.kinds = updating(in) ? (uint8_t)(SL_CL_I | SL_CL_UA | SL_CL_D) : SL_CL_I;
		r->changelog.nkey = k;
		r->changelog.key = pk;
		if (updating(in) && k > 0) {
			/* keep the rows of one key in order on one subtask */
			r->inputs[0] = exchange(px, in, SL_DIST_HASH, k, pk, px->parallelism);
			r->parallelism = px->parallelism;
			r->chain = false;
		}
	} else {
		r->changelog = in->changelog;
	}
	return r;
}

/* ---------------------------------------------------------------------
 * Watermark-derived join state retention.
 *
 * A regular inner join keeps every row of both inputs: a future row of the
 * other side might match it. But when the residual condition bounds a
 * column x.t of side s from below by a column y.c of the other side o
 * (x.t >= y.c + d, or >, after moving constants) and y.c is a window
 * property (window_start/_end/_time) of an event-time window aggregate
 * reached through plain column references (Calc, Exchange: they forward
 * watermarks unchanged), the window aggregate's contract bounds every
 * future y.c: it emits a window only while window_end - 1 > its watermark
 * W (a row of a window that fired is late and dropped there), so after
 * W reached the join's port o every future row has window_end > W,
 * window_time = window_end - 1 ms > W - 1 ms and, for TUMBLE/HOP/
 * CUMULATE, window_start >= window_end - size > W - size: y.c > W + k.
 * A row of s with x.t <= W + k + d (or NULL: the conjunct is never true)
 * then can never match again: the join need not store it, and drops it
 * when the watermark passes (op_join.c, "Watermark sweep"). Nothing that
 * could still join is dropped, so the results are exactly those of the
 * unbounded join; late rows of s that can still match are kept.
 *
 * Not derived when watermarks can lie: with an idle timeout (an idle
 * input that becomes active again may emit windows behind the watermark
 * its consumers saw), for SESSION windows' window_start (unbounded below)
 * and for processing-time windows (nothing is late). Only INNER joins:
 * an outer side's padded rows and SEMI/ANTI match counts need every row.
 * ------------------------------------------------------------------- */

/* true if a scan below r may mark its splits idle on a timeout */
static bool
may_idle(const phys_ctx *px, const sl_rel *r)
{
	if (r->tag == T_PTableSourceScan) {
		if (px->idle_ms > 0)
			return true;
		for (int i = 0; r->table && i < r->table->noptions; i++)
			if (strcmp(r->table->options[i].key, "scan.watermark.idle-timeout") == 0)
				return true;
		return false;
	}
	for (int i = 0; i < r->ninputs; i++)
		if (may_idle(px, r->inputs[i]))
			return true;
	return false;
}

/* Is column col of r a window property that every row r emits after
 * forwarding watermark W has above W + *k? */
static bool
wm_bounded_col(const phys_ctx *px, const sl_rel *r, int col, int64_t *k)
{
	for (;;) {
		if (col < 0 || col >= r->nfields)
			return false;
		if (r->tag == T_PExchange) {
			r = r->inputs[0];
		} else if (r->tag == T_PCalc) {
			if (col >= r->nexprs || r->exprs[col]->kind != SL_EX_COL)
				return false;
			col = r->exprs[col]->col;
			r = r->inputs[0];
		} else {
			break;
		}
	}
	if (r->tag != T_PWindowAggregate && r->tag != T_PGlobalWindowAggregate &&
	    r->tag != T_PGroupWindowAggregate)
		return false;
	int p = col - r->nkeys - r->naggs, prop;
	if (col < r->nkeys && r->fields[col].wprop > 0)
		prop = r->fields[col].wprop - 1;   /* a window property grouped by */
	else if (p >= 0 && p < r->nwprops)
		prop = r->wprops[p];
	else
		return false;
	if (r->window.kind == SL_WIN_NONE || r->window.time_kind == SL_TIME_ATTR_PROCTIME || may_idle(px, r))
		return false;
	switch (prop) {
	case SL_WPROP_END:
		*k = 0;
		return true;
	case SL_WPROP_TIME:
		*k = -1000;
		return true;
	case SL_WPROP_START:
		if (r->window.kind == SL_WIN_SESSION || r->window.size_us <= 0)
			return false;
		*k = -r->window.size_us;
		return true;
	}
	return false;
}

static bool
is_ts(const sl_type *t)
{
	return t->kind == SL_TYPE_TIMESTAMP || t->kind == SL_TYPE_TIMESTAMP_LTZ;
}

/* col [+/- interval literal] of a join row -> (col, offset) */
static bool
ts_term(const sl_expr *e, int *col, int64_t *off)
{
	if (e->kind == SL_EX_COL && is_ts(e->type)) {
		*col = e->col;
		*off = 0;
		return true;
	}
	if (e->kind == SL_EX_CALL && e->nargs == 2 && (strcmp(e->name, "+") == 0 || strcmp(e->name, "-") == 0) &&
	    e->args[0]->kind == SL_EX_COL && is_ts(e->args[0]->type) && e->args[1]->kind == SL_EX_LIT &&
	    e->args[1]->type->kind == SL_TYPE_INTERVAL_DT && !e->args[1]->lit.is_null) {
		*col = e->args[0]->col;
		*off = e->name[0] == '+' ? e->args[1]->lit.i : -e->args[1]->lit.i;
		return true;
	}
	return false;
}

/* One conjunct c of the residual of join r: a bound x.t >= y.c + d. */
static void
retention_from(const phys_ctx *px, sl_rel *r, const sl_expr *c)
{
	int nl = r->inputs[0]->nfields, ca, cb, x, y, sx, so;
	int64_t oa, ob, d, k;
	const char *op;
	if (c->kind == SL_EX_CALL && strcmp(c->name, "AND") == 0) {
		for (int i = 0; i < c->nargs; i++)
			retention_from(px, r, c->args[i]);
		return;
	}
	if (c->kind != SL_EX_CALL || c->nargs != 2)
		return;
	op = c->name;
	if (strcmp(op, "<") && strcmp(op, "<=") && strcmp(op, ">") && strcmp(op, ">="))
		return;
	if (!ts_term(c->args[0], &ca, &oa) || !ts_term(c->args[1], &cb, &ob))
		return;
	if ((ca < nl) == (cb < nl))
		return;
	/* a + oa OP b + ob: the greater side is bounded from below by the other */
	if (op[0] == '>') {
		x = ca; y = cb; d = ob - oa;      /* a >= b + (ob - oa) */
	} else {
		x = cb; y = ca; d = oa - ob;      /* b >= a + (oa - ob) */
	}
	sx = x < nl ? 0 : 1;
	so = 1 - sx;
	if (sx == 1)
		x -= nl;
	else
		y -= nl;
	if (!wm_bounded_col(px, r->inputs[so], y, &k))
		return;
	/* overflow-safe: a bound this far out is no bound */
	if ((d > 0 && k > INT64_MAX / 4 - d) || (d < 0 && k < INT64_MIN / 4 - d))
		return;
	/* several bounds on one column: the highest; on two columns: the first */
	if (r->retain[sx] && r->retain_col[sx] != x)
		return;
	if (!r->retain[sx] || k + d > r->retain_off_us[sx]) {
		r->retain[sx] = true;
		r->retain_col[sx] = x;
		r->retain_ocol[sx] = y;
		r->retain_off_us[sx] = k + d;
	}
}

static sl_rel *
translate(phys_ctx *px, const sl_rel *l)
{
	sl_rel *ins[2] = {NULL, NULL};
	sl_rel *r = NULL;
	int p;
	if (px->err)
		return NULL;
	for (int i = 0; i < l->ninputs && i < 2; i++)
		if (!(ins[i] = translate(px, l->inputs[i])))
			return NULL;
	switch (l->tag) {
	case T_LScan: {
		const char *conn = l->table->connector;
		if (!sl_connector_can_read(conn)) {
			px->err = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, l->span,
			                       "table \"%s\" cannot be read: connector \"%s\" is a sink only",
			                       l->table->name, conn);
			return NULL;
		}
		r = pnode(px, l, T_PTableSourceScan);
		if (strcmp(conn, "upsert-kafka") == 0 || is_cdc_format(l->table->format) ||
		    strcmp(conn, "postgres-cdc") == 0) {
			int npk;
			int *pk = pk_cols(px, r, &npk);
			if (strcmp(conn, "upsert-kafka") == 0) {
				sl_rel *x, *cn;
				r->changelog.kinds = SL_CL_UA | SL_CL_D;
				r->changelog.nkey = npk;
				r->changelog.key = pk;
				x = exchange(px, r, npk ? SL_DIST_HASH : SL_DIST_SINGLE, npk, pk, npk ? px->parallelism : 1);
				cn = pnode(px, r, T_PChangelogNormalize);
				cn->inputs = SL_ANEWN(px->a, sl_rel *, 1);
				cn->ninputs = 1;
				cn->inputs[0] = x;
				cn->nkeys = npk;
				cn->keys = pk;
				cn->table = NULL;
				cn->tag = T_PChangelogNormalize;
				cn->parallelism = x->parallelism;
				cn->changelog.kinds = SL_CL_I | SL_CL_UB | SL_CL_UA | SL_CL_D;
				cn->state_ttl_ms = px->ttl_ms;
				r = cn;
			} else {
				r->changelog.kinds = SL_CL_I | SL_CL_UB | SL_CL_UA | SL_CL_D;
			}
		}
		break;
	}
	case T_LValues:
		r = pnode(px, l, T_PValues);
		r->parallelism = 1;
		break;
	case T_LCalc:
	case T_LWatermarkAssigner:
		r = pnode(px, l, l->tag == T_LCalc ? T_PCalc : T_PWatermarkAssigner);
		r->inputs[0] = ins[0];
		r->parallelism = ins[0]->parallelism;
		r->changelog = ins[0]->changelog;
		r->changelog.nkey = 0;
		r->chain = true;
		break;
	case T_LAggregate:
		if (use_two_phase(px, l, ins[0], false)) {
			r = two_phase(px, l, ins[0], false);
			break;
		}
		r = pnode(px, l, T_PGroupAggregate);
		r->inputs[0] = keyed_input(px, ins[0], l->nkeys, l->keys, &p);
		r->parallelism = p;
		r->changelog.kinds = updating(ins[0]) ? SL_CL_I | SL_CL_UB | SL_CL_UA | SL_CL_D
		                                      : SL_CL_I | SL_CL_UB | SL_CL_UA;
		r->state_ttl_ms = px->ttl_ms;
		break;
	case T_LWindowAggregate: {
		r = pnode(px, l, l->legacy_window ? T_PGroupWindowAggregate : T_PWindowAggregate);
		if (!need_append_only(px, r, ins[0], l->span))
			return NULL;
		if (use_two_phase(px, l, ins[0], true)) {
			r = two_phase(px, l, ins[0], true);
			break;
		}
		r->inputs[0] = keyed_input(px, ins[0], l->nkeys, l->keys, &p);
		r->parallelism = p;
		break;
	}
	case T_LWindowTableFunction:
		r = pnode(px, l, T_PWindowTableFunction);
		if (!need_append_only(px, r, ins[0], l->span))
			return NULL;
		r->inputs[0] = ins[0];
		r->parallelism = ins[0]->parallelism;
		r->chain = true;
		break;
	case T_LJoin: {
		int impl = l->impl ? l->impl : T_PJoin;
		bool upd = updating(ins[0]) || updating(ins[1]);
		r = pnode(px, l, impl);
		if (impl == T_PWindowJoin && refuse_proctime_window(px, l, ins[0], l->win_start_col, "join"))
			return NULL;
		if (impl == T_PIntervalJoin || impl == T_PWindowJoin) {
			if (!need_append_only(px, r, ins[0], l->span) || !need_append_only(px, r, ins[1], l->span))
				return NULL;
		}
		if (impl == T_PLookupJoin) {
			r->inputs[0] = ins[0];
			r->inputs[1] = exchange(px, ins[1], SL_DIST_BROADCAST, 0, NULL, ins[0]->parallelism);
			r->parallelism = ins[0]->parallelism;
			r->changelog = ins[0]->changelog;
			r->chain = true;
			break;
		}
		if (l->nkeys == 0) {
			r->inputs[0] = exchange(px, ins[0], SL_DIST_SINGLE, 0, NULL, 1);
			r->inputs[1] = exchange(px, ins[1], SL_DIST_SINGLE, 0, NULL, 1);
			r->parallelism = 1;
		} else {
			r->inputs[0] = exchange(px, ins[0], SL_DIST_HASH, l->nkeys, l->keys, px->parallelism);
			r->inputs[1] = exchange(px, ins[1], SL_DIST_HASH, l->nrkeys, l->rkeys, px->parallelism);
			r->parallelism = px->parallelism;
		}
		if (impl == T_PJoin) {
			r->state_ttl_ms = px->ttl_ms;
			r->retain[0] = r->retain[1] = false;
			if (l->join_type == SL_JT_INNER && r->cond)
				retention_from(px, r, r->cond);
			if (upd || (l->join_type != SL_JT_INNER && l->join_type != SL_JT_SEMI))
				r->changelog.kinds = SL_CL_I | SL_CL_UB | SL_CL_UA | SL_CL_D;
		} else if (impl == T_PTemporalJoin) {
			r->changelog = ins[0]->changelog;
			r->changelog.nkey = 0;
		}
		break;
	}
	case T_LRank: {
		int impl = l->impl ? l->impl : T_PRank;
		r = pnode(px, l, impl);
		if (impl == T_PWindowRank && refuse_proctime_window(px, l, ins[0], l->win_start_col, "Top-N"))
			return NULL;
		if (impl == T_PWindowRank && !need_append_only(px, r, ins[0], l->span))
			return NULL;
		r->inputs[0] = keyed_input(px, ins[0], l->nkeys, l->keys, &p);
		r->parallelism = p;
		if (impl == T_PRank) {
			r->changelog.kinds = SL_CL_I | SL_CL_UB | SL_CL_UA | SL_CL_D;
			r->state_ttl_ms = px->ttl_ms;
		} else if (impl == T_PDeduplicate) {
			/* As Flink: an append-only input only; only keep-first on
			 * processing time is insert-only. Keep-last updates, and so
			 * does keep-first on event time: a row arriving late with an
			 * earlier rowtime replaces the kept one (-U/+U). */
			bool proc = l->inputs[0]->fields[l->order_cols[0]].type->time_attr == SL_TIME_ATTR_PROCTIME;
			if (!need_append_only(px, r, ins[0], l->span))
				return NULL;
			r->state_ttl_ms = px->ttl_ms;
			if (l->rank_kind == SL_RANK_DEDUP_LAST || !proc)
				r->changelog.kinds = SL_CL_I | SL_CL_UB | SL_CL_UA;
		}
		break;
	}
	case T_LOverAggregate:
		r = pnode(px, l, T_POverAggregate);
		r->inputs[0] = keyed_input(px, ins[0], l->nkeys, l->keys, &p);
		r->parallelism = p;
		/* over an updating input (Nexmark q6, which Flink rejects) the
		 * aggregate is recomputed for the changed rows: retractions flow on */
		if (updating(ins[0]))
			r->changelog.kinds = SL_CL_I | SL_CL_UB | SL_CL_UA | SL_CL_D;
		break;
	case T_LUnion:
		r = pnode(px, l, T_PUnion);
		r->inputs[0] = ins[0];
		r->inputs[1] = ins[1];
		r->parallelism = SL_MAX(ins[0]->parallelism, ins[1]->parallelism);
		r->changelog.kinds = ins[0]->changelog.kinds | ins[1]->changelog.kinds;
		for (int i = 0; i < 2; i++)
			if (ins[i]->parallelism != r->parallelism)
				r->inputs[i] = exchange(px, ins[i], SL_DIST_REBALANCE, 0, NULL, r->parallelism);
		break;
	case T_LCorrelate:
		/* row by row, chained: the input's distribution and changelog */
		r = pnode(px, l, T_PCorrelate);
		r->inputs[0] = ins[0];
		r->parallelism = ins[0]->parallelism;
		r->changelog = ins[0]->changelog;
		r->changelog.nkey = 0;
		r->chain = true;
		break;
	case T_LSink:
		r = translate_sink(px, l, ins[0]);
		break;
	default:
		px->err = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE, "no physical operator for %s", sl_rel_name(l->tag));
		return NULL;
	}
	if (r && r->keys && r->tag != T_PExchange)
		r->keys = int_copy(px, r->keys, r->nkeys);
	return r;
}

/* ---------------------------------------------------------------------
 * Sub-plan reuse ('table.optimizer.reuse-sub-plan-enabled' and
 * 'table.optimizer.reuse-source-enabled', as Flink's SubplanReuser):
 * physical subtrees that print the same (sl_rel_explain_line, which shows
 * every property that makes an operator what it is, over the same input
 * nodes) become one node whose output fans out to every consumer
 * (runtime/job.c: one out edge per consumer, chunks shared by reference).
 * Bottom-up, so that identical inputs are already one node when their
 * consumers are compared. Never reused: sinks (each INSERT writes its own
 * rows); scans when 'reuse-source-enabled' is false (nothing above them
 * is then reused either); nodes with a non-deterministic expression
 * (RAND(), UUID(), C UDFs: two calls are two values). A scan also compares its table object, so a
 * scan with /\*+ OPTIONS(...) *\/ hints stays apart from one without.
 * ------------------------------------------------------------------- */
typedef struct reuse_ent {
	char *digest;               /* explain line + input node addresses */
	sl_rel *rel;
} reuse_ent;

typedef struct reuse_ctx {
	SL_VEC(reuse_ent) ents;
	SL_VEC(sl_rel *) seen;      /* nodes already canonical */
	bool sources;
} reuse_ctx;

void sl_rel_explain_line(const sl_rel *r, sl_strbuf *out);

/* A node computing RAND(), UUID(), ... gives each consumer its own values:
 * never reused (nor, through their input addresses, its consumers). */
static bool
nondeterministic(const sl_rel *r)
{
	if (r->cond && sl_expr_has_nondeterministic(r->cond))
		return true;
	for (int i = 0; i < r->nexprs; i++)
		if (sl_expr_has_nondeterministic(r->exprs[i]))
			return true;
	return false;
}

static sl_rel *
reuse(reuse_ctx *rc, sl_rel *r)
{
	sl_strbuf sb = SL_STRBUF_INIT;
	for (size_t i = 0; i < rc->seen.n; i++)
		if (rc->seen.v[i] == r)
			return r;
	for (int i = 0; i < r->ninputs; i++)
		r->inputs[i] = reuse(rc, r->inputs[i]);
	sl_vec_push(&rc->seen, r);
	if (r->tag == T_PSink || (r->tag == T_PTableSourceScan && !rc->sources) ||
	    nondeterministic(r))
		return r;
	sl_rel_explain_line(r, &sb);
	for (int i = 0; i < r->ninputs; i++)
		sl_strbuf_appendf(&sb, " in%d=%p", i, (void *)r->inputs[i]);
	if (r->tag == T_PTableSourceScan)
		sl_strbuf_appendf(&sb, " table=%p", (const void *)r->table);
	sl_strbuf_appendf(&sb, " ttl=%" PRId64 "/%" PRId64 "/%" PRId64 " mb=%d/%" PRId64 "/%" PRId64,
	                  r->state_ttl_ms, r->hint_ttl_ms[0], r->hint_ttl_ms[1], (int)r->minibatch,
	                  r->minibatch_latency_ms, r->minibatch_size);
	for (size_t i = 0; i < rc->ents.n; i++)
		if (strcmp(rc->ents.v[i].digest, sl_strbuf_str(&sb)) == 0) {
			sl_strbuf_free(&sb);
			rc->seen.v[rc->seen.n - 1] = rc->ents.v[i].rel;
			return rc->ents.v[i].rel;
		}
	sl_vec_push(&rc->ents, ((reuse_ent){strdup(sl_strbuf_str(&sb)), r}));
	sl_strbuf_free(&sb);
	return r;
}

static void
reuse_plan(sl_rel **roots, int nroots, bool sources)
{
	reuse_ctx rc = {{0}, {0}, sources};
	for (int i = 0; i < nroots; i++)
		roots[i] = reuse(&rc, roots[i]);
	for (size_t i = 0; i < rc.ents.n; i++)
		free(rc.ents.v[i].digest);
	sl_vec_free(&rc.ents);
	sl_vec_free(&rc.seen);
}

static void
number(phys_ctx *px, sl_rel *r)
{
	if (r->id)
		return;
	for (int i = 0; i < r->ninputs; i++)
		number(px, r->inputs[i]);
	sl_vec_push(&px->ops, r);
	r->id = (int)px->ops.n;
	/* chaining: a single forward input with the same parallelism */
	if (r->ninputs == 1 && r->inputs[0]->tag != T_PExchange &&
	    r->inputs[0]->parallelism == r->parallelism)
		r->chain = true;
	else if (r->tag != T_PLookupJoin)
		r->chain = false;
}

bool
sl_physical_build(sl_arena *a, sl_rel **logical, int nroots, int parallelism, int64_t ttl_ms,
                  const sl_config *cfg, sl_plan *plan, sl_error **errp)
{
	phys_ctx px = {a, parallelism < 1 ? 1 : parallelism, ttl_ms, NULL, {0}, SL_SPAN_NONE,
	               0, false, 0, -1, 0};
	if (cfg) {
		px.agg_phase = (int)sl_config_get_int(cfg, "table.optimizer.agg-phase-strategy", 0);
		px.minibatch = sl_config_get_int(cfg, "table.exec.mini-batch.enabled", 0) != 0;
		px.mb_latency_ms = sl_config_get_int(cfg, "table.exec.mini-batch.allow-latency", 0);
		px.mb_size = sl_config_get_int(cfg, "table.exec.mini-batch.size", -1);
		px.idle_ms = sl_config_get_int(cfg, "table.exec.source.idle-timeout", 0);
	}
	plan->nroots = nroots;
	plan->roots = SL_ANEWN(a, sl_rel *, nroots + 1);
	plan->default_parallelism = px.parallelism;
	for (int i = 0; i < nroots; i++) {
		px.span = logical[i]->span;
		plan->roots[i] = translate(&px, logical[i]);
		if (!plan->roots[i]) {
			if (!px.err)
				px.err = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE, "physical planning failed");
			if (errp)
				*errp = px.err;
			else
				sl_error_free(px.err);
			sl_vec_free(&px.ops);
			return false;
		}
	}
	if (!cfg || sl_config_get_int(cfg, "table.optimizer.reuse-sub-plan-enabled", 1))
		reuse_plan(plan->roots, nroots,
		           !cfg || sl_config_get_int(cfg, "table.optimizer.reuse-source-enabled", 1));
	for (int i = 0; i < nroots; i++)
		number(&px, plan->roots[i]);
	plan->nops = (int)px.ops.n;
	plan->ops = SL_ANEWN(a, sl_rel *, px.ops.n + 1);
	memcpy(plan->ops, px.ops.v, sizeof(sl_rel *) * px.ops.n);
	sl_vec_free(&px.ops);
	return true;
}
