/*
 * explain.c
 *	  EXPLAIN: a physical plan as text (one operator per line, sinks first,
 *	  inputs indented below with Flink's "+- " / ":- " markers, exchanges on
 *	  their own lines) and as JSON (nodes with ids, inputs and the same
 *	  properties). Both are built from one list of (key, value) properties
 *	  per node, so they cannot disagree.
 *
 * INTERFACE ROUTINES
 *	  sl_plan_explain          text
 *	  sl_plan_explain_json     JSON
 *	  sl_plan_explain_logical  the logical plan after rewrites, as text
 */
#include "planner/planner_int.h"
#include "udf/udf.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

typedef struct prop {
	const char *key;
	char *value; /* malloc'ed */
} prop;

typedef SL_VEC(prop) prop_vec;

static void
add(prop_vec *pv, const char *key, sl_strbuf *val)
{
	prop p = {key, sl_strbuf_take(val)};
	if (!p.value)
		p.value = sl_xstrdup("");
	sl_vec_push(pv, p);
}

static const sl_field *
input_fields(const sl_rel *r, int i, int *n)
{
	if (i >= r->ninputs) {
		*n = 0;
		return NULL;
	}
	*n = r->inputs[i]->nfields;
	return r->inputs[i]->fields;
}

/* Fields of the concatenation of a join's inputs. */
static sl_field *
join_fields(const sl_rel *r, int *n)
{
	int nl = r->inputs[0]->nfields, nr = r->inputs[1]->nfields;
	sl_field *f = sl_xcalloc((size_t)(nl + nr) + 1, sizeof *f);
	memcpy(f, r->inputs[0]->fields, sizeof *f * (size_t)nl);
	memcpy(f + nl, r->inputs[1]->fields, sizeof *f * (size_t)nr);
	if (r->nfields == nl + nr) /* the join's own, unique names (dateTime0) */
		memcpy(f, r->fields, sizeof *f * (size_t)(nl + nr));
	*n = nl + nr;
	return f;
}

static void
print_cols(sl_strbuf *sb, const sl_field *in, int nin, const int *cols, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			sl_strbuf_append(sb, ", ");
		if (cols[i] >= 0 && cols[i] < nin)
			sl_strbuf_append(sb, in[cols[i]].name);
		else
			sl_strbuf_appendf(sb, "$%d", cols[i]);
	}
}

static void
print_window(sl_strbuf *sb, const sl_window *w, const sl_field *in, int nin)
{
	static const char *names[] = {"NONE", "TUMBLE", "HOP", "CUMULATE", "SESSION"};
	bool first = true;
	sl_strbuf_appendf(sb, "%s(", names[w->kind]);
	if (w->time_col >= 0 && w->time_col < nin) {
		sl_strbuf_appendf(sb, "time_col=[%s]", in[w->time_col].name);
		first = false;
	}
	if (w->npart > 0) {
		sl_strbuf_append(sb, first ? "partition_keys=[" : ", partition_keys=[");
		first = false;
		print_cols(sb, in, nin, w->part, w->npart);
		sl_strbuf_append(sb, "]");
	}
	if (!first)
		sl_strbuf_append(sb, ", ");
	switch (w->kind) {
	case SL_WIN_TUMBLE:
		sl_strbuf_append(sb, "size=[");
		sl_format_duration(w->size_us, sb);
		break;
	case SL_WIN_HOP:
		sl_strbuf_append(sb, "size=[");
		sl_format_duration(w->size_us, sb);
		sl_strbuf_append(sb, "], slide=[");
		sl_format_duration(w->slide_us, sb);
		break;
	case SL_WIN_CUMULATE:
		sl_strbuf_append(sb, "max_size=[");
		sl_format_duration(w->size_us, sb);
		sl_strbuf_append(sb, "], step=[");
		sl_format_duration(w->slide_us, sb);
		break;
	case SL_WIN_SESSION:
		sl_strbuf_append(sb, "gap=[");
		sl_format_duration(w->gap_us, sb);
		break;
	default:
		sl_strbuf_append(sb, "[");
		break;
	}
	sl_strbuf_append(sb, "]");
	if (w->offset_us) {
		sl_strbuf_append(sb, ", offset=[");
		sl_format_duration(w->offset_us, sb);
		sl_strbuf_append(sb, "]");
	}
	sl_strbuf_append(sb, ")");
}

