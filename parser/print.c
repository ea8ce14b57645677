/*
 * print.c
 *	  The AST printer: canonical SQL text that re-parses to an equal tree.
 *
 *	  Canonical means: keywords in upper case, one spelling per construct
 *	  (INTEGER -> INT, FETCH FIRST -> LIMIT, LEFT OUTER -> LEFT, an alias
 *	  always with AS, ROW(..) types as ROW<..>), identifiers as written
 *	  (backquoted when they were), and every operand that is itself an
 *	  operator in parentheses, so the printer needs no precedence table and
 *	  the result never depends on one. The switch over node tags has no
 *	  default: the compiler names any node nodes.def adds and this file
 *	  does not print.
 *
 * INTERFACE ROUTINES
 *	  sl_ast_print   append the SQL text of a node
 */
#include "parser/parser_int.h"

#include <string.h>

static void print_node(const sl_node *n, sl_strbuf *out);
static void print_query(const sl_node *q, sl_strbuf *out);

#define S(str) sl_strbuf_append(out, (str))

static void
print_ident(const sl_ast_ident *id, sl_strbuf *out)
{
	if (!id->quoted) {
		S(id->name);
		return;
	}
	sl_strbuf_appendc(out, '`');
	for (const char *p = id->name; *p; p++) {
		if (*p == '`')
			sl_strbuf_appendc(out, '`');
		sl_strbuf_appendc(out, *p);
	}
	sl_strbuf_appendc(out, '`');
}

static void
print_idents(const sl_ast_ident_list *l, const char *sep, sl_strbuf *out)
{
	for (int i = 0; i < l->n; i++) {
		if (i)
			S(sep);
		print_ident(&l->items[i], out);
	}
}

/* A word from a name-like token that lost its quoting (hint keys,
 * LANGUAGE): bare when it scans as a plain identifier, else backquoted. */
static void
print_word(const char *w, sl_strbuf *out)
{
	unsigned char c0 = (unsigned char)w[0];
	bool plain = ((c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z') || c0 == '_' ||
	              c0 >= 0x80) &&
	             sl_parser_keyword_lookup(w, strlen(w)) < 0;
	for (const char *p = w; *p && plain; p++) {
		unsigned char c = (unsigned char)*p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '$' || c >= 0x80))
			plain = false;
	}
	if (plain) {
		S(w);
	} else {
		sl_ast_ident id = {w, true, SL_SPAN_NONE};
		print_ident(&id, out);
	}
}

static void
print_string(const char *s, size_t len, sl_strbuf *out)
{
	sl_strbuf_appendc(out, '\'');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\'')
			sl_strbuf_appendc(out, '\'');
		sl_strbuf_appendc(out, s[i]);
	}
	sl_strbuf_appendc(out, '\'');
}

static void
print_cstring(const char *s, sl_strbuf *out)
{
	print_string(s, strlen(s), out);
}

static void
print_list(const sl_plist *l, const char *sep, sl_strbuf *out)
{
	for (int i = 0; i < l->n; i++) {
		if (i)
			S(sep);
		print_node(l->items[i], out);
	}
}

/* any SL_F_LIST field as an sl_plist */
#define PL(field) (&(const sl_plist){(void **)(field).items, (field).n, (field).cap})

static bool
is_operator(const sl_node *n)
{
	switch (SL_TAG(n)) {
	case T_sl_ast_unary:
	case T_sl_ast_binary:
	case T_sl_ast_is:
	case T_sl_ast_between:
	case T_sl_ast_in_list:
	case T_sl_ast_in_subquery:
	case T_sl_ast_like:
		return true;
	default:
		return false;
	}
}

/* an operand: parenthesized when it is an operator itself */
static void
print_operand(const sl_node *n, sl_strbuf *out)
{
	if (is_operator(n)) {
		S("(");
		print_node(n, out);
		S(")");
	} else {
		print_node(n, out);
	}
}

/* Precedence group of a left-associative operator (the grammar's %left
 * levels), or 0 for non-associative ones. */
static int
binop_level(sl_ast_binop op)
{
	switch (op) {
	case SL_BINOP_OR: return 1;
	case SL_BINOP_AND: return 2;
	case SL_BINOP_ADD:
	case SL_BINOP_SUB: return 3;
	case SL_BINOP_MUL:
	case SL_BINOP_DIV:
	case SL_BINOP_MOD:
	case SL_BINOP_CONCAT: return 4;
	default: return 0;
	}
}

static void
print_unit(sl_ast_time_unit u, sl_strbuf *out)
{
	S(sl_ast_time_unit_name(u));
}

static void
print_qualifier(sl_ast_time_unit start, int start_prec, sl_ast_time_unit end,
                int frac_prec, sl_strbuf *out)
{
	print_unit(start, out);
	if (end == SL_UNIT_NONE) {
		int p = start == SL_UNIT_SECOND ? frac_prec : start_prec;
		if (p >= 0)
			sl_strbuf_appendf(out, "(%d)", p);
		return;
	}
	if (start_prec >= 0)
		sl_strbuf_appendf(out, "(%d)", start_prec);
	S(" TO ");
	print_unit(end, out);
	if (frac_prec >= 0)
		sl_strbuf_appendf(out, "(%d)", frac_prec);
}

