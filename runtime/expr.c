/*
 * expr.c
 *	  Expression trees (construction, printing) and their vectorized
 *	  evaluation over a chunk's selected rows.
 *
 *	  A program mirrors the tree with one nstate per node: the node's
 *	  scratch result vector (capacity SL_CHUNK_CAPACITY, allocated once),
 *	  two selection buffers for conditional forms, and compiled constants.
 *	  ev() evaluates a node over sel[0..n) and returns the vector holding
 *	  its result at those row positions: a column reference returns the
 *	  input vector itself and a constant a pre-filled vector, so neither
 *	  copies anything.
 *
 *	  @thread a program is used by one thread at a time; trees are shared.
 *
 * INTERFACE ROUTINES
 *	  see expr.h
 */
#include "runtime/expr_int.h"
#include "runtime/dict.h"
#include "udf/udf.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------------
 * Static types
 * ------------------------------------------------------------------- */
static sl_type rt_types[SL_TYPE__COUNT];
static pthread_once_t rt_types_once = PTHREAD_ONCE_INIT;

static void
rt_types_init(void)
{
	for (int k = 0; k < SL_TYPE__COUNT; k++) {
		rt_types[k].kind = (sl_type_kind)k;
		rt_types[k].nullable = true;
	}
	rt_types[SL_TYPE_VARCHAR].precision = SL_VARCHAR_MAX;
	rt_types[SL_TYPE_CHAR].precision = 1;
	rt_types[SL_TYPE_BYTES].precision = SL_VARCHAR_MAX;
	rt_types[SL_TYPE_TIMESTAMP].precision = 3;
	rt_types[SL_TYPE_TIMESTAMP_LTZ].precision = 3;
	rt_types[SL_TYPE_DECIMAL].precision = 10;
	rt_types[SL_TYPE_TIME].precision = 0;
	sl_kernels_init();
}

const sl_type *
sl_rt_type(sl_type_kind kind)
{
	pthread_once(&rt_types_once, rt_types_init);
	return &rt_types[kind];
}

const sl_type *
sl_rt_decimal(sl_arena *a, int precision, int scale)
{
	sl_type *t = SL_ANEW(a, sl_type);
	t->kind = SL_TYPE_DECIMAL;
	t->nullable = true;
	t->precision = precision;
	t->scale = scale;
	return t;
}

const sl_type *
sl_rt_not_null(sl_arena *a, const sl_type *t)
{
	sl_type *c;
	if (!t->nullable)
		return t;
	c = SL_ANEW(a, sl_type);
	*c = *t;
	c->nullable = false;
	return c;
}

/* ---------------------------------------------------------------------
 * Construction
 * ------------------------------------------------------------------- */
static sl_rexpr *
node(sl_arena *a, sl_rexpr_kind kind, const sl_type *type, sl_rexpr **args, int nargs)
{
	sl_rexpr *e = SL_ANEW(a, sl_rexpr);
	e->kind = kind;
	e->type = type;
	e->nargs = nargs;
	if (nargs) {
		e->args = SL_ANEWN(a, sl_rexpr *, nargs);
		for (int i = 0; i < nargs; i++) {
			SL_ASSERT(args[i] != NULL);
			e->args[i] = args[i];
		}
	}
	return e;
}

sl_rexpr *
sl_rexpr_col(sl_arena *a, int col, const sl_type *type)
{
	sl_rexpr *e = node(a, SL_REXPR_COL, type, NULL, 0);
	e->col = col;
	return e;
}

sl_rexpr *
sl_rexpr_field(sl_arena *a, sl_rexpr *row, int field)
{
	const sl_type *ft;
	sl_rexpr *e;
	SL_ASSERT(row->type->kind == SL_TYPE_ROW && field >= 0 && field < row->type->nfields);
	ft = row->type->fields[field].type;
	if (row->type->nullable && !ft->nullable) {
		sl_type *t = SL_ANEW(a, sl_type);
		*t = *ft;
		t->nullable = true;
		ft = t;
	}
	e = node(a, SL_REXPR_FIELD, ft, &row, 1);
	e->col = field;
	return e;
}

sl_rexpr *
sl_rexpr_col_path(sl_arena *a, int col, const sl_type *coltype, const int *path, int npath)
{
	sl_rexpr *e = sl_rexpr_col(a, col, coltype);
	for (int i = 0; i < npath; i++)
		e = sl_rexpr_field(a, e, path[i]);
	return e;
}

sl_rexpr *
sl_rexpr_const(sl_arena *a, const sl_type *type, const sl_datum *value)
{
	sl_rexpr *e = node(a, SL_REXPR_CONST, type, NULL, 0);
	e->value = *value;
	if (!value->is_null && sl_type_is_str(type)) {
		char *p = sl_arena_alloc(a, value->v.s.len + 1);
		memcpy(p, value->v.s.ptr, value->v.s.len);
		p[value->v.s.len] = '\0';
		e->value.v.s.ptr = p;
	}
	return e;
}

sl_rexpr *
sl_rexpr_const_null(sl_arena *a, const sl_type *type)
{
	sl_datum d = {.is_null = true};
	return sl_rexpr_const(a, type, &d);
}

#define CONST_FN(fname, ctype, member, kind)                                   \
	sl_rexpr *fname(sl_arena *a, ctype v)                                      \
	{                                                                          \
		sl_datum d = {.is_null = false};                                       \
		d.v.member = v;                                                        \
		return sl_rexpr_const(a, sl_rt_not_null(a, sl_rt_type(kind)), &d);     \
	}
CONST_FN(sl_rexpr_const_bool, bool, b, SL_TYPE_BOOLEAN)
CONST_FN(sl_rexpr_const_int, int32_t, i, SL_TYPE_INT)
CONST_FN(sl_rexpr_const_bigint, int64_t, i, SL_TYPE_BIGINT)
CONST_FN(sl_rexpr_const_double, double, f, SL_TYPE_DOUBLE)
CONST_FN(sl_rexpr_const_date, int32_t, i, SL_TYPE_DATE)
CONST_FN(sl_rexpr_const_interval_dt, int64_t, i, SL_TYPE_INTERVAL_DT)
CONST_FN(sl_rexpr_const_interval_ym, int32_t, i, SL_TYPE_INTERVAL_YM)

sl_rexpr *
sl_rexpr_const_timestamp(sl_arena *a, int64_t us, int precision)
{
	sl_datum d = {.is_null = false};
	sl_type *t = SL_ANEW(a, sl_type);
	t->kind = SL_TYPE_TIMESTAMP;
	t->precision = precision;
	d.v.i = us;
	return sl_rexpr_const(a, t, &d);
}

sl_rexpr *
sl_rexpr_const_decimal(sl_arena *a, __int128 unscaled, int precision, int scale)
{
	sl_datum d = {.is_null = false};
	d.v.dec = unscaled;
	return sl_rexpr_const(a, sl_rt_not_null(a, sl_rt_decimal(a, precision, scale)), &d);
}

sl_rexpr *
sl_rexpr_const_decimal_str(sl_arena *a, const char *text)
{
	int digits = 0, scale = 0;
	bool dot = false, lead = true;
	sl_i128 v;
	for (const char *p = text; *p; p++) {
		if (*p == '.') {
			dot = true;
			continue;
		}
		if (*p < '0' || *p > '9')
			continue;
		if (dot)
			scale++;
		if (*p != '0' || !lead || dot) {
			lead = false;
			digits++;
		}
	}
	if (digits < scale)
		digits = scale;
	if (digits == 0)
		digits = 1;
	SL_ASSERT(digits <= 38);
	if (!sl_parse_decimal(text, strlen(text), digits, scale, &v))
		sl_fatal("internal error: bad decimal literal \"%s\"", text);
	return sl_rexpr_const_decimal(a, v, digits, scale);
}

sl_rexpr *
sl_rexpr_const_str(sl_arena *a, const char *s, size_t n)
{
	sl_datum d = {.is_null = false};
	sl_type *t = SL_ANEW(a, sl_type);
	t->kind = SL_TYPE_CHAR; /* Flink types 'abc' as CHAR(3) NOT NULL */
	t->precision = (int32_t)n;
	t->nullable = false;
	d.v.s = (sl_str){(uint32_t)n, s};
	return sl_rexpr_const(a, t, &d);
}

sl_rexpr *
sl_rexpr_cast(sl_arena *a, sl_rexpr *arg, const sl_type *to, bool try_cast)
{
	sl_rexpr *e;
	if (try_cast && !to->nullable) {
		sl_type *t = SL_ANEW(a, sl_type);
		*t = *to;
		t->nullable = true;
		to = t;
	}
	e = node(a, SL_REXPR_CAST, to, &arg, 1);
	e->try_cast = try_cast;
	return e;
}

sl_rexpr *
sl_rexpr_call(sl_arena *a, sl_func_id fn, sl_rexpr **args, int nargs, const sl_type *result)
{
	sl_rexpr *e = node(a, SL_REXPR_CALL, result, args, nargs);
	e->fn = fn;
	return e;
}

sl_rexpr *
sl_rexpr_case(sl_arena *a, sl_rexpr **whens, sl_rexpr **thens, int n, sl_rexpr *els,
              const sl_type *type)
{
	sl_rexpr **args = SL_ANEWN(a, sl_rexpr *, 2 * n + 1);
	sl_rexpr *e;
	for (int i = 0; i < n; i++) {
		args[2 * i] = whens[i];
		args[2 * i + 1] = thens[i];
	}
	if (els)
		args[2 * n] = els;
	e = node(a, SL_REXPR_CASE, type, args, 2 * n + (els ? 1 : 0));
	e->has_else = els != NULL;
	return e;
}

sl_rexpr *
sl_rexpr_if(sl_arena *a, sl_rexpr *cond, sl_rexpr *then, sl_rexpr *els, const sl_type *type)
{
	return sl_rexpr_case(a, &cond, &then, 1, els, type);
}

sl_rexpr *
sl_rexpr_coalesce(sl_arena *a, sl_rexpr **args, int n, const sl_type *type)
{
	return node(a, SL_REXPR_COALESCE, type, args, n);
}

static const sl_type *
bool_type(sl_arena *a, sl_rexpr **args, int n)
{
	for (int i = 0; i < n; i++)
		if (args[i]->type->nullable)
			return sl_rt_type(SL_TYPE_BOOLEAN);
	return sl_rt_not_null(a, sl_rt_type(SL_TYPE_BOOLEAN));
}