static void
print_agg(sl_strbuf *sb, const sl_aggcall *ag, const sl_field *in, int nin)
{
	sl_strbuf_append(sb, ag->name);
	sl_strbuf_appendc(sb, '(');
	if (ag->distinct)
		sl_strbuf_append(sb, "DISTINCT ");
	if (ag->kind == SL_AGG_COUNT_STAR)
		sl_strbuf_append(sb, "*");
	else
		print_cols(sb, in, nin, ag->args, ag->nargs);
	sl_strbuf_appendc(sb, ')');
	if (ag->filter_col >= 0) {
		sl_strbuf_append(sb, " FILTER ");
		print_cols(sb, in, nin, &ag->filter_col, 1);
	}
	sl_strbuf_appendf(sb, " AS %s", ag->out_name);
}

static void
print_select_names(sl_strbuf *sb, const sl_rel *r)
{
	for (int i = 0; i < r->nfields; i++) {
		if (i)
			sl_strbuf_append(sb, ", ");
		sl_strbuf_append(sb, r->fields[i].name);
	}
}

static const char *
join_type_name(sl_join_type t)
{
	switch (t) {
	case SL_JT_INNER: return "InnerJoin";
	case SL_JT_LEFT: return "LeftOuterJoin";
	case SL_JT_RIGHT: return "RightOuterJoin";
	case SL_JT_FULL: return "FullOuterJoin";
	case SL_JT_SEMI: return "LeftSemiJoin";
	case SL_JT_ANTI: return "LeftAntiJoin";
	}
	return "?";
}

static void
print_changelog(sl_strbuf *sb, const sl_rel *r)
{
	const sl_changelog *cl = &r->changelog;
	bool first = true;
	static const struct { int bit; const char *name; } k[] = {
		{SL_CL_I, "I"}, {SL_CL_UB, "UB"}, {SL_CL_UA, "UA"}, {SL_CL_D, "D"}};
	for (size_t i = 0; i < SL_ARRAY_LEN(k); i++) {
		if (cl->kinds & k[i].bit) {
			if (!first)
				sl_strbuf_appendc(sb, ',');
			sl_strbuf_append(sb, k[i].name);
			first = false;
		}
	}
}

static void
print_rowtype(sl_strbuf *sb, const sl_rel *r)
{
	for (int i = 0; i < r->nfields; i++) {
		if (i)
			sl_strbuf_append(sb, ", ");
		sl_strbuf_appendf(sb, "%s ", r->fields[i].name);
		sl_type_to_string(r->fields[i].type, sb);
	}
}

