/*
 * node.c
 *	  Node support generated from nodes.def: names, allocation, lists,
 *	  structural equality, the debug dump and the child walker.
 *
 *	  Each routine expands nodes.def once with field macros, so a field
 *	  added to nodes.def is compared, dumped and walked without further
 *	  edits. Spans (the node's own and SL_F_SPAN fields, identifier spans)
 *	  are ignored by equality.
 *
 * INTERFACE ROUTINES
 *	  sl_ast_node_name, sl_ast_alloc_, sl_ast_list_push_, sl_ast_idents_push
 *	  sl_ast_equal          structural equality
 *	  sl_ast_dump           indented debug tree
 *	  sl_ast_foreach_child  visit direct children
 *	  sl_ast_time_unit_name, sl_ast_binop_name
 */
#include "parser/parser.h"

#include <inttypes.h>
#include <string.h>

static const char *const node_names[] = {
#define SL_NODE(T, label, fields) label,
#include "parser/nodes.def"
#undef SL_NODE
};

const char *
sl_ast_node_name(int tag)
{
	if (tag < SL_AST_FIRST_TAG || tag >= SL_AST_TAG_END_)
		return "?";
	return node_names[tag - SL_AST_FIRST_TAG];
}

void *
sl_ast_alloc_(sl_arena *a, size_t size, int tag, sl_span span)
{
	sl_node *n = sl_arena_zalloc(a, size);

	n->tag = tag;
	/* every node struct is { int tag; sl_span span; ... } */
	memcpy((char *)n + offsetof(sl_ast_script, span), &span, sizeof span);
	return n;
}

void
sl_ast_list_push_(sl_arena *a, void ***items, int *n, int *cap, void *x)
{
	if (*n == *cap) {
		int ncap = *cap ? *cap * 2 : 4;

		*items = sl_arena_realloc(a, *items, sizeof(void *) * (size_t)*cap,
		                          sizeof(void *) * (size_t)ncap);
		*cap = ncap;
	}
	(*items)[(*n)++] = x;
}

void
sl_ast_idents_push(sl_arena *a, sl_ast_ident_list *l, sl_ast_ident id)
{
	if (l->n == l->cap) {
		int ncap = l->cap ? l->cap * 2 : 4;

		l->items = sl_arena_realloc(a, l->items, sizeof(sl_ast_ident) * (size_t)l->cap,
		                            sizeof(sl_ast_ident) * (size_t)ncap);
		l->cap = ncap;
	}
	l->items[l->n++] = id;
}

static const char *const unit_names[] = {
	"", "YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "HOUR", "MINUTE", "SECOND",
	"MILLISECOND", "MICROSECOND", "NANOSECOND", "DOW", "DOY", "ISODOW",
	"ISOYEAR", "EPOCH", "DECADE", "CENTURY", "MILLENNIUM",
};

const char *
sl_ast_time_unit_name(sl_ast_time_unit u)
{
	if ((unsigned)u >= SL_ARRAY_LEN(unit_names))
		return "?";
	return unit_names[u];
}

static const char *const binop_names[] = {
	"+", "-", "*", "/", "%", "||", "=", "<>", "<", "<=", ">", ">=", "AND", "OR",
	"IS DISTINCT FROM", "IS NOT DISTINCT FROM",
};

const char *
sl_ast_binop_name(sl_ast_binop op)
{
	if ((unsigned)op >= SL_ARRAY_LEN(binop_names))
		return "?";
	return binop_names[op];
}

/* ---------------------------------------------------------------------
 * Equality
 * ------------------------------------------------------------------- */
static bool
str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool
ident_eq(const sl_ast_ident *a, const sl_ast_ident *b)
{
	return str_eq(a->name, b->name) && a->quoted == b->quoted;
}

static bool
idents_eq(const sl_ast_ident_list *a, const sl_ast_ident_list *b)
{
	if (a->n != b->n)
		return false;
	for (int i = 0; i < a->n; i++)
		if (!ident_eq(&a->items[i], &b->items[i]))
			return false;
	return true;
}