sl_rexpr *
sl_rexpr_and(sl_arena *a, sl_rexpr **args, int n)
{
	return node(a, SL_REXPR_AND, bool_type(a, args, n), args, n);
}

sl_rexpr *
sl_rexpr_or(sl_arena *a, sl_rexpr **args, int n)
{
	return node(a, SL_REXPR_OR, bool_type(a, args, n), args, n);
}

sl_rexpr *
sl_rexpr_not(sl_arena *a, sl_rexpr *arg)
{
	return node(a, SL_REXPR_NOT, bool_type(a, &arg, 1), &arg, 1);
}

sl_rexpr *
sl_rexpr_in(sl_arena *a, sl_rexpr *arg, sl_rexpr **list, int n, bool negated)
{
	sl_rexpr **args = SL_ANEWN(a, sl_rexpr *, n + 1);
	sl_rexpr *e;
	args[0] = arg;
	for (int i = 0; i < n; i++)
		args[i + 1] = list[i];
	e = node(a, SL_REXPR_IN, bool_type(a, args, n + 1), args, n + 1);
	e->negated = negated;
	return e;
}

sl_rexpr *
sl_rexpr_between(sl_arena *a, sl_rexpr *arg, sl_rexpr *lo, sl_rexpr *hi, bool negated,
                 bool symmetric)
{
	sl_rexpr *args[3] = {arg, lo, hi};
	sl_rexpr *e = node(a, SL_REXPR_BETWEEN, bool_type(a, args, 3), args, 3);
	e->negated = negated;
	e->symmetric = symmetric;
	return e;
}

sl_rexpr *
sl_rexpr_like(sl_arena *a, sl_rexpr *arg, sl_rexpr *pattern, sl_rexpr *escape, bool negated)
{
	sl_rexpr *args[3] = {arg, pattern, escape};
	sl_rexpr *e = node(a, SL_REXPR_LIKE, bool_type(a, args, escape ? 3 : 2), args,
	                   escape ? 3 : 2);
	e->negated = negated;
	return e;
}

sl_rexpr *
sl_rexpr_udf(sl_arena *a, const sl_udf_fn *fn, sl_rexpr **args, int nargs, const sl_type *result)
{
	sl_rexpr *e = node(a, SL_REXPR_UDF, result, args, nargs);
	e->udf = fn;
	return e;
}

sl_rexpr *
sl_rexpr_is(sl_arena *a, sl_rexpr *arg, sl_is_test test)
{
	sl_rexpr *e = node(a, SL_REXPR_IS, sl_rt_not_null(a, sl_rt_type(SL_TYPE_BOOLEAN)), &arg, 1);
	e->test = test;
	return e;
}

/* ---------------------------------------------------------------------
 * Printing
 * ------------------------------------------------------------------- */
static void
format_args(const sl_rexpr *e, int from, const char *sep, sl_strbuf *out)
{
	for (int i = from; i < e->nargs; i++) {
		if (i > from)
			sl_strbuf_append(out, sep);
		sl_rexpr_format(e->args[i], out);
	}
}

