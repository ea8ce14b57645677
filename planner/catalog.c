/*
 * catalog.c
 *	  The session catalog (tables, views, functions, SET keys) and the
 *	  statement driver: split a script into statements, parse each, apply
 *	  DDL to the catalog in order, and plan INSERT / SELECT / EXPLAIN /
 *	  STATEMENT SET.
 *
 *	  The catalog owns one arena holding every table, view (its AST and
 *	  text) and function; statements are parsed into it because views keep
 *	  their AST. Plans live in the caller's query arena.
 *
 * INTERFACE ROUTINES
 *	  sl_catalog_new, sl_catalog_free, sl_catalog_table/_view/_function
 *	  sl_plan_split_script   statement boundaries
 *	  sl_plan_statement      process one statement
 */
#include "planner/bind_int.h"
#include "udf/udf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

sl_catalog *
sl_catalog_new(void)
{
	sl_catalog *cat = sl_xcalloc(1, sizeof *cat);
	cat->arena = sl_arena_new(NULL, "catalog");
	cat->config = sl_config_new();
	cat->udfs = sl_udf_registry_new();
	return cat;
}

void
sl_catalog_free(sl_catalog *cat)
{
	if (!cat)
		return;
	sl_vec_free(&cat->tables);
	sl_vec_free(&cat->views);
	sl_vec_free(&cat->funcs);
	sl_config_free(cat->config);
	sl_udf_registry_free(cat->udfs);
	sl_arena_free(cat->arena);
	free(cat);
}

const sl_table *
sl_catalog_table(const sl_catalog *cat, const char *name)
{
	for (size_t i = 0; i < cat->tables.n; i++)
		if (strcmp(cat->tables.v[i]->name, name) == 0)
			return cat->tables.v[i];
	return NULL;
}

const sl_view *
sl_catalog_view(const sl_catalog *cat, const char *name)
{
	for (size_t i = 0; i < cat->views.n; i++)
		if (strcmp(cat->views.v[i]->name, name) == 0)
			return cat->views.v[i];
	return NULL;
}

const sl_function *
sl_catalog_function(const sl_catalog *cat, const char *name)
{
	/* function names are case-insensitive, as in Flink */
	for (size_t i = 0; i < cat->funcs.n; i++)
		if (sl_streq_ci(cat->funcs.v[i]->name, name))
			return cat->funcs.v[i];
	return NULL;
}

const char *
sl_catalog_config(const sl_catalog *cat, const char *key)
{
	return sl_config_get(cat->config, key);
}

int
sl_catalog_parallelism(const sl_catalog *cat)
{
	int64_t p = sl_config_get_int(cat->config, "parallelism.default", 1);
	return p < 1 ? 1 : (int)SL_MIN(p, 1024);
}

/* ---------------------------------------------------------------------
 * Splitting a script
 * ------------------------------------------------------------------- */