/* The properties of one node, in print order. */
static void
node_props(const sl_rel *r, bool physical, prop_vec *pv)
{
	sl_strbuf sb = SL_STRBUF_INIT;
	int nin = 0;
	const sl_field *in = input_fields(r, 0, &nin);
	sl_field *jf = NULL;
	int njf = 0;

	switch (r->tag) {
	case T_LScan:
	case T_PTableSourceScan:
		sl_strbuf_append(&sb, r->table->name);
		add(pv, "table", &sb);
		print_select_names(&sb, r);
		add(pv, "fields", &sb);
		break;
	case T_LValues:
	case T_PValues:
		for (int i = 0; i < r->nrows; i++) {
			sl_strbuf_append(&sb, i ? ", {" : "{");
			for (int j = 0; j < r->nfields; j++) {
				if (j)
					sl_strbuf_append(&sb, ", ");
				sl_expr_print(r->rows[i][j], NULL, 0, &sb);
			}
			sl_strbuf_append(&sb, "}");
		}
		add(pv, "tuples", &sb);
		break;
	case T_LCalc:
	case T_PCalc:
		for (int i = 0; i < r->nexprs; i++) {
			if (i)
				sl_strbuf_append(&sb, ", ");
			sl_expr_print(r->exprs[i], in, nin, &sb);
			if (r->exprs[i]->kind != SL_EX_COL ||
			    strcmp(in[r->exprs[i]->col].name, r->fields[i].name) != 0)
				sl_strbuf_appendf(&sb, " AS %s", r->fields[i].name);
		}
		add(pv, "select", &sb);
		if (r->cond) {
			sl_expr_print(r->cond, in, nin, &sb);
			add(pv, "where", &sb);
		}
		break;
	case T_LWatermarkAssigner:
	case T_PWatermarkAssigner:
		sl_strbuf_append(&sb, r->fields[r->rowtime_col].name);
		add(pv, "rowtime", &sb);
		sl_expr_print(r->cond, in, nin, &sb);
		add(pv, "watermark", &sb);
		break;
	case T_PChangelogNormalize:
		print_cols(&sb, in, nin, r->keys, r->nkeys);
		add(pv, "key", &sb);
		break;
	case T_PExchange:
		switch (r->dist) {
		case SL_DIST_FORWARD: sl_strbuf_append(&sb, "forward"); break;
		case SL_DIST_BROADCAST: sl_strbuf_append(&sb, "broadcast"); break;
		case SL_DIST_SINGLE: sl_strbuf_append(&sb, "single"); break;
		case SL_DIST_REBALANCE: sl_strbuf_append(&sb, "rebalance"); break;
		case SL_DIST_HASH:
			sl_strbuf_append(&sb, "hash[");
			print_cols(&sb, in, nin, r->keys, r->nkeys);
			sl_strbuf_append(&sb, "]");
			break;
		}
		add(pv, "distribution", &sb);
		break;
	case T_PLocalGroupAggregate:
	case T_PLocalWindowAggregate:
	case T_PGlobalGroupAggregate:
	case T_PGlobalWindowAggregate:
		/* two-phase aggregation (physical.c): the Local prints its
		 * aggregates over its input and names the partial accumulator
		 * column; the Global merges that column into the aggregates,
		 * printed over the Local's input (agg_input) */
		{
			bool glob = r->tag == T_PGlobalGroupAggregate || r->tag == T_PGlobalWindowAggregate;
			const sl_field *ain = in;
			int nain = nin;
			if (glob && r->agg_input) {
				ain = r->agg_input->fields;
				nain = r->agg_input->nfields;
			}
			if (r->nkeys > 0) {
				print_cols(&sb, in, nin, r->keys, r->nkeys);
				add(pv, "groupBy", &sb);
			}
			if (r->window.kind != SL_WIN_NONE) {
				print_window(&sb, &r->window, ain, nain);
				add(pv, "window", &sb);
			}
			if (r->slice_us > 0) {   /* slice-shared (physical.c, slice_of) */
				sl_format_duration(r->slice_us, &sb);
				add(pv, "slice", &sb);
			}
			if (!glob && r->win_start_col >= 0 && !r->legacy_window) {
				print_cols(&sb, in, nin, &r->win_start_col, 1);
				sl_strbuf_append(&sb, ", ");
				print_cols(&sb, in, nin, &r->win_end_col, 1);
				add(pv, "windowBy", &sb);
			}
			if (glob) {
				print_cols(&sb, in, nin, &r->win_end_col, r->win_end_col >= 0);
				if (r->win_end_col >= 0)
					sl_strbuf_append(&sb, ", ");
				sl_strbuf_append(&sb, in[nin - 1].name);
				add(pv, "merge", &sb);
			}
			for (int i = 0; i < r->nkeys; i++) {
				sl_strbuf_append(&sb, i ? ", " : "");
				sl_strbuf_append(&sb, (glob ? r->fields : in)[glob ? i : r->keys[i]].name);
			}
			for (int i = 0; i < r->naggs; i++) {
				sl_strbuf_append(&sb, (r->nkeys + i) ? ", " : "");
				print_agg(&sb, &r->aggs[i], ain, nain);
			}
			if (glob) {
				for (int i = 0; i < r->nwprops; i++) {
					static const char *wp[] = {"window_start", "window_end", "window_time"};
					const char *fname = r->fields[r->nkeys + r->naggs + i].name;
					sl_strbuf_append(&sb, ", ");
					if (strcmp(wp[r->wprops[i]], fname) == 0)
						sl_strbuf_append(&sb, fname);
					else
						sl_strbuf_appendf(&sb, "%s AS %s", wp[r->wprops[i]], fname);
				}
			} else {
				for (int i = r->nkeys; i < r->nfields; i++)
					sl_strbuf_appendf(&sb, "%s%s", i + r->naggs ? ", " : "", r->fields[i].name);
			}
			add(pv, "select", &sb);
		}
		break;
	case T_LAggregate:
	case T_PGroupAggregate:
	case T_LWindowAggregate:
	case T_PWindowAggregate:
	case T_PGroupWindowAggregate:
		if (r->nkeys > 0) {
			print_cols(&sb, in, nin, r->keys, r->nkeys);
			add(pv, "groupBy", &sb);
		}
		if (r->window.kind != SL_WIN_NONE) {
			print_window(&sb, &r->window, in, nin);
			add(pv, "window", &sb);
		}
		if (r->win_start_col >= 0 && r->tag != T_LAggregate && r->tag != T_PGroupAggregate &&
		    !r->legacy_window) {
			print_cols(&sb, in, nin, &r->win_start_col, 1);
			sl_strbuf_append(&sb, ", ");
			print_cols(&sb, in, nin, &r->win_end_col, 1);
			add(pv, "windowBy", &sb);
		}
		for (int i = 0; i < r->nkeys; i++) {
			sl_strbuf_append(&sb, i ? ", " : "");
			sl_strbuf_append(&sb, r->fields[i].name);
		}
		for (int i = 0; i < r->naggs; i++) {
			sl_strbuf_append(&sb, (r->nkeys + i) ? ", " : "");
			print_agg(&sb, &r->aggs[i], in, nin);
		}
		for (int i = 0; i < r->nwprops; i++) {
			static const char *wp[] = {"window_start", "window_end", "window_time"};
			sl_strbuf_append(&sb, (r->nkeys + r->naggs + i) ? ", " : "");
			const char *fname = r->fields[r->nkeys + r->naggs + i].name;
			if (strcmp(wp[r->wprops[i]], fname) == 0)
				sl_strbuf_append(&sb, fname);
			else
				sl_strbuf_appendf(&sb, "%s AS %s", wp[r->wprops[i]], fname);
		}
		add(pv, "select", &sb);
		break;
	case T_LWindowTableFunction:
	case T_PWindowTableFunction:
		print_window(&sb, &r->window, in, nin);
		add(pv, "window", &sb);
		break;
	case T_LJoin:
	case T_PJoin:
	case T_PIntervalJoin:
	case T_PWindowJoin:
	case T_PTemporalJoin:
	case T_PLookupJoin:
		jf = join_fields(r, &njf);
		sl_strbuf_append(&sb, join_type_name(r->join_type));
		add(pv, "joinType", &sb);
		if (r->tag == T_LJoin && r->impl && r->impl != T_PJoin) {
			sl_strbuf_append(&sb, sl_rel_name(r->impl));
			add(pv, "kind", &sb);
		}
		for (int i = 0; i < r->nkeys; i++) {
			int rc = r->inputs[0]->nfields + r->rkeys[i];
			if (i)
				sl_strbuf_append(&sb, ", ");
			print_cols(&sb, jf, njf, &r->keys[i], 1);
			sl_strbuf_append(&sb, "=");
			print_cols(&sb, jf, njf, &rc, 1);
		}
		add(pv, "keys", &sb);
		if (r->tag == T_PIntervalJoin || (r->tag == T_LJoin && r->impl == T_PIntervalJoin)) {
			int lt = r->left_time_col, rt = r->inputs[0]->nfields + r->right_time_col;
			print_cols(&sb, jf, njf, &lt, 1);
			sl_strbuf_append(&sb, " BETWEEN ");
			print_cols(&sb, jf, njf, &rt, 1);
			sl_strbuf_append(&sb, r->upper_us >= 0 ? " - " : " + ");
			sl_format_duration(r->upper_us >= 0 ? r->upper_us : -r->upper_us, &sb);
			sl_strbuf_append(&sb, " AND ");
			print_cols(&sb, jf, njf, &rt, 1);
			sl_strbuf_append(&sb, r->lower_us > 0 ? " - " : " + ");
			sl_format_duration(r->lower_us > 0 ? r->lower_us : -r->lower_us, &sb);
			if (r->inputs[0]->fields[r->left_time_col].type->time_attr == SL_TIME_ATTR_PROCTIME)
				sl_strbuf_append(&sb, " (PROCTIME)");
			add(pv, "interval", &sb);
		}
		if (r->tag == T_PWindowJoin || (r->tag == T_LJoin && r->impl == T_PWindowJoin)) {
			print_window(&sb, &r->window, in, nin);
			add(pv, "window", &sb);
		}
		if (r->tag == T_PTemporalJoin || r->tag == T_PLookupJoin) {
			int lt = r->left_time_col;
			print_cols(&sb, jf, njf, &lt, 1);
			add(pv, "asOf", &sb);
		}
		if (r->cond) {
			sl_expr_print(r->cond, jf, njf, &sb);
			add(pv, "where", &sb);
		}
		print_select_names(&sb, r);
		add(pv, "select", &sb);
		break;
	case T_LRank:
	case T_PRank:
	case T_PWindowRank:
	case T_PDeduplicate:
		if (r->tag == T_PDeduplicate) {
			sl_strbuf_append(&sb, r->rank_kind == SL_RANK_DEDUP_LAST ? "LastRow" : "FirstRow");
			add(pv, "keep", &sb);
			print_cols(&sb, in, nin, r->keys, r->nkeys);
			add(pv, "key", &sb);
			print_cols(&sb, in, nin, r->order_cols, 1);
			sl_strbuf_append(&sb, in[r->order_cols[0]].type->time_attr == SL_TIME_ATTR_PROCTIME
			                          ? " (PROCTIME)" : " (ROWTIME)");
			add(pv, "order", &sb);
			break;
		}
		sl_strbuf_append(&sb, r->rank_func == SL_AGG_RANK ? "RANK" :
		                      r->rank_func == SL_AGG_DENSE_RANK ? "DENSE_RANK" : "ROW_NUMBER");
		add(pv, "rankType", &sb);
		sl_strbuf_appendf(&sb, "rankStart=%" PRId64 ", rankEnd=%" PRId64, r->rank_start, r->rank_end);
		add(pv, "rankRange", &sb);
		print_cols(&sb, in, nin, r->keys, r->nkeys);
		add(pv, "partitionBy", &sb);
		for (int i = 0; i < r->norder; i++) {
			if (i)
				sl_strbuf_append(&sb, ", ");
			print_cols(&sb, in, nin, &r->order_cols[i], 1);
			sl_strbuf_append(&sb, r->order_desc[i] ? " DESC" : " ASC");
		}
		add(pv, "orderBy", &sb);
		if (r->tag == T_PWindowRank) {
			print_window(&sb, &r->window, in, nin);
			add(pv, "window", &sb);
		}
		print_select_names(&sb, r);
		add(pv, "select", &sb);
		break;
	case T_LOverAggregate:
	case T_POverAggregate:
		print_cols(&sb, in, nin, r->keys, r->nkeys);
		add(pv, "partitionBy", &sb);
		for (int i = 0; i < r->norder; i++) {
			if (i)
				sl_strbuf_append(&sb, ", ");
			print_cols(&sb, in, nin, &r->order_cols[i], 1);
			sl_strbuf_append(&sb, r->order_desc[i] ? " DESC" : " ASC");
		}
		add(pv, "orderBy", &sb);
		if (r->over_preceding < 0)
			sl_strbuf_appendf(&sb, "%s BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW",
			                  r->over_rows ? "ROWS" : "RANGE");
		else if (r->over_rows)
			sl_strbuf_appendf(&sb, "ROWS BETWEEN %" PRId64 " PRECEDING AND CURRENT ROW",
			                  r->over_preceding);
		else {
			sl_strbuf_append(&sb, "RANGE BETWEEN ");
			sl_format_duration(r->over_preceding, &sb);
			sl_strbuf_append(&sb, " PRECEDING AND CURRENT ROW");
		}
		add(pv, "window", &sb);
		for (int i = 0; i < nin; i++) {
			sl_strbuf_append(&sb, i ? ", " : "");
			sl_strbuf_append(&sb, in[i].name);
		}
		for (int i = 0; i < r->naggs; i++) {
			sl_strbuf_append(&sb, (nin + i) ? ", " : "");
			print_agg(&sb, &r->aggs[i], in, nin);
		}
		add(pv, "select", &sb);
		break;
	case T_LUnion:
	case T_PUnion:
		sl_strbuf_append(&sb, "true");
		add(pv, "all", &sb);
		print_select_names(&sb, r);
		add(pv, "select", &sb);
		break;
	case T_LCorrelate:
	case T_PCorrelate:
		sl_strbuf_appendf(&sb, "%s(", r->udf ? r->udf->name : "?");
		print_cols(&sb, in, nin, r->keys, r->nkeys);
		sl_strbuf_append(&sb, ")");
		add(pv, "invocation", &sb);
		print_select_names(&sb, r);
		add(pv, "select", &sb);
		sl_strbuf_append(&sb, join_type_name(r->join_type));
		add(pv, "joinType", &sb);
		break;
	case T_LSink:
	case T_PSink:
		sl_strbuf_append(&sb, r->sink_name);
		add(pv, "table", &sb);
		print_select_names(&sb, r);
		add(pv, "fields", &sb);
		break;
	default:
		break;
	}
	free(jf);
	if (r->rowtime_col >= 0 && r->rowtime_col < r->nfields && r->tag != T_PWatermarkAssigner &&
	    r->tag != T_LWatermarkAssigner && r->tag != T_PExchange) {
		sl_strbuf_append(&sb, r->fields[r->rowtime_col].name);
		add(pv, "rowtime", &sb);
	}
	if (r->proctime_col >= 0 && r->proctime_col < r->nfields && r->tag != T_PExchange) {
		sl_strbuf_append(&sb, r->fields[r->proctime_col].name);
		add(pv, "proctime", &sb);
	}
	if (physical) {
		if (r->hint_ttl_ms[0] > 0 && r->ninputs == 1) {
			/* a STATE_TTL hint on a GROUP BY */
			sl_strbuf_appendf(&sb, "%" PRId64 " ms", r->hint_ttl_ms[0]);
			add(pv, "stateTtl", &sb);
		} else if (r->hint_ttl_ms[0] > 0 || r->hint_ttl_ms[1] > 0) {
			/* a STATE_TTL hint: each input's TTL (0 ms: kept forever) */
			for (int s = 0; s < 2; s++)
				sl_strbuf_appendf(&sb, "%s%s=%" PRId64 " ms", s ? ", " : "", s ? "right" : "left",
				                  r->hint_ttl_ms[s] > 0 ? r->hint_ttl_ms[s] : r->state_ttl_ms);
			add(pv, "stateTtl", &sb);
		} else if (r->state_ttl_ms > 0) {
			sl_strbuf_appendf(&sb, "%" PRId64 " ms", r->state_ttl_ms);
			add(pv, "stateTtl", &sb);
		}
		if (r->tag == T_PJoin && (r->retain[0] || r->retain[1])) {
			/* watermark-derived state retention (physical.c): rows of a
			 * side are kept while col > that watermark + offset */
			int nl = r->inputs[0]->nfields;
			bool first = true;
			for (int s = 0; s < 2; s++) {
				int64_t off = r->retain_off_us[s];
				if (!r->retain[s])
					continue;
				sl_strbuf_appendf(&sb, "%s%s: %s > watermark(%s)", first ? "" : ", ",
				                  s ? "right" : "left", r->fields[s * nl + r->retain_col[s]].name,
				                  r->fields[(1 - s) * nl + r->retain_ocol[s]].name);
				if (off != 0) {
					sl_strbuf_append(&sb, off < 0 ? " - " : " + ");
					sl_format_duration(off < 0 ? -off : off, &sb);
				}
				first = false;
			}
			add(pv, "stateRetention", &sb);
		}
		print_changelog(&sb, r);
		add(pv, "changelog", &sb);
		if (r->changelog.nkey > 0) {
			print_cols(&sb, r->fields, r->nfields, r->changelog.key, r->changelog.nkey);
			add(pv, "upsertKey", &sb);
		}
		sl_strbuf_appendf(&sb, "%d", r->parallelism);
		add(pv, "parallelism", &sb);
	}
	(void)print_rowtype;
}

