/*
 * registry.c
 *	  The registry of C functions: SQL names bound to overloads from loaded
 *	  libraries or compiled into sluice, lookup and overload resolution.
 *
 *	  Names are ASCII case-insensitive (as Flink's). An entry holds copies
 *	  of its overloads (sl_udf_fn) in the registry arena; DROP FUNCTION
 *	  unlinks the entry but keeps its memory and the library, since plans
 *	  built before may still point at them.
 *
 *	  @thread session (DDL and planning); not locked.
 *
 * INTERFACE ROUTINES
 *	  sl_udf_registry_new / _free, sl_udf_create, sl_udf_drop,
 *	  sl_udf_add_builtin, sl_udf_lookup, sl_udf_count, sl_udf_at,
 *	  sl_udf_resolve, sl_udf_describe
 */
#include "udf/udf_int.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

sl_udf_registry *
sl_udf_registry_new(void)
{
	sl_udf_registry *reg = sl_xcalloc(1, sizeof *reg);
	reg->arena = sl_arena_new(NULL, "udf registry");
	return reg;
}

void
sl_udf_registry_free(sl_udf_registry *reg)
{
	if (!reg)
		return;
	for (size_t i = 0; i < reg->libs.n; i++)
		dlclose(reg->libs.v[i]->handle);
	sl_vec_free(&reg->libs);
	sl_vec_free(&reg->entries);
	sl_arena_free(reg->arena);
	free(reg);
}

static size_t
find(const sl_udf_registry *reg, const char *name)
{
	for (size_t i = 0; i < reg->entries.n; i++)
		if (sl_streq_ci(reg->entries.v[i]->name, name))
			return i;
	return SIZE_MAX;
}

const sl_udf_entry *
sl_udf_lookup(const sl_udf_registry *reg, const char *name)
{
	size_t i = find(reg, name);
	return i == SIZE_MAX ? NULL : reg->entries.v[i];
}

size_t
sl_udf_count(const sl_udf_registry *reg)
{
	return reg->entries.n;
}

const sl_udf_entry *
sl_udf_at(const sl_udf_registry *reg, size_t i)
{
	return i < reg->entries.n ? reg->entries.v[i] : NULL;
}

static bool
exists_error(const sl_udf_entry *e, sl_error **errp)
{
	sl_error *err = sl_error_new(SL_ERR_DUPLICATE_OBJECT, SL_SPAN_NONE,
	                             "function \"%s\" already exists", e->name);
	if (e->builtin)
		sl_error_set_detail(err, "It is a built-in function.");
	else
		sl_error_set_hint(err, "Use DROP FUNCTION %s first, or CREATE FUNCTION IF NOT EXISTS.",
		                  e->name);
	if (errp)
		*errp = err;
	else
		sl_error_free(err);
	return false;
}

bool
sl_udf_create(sl_udf_registry *reg, const char *name, sl_udf_library *lib,
              const char *symbol, bool if_not_exists, sl_error **errp)
{
	if (!sl_udf_name_ok_(name))
		return sl_fail(errp, SL_ERR_UDF, SL_SPAN_NONE, "invalid function name \"%s\"",
		               name ? name : "");
	const sl_udf_entry *old = sl_udf_lookup(reg, name);
	if (old)
		return if_not_exists ? true : exists_error(old, errp);
	if (!symbol || !*symbol)
		symbol = name;
	int n = 0;
	for (int i = 0; i < lib->nfns; i++)
		n += sl_streq_ci(lib->fns[i].symbol, symbol);
	if (n == 0) {
		sl_error *e = sl_error_new(SL_ERR_UNDEFINED_FUNCTION, SL_SPAN_NONE,
		                           "library \"%s\" has no function \"%s\"", lib->given, symbol);
		const char **cands = sl_xcalloc((size_t)lib->nfns, sizeof *cands);
		sl_strbuf sb = SL_STRBUF_INIT;
		int nc = 0;
		for (int i = 0; i < lib->nfns; i++) {
			bool seen = false;
			for (int j = 0; j < nc; j++)
				seen |= sl_streq_ci(cands[j], lib->fns[i].symbol);
			if (seen)
				continue;
			sl_strbuf_appendf(&sb, "%s\"%s\"", nc ? ", " : "", lib->fns[i].symbol);
			cands[nc++] = lib->fns[i].symbol;
		}
		const char *close = sl_suggest(symbol, cands, (size_t)nc);
		if (close)
			sl_error_set_hint(e, "Did you mean \"%s\"? The library declares %s.", close,
			                  sl_strbuf_str(&sb));
		else
			sl_error_set_hint(e, "The library declares %s.", sl_strbuf_str(&sb));
		sl_strbuf_free(&sb);
		free(cands);
		if (errp)
			*errp = e;
		else
			sl_error_free(e);
		return false;
	}
	sl_udf_entry *e = SL_ANEW(reg->arena, sl_udf_entry);
	e->name = sl_arena_strdup(reg->arena, name);
	e->fns = SL_ANEWN(reg->arena, sl_udf_fn *, n);
	for (int i = 0; i < lib->nfns; i++) {
		if (!sl_streq_ci(lib->fns[i].symbol, symbol))
			continue;
		sl_udf_fn *fn = SL_ANEW(reg->arena, sl_udf_fn);
		*fn = lib->fns[i];
		fn->name = e->name;
		e->fns[e->nfns++] = fn;
	}
	sl_vec_push(&reg->entries, e);
	return true;
}