void
sl_rexpr_format(const sl_rexpr *e, sl_strbuf *out)
{
	static const char *const is_names[] = {"IS NULL", "IS NOT NULL", "IS TRUE",
	                                       "IS NOT TRUE", "IS FALSE", "IS NOT FALSE"};
	switch (e->kind) {
	case SL_REXPR_COL:
		sl_strbuf_appendf(out, "$%d", e->col);
		return;
	case SL_REXPR_FIELD:
		sl_rexpr_format(e->args[0], out);
		sl_strbuf_appendf(out, ".%s", e->args[0]->type->fields[e->col].name);
		return;
	case SL_REXPR_CONST: {
		sl_vector *v;
		if (e->value.is_null) {
			sl_strbuf_append(out, "NULL");
			return;
		}
		if (sl_type_is_str(e->type)) {
			sl_strbuf_appendc(out, '\'');
			sl_strbuf_appendn(out, e->value.v.s.ptr, e->value.v.s.len);
			sl_strbuf_appendc(out, '\'');
			return;
		}
		v = sl_vector_new(e->type, 1);
		switch (v->width) {
		case 1: SL_VEC_DATA(v, uint8_t)[0] = (uint8_t)e->value.v.i; if (e->type->kind == SL_TYPE_BOOLEAN) SL_VEC_DATA(v, uint8_t)[0] = e->value.v.b; break;
		case 2: SL_VEC_DATA(v, int16_t)[0] = (int16_t)e->value.v.i; break;
		case 4:
			if (e->type->kind == SL_TYPE_FLOAT)
				SL_VEC_DATA(v, float)[0] = (float)e->value.v.f;
			else
				SL_VEC_DATA(v, int32_t)[0] = (int32_t)e->value.v.i;
			break;
		case 8:
			if (e->type->kind == SL_TYPE_DOUBLE)
				SL_VEC_DATA(v, double)[0] = e->value.v.f;
			else if (e->type->kind == SL_TYPE_DECIMAL)
				SL_VEC_DATA(v, int64_t)[0] = (int64_t)e->value.v.dec;
			else
				SL_VEC_DATA(v, int64_t)[0] = e->value.v.i;
			break;
		case 16: SL_VEC_DATA(v, __int128)[0] = e->value.v.dec; break;
		}
		sl_value_format(v, 0, out);
		sl_vector_free(v);
		return;
	}
	case SL_REXPR_CAST: {
		sl_strbuf_append(out, e->try_cast ? "TRY_CAST(" : "CAST(");
		sl_rexpr_format(e->args[0], out);
		sl_strbuf_append(out, " AS ");
		sl_type_kind k = e->type->kind;
		static const char *const names[] = {"NULL", "BOOLEAN", "TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "DECIMAL", "CHAR", "VARCHAR", "BYTES", "DATE", "TIME", "TIMESTAMP", "TIMESTAMP_LTZ", "INTERVAL", "INTERVAL", "ROW", "ARRAY", "MAP"};
		sl_strbuf_append(out, names[k]);
		if (k == SL_TYPE_DECIMAL)
			sl_strbuf_appendf(out, "(%d, %d)", e->type->precision, e->type->scale);
		sl_strbuf_appendc(out, ')');
		return;
	}
	case SL_REXPR_UDF:
		sl_strbuf_appendf(out, "%s(", e->udf->name);
		format_args(e, 0, ", ", out);
		sl_strbuf_appendc(out, ')');
		return;
	case SL_REXPR_CALL: {
		const sl_func_info *fi = sl_udf_builtin_info(e->fn);
		char c = fi->name[0];
		bool op = !(c >= 'A' && c <= 'Z') && c != '_';
		if (op && e->nargs == 2) {
			sl_strbuf_appendc(out, '(');
			sl_rexpr_format(e->args[0], out);
			sl_strbuf_appendf(out, " %s ", fi->name);
			sl_rexpr_format(e->args[1], out);
			sl_strbuf_appendc(out, ')');
		} else if (op) {
			sl_strbuf_append(out, fi->name);
			sl_rexpr_format(e->args[0], out);
		} else {
			sl_strbuf_appendf(out, "%s(", fi->name);
			format_args(e, 0, ", ", out);
			sl_strbuf_appendc(out, ')');
		}
		return;
	}
	case SL_REXPR_CASE: {
		int npairs = (e->nargs - (e->has_else ? 1 : 0)) / 2;
		sl_strbuf_append(out, "CASE");
		for (int i = 0; i < npairs; i++) {
			sl_strbuf_append(out, " WHEN ");
			sl_rexpr_format(e->args[2 * i], out);
			sl_strbuf_append(out, " THEN ");
			sl_rexpr_format(e->args[2 * i + 1], out);
		}
		if (e->has_else) {
			sl_strbuf_append(out, " ELSE ");
			sl_rexpr_format(e->args[e->nargs - 1], out);
		}
		sl_strbuf_append(out, " END");
		return;
	}
	case SL_REXPR_COALESCE:
		sl_strbuf_append(out, "COALESCE(");
		format_args(e, 0, ", ", out);
		sl_strbuf_appendc(out, ')');
		return;
	case SL_REXPR_AND:
	case SL_REXPR_OR:
		sl_strbuf_appendc(out, '(');
		format_args(e, 0, e->kind == SL_REXPR_AND ? " AND " : " OR ", out);
		sl_strbuf_appendc(out, ')');
		return;
	case SL_REXPR_NOT:
		sl_strbuf_append(out, "NOT ");
		sl_rexpr_format(e->args[0], out);
		return;
	case SL_REXPR_IN:
		sl_rexpr_format(e->args[0], out);
		sl_strbuf_append(out, e->negated ? " NOT IN (" : " IN (");
		format_args(e, 1, ", ", out);
		sl_strbuf_appendc(out, ')');
		return;
	case SL_REXPR_BETWEEN:
		sl_rexpr_format(e->args[0], out);
		sl_strbuf_append(out, e->negated ? " NOT BETWEEN " : " BETWEEN ");
		if (e->symmetric)
			sl_strbuf_append(out, "SYMMETRIC ");
		sl_rexpr_format(e->args[1], out);
		sl_strbuf_append(out, " AND ");
		sl_rexpr_format(e->args[2], out);
		return;
	case SL_REXPR_LIKE:
		sl_rexpr_format(e->args[0], out);
		sl_strbuf_append(out, e->negated ? " NOT LIKE " : " LIKE ");
		sl_rexpr_format(e->args[1], out);
		if (e->nargs > 2) {
			sl_strbuf_append(out, " ESCAPE ");
			sl_rexpr_format(e->args[2], out);
		}
		return;
	case SL_REXPR_IS:
		sl_rexpr_format(e->args[0], out);
		sl_strbuf_appendf(out, " %s", is_names[e->test]);
		return;
	}
}

/* ---------------------------------------------------------------------
 * Programs
 * ------------------------------------------------------------------- */
typedef struct like_pat like_pat;

typedef struct in_set {
	sl_vector *vals;     /* constant list values (non-NULL), cast to arg's type */
	uint32_t nvals;
	bool has_null;       /* a NULL in the list */
	uint32_t mask;       /* table size - 1 */
	int32_t *table;      /* index into vals, -1 empty */
} in_set;

typedef struct nstate nstate;
struct nstate {
	const sl_rexpr *e;
	sl_vector *out;        /* result vector (NULL for COL) */
	nstate **kids;
	const sl_vector **argv;/* argument vectors of the current call */
	uint16_t *sel1, *sel2; /* selection buffers (conditional forms) */
	void *aux;             /* compiled state: kernel aux, like_pat, in_set */
	bool all_const_in;     /* IN: every list item is a constant */
	/* common subexpressions: a node referenced more than once in the tree
	 * (same pointer) is evaluated once per evaluation for the rows asked */
	bool shared;           /* referenced more than once */
	uint64_t gen;          /* evaluation whose result is cached */
	uint64_t *done;        /* rows of that result (capacity bits) */
	const sl_vector *cached; /* the result vector */
	sl_vector *alt;        /* shared, not nested: scratch for rows asked later */
	uint16_t *miss;        /* shared: rows asked that are not done */
	/* dictionary evaluation (see "Dictionaries" below) */
	bool pure;             /* deterministic, no UDF, over at most
	                        * DICT_MAX_COLS scalar columns (dcols) */
	bool dict_ok;          /* pure, computes something, scalar result */
	bool dict_off;         /* given up on (see dict_values) */
	int ndcols;
	int dcols[4];
	struct dict_cache *dc; /* allocated at the first dictionary seen */
};

#define DICT_MAX_COLS 4
/* Dictionaries one node keeps results for (one per nexmark source
 * subtask its input comes from); a node that meets more gives up. */
#define DICT_SLOTS 4

typedef struct dict_cache {
	sl_rexpr_prog *prog;   /* the node's tree alone */
	int nslots;
	struct {
		uint64_t id;       /* sl_dict.id */
		sl_vector *vals;   /* the node's value per entry (n + 1 rows) */
		sl_strheap heap;   /* strings of vals */
	} slot[DICT_SLOTS];
} dict_cache;

struct sl_rexpr_prog {
	sl_arena *arena;       /* nstates, compiled constants */
	nstate *root;          /* roots[0] */
	nstate **roots;        /* every root (sl_rexpr_calc_new: filter, projections) */
	int nroots;
	SL_VEC(sl_vector *) vectors; /* every vector allocated, freed with prog */
	SL_VEC(nstate *) releases;   /* CALL nodes whose aux needs a release */
	SL_VEC(nstate *) udfs;       /* UDF nodes: their udf_state to release */
	SL_VEC(nstate *) compiled;   /* during compilation: every nstate, for sharing */
	SL_VEC(nstate *) dicts;      /* nodes with a dict_cache to free */
	uint64_t dict_rows;          /* sl_rexpr_prog_dict_rows */
	uint64_t gen;                /* evaluations so far */
	bool has_cond;               /* sl_rexpr_calc_new: roots[0] is the filter */
	sl_strheap heap;       /* strings of filters / sl_rexpr_eval(heap = NULL) */
	uint32_t capacity;     /* rows a scratch vector holds */
	size_t vec_bytes;      /* bytes of vectors allocated */
};

typedef struct ectx {
	sl_rexpr_prog *prog;   /* being evaluated */
	uint64_t gen;          /* this evaluation's number */
	const sl_chunk *in;
	sl_strheap *heap;
	int64_t now_us;
	sl_error **errp;
	bool failed;
} ectx;

static uint16_t identity_sel[65536];
static pthread_once_t identity_once = PTHREAD_ONCE_INIT;

static void
identity_init(void)
{
	for (uint32_t i = 0; i < 65536; i++)
		identity_sel[i] = (uint16_t)i;
}

static sl_vector *
prog_vector(sl_rexpr_prog *prog, const sl_type *t)
{
	sl_vector *v = sl_vector_new(t, prog->capacity);
	sl_vec_push(&prog->vectors, v);
	prog->vec_bytes += (size_t)prog->capacity * (v->width + 1) + prog->capacity / 8;
	return v;
}

/* like.c-style matcher lives in func_string.c */
bool sl_like_compile(sl_arena *a, const char *pat, size_t n, int escape, void **out,
                     sl_error **errp);
bool sl_like_match(const void *compiled, const char *s, size_t n);
bool sl_like_match_raw(const char *s, size_t n, const char *pat, size_t pn, int escape,
                       bool *ok);

static void
fill_const(sl_vector *v, const sl_rexpr *e)
{
	const sl_datum *d = &e->value;
	uint32_t cap = v->capacity;
	if (d->is_null) {
		sl_vec_own_validity(v);
		memset(v->validity, 0, ((cap + 63) / 64) * 8);
		return;
	}
	for (uint32_t r = 0; r < cap; r++) {
		switch (e->type->kind) {
		case SL_TYPE_BOOLEAN: SL_VEC_DATA(v, uint8_t)[r] = d->v.b; break;
		case SL_TYPE_TINYINT: SL_VEC_DATA(v, int8_t)[r] = (int8_t)d->v.i; break;
		case SL_TYPE_SMALLINT: SL_VEC_DATA(v, int16_t)[r] = (int16_t)d->v.i; break;
		case SL_TYPE_INT: case SL_TYPE_DATE: case SL_TYPE_INTERVAL_YM:
			SL_VEC_DATA(v, int32_t)[r] = (int32_t)d->v.i; break;
		case SL_TYPE_FLOAT: SL_VEC_DATA(v, float)[r] = (float)d->v.f; break;
		case SL_TYPE_DOUBLE: SL_VEC_DATA(v, double)[r] = d->v.f; break;
		case SL_TYPE_DECIMAL: sl_dec_put(v, r, d->v.dec); break;
		case SL_TYPE_CHAR: case SL_TYPE_VARCHAR: case SL_TYPE_BYTES:
			SL_VEC_DATA(v, sl_str)[r] = d->v.s; break;
		case SL_TYPE_NULL: break;
		default: SL_VEC_DATA(v, int64_t)[r] = d->v.i; break;
		}
	}
}

static bool is_const(const sl_rexpr *e) { return e->kind == SL_REXPR_CONST; }

static bool
in_set_build(sl_rexpr_prog *prog, nstate *ns)
{
	const sl_rexpr *e = ns->e;
	in_set *s = SL_ANEW(prog->arena, in_set);
	uint32_t size = 16;
	uint32_t n = (uint32_t)e->nargs - 1;
	while (size < n * 2)
		size *= 2;
	s->vals = sl_vector_new(e->args[0]->type, n + 1);
	sl_vec_push(&prog->vectors, s->vals);
	s->mask = size - 1;
	s->table = SL_ANEWN(prog->arena, int32_t, size);
	for (uint32_t i = 0; i < size; i++)
		s->table[i] = -1;
	for (uint32_t i = 0; i < n; i++) {
		const sl_rexpr *c = e->args[i + 1];
		sl_vector *one = ns->kids[i + 1]->out; /* constant vector */
		if (c->value.is_null) {
			s->has_null = true;
			continue;
		}
		sl_vector_copy_row(s->vals, s->nvals, one, 0, NULL);
		{
			uint64_t h = sl_value_hash(s->vals, s->nvals);
			uint32_t slot = (uint32_t)h & s->mask;
			bool dup = false;
			while (s->table[slot] >= 0) {
				if (sl_value_cmp(s->vals, (uint32_t)s->table[slot], s->vals, s->nvals) == 0) {
					dup = true;
					break;
				}
				slot = (slot + 1) & s->mask;
			}
			if (!dup) {
				s->table[slot] = (int32_t)s->nvals;
				s->nvals++;
			}
		}
	}
	ns->aux = s;
	return true;
}

static bool
type_equal(const sl_type *a, const sl_type *b)
{
	if (a == b)
		return true;
	if (a->kind != b->kind || a->nullable != b->nullable || a->precision != b->precision ||
	    a->scale != b->scale)
		return false;
	if (a->kind == SL_TYPE_ROW || a->kind == SL_TYPE_ARRAY || a->kind == SL_TYPE_MAP)
		return false; /* nested: only the same descriptor */
	return true;
}

/* Structural equality of two trees (for sharing common subexpressions
 * that the planner built twice, e.g. LOWER(channel) in each WHEN). */
static bool
rexpr_equal(const sl_rexpr *a, const sl_rexpr *b)
{
	if (a == b)
		return true;
	if (a->kind != b->kind || a->nargs != b->nargs || !type_equal(a->type, b->type) ||
	    a->col != b->col || a->fn != b->fn || a->try_cast != b->try_cast ||
	    a->negated != b->negated || a->symmetric != b->symmetric ||
	    a->has_else != b->has_else || a->test != b->test || a->udf != b->udf)
		return false;
	if (a->kind == SL_REXPR_UDF && !a->udf->deterministic)
		return false;
	if (a->kind == SL_REXPR_CALL &&
	    (a->fn == SL_FN_RAND || a->fn == SL_FN_RAND_INTEGER || a->fn == SL_FN_UUID))
		return false;   /* two RAND() calls give two values */
	if (a->kind == SL_REXPR_CONST) {
		const sl_datum *x = &a->value, *y = &b->value;
		if (x->is_null || y->is_null)
			return x->is_null == y->is_null;
		switch (a->type->kind) {
		case SL_TYPE_BOOLEAN: return x->v.b == y->v.b;
		case SL_TYPE_FLOAT: case SL_TYPE_DOUBLE: return memcmp(&x->v.f, &y->v.f, sizeof x->v.f) == 0;
		case SL_TYPE_DECIMAL: return x->v.dec == y->v.dec;
		case SL_TYPE_CHAR: case SL_TYPE_VARCHAR: case SL_TYPE_BYTES:
			return x->v.s.len == y->v.s.len && memcmp(x->v.s.ptr, y->v.s.ptr, x->v.s.len) == 0;
		default: return x->v.i == y->v.i;
		}
	}
	for (int i = 0; i < a->nargs; i++)
		if (!rexpr_equal(a->args[i], b->args[i]))
			return false;
	return true;
}

/* A UDF node's per-program state: the engine side of its context. */
typedef struct udf_state {
	sl_udf_call call;
	sl_arena *scratch;          /* ctx->alloc when not serving a heap */
	sluice_udf_vector *in;      /* nargs ABI argument vectors */
	uint32_t *sel;              /* the selection as 32-bit positions */
} udf_state;

/* Functions whose value depends on more than their arguments. */
static bool
fn_volatile(const sl_rexpr *e)
{
	switch (e->fn) {
	case SL_FN_RAND: case SL_FN_RAND_INTEGER: case SL_FN_UUID: case SL_FN_CURRENT_TIMESTAMP:
	case SL_FN_NOW: case SL_FN_LOCALTIMESTAMP: case SL_FN_CURRENT_DATE: case SL_FN_PROCTIME:
		return true;
	case SL_FN_UNIX_TIMESTAMP:
		return e->nargs == 0;
	default:
		return false;
	}
}

static bool
is_nested(const sl_type *t)
{
	return t->kind == SL_TYPE_ROW || t->kind == SL_TYPE_ARRAY || t->kind == SL_TYPE_MAP;
}

/* Set ns->pure, dcols and dict_ok from its kids (compiled before). */
static void
dict_mark(nstate *ns)
{
	const sl_rexpr *e = ns->e;
	ns->pure = false;
	ns->ndcols = 0;
	switch (e->kind) {
	case SL_REXPR_COL:
		if (is_nested(e->type))
			return;
		ns->dcols[ns->ndcols++] = e->col;
		ns->pure = true;
		return;
	case SL_REXPR_CONST:
		ns->pure = true;
		return;
	case SL_REXPR_FIELD:
	case SL_REXPR_UDF:
		return;
	case SL_REXPR_CALL:
		if (fn_volatile(e))
			return;
		break;
	default:
		break;
	}
	for (int i = 0; i < e->nargs; i++) {
		const nstate *k = ns->kids[i];
		if (!k->pure)
			return;
		for (int j = 0; j < k->ndcols; j++) {
			int c = k->dcols[j], m = 0;
			while (m < ns->ndcols && ns->dcols[m] != c)
				m++;
			if (m == ns->ndcols) {
				if (m == DICT_MAX_COLS)
					return;
				ns->dcols[ns->ndcols++] = c;
			}
		}
	}
	ns->pure = true;
	ns->dict_ok = ns->ndcols > 0 && !is_nested(e->type);
}

static nstate *
compile_node(sl_rexpr_prog *prog, const sl_rexpr *e, sl_error **errp)
{
	nstate *ns;
	if (e->kind != SL_REXPR_COL && e->kind != SL_REXPR_CONST) {
		for (size_t i = 0; i < prog->compiled.n; i++) {
			if (rexpr_equal(prog->compiled.v[i]->e, e)) {
				ns = prog->compiled.v[i];
				if (!ns->shared) {
					sl_type_kind k = e->type->kind;
					ns->shared = true;
					ns->done = SL_ANEWN(prog->arena, uint64_t, (prog->capacity + 63) / 64);
					ns->miss = SL_ANEWN(prog->arena, uint16_t, prog->capacity);
					if (k != SL_TYPE_ROW && k != SL_TYPE_ARRAY && k != SL_TYPE_MAP)
						ns->alt = prog_vector(prog, e->type);
				}
				return ns;
			}
		}
	}
	ns = SL_ANEW(prog->arena, nstate);
	ns->e = e;
	sl_vec_push(&prog->compiled, ns);
	if (e->nargs) {
		ns->kids = SL_ANEWN(prog->arena, nstate *, e->nargs);
		ns->argv = SL_ANEWN(prog->arena, const sl_vector *, e->nargs);
	}
	for (int i = 0; i < e->nargs; i++)
		if (!(ns->kids[i] = compile_node(prog, e->args[i], errp)))
			return NULL;
	if (e->kind != SL_REXPR_COL)
		ns->out = prog_vector(prog, e->type);
	switch (e->kind) {
	case SL_REXPR_CONST:
		fill_const(ns->out, e);
		break;
	case SL_REXPR_CASE:
	case SL_REXPR_COALESCE:
	case SL_REXPR_AND:
	case SL_REXPR_OR:
		ns->sel1 = SL_ANEWN(prog->arena, uint16_t, prog->capacity);
		ns->sel2 = SL_ANEWN(prog->arena, uint16_t, prog->capacity);
		break;
	case SL_REXPR_CALL: {
		const sl_kernel_entry *k = &sl_kernels[e->fn];
		if (!k->fn)
			return sl_fail(errp, SL_ERR_FEATURE_NOT_SUPPORTED, SL_SPAN_NONE,
			               "function \"%s\" is not implemented",
			               sl_udf_builtin_info(e->fn)->name), NULL;
		if (k->compile && !k->compile(prog->arena, e, &ns->aux, errp))
			return NULL;
		if (k->release && ns->aux)
			sl_vec_push(&prog->releases, ns);
		break;
	}
	case SL_REXPR_UDF: {
		udf_state *u = SL_ANEW(prog->arena, udf_state);
		u->scratch = sl_arena_new(NULL, "udf_call");
		sl_udf_call_init(&u->call, e->udf, u->scratch);
		u->in = SL_ANEWN(prog->arena, sluice_udf_vector, e->nargs > 0 ? e->nargs : 1);
		u->sel = SL_ANEWN(prog->arena, uint32_t, prog->capacity);
		ns->aux = u;
		sl_vec_push(&prog->udfs, ns);
		break;
	}
	case SL_REXPR_IN:
		ns->all_const_in = true;
		for (int i = 1; i < e->nargs; i++)
			if (!is_const(e->args[i]))
				ns->all_const_in = false;
		if (ns->all_const_in)
			in_set_build(prog, ns);
		break;
	case SL_REXPR_LIKE:
		if (is_const(e->args[1]) && (e->nargs < 3 || is_const(e->args[2]))) {
			int esc = -1;
			if (e->args[1]->value.is_null)
				break;
			if (e->nargs > 2 && !e->args[2]->value.is_null) {
				if (e->args[2]->value.v.s.len != 1)
					return sl_fail(errp, SL_ERR_INVALID_PARAMETER, SL_SPAN_NONE,
					               "invalid escape character in LIKE"), NULL;
				esc = (unsigned char)e->args[2]->value.v.s.ptr[0];
			}
			if (!sl_like_compile(prog->arena, e->args[1]->value.v.s.ptr,
			                     e->args[1]->value.v.s.len, esc, &ns->aux, errp))
				return NULL;
		}
		break;
	default:
		break;
	}
	dict_mark(ns);
	return ns;
}

/* One program for n trees: equal subtrees of different roots compile to
 * one node, so within one evaluation (one gen) a subexpression the filter
 * computed is reused by the projections (q21's REGEXP_EXTRACT). */
static sl_rexpr_prog *
prog_new_roots(const sl_rexpr *const *roots, int n, sl_error **errp)
{
	sl_rexpr_prog *prog = sl_xcalloc(1, sizeof *prog);
	pthread_once(&rt_types_once, rt_types_init);
	pthread_once(&identity_once, identity_init);
	prog->arena = sl_arena_new(NULL, "rexpr_prog");
	prog->capacity = SL_CHUNK_CAPACITY;
	sl_strheap_init(&prog->heap);
	prog->roots = SL_ANEWN(prog->arena, nstate *, n > 0 ? n : 1);
	prog->nroots = n;
	for (int i = 0; i < n; i++)
		if (!(prog->roots[i] = compile_node(prog, roots[i], errp))) {
			sl_vec_free(&prog->compiled);
			sl_rexpr_prog_free(prog);
			return NULL;
		}
	sl_vec_free(&prog->compiled);
	prog->root = prog->roots[0];
	return prog;
}

sl_rexpr_prog *
sl_rexpr_prog_new(const sl_rexpr *root, sl_error **errp)
{
	return prog_new_roots(&root, 1, errp);
}

sl_rexpr_prog *
sl_rexpr_calc_new(const sl_rexpr *cond, sl_rexpr *const *exprs, int n, sl_error **errp)
{
	const sl_rexpr **roots = sl_xmalloc(((size_t)n + 1) * sizeof *roots);
	sl_rexpr_prog *prog;
	int k = 0;
	if (cond)
		roots[k++] = cond;
	for (int i = 0; i < n; i++)
		roots[k++] = exprs[i];
	prog = prog_new_roots(roots, k, errp);
	free(roots);
	if (prog)
		prog->has_cond = cond != NULL;
	return prog;
}

void
sl_rexpr_prog_free(sl_rexpr_prog *prog)
{
	if (!prog)
		return;
	for (size_t i = 0; i < prog->releases.n; i++)
		sl_kernels[prog->releases.v[i]->e->fn].release(prog->releases.v[i]->aux);
	sl_vec_free(&prog->releases);
	for (size_t i = 0; i < prog->udfs.n; i++) {
		udf_state *u = prog->udfs.v[i]->aux;
		sl_udf_call_done(&u->call);
		sl_arena_free(u->scratch);
	}
	sl_vec_free(&prog->udfs);
	sl_vec_free(&prog->compiled);
	for (size_t i = 0; i < prog->dicts.n; i++) {
		dict_cache *dc = prog->dicts.v[i]->dc;
		for (int k = 0; k < dc->nslots; k++) {
			sl_vector_free(dc->slot[k].vals);
			sl_strheap_destroy(&dc->slot[k].heap);
		}
		sl_rexpr_prog_free(dc->prog);
		free(dc);
	}
	sl_vec_free(&prog->dicts);
	for (size_t i = 0; i < prog->vectors.n; i++)
		sl_vector_free(prog->vectors.v[i]);
	sl_vec_free(&prog->vectors);
	sl_strheap_destroy(&prog->heap);
	sl_arena_free(prog->arena);
	free(prog);
}

uint64_t
sl_rexpr_prog_dict_rows(const sl_rexpr_prog *prog)
{
	return prog->dict_rows;
}

size_t
sl_rexpr_prog_memory(const sl_rexpr_prog *prog)
{
	return sl_arena_used(prog->arena) + prog->vec_bytes;
}

/* ---------------------------------------------------------------------
 * Evaluation
 * ------------------------------------------------------------------- */
static const sl_vector *ev(ectx *x, nstate *ns, const uint16_t *sel, uint32_t n);

/* Copy rows sel of src into dst at the same positions (same type). */
static void
copy_sel(sl_vector *dst, const sl_vector *src, const uint16_t *sel, uint32_t n)
{
	if (dst == src)
		return;
	if (src->type->kind == SL_TYPE_ROW || src->type->kind == SL_TYPE_ARRAY ||
	    src->type->kind == SL_TYPE_MAP) {
		for (uint32_t i = 0; i < n; i++)
			sl_vector_copy_row(dst, sel[i], src, sel[i], NULL);
		return;
	}
	switch (src->width) {
	case 1:
		for (uint32_t i = 0; i < n; i++)
			SL_VEC_DATA(dst, uint8_t)[sel[i]] = SL_VEC_DATA(src, uint8_t)[sel[i]];
		break;
	case 2:
		for (uint32_t i = 0; i < n; i++)
			SL_VEC_DATA(dst, uint16_t)[sel[i]] = SL_VEC_DATA(src, uint16_t)[sel[i]];
		break;
	case 4:
		for (uint32_t i = 0; i < n; i++)
			SL_VEC_DATA(dst, uint32_t)[sel[i]] = SL_VEC_DATA(src, uint32_t)[sel[i]];
		break;
	case 8:
		for (uint32_t i = 0; i < n; i++)
			SL_VEC_DATA(dst, uint64_t)[sel[i]] = SL_VEC_DATA(src, uint64_t)[sel[i]];
		break;
	default:
		for (uint32_t i = 0; i < n; i++)
			memcpy((char *)dst->values + (size_t)sel[i] * src->width,
			       (const char *)src->values + (size_t)sel[i] * src->width, src->width);
		break;
	}
	if (!src->validity) {
		if (dst->validity) {
			sl_vec_own_validity(dst);
			for (uint32_t i = 0; i < n; i++)
				dst->validity[sel[i] >> 6] |= 1ULL << (sel[i] & 63);
		}
	} else {
		sl_vec_own_validity(dst);
		for (uint32_t i = 0; i < n; i++) {
			uint32_t r = sel[i];
			uint64_t bit = 1ULL << (r & 63);
			dst->validity[r >> 6] = (dst->validity[r >> 6] & ~bit) | (src->validity[r >> 6] & bit);
		}
	}
}

/* Copy rows sel of src into dst where dst's rows outside sel are dead
 * (a root's output column: its chunk takes the same selection), so whole
 * ranges move with memcpy: rows sel[0]..sel[n-1] of values and their
 * bitmap words. Nested types take copy_sel. */
static void
copy_span(sl_vector *dst, const sl_vector *src, const uint16_t *sel, uint32_t n)
{
	uint32_t lo, hi;
	if (dst == src || n == 0)
		return;
	if (src->type->kind == SL_TYPE_ROW || src->type->kind == SL_TYPE_ARRAY ||
	    src->type->kind == SL_TYPE_MAP) {
		copy_sel(dst, src, sel, n);
		return;
	}
	lo = sel[0];
	hi = (uint32_t)sel[n - 1] + 1;
	memcpy((char *)dst->values + (size_t)lo * src->width,
	       (const char *)src->values + (size_t)lo * src->width, (size_t)(hi - lo) * src->width);
	if (!src->validity) {
		dst->validity = NULL;
	} else {
		uint32_t w0 = lo >> 6, w1 = (hi + 63) >> 6;
		dst->validity = dst->vbuf;
		memcpy(dst->vbuf + w0, src->validity + w0, (size_t)(w1 - w0) * 8);
	}
}

/* out validity = AND of args' validity over sel. */
static void
strict_validity(sl_vector *out, const sl_vector *const *args, int nargs, const uint16_t *sel,
                uint32_t n)
{
	int withnulls = 0;
	for (int i = 0; i < nargs; i++)
		if (args[i]->validity)
			withnulls++;
	if (!withnulls) {
		out->validity = NULL;
		return;
	}
	if (withnulls == 1 && nargs >= 1) {
		for (int i = 0; i < nargs; i++)
			if (args[i]->validity) {
				/* share the argument's bitmap: rows outside sel are don't-care */
				out->validity = args[i]->validity;
				if (out->validity != out->vbuf) {
					memcpy(out->vbuf, args[i]->validity, ((out->capacity + 63) / 64) * 8);
					out->validity = out->vbuf;
				}
				return;
			}
	}
	sl_vec_own_validity(out);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t r = sel[i];
		bool ok = true;
		for (int k = 0; k < nargs && ok; k++)
			ok = sl_vec_valid(args[k], r);
		sl_vec_set_validity(out, r, ok);
	}
}

