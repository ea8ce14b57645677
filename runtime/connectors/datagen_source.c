/*
 * datagen_source.c
 *	  The 'datagen' connector: generated rows for the columns the plan
 *	  reads.
 *
 *	  Rows are numbered g = 0, 1, 2, ... over the whole source; subtask i of
 *	  P produces g = i, i+P, i+2P, ... below the row count, so the union of
 *	  the subtasks does not depend on P. The count is 'number-of-rows', or,
 *	  when a column is a sequence, the shortest sequence's length; else the
 *	  source is unbounded.
 *
 *	  Per column ('fields.NAME.*'):
 *	    kind = 'sequence'  start + g (integer types; strings: the decimal
 *	                       text of start + g), from 'start' to 'end'
 *	    kind = 'random'    (default) a deterministic function of (column,
 *	                       g): integers uniform in ['min', 'max'] (default
 *	                       the type's range, Flink's), DOUBLE/FLOAT uniform
 *	                       in ['min', 'max') (default [0, 1)), BOOLEAN,
 *	                       strings of 'length' random letters (default 100;
 *	                       'var-len' = 'true': 1..length), TIMESTAMP the job's
 *	                       start time minus a random part of 'max-past';
 *	                       'null-rate' the share of NULLs
 *	  'rows-per-second' paces the source only when given explicitly (Flink
 *	  paces at 10000 by default; sluice runs unpaced unless asked).
 *
 *	  Checkpoints: the rows form G residue classes (splits) of g, G = the
 *	  parallelism of the first run; subtask i of P runs the splits s with
 *	  s % P == i. The snapshot stores per split the blob "dg.split.<s>" =
 *	  {G, s, next g, job start time} (int64 each; the start time keeps
 *	  random timestamps equal after a restore). On restore, also at
 *	  another parallelism, each split resumes at its next row (rescaled
 *	  copies "NAME@OLD" are emptied afterwards); several splits interleave
 *	  in g order.
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_datagen_source
 */
#include "runtime/op.h"
#include "state/state.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct dgcol {
	const sl_type *type;
	bool seq;
	int64_t start, end;         /* sequence */
	int64_t imin, imax;         /* random integers */
	double dmin, dmax;          /* random doubles */
	int length;
	bool var_len;
	double null_rate;
	int64_t max_past_us;
	uint64_t seed;
} dgcol;

typedef struct dgsrc {
	int ncols;
	dgcol *cols;
	const sl_type *const *types;
	int64_t rows;               /* total, INT64_MAX = unbounded */
	int64_t next;               /* next global row of this subtask (one split) */
	int G;                      /* splits of the row numbers */
	int nsplits;
	int *split;                 /* [nsplits] */
	int64_t *snext;             /* [nsplits] next row of each split */
	int64_t rate;               /* rows per second over all subtasks, 0 = unpaced */
	int64_t t0_us;              /* start of the job (wall clock; restored) */
	int64_t pace0_us;           /* start of this run, for 'rows-per-second' */
	int64_t produced;
	sl_chunk_pool *pool;
	bool ended;
} dgsrc;

static uint64_t
mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static int64_t
now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static const char *
opt(const sl_table *t, const char *col, const char *what)
{
	char key[256];
	snprintf(key, sizeof key, "fields.%s.%s", col, what);
	for (int i = 0; i < t->noptions; i++)
		if (sl_streq_ci(t->options[i].key, key))
			return t->options[i].value;
	return NULL;
}

static const char *
topt(const sl_table *t, const char *key)
{
	for (int i = 0; i < t->noptions; i++)
		if (sl_streq_ci(t->options[i].key, key))
			return t->options[i].value;
	return NULL;
}

static void
type_range(const sl_type *t, int64_t *lo, int64_t *hi)
{
	switch (t->kind) {
	case SL_TYPE_TINYINT: *lo = INT8_MIN; *hi = INT8_MAX; break;
	case SL_TYPE_SMALLINT: *lo = INT16_MIN; *hi = INT16_MAX; break;
	case SL_TYPE_INT: *lo = INT32_MIN; *hi = INT32_MAX; break;
	default: *lo = INT64_MIN; *hi = INT64_MAX; break;
	}
}

static void
set_int(sl_vector *v, uint32_t r, int64_t x)
{
	switch (v->width) {
	case 1: SL_VEC_DATA(v, int8_t)[r] = (int8_t)x; break;
	case 2: SL_VEC_DATA(v, int16_t)[r] = (int16_t)x; break;
	case 4: SL_VEC_DATA(v, int32_t)[r] = (int32_t)x; break;
	default: SL_VEC_DATA(v, int64_t)[r] = x; break;
	}
}