bool
sl_udf_drop(sl_udf_registry *reg, const char *name, bool if_exists, sl_error **errp)
{
	size_t i = find(reg, name);
	if (i == SIZE_MAX) {
		if (if_exists)
			return true;
		return sl_fail(errp, SL_ERR_UNDEFINED_FUNCTION, SL_SPAN_NONE,
		               "function \"%s\" does not exist", name);
	}
	if (reg->entries.v[i]->builtin)
		return sl_fail(errp, SL_ERR_UDF, SL_SPAN_NONE,
		               "cannot drop built-in function \"%s\"", reg->entries.v[i]->name);
	memmove(&reg->entries.v[i], &reg->entries.v[i + 1],
	        (reg->entries.n - i - 1) * sizeof reg->entries.v[0]);
	reg->entries.n--;
	return true;
}

bool
sl_udf_add_builtin(sl_udf_registry *reg, const sluice_udf_function *desc, sl_error **errp)
{
	sl_udf_fn *fn = SL_ANEW(reg->arena, sl_udf_fn);
	fn->desc = *desc;
	if (!sl_udf_check_fn_(reg, NULL, "<built-in>", 0, &fn->desc, fn, errp))
		return false;

	size_t i = find(reg, desc->name);
	sl_udf_entry *e;
	if (i != SIZE_MAX) {
		e = reg->entries.v[i];
		if (!e->builtin)
			return exists_error(e, errp);
		for (int k = 0; k < e->nfns; k++) {
			const sl_udf_fn *o = e->fns[k];
			bool same = o->sig.nargs == fn->sig.nargs;
			for (int a = 0; same && a < o->sig.nargs; a++)
				same = o->sig.args[a]->kind == fn->sig.args[a]->kind;
			if (same)
				return sl_fail(errp, SL_ERR_DUPLICATE_OBJECT, SL_SPAN_NONE,
				               "built-in function \"%s\" is declared twice with the signature \"%s\"",
				               desc->name, desc->signature);
		}
		sl_udf_fn **fns = SL_ANEWN(reg->arena, sl_udf_fn *, e->nfns + 1);
		memcpy(fns, e->fns, sizeof(*fns) * (size_t)e->nfns);
		e->fns = fns;
	} else {
		e = SL_ANEW(reg->arena, sl_udf_entry);
		e->name = desc->name;
		e->builtin = true;
		e->fns = SL_ANEWN(reg->arena, sl_udf_fn *, 1);
		sl_vec_push(&reg->entries, e);
	}
	e->fns[e->nfns++] = fn;
	return true;
}

/* ---------------------------------------------------------------------
 * Overload resolution.
 * ------------------------------------------------------------------- */

/* Cost of passing a value of type from to a parameter of type to:
 * 0 same kind, > 0 implicit widening, -1 not allowed. */
static int
widen_cost(const sl_type *from, const sl_type *to)
{
	if (!from || from->kind == SL_TYPE_NULL)
		return 1;
	if (from->kind == to->kind)
		return 0;
	int rf = sl_type_numeric_rank(from->kind), rt = sl_type_numeric_rank(to->kind);
	if (rf && rt && rf < rt)
		return rt - rf;
	if (from->kind == SL_TYPE_CHAR && to->kind == SL_TYPE_VARCHAR)
		return 1;
	return -1;
}