static sl_kctx
kctx(ectx *x, nstate *ns)
{
	sl_kctx k = {ns->e, ns->aux, x->heap, x->in, x->now_us, x->errp};
	return k;
}

static const sl_vector *
ev_call(ectx *x, nstate *ns, const uint16_t *sel, uint32_t n)
{
	const sl_rexpr *e = ns->e;
	sl_kctx k;
	for (int i = 0; i < e->nargs; i++)
		if (!(ns->argv[i] = ev(x, ns->kids[i], sel, n)))
			return NULL;
	if (sl_udf_builtin_info(e->fn)->nulls == SL_NULLS_STRICT)
		strict_validity(ns->out, ns->argv, e->nargs, sel, n);
	else
		ns->out->validity = NULL;
	k = kctx(x, ns);
	if (!sl_kernels[e->fn].fn(&k, ns->argv, sel, n, ns->out)) {
		x->failed = true;
		return NULL;
	}
	return ns->out;
}

/* ctx->alloc of a UDF: 16-byte aligned bytes in the evaluation's string
 * heap, so string results land in the output chunk without a copy. */
static void *
udf_heap_alloc(void *arg, size_t n)
{
	char *p = sl_strheap_alloc((sl_strheap *)arg, n + 15);
	return (void *)(((uintptr_t)p + 15) & ~(uintptr_t)15);
}