static void
fill(sl_chunk *c, int ci, const dgcol *col, int64_t g, uint32_t r, int64_t t0)
{
	sl_vector *v = c->cols[ci];
	uint64_t h = mix(col->seed + (uint64_t)g * UINT64_C(0x9e3779b97f4a7c15));
	if (col->null_rate > 0 && (double)(mix(h) >> 11) * 0x1p-53 < col->null_rate) {
		sl_vec_set_null(v, r);
		return;
	}
	if (col->seq) {
		int64_t x = col->start + g;
		if (sl_type_is_string(col->type)) {
			char buf[32];
			int n = snprintf(buf, sizeof buf, "%lld", (long long)x);
			sl_chunk_set_str(c, ci, r, buf, (size_t)n);
		} else {
			set_int(v, r, x);
		}
		return;
	}
	switch (col->type->kind) {
	case SL_TYPE_BOOLEAN:
		SL_VEC_DATA(v, uint8_t)[r] = (uint8_t)(h & 1);
		break;
	case SL_TYPE_FLOAT:
	case SL_TYPE_DOUBLE: {
		double u = (double)(h >> 11) * 0x1p-53, d = col->dmin + u * (col->dmax - col->dmin);
		if (col->type->kind == SL_TYPE_FLOAT)
			SL_VEC_DATA(v, float)[r] = (float)d;
		else
			SL_VEC_DATA(v, double)[r] = d;
		break;
	}
	case SL_TYPE_CHAR:
	case SL_TYPE_VARCHAR: {
		int len = col->var_len && col->length > 0 ? 1 + (int)(h % (uint64_t)col->length) : col->length;
		char *p = sl_strheap_alloc(&c->heap, (size_t)len + 1);
		uint64_t s = h;
		for (int k = 0; k < len; k++) {
			s = mix(s + UINT64_C(0x9e3779b97f4a7c15));
			p[k] = (char)('a' + s % 26);
		}
		SL_VEC_DATA(v, sl_str)[r] = (sl_str){(uint32_t)len, p};
		break;
	}
	case SL_TYPE_TIMESTAMP:
	case SL_TYPE_TIMESTAMP_LTZ: {
		int64_t back = col->max_past_us > 0 ? (int64_t)(h % (uint64_t)col->max_past_us) : 0;
		SL_VEC_DATA(v, int64_t)[r] = (t0 - back) / 1000 * 1000;
		break;
	}
	default: {
		uint64_t span = (uint64_t)col->imax - (uint64_t)col->imin;
		int64_t x = span == UINT64_MAX ? (int64_t)h
		                               : (int64_t)((uint64_t)col->imin + h % (span + 1));
		set_int(v, r, x);
		break;
	}
	}
}

#define DG_BLOB "dg.split."

static bool
dg_open(sl_op *op, sl_error **errp)
{
	dgsrc *s = op->priv;
	(void)errp;
	s->pool = sl_chunk_pool_new(s->types, s->ncols, 0);
	s->t0_us = s->pace0_us = now_us();
	s->G = op->parallelism;
	if (op->restored_id) {
		sl_state *st = sl_op_state(op, errp);
		size_t nb;
		int G = 0, n = 0;
		if (!st)
			return false;
		nb = sl_state_op_count(st);
		for (size_t i = 0; i < nb; i++) {
			size_t len;
			const int64_t *v;
			if (strncmp(sl_state_op_name(st, i), DG_BLOB, strlen(DG_BLOB)) != 0)
				continue;
			v = sl_state_op_get(st, sl_state_op_name(st, i), &len);
			if (len == 4 * sizeof(int64_t)) {
				int64_t x[4];
				memcpy(x, v, sizeof x);
				G = (int)x[0];
				s->t0_us = x[3];
			}
		}
		if (G > 0) {
			s->G = G;
			s->split = calloc((size_t)G + 1, sizeof *s->split);
			s->snext = calloc((size_t)G + 1, sizeof *s->snext);
			if (!s->split || !s->snext)
				abort();
			for (size_t i = 0; i < nb; i++) {
				size_t len;
				const void *p;
				int64_t x[4];
				if (strncmp(sl_state_op_name(st, i), DG_BLOB, strlen(DG_BLOB)) != 0)
					continue;
				p = sl_state_op_get(st, sl_state_op_name(st, i), &len);
				if (len != sizeof x)
					continue;
				memcpy(x, p, sizeof x);
				if (x[0] != G || x[1] < 0 || x[1] >= G) {
					*errp = sl_error_new(SL_ERR_CHECKPOINT, op->rel->span,
					                     "datagen source: inconsistent split positions in the checkpoint");
					return false;
				}
				if (x[1] % op->parallelism == op->subtask) {
					s->split[n] = (int)x[1];
					s->snext[n++] = x[2];
				}
			}
			s->nsplits = n;
			for (size_t i = 0; i < sl_state_op_count(st); i++)
				if (strchr(sl_state_op_name(st, i), '@'))
					sl_state_op_put(st, sl_state_op_name(st, i), "", 0);
		}
	}
	if (!s->split) {
		s->split = calloc(2, sizeof *s->split);
		s->snext = calloc(2, sizeof *s->snext);
		if (!s->split || !s->snext)
			abort();
		s->split[0] = op->subtask;
		s->snext[0] = op->subtask;
		s->nsplits = 1;
	}
	s->next = s->snext[0];
	return s->pool != NULL;
}