static void
free_props(prop_vec *pv)
{
	for (size_t i = 0; i < pv->n; i++)
		free(pv->v[i].value);
	sl_vec_free(pv);
}

/* Sub-plan reuse (physical.c, reuse): a physical node with several
 * consumers is printed in full the first time, prefixed "[#n] ", and as
 * "Reused(reference_id=[n])" at every later consumer, as Flink prints it.
 * refs[id - 1]: consumers of the node (in), then its reference number
 * once printed (out, negated). NULL for the logical plan (a tree). */
static void
explain_rec(const sl_rel *r, bool physical, sl_strbuf *prefix, bool root, bool last,
            int *refs, int *nref, sl_strbuf *out)
{
	prop_vec pv = {0};
	size_t plen = prefix->len;

	sl_strbuf_append(out, sl_strbuf_str(prefix));
	if (!root)
		sl_strbuf_append(out, last ? "+- " : ":- ");
	if (refs && r->id > 0 && refs[r->id - 1] < 0) {
		sl_strbuf_appendf(out, "Reused(reference_id=[%d])\n", -refs[r->id - 1]);
		return;
	}
	if (refs && r->id > 0 && refs[r->id - 1] > 1) {
		refs[r->id - 1] = -++*nref;
		sl_strbuf_appendf(out, "[#%d] ", *nref);
	}
	sl_strbuf_append(out, sl_rel_name(r->tag));
	sl_strbuf_appendc(out, '(');
	node_props(r, physical, &pv);
	for (size_t i = 0; i < pv.n; i++)
		sl_strbuf_appendf(out, "%s%s=[%s]", i ? ", " : "", pv.v[i].key, pv.v[i].value);
	sl_strbuf_append(out, ")\n");
	free_props(&pv);
	if (!root)
		sl_strbuf_append(prefix, last ? "   " : ":  ");
	for (int i = 0; i < r->ninputs; i++)
		explain_rec(r->inputs[i], physical, prefix, false, i == r->ninputs - 1, refs, nref, out);
	prefix->len = plen;
	if (prefix->data)
		prefix->data[plen] = '\0';
}