static const sl_vector *
ev_udf(ectx *x, nstate *ns, const uint16_t *sel, uint32_t n)
{
	const sl_rexpr *e = ns->e;
	udf_state *u = ns->aux;
	const sl_udf_fn *fn = e->udf;
	uint32_t len = x->in->count;
	sluice_udf_out out;
	sl_error *err = NULL;
	bool ok;
	/* constant arguments are full vectors already (fill_const) */
	for (int i = 0; i < e->nargs; i++) {
		const sl_vector *v = ev(x, ns->kids[i], sel, n);
		if (!v)
			return NULL;
		u->in[i] = (sluice_udf_vector){sl_udf_abi_type(fn->sig.args[i]), v->values,
		                               v->validity, len, 0};
	}
	for (uint32_t i = 0; i < n; i++)
		u->sel[i] = sel[i];
	ns->out->validity = NULL;
	sl_vec_own_validity(ns->out);   /* writable, all valid */
	out = (sluice_udf_out){sl_udf_abi_type(fn->sig.result), ns->out->values,
	                       ns->out->validity, len, 0};
	sl_udf_call_set_alloc(&u->call, udf_heap_alloc, x->heap);
	ok = sl_udf_call_scalar(fn, &u->call, u->in, u->sel, n, &out, &err);
	sl_arena_reset(u->scratch);
	if (!ok) {
		if (!err)
			err = sl_error_new(SL_ERR_UDF, SL_SPAN_NONE, "function \"%s\" failed", fn->name);
		/* the wrapper names the row position ("at input row R"): show the row */
		const char *at = err->message ? strstr(err->message, " at input row ") : NULL;
		unsigned row_pos = 0;
		if (at && sscanf(at, " at input row %u", &row_pos) == 1 && row_pos < x->in->count) {
			sl_strbuf sb = SL_STRBUF_INIT, row = SL_STRBUF_INIT;
			sl_chunk_format_row(x->in, row_pos, &row);
			if (err->detail)
				sl_strbuf_appendf(&sb, "%s ", err->detail);
			sl_strbuf_appendf(&sb, "The failing input row is %s.", sl_strbuf_str(&row));
			sl_error_set_detail(err, "%s", sl_strbuf_str(&sb));
			sl_strbuf_free(&sb);
			sl_strbuf_free(&row);
		}
		if (x->errp && !*x->errp)
			*x->errp = err;
		else
			sl_error_free(err);
		x->failed = true;
		return NULL;
	}
	return ns->out;
}

static const sl_vector *
ev_case(ectx *x, nstate *ns, const uint16_t *sel, uint32_t n)
{
	const sl_rexpr *e = ns->e;
	int npairs = (e->nargs - (e->has_else ? 1 : 0)) / 2;
	uint16_t *rem = ns->sel1, *hit = ns->sel2;
	uint32_t nrem = n;
	sl_vector *out = ns->out;

	memcpy(rem, sel, n * sizeof(uint16_t));
	out->validity = NULL;
	for (int p = 0; p < npairs && nrem; p++) {
		const sl_vector *c = ev(x, ns->kids[2 * p], rem, nrem);
		uint32_t nhit = 0, nkeep = 0;
		const uint8_t *cv;
		if (!c)
			return NULL;
		/* partition without branches: each row goes to both lists, the
		 * count of the one it belongs to moves (rem is rewritten in place,
		 * nkeep <= i) */
		cv = SL_VEC_DATA(c, uint8_t);
		if (!c->validity) {
			for (uint32_t i = 0; i < nrem; i++) {
				uint16_t r = rem[i];
				uint32_t t = cv[r] != 0;
				hit[nhit] = r;
				rem[nkeep] = r;
				nhit += t;
				nkeep += t ^ 1;
			}
		} else {
			for (uint32_t i = 0; i < nrem; i++) {
				uint16_t r = rem[i];
				uint32_t t = (cv[r] != 0) & (uint32_t)((c->validity[r >> 6] >> (r & 63)) & 1);
				hit[nhit] = r;
				rem[nkeep] = r;
				nhit += t;
				nkeep += t ^ 1;
			}
		}
		nrem = nkeep;
		if (nhit) {
			const sl_vector *t = ev(x, ns->kids[2 * p + 1], hit, nhit);
			if (!t)
				return NULL;
			copy_sel(out, t, hit, nhit);
		}
	}
	if (nrem) {
		if (e->has_else) {
			const sl_vector *t = ev(x, ns->kids[e->nargs - 1], rem, nrem);
			if (!t)
				return NULL;
			copy_sel(out, t, rem, nrem);
		} else {
			for (uint32_t i = 0; i < nrem; i++)
				sl_vec_set_null(out, rem[i]);
		}
	}
	return out;
}