static void
print_type(const sl_ast_type *t, sl_strbuf *out)
{
	static const char *const names[] = {
		"BOOLEAN", "TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE",
		"DECIMAL", "CHAR", "VARCHAR", "STRING", "BINARY", "VARBINARY", "BYTES",
		"DATE", "TIME", "TIMESTAMP", "TIMESTAMP_LTZ", "INTERVAL", "ROW", "ARRAY",
		"MAP", "MULTISET", "NULL",
	};
	S(names[t->kind]);
	switch (t->kind) {
	case SL_ASTTYPE_DECIMAL:
		if (t->precision >= 0 && t->scale >= 0)
			sl_strbuf_appendf(out, "(%d, %d)", t->precision, t->scale);
		else if (t->precision >= 0)
			sl_strbuf_appendf(out, "(%d)", t->precision);
		break;
	case SL_ASTTYPE_CHAR:
	case SL_ASTTYPE_VARCHAR:
	case SL_ASTTYPE_BINARY:
	case SL_ASTTYPE_VARBINARY:
	case SL_ASTTYPE_TIME:
	case SL_ASTTYPE_TIMESTAMP:
	case SL_ASTTYPE_TIMESTAMP_LTZ:
		if (t->precision >= 0)
			sl_strbuf_appendf(out, "(%d)", t->precision);
		break;
	case SL_ASTTYPE_INTERVAL:
		S(" ");
		print_qualifier(t->iv_start, t->iv_start_prec, t->iv_end, t->iv_frac_prec, out);
		break;
	case SL_ASTTYPE_ROW:
		S("<");
		for (int i = 0; i < t->fields.n; i++) {
			const sl_ast_row_field *f = t->fields.items[i];
			if (i)
				S(", ");
			print_ident(&f->name, out);
			S(" ");
			print_type(f->type, out);
			if (f->comment) {
				S(" ");
				print_cstring(f->comment, out);
			}
		}
		S(">");
		break;
	case SL_ASTTYPE_ARRAY:
	case SL_ASTTYPE_MULTISET:
		S("<");
		print_type(t->elem, out);
		S(">");
		break;
	case SL_ASTTYPE_MAP:
		S("<");
		print_type(t->key, out);
		S(", ");
		print_type(t->elem, out);
		S(">");
		break;
	default:
		break;
	}
	if (t->not_null)
		S(" NOT NULL");
}

static void
print_options(const sl_plist *opts, sl_strbuf *out)
{
	for (int i = 0; i < opts->n; i++) {
		const sl_ast_option *o = opts->items[i];
		if (i)
			S(", ");
		if (o->key_ident)
			print_word(o->key, out);
		else
			print_cstring(o->key, out);
		if (o->value) {
			S(" = ");
			print_cstring(o->value, out);
		}
	}
}

static void
print_hints(const sl_plist *hints, sl_strbuf *out)
{
	if (hints->n == 0)
		return;
	S(" /*+ ");
	for (int i = 0; i < hints->n; i++) {
		const sl_ast_hint *h = hints->items[i];
		if (i)
			S(", ");
		print_ident(&h->name, out);
		if (h->options.n) {
			S("(");
			print_options(PL(h->options), out);
			S(")");
		}
	}
	S(" */");
}

static void
print_alias(const sl_ast_alias *a, sl_strbuf *out)
{
	if (!a)
		return;
	S(" AS ");
	print_ident(&a->name, out);
	if (a->columns.n) {
		S("(");
		print_idents(&a->columns, ", ", out);
		S(")");
	}
}

static void
print_sort_list(const sl_plist *l, sl_strbuf *out)
{
	print_list(l, ", ", out);
}

static void
print_frame_bound(const sl_ast_frame_bound *b, sl_strbuf *out)
{
	switch (b->kind) {
	case SL_BOUND_UNBOUNDED_PRECEDING: S("UNBOUNDED PRECEDING"); break;
	case SL_BOUND_UNBOUNDED_FOLLOWING: S("UNBOUNDED FOLLOWING"); break;
	case SL_BOUND_CURRENT_ROW: S("CURRENT ROW"); break;
	case SL_BOUND_PRECEDING: print_operand(b->offset, out); S(" PRECEDING"); break;
	case SL_BOUND_FOLLOWING: print_operand(b->offset, out); S(" FOLLOWING"); break;
	}
}

static void
print_window_body(const sl_ast_window_spec *w, sl_strbuf *out)
{
	bool sp = false;
	S("(");
	if (w->ref.name) {
		print_ident(&w->ref, out);
		sp = true;
	}
	if (w->partition_by.n) {
		S(sp ? " PARTITION BY " : "PARTITION BY ");
		print_list(PL(w->partition_by), ", ", out);
		sp = true;
	}
	if (w->order_by.n) {
		S(sp ? " ORDER BY " : "ORDER BY ");
		print_sort_list(PL(w->order_by), out);
		sp = true;
	}
	if (w->frame != SL_FRAME_NONE) {
		if (sp)
			S(" ");
		S(w->frame == SL_FRAME_ROWS ? "ROWS BETWEEN " : "RANGE BETWEEN ");
		print_frame_bound(w->frame_start, out);
		S(" AND ");
		print_frame_bound(w->frame_end, out);
	}
	S(")");
}