bool
sl_ast_equal(const void *a, const void *b)
{
	if (a == b)
		return true;
	if (!a || !b || SL_TAG(a) != SL_TAG(b))
		return false;

#define SL_F_NODE(T, f) if (!sl_ast_equal(x->f, y->f)) return false;
#define SL_F_LIST(T, f)                                                        \
	if (x->f.n != y->f.n) return false;                                        \
	for (int i = 0; i < x->f.n; i++)                                           \
		if (!sl_ast_equal(x->f.items[i], y->f.items[i])) return false;
#define SL_F_IDENT(f) if (!ident_eq(&x->f, &y->f)) return false;
#define SL_F_IDENTS(f) if (!idents_eq(&x->f, &y->f)) return false;
#define SL_F_STR(f) if (!str_eq(x->f, y->f)) return false;
#define SL_F_BYTES(f, l)                                                       \
	if (x->l != y->l || (x->l && memcmp(x->f, y->f, x->l) != 0)) return false;
#define SL_F_BOOL(f) if (x->f != y->f) return false;
#define SL_F_INT(T, f) if (x->f != y->f) return false;
#define SL_F_I64(f) if (x->f != y->f) return false;
#define SL_F_SPAN(f)
#define SL_NODE(T, label, fields)                                              \
	case T_##T: {                                                              \
		const T *x = a, *y = b;                                                \
		fields                                                                 \
		return true;                                                           \
	}

	switch ((sl_ast_tag)SL_TAG(a)) {
#include "parser/nodes.def"
	case SL_AST_TAG_BEFORE_:
	case SL_AST_TAG_END_:
		break;
	}
	return false;
#undef SL_NODE
#undef SL_F_NODE
#undef SL_F_LIST
#undef SL_F_IDENT
#undef SL_F_IDENTS
#undef SL_F_STR
#undef SL_F_BYTES
#undef SL_F_BOOL
#undef SL_F_INT
#undef SL_F_I64
#undef SL_F_SPAN
}

/* ---------------------------------------------------------------------
 * Child walker
 * ------------------------------------------------------------------- */
bool
sl_ast_foreach_child(const void *node, sl_ast_visit_fn fn, void *ctx)
{
	if (!node)
		return true;
#define SL_F_NODE(T, f) if (x->f && !fn((sl_node *)x->f, ctx)) return false;
#define SL_F_LIST(T, f)                                                        \
	for (int i = 0; i < x->f.n; i++)                                           \
		if (x->f.items[i] && !fn((sl_node *)x->f.items[i], ctx)) return false;
#define SL_F_IDENT(f)
#define SL_F_IDENTS(f)
#define SL_F_STR(f)
#define SL_F_BYTES(f, l)
#define SL_F_BOOL(f)
#define SL_F_INT(T, f)
#define SL_F_I64(f)
#define SL_F_SPAN(f)
#define SL_NODE(T, label, fields)                                              \
	case T_##T: {                                                              \
		const T *x = node;                                                     \
		(void)x;                                                               \
		fields                                                                 \
		return true;                                                           \
	}

	switch ((sl_ast_tag)SL_TAG(node)) {
#include "parser/nodes.def"
	case SL_AST_TAG_BEFORE_:
	case SL_AST_TAG_END_:
		break;
	}
	return true;
#undef SL_NODE
#undef SL_F_NODE
#undef SL_F_LIST
#undef SL_F_IDENT
#undef SL_F_IDENTS
#undef SL_F_STR
#undef SL_F_BYTES
#undef SL_F_BOOL
#undef SL_F_INT
#undef SL_F_I64
#undef SL_F_SPAN
}

/* ---------------------------------------------------------------------
 * Debug dump
 * ------------------------------------------------------------------- */
static void dump_node(const void *node, sl_strbuf *out, int depth);

static void
indent(sl_strbuf *out, int depth)
{
	for (int i = 0; i < depth; i++)
		sl_strbuf_append(out, "  ");
}