static bool
word_at(const char *s, size_t len, size_t i, const char *w)
{
	size_t n = strlen(w);
	if (i + n > len)
		return false;
	for (size_t k = 0; k < n; k++)
		if (toupper((unsigned char)s[i + k]) != w[k])
			return false;
	if (i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_'))
		return false;
	return i + n == len || !(isalnum((unsigned char)s[i + n]) || s[i + n] == '_');
}

size_t
sl_plan_split_script(const char *src, size_t len, sl_stmt_text **out)
{
	SL_VEC(sl_stmt_text) v = {0};
	size_t i = 0, start = 0;
	bool content = false, in_set = false;
	int words = 0;
	bool set_begin = false;

	while (i < len) {
		char c = src[i];
		if (c == '-' && i + 1 < len && src[i + 1] == '-') {
			while (i < len && src[i] != '\n')
				i++;
			continue;
		}
		if (c == '/' && i + 1 < len && src[i + 1] == '*') {
			i += 2;
			while (i + 1 < len && !(src[i] == '*' && src[i + 1] == '/'))
				i++;
			i = i + 2 > len ? len : i + 2;
			continue;
		}
		if (isspace((unsigned char)c)) {
			i++;
			continue;
		}
		if (!content) {
			start = i;
			content = true;
			words = 0;
			in_set = set_begin = false;
		}
		if (c == '\'' || c == '`' || c == '"') {
			char q = c;
			i++;
			while (i < len) {
				if (src[i] == q) {
					if (i + 1 < len && src[i + 1] == q) {
						i += 2;
						continue;
					}
					break;
				}
				i++;
			}
			i++;
			words++;
			continue;
		}
		if (isalpha((unsigned char)c) || c == '_') {
			/* EXECUTE STATEMENT SET BEGIN ... END / BEGIN STATEMENT SET; ... END */
			if (words < 3 && (word_at(src, len, i, "STATEMENT")))
				in_set = true;
			if (in_set && word_at(src, len, i, "BEGIN"))
				set_begin = true;
			if (in_set && word_at(src, len, i, "END") && words > 2) {
				in_set = false;
				set_begin = false;
			}
			while (i < len && (isalnum((unsigned char)src[i]) || src[i] == '_' || (unsigned char)src[i] >= 0x80))
				i++;
			words++;
			continue;
		}
		if (c == ';' && !in_set) {
			sl_stmt_text st = {(uint32_t)start, (uint32_t)(i + 1)};
			sl_vec_push(&v, st);
			content = false;
			i++;
			continue;
		}
		(void)set_begin;
		i++;
	}
	if (content) {
		sl_stmt_text st = {(uint32_t)start, (uint32_t)len};
		sl_vec_push(&v, st);
	}
	*out = v.v;
	return v.n;
}

/* ---------------------------------------------------------------------
 * DDL
 * ------------------------------------------------------------------- */
static bool
name_taken(sl_bind_ctx *cx, const char *name, sl_span span, bool if_not_exists, bool *skip)
{
	*skip = false;
	if (sl_catalog_table(cx->cat, name) || sl_catalog_view(cx->cat, name)) {
		if (if_not_exists) {
			*skip = true;
			return false;
		}
		sl_bind_error(cx, SL_ERR_DUPLICATE_OBJECT, span, "%s \"%s\" already exists",
		              sl_catalog_table(cx->cat, name) ? "table" : "view", name);
		sl_error_set_hint(cx->err, "use DROP %s %s first, or CREATE ... IF NOT EXISTS",
		                  sl_catalog_table(cx->cat, name) ? "TABLE" : "VIEW", name);
		return true;
	}
	return false;
}

static sl_span
idents_span(const sl_ast_ident_list *l, sl_span dflt)
{
	if (l->n == 0)
		return dflt;
	return sl_span_join(l->items[0].span, l->items[l->n - 1].span);
}

/* SHOW USER FUNCTIONS: the CREATE FUNCTIONs in creation order, as
 * name, kind, symbol and library as written. */
static void
show_user_functions(sl_bind_ctx *cx, sl_strbuf *sb)
{
	for (size_t i = 0; i < cx->cat->funcs.n; i++) {
		const sl_function *f = cx->cat->funcs.v[i];
		const sl_udf_entry *ue = sl_udf_lookup(cx->cat->udfs, f->name);
		sluice_udf_kind k = ue && ue->nfns ? ue->fns[0]->kind : SLUICE_UDF_SCALAR;
		sl_strbuf_appendf(sb, "%s\t%s\t%s\t%s\n", f->name,
		                  k == SLUICE_UDF_AGGREGATE ? "aggregate" : k == SLUICE_UDF_TABLE ? "table" : "scalar",
		                  f->symbol, f->library);
	}
}

static int
cmp_name_ci(const void *a, const void *b)
{
	return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

/* SHOW FUNCTIONS (Flink): every function a query can call, built-in and
 * user-defined, one name per line, sorted case-insensitively. */
static void
show_functions(sl_bind_ctx *cx, sl_strbuf *sb)
{
	size_t nb, n = 0;
	const char *const *bi = sl_planner_func_names(&nb);
	const char **all = SL_ANEWN(cx->a, const char *, nb + cx->cat->funcs.n + 1);
	for (size_t i = 0; i < nb; i++)
		all[n++] = bi[i];
	for (size_t i = 0; i < cx->cat->funcs.n; i++)
		all[n++] = cx->cat->funcs.v[i]->name;
	qsort(all, n, sizeof *all, cmp_name_ci);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcasecmp(all[i], all[i - 1]) != 0)
			sl_strbuf_appendf(sb, "%s\n", all[i]);
}

static int
find_col(const sl_table *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].name, name) == 0)
			return i;
	return -1;
}

static bool
unknown_col(sl_bind_ctx *cx, const sl_table *t, const sl_ast_ident *id)
{
	const char **cands = SL_ANEWN(cx->a, const char *, t->ncols + 1);
	const char *near;
	for (int i = 0; i < t->ncols; i++)
		cands[i] = t->cols[i].name;
	sl_bind_error(cx, SL_ERR_UNDEFINED_COLUMN, id->span, "column \"%s\" does not exist in table \"%s\"",
	              id->name, t->name);
	near = sl_suggest(id->name, cands, (size_t)t->ncols);
	if (near)
		sl_error_set_hint(cx->err, "did you mean \"%s\"?", near);
	return false;
}