void
sl_plan_explain(const sl_plan *plan, sl_strbuf *out)
{
	sl_strbuf prefix = SL_STRBUF_INIT;
	int *refs = calloc((size_t)plan->nops + 1, sizeof *refs), nref = 0;
	if (!refs)
		abort();
	for (int i = 0; i < plan->nops; i++)
		for (int j = 0; j < plan->ops[i]->ninputs; j++)
			if (plan->ops[i]->inputs[j]->id > 0)
				refs[plan->ops[i]->inputs[j]->id - 1]++;
	for (int i = 0; i < plan->nroots; i++)
		if (plan->roots[i]->id > 0)
			refs[plan->roots[i]->id - 1]++;
	for (int i = 0; i < plan->nroots; i++)
		explain_rec(plan->roots[i], true, &prefix, true, true, refs, &nref, out);
	free(refs);
	sl_strbuf_free(&prefix);
}

/* "Name(prop=[...], ...)" of one node, without its inputs; physical: with
 * the physical properties (changelog, parallelism, ...). */
static void
node_line(const sl_rel *r, bool physical, sl_strbuf *out)
{
	prop_vec pv = {0};
	node_props(r, physical, &pv);
	sl_strbuf_append(out, sl_rel_name(r->tag));
	sl_strbuf_appendc(out, '(');
	for (size_t i = 0; i < pv.n; i++)
		sl_strbuf_appendf(out, "%s%s=[%s]", i ? ", " : "", pv.v[i].key, pv.v[i].value);
	sl_strbuf_appendc(out, ')');
	free_props(&pv);
}