/* "(a KW1 b KW2 c)": the arguments of SUBSTRING/OVERLAY-style calls, each
 * after its keyword; the grammar guarantees args.n <= 1 + number of keywords,
 * and trailing optional arguments are simply absent. */
static void
print_keyword_args(const sl_ast_func_call *f, const char *const *kw, sl_strbuf *out)
{
	S("(");
	for (int i = 0; i < f->args.n; i++) {
		if (i > 0)
			S(kw[i - 1]);
		print_node(f->args.items[i], out);
	}
	S(")");
}

static void
print_func_call(const sl_ast_func_call *f, sl_strbuf *out)
{
	print_idents(&f->name, ".", out);
	switch (f->syntax) {
	case SL_CALL_NILADIC:
		break;
	case SL_CALL_POSITION:
		S("(");
		print_operand(f->args.items[0], out);
		S(" IN ");
		print_operand(f->args.items[1], out);
		S(")");
		break;
	case SL_CALL_SUBSTRING: {
		static const char *const kw[] = {" FROM ", " FOR "};
		print_keyword_args(f, kw, out);
		break;
	}
	case SL_CALL_OVERLAY: {
		static const char *const kw[] = {" PLACING ", " FROM ", " FOR "};
		print_keyword_args(f, kw, out);
		break;
	}
	case SL_CALL_NORMAL:
		S("(");
		if (f->star)
			S("*");
		else {
			if (f->distinct)
				S("DISTINCT ");
			print_list(PL(f->args), ", ", out);
		}
		S(")");
		break;
	}
	if (f->filter) {
		S(" FILTER (WHERE ");
		print_node(f->filter, out);
		S(")");
	}
	if (f->over) {
		const sl_ast_window_spec *w = f->over;
		S(" OVER ");
		if (w->ref.name && !w->partition_by.n && !w->order_by.n && w->frame == SL_FRAME_NONE)
			print_ident(&w->ref, out);
		else
			print_window_body(w, out);
	}
}

static void
print_literal(const sl_ast_literal *l, sl_strbuf *out)
{
	switch (l->kind) {
	case SL_LIT_NULL: S("NULL"); break;
	case SL_LIT_BOOLEAN: S(l->bval ? "TRUE" : "FALSE"); break;
	case SL_LIT_INTEGER:
	case SL_LIT_DECIMAL:
	case SL_LIT_DOUBLE:
		sl_strbuf_appendn(out, l->text, l->len);
		break;
	case SL_LIT_STRING: print_string(l->text, l->len, out); break;
	case SL_LIT_BINARY: S("X"); print_string(l->text, l->len, out); break;
	case SL_LIT_DATE: S("DATE "); print_string(l->text, l->len, out); break;
	case SL_LIT_TIME: S("TIME "); print_string(l->text, l->len, out); break;
	case SL_LIT_TIMESTAMP: S("TIMESTAMP "); print_string(l->text, l->len, out); break;
	case SL_LIT_TIMESTAMP_LTZ: S("TIMESTAMP_LTZ "); print_string(l->text, l->len, out); break;
	case SL_LIT_INTERVAL:
		S(l->negative ? "INTERVAL -" : "INTERVAL ");
		print_string(l->text, l->len, out);
		S(" ");
		print_qualifier(l->iv_start, l->iv_start_prec, l->iv_end, l->iv_frac_prec, out);
		break;
	}
}

/* a query where only a parenthesized one may stand (set-op operands,
 * WITH bodies): wrap Query and SetOp nodes */
static void
print_query_operand(const sl_node *q, sl_strbuf *out)
{
	if (SL_IS_A(q, sl_ast_query) || SL_IS_A(q, sl_ast_set_op)) {
		S("(");
		print_query(q, out);
		S(")");
	} else {
		print_query(q, out);
	}
}

static void
print_select(const sl_ast_select *s, sl_strbuf *out)
{
	S("SELECT");
	print_hints(PL(s->hints), out);
	if (s->quantifier == SL_QUANT_DISTINCT)
		S(" DISTINCT");
	else if (s->quantifier == SL_QUANT_ALL)
		S(" ALL");
	S(" ");
	print_list(PL(s->targets), ", ", out);
	if (s->from.n) {
		S(" FROM ");
		print_list(PL(s->from), ", ", out);
	}
	if (s->where) {
		S(" WHERE ");
		print_node(s->where, out);
	}
	if (s->group_by.n) {
		S(" GROUP BY ");
		print_list(PL(s->group_by), ", ", out);
	}
	if (s->having) {
		S(" HAVING ");
		print_node(s->having, out);
	}
	if (s->windows.n) {
		S(" WINDOW ");
		for (int i = 0; i < s->windows.n; i++) {
			const sl_ast_window_spec *w = s->windows.items[i];
			if (i)
				S(", ");
			print_ident(&w->name, out);
			S(" AS ");
			print_window_body(w, out);
		}
	}
}