static void
dump_ident(const sl_ast_ident *id, sl_strbuf *out)
{
	if (!id->name)
		sl_strbuf_append(out, "-");
	else if (id->quoted)
		sl_strbuf_appendf(out, "`%s`", id->name);
	else
		sl_strbuf_append(out, id->name);
}

static void
dump_idents(const sl_ast_ident_list *l, sl_strbuf *out)
{
	sl_strbuf_appendc(out, '[');
	for (int i = 0; i < l->n; i++) {
		if (i)
			sl_strbuf_append(out, ", ");
		dump_ident(&l->items[i], out);
	}
	sl_strbuf_appendc(out, ']');
}

static void
dump_node(const void *node, sl_strbuf *out, int depth)
{
	if (!node) {
		sl_strbuf_append(out, "NULL\n");
		return;
	}
	sl_strbuf_appendf(out, "%s", sl_ast_node_name(SL_TAG(node)));
	{
		sl_span sp;
		memcpy(&sp, (const char *)node + offsetof(sl_ast_script, span), sizeof sp);
		if (sl_span_valid(sp))
			sl_strbuf_appendf(out, " @%u..%u", sp.start, sp.end);
	}
	sl_strbuf_appendc(out, '\n');

#define FIELD_HEAD(f) indent(out, depth + 1); sl_strbuf_append(out, #f ": ");
#define SL_F_NODE(T, f)                                                        \
	if (x->f) { FIELD_HEAD(f) dump_node(x->f, out, depth + 1); }
#define SL_F_LIST(T, f)                                                        \
	if (x->f.n) {                                                              \
		FIELD_HEAD(f) sl_strbuf_appendf(out, "(%d)\n", x->f.n);                \
		for (int i = 0; i < x->f.n; i++) {                                     \
			indent(out, depth + 2);                                            \
			dump_node(x->f.items[i], out, depth + 2);                          \
		}                                                                      \
	}
#define SL_F_IDENT(f)                                                          \
	if (x->f.name) { FIELD_HEAD(f) dump_ident(&x->f, out); sl_strbuf_appendc(out, '\n'); }
#define SL_F_IDENTS(f)                                                         \
	if (x->f.n) { FIELD_HEAD(f) dump_idents(&x->f, out); sl_strbuf_appendc(out, '\n'); }
#define SL_F_STR(f)                                                            \
	if (x->f) { FIELD_HEAD(f) sl_strbuf_appendf(out, "'%s'\n", x->f); }
#define SL_F_BYTES(f, l)                                                       \
	if (x->f) {                                                                \
		FIELD_HEAD(f) sl_strbuf_appendc(out, '\'');                            \
		sl_strbuf_appendn(out, x->f, SL_MIN(x->l, 200u));                      \
		sl_strbuf_append(out, x->l > 200 ? "'...\n" : "'\n");                  \
	}
#define SL_F_BOOL(f) if (x->f) { FIELD_HEAD(f) sl_strbuf_append(out, "true\n"); }
#define SL_F_INT(T, f) FIELD_HEAD(f) sl_strbuf_appendf(out, "%d\n", (int)x->f);
#define SL_F_I64(f) if (x->f) { FIELD_HEAD(f) sl_strbuf_appendf(out, "%" PRId64 "\n", x->f); }
#define SL_F_SPAN(f)
#define SL_NODE(T, label, fields)                                              \
	case T_##T: {                                                              \
		const T *x = node;                                                     \
		(void)x;                                                               \
		fields                                                                 \
		return;                                                                \
	}

	switch ((sl_ast_tag)SL_TAG(node)) {
#include "parser/nodes.def"
	case SL_AST_TAG_BEFORE_:
	case SL_AST_TAG_END_:
		break;
	}
#undef SL_NODE
#undef FIELD_HEAD
#undef SL_F_NODE
#undef SL_F_LIST
#undef SL_F_IDENT
#undef SL_F_IDENTS
#undef SL_F_STR
#undef SL_F_BYTES
#undef SL_F_BOOL
#undef SL_F_INT
#undef SL_F_I64
#undef SL_F_SPAN
}

void
sl_ast_dump(const void *node, sl_strbuf *out)
{
	dump_node(node, out, 0);
}