static bool
create_table(sl_bind_ctx *cx, const sl_ast_create_table *ct, sl_stmt_result *res)
{
	sl_arena *a = cx->cat->arena;
	sl_arena *saved = cx->a;
	const char *name = ct->name.items[ct->name.n - 1].name;
	sl_table *t;
	scope sc = {0};
	bool skip;
	sl_option_values vals = {0};
	sl_error *oerr = NULL;
	SL_VEC(int) pk = {0};

	if (name_taken(cx, name, idents_span(&ct->name, ct->span), ct->if_not_exists, &skip))
		return false;
	if (skip) {
		res->message = "CREATE TABLE (exists, skipped)";
		return true;
	}
	if (ct->as_query) {
		return sl_bind_error(cx, SL_ERR_FEATURE_NOT_SUPPORTED, ct->span,
		                     "CREATE TABLE ... AS SELECT is not supported; use CREATE TABLE and INSERT INTO");
	}
	cx->a = a; /* the table outlives the statement */
	t = SL_ANEW(a, sl_table);
	t->name = sl_arena_strdup(a, name);
	t->span = ct->span;
	t->rowtime_col = t->proctime_col = -1;
	t->ncols = ct->columns.n;
	t->cols = SL_ANEWN(a, sl_column, ct->columns.n + 1);
	for (int i = 0; i < ct->columns.n; i++) {
		const sl_ast_column_def *cd = ct->columns.items[i];
		sl_column *c = &t->cols[i];
		for (int j = 0; j < i; j++)
			if (strcmp(t->cols[j].name, cd->name.name) == 0) {
				sl_bind_error(cx, SL_ERR_DUPLICATE_OBJECT, cd->name.span, "column \"%s\" is declared twice",
				              cd->name.name);
				goto fail;
			}
		c->name = sl_arena_strdup(a, cd->name.name);
		c->kind = cd->kind == SL_COL_COMPUTED ? SL_TCOL_COMPUTED
		        : cd->kind == SL_COL_METADATA ? SL_TCOL_METADATA : SL_TCOL_PHYSICAL;
		c->meta_key = cd->metadata_key;
		c->is_virtual = cd->is_virtual;
		if (cd->primary_key)
			sl_vec_push(&pk, i);
		if (c->kind != SL_TCOL_COMPUTED) {
			if (!(c->type = sl_bind_type(cx, cd->type)))
				goto fail;
		}
	}
	/* computed columns over the physical / metadata columns */
	sc.cols = SL_ANEWN(a, scope_col, t->ncols + 1);
	for (int i = 0; i < t->ncols; i++)
		if (t->cols[i].kind != SL_TCOL_COMPUTED) {
			scope_col *s = &sc.cols[sc.n++];
			s->name = t->cols[i].name;
			s->type = t->cols[i].type;
			s->col = i;
		}
	for (int i = 0; i < t->ncols; i++) {
		sl_column *c = &t->cols[i];
		if (c->kind != SL_TCOL_COMPUTED)
			continue;
		cx->clause = "a computed column";
		if (!(c->expr = sl_bind_expr(cx, &sc, ct->columns.items[i]->expr)))
			goto fail;
		c->type = c->expr->type;
		if (c->type->time_attr == SL_TIME_ATTR_PROCTIME) {
			if (t->proctime_col >= 0) {
				sl_bind_error(cx, SL_ERR_TIME_ATTRIBUTE, ct->columns.items[i]->name.span,
				              "a table can have only one PROCTIME() column");
				goto fail;
			}
			t->proctime_col = i;
		}
	}
	if (ct->watermark) {
		const sl_ast_watermark *wm = ct->watermark;
		const sl_ast_ident *id = &wm->column.items[0];
		int c = find_col(t, id->name);
		scope all = {0};
		sl_expr *we;
		if (c < 0) {
			unknown_col(cx, t, id);
			goto fail;
		}
		if (t->cols[c].type->kind != SL_TYPE_TIMESTAMP && t->cols[c].type->kind != SL_TYPE_TIMESTAMP_LTZ) {
			sl_bind_error(cx, SL_ERR_TIME_ATTRIBUTE, id->span,
			              "the rowtime column \"%s\" must be TIMESTAMP(3) or TIMESTAMP_LTZ(3), not %s", id->name,
			              sl_arena_printf(cx->a, "%s", ""));
			sl_strbuf sb = SL_STRBUF_INIT;
			sl_type_to_string(t->cols[c].type, &sb);
			free(cx->err->message);
			cx->err->message = sl_xstrdup(sl_arena_printf(cx->a,
			    "the rowtime column \"%s\" must be TIMESTAMP(3) or TIMESTAMP_LTZ(3), not %s", id->name,
			    sl_strbuf_str(&sb)));
			sl_strbuf_free(&sb);
			goto fail;
		}
		all.n = t->ncols;
		all.cols = SL_ANEWN(a, scope_col, t->ncols + 1);
		for (int i = 0; i < t->ncols; i++) {
			all.cols[i].name = t->cols[i].name;
			all.cols[i].type = t->cols[i].type;
			all.cols[i].col = i;
		}
		cx->clause = "WATERMARK";
		if (!(we = sl_bind_expr(cx, &all, wm->expr)))
			goto fail;
		if (we->type->kind != t->cols[c].type->kind) {
			sl_bind_error(cx, SL_ERR_DATATYPE_MISMATCH, we->span,
			              "the watermark expression must have the type of column \"%s\"", id->name);
			goto fail;
		}
		t->watermark = we;
		t->rowtime_col = c;
		t->cols[c].type = sl_type_with_time_attr(a, t->cols[c].type, SL_TIME_ATTR_ROWTIME);
	}
	if (ct->primary_key) {
		for (int i = 0; i < ct->primary_key->columns.n; i++) {
			int c = find_col(t, ct->primary_key->columns.items[i].name);
			if (c < 0) {
				unknown_col(cx, t, &ct->primary_key->columns.items[i]);
				goto fail;
			}
			sl_vec_push(&pk, c);
		}
	}
	if (pk.n) {
		int *v = SL_ANEWN(a, int, pk.n);
		memcpy(v, pk.v, sizeof(int) * pk.n);
		t->npk = (int)pk.n;
		t->pk = v;
		for (size_t i = 0; i < pk.n; i++)
			t->cols[pk.v[i]].type = sl_type_with_nullable(a, t->cols[pk.v[i]].type, false);
	}
	if (ct->partitioned_by.n) {
		t->partition_cols = SL_ANEWN(a, int, ct->partitioned_by.n);
		for (int i = 0; i < ct->partitioned_by.n; i++) {
			int c = find_col(t, ct->partitioned_by.items[i].name);
			if (c < 0) {
				unknown_col(cx, t, &ct->partitioned_by.items[i]);
				goto fail;
			}
			t->partition_cols[t->npartition++] = c;
		}
	}
	/* options, validated through the registry */
	t->noptions = ct->options.n;
	t->options = SL_ANEWN(a, sl_option_kv, ct->options.n + 1);
	for (int i = 0; i < ct->options.n; i++) {
		const sl_ast_option *o = ct->options.items[i];
		t->options[i].key = sl_arena_strdup(a, o->key);
		t->options[i].value = sl_arena_strdup(a, o->value ? o->value : "");
		t->options[i].key_span = o->key_span;
		t->options[i].value_span = o->value_span;
		if (strcmp(o->key, "connector") == 0)
			t->connector = t->options[i].value;
		if (strcmp(o->key, "format") == 0 || (strcmp(o->key, "value.format") == 0 && !t->format))
			t->format = t->options[i].value;
	}
	if (!t->connector) {
		sl_bind_error(cx, SL_ERR_MISSING_OPTION, idents_span(&ct->name, ct->span),
		              "table \"%s\" has no 'connector' option", name);
		sl_error_set_hint(cx->err, "add WITH ('connector' = '...'): one of kafka, upsert-kafka, filesystem, "
		                  "nexmark, datagen, print, blackhole, postgres-cdc, postgres");
		goto fail;
	}
	if (!sl_options_validate(NULL, t->options, t->noptions, &vals, &oerr)) {
		sl_error_free(oerr->next);
		oerr->next = NULL;
		cx->err = oerr;
		goto fail;
	}
	sl_option_values_free(&vals);
	sl_vec_push(&cx->cat->tables, t);
	sl_vec_free(&pk);
	cx->a = saved;
	res->message = "CREATE TABLE";
	return true;
fail:
	sl_vec_free(&pk);
	cx->a = saved;
	return false;
}