static void
format_arg_types(const sl_type *const *argtypes, int nargs, sl_strbuf *out)
{
	sl_strbuf_append(out, "(");
	for (int i = 0; i < nargs; i++) {
		if (i)
			sl_strbuf_append(out, ", ");
		if (!argtypes[i]) {
			sl_strbuf_append(out, "NULL");
			continue;
		}
		sl_type t = *argtypes[i];
		t.nullable = true;
		sl_udf_type_format(&t, out);
	}
	sl_strbuf_append(out, ")");
}

static void
list_signatures(const sl_udf_entry *e, sl_strbuf *out)
{
	for (int i = 0; i < e->nfns; i++) {
		if (i)
			sl_strbuf_append(out, "; ");
		sl_udf_fn_format_(e->fns[i], out);
	}
}

const sl_udf_fn *
sl_udf_resolve(const sl_udf_registry *reg, const char *name,
               const sl_type *const *argtypes, int nargs, sl_error **errp)
{
	const sl_udf_entry *e = sl_udf_lookup(reg, name);
	if (!e) {
		sl_error *err = sl_error_new(SL_ERR_UNDEFINED_FUNCTION, SL_SPAN_NONE,
		                             "function \"%s\" does not exist", name);
		const char **cands = sl_xcalloc(reg->entries.n + 1, sizeof *cands);
		for (size_t i = 0; i < reg->entries.n; i++)
			cands[i] = reg->entries.v[i]->name;
		const char *close = sl_suggest(name, cands, reg->entries.n);
		if (close)
			sl_error_set_hint(err, "A function named \"%s\" exists.", close);
		free(cands);
		if (errp)
			*errp = err;
		else
			sl_error_free(err);
		return NULL;
	}
	const sl_udf_fn *best = NULL;
	int best_cost = -1, ties = 0;
	for (int i = 0; i < e->nfns; i++) {
		const sl_udf_fn *fn = e->fns[i];
		if (fn->sig.nargs != nargs)
			continue;
		int cost = 0;
		for (int a = 0; a < nargs && cost >= 0; a++) {
			int c = widen_cost(argtypes[a], fn->sig.args[a]);
			cost = c < 0 ? -1 : cost + c;
		}
		if (cost < 0)
			continue;
		if (!best || cost < best_cost) {
			best = fn;
			best_cost = cost;
			ties = 0;
		} else if (cost == best_cost) {
			ties++;
		}
	}
	if (best && ties == 0)
		return best;
	sl_strbuf args = SL_STRBUF_INIT, sigs = SL_STRBUF_INIT;
	format_arg_types(argtypes, nargs, &args);
	list_signatures(e, &sigs);
	sl_error *err = sl_error_new(SL_ERR_DATATYPE_MISMATCH, SL_SPAN_NONE,
	                             best ? "call of function \"%s\" is ambiguous for %s"
	                                  : "function \"%s\" does not accept %s",
	                             e->name, sl_strbuf_str(&args));
	sl_error_set_hint(err, "%s: %s.", e->nfns == 1 ? "Its signature is" : "Its signatures are",
	                  sl_strbuf_str(&sigs));
	sl_strbuf_free(&args);
	sl_strbuf_free(&sigs);
	if (errp)
		*errp = err;
	else
		sl_error_free(err);
	return NULL;
}

void
sl_udf_describe(const sl_udf_entry *e, sl_strbuf *out)
{
	static const char *const kinds[] = {"?", "scalar", "aggregate", "table"};
	for (int i = 0; i < e->nfns; i++) {
		const sl_udf_fn *fn = e->fns[i];
		sl_udf_fn_format_(fn, out);
		sl_strbuf_appendf(out, "  [%s%s, %s", kinds[fn->kind >= 1 && fn->kind <= 3 ? fn->kind : 0],
		                  fn->deterministic ? "" : ", not deterministic",
		                  fn->lib ? fn->lib->path : "built-in");
		if (fn->kind == SLUICE_UDF_AGGREGATE && fn->desc.aggregate && !fn->desc.aggregate->retract)
			sl_strbuf_append(out, ", no retraction");
		sl_strbuf_append(out, "]");
		if (fn->desc.description)
			sl_strbuf_appendf(out, " %s", fn->desc.description);
		sl_strbuf_append(out, "\n");
	}
}