/* The split whose next row comes first, -1 when all are done. */
static int
dg_pick(const dgsrc *s)
{
	int best = -1;
	for (int i = 0; i < s->nsplits; i++)
		if (s->snext[i] < s->rows && (best < 0 || s->snext[i] < s->snext[best]))
			best = i;
	return best;
}

static bool
dg_snapshot(sl_op *op, uint64_t id, sl_error **errp)
{
	dgsrc *s = op->priv;
	sl_state *st = sl_op_state(op, errp);
	(void)id;
	if (!st)
		return false;
	if (s->nsplits == 1)
		s->snext[0] = s->next;
	for (int i = 0; i < s->nsplits; i++) {
		char name[64];
		int64_t v[4] = {s->G, s->split[i], s->snext[i], s->t0_us};
		snprintf(name, sizeof name, DG_BLOB "%d", s->split[i]);
		sl_state_op_put(st, name, v, sizeof v);
	}
	return true;
}

static sl_poll_status
dg_poll(sl_op *op, sl_error **errp)
{
	dgsrc *s = op->priv;
	sl_chunk *c;
	uint32_t want = SL_CHUNK_CAPACITY;
	if (s->ended)
		return SL_POLL_END;
	if (s->rate > 0) {
		/* this subtask's share of rows due by now */
		int64_t due = (now_us() - s->pace0_us) * s->rate / 1000000 / op->parallelism + 1;
		if (s->produced >= due)
			return SL_POLL_IDLE;
		if (due - s->produced < want)
			want = (uint32_t)(due - s->produced);
	}
	if (s->nsplits > 1 && dg_pick(s) >= 0) {
		int k;
		c = sl_chunk_pool_get(s->pool);
		while (c->count < want && (k = dg_pick(s)) >= 0) {
			uint32_t r = sl_chunk_append_row(c);
			for (int i = 0; i < s->ncols; i++)
				fill(c, i, &s->cols[i], s->snext[k], r, s->t0_us);
			s->snext[k] += s->G;
		}
		s->produced += c->count;
		sl_task_count_source_rows(op->task, c->count);
		if (!sl_op_emit(op, c, errp))
			return SL_POLL_ERROR;
		if (dg_pick(s) >= 0)
			return SL_POLL_MORE;
	} else if (s->nsplits == 1 && s->next < s->rows) {
		c = sl_chunk_pool_get(s->pool);
		while (c->count < want && s->next < s->rows) {
			uint32_t r = sl_chunk_append_row(c);
			for (int i = 0; i < s->ncols; i++)
				fill(c, i, &s->cols[i], s->next, r, s->t0_us);
			s->next += s->G;
		}
		s->produced += c->count;
		sl_task_count_source_rows(op->task, c->count);
		if (!sl_op_emit(op, c, errp))
			return SL_POLL_ERROR;
		if (s->next < s->rows)
			return SL_POLL_MORE;
	}
	s->ended = true;
	if (!sl_op_emit_watermark(op, INT64_MAX, errp) || !sl_op_emit_end(op, errp))
		return SL_POLL_ERROR;
	return SL_POLL_END;
}

static void
dg_close(sl_op *op)
{
	dgsrc *s = op->priv;
	if (s->pool)
		sl_chunk_pool_free(s->pool);
	s->pool = NULL;
	free(s->split);
	free(s->snext);
	s->split = NULL;
	s->snext = NULL;
}

/* Source alignment (op.h align_pos): the next row number over this
 * subtask's splits; INT64_MAX once they are all done. */
static int64_t
dg_align_pos(sl_op *op)
{
	const dgsrc *s = op->priv;
	if (s->ended)
		return INT64_MAX;
	if (s->nsplits == 1)
		return s->next < s->rows ? s->next : INT64_MAX;
	int best = dg_pick(s);
	return best < 0 ? INT64_MAX : s->snext[best];
}

static const sl_op_ops dg_ops = {
	.name = "DatagenSource", .open = dg_open, .poll = dg_poll, .align_pos = dg_align_pos,
	.close = dg_close, .snapshot = dg_snapshot,
};