static void
print_query(const sl_node *q, sl_strbuf *out)
{
	switch (SL_TAG(q)) {
	case T_sl_ast_select:
		print_select((const sl_ast_select *)q, out);
		return;
	case T_sl_ast_values:
	{
		const sl_ast_values *v = (const sl_ast_values *)q;
		S("VALUES ");
		for (int i = 0; i < v->rows.n; i++) {
			if (i)
				S(", ");
			S("(");
			print_list(PL(v->rows.items[i]->items), ", ", out);
			S(")");
		}
		return;
	}
	case T_sl_ast_set_op:
	{
		const sl_ast_set_op *o = (const sl_ast_set_op *)q;
		static const char *const ops[] = {" UNION ", " INTERSECT ", " EXCEPT "};
		print_query_operand(o->left, out);
		S(ops[o->op]);
		if (o->all)
			S("ALL ");
		print_query_operand(o->right, out);
		return;
	}
	case T_sl_ast_query:
	{
		const sl_ast_query *w = (const sl_ast_query *)q;
		if (w->ctes.n) {
			S("WITH ");
			for (int i = 0; i < w->ctes.n; i++) {
				const sl_ast_cte *c = w->ctes.items[i];
				if (i)
					S(", ");
				print_ident(&c->name, out);
				if (c->columns.n) {
					S("(");
					print_idents(&c->columns, ", ", out);
					S(")");
				}
				S(" AS (");
				print_query(c->query, out);
				S(")");
			}
			S(" ");
		}
		if (SL_IS_A(w->body, sl_ast_query))
			print_query_operand(w->body, out);
		else
			print_query(w->body, out);
		if (w->order_by.n) {
			S(" ORDER BY ");
			print_sort_list(PL(w->order_by), out);
		}
		if (w->limit) {
			S(" LIMIT ");
			print_node(w->limit, out);
		}
		if (w->offset) {
			S(" OFFSET ");
			print_node(w->offset, out);
		}
		return;
	}
	default:
		print_node(q, out);
	}
}

static void
print_column(const sl_ast_column_def *c, sl_strbuf *out)
{
	print_ident(&c->name, out);
	switch (c->kind) {
	case SL_COL_PHYSICAL:
		S(" ");
		print_type(c->type, out);
		if (c->primary_key)
			S(" PRIMARY KEY NOT ENFORCED");
		break;
	case SL_COL_COMPUTED:
		S(" AS ");
		print_node(c->expr, out);
		break;
	case SL_COL_METADATA:
		S(" ");
		print_type(c->type, out);
		S(" METADATA");
		if (c->metadata_key) {
			S(" FROM ");
			print_cstring(c->metadata_key, out);
		}
		if (c->is_virtual)
			S(" VIRTUAL");
		break;
	}
	if (c->comment) {
		S(" COMMENT ");
		print_cstring(c->comment, out);
	}
}

static void
print_create_table(const sl_ast_create_table *c, sl_strbuf *out)
{
	bool first = true;

	S(c->temporary ? "CREATE TEMPORARY TABLE " : "CREATE TABLE ");
	if (c->if_not_exists)
		S("IF NOT EXISTS ");
	print_idents(&c->name, ".", out);
	if (c->columns.n || c->watermark || c->primary_key) {
		S(" (");
		for (int i = 0; i < c->columns.n; i++) {
			S(first ? "\n  " : ",\n  ");
			first = false;
			print_column(c->columns.items[i], out);
		}
		if (c->watermark) {
			S(first ? "\n  " : ",\n  ");
			first = false;
			S("WATERMARK FOR ");
			print_idents(&c->watermark->column, ".", out);
			S(" AS ");
			print_node(c->watermark->expr, out);
		}
		if (c->primary_key) {
			const sl_ast_primary_key *pk = c->primary_key;
			S(first ? "\n  " : ",\n  ");
			if (pk->constraint_name.name) {
				S("CONSTRAINT ");
				print_ident(&pk->constraint_name, out);
				S(" ");
			}
			S("PRIMARY KEY (");
			print_idents(&pk->columns, ", ", out);
			S(") NOT ENFORCED");
		}
		S("\n)");
		if (c->comment) {
			S(" COMMENT ");
			print_cstring(c->comment, out);
		}
		if (c->partitioned_by.n) {
			S(" PARTITIONED BY (");
			print_idents(&c->partitioned_by, ", ", out);
			S(")");
		}
	}
	if (c->options.n) {
		S(" WITH (\n  ");
		for (int i = 0; i < c->options.n; i++) {
			const sl_ast_option *o = c->options.items[i];
			if (i)
				S(",\n  ");
			print_cstring(o->key, out);
			S(" = ");
			print_cstring(o->value, out);
		}
		S("\n)");
	}
	if (c->as_query) {
		S(" AS ");
		print_query(c->as_query, out);
	}
}

static void
print_insert(const sl_ast_insert *i, sl_strbuf *out)
{
	S(i->overwrite ? "INSERT OVERWRITE " : "INSERT INTO ");
	print_idents(&i->table, ".", out);
	print_hints(PL(i->hints), out);
	if (i->partition) {
		S(" PARTITION (");
		print_node((const sl_node *)i->partition, out);
		S(")");
	}
	if (i->columns.n) {
		S(" (");
		print_idents(&i->columns, ", ", out);
		S(")");
	}
	S(" ");
	print_query(i->query, out);
}