/* One node as EXPLAIN prints it, without its inputs: sub-plan reuse
 * compares these (physical.c). */
void sl_rel_explain_line(const sl_rel *r, sl_strbuf *out);
void
sl_rel_explain_line(const sl_rel *r, sl_strbuf *out)
{
	node_line(r, true, out);
}

void
sl_plan_explain_logical(const sl_plan *plan, sl_strbuf *out)
{
	sl_strbuf prefix = SL_STRBUF_INIT;
	for (int i = 0; i < plan->nlogical; i++)
		explain_rec(plan->logical[i], false, &prefix, true, true, NULL, NULL, out);
	sl_strbuf_free(&prefix);
}

static void
json_str(sl_strbuf *out, const char *s)
{
	sl_strbuf_appendc(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			sl_strbuf_appendf(out, "\\%c", c);
		else if (c < 0x20)
			sl_strbuf_appendf(out, "\\u%04x", c);
		else
			sl_strbuf_appendc(out, (char)c);
	}
	sl_strbuf_appendc(out, '"');
}

void
sl_plan_explain_json(const sl_plan *plan, sl_strbuf *out)
{
	sl_strbuf_append(out, "{\n  \"nodes\": [\n");
	for (int i = 0; i < plan->nops; i++) {
		const sl_rel *r = plan->ops[i];
		prop_vec pv = {0};
		sl_strbuf_appendf(out, "    {\"id\": %d, \"operator\": ", r->id);
		json_str(out, sl_rel_name(r->tag));
		sl_strbuf_append(out, ", \"inputs\": [");
		for (int j = 0; j < r->ninputs; j++)
			sl_strbuf_appendf(out, "%s%d", j ? ", " : "", r->inputs[j]->id);
		sl_strbuf_append(out, "], \"fields\": [");
		for (int j = 0; j < r->nfields; j++) {
			sl_strbuf tb = SL_STRBUF_INIT;
			sl_strbuf_append(out, j ? ", {\"name\": " : "{\"name\": ");
			json_str(out, r->fields[j].name);
			sl_strbuf_append(out, ", \"type\": ");
			sl_type_to_string(r->fields[j].type, &tb);
			json_str(out, sl_strbuf_str(&tb));
			sl_strbuf_free(&tb);
			sl_strbuf_append(out, "}");
		}
		sl_strbuf_append(out, "], \"properties\": {");
		node_props(r, true, &pv);
		for (size_t j = 0; j < pv.n; j++) {
			if (j)
				sl_strbuf_append(out, ", ");
			json_str(out, pv.v[j].key);
			sl_strbuf_append(out, ": ");
			json_str(out, pv.v[j].value);
		}
		free_props(&pv);
		sl_strbuf_appendf(out, "}}%s\n", i + 1 < plan->nops ? "," : "");
	}
	sl_strbuf_append(out, "  ],\n  \"sinks\": [");
	for (int i = 0; i < plan->nroots; i++)
		sl_strbuf_appendf(out, "%s%d", i ? ", " : "", plan->roots[i]->id);
	sl_strbuf_append(out, "]\n}\n");
}

/* "Name(prop=[...], ...)" without changelog and parallelism: how error
 * messages name an operator. */
void sl_rel_describe(const sl_rel *r, sl_strbuf *out);
void
sl_rel_describe(const sl_rel *r, sl_strbuf *out)
{
	node_line(r, false, out);
}