static bool
bad(const sl_rel *r, const char *col, const char *what, sl_error **errp)
{
	*errp = sl_error_new(SL_ERR_INVALID_OPTION, r->span, "datagen table \"%s\", column \"%s\": %s",
	                     r->table->name, col, what);
	return false;
}

bool
sl_op_init_datagen_source(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_rel *r = op->rel;
	const sl_table *t = r->table;
	dgsrc *s = SL_ANEW(a, dgsrc);
	const char *v;

	s->ncols = r->nfields;
	s->cols = SL_ANEWN(a, dgcol, r->nfields + 1);
	s->types = sl_op_field_types(a, r);
	s->rows = INT64_MAX;
	if ((v = topt(t, "number-of-rows")))
		s->rows = strtoll(v, NULL, 10);
	if ((v = topt(t, "rows-per-second")))
		s->rate = strtoll(v, NULL, 10);
	/* the row count follows every sequence column of the table, read or
	 * not (projection pruning must not make a bounded source unbounded) */
	if (!topt(t, "number-of-rows"))
		for (int i = 0; i < t->ncols; i++) {
			const char *kind = opt(t, t->cols[i].name, "kind");
			const char *st = opt(t, t->cols[i].name, "start"), *en = opt(t, t->cols[i].name, "end");
			if (kind && sl_streq_ci(kind, "sequence") && st && en) {
				int64_t n = strtoll(en, NULL, 10) - strtoll(st, NULL, 10) + 1;
				if (n >= 0 && n < s->rows)
					s->rows = n;
			}
		}
	for (int i = 0; i < r->nfields; i++) {
		const sl_column *tc = &t->cols[r->scan_cols[i]];
		dgcol *c = &s->cols[i];
		const char *kind = opt(t, tc->name, "kind");
		c->type = r->fields[i].type;
		c->seed = mix((uint64_t)r->scan_cols[i] + 1);
		if (r->scan_paths && r->scan_paths[i] >= 0)
			return bad(r, tc->name, "nested fields are not generated", errp);
		if ((v = opt(t, tc->name, "null-rate")))
			c->null_rate = strtod(v, NULL);
		if (kind && sl_streq_ci(kind, "sequence")) {
			const char *st = opt(t, tc->name, "start"), *en = opt(t, tc->name, "end");
			if (!st || !en)
				return bad(r, tc->name, "a sequence needs 'start' and 'end'", errp);
			if (!sl_type_is_exact_integer(c->type) && !sl_type_is_string(c->type))
				return bad(r, tc->name, "sequences are integers or strings", errp);
			c->seq = true;
			c->start = strtoll(st, NULL, 10);
			c->end = strtoll(en, NULL, 10);
			if (c->end < c->start)
				return bad(r, tc->name, "'end' is below 'start'", errp);
			continue;
		}
		switch (c->type->kind) {
		case SL_TYPE_BOOLEAN:
		case SL_TYPE_TIMESTAMP:
		case SL_TYPE_TIMESTAMP_LTZ:
			if ((v = opt(t, tc->name, "max-past"))) {
				/* '5 s', '1000 ms', '1 min': number then unit */
				char *end;
				double n = strtod(v, &end);
				while (*end == ' ')
					end++;
				c->max_past_us = (int64_t)(n * (*end == 'm' && end[1] == 'i' ? 60e6 :
				                                *end == 'm' ? 1e3 : *end == 'h' ? 3600e6 : 1e6));
			}
			break;
		case SL_TYPE_FLOAT:
		case SL_TYPE_DOUBLE:
			c->dmin = (v = opt(t, tc->name, "min")) ? strtod(v, NULL) : 0;
			c->dmax = (v = opt(t, tc->name, "max")) ? strtod(v, NULL) : 1;
			break;
		case SL_TYPE_CHAR:
		case SL_TYPE_VARCHAR:
			c->length = (v = opt(t, tc->name, "length")) ? atoi(v) : 100;
			c->var_len = (v = opt(t, tc->name, "var-len")) && sl_streq_ci(v, "true");
			break;
		case SL_TYPE_TINYINT:
		case SL_TYPE_SMALLINT:
		case SL_TYPE_INT:
		case SL_TYPE_BIGINT:
			type_range(c->type, &c->imin, &c->imax);
			if ((v = opt(t, tc->name, "min")))
				c->imin = strtoll(v, NULL, 10);
			if ((v = opt(t, tc->name, "max")))
				c->imax = strtoll(v, NULL, 10);
			if (c->imax < c->imin)
				return bad(r, tc->name, "'max' is below 'min'", errp);
			break;
		default:
			return bad(r, tc->name, "this type is not generated yet", errp);
		}
	}
	op->ops = &dg_ops;
	op->priv = s;
	return true;
}