static const sl_vector *
ev_coalesce(ectx *x, nstate *ns, const uint16_t *sel, uint32_t n)
{
	const sl_rexpr *e = ns->e;
	uint16_t *rem = ns->sel1, *hit = ns->sel2;
	uint32_t nrem = n;
	sl_vector *out = ns->out;

	memcpy(rem, sel, n * sizeof(uint16_t));
	out->validity = NULL;
	for (int a = 0; a < e->nargs && nrem; a++) {
		const sl_vector *v = ev(x, ns->kids[a], rem, nrem);
		uint32_t nhit = 0, nkeep = 0;
		if (!v)
			return NULL;
		if (!v->validity) {
			copy_sel(out, v, rem, nrem);
			nrem = 0;
			break;
		}
		for (uint32_t i = 0; i < nrem; i++) {
			uint32_t r = rem[i];
			if (sl_vec_valid(v, r))
				hit[nhit++] = (uint16_t)r;
			else
				rem[nkeep++] = (uint16_t)r;
		}
		copy_sel(out, v, hit, nhit);
		nrem = nkeep;
	}
	for (uint32_t i = 0; i < nrem; i++)
		sl_vec_set_null(out, rem[i]);
	return out;
}

/* AND (is_and) / OR over args, three-valued, each argument evaluated only
 * on rows not yet decided. */
static const sl_vector *
ev_andor(ectx *x, nstate *ns, const uint16_t *sel, uint32_t n, bool is_and)
{
	const sl_rexpr *e = ns->e;
	uint16_t *rem = ns->sel1;
	uint32_t nrem = n;
	sl_vector *out = ns->out;
	uint8_t *o = SL_VEC_DATA(out, uint8_t);
	uint8_t decided = is_and ? 0 : 1; /* FALSE decides AND, TRUE decides OR */

	memcpy(rem, sel, n * sizeof(uint16_t));
	out->validity = NULL;
	for (uint32_t i = 0; i < n; i++)
		o[sel[i]] = !decided;
	for (int a = 0; a < e->nargs && nrem; a++) {
		const sl_vector *v = ev(x, ns->kids[a], rem, nrem);
		const uint8_t *vv;
		uint32_t nkeep = 0;
		if (!v)
			return NULL;
		vv = SL_VEC_DATA(v, uint8_t);
		if (!v->validity && !out->validity) {
			/* no NULLs so far: an undecided row holds !decided, and
			 * combined with TRUE/FALSE it becomes that value (AND: v, OR:
			 * v), decided or not; the row stays undecided unless v
			 * decides it */
			for (uint32_t i = 0; i < nrem; i++) {
				uint16_t r = rem[i];
				uint32_t t = vv[r] != 0;
				o[r] = (uint8_t)t;
				rem[nkeep] = r;
				nkeep += t != decided;
			}
			nrem = nkeep;
			continue;
		}
		for (uint32_t i = 0; i < nrem; i++) {
			uint32_t r = rem[i];
			if (!sl_vec_valid(v, r)) {
				sl_vec_set_null(out, r);
				rem[nkeep++] = (uint16_t)r;
			} else if ((vv[r] != 0) == decided) {
				o[r] = decided;
				if (out->validity)
					sl_vec_set_valid(out, r);
			} else {
				rem[nkeep++] = (uint16_t)r;
			}
		}
		nrem = nkeep;
	}
	return out;
}

static const sl_vector *
ev_in(ectx *x, nstate *ns, const uint16_t *sel, uint32_t n)
{
	const sl_rexpr *e = ns->e;
	sl_vector *out = ns->out;
	uint8_t *o = SL_VEC_DATA(out, uint8_t);
	const sl_vector *v = ev(x, ns->kids[0], sel, n);
	if (!v)
		return NULL;
	out->validity = NULL;
	if (ns->all_const_in && sl_type_is_str(e->args[0]->type) && ((const in_set *)ns->aux)->nvals <= 8) {
		/* a short list of strings: lengths first, then bytes; cheaper
		 * than hashing (q21's LOWER(channel) IN ('apple', ...)) */
		const in_set *s = ns->aux;
		const sl_str *lv = SL_VEC_DATA(s->vals, sl_str), *vv = SL_VEC_DATA(v, sl_str);
		for (uint32_t i = 0; i < n; i++) {
			uint32_t r = sel[i];
			bool found = false;
			if (!sl_vec_valid(v, r)) {
				sl_vec_set_null(out, r);
				continue;
			}
			for (uint32_t k = 0; k < s->nvals && !found; k++)
				found = lv[k].len == vv[r].len &&
				        (vv[r].len == 0 || memcmp(lv[k].ptr, vv[r].ptr, vv[r].len) == 0);
			if (!found && s->has_null)
				sl_vec_set_null(out, r);
			else
				o[r] = (uint8_t)(found != e->negated);
		}
		return out;
	}
	if (ns->all_const_in) {
		const in_set *s = ns->aux;
		for (uint32_t i = 0; i < n; i++) {
			uint32_t r = sel[i];
			bool found = false;
			if (!sl_vec_valid(v, r)) {
				sl_vec_set_null(out, r);
				continue;
			}
			uint32_t slot = (uint32_t)sl_value_hash(v, r) & s->mask;
			while (s->table[slot] >= 0) {
				if (sl_value_cmp(v, r, s->vals, (uint32_t)s->table[slot]) == 0) {
					found = true;
					break;
				}
				slot = (slot + 1) & s->mask;
			}
			if (!found && s->has_null)
				sl_vec_set_null(out, r);
			else
				o[r] = (uint8_t)(found != e->negated);
		}
		return out;
	}
	for (int a = 1; a < e->nargs; a++)
		if (!(ns->argv[a] = ev(x, ns->kids[a], sel, n)))
			return NULL;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t r = sel[i];
		bool found = false, anynull = false;
		if (!sl_vec_valid(v, r)) {
			sl_vec_set_null(out, r);
			continue;
		}
		for (int a = 1; a < e->nargs && !found; a++) {
			if (!sl_vec_valid(ns->argv[a], r))
				anynull = true;
			else if (sl_value_cmp(v, r, ns->argv[a], r) == 0)
				found = true;
		}
		if (!found && anynull)
			sl_vec_set_null(out, r);
		else
			o[r] = (uint8_t)(found != e->negated);
	}
	return out;
}

static const sl_vector *
ev_between(ectx *x, nstate *ns, const uint16_t *sel, uint32_t n)
{
	const sl_rexpr *e = ns->e;
	sl_vector *out = ns->out;
	uint8_t *o = SL_VEC_DATA(out, uint8_t);
	const sl_vector *v, *lo, *hi;
	if (!(v = ev(x, ns->kids[0], sel, n)) || !(ns->argv[0] = v) ||
	    !(lo = ev(x, ns->kids[1], sel, n)) || !(ns->argv[1] = lo) ||
	    !(hi = ev(x, ns->kids[2], sel, n)))
		return NULL;
	out->validity = NULL;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t r = sel[i];
		/* ge = v >= lo, le = v <= hi, each TRUE/FALSE/NULL (-1) */
		int ge, le, res;
		bool vv = sl_vec_valid(v, r);
		ge = (!vv || !sl_vec_valid(lo, r)) ? -1 : sl_value_cmp(v, r, lo, r) >= 0;
		le = (!vv || !sl_vec_valid(hi, r)) ? -1 : sl_value_cmp(v, r, hi, r) <= 0;
		if (ge == 0 || le == 0)
			res = 0;
		else if (ge < 0 || le < 0)
			res = -1;
		else
			res = 1;
		if (e->symmetric && res != 1) {
			int ge2 = (!vv || !sl_vec_valid(hi, r)) ? -1 : sl_value_cmp(v, r, hi, r) >= 0;
			int le2 = (!vv || !sl_vec_valid(lo, r)) ? -1 : sl_value_cmp(v, r, lo, r) <= 0;
			int res2 = (ge2 == 0 || le2 == 0) ? 0 : (ge2 < 0 || le2 < 0) ? -1 : 1;
			res = (res == 1 || res2 == 1) ? 1 : (res < 0 || res2 < 0) ? -1 : 0;
		}
		if (res < 0)
			sl_vec_set_null(out, r);
		else
			o[r] = (uint8_t)((res == 1) != e->negated);
	}
	return out;
}

static const sl_vector *
ev_like(ectx *x, nstate *ns, const uint16_t *sel, uint32_t n)
{
	const sl_rexpr *e = ns->e;
	sl_vector *out = ns->out;
	uint8_t *o = SL_VEC_DATA(out, uint8_t);
	const sl_vector *v = ev(x, ns->kids[0], sel, n);
	if (!v)
		return NULL;
	ns->argv[0] = v;
	if (ns->aux) {
		const sl_str *s = SL_VEC_DATA(v, sl_str);
		strict_validity(out, ns->argv, 1, sel, n);
		for (uint32_t i = 0; i < n; i++) {
			uint32_t r = sel[i];
			if (sl_vec_valid(out, r))
				o[r] = (uint8_t)(sl_like_match(ns->aux, s[r].ptr, s[r].len) != e->negated);
		}
		return out;
	}
	for (int a = 1; a < e->nargs; a++)
		if (!(ns->argv[a] = ev(x, ns->kids[a], sel, n)))
			return NULL;
	strict_validity(out, ns->argv, e->nargs, sel, n);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t r = sel[i];
		int esc = -1;
		bool ok;
		sl_str s, p;
		if (!sl_vec_valid(out, r))
			continue;
		s = SL_VEC_DATA(v, sl_str)[r];
		p = SL_VEC_DATA(ns->argv[1], sl_str)[r];
		if (e->nargs > 2) {
			sl_str es = SL_VEC_DATA(ns->argv[2], sl_str)[r];
			if (es.len != 1) {
				sl_kctx k = kctx(x, ns);
				sl_kernel_error(&k, SL_ERR_INVALID_PARAMETER, r, "invalid escape character in LIKE");
				x->failed = true;
				return NULL;
			}
			esc = (unsigned char)es.ptr[0];
		}
		bool m = sl_like_match_raw(s.ptr, s.len, p.ptr, p.len, esc, &ok);
		if (!ok) {
			sl_kctx k = kctx(x, ns);
			sl_kernel_error(&k, SL_ERR_INVALID_PARAMETER, r, "invalid LIKE pattern");
			x->failed = true;
			return NULL;
		}
		o[r] = (uint8_t)(m != e->negated);
	}
	return out;
}