static const char *
object_name(sl_ast_object_kind k)
{
	switch (k) {
	case SL_OBJ_TABLE: return "TABLE";
	case SL_OBJ_VIEW: return "VIEW";
	case SL_OBJ_FUNCTION: return "FUNCTION";
	case SL_OBJ_JOB: return "JOB";
	case SL_OBJ_CATALOG: return "CATALOG";
	case SL_OBJ_DATABASE: return "DATABASE";
	}
	return "?";
}

static void
print_node(const sl_node *n, sl_strbuf *out)
{
	if (!n)
		return;
	switch ((sl_ast_tag)SL_TAG(n)) {
	case T_sl_ast_script:
	{
		const sl_ast_script *s = (const sl_ast_script *)n;
		for (int i = 0; i < s->stmts.n; i++) {
			print_node(s->stmts.items[i], out);
			S(";\n");
		}
		return;
	}
	case T_sl_ast_create_table:
		print_create_table((const sl_ast_create_table *)n, out);
		return;
	case T_sl_ast_column_def:
		print_column((const sl_ast_column_def *)n, out);
		return;
	case T_sl_ast_watermark:
	{
		const sl_ast_watermark *w = (const sl_ast_watermark *)n;
		S("WATERMARK FOR ");
		print_idents(&w->column, ".", out);
		S(" AS ");
		print_node(w->expr, out);
		return;
	}
	case T_sl_ast_primary_key:
	{
		const sl_ast_primary_key *pk = (const sl_ast_primary_key *)n;
		if (pk->constraint_name.name) {
			S("CONSTRAINT ");
			print_ident(&pk->constraint_name, out);
			S(" ");
		}
		S("PRIMARY KEY (");
		print_idents(&pk->columns, ", ", out);
		S(") NOT ENFORCED");
		return;
	}
	case T_sl_ast_type:
		print_type((const sl_ast_type *)n, out);
		return;
	case T_sl_ast_row_field:
	{
		const sl_ast_row_field *f = (const sl_ast_row_field *)n;
		print_ident(&f->name, out);
		S(" ");
		print_type(f->type, out);
		if (f->comment) {
			S(" ");
			print_cstring(f->comment, out);
		}
		return;
	}
	case T_sl_ast_option:
	{
		sl_plist one = {(void **)&n, 1, 1};
		print_options(&one, out);
		return;
	}
	case T_sl_ast_create_view:
	{
		const sl_ast_create_view *v = (const sl_ast_create_view *)n;
		S(v->temporary ? "CREATE TEMPORARY VIEW " : "CREATE VIEW ");
		if (v->if_not_exists)
			S("IF NOT EXISTS ");
		print_idents(&v->name, ".", out);
		if (v->columns.n) {
			S(" (");
			print_idents(&v->columns, ", ", out);
			S(")");
		}
		if (v->comment) {
			S(" COMMENT ");
			print_cstring(v->comment, out);
		}
		S(" AS ");
		print_query(v->query, out);
		return;
	}
	case T_sl_ast_create_function:
	{
		const sl_ast_create_function *f = (const sl_ast_create_function *)n;
		S("CREATE ");
		if (f->temporary)
			S(f->system ? "TEMPORARY SYSTEM " : "TEMPORARY ");
		S("FUNCTION ");
		if (f->if_not_exists)
			S("IF NOT EXISTS ");
		print_idents(&f->name, ".", out);
		S(" AS ");
		print_cstring(f->symbol, out);
		if (f->language) {
			S(" LANGUAGE ");
			print_word(f->language, out);
		}
		if (f->using_kind != SL_USING_NONE) {
			S(f->using_kind == SL_USING_LIBRARY ? " USING LIBRARY" : " USING JAR");
			if (f->using_path) {
				S(" ");
				print_cstring(f->using_path, out);
			}
		}
		return;
	}
	case T_sl_ast_drop:
	{
		const sl_ast_drop *d = (const sl_ast_drop *)n;
		S("DROP ");
		if (d->temporary)
			S(d->system ? "TEMPORARY SYSTEM " : "TEMPORARY ");
		S(object_name(d->object));
		S(d->if_exists ? " IF EXISTS " : " ");
		print_idents(&d->name, ".", out);
		return;
	}
	case T_sl_ast_set:
	{
		const sl_ast_set *s = (const sl_ast_set *)n;
		S("SET");
		if (s->key) {
			S(" ");
			print_cstring(s->key, out);
			S(" = ");
			print_cstring(s->value, out);
		}
		return;
	}
	case T_sl_ast_reset:
	{
		const sl_ast_reset *r = (const sl_ast_reset *)n;
		S("RESET");
		if (r->key) {
			S(" ");
			print_cstring(r->key, out);
		}
		return;
	}
	case T_sl_ast_show:
	{
		const sl_ast_show *s = (const sl_ast_show *)n;
		if (s->show_create) {
			S("SHOW CREATE ");
			S(object_name(s->object));
			S(" ");
			print_idents(&s->name, ".", out);
			return;
		}
		switch (s->object) {
		case SL_OBJ_TABLE: S("SHOW TABLES"); break;
		case SL_OBJ_VIEW: S("SHOW VIEWS"); break;
		case SL_OBJ_FUNCTION: S(s->user_only ? "SHOW USER FUNCTIONS" : "SHOW FUNCTIONS"); break;
		case SL_OBJ_JOB: S("SHOW JOBS"); break;
		case SL_OBJ_CATALOG: S("SHOW CATALOGS"); break;
		case SL_OBJ_DATABASE: S("SHOW DATABASES"); break;
		}
		return;
	}
	case T_sl_ast_describe:
	{
		const sl_ast_describe *d = (const sl_ast_describe *)n;
		S("DESCRIBE ");
		if (d->function)
			S("FUNCTION ");
		if (d->extended)
			S("EXTENDED ");
		print_idents(&d->name, ".", out);
		return;
	}
	case T_sl_ast_explain:
	{
		const sl_ast_explain *e = (const sl_ast_explain *)n;
		const char *sep = " ";
		S("EXPLAIN");
		if (e->changelog_mode) { S(sep); S("CHANGELOG_MODE"); sep = ", "; }
		if (e->estimated_cost) { S(sep); S("ESTIMATED_COST"); sep = ", "; }
		if (e->plan_advice) { S(sep); S("PLAN_ADVICE"); sep = ", "; }
		if (e->json) { S(sep); S("JSON"); }
		S(" ");
		print_node(e->stmt, out);
		return;
	}
	case T_sl_ast_insert:
		print_insert((const sl_ast_insert *)n, out);
		return;
	case T_sl_ast_statement_set:
	{
		const sl_ast_statement_set *s = (const sl_ast_statement_set *)n;
		S(s->execute ? "EXECUTE STATEMENT SET BEGIN\n" : "BEGIN STATEMENT SET;\n");
		for (int i = 0; i < s->inserts.n; i++) {
			print_insert(s->inserts.items[i], out);
			S(";\n");
		}
		S("END");
		return;
	}
	case T_sl_ast_query:
	case T_sl_ast_select:
	case T_sl_ast_set_op:
	case T_sl_ast_values:
		print_query(n, out);
		return;
	case T_sl_ast_cte:
	{
		const sl_ast_cte *c = (const sl_ast_cte *)n;
		print_ident(&c->name, out);
		if (c->columns.n) {
			S("(");
			print_idents(&c->columns, ", ", out);
			S(")");
		}
		S(" AS (");
		print_query(c->query, out);
		S(")");
		return;
	}
	case T_sl_ast_target:
	{
		const sl_ast_target *t = (const sl_ast_target *)n;
		print_node(t->expr, out);
		if (t->alias.name) {
			S(" AS ");
			print_ident(&t->alias, out);
		}
		return;
	}
	case T_sl_ast_table_ref:
	{
		const sl_ast_table_ref *t = (const sl_ast_table_ref *)n;
		print_idents(&t->name, ".", out);
		print_hints(PL(t->hints), out);
		if (t->system_time) {
			S(" FOR SYSTEM_TIME AS OF ");
			print_node(t->system_time, out);
		}
		print_alias(t->alias, out);
		return;
	}
	case T_sl_ast_alias:
		print_alias((const sl_ast_alias *)n, out);
		return;
	case T_sl_ast_subquery_ref:
	{
		const sl_ast_subquery_ref *s = (const sl_ast_subquery_ref *)n;
		S(s->lateral ? "LATERAL (" : "(");
		print_query(s->query, out);
		S(")");
		print_alias(s->alias, out);
		return;
	}
	case T_sl_ast_join:
	{
		const sl_ast_join *j = (const sl_ast_join *)n;
		static const char *const kinds[] = {" JOIN ", " LEFT JOIN ", " RIGHT JOIN ",
		                                    " FULL JOIN ", " CROSS JOIN "};
		print_node(j->left, out);
		if (j->natural)
			S(" NATURAL");
		S(kinds[j->kind]);
		print_node(j->right, out);
		if (j->on) {
			S(" ON ");
			print_node(j->on, out);
		} else if (j->using_cols.n) {
			S(" USING (");
			print_idents(&j->using_cols, ", ", out);
			S(")");
		}
		return;
	}
	case T_sl_ast_table_func_ref:
	{
		const sl_ast_table_func_ref *t = (const sl_ast_table_func_ref *)n;
		S(t->lateral ? "LATERAL TABLE(" : "TABLE(");
		print_func_call(t->call, out);
		S(")");
		print_alias(t->alias, out);
		return;
	}
	case T_sl_ast_unnest_ref:
	{
		const sl_ast_unnest_ref *u = (const sl_ast_unnest_ref *)n;
		S("UNNEST(");
		print_list(PL(u->args), ", ", out);
		S(")");
		if (u->with_ordinality)
			S(" WITH ORDINALITY");
		print_alias(u->alias, out);
		return;
	}
	case T_sl_ast_column_ref:
		print_idents(&((const sl_ast_column_ref *)n)->names, ".", out);
		return;
	case T_sl_ast_star:
	{
		const sl_ast_star *s = (const sl_ast_star *)n;
		if (s->qualifier.n) {
			print_idents(&s->qualifier, ".", out);
			S(".");
		}
		S("*");
		return;
	}
	case T_sl_ast_literal:
		print_literal((const sl_ast_literal *)n, out);
		return;
	case T_sl_ast_unary:
	{
		const sl_ast_unary *u = (const sl_ast_unary *)n;
		S(u->op == SL_UNOP_NEG ? "-" : u->op == SL_UNOP_PLUS ? "+" : "NOT ");
		print_operand(u->arg, out);
		return;
	}
	case T_sl_ast_binary:
	{
		const sl_ast_binary *b = (const sl_ast_binary *)n;
		int lv = binop_level(b->op);
		/* left-associative chains print flat: a + b - c, x OR y OR z
		 * (so a generated 10,000-term OR does not print 10,000 parentheses) */
		if (lv > 0 && SL_IS_A(b->left, sl_ast_binary) &&
		    binop_level(((const sl_ast_binary *)b->left)->op) == lv)
			print_node(b->left, out);
		else
			print_operand(b->left, out);
		S(" ");
		S(sl_ast_binop_name(b->op));
		S(" ");
		print_operand(b->right, out);
		return;
	}
	case T_sl_ast_is:
	{
		const sl_ast_is *i = (const sl_ast_is *)n;
		static const char *const tests[] = {"NULL", "TRUE", "FALSE", "UNKNOWN"};
		print_operand(i->arg, out);
		S(i->negated ? " IS NOT " : " IS ");
		S(tests[i->test]);
		return;
	}
	case T_sl_ast_between:
	{
		const sl_ast_between *b = (const sl_ast_between *)n;
		print_operand(b->arg, out);
		S(b->negated ? " NOT BETWEEN " : " BETWEEN ");
		if (b->symmetric)
			S("SYMMETRIC ");
		print_operand(b->low, out);
		S(" AND ");
		print_operand(b->high, out);
		return;
	}
	case T_sl_ast_in_list:
	{
		const sl_ast_in_list *i = (const sl_ast_in_list *)n;
		print_operand(i->arg, out);
		S(i->negated ? " NOT IN (" : " IN (");
		print_list(PL(i->list), ", ", out);
		S(")");
		return;
	}
	case T_sl_ast_in_subquery:
	{
		const sl_ast_in_subquery *i = (const sl_ast_in_subquery *)n;
		print_operand(i->arg, out);
		S(i->negated ? " NOT IN (" : " IN (");
		print_query(i->query, out);
		S(")");
		return;
	}
	case T_sl_ast_like:
	{
		const sl_ast_like *l = (const sl_ast_like *)n;
		print_operand(l->arg, out);
		if (l->negated)
			S(" NOT");
		S(l->similar ? " SIMILAR TO " : " LIKE ");
		print_operand(l->pattern, out);
		if (l->escape) {
			S(" ESCAPE ");
			print_operand(l->escape, out);
		}
		return;
	}
	case T_sl_ast_case:
	{
		const sl_ast_case *c = (const sl_ast_case *)n;
		S("CASE");
		if (c->operand) {
			S(" ");
			print_node(c->operand, out);
		}
		for (int i = 0; i < c->whens.n; i++) {
			S(" ");
			print_node((const sl_node *)c->whens.items[i], out);
		}
		if (c->else_expr) {
			S(" ELSE ");
			print_node(c->else_expr, out);
		}
		S(" END");
		return;
	}
	case T_sl_ast_case_when:
	{
		const sl_ast_case_when *w = (const sl_ast_case_when *)n;
		S("WHEN ");
		print_node(w->cond, out);
		S(" THEN ");
		print_node(w->result, out);
		return;
	}
	case T_sl_ast_cast:
	{
		const sl_ast_cast *c = (const sl_ast_cast *)n;
		S(c->try_cast ? "TRY_CAST(" : "CAST(");
		print_node(c->arg, out);
		S(" AS ");
		print_type(c->type, out);
		S(")");
		return;
	}
	case T_sl_ast_extract:
	{
		const sl_ast_extract *e = (const sl_ast_extract *)n;
		S("EXTRACT(");
		print_unit(e->unit, out);
		S(" FROM ");
		print_node(e->arg, out);
		S(")");
		return;
	}
	case T_sl_ast_trim:
	{
		const sl_ast_trim *t = (const sl_ast_trim *)n;
		static const char *const wh[] = {"", "BOTH ", "LEADING ", "TRAILING "};
		S("TRIM(");
		if (t->where != SL_TRIM_DEFAULT || t->chars) {
			S(wh[t->where]);
			if (t->chars) {
				print_node(t->chars, out);
				S(" ");
			}
			S("FROM ");
		}
		print_node(t->arg, out);
		S(")");
		return;
	}
	case T_sl_ast_floor_ceil:
	{
		const sl_ast_floor_ceil *f = (const sl_ast_floor_ceil *)n;
		S(f->ceil ? "CEIL(" : "FLOOR(");
		print_node(f->arg, out);
		S(" TO ");
		print_unit(f->unit, out);
		S(")");
		return;
	}
	case T_sl_ast_timestamp_func:
	{
		const sl_ast_timestamp_func *t = (const sl_ast_timestamp_func *)n;
		S(t->diff ? "TIMESTAMPDIFF(" : "TIMESTAMPADD(");
		print_unit(t->unit, out);
		S(", ");
		print_node(t->arg1, out);
		S(", ");
		print_node(t->arg2, out);
		S(")");
		return;
	}
	case T_sl_ast_func_call:
		print_func_call((const sl_ast_func_call *)n, out);
		return;
	case T_sl_ast_window_spec:
		print_window_body((const sl_ast_window_spec *)n, out);
		return;
	case T_sl_ast_frame_bound:
		print_frame_bound((const sl_ast_frame_bound *)n, out);
		return;
	case T_sl_ast_sort_item:
	{
		const sl_ast_sort_item *s = (const sl_ast_sort_item *)n;
		print_node(s->expr, out);
		if (s->dir == SL_SORT_ASC)
			S(" ASC");
		else if (s->dir == SL_SORT_DESC)
			S(" DESC");
		if (s->nulls == SL_NULLS_FIRST)
			S(" NULLS FIRST");
		else if (s->nulls == SL_NULLS_LAST)
			S(" NULLS LAST");
		return;
	}
	case T_sl_ast_subquery:
		S("(");
		print_query(((const sl_ast_subquery *)n)->query, out);
		S(")");
		return;
	case T_sl_ast_exists:
		S("EXISTS (");
		print_query(((const sl_ast_exists *)n)->query, out);
		S(")");
		return;
	case T_sl_ast_row_ctor:
		S("ROW(");
		print_list(PL(((const sl_ast_row_ctor *)n)->items), ", ", out);
		S(")");
		return;
	case T_sl_ast_array_ctor:
		S("ARRAY[");
		print_list(PL(((const sl_ast_array_ctor *)n)->items), ", ", out);
		S("]");
		return;
	case T_sl_ast_map_ctor:
		S("MAP[");
		print_list(PL(((const sl_ast_map_ctor *)n)->items), ", ", out);
		S("]");
		return;
	case T_sl_ast_subscript:
	{
		const sl_ast_subscript *s = (const sl_ast_subscript *)n;
		print_operand(s->arg, out);
		S("[");
		print_node(s->index, out);
		S("]");
		return;
	}
	case T_sl_ast_field_access:
	{
		const sl_ast_field_access *f = (const sl_ast_field_access *)n;
		if (SL_IS_A(f->arg, sl_ast_func_call) || SL_IS_A(f->arg, sl_ast_subscript) ||
		    SL_IS_A(f->arg, sl_ast_field_access)) {
			print_node(f->arg, out);
		} else {
			S("(");
			print_node(f->arg, out);
			S(")");
		}
		S(".");
		print_ident(&f->field, out);
		return;
	}
	case T_sl_ast_table_arg:
	{
		const sl_ast_table_arg *t = (const sl_ast_table_arg *)n;
		S("TABLE ");
		print_idents(&t->name, ".", out);
		if (t->partition_by.n == 1 && SL_IS_A(t->partition_by.items[0], sl_ast_column_ref)) {
			S(" PARTITION BY ");
			print_node(t->partition_by.items[0], out);
		} else if (t->partition_by.n) {
			S(" PARTITION BY (");
			print_list(PL(t->partition_by), ", ", out);
			S(")");
		}
		return;
	}
	case T_sl_ast_descriptor:
		S("DESCRIPTOR(");
		print_idents(&((const sl_ast_descriptor *)n)->columns, ", ", out);
		S(")");
		return;
	case T_sl_ast_named_arg:
	{
		const sl_ast_named_arg *a = (const sl_ast_named_arg *)n;
		print_ident(&a->name, out);
		S(" => ");
		print_node(a->value, out);
		return;
	}
	case T_sl_ast_hint:
	{
		sl_plist one = {(void **)&n, 1, 1};
		print_hints(&one, out);
		return;
	}
	case T_sl_ast_grouping:
	{
		const sl_ast_grouping *g = (const sl_ast_grouping *)n;
		static const char *const kinds[] = {"GROUPING SETS (", "ROLLUP (", "CUBE (", "("};
		S(kinds[g->kind]);
		print_list(PL(g->items), ", ", out);
		S(")");
		return;
	}
	case T_sl_ast_use:
	{
		const sl_ast_use *u = (const sl_ast_use *)n;
		S(u->catalog ? "USE CATALOG " : "USE ");
		print_idents(&u->name, ".", out);
		return;
	}
	case T_sl_ast_insert_partition:
	{
		const sl_ast_insert_partition *p = (const sl_ast_insert_partition *)n;
		for (int i = 0; i < p->values.n; i++) {
			const sl_ast_option *o = p->values.items[i];
			if (i)
				S(", ");
			print_word(o->key, out);
			S(" = ");
			print_cstring(o->value, out);
		}
		return;
	}
	case SL_AST_TAG_BEFORE_:
	case SL_AST_TAG_END_:
		break;
	}
	sl_fatal("internal error: sl_ast_print: not an AST node (tag %d)", SL_TAG(n));
}

void
sl_ast_print(const void *node, sl_strbuf *out)
{
	print_node(node, out);
}
