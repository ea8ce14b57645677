/*
 * rel.c
 *	  Plan node construction and the node names from nodes.def.
 */
#include "planner/planner_int.h"

#include <string.h>

const char *
sl_rel_name(int tag)
{
	switch (tag) {
#define SL_LNODE(t, name) case T_##t: return name;
#define SL_PNODE(t, name) case T_##t: return name;
#include "planner/nodes.def"
	default:
		return "?";
	}
}

sl_rel *
sl_rel_new(sl_arena *a, int tag, int ninputs)
{
	sl_rel *r = SL_ANEW(a, sl_rel);
	r->tag = tag;
	r->ninputs = ninputs;
	r->inputs = SL_ANEWN(a, sl_rel *, ninputs + 1);
	r->rowtime_col = r->proctime_col = -1;
	r->win_start_col = r->win_end_col = -1;
	r->rwin_start_col = r->rwin_end_col = -1;
	r->left_time_col = r->right_time_col = -1;
	r->window.time_col = -1;
	r->span = SL_SPAN_NONE;
	return r;
}

sl_rel *
sl_rel_copy(sl_arena *a, const sl_rel *r)
{
	sl_rel *c = SL_ANEW(a, sl_rel);
	*c = *r;
	c->inputs = SL_ANEWN(a, sl_rel *, r->ninputs + 1);
	memcpy(c->inputs, r->inputs, sizeof(sl_rel *) * (size_t)r->ninputs);
	c->fields = SL_ANEWN(a, sl_field, r->nfields + 1);
	memcpy(c->fields, r->fields, sizeof(sl_field) * (size_t)r->nfields);
	return c;
}

sl_rel *
sl_rel_calc(sl_arena *a, sl_rel *in, int n, sl_expr **exprs, const char **names, sl_expr *cond)
{
	sl_rel *r = sl_rel_new(a, T_LCalc, 1);
	r->inputs[0] = in;
	r->nfields = r->nexprs = n;
	r->fields = SL_ANEWN(a, sl_field, n + 1);
	r->exprs = SL_ANEWN(a, sl_expr *, n + 1);
	for (int i = 0; i < n; i++) {
		r->exprs[i] = exprs[i];
		r->fields[i].name = names[i];
		r->fields[i].type = exprs[i]->type;
		if (exprs[i]->kind == SL_EX_COL) {
			r->fields[i].wprop = in->fields[exprs[i]->col].wprop;
			r->fields[i].window = in->fields[exprs[i]->col].window;
		}
		if (exprs[i]->type->time_attr == SL_TIME_ATTR_ROWTIME && r->rowtime_col < 0)
			r->rowtime_col = i;
		if (exprs[i]->type->time_attr == SL_TIME_ATTR_PROCTIME && r->proctime_col < 0)
			r->proctime_col = i;
	}
	r->cond = cond;
	return r;
}

sl_expr *
sl_rel_colref(sl_arena *a, const sl_rel *r, int i)
{
	return sl_expr_col(a, i, r->fields[i].type);
}