static bool
create_view(sl_bind_ctx *cx, const sl_ast_create_view *cv, const char *src, sl_stmt_result *res)
{
	const char *name = cv->name.items[cv->name.n - 1].name;
	sl_view *v;
	sl_rel *r;
	bool skip;
	sl_ast_select *q = (sl_ast_select *)cv->query;
	if (name_taken(cx, name, idents_span(&cv->name, cv->span), cv->if_not_exists, &skip))
		return false;
	if (skip) {
		res->message = "CREATE VIEW (exists, skipped)";
		return true;
	}
	if (cv->columns.n > 0)
		return sl_bind_error(cx, SL_ERR_FEATURE_NOT_SUPPORTED, cv->span,
		                     "CREATE VIEW with a column list is not supported; alias the columns in the SELECT");
	/* validate now: a view that cannot be bound is rejected at CREATE */
	if (!(r = sl_bind_query(cx, cv->query)))
		return false;
	v = SL_ANEW(cx->cat->arena, sl_view);
	v->name = sl_arena_strdup(cx->cat->arena, name);
	v->query = cv->query;
	v->text = sl_arena_strndup(cx->cat->arena, src + q->span.start, q->span.end - q->span.start);
	sl_vec_push(&cx->cat->views, v);
	res->message = "CREATE VIEW";
	return true;
}