/* ---------------------------------------------------------------------
 * Dictionaries
 *
 * A node whose tree is pure (deterministic functions of at most
 * DICT_MAX_COLS scalar columns and constants: dict_mark) and whose input
 * columns all carry the same dictionary (runtime/dict.h) with equal codes
 * on the rows asked is not computed per row: its value for every entry
 * of the dictionary is computed once (dict_values: the node's tree
 * compiled as a program of its own, run over the entries in chunks) and
 * each row takes the value of its code (a gather). q21's filter and
 * CASE over bid.channel and bid.url, and q22's SPLIT_INDEX(url, ...),
 * run once per nexmark channel (10004) instead of once per bid. The
 * topmost such node wins: its kids are not evaluated at all.
 *
 * Exact: the value of a deterministic function of the row's columns is
 * the value at the row's entry (NULL rows have the all-NULL entry). A
 * node gives up for good (dict_off) when its tree fails on some entry
 * (a run-time error there need not be one on the rows: they then run as
 * usual and fail, or not, as they would) or a (DICT_SLOTS + 1)-th
 * dictionary shows up. Results keep their strings in the slot's heap for
 * the program's life, as constants do, so a chunk sent on may point there.
 * ------------------------------------------------------------------- */

/* Values of the node for every entry of d (n + 1 rows), computed at the
 * first use; NULL when the node gave up. in: the chunk being evaluated
 * (its column types; which of its columns are d's). */
static const sl_vector *
dict_values(nstate *ns, const sl_dict *d, const sl_chunk *in, sl_rexpr_prog *owner)
{
	dict_cache *dc = ns->dc;
	sl_chunk *tmp;
	sl_vector *vals;
	sl_strheap *heap;
	sl_error *err = NULL;
	if (!dc) {
		dc = ns->dc = sl_xcalloc(1, sizeof *dc);
		sl_vec_push(&owner->dicts, ns);
		if (!(dc->prog = prog_new_roots(&ns->e, 1, &err))) {
			sl_error_free(err);
			ns->dict_off = true;
			return NULL;
		}
	}
	for (int k = 0; k < dc->nslots; k++)
		if (dc->slot[k].id == d->id)
			return dc->slot[k].vals;
	if (dc->nslots == DICT_SLOTS || !in->types) {
		ns->dict_off = true;
		return NULL;
	}
	vals = sl_vector_new(ns->e->type, d->n + 1);
	heap = &dc->slot[dc->nslots].heap;
	sl_strheap_init(heap);
	tmp = sl_chunk_new(in->types, in->ncols, SL_CHUNK_CAPACITY);
	for (uint32_t base = 0; base <= d->n; base += SL_CHUNK_CAPACITY) {
		uint32_t cnt = SL_MIN((uint32_t)SL_CHUNK_CAPACITY, d->n + 1 - base);
		const sl_vector *res;
		sl_chunk_reset(tmp);
		/* the node's columns take entries base.. of theirs; the
		 * others (never read by the node) are NULL */
		for (int c = 0; c < tmp->ncols; c++) {
			sl_vector *t = tmp->cols[c];
			sl_vec_own_validity(t);
			memset(t->validity, 0, ((size_t)cnt + 63) / 64 * 8);
		}
		for (int j = 0; j < ns->ndcols; j++) {
			int c = ns->dcols[j];
			const sl_vector *src = d->cols[in->cols[c]->dict_col];
			for (uint32_t i = 0; i < cnt; i++)
				sl_vector_copy_row(tmp->cols[c], i, src, base + i, NULL);
		}
		tmp->count = cnt;
		if (!(res = sl_rexpr_eval(dc->prog, tmp, heap, &err))) {
			sl_error_free(err);
			sl_chunk_unref(tmp);
			sl_vector_free(vals);
			sl_strheap_destroy(heap);
			ns->dict_off = true;
			return NULL;
		}
		for (uint32_t i = 0; i < cnt; i++)
			sl_vector_copy_row(vals, base + i, res, i, NULL);
	}
	sl_chunk_unref(tmp);
	dc->slot[dc->nslots].id = d->id;
	dc->slot[dc->nslots].vals = vals;
	dc->nslots++;
	return vals;
}

/* The node by dictionary, into ns->out; NULL when it does not apply. */
static const sl_vector *
ev_dict(ectx *x, nstate *ns, const uint16_t *sel, uint32_t n, sl_rexpr_prog *owner)
{
	const sl_vector *v0 = x->in->cols[ns->dcols[0]], *vals;
	const sl_dict *d = v0->dict;
	const uint32_t *codes = v0->codes;
	sl_vector *out = ns->out;
	if (!d)
		return NULL;
	for (int j = 0; j < ns->ndcols; j++) {
		const sl_vector *v = x->in->cols[ns->dcols[j]];
		if (v->dict != d || v->width != d->cols[v->dict_col]->width)
			return NULL;
		if (v->codes != codes)
			for (uint32_t i = 0; i < n; i++)
				if (v->codes[sel[i]] != codes[sel[i]])
					return NULL;
	}
	if (!(vals = dict_values(ns, d, x->in, owner)))
		return NULL;
	owner->dict_rows += n;
	switch (vals->width) {
	case 1:
		for (uint32_t i = 0; i < n; i++)
			SL_VEC_DATA(out, uint8_t)[sel[i]] = SL_VEC_DATA(vals, uint8_t)[codes[sel[i]]];
		break;
	case 4:
		for (uint32_t i = 0; i < n; i++)
			SL_VEC_DATA(out, uint32_t)[sel[i]] = SL_VEC_DATA(vals, uint32_t)[codes[sel[i]]];
		break;
	case 8:
		for (uint32_t i = 0; i < n; i++)
			SL_VEC_DATA(out, uint64_t)[sel[i]] = SL_VEC_DATA(vals, uint64_t)[codes[sel[i]]];
		break;
	case sizeof(sl_str):
		for (uint32_t i = 0; i < n; i++)
			SL_VEC_DATA(out, sl_str)[sel[i]] = SL_VEC_DATA(vals, sl_str)[codes[sel[i]]];
		break;
	default:
		for (uint32_t i = 0; i < n; i++)
			memcpy((char *)out->values + (size_t)sel[i] * vals->width,
			       (const char *)vals->values + (size_t)codes[sel[i]] * vals->width, vals->width);
		break;
	}
	if (!vals->validity) {
		out->validity = NULL;
	} else {
		sl_vec_own_validity(out);
		for (uint32_t i = 0; i < n; i++) {
			uint32_t r = sel[i], c = codes[r];
			uint64_t bit = 1ULL << (r & 63);
			bool valid = (vals->validity[c >> 6] >> (c & 63)) & 1;
			out->validity[r >> 6] = (out->validity[r >> 6] & ~bit) | (valid ? bit : 0);
		}
	}
	return out;
}

static const sl_vector *
ev_node(ectx *x, nstate *ns, const uint16_t *sel, uint32_t n)
{
	const sl_rexpr *e = ns->e;
	if (ns->dict_ok && !ns->dict_off && n > 0) {
		const sl_vector *r = ev_dict(x, ns, sel, n, x->prog);
		if (r)
			return r;
	}
	/* nested results append elements to their children: start over */
	if (ns->out && e->kind != SL_REXPR_CONST && ns->out->nchildren)
		sl_vector_reset(ns->out);
	switch (e->kind) {
	case SL_REXPR_COL:
		SL_ASSERT(e->col >= 0 && e->col < x->in->ncols);
		return x->in->cols[e->col];
	case SL_REXPR_FIELD: {
		const sl_vector *rowv = ev(x, ns->kids[0], sel, n);
		const sl_vector *f;
		if (!rowv)
			return NULL;
		f = rowv->children[e->col];
		if (!rowv->validity)
			return f;
		copy_sel(ns->out, f, sel, n);
		for (uint32_t i = 0; i < n; i++)
			if (!sl_vec_valid(rowv, sel[i]))
				sl_vec_set_null(ns->out, sel[i]);
		return ns->out;
	}
	case SL_REXPR_CONST:
		return ns->out;
	case SL_REXPR_CAST: {
		const sl_vector *a = ev(x, ns->kids[0], sel, n);
		sl_kctx k;
		if (!a)
			return NULL;
		k = kctx(x, ns);
		if (!sl_cast_vector(&k, a, sel, n, ns->out, e->try_cast)) {
			x->failed = true;
			return NULL;
		}
		return ns->out;
	}
	case SL_REXPR_CALL:
		return ev_call(x, ns, sel, n);
	case SL_REXPR_UDF:
		return ev_udf(x, ns, sel, n);
	case SL_REXPR_CASE:
		return ev_case(x, ns, sel, n);
	case SL_REXPR_COALESCE:
		return ev_coalesce(x, ns, sel, n);
	case SL_REXPR_AND:
		return ev_andor(x, ns, sel, n, true);
	case SL_REXPR_OR:
		return ev_andor(x, ns, sel, n, false);
	case SL_REXPR_NOT: {
		const sl_vector *a = ev(x, ns->kids[0], sel, n);
		if (!a)
			return NULL;
		ns->argv[0] = a;
		strict_validity(ns->out, ns->argv, 1, sel, n);
		for (uint32_t i = 0; i < n; i++)
			SL_VEC_DATA(ns->out, uint8_t)[sel[i]] = !SL_VEC_DATA(a, uint8_t)[sel[i]];
		return ns->out;
	}
	case SL_REXPR_IN:
		return ev_in(x, ns, sel, n);
	case SL_REXPR_BETWEEN:
		return ev_between(x, ns, sel, n);
	case SL_REXPR_LIKE:
		return ev_like(x, ns, sel, n);
	case SL_REXPR_IS: {
		const sl_vector *a = ev(x, ns->kids[0], sel, n);
		uint8_t *o = SL_VEC_DATA(ns->out, uint8_t);
		if (!a)
			return NULL;
		ns->out->validity = NULL;
		if (e->test == SL_IS_NULL || e->test == SL_IS_NOT_NULL) {
			uint8_t want_valid = e->test == SL_IS_NOT_NULL;
			if (!a->validity)
				for (uint32_t i = 0; i < n; i++)
					o[sel[i]] = want_valid;
			else
				for (uint32_t i = 0; i < n; i++)
					o[sel[i]] = (uint8_t)(((a->validity[sel[i] >> 6] >> (sel[i] & 63)) & 1) ==
					                      want_valid);
			return ns->out;
		}
		for (uint32_t i = 0; i < n; i++) {
			uint32_t r = sel[i];
			bool valid = sl_vec_valid(a, r);
			bool t = valid && e->args[0]->type->kind == SL_TYPE_BOOLEAN &&
			         SL_VEC_DATA(a, uint8_t)[r];
			bool f = valid && e->args[0]->type->kind == SL_TYPE_BOOLEAN &&
			         !SL_VEC_DATA(a, uint8_t)[r];
			bool res = false;
			switch (e->test) {
			case SL_IS_NULL: res = !valid; break;
			case SL_IS_NOT_NULL: res = valid; break;
			case SL_IS_TRUE: res = t; break;
			case SL_IS_NOT_TRUE: res = !t; break;
			case SL_IS_FALSE: res = f; break;
			case SL_IS_NOT_FALSE: res = !f; break;
			}
			o[r] = res;
		}
		return ns->out;
	}
	}
	return NULL;
}

/* Evaluate a node. A shared node (several parents, or several roots of a
 * Calc) keeps its result for the rest of the evaluation: rows asked for
 * again are reused, rows not computed yet are computed alone — into the
 * scratch vector alt, since ev_node may disturb rows outside its
 * selection (validity) — and merged into the kept result. So q21's
 * LOWER(channel), computed by the filter's OR on the rows the
 * REGEXP_EXTRACT left undecided, runs in the projection's CASE on the
 * other rows only. Functions are deterministic within one evaluation
 * (RAND and UUID never share a node: rexpr_equal). */
static const sl_vector *
ev(ectx *x, nstate *ns, const uint16_t *sel, uint32_t n)
{
	const sl_vector *res;
	uint32_t words;
	if (!ns->shared)
		return ev_node(x, ns, sel, n);
	if (ns->gen == x->gen) {
		uint32_t nmiss = 0;
		for (uint32_t i = 0; i < n; i++) {
			ns->miss[nmiss] = sel[i];
			nmiss += !((ns->done[sel[i] >> 6] >> (sel[i] & 63)) & 1);
		}
		if (nmiss == 0)
			return ns->cached;
		if (ns->alt && ns->cached == ns->out) {
			sl_vector *kept = ns->out;
			ns->out = ns->alt;
			res = ev_node(x, ns, ns->miss, nmiss);
			ns->out = kept;
			if (!res)
				return NULL;
			copy_sel(kept, res, ns->miss, nmiss);
			for (uint32_t i = 0; i < nmiss; i++)
				ns->done[ns->miss[i] >> 6] |= 1ULL << (ns->miss[i] & 63);
			return kept;
		}
	}
	res = ev_node(x, ns, sel, n);
	if (!res)
		return NULL;
	/* rows outside sel may have been disturbed: remember exactly sel */
	words = (x->in->capacity + 63) / 64;
	memset(ns->done, 0, SL_MIN(words, (SL_CHUNK_CAPACITY + 63) / 64) * 8);
	for (uint32_t i = 0; i < n; i++)
		ns->done[sel[i] >> 6] |= 1ULL << (sel[i] & 63);
	ns->gen = x->gen;
	ns->cached = res;
	return res;
}

static int64_t
now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * SL_US_PER_SEC + ts.tv_nsec / 1000;
}

/* Evaluate root (a root of prog) over in's live rows. new_gen false: the
 * same evaluation as the previous call (sl_rexpr_calc_run: the filter and
 * the projections of one chunk), so shared subexpressions are reused. */
static const sl_vector *
eval_root_at(sl_rexpr_prog *prog, nstate *root, bool new_gen, const sl_chunk *in,
             sl_strheap *heap, sl_vector *target, sl_error **errp)
{
	ectx x = {prog, new_gen ? ++prog->gen : prog->gen, in, heap ? heap : &prog->heap, 0, errp,
	          false};
	const uint16_t *sel = in->sel ? in->sel : identity_sel;
	uint32_t n = sl_chunk_live(in);
	const sl_vector *res;
	sl_vector *saved = root->out;
	/* a shared root keeps its own vector: other roots may merge into it */
	bool redirect = target && saved && !root->shared && root->e->kind != SL_REXPR_CONST &&
	                root->e->kind != SL_REXPR_FIELD;

	SL_ASSERT(in->count <= prog->capacity);
	if (target)
		sl_vec_clear_dict(target);
	if (!heap)
		sl_strheap_reset(&prog->heap);
	x.now_us = now_us();
	if (redirect)
		root->out = target; /* write straight into the output column */
	res = ev(&x, root, sel, n);
	root->out = saved;
	if (!res && errp && !*errp)
		sl_fail(errp, SL_ERR_INTERNAL, SL_SPAN_NONE, "expression evaluation failed");
	if (res && target && res != target) {
		copy_span(target, res, sel, n);
		if (res->dict && n > 0) {
			/* a column copied as it is keeps its dictionary */
			uint32_t *codes = sl_vec_set_dict(target, res->dict, res->dict_col);
			memcpy(codes + sel[0], res->codes + sel[0],
			       ((size_t)sel[n - 1] + 1 - sel[0]) * sizeof *codes);
		}
	}
	return res ? (target ? target : res) : NULL;
}

static const sl_vector *
eval_root(sl_rexpr_prog *prog, const sl_chunk *in, sl_strheap *heap, sl_vector *target,
          sl_error **errp)
{
	return eval_root_at(prog, prog->root, true, in, heap, target, errp);
}

const sl_vector *
sl_rexpr_eval(sl_rexpr_prog *prog, const sl_chunk *in, sl_strheap *heap, sl_error **errp)
{
	return eval_root(prog, in, heap, NULL, errp);
}

static bool
may_point_into(const sl_type *t)
{
	return sl_type_is_str(t) || t->kind == SL_TYPE_ROW || t->kind == SL_TYPE_ARRAY ||
	       t->kind == SL_TYPE_MAP;
}

bool
sl_rexpr_eval_into(sl_rexpr_prog *prog, sl_chunk *in, sl_chunk *out, int col, sl_error **errp)
{
	SL_ASSERT(col >= 0 && col < out->ncols && out->capacity >= in->count);
	if (!eval_root(prog, in, &out->heap, out->cols[col], errp))
		return false;
	if (may_point_into(prog->root->e->type) && out != in)
		sl_chunk_keep(out, in);
	return true;
}

bool
sl_rexpr_project(sl_rexpr_prog *const *progs, int n, sl_chunk *in, sl_chunk *out,
                 sl_error **errp)
{
	SL_ASSERT(out->count == 0 && n == out->ncols);
	for (int i = 0; i < n; i++)
		if (!sl_rexpr_eval_into(progs[i], in, out, i, errp))
			return false;
	out->count = in->count;
	memcpy(out->kinds, in->kinds, in->count);
	if (in->sel) {
		memcpy(out->sel_buf, in->sel, in->nsel * sizeof(uint16_t));
		out->sel = out->sel_buf;
		out->nsel = in->nsel;
	} else {
		out->sel = NULL;
	}
	return true;
}

int64_t
sl_rexpr_filter(sl_rexpr_prog *prog, sl_chunk *in, sl_error **errp)
{
	const uint16_t *sel = in->sel ? in->sel : identity_sel;
	uint32_t n = sl_chunk_live(in), k = 0;
	const sl_vector *v = eval_root(prog, in, NULL, NULL, errp);
	const uint8_t *b;
	if (!v)
		return -1;
	b = SL_VEC_DATA(v, uint8_t);
	if (!v->validity) {
		for (uint32_t i = 0; i < n; i++) {
			uint32_t r = sel[i];
			in->sel_buf[k] = (uint16_t)r;
			k += b[r] != 0;
		}
	} else {
		for (uint32_t i = 0; i < n; i++) {
			uint32_t r = sel[i];
			in->sel_buf[k] = (uint16_t)r;
			k += (b[r] != 0) & sl_vec_valid(v, r);
		}
	}
	in->sel = in->sel_buf;
	in->nsel = k;
	return k;
}

int64_t
sl_rexpr_calc_run(sl_rexpr_prog *prog, sl_chunk *in, sl_chunk *out, sl_error **errp)
{
	int first = prog->has_cond ? 1 : 0;
	bool new_gen = true;
	SL_ASSERT(out->count == 0 && prog->nroots - first == out->ncols);
	if (prog->has_cond) {
		/* strings the filter makes go to out's heap: a projection may
		 * reuse them (shared subexpression) and out outlives this call */
		const uint16_t *sel = in->sel ? in->sel : identity_sel;
		uint32_t n = sl_chunk_live(in), k = 0;
		const sl_vector *v = eval_root_at(prog, prog->roots[0], true, in, &out->heap, NULL, errp);
		const uint8_t *b;
		if (!v)
			return -1;
		b = SL_VEC_DATA(v, uint8_t);
		for (uint32_t i = 0; i < n; i++) {
			uint32_t r = sel[i];
			in->sel_buf[k] = (uint16_t)r;
			k += (b[r] != 0) & sl_vec_valid(v, r);
		}
		in->sel = in->sel_buf;
		in->nsel = k;
		if (k == 0)
			return 0;
		new_gen = false;
	}
	for (int i = first; i < prog->nroots; i++) {
		nstate *root = prog->roots[i];
		if (!eval_root_at(prog, root, new_gen, in, &out->heap, out->cols[i - first], errp))
			return -1;
		new_gen = false;
		if (may_point_into(root->e->type) && out != in)
			sl_chunk_keep(out, in);
	}
	out->count = in->count;
	memcpy(out->kinds, in->kinds, in->count);
	if (in->sel) {
		memcpy(out->sel_buf, in->sel, in->nsel * sizeof(uint16_t));
		out->sel = out->sel_buf;
		out->nsel = in->nsel;
	} else {
		out->sel = NULL;
	}
	return sl_chunk_live(out);
}

/* ---------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------- */
bool
sl_kernel_error(sl_kctx *k, sl_errcode code, uint32_t row, const char *fmt, ...)
{
	va_list ap;
	sl_error *err;
	va_start(ap, fmt);
	err = sl_error_newv(code, SL_SPAN_NONE, fmt, ap);
	va_end(ap);
	if (k->in && row < k->in->count) {
		sl_strbuf sb = SL_STRBUF_INIT;
		sl_chunk_format_row(k->in, row, &sb);
		sl_error_set_detail(err, "The failing input row is %s.", sl_strbuf_str(&sb));
		sl_strbuf_free(&sb);
	}
	if (k->errp && !*k->errp)
		*k->errp = err;
	else
		sl_error_free(err);
	return false;
}