static const char *
upper_ascii(sl_arena *a, const char *s)
{
	char *u = sl_arena_strdup(a, s);
	for (char *p = u; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return u;
}

/* The span of the string after USING LIBRARY in a CREATE FUNCTION (the
 * AST keeps only its value), or the statement's span. */
static sl_span
library_span(const char *src, sl_span stmt)
{
	for (uint32_t i = stmt.start; i + 7 <= stmt.end; i++) {
		uint32_t k;
		if (strncasecmp(src + i, "LIBRARY", 7) != 0 ||
		    (i > 0 && (isalnum((unsigned char)src[i - 1]) || src[i - 1] == '_')))
			continue;
		for (k = i + 7; k < stmt.end && isspace((unsigned char)src[k]); k++)
			;
		if (k == i + 7 || k >= stmt.end || src[k] != '\'')
			continue;
		for (uint32_t e = k + 1; e < stmt.end; e++)
			if (src[e] == '\'') {
				if (e + 1 < stmt.end && src[e + 1] == '\'') {
					e++;
					continue;
				}
				return (sl_span){k, e + 1};
			}
	}
	return stmt;
}

static bool
create_function(sl_bind_ctx *cx, const sl_ast_create_function *cf, const char *src,
                const sl_plan_options *opts, sl_stmt_result *res)
{
	sl_arena *a = cx->cat->arena;
	const char *name = cf->name.items[cf->name.n - 1].name;
	const char *udf_path = sl_catalog_config(cx->cat, "udf.path");
	sl_udf_library *lib;
	sl_error *e = NULL;
	sl_span libspan;
	sl_function *f;
	if (sl_catalog_function(cx->cat, name)) {
		if (cf->if_not_exists) {
			res->message = "CREATE FUNCTION (exists, skipped)";
			return true;
		}
		sl_bind_error(cx, SL_ERR_DUPLICATE_OBJECT, idents_span(&cf->name, cf->span),
		              "function \"%s\" already exists", name);
		return false;
	}
	if (cf->language && strcmp(cf->language, "C") != 0) {
		sl_bind_error(cx, SL_ERR_FEATURE_NOT_SUPPORTED, cf->span,
		              "functions in LANGUAGE %s are not supported; sluice loads C functions", cf->language);
		sl_error_set_hint(cx->err, "CREATE FUNCTION name AS 'symbol' LANGUAGE C USING LIBRARY 'lib.so'");
		return false;
	}
	if (cf->using_kind != SL_USING_LIBRARY) {
		sl_bind_error(cx, SL_ERR_FEATURE_NOT_SUPPORTED, cf->span,
		              "CREATE FUNCTION needs USING LIBRARY 'path.so'");
		return false;
	}
	if (sl_planner_func_exists(upper_ascii(cx->a, name))) {
		sl_bind_error(cx, SL_ERR_DUPLICATE_OBJECT, idents_span(&cf->name, cf->span),
		              "\"%s\" is a built-in function; a C function needs another name", name);
		return false;
	}
	/* Load (or find) the library: every refusal happens here, before any
	 * of its code runs, and is reported at the library string. */
	if (!udf_path || !*udf_path)
		udf_path = opts ? opts->udf_path : NULL;
	libspan = library_span(src, cf->span);
	if (!udf_path || !*udf_path) {
		sl_bind_error(cx, SL_ERR_UDF, libspan,
		              "cannot load library \"%s\": no UDF path is configured", cf->using_path);
		sl_error_set_hint(cx->err, "start sluice with --udf-path DIR, or SET 'udf.path' = 'DIR' before CREATE FUNCTION");
		return false;
	}
	if (!(lib = sl_udf_load(cx->cat->udfs, cf->using_path, udf_path, &e)) ||
	    !sl_udf_create(cx->cat->udfs, name, lib, cf->symbol ? cf->symbol : name, false, &e)) {
		e->span = libspan;
		sl_error_free(e->next);
		e->next = NULL;
		cx->err = e;
		return false;
	}
	f = SL_ANEW(a, sl_function);
	f->name = sl_arena_strdup(a, name);
	f->symbol = sl_arena_strdup(a, cf->symbol ? cf->symbol : name);
	f->library = sl_arena_strdup(a, cf->using_path);
	f->language = "C";
	f->libpath = sl_arena_strdup(a, sl_udf_library_path(lib));
	sl_vec_push(&cx->cat->funcs, f);
	res->message = "CREATE FUNCTION";
	return true;
}

static bool
drop(sl_bind_ctx *cx, const sl_ast_drop *d, sl_stmt_result *res)
{
	const char *name = d->name.items[d->name.n - 1].name;
	sl_span sp = idents_span(&d->name, d->span);
	const char *kind = d->object == SL_OBJ_VIEW ? "view" : d->object == SL_OBJ_FUNCTION ? "function" : "table";
	const char **cands;
	size_t n = 0;
	const char *near;
	if (d->object == SL_OBJ_TABLE) {
		for (size_t i = 0; i < cx->cat->tables.n; i++)
			if (strcmp(cx->cat->tables.v[i]->name, name) == 0) {
				memmove(&cx->cat->tables.v[i], &cx->cat->tables.v[i + 1],
				        sizeof(void *) * (cx->cat->tables.n - i - 1));
				cx->cat->tables.n--;
				res->message = "DROP TABLE";
				return true;
			}
	} else if (d->object == SL_OBJ_VIEW) {
		for (size_t i = 0; i < cx->cat->views.n; i++)
			if (strcmp(cx->cat->views.v[i]->name, name) == 0) {
				memmove(&cx->cat->views.v[i], &cx->cat->views.v[i + 1],
				        sizeof(void *) * (cx->cat->views.n - i - 1));
				cx->cat->views.n--;
				res->message = "DROP VIEW";
				return true;
			}
	} else if (d->object == SL_OBJ_FUNCTION) {
		for (size_t i = 0; i < cx->cat->funcs.n; i++)
			if (sl_streq_ci(cx->cat->funcs.v[i]->name, name)) {
				sl_udf_drop(cx->cat->udfs, name, true, NULL);
				memmove(&cx->cat->funcs.v[i], &cx->cat->funcs.v[i + 1],
				        sizeof(void *) * (cx->cat->funcs.n - i - 1));
				cx->cat->funcs.n--;
				res->message = "DROP FUNCTION";
				return true;
			}
	} else {
		return sl_bind_error(cx, SL_ERR_FEATURE_NOT_SUPPORTED, d->span, "this DROP is not supported");
	}
	if (d->if_exists) {
		res->message = sl_arena_printf(cx->a, "DROP %s (does not exist, skipped)",
		                               d->object == SL_OBJ_VIEW ? "VIEW" : d->object == SL_OBJ_FUNCTION ? "FUNCTION" : "TABLE");
		return true;
	}
	cands = SL_ANEWN(cx->a, const char *, cx->cat->tables.n + cx->cat->views.n + cx->cat->funcs.n + 1);
	if (d->object == SL_OBJ_TABLE)
		for (size_t i = 0; i < cx->cat->tables.n; i++)
			cands[n++] = cx->cat->tables.v[i]->name;
	if (d->object == SL_OBJ_VIEW)
		for (size_t i = 0; i < cx->cat->views.n; i++)
			cands[n++] = cx->cat->views.v[i]->name;
	if (d->object == SL_OBJ_FUNCTION)
		for (size_t i = 0; i < cx->cat->funcs.n; i++)
			cands[n++] = cx->cat->funcs.v[i]->name;
	sl_bind_error(cx, d->object == SL_OBJ_FUNCTION ? SL_ERR_UNDEFINED_FUNCTION : SL_ERR_UNDEFINED_TABLE, sp,
	              "%s \"%s\" does not exist", kind, name);
	near = sl_suggest(name, cands, n);
	if (near)
		sl_error_set_hint(cx->err, "did you mean \"%s\"?", near);
	else
		sl_error_set_hint(cx->err, "use DROP %s IF EXISTS to ignore a missing %s",
		                  d->object == SL_OBJ_VIEW ? "VIEW" : d->object == SL_OBJ_FUNCTION ? "FUNCTION" : "TABLE",
		                  kind);
	return false;
}

static void
describe_table(const sl_table *t, sl_strbuf *out)
{
	sl_field *names = sl_xcalloc((size_t)t->ncols + 1, sizeof *names);
	for (int i = 0; i < t->ncols; i++)
		names[i].name = t->cols[i].name;
	sl_strbuf_append(out, "name\ttype\tnull\tkey\textras\twatermark\n");
	for (int i = 0; i < t->ncols; i++) {
		const sl_column *c = &t->cols[i];
		bool key = false;
		for (int k = 0; k < t->npk; k++)
			key |= t->pk[k] == i;
		sl_strbuf_appendf(out, "%s\t", c->name);
		sl_type_to_string(c->type, out);
		sl_strbuf_appendf(out, "\t%s\t%s\t", c->type->nullable ? "true" : "false", key ? "PRI" : "");
		if (c->kind == SL_TCOL_COMPUTED) {
			sl_strbuf_append(out, "AS ");
			sl_expr_print(c->expr, names, t->ncols, out);
		} else if (c->kind == SL_TCOL_METADATA) {
			sl_strbuf_append(out, "METADATA");
		}
		sl_strbuf_append(out, "\t");
		if (i == t->rowtime_col) {
			sl_expr_print(t->watermark, names, t->ncols, out);
		}
		sl_strbuf_append(out, "\n");
	}
	free(names);
}

/* ---------------------------------------------------------------------
 * Planning a statement
 * ------------------------------------------------------------------- */
static sl_plan *
plan_roots(sl_bind_ctx *cx, sl_rel **roots, int n, const sl_plan_options *opts)
{
	sl_plan *plan = SL_ANEW(cx->a, sl_plan);
	int p = opts && opts->parallelism > 0 ? opts->parallelism : sl_catalog_parallelism(cx->cat);
	int64_t ttl = sl_config_get_int(cx->cat->config, "table.exec.state.ttl", 0);
	sl_rel **logical = SL_ANEWN(cx->a, sl_rel *, n + 1);
	for (int i = 0; i < n; i++)
		logical[i] = sl_rewrite(cx->a, roots[i]);
	plan->nlogical = n;
	plan->logical = logical;
	if (!sl_physical_build(cx->a, logical, n, p, ttl, cx->cat->config, plan, &cx->err))
		return NULL;
	return plan;
}

static bool
plan_stmt(sl_bind_ctx *cx, const sl_ast_stmt *s, const sl_plan_options *opts, sl_stmt_result *res)
{
	sl_rel **roots;
	int n = 0;
	switch (SL_TAG(s)) {
	case T_sl_ast_insert:
		roots = SL_ANEWN(cx->a, sl_rel *, 1);
		if (!(roots[0] = sl_bind_insert(cx, (const sl_ast_insert *)s)))
			return false;
		n = 1;
		break;
	case T_sl_ast_statement_set: {
		const sl_ast_statement_set *ss = (const sl_ast_statement_set *)s;
		roots = SL_ANEWN(cx->a, sl_rel *, ss->inserts.n + 1);
		for (int i = 0; i < ss->inserts.n; i++)
			if (!(roots[n++] = sl_bind_insert(cx, ss->inserts.items[i])))
				return false;
		break;
	}
	case T_sl_ast_select:
	case T_sl_ast_query:
	case T_sl_ast_set_op:
	case T_sl_ast_values: {
		sl_rel *q = sl_bind_query(cx, s);
		if (!q)
			return false;
		roots = SL_ANEWN(cx->a, sl_rel *, 1);
		roots[0] = sl_bind_select_sink(cx, q, ((const sl_ast_select *)s)->span);
		n = 1;
		break;
	}
	default:
		return sl_bind_error(cx, SL_ERR_FEATURE_NOT_SUPPORTED, ((const sl_ast_select *)s)->span,
		                     "EXPLAIN of %s is not supported", sl_ast_node_name(SL_TAG(s)));
	}
	res->plan = plan_roots(cx, roots, n, opts);
	return res->plan != NULL;
}

static bool
process(sl_bind_ctx *cx, const sl_ast_stmt *s, const char *src, const sl_plan_options *opts,
        sl_stmt_result *res)
{
	switch (SL_TAG(s)) {
	case T_sl_ast_create_table:
		res->kind = SL_RESULT_OK;
		return create_table(cx, (const sl_ast_create_table *)s, res);
	case T_sl_ast_create_view:
		res->kind = SL_RESULT_OK;
		return create_view(cx, (const sl_ast_create_view *)s, src, res);
	case T_sl_ast_create_function:
		res->kind = SL_RESULT_OK;
		return create_function(cx, (const sl_ast_create_function *)s, src, opts, res);
	case T_sl_ast_drop:
		res->kind = SL_RESULT_OK;
		return drop(cx, (const sl_ast_drop *)s, res);
	case T_sl_ast_set: {
		const sl_ast_set *st = (const sl_ast_set *)s;
		sl_error *e = NULL;
		if (!st->key) {
			sl_strbuf sb = SL_STRBUF_INIT;
			sl_config_show(cx->cat->config, false, &sb);
			res->kind = SL_RESULT_TEXT;
			res->message = sl_arena_strdup(cx->a, sl_strbuf_str(&sb));
			sl_strbuf_free(&sb);
			return true;
		}
		if (!sl_config_set(cx->cat->config, st->key, st->value, st->span, st->span, &e)) {
			sl_error_free(e->next);
			e->next = NULL;
			cx->err = e;
			return false;
		}
		res->kind = SL_RESULT_OK;
		res->message = "SET";
		return true;
	}
	case T_sl_ast_reset: {
		sl_error *e = NULL;
		if (!sl_config_reset(cx->cat->config, ((const sl_ast_reset *)s)->key, ((const sl_ast_reset *)s)->span, &e)) {
			cx->err = e;
			return false;
		}
		res->kind = SL_RESULT_OK;
		res->message = "RESET";
		return true;
	}
	case T_sl_ast_show: {
		const sl_ast_show *sh = (const sl_ast_show *)s;
		sl_strbuf sb = SL_STRBUF_INIT;
		res->kind = SL_RESULT_TEXT;
		if (sh->object == SL_OBJ_TABLE)
			for (size_t i = 0; i < cx->cat->tables.n; i++)
				sl_strbuf_appendf(&sb, "%s\n", cx->cat->tables.v[i]->name);
		else if (sh->object == SL_OBJ_VIEW)
			for (size_t i = 0; i < cx->cat->views.n; i++)
				sl_strbuf_appendf(&sb, "%s\n", cx->cat->views.v[i]->name);
		else if (sh->object == SL_OBJ_FUNCTION && sh->user_only)
			show_user_functions(cx, &sb);
		else if (sh->object == SL_OBJ_FUNCTION)
			show_functions(cx, &sb);
		else if (sh->object == SL_OBJ_JOB)
			sl_strbuf_append(&sb, "(no jobs: the planner runs no jobs)\n");
		res->message = sl_arena_strdup(cx->a, sl_strbuf_str(&sb));
		sl_strbuf_free(&sb);
		return true;
	}
	case T_sl_ast_describe: {
		const sl_ast_describe *d = (const sl_ast_describe *)s;
		const char *name = d->name.items[d->name.n - 1].name;
		const sl_table *t = d->function ? NULL : sl_catalog_table(cx->cat, name);
		sl_strbuf sb = SL_STRBUF_INIT;
		if (d->function) {
			const sl_udf_entry *ue = sl_udf_lookup(cx->cat->udfs, name);
			const sl_function *f = sl_catalog_function(cx->cat, name);
			if (!ue || !f)
				return sl_bind_error(cx, SL_ERR_UNDEFINED_FUNCTION, idents_span(&d->name, d->span),
				                     "function \"%s\" does not exist", name);
			sl_strbuf_appendf(&sb, "%s AS '%s' LANGUAGE C USING LIBRARY '%s'\n", f->name, f->symbol, f->library);
			sl_udf_describe(ue, &sb);
			if (sb.len > 0 && sl_strbuf_str(&sb)[sb.len - 1] != '\n')
				sl_strbuf_append(&sb, "\n");
		} else if (!t) {
			const sl_view *v = sl_catalog_view(cx->cat, name);
			if (v) {
				sl_rel *r = sl_bind_query(cx, v->query);
				if (!r)
					return false;
				sl_strbuf_append(&sb, "name\ttype\n");
				for (int i = 0; i < r->nfields; i++) {
					sl_strbuf_appendf(&sb, "%s\t", r->fields[i].name);
					sl_type_to_string(r->fields[i].type, &sb);
					sl_strbuf_append(&sb, "\n");
				}
			} else {
				const char **c = SL_ANEWN(cx->a, const char *, cx->cat->tables.n + 1);
				const char *near;
				for (size_t i = 0; i < cx->cat->tables.n; i++)
					c[i] = cx->cat->tables.v[i]->name;
				sl_bind_error(cx, SL_ERR_UNDEFINED_TABLE, idents_span(&d->name, d->span),
				              "table or view \"%s\" does not exist", name);
				near = sl_suggest(name, c, cx->cat->tables.n);
				if (near)
					sl_error_set_hint(cx->err, "did you mean \"%s\"?", near);
				return false;
			}
		} else {
			describe_table(t, &sb);
		}
		res->kind = SL_RESULT_TEXT;
		res->message = sl_arena_strdup(cx->a, sl_strbuf_str(&sb));
		sl_strbuf_free(&sb);
		return true;
	}
	case T_sl_ast_explain: {
		const sl_ast_explain *ex = (const sl_ast_explain *)s;
		sl_strbuf sb = SL_STRBUF_INIT;
		if (!plan_stmt(cx, ex->stmt, opts, res))
			return false;
		res->kind = SL_RESULT_EXPLAIN;
		res->explain_json = ex->json;
		if (ex->json)
			sl_plan_explain_json(res->plan, &sb);
		else
			sl_plan_explain(res->plan, &sb);
		res->message = sl_arena_strdup(cx->a, sl_strbuf_str(&sb));
		sl_strbuf_free(&sb);
		return true;
	}
	default:
		res->kind = SL_RESULT_PLAN;
		return plan_stmt(cx, s, opts, res);
	}
}

static void
clamp_spans(sl_error *e, uint32_t limit)
{
	for (; e; e = e->next)
		if (sl_span_valid(e->span)) {
			e->span.start = SL_MIN(e->span.start, limit);
			e->span.end = SL_MIN(e->span.end, limit);
		}
}

void
sl_plan_statement(sl_catalog *cat, const char *src, size_t srclen, sl_stmt_text st,
                  const sl_plan_options *opts, sl_arena *arena, sl_stmt_result *res)
{
	sl_bind_ctx cx = {0};
	sl_ast_script *script = NULL;
	sl_error *err = NULL;
	/* spans are offsets into src (sl_parse_range): the AST's, the plan's
	 * and the catalog's, so errors found at run time point into the script */

	memset(res, 0, sizeof *res);
	res->span = (sl_span){st.start, st.end};
	cx.a = arena;
	cx.cat = cat;
	if (!sl_parse_range(src, st.start, st.end, cat->arena, &script, &err)) {
		clamp_spans(err, (uint32_t)srclen);
		res->kind = SL_RESULT_ERROR;
		res->error = err;
		return;
	}
	for (int i = 0; i < script->stmts.n; i++) {
		if (!process(&cx, script->stmts.items[i], src, opts, res) || cx.err) {
			if (!cx.err)
				cx.err = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE, "statement failed without an error");
			clamp_spans(cx.err, (uint32_t)srclen);
			res->kind = SL_RESULT_ERROR;
			res->error = cx.err;
			res->plan = NULL;
			break;
		}
	}
	sl_vec_free(&cx.ctes);
	if (script->stmts.n == 0 && res->kind == SL_RESULT_OK && !res->message)
		res->message = "(empty)";
}
