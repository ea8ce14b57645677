/*
 * gram.y
 *	  The SQL grammar: Flink SQL's dialect as described in DESIGN.md §2.
 *
 *	  A pure (reentrant) LR parser. Semantic actions build AST nodes
 *	  (nodes.def) in ps->arena; nothing is freed on error because the
 *	  arena owns everything. Conflicts are resolved with precedence and
 *	  grammar structure, never tolerated (%expect 0). Locations are byte
 *	  spans; every node gets the span of the rule that built it.
 *
 *	  Keyword classes (as PostgreSQL's gram.y):
 *	    unreserved_keyword  usable as any identifier and function name
 *	    col_name_keyword    usable as column/table/alias names but not as
 *	                        plain function names (types, and functions
 *	                        with special argument syntax: POSITION, TRIM...)
 *	    reserved            never an unquoted identifier
 *	  An alias written without AS must be a plain identifier.
 *
 * INTERFACE ROUTINES
 *	  sl_gram_parse   parse ps->src into ps->result (called by sl_parse)
 */
%code requires {
#include "parser/parser_int.h"
}

%code {
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static int sl_gram_lex(SL_GRAM_STYPE *lval, SL_GRAM_LTYPE *lloc, sl_parse_state *ps);
static void sl_gram_error(SL_GRAM_LTYPE *loc, sl_parse_state *ps, const char *msg);

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                            \
	do {                                                                       \
		if (N) {                                                               \
			(Cur).start = YYRHSLOC(Rhs, 1).start;                              \
			(Cur).end = YYRHSLOC(Rhs, N).end;                                  \
		} else {                                                               \
			(Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;                    \
		}                                                                      \
	} while (0)

#define YYMAXDEPTH 10000
#define YYMALLOC sl_xmalloc
#define YYFREE free

#define A (ps->arena)
#define NEW(T, loc) SL_AST_NEW(ps->arena, T, (loc))
/* copy a grammar list into a typed list field */
#define SETL(dst, src)                                                         \
	do {                                                                       \
		(dst).items = (__typeof__((dst).items))(src).items;                    \
		(dst).n = (src).n;                                                     \
		(dst).cap = (src).cap;                                                 \
	} while (0)

static sl_plist
list1(sl_parse_state *ps, void *x)
{
	sl_plist l = {NULL, 0, 0};
	sl_ast_list_push_(ps->arena, &l.items, &l.n, &l.cap, x);
	return l;
}

static sl_plist
lappend(sl_parse_state *ps, sl_plist l, void *x)
{
	sl_ast_list_push_(ps->arena, &l.items, &l.n, &l.cap, x);
	return l;
}

static sl_plist
lempty(void)
{
	sl_plist l = {NULL, 0, 0};
	return l;
}

static sl_ast_ident
mkident(sl_lexstr s, sl_span loc)
{
	sl_ast_ident id = {s.s, s.quoted, loc};
	return id;
}

static sl_ast_ident
noident(void)
{
	sl_ast_ident id = {NULL, false, SL_SPAN_NONE};
	return id;
}

static sl_ast_ident_list
idents1(sl_parse_state *ps, sl_ast_ident id)
{
	sl_ast_ident_list l = {NULL, 0, 0};
	sl_ast_idents_push(ps->arena, &l, id);
	return l;
}

static sl_ast_ident_list
idents_append(sl_parse_state *ps, sl_ast_ident_list l, sl_ast_ident id)
{
	sl_ast_idents_push(ps->arena, &l, id);
	return l;
}

static sl_ast_ident_list
noidents(void)
{
	sl_ast_ident_list l = {NULL, 0, 0};
	return l;
}

static sl_ast_type *
mktype(sl_parse_state *ps, sl_ast_type_kind kind, sl_span loc)
{
	sl_ast_type *t = NEW(sl_ast_type, loc);
	t->kind = kind;
	t->precision = -1;
	t->scale = -1;
	t->iv_start_prec = -1;
	t->iv_frac_prec = -1;
	return t;
}

static sl_ast_literal *
mklit(sl_parse_state *ps, sl_ast_literal_kind kind, sl_lexstr s, sl_span loc)
{
	sl_ast_literal *l = NEW(sl_ast_literal, loc);
	l->kind = kind;
	l->text = s.s;
	l->len = s.len;
	l->iv_start_prec = -1;
	l->iv_frac_prec = -1;
	return l;
}

/* An integer token: INTEGER if it fits int64, else DECIMAL. */
static sl_node *
mkint(sl_parse_state *ps, sl_lexstr s, sl_span loc)
{
	sl_ast_literal *l = mklit(ps, SL_LIT_INTEGER, s, loc);
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s.s, &end, 10);
	if (errno == ERANGE)
		l->kind = SL_LIT_DECIMAL;
	else
		l->ival = v;
	return (sl_node *)l;
}

static sl_node *
mkbinary(sl_parse_state *ps, sl_ast_binop op, sl_node *l, sl_node *r, sl_span loc)
{
	sl_ast_binary *b = NEW(sl_ast_binary, loc);
	b->op = op;
	b->left = l;
	b->right = r;
	return (sl_node *)b;
}

static sl_node *
mkunary(sl_parse_state *ps, sl_ast_unop op, sl_node *x, sl_span loc)
{
	sl_ast_unary *u = NEW(sl_ast_unary, loc);
	u->op = op;
	u->arg = x;
	return (sl_node *)u;
}

static sl_ast_func_call *
mkcall(sl_parse_state *ps, const char *name, sl_span namespan, sl_span loc)
{
	sl_ast_func_call *f = NEW(sl_ast_func_call, loc);
	sl_lexstr s = {name, (uint32_t)strlen(name), false};
	f->name = idents1(ps, mkident(s, namespan));
	return f;
}

/* The upper-case canonical spelling of a keyword token's text. */
static const char *
upper(sl_parse_state *ps, const char *s)
{
	size_t n = strlen(s);
	char *p = sl_arena_alloc(ps->arena, n + 1);
	for (size_t i = 0; i <= n; i++)
		p[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 'a' + 'A') : s[i];
	return p;
}

static int
parse_int_arg(sl_parse_state *ps, sl_lexstr s, sl_span loc, int *out)
{
	char *end;
	long v;
	errno = 0;
	v = strtol(s.s, &end, 10);
	if (errno == ERANGE || v > INT_MAX) {
		sl_parser_error(ps, SL_ERR_SYNTAX, loc, "type parameter %s is out of range", s.s);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* Units that EXTRACT / FLOOR TO / TIMESTAMPADD accept as plain words. */
static sl_ast_time_unit
unit_from_word(const char *s)
{
	static const struct { const char *name; sl_ast_time_unit unit; } words[] = {
		{"QUARTER", SL_UNIT_QUARTER}, {"WEEK", SL_UNIT_WEEK},
		{"MILLISECOND", SL_UNIT_MILLISECOND}, {"MICROSECOND", SL_UNIT_MICROSECOND},
		{"NANOSECOND", SL_UNIT_NANOSECOND}, {"DOW", SL_UNIT_DOW}, {"DOY", SL_UNIT_DOY},
		{"ISODOW", SL_UNIT_ISODOW}, {"ISOYEAR", SL_UNIT_ISOYEAR},
		{"EPOCH", SL_UNIT_EPOCH}, {"DECADE", SL_UNIT_DECADE},
		{"CENTURY", SL_UNIT_CENTURY}, {"MILLENNIUM", SL_UNIT_MILLENNIUM},
		{"SQL_TSI_YEAR", SL_UNIT_YEAR}, {"SQL_TSI_MONTH", SL_UNIT_MONTH},
		{"SQL_TSI_DAY", SL_UNIT_DAY}, {"SQL_TSI_HOUR", SL_UNIT_HOUR},
		{"SQL_TSI_MINUTE", SL_UNIT_MINUTE}, {"SQL_TSI_SECOND", SL_UNIT_SECOND},
	};
	for (size_t i = 0; i < SL_ARRAY_LEN(words); i++)
		if (sl_streq_ci(s, words[i].name))
			return words[i].unit;
	return SL_UNIT_NONE;
}

#define FAIL_IF(cond)                                                          \
	do {                                                                       \
		if (cond)                                                              \
			YYABORT;                                                           \
	} while (0)
}

%define api.pure full
%define api.prefix {sl_gram_}
%define api.value.type {sl_yystype}
%define api.location.type {sl_span}
%define parse.error custom
%define parse.lac full
%define lr.type ielr
%locations
%parse-param {sl_parse_state *ps}
%lex-param {sl_parse_state *ps}
%expect 0

%token END_OF_FILE 0 "end of input"
%token <str> IDENT "identifier"
%token <str> SCONST "string literal"
%token <str> ICONST "integer literal"
%token <str> FCONST "decimal literal"
%token <str> ECONST "floating-point literal"
%token <str> XCONST "binary literal"
%token HINT_START "/*+"
%token HINT_END "*/"
%token OP_NE "<>"
%token OP_LE "<="
%token OP_GE ">="
%token OP_CONCAT "||"
%token OP_ARROW "=>"
%token NOT_LA "NOT "
%token LEX_ERROR "invalid token"

/* keywords (keywords.c maps spellings to these) */
%token <str>
	K_ALL "ALL" K_AND "AND" K_ARRAY "ARRAY" K_AS "AS" K_ASC "ASC"
	K_ASYMMETRIC "ASYMMETRIC" K_BEGIN "BEGIN" K_BETWEEN "BETWEEN"
	K_BIGINT "BIGINT" K_BINARY "BINARY" K_BOOLEAN "BOOLEAN" K_BOTH "BOTH"
	K_BY "BY" K_BYTES "BYTES" K_CASE "CASE" K_CAST "CAST"
	K_CATALOGS "CATALOGS" K_CEIL "CEIL" K_CEILING "CEILING" K_CHAR "CHAR"
	K_CHARACTER "CHARACTER" K_COMMENT "COMMENT" K_CONSTRAINT "CONSTRAINT"
	K_CREATE "CREATE" K_CROSS "CROSS" K_CUBE "CUBE" K_CURRENT "CURRENT"
	K_CURRENT_DATE "CURRENT_DATE" K_CURRENT_TIME "CURRENT_TIME"
	K_CURRENT_TIMESTAMP "CURRENT_TIMESTAMP" K_DATABASES "DATABASES"
	K_DATE "DATE" K_DAY "DAY" K_DAYS "DAYS" K_DEC "DEC" K_DECIMAL "DECIMAL"
	K_DESC "DESC" K_DESCRIBE "DESCRIBE" K_DESCRIPTOR "DESCRIPTOR"
	K_DISTINCT "DISTINCT" K_DOUBLE "DOUBLE" K_DROP "DROP" K_ELSE "ELSE"
	K_END "END" K_ENFORCED "ENFORCED" K_ESCAPE "ESCAPE" K_EXCEPT "EXCEPT"
	K_EXECUTE "EXECUTE" K_EXISTS "EXISTS" K_EXPLAIN "EXPLAIN"
	K_EXTENDED "EXTENDED" K_EXTRACT "EXTRACT" K_FALSE "FALSE" K_FETCH "FETCH"
	K_FILTER "FILTER" K_FIRST "FIRST" K_FLOAT "FLOAT" K_FLOOR "FLOOR"
	K_FOLLOWING "FOLLOWING" K_FOR "FOR" K_FROM "FROM" K_FULL "FULL"
	K_FUNCTION "FUNCTION" K_FUNCTIONS "FUNCTIONS" K_GROUP "GROUP"
	K_GROUPING "GROUPING" K_HAVING "HAVING" K_HOUR "HOUR" K_HOURS "HOURS"
	K_IF "IF" K_IN "IN" K_INNER "INNER" K_INSERT "INSERT" K_INT "INT"
	K_INTEGER "INTEGER" K_INTERSECT "INTERSECT" K_INTERVAL "INTERVAL"
	K_INTO "INTO" K_IS "IS" K_JAR "JAR" K_JOBS "JOBS" K_JOIN "JOIN"
	K_KEY "KEY" K_LANGUAGE "LANGUAGE" K_LAST "LAST" K_LATERAL "LATERAL"
	K_LEADING "LEADING" K_LEFT "LEFT" K_LIBRARY "LIBRARY" K_LIKE "LIKE"
	K_LIMIT "LIMIT" K_LOCAL "LOCAL" K_LOCALTIME "LOCALTIME"
	K_LOCALTIMESTAMP "LOCALTIMESTAMP" K_MAP "MAP" K_METADATA "METADATA"
	K_MINUS "MINUS" K_MINUTE "MINUTE" K_MINUTES "MINUTES" K_MONTH "MONTH"
	K_MONTHS "MONTHS" K_MULTISET "MULTISET" K_NATURAL "NATURAL"
	K_NEXT "NEXT" K_NOT "NOT" K_NULL "NULL" K_NULLS "NULLS"
	K_NUMERIC "NUMERIC" K_OF "OF" K_OFFSET "OFFSET" K_ON "ON" K_ONLY "ONLY"
	K_OR "OR" K_ORDER "ORDER" K_ORDINALITY "ORDINALITY" K_OUTER "OUTER"
	K_OVER "OVER" K_OVERLAY "OVERLAY" K_OVERWRITE "OVERWRITE"
	K_PARTITION "PARTITION" K_PARTITIONED "PARTITIONED" K_PLACING "PLACING"
	K_PLAN "PLAN" K_POSITION "POSITION" K_PRECEDING "PRECEDING"
	K_PRECISION "PRECISION" K_PRIMARY "PRIMARY" K_RANGE "RANGE"
	K_REAL "REAL" K_RESET "RESET" K_RIGHT "RIGHT" K_ROLLUP "ROLLUP"
	K_ROW "ROW" K_ROWS "ROWS" K_SECOND "SECOND" K_SECONDS "SECONDS"
	K_SELECT "SELECT" K_SET "SET" K_SETS "SETS" K_SHOW "SHOW"
	K_SIMILAR "SIMILAR" K_SMALLINT "SMALLINT" K_STATEMENT "STATEMENT"
	K_STRING "STRING" K_SUBSTRING "SUBSTRING" K_SYMMETRIC "SYMMETRIC"
	K_SYSTEM "SYSTEM" K_SYSTEM_TIME "SYSTEM_TIME" K_TABLE "TABLE"
	K_TABLES "TABLES" K_TEMPORARY "TEMPORARY" K_THEN "THEN" K_TIME "TIME"
	K_TIMESTAMP "TIMESTAMP" K_TIMESTAMP_LTZ "TIMESTAMP_LTZ"
	K_TIMESTAMPADD "TIMESTAMPADD" K_TIMESTAMPDIFF "TIMESTAMPDIFF"
	K_TINYINT "TINYINT" K_TO "TO" K_TRAILING "TRAILING" K_TRIM "TRIM"
	K_TRUE "TRUE" K_TRY_CAST "TRY_CAST" K_UNBOUNDED "UNBOUNDED"
	K_UNION "UNION" K_UNKNOWN "UNKNOWN" K_UNNEST "UNNEST" K_USING "USING"
	K_VALUES "VALUES" K_VARBINARY "VARBINARY" K_VARCHAR "VARCHAR"
	K_VARYING "VARYING" K_VIEW "VIEW" K_VIEWS "VIEWS" K_VIRTUAL "VIRTUAL"
	K_WATERMARK "WATERMARK" K_WHEN "WHEN" K_WHERE "WHERE"
	K_WINDOW "WINDOW" K_WITH "WITH" K_WITHOUT "WITHOUT" K_YEAR "YEAR"
	K_YEARS "YEARS" K_CATALOG "CATALOG" K_USE "USE" K_ZONE "ZONE"

%type <node> stmt stmt_body create_table_stmt create_view_stmt create_function_stmt
	drop_stmt set_stmt reset_stmt show_stmt describe_stmt explain_stmt
	insert_stmt statement_set explainable use_stmt insert_head
	opt_insert_partition partition_value
	query select_no_parens select_with_parens select_clause simple_select
	values_clause values_row
	table_ref joined_table opt_alias alias_clause opt_system_time
	a_expr b_expr c_expr primary nonref_primary columnref literal func_call
	func_application special_func case_expr case_when opt_else opt_escape
	func_arg named_arg_value opt_filter opt_over window_spec window_body
	frame_bound opt_where opt_having sort_item
	type simple_type row_field column_def table_element
	watermark_def pk_def option hint hint_option target
	cte group_item grouping_elem opt_as_query window_def interval_qualifier_t
	select_limit limit_clause offset_clause
%type <list> stmt_list insert_list table_elements opt_with_options option_list
	opt_hints hint_list hint_options row_fields target_list opt_from from_list
	expr_list opt_expr_list func_arg_list opt_group_by group_list grouping_list
	opt_window_clause window_list opt_partition_by opt_order_by sort_list
	sort_clause values_list cte_list opt_sort_clause
	table_arg_partition case_when_list partition_values
%type <idents> qualified_name ident_list opt_col_list opt_partitioned_by
	using_cols
%type <ident> col_ident col_label alias_name
%type <str> unreserved_keyword col_name_keyword reserved_keyword func_ident
	string_or_ident opt_comment opt_language floor_word niladic
%type <ival> opt_quantifier join_type interval_unit time_unit opt_nulls
	opt_asc_desc trim_where opt_precision frame_units opt_drop_kind
	show_kind opt_explain_details opt_using_kind explain_word explain_details_list
%type <bval> opt_temporary opt_if_not_exists opt_if_exists opt_all
	opt_distinct opt_symmetric opt_ordinality opt_virtual
	opt_lateral opt_semi opt_primary_key insert_mode

%precedence IV_NO_TO
%precedence K_TO
%left K_UNION K_EXCEPT K_MINUS
%left K_INTERSECT
%left K_OR
%left K_AND
%right K_NOT
%nonassoc K_IS
%nonassoc '=' '<' '>' OP_LE OP_GE OP_NE
%nonassoc K_BETWEEN K_IN K_LIKE K_SIMILAR NOT_LA
%nonassoc K_ESCAPE
%left '+' '-'
%left '*' '/' '%' OP_CONCAT
%right UMINUS
%left '[' ']'
%left '(' ')'
%left '.'
%left K_JOIN K_CROSS K_LEFT K_FULL K_RIGHT K_INNER K_NATURAL

%start script

%%

script:
	stmt_list
		{
			sl_ast_script *s = NEW(sl_ast_script, @$);
			SETL(s->stmts, $1);
			ps->result = s;
		}
	;

stmt_list:
	stmt                       { $$ = $1 ? list1(ps, $1) : lempty(); }
	| stmt_list ';' stmt       { $$ = $3 ? lappend(ps, $1, $3) : $1; }
	;

stmt:
	%empty                     { $$ = NULL; }
	| stmt_body                { $$ = $1; }
	;

stmt_body:
	query
	| create_table_stmt
	| create_view_stmt
	| create_function_stmt
	| drop_stmt
	| set_stmt
	| reset_stmt
	| show_stmt
	| describe_stmt
	| explain_stmt
	| insert_stmt
	| statement_set
	| use_stmt
	;

use_stmt:
	K_USE qualified_name
		{
			sl_ast_use *u = NEW(sl_ast_use, @$);
			u->name = $2;
			$$ = (sl_node *)u;
		}
	| K_USE K_CATALOG col_ident
		{
			sl_ast_use *u = NEW(sl_ast_use, @$);
			u->name = idents1(ps, $3);
			u->catalog = true;
			$$ = (sl_node *)u;
		}
	;

/* ---------------------------------------------------------------- DDL */

create_table_stmt:
	K_CREATE opt_temporary K_TABLE opt_if_not_exists qualified_name
	'(' table_elements ')' opt_comment opt_partitioned_by opt_with_options opt_as_query
		{
			sl_ast_create_table *c = NEW(sl_ast_create_table, @$);
			c->temporary = $2;
			c->if_not_exists = $4;
			c->name = $5;
			for (int i = 0; i < $7.n; i++) {
				sl_node *e = $7.items[i];
				if (SL_IS_A(e, sl_ast_column_def))
					SL_AST_PUSH(A, &c->columns, e);
				else if (SL_IS_A(e, sl_ast_watermark)) {
					if (c->watermark) {
						sl_parser_error(ps, SL_ERR_SYNTAX, ((sl_ast_watermark *)e)->span,
						                "multiple WATERMARK definitions");
						YYABORT;
					}
					c->watermark = (sl_ast_watermark *)e;
				} else {
					if (c->primary_key) {
						sl_parser_error(ps, SL_ERR_SYNTAX, ((sl_ast_primary_key *)e)->span,
						                "multiple PRIMARY KEY definitions");
						YYABORT;
					}
					c->primary_key = (sl_ast_primary_key *)e;
				}
			}
			c->comment = $9.s;
			c->partitioned_by = $10;
			SETL(c->options, $11);
			c->as_query = $12;
			$$ = (sl_node *)c;
		}
	| K_CREATE opt_temporary K_TABLE opt_if_not_exists qualified_name
	  opt_with_options K_AS query
		{
			sl_ast_create_table *c = NEW(sl_ast_create_table, @$);
			c->temporary = $2;
			c->if_not_exists = $4;
			c->name = $5;
			SETL(c->options, $6);
			c->as_query = $8;
			$$ = (sl_node *)c;
		}
	;

opt_as_query:
	%empty                     { $$ = NULL; }
	| K_AS query               { $$ = $2; }
	;

opt_temporary:
	%empty                     { $$ = false; }
	| K_TEMPORARY              { $$ = true; }
	;

opt_if_not_exists:
	%empty                     { $$ = false; }
	| K_IF K_NOT K_EXISTS      { $$ = true; }
	;

opt_if_exists:
	%empty                     { $$ = false; }
	| K_IF K_EXISTS            { $$ = true; }
	;

table_elements:
	table_element              { $$ = list1(ps, $1); }
	| table_elements ',' table_element { $$ = lappend(ps, $1, $3); }
	;

table_element:
	column_def
	| watermark_def
	| pk_def
	;

column_def:
	col_ident type opt_primary_key opt_comment
		{
			sl_ast_column_def *c = NEW(sl_ast_column_def, @$);
			c->name = $1;
			c->kind = SL_COL_PHYSICAL;
			c->type = (sl_ast_type *)$2;
			c->primary_key = $3;
			c->comment = $4.s;
			$$ = (sl_node *)c;
		}
	| col_ident type K_METADATA opt_virtual opt_comment
		{
			sl_ast_column_def *c = NEW(sl_ast_column_def, @$);
			c->name = $1;
			c->kind = SL_COL_METADATA;
			c->type = (sl_ast_type *)$2;
			c->is_virtual = $4;
			c->comment = $5.s;
			$$ = (sl_node *)c;
		}
	| col_ident type K_METADATA K_FROM SCONST opt_virtual opt_comment
		{
			sl_ast_column_def *c = NEW(sl_ast_column_def, @$);
			c->name = $1;
			c->kind = SL_COL_METADATA;
			c->type = (sl_ast_type *)$2;
			c->metadata_key = $5.s;
			c->is_virtual = $6;
			c->comment = $7.s;
			$$ = (sl_node *)c;
		}
	| col_ident K_AS a_expr opt_comment
		{
			sl_ast_column_def *c = NEW(sl_ast_column_def, @$);
			c->name = $1;
			c->kind = SL_COL_COMPUTED;
			c->expr = $3;
			c->comment = $4.s;
			$$ = (sl_node *)c;
		}
	;

opt_primary_key:
	%empty                     { $$ = false; }
	| K_PRIMARY K_KEY K_NOT K_ENFORCED { $$ = true; }
	;

opt_virtual:
	%empty                     { $$ = false; }
	| K_VIRTUAL                { $$ = true; }
	;

opt_comment:
	%empty                     { $$.s = NULL; $$.len = 0; $$.quoted = false; }
	| K_COMMENT SCONST         { $$ = $2; }
	;

watermark_def:
	K_WATERMARK K_FOR qualified_name K_AS a_expr
		{
			sl_ast_watermark *w = NEW(sl_ast_watermark, @$);
			w->column = $3;
			w->expr = $5;
			$$ = (sl_node *)w;
		}
	;

pk_def:
	K_PRIMARY K_KEY '(' ident_list ')' K_NOT K_ENFORCED
		{
			sl_ast_primary_key *p = NEW(sl_ast_primary_key, @$);
			p->constraint_name = noident();
			p->columns = $4;
			p->not_enforced = true;
			$$ = (sl_node *)p;
		}
	| K_CONSTRAINT col_ident K_PRIMARY K_KEY '(' ident_list ')' K_NOT K_ENFORCED
		{
			sl_ast_primary_key *p = NEW(sl_ast_primary_key, @$);
			p->constraint_name = $2;
			p->columns = $6;
			p->not_enforced = true;
			$$ = (sl_node *)p;
		}
	;

opt_partitioned_by:
	%empty                     { $$ = noidents(); }
	| K_PARTITIONED K_BY '(' ident_list ')' { $$ = $4; }
	;

opt_with_options:
	%empty                     { $$ = lempty(); }
	| K_WITH '(' option_list ')' { $$ = $3; }
	| K_WITH '(' ')'           { $$ = lempty(); }
	;

option_list:
	option                     { $$ = list1(ps, $1); }
	| option_list ',' option   { $$ = lappend(ps, $1, $3); }
	;

option:
	SCONST '=' SCONST
		{
			sl_ast_option *o = NEW(sl_ast_option, @$);
			o->key = $1.s;
			o->key_span = @1;
			o->value = $3.s;
			o->value_span = @3;
			$$ = (sl_node *)o;
		}
	;

/* ------------------------------------------------------------- types */

type:
	simple_type                { $$ = $1; }
	| simple_type K_NOT K_NULL { ((sl_ast_type *)$1)->not_null = true; ((sl_ast_type *)$1)->span = @$; $$ = $1; }
	| simple_type K_NULL       { ((sl_ast_type *)$1)->span = @$; $$ = $1; }
	;

simple_type:
	K_BOOLEAN                  { $$ = (sl_node *)mktype(ps, SL_ASTTYPE_BOOLEAN, @$); }
	| K_TINYINT                { $$ = (sl_node *)mktype(ps, SL_ASTTYPE_TINYINT, @$); }
	| K_SMALLINT               { $$ = (sl_node *)mktype(ps, SL_ASTTYPE_SMALLINT, @$); }
	| K_INT                    { $$ = (sl_node *)mktype(ps, SL_ASTTYPE_INT, @$); }
	| K_INTEGER                { $$ = (sl_node *)mktype(ps, SL_ASTTYPE_INT, @$); }
	| K_BIGINT                 { $$ = (sl_node *)mktype(ps, SL_ASTTYPE_BIGINT, @$); }
	| K_FLOAT                  { $$ = (sl_node *)mktype(ps, SL_ASTTYPE_FLOAT, @$); }
	| K_REAL                   { $$ = (sl_node *)mktype(ps, SL_ASTTYPE_FLOAT, @$); }
	| K_DOUBLE                 { $$ = (sl_node *)mktype(ps, SL_ASTTYPE_DOUBLE, @$); }
	| K_DOUBLE K_PRECISION     { $$ = (sl_node *)mktype(ps, SL_ASTTYPE_DOUBLE, @$); }
	| decimal_word             { $$ = (sl_node *)mktype(ps, SL_ASTTYPE_DECIMAL, @$); }
	| decimal_word '(' ICONST ')'
		{
			sl_ast_type *t = mktype(ps, SL_ASTTYPE_DECIMAL, @$);
			FAIL_IF(parse_int_arg(ps, $3, @3, &t->precision));
			$$ = (sl_node *)t;
		}
	| decimal_word '(' ICONST ',' ICONST ')'
		{
			sl_ast_type *t = mktype(ps, SL_ASTTYPE_DECIMAL, @$);
			FAIL_IF(parse_int_arg(ps, $3, @3, &t->precision));
			FAIL_IF(parse_int_arg(ps, $5, @5, &t->scale));
			$$ = (sl_node *)t;
		}
	| char_word opt_precision
		{ sl_ast_type *t = mktype(ps, SL_ASTTYPE_CHAR, @$); t->precision = $2; $$ = (sl_node *)t; }
	| varchar_word opt_precision
		{ sl_ast_type *t = mktype(ps, SL_ASTTYPE_VARCHAR, @$); t->precision = $2; $$ = (sl_node *)t; }
	| K_STRING                 { $$ = (sl_node *)mktype(ps, SL_ASTTYPE_STRING, @$); }
	| K_BINARY opt_precision
		{ sl_ast_type *t = mktype(ps, SL_ASTTYPE_BINARY, @$); t->precision = $2; $$ = (sl_node *)t; }
	| K_VARBINARY opt_precision
		{ sl_ast_type *t = mktype(ps, SL_ASTTYPE_VARBINARY, @$); t->precision = $2; $$ = (sl_node *)t; }
	| K_BYTES                  { $$ = (sl_node *)mktype(ps, SL_ASTTYPE_BYTES, @$); }
	| K_DATE                   { $$ = (sl_node *)mktype(ps, SL_ASTTYPE_DATE, @$); }
	| K_TIME opt_precision opt_without_tz
		{ sl_ast_type *t = mktype(ps, SL_ASTTYPE_TIME, @$); t->precision = $2; $$ = (sl_node *)t; }
	| K_TIMESTAMP opt_precision opt_without_tz
		{ sl_ast_type *t = mktype(ps, SL_ASTTYPE_TIMESTAMP, @$); t->precision = $2; $$ = (sl_node *)t; }
	| K_TIMESTAMP opt_precision K_WITH K_LOCAL K_TIME K_ZONE
		{ sl_ast_type *t = mktype(ps, SL_ASTTYPE_TIMESTAMP_LTZ, @$); t->precision = $2; $$ = (sl_node *)t; }
	| K_TIMESTAMP_LTZ opt_precision
		{ sl_ast_type *t = mktype(ps, SL_ASTTYPE_TIMESTAMP_LTZ, @$); t->precision = $2; $$ = (sl_node *)t; }
	| K_INTERVAL interval_qualifier_t
		{ $$ = $2; ((sl_ast_type *)$$)->span = @$; }
	| K_ROW '<' row_fields '>'
		{ sl_ast_type *t = mktype(ps, SL_ASTTYPE_ROW, @$); SETL(t->fields, $3); $$ = (sl_node *)t; }
	| K_ROW '<' '>'            { $$ = (sl_node *)mktype(ps, SL_ASTTYPE_ROW, @$); }
	| K_ROW OP_NE              { $$ = (sl_node *)mktype(ps, SL_ASTTYPE_ROW, @$); }
	| K_ROW '(' row_fields ')'
		{ sl_ast_type *t = mktype(ps, SL_ASTTYPE_ROW, @$); SETL(t->fields, $3); $$ = (sl_node *)t; }
	| K_ROW '(' ')'            { $$ = (sl_node *)mktype(ps, SL_ASTTYPE_ROW, @$); }
	| K_ARRAY '<' type '>'
		{ sl_ast_type *t = mktype(ps, SL_ASTTYPE_ARRAY, @$); t->elem = (sl_ast_type *)$3; $$ = (sl_node *)t; }
	| K_MULTISET '<' type '>'
		{ sl_ast_type *t = mktype(ps, SL_ASTTYPE_MULTISET, @$); t->elem = (sl_ast_type *)$3; $$ = (sl_node *)t; }
	| K_MAP '<' type ',' type '>'
		{
			sl_ast_type *t = mktype(ps, SL_ASTTYPE_MAP, @$);
			t->key = (sl_ast_type *)$3;
			t->elem = (sl_ast_type *)$5;
			$$ = (sl_node *)t;
		}
	;

decimal_word: K_DECIMAL | K_DEC | K_NUMERIC ;
char_word: K_CHAR | K_CHARACTER ;
varchar_word: K_VARCHAR | K_CHAR K_VARYING | K_CHARACTER K_VARYING ;

opt_without_tz:
	%empty
	| K_WITHOUT K_TIME K_ZONE
	;

opt_precision:
	%empty                     { $$ = -1; }
	| '(' ICONST ')'           { FAIL_IF(parse_int_arg(ps, $2, @2, &$$)); }
	;

row_fields:
	row_field                  { $$ = list1(ps, $1); }
	| row_fields ',' row_field { $$ = lappend(ps, $1, $3); }
	;

row_field:
	col_ident type
		{
			sl_ast_row_field *f = NEW(sl_ast_row_field, @$);
			f->name = $1;
			f->type = (sl_ast_type *)$2;
			$$ = (sl_node *)f;
		}
	| col_ident type SCONST
		{
			sl_ast_row_field *f = NEW(sl_ast_row_field, @$);
			f->name = $1;
			f->type = (sl_ast_type *)$2;
			f->comment = $3.s;
			$$ = (sl_node *)f;
		}
	;

/* INTERVAL qualifier for types: builds an sl_ast_type */
interval_qualifier_t:
	interval_unit opt_precision %prec IV_NO_TO
		{
			sl_ast_type *t = mktype(ps, SL_ASTTYPE_INTERVAL, @$);
			t->iv_start = $1;
			if ($1 == SL_UNIT_SECOND)
				t->iv_frac_prec = $2;
			else
				t->iv_start_prec = $2;
			$$ = (sl_node *)t;
		}
	| interval_unit opt_precision K_TO interval_unit opt_precision
		{
			sl_ast_type *t = mktype(ps, SL_ASTTYPE_INTERVAL, @$);
			t->iv_start = $1;
			t->iv_start_prec = $2;
			t->iv_end = $4;
			t->iv_frac_prec = $5;
			$$ = (sl_node *)t;
		}
	;

interval_unit:
	K_YEAR                     { $$ = SL_UNIT_YEAR; }
	| K_YEARS                  { $$ = SL_UNIT_YEAR; }
	| K_MONTH                  { $$ = SL_UNIT_MONTH; }
	| K_MONTHS                 { $$ = SL_UNIT_MONTH; }
	| K_DAY                    { $$ = SL_UNIT_DAY; }
	| K_DAYS                   { $$ = SL_UNIT_DAY; }
	| K_HOUR                   { $$ = SL_UNIT_HOUR; }
	| K_HOURS                  { $$ = SL_UNIT_HOUR; }
	| K_MINUTE                 { $$ = SL_UNIT_MINUTE; }
	| K_MINUTES                { $$ = SL_UNIT_MINUTE; }
	| K_SECOND                 { $$ = SL_UNIT_SECOND; }
	| K_SECONDS                { $$ = SL_UNIT_SECOND; }
	;

/* units of EXTRACT, FLOOR/CEIL TO, TIMESTAMPADD/DIFF */
time_unit:
	interval_unit              { $$ = $1; }
	| IDENT
		{
			$$ = unit_from_word($1.s);
			if ($$ == SL_UNIT_NONE || $1.quoted) {
				sl_parser_error(ps, SL_ERR_SYNTAX, @1, "unknown time unit \"%s\"", $1.s);
				YYABORT;
			}
		}
	;

/* -------------------------------------------------- other DDL and misc */

create_view_stmt:
	K_CREATE opt_temporary K_VIEW opt_if_not_exists qualified_name opt_col_list
	opt_comment K_AS query
		{
			sl_ast_create_view *v = NEW(sl_ast_create_view, @$);
			v->temporary = $2;
			v->if_not_exists = $4;
			v->name = $5;
			v->columns = $6;
			v->comment = $7.s;
			v->query = $9;
			$$ = (sl_node *)v;
		}
	;

create_function_stmt:
	K_CREATE opt_drop_kind K_FUNCTION opt_if_not_exists qualified_name K_AS SCONST
	opt_language opt_using_kind
		{
			sl_ast_create_function *f = NEW(sl_ast_create_function, @$);
			f->temporary = $2 != 0;
			f->system = $2 == 2;
			f->if_not_exists = $4;
			f->name = $5;
			f->symbol = $7.s;
			f->language = $8.s;
			f->using_kind = $9;
			$$ = (sl_node *)f;
		}
	| K_CREATE opt_drop_kind K_FUNCTION opt_if_not_exists qualified_name K_AS SCONST
	  opt_language opt_using_kind SCONST
		{
			sl_ast_create_function *f = NEW(sl_ast_create_function, @$);
			f->temporary = $2 != 0;
			f->system = $2 == 2;
			f->if_not_exists = $4;
			f->name = $5;
			f->symbol = $7.s;
			f->language = $8.s;
			f->using_kind = $9;
			f->using_path = $10.s;
			if ($9 == SL_USING_NONE) {
				sl_parser_error(ps, SL_ERR_SYNTAX, @10, "syntax error at or near \"'%s'\"", $10.s);
				YYABORT;
			}
			$$ = (sl_node *)f;
		}
	;

opt_language:
	%empty                     { $$.s = NULL; $$.len = 0; $$.quoted = false; }
	| K_LANGUAGE IDENT         { $$ = $2; $$.s = upper(ps, $2.s); }
	;

opt_using_kind:
	%empty                     { $$ = SL_USING_NONE; }
	| K_USING K_LIBRARY        { $$ = SL_USING_LIBRARY; }
	| K_USING K_JAR            { $$ = SL_USING_JAR; }
	;

/* 0: none, 1: TEMPORARY, 2: TEMPORARY SYSTEM */
opt_drop_kind:
	%empty                     { $$ = 0; }
	| K_TEMPORARY              { $$ = 1; }
	| K_TEMPORARY K_SYSTEM     { $$ = 2; }
	;

drop_stmt:
	K_DROP opt_drop_kind K_TABLE opt_if_exists qualified_name
		{
			sl_ast_drop *d = NEW(sl_ast_drop, @$);
			d->object = SL_OBJ_TABLE; d->temporary = $2 != 0; d->system = $2 == 2;
			d->if_exists = $4; d->name = $5;
			$$ = (sl_node *)d;
		}
	| K_DROP opt_drop_kind K_VIEW opt_if_exists qualified_name
		{
			sl_ast_drop *d = NEW(sl_ast_drop, @$);
			d->object = SL_OBJ_VIEW; d->temporary = $2 != 0; d->system = $2 == 2;
			d->if_exists = $4; d->name = $5;
			$$ = (sl_node *)d;
		}
	| K_DROP opt_drop_kind K_FUNCTION opt_if_exists qualified_name
		{
			sl_ast_drop *d = NEW(sl_ast_drop, @$);
			d->object = SL_OBJ_FUNCTION; d->temporary = $2 != 0; d->system = $2 == 2;
			d->if_exists = $4; d->name = $5;
			$$ = (sl_node *)d;
		}
	;

set_stmt:
	K_SET                      { $$ = (sl_node *)NEW(sl_ast_set, @$); }
	| K_SET SCONST '=' SCONST
		{
			sl_ast_set *s = NEW(sl_ast_set, @$);
			s->key = $2.s;
			s->value = $4.s;
			$$ = (sl_node *)s;
		}
	;

reset_stmt:
	K_RESET                    { $$ = (sl_node *)NEW(sl_ast_reset, @$); }
	| K_RESET SCONST
		{
			sl_ast_reset *r = NEW(sl_ast_reset, @$);
			r->key = $2.s;
			$$ = (sl_node *)r;
		}
	;

show_stmt:
	K_SHOW show_kind
		{
			sl_ast_show *s = NEW(sl_ast_show, @$);
			s->object = $2;
			$$ = (sl_node *)s;
		}
	| K_SHOW IDENT K_FUNCTIONS
		{
			/* Flink's SHOW USER FUNCTIONS; USER is not a keyword */
			sl_ast_show *s;
			if ($2.quoted || !sl_streq_ci($2.s, "USER")) {
				sl_parser_error(ps, SL_ERR_SYNTAX, @2, "syntax error at \"%s\": expected SHOW FUNCTIONS or SHOW USER FUNCTIONS", $2.s);
				YYABORT;
			}
			s = NEW(sl_ast_show, @$);
			s->object = SL_OBJ_FUNCTION; s->user_only = true;
			$$ = (sl_node *)s;
		}
	| K_SHOW K_CREATE K_TABLE qualified_name
		{
			sl_ast_show *s = NEW(sl_ast_show, @$);
			s->object = SL_OBJ_TABLE; s->show_create = true; s->name = $4;
			$$ = (sl_node *)s;
		}
	| K_SHOW K_CREATE K_VIEW qualified_name
		{
			sl_ast_show *s = NEW(sl_ast_show, @$);
			s->object = SL_OBJ_VIEW; s->show_create = true; s->name = $4;
			$$ = (sl_node *)s;
		}
	;

show_kind:
	K_TABLES                   { $$ = SL_OBJ_TABLE; }
	| K_VIEWS                  { $$ = SL_OBJ_VIEW; }
	| K_FUNCTIONS              { $$ = SL_OBJ_FUNCTION; }
	| K_JOBS                   { $$ = SL_OBJ_JOB; }
	| K_CATALOGS               { $$ = SL_OBJ_CATALOG; }
	| K_DATABASES              { $$ = SL_OBJ_DATABASE; }
	;

describe_stmt:
	describe_word qualified_name
		{
			sl_ast_describe *d = NEW(sl_ast_describe, @$);
			d->name = $2;
			$$ = (sl_node *)d;
		}
	| describe_word K_EXTENDED qualified_name
		{
			sl_ast_describe *d = NEW(sl_ast_describe, @$);
			d->extended = true; d->name = $3;
			$$ = (sl_node *)d;
		}
	| describe_word K_FUNCTION qualified_name
		{
			sl_ast_describe *d = NEW(sl_ast_describe, @$);
			d->function = true; d->name = $3;
			$$ = (sl_node *)d;
		}
	| describe_word K_FUNCTION K_EXTENDED qualified_name
		{
			sl_ast_describe *d = NEW(sl_ast_describe, @$);
			d->function = true; d->extended = true; d->name = $4;
			$$ = (sl_node *)d;
		}
	;

describe_word: K_DESCRIBE | K_DESC ;

explain_stmt:
	K_EXPLAIN opt_explain_details explainable
		{
			sl_ast_explain *e = NEW(sl_ast_explain, @$);
			e->stmt = $3;
			e->json = ($2 & 1) != 0;
			e->changelog_mode = ($2 & 2) != 0;
			e->estimated_cost = ($2 & 4) != 0;
			e->plan_advice = ($2 & 8) != 0;
			$$ = (sl_node *)e;
		}
	| K_EXPLAIN K_PLAN K_FOR explainable
		{
			sl_ast_explain *e = NEW(sl_ast_explain, @$);
			e->stmt = $4;
			$$ = (sl_node *)e;
		}
	;

/* bit set: 1 JSON, 2 CHANGELOG_MODE, 4 ESTIMATED_COST, 8 PLAN_ADVICE */
opt_explain_details:
	%empty                     { $$ = 0; }
	| explain_details_list     { $$ = $1; }
	;

explain_details_list:
	explain_word               { $$ = $1; }
	| explain_details_list ',' explain_word { $$ = $1 | $3; }
	;

explain_word:
	IDENT
		{
			int bit = 0;
			if (sl_streq_ci($1.s, "JSON") || sl_streq_ci($1.s, "JSON_EXECUTION_PLAN")) bit = 1;
			else if (sl_streq_ci($1.s, "CHANGELOG_MODE")) bit = 2;
			else if (sl_streq_ci($1.s, "ESTIMATED_COST")) bit = 4;
			else if (sl_streq_ci($1.s, "PLAN_ADVICE")) bit = 8;
			if (!bit || $1.quoted) {
				sl_parser_error(ps, SL_ERR_SYNTAX, @1, "unknown EXPLAIN detail \"%s\"", $1.s);
				sl_error_set_hint(ps->err, "Known details are JSON, CHANGELOG_MODE, ESTIMATED_COST and PLAN_ADVICE.");
				YYABORT;
			}
			$$ = bit;
		}
	;

explainable:
	query
	| insert_stmt
	| statement_set
	| K_STATEMENT K_SET K_BEGIN insert_list opt_semi K_END
		{
			sl_ast_statement_set *s = NEW(sl_ast_statement_set, @$);
			SETL(s->inserts, $4);
			s->execute = true;
			$$ = (sl_node *)s;
		}
	;

insert_stmt:
	insert_head query
		{
			sl_ast_insert *i = (sl_ast_insert *)$1;
			i->query = $2; i->span = @$;
			$$ = $1;
		}
	| insert_head '(' ident_list ')' query
		{
			sl_ast_insert *i = (sl_ast_insert *)$1;
			i->columns = $3; i->query = $5; i->span = @$;
			$$ = $1;
		}
	;

insert_head:
	K_INSERT insert_mode qualified_name opt_hints opt_insert_partition
		{
			sl_ast_insert *i = NEW(sl_ast_insert, @$);
			i->overwrite = $2; i->table = $3; SETL(i->hints, $4);
			i->partition = (sl_ast_insert_partition *)$5;
			$$ = (sl_node *)i;
		}
	;

insert_mode:
	K_INTO                     { $$ = false; }
	| K_OVERWRITE              { $$ = true; }
	;

opt_insert_partition:
	%empty                     { $$ = NULL; }
	| K_PARTITION '(' partition_values ')'
		{
			sl_ast_insert_partition *p = NEW(sl_ast_insert_partition, @$);
			SETL(p->values, $3);
			$$ = (sl_node *)p;
		}
	;

partition_values:
	partition_value            { $$ = list1(ps, $1); }
	| partition_values ',' partition_value { $$ = lappend(ps, $1, $3); }
	;

partition_value:
	col_ident '=' SCONST
		{
			sl_ast_option *o = NEW(sl_ast_option, @$);
			o->key = $1.name; o->key_ident = true; o->key_span = @1;
			o->value = $3.s; o->value_span = @3;
			$$ = (sl_node *)o;
		}
	;

statement_set:
	K_EXECUTE K_STATEMENT K_SET K_BEGIN insert_list opt_semi K_END
		{
			sl_ast_statement_set *s = NEW(sl_ast_statement_set, @$);
			SETL(s->inserts, $5);
			s->execute = true;
			$$ = (sl_node *)s;
		}
	| K_BEGIN K_STATEMENT K_SET ';' insert_list opt_semi K_END
		{
			sl_ast_statement_set *s = NEW(sl_ast_statement_set, @$);
			SETL(s->inserts, $5);
			s->execute = false;
			$$ = (sl_node *)s;
		}
	;

insert_list:
	insert_stmt                { $$ = list1(ps, $1); }
	| insert_list ';' insert_stmt { $$ = lappend(ps, $1, $3); }
	;

opt_semi:
	%empty                     { $$ = false; }
	| ';'                      { $$ = true; }
	;

/* -------------------------------------------------------------- hints */

opt_hints:
	%empty                     { $$ = lempty(); }
	| HINT_START hint_list HINT_END { $$ = $2; }
	| HINT_START HINT_END      { $$ = lempty(); }
	;

hint_list:
	hint                       { $$ = list1(ps, $1); }
	| hint_list hint           { $$ = lappend(ps, $1, $2); }
	| hint_list ',' hint       { $$ = lappend(ps, $1, $3); }
	;

hint:
	col_ident
		{
			sl_ast_hint *h = NEW(sl_ast_hint, @$);
			h->name = $1;
			$$ = (sl_node *)h;
		}
	| col_ident '(' hint_options ')'
		{
			sl_ast_hint *h = NEW(sl_ast_hint, @$);
			h->name = $1;
			SETL(h->options, $3);
			$$ = (sl_node *)h;
		}
	| col_ident '(' ')'
		{
			sl_ast_hint *h = NEW(sl_ast_hint, @$);
			h->name = $1;
			$$ = (sl_node *)h;
		}
	;

hint_options:
	hint_option                { $$ = list1(ps, $1); }
	| hint_options ',' hint_option { $$ = lappend(ps, $1, $3); }
	;

hint_option:
	string_or_ident
		{
			sl_ast_option *o = NEW(sl_ast_option, @$);
			o->key = $1.s;
			o->key_ident = $1.len == 0;
			o->key_span = @1;
			$$ = (sl_node *)o;
		}
	| string_or_ident '=' SCONST
		{
			sl_ast_option *o = NEW(sl_ast_option, @$);
			o->key = $1.s;
			o->key_ident = $1.len == 0;
			o->key_span = @1;
			o->value = $3.s;
			o->value_span = @3;
			$$ = (sl_node *)o;
		}
	;

/* .len == 0 marks an identifier (see hint_option); strings keep their length + 1 */
string_or_ident:
	SCONST                     { $$ = $1; $$.len = $1.len + 1; $$.quoted = false; }
	| col_ident                { $$.s = $1.name; $$.len = 0; $$.quoted = $1.quoted; }
	;

/* ------------------------------------------------------------ queries */

query:
	select_no_parens           { $$ = $1; }
	| select_with_parens       { $$ = $1; }
	;

select_with_parens:
	'(' select_no_parens ')'   { $$ = $2; }
	| '(' select_with_parens ')' { $$ = $2; }
	;

select_no_parens:
	simple_select              { $$ = $1; }
	| select_clause sort_clause
		{
			sl_ast_query *q = NEW(sl_ast_query, @$);
			q->body = $1; SETL(q->order_by, $2);
			$$ = (sl_node *)q;
		}
	| select_clause opt_sort_clause select_limit
		{
			sl_ast_query *q = (sl_ast_query *)$3;
			q->body = $1; SETL(q->order_by, $2);
			q->span = @$;
			$$ = (sl_node *)q;
		}
	| K_WITH cte_list select_clause
		{
			sl_ast_query *q = NEW(sl_ast_query, @$);
			SETL(q->ctes, $2); q->body = $3;
			$$ = (sl_node *)q;
		}
	| K_WITH cte_list select_clause sort_clause
		{
			sl_ast_query *q = NEW(sl_ast_query, @$);
			SETL(q->ctes, $2); q->body = $3; SETL(q->order_by, $4);
			$$ = (sl_node *)q;
		}
	| K_WITH cte_list select_clause opt_sort_clause select_limit
		{
			sl_ast_query *q = (sl_ast_query *)$5;
			SETL(q->ctes, $2); q->body = $3; SETL(q->order_by, $4);
			q->span = @$;
			$$ = (sl_node *)q;
		}
	;

select_clause:
	simple_select              { $$ = $1; }
	| select_with_parens       { $$ = $1; }
	;

simple_select:
	K_SELECT opt_hints opt_quantifier target_list opt_from opt_where
	opt_group_by opt_having opt_window_clause
		{
			sl_ast_select *s = NEW(sl_ast_select, @$);
			SETL(s->hints, $2);
			s->quantifier = $3;
			SETL(s->targets, $4);
			SETL(s->from, $5);
			s->where = $6;
			SETL(s->group_by, $7);
			s->having = $8;
			SETL(s->windows, $9);
			$$ = (sl_node *)s;
		}
	| values_clause            { $$ = $1; }
	| select_clause K_UNION opt_all select_clause
		{
			sl_ast_set_op *o = NEW(sl_ast_set_op, @$);
			o->op = SL_SETOP_UNION; o->all = $3; o->left = $1; o->right = $4;
			$$ = (sl_node *)o;
		}
	| select_clause K_INTERSECT opt_all select_clause
		{
			sl_ast_set_op *o = NEW(sl_ast_set_op, @$);
			o->op = SL_SETOP_INTERSECT; o->all = $3; o->left = $1; o->right = $4;
			$$ = (sl_node *)o;
		}
	| select_clause K_EXCEPT opt_all select_clause
		{
			sl_ast_set_op *o = NEW(sl_ast_set_op, @$);
			o->op = SL_SETOP_EXCEPT; o->all = $3; o->left = $1; o->right = $4;
			$$ = (sl_node *)o;
		}
	| select_clause K_MINUS opt_all select_clause
		{
			sl_ast_set_op *o = NEW(sl_ast_set_op, @$);
			o->op = SL_SETOP_EXCEPT; o->all = $3; o->left = $1; o->right = $4;
			$$ = (sl_node *)o;
		}
	;

opt_all:
	%empty                     { $$ = false; }
	| K_ALL                    { $$ = true; }
	| K_DISTINCT               { $$ = false; }
	;

opt_quantifier:
	%empty                     { $$ = SL_QUANT_NONE; }
	| K_ALL                    { $$ = SL_QUANT_ALL; }
	| K_DISTINCT               { $$ = SL_QUANT_DISTINCT; }
	;

cte_list:
	cte                        { $$ = list1(ps, $1); }
	| cte_list ',' cte         { $$ = lappend(ps, $1, $3); }
	;

cte:
	col_ident opt_col_list K_AS select_with_parens
		{
			sl_ast_cte *c = NEW(sl_ast_cte, @$);
			c->name = $1; c->columns = $2; c->query = $4;
			$$ = (sl_node *)c;
		}
	;

values_clause:
	K_VALUES values_list
		{
			sl_ast_values *v = NEW(sl_ast_values, @$);
			SETL(v->rows, $2);
			$$ = (sl_node *)v;
		}
	;

values_list:
	values_row                 { $$ = list1(ps, $1); }
	| values_list ',' values_row { $$ = lappend(ps, $1, $3); }
	;

values_row:
	'(' expr_list ')'
		{
			sl_ast_row_ctor *r = NEW(sl_ast_row_ctor, @$);
			SETL(r->items, $2);
			$$ = (sl_node *)r;
		}
	| K_ROW '(' expr_list ')'
		{
			sl_ast_row_ctor *r = NEW(sl_ast_row_ctor, @$);
			SETL(r->items, $3);
			$$ = (sl_node *)r;
		}
	;

target_list:
	target                     { $$ = list1(ps, $1); }
	| target_list ',' target   { $$ = lappend(ps, $1, $3); }
	;

target:
	a_expr
		{
			sl_ast_target *t = NEW(sl_ast_target, @$);
			t->expr = $1;
			$$ = (sl_node *)t;
		}
	| a_expr K_AS col_label
		{
			sl_ast_target *t = NEW(sl_ast_target, @$);
			t->expr = $1; t->alias = $3;
			$$ = (sl_node *)t;
		}
	| a_expr IDENT
		{
			sl_ast_target *t = NEW(sl_ast_target, @$);
			t->expr = $1; t->alias = mkident($2, @2);
			$$ = (sl_node *)t;
		}
	| '*'
		{
			sl_ast_target *t = NEW(sl_ast_target, @$);
			t->expr = (sl_node *)NEW(sl_ast_star, @1);
			$$ = (sl_node *)t;
		}
	;

opt_from:
	%empty                     { $$ = lempty(); }
	| K_FROM from_list         { $$ = $2; }
	;

from_list:
	table_ref                  { $$ = list1(ps, $1); }
	| from_list ',' table_ref  { $$ = lappend(ps, $1, $3); }
	;

table_ref:
	qualified_name opt_hints opt_system_time opt_alias
		{
			sl_ast_table_ref *t = NEW(sl_ast_table_ref, @$);
			t->name = $1; SETL(t->hints, $2); t->system_time = $3;
			t->alias = (sl_ast_alias *)$4;
			$$ = (sl_node *)t;
		}
	| select_with_parens opt_alias
		{
			sl_ast_subquery_ref *s = NEW(sl_ast_subquery_ref, @$);
			s->query = $1; s->alias = (sl_ast_alias *)$2;
			$$ = (sl_node *)s;
		}
	| K_LATERAL select_with_parens opt_alias
		{
			sl_ast_subquery_ref *s = NEW(sl_ast_subquery_ref, @$);
			s->query = $2; s->alias = (sl_ast_alias *)$3; s->lateral = true;
			$$ = (sl_node *)s;
		}
	| opt_lateral K_TABLE '(' func_application ')' opt_alias
		{
			sl_ast_table_func_ref *t = NEW(sl_ast_table_func_ref, @$);
			t->call = (sl_ast_func_call *)$4; t->lateral = $1;
			t->alias = (sl_ast_alias *)$6;
			$$ = (sl_node *)t;
		}
	| K_UNNEST '(' expr_list ')' opt_ordinality opt_alias
		{
			sl_ast_unnest_ref *u = NEW(sl_ast_unnest_ref, @$);
			SETL(u->args, $3); u->with_ordinality = $5;
			u->alias = (sl_ast_alias *)$6;
			$$ = (sl_node *)u;
		}
	| joined_table             { $$ = $1; }
	;

opt_lateral:
	%empty                     { $$ = false; }
	| K_LATERAL                { $$ = true; }
	;

opt_ordinality:
	%empty                     { $$ = false; }
	| K_WITH K_ORDINALITY      { $$ = true; }
	;

opt_system_time:
	%empty                     { $$ = NULL; }
	| K_FOR K_SYSTEM_TIME K_AS K_OF a_expr { $$ = $5; }
	;

joined_table:
	table_ref K_CROSS K_JOIN table_ref
		{
			sl_ast_join *j = NEW(sl_ast_join, @$);
			j->kind = SL_JOIN_CROSS; j->left = $1; j->right = $4;
			$$ = (sl_node *)j;
		}
	| table_ref K_JOIN table_ref K_ON a_expr
		{
			sl_ast_join *j = NEW(sl_ast_join, @$);
			j->kind = SL_JOIN_INNER; j->left = $1; j->right = $3; j->on = $5;
			$$ = (sl_node *)j;
		}
	| table_ref K_JOIN table_ref K_USING '(' using_cols ')'
		{
			sl_ast_join *j = NEW(sl_ast_join, @$);
			j->kind = SL_JOIN_INNER; j->left = $1; j->right = $3; j->using_cols = $6;
			$$ = (sl_node *)j;
		}
	| table_ref K_NATURAL K_JOIN table_ref
		{
			sl_ast_join *j = NEW(sl_ast_join, @$);
			j->kind = SL_JOIN_INNER; j->natural = true; j->left = $1; j->right = $4;
			$$ = (sl_node *)j;
		}
	| table_ref join_type K_JOIN table_ref K_ON a_expr
		{
			sl_ast_join *j = NEW(sl_ast_join, @$);
			j->kind = $2; j->left = $1; j->right = $4; j->on = $6;
			$$ = (sl_node *)j;
		}
	| table_ref join_type K_JOIN table_ref K_USING '(' using_cols ')'
		{
			sl_ast_join *j = NEW(sl_ast_join, @$);
			j->kind = $2; j->left = $1; j->right = $4; j->using_cols = $7;
			$$ = (sl_node *)j;
		}
	| table_ref K_NATURAL join_type K_JOIN table_ref
		{
			sl_ast_join *j = NEW(sl_ast_join, @$);
			j->kind = $3; j->natural = true; j->left = $1; j->right = $5;
			$$ = (sl_node *)j;
		}
	;

using_cols:
	ident_list                 { $$ = $1; }
	;

join_type:
	K_INNER                  { $$ = SL_JOIN_INNER; }
	| K_LEFT                   { $$ = SL_JOIN_LEFT; }
	| K_LEFT K_OUTER           { $$ = SL_JOIN_LEFT; }
	| K_RIGHT                  { $$ = SL_JOIN_RIGHT; }
	| K_RIGHT K_OUTER          { $$ = SL_JOIN_RIGHT; }
	| K_FULL                   { $$ = SL_JOIN_FULL; }
	| K_FULL K_OUTER           { $$ = SL_JOIN_FULL; }
	;

opt_alias:
	%empty                     { $$ = NULL; }
	| alias_clause             { $$ = $1; }
	;

alias_clause:
	K_AS alias_name opt_col_list
		{
			sl_ast_alias *a = NEW(sl_ast_alias, @$);
			a->name = $2; a->columns = $3;
			$$ = (sl_node *)a;
		}
	| IDENT opt_col_list
		{
			sl_ast_alias *a = NEW(sl_ast_alias, @$);
			a->name = mkident($1, @1); a->columns = $2;
			$$ = (sl_node *)a;
		}
	;

alias_name:
	col_ident                  { $$ = $1; }
	;

opt_col_list:
	%empty                     { $$ = noidents(); }
	| '(' ident_list ')'       { $$ = $2; }
	;

opt_where:
	%empty                     { $$ = NULL; }
	| K_WHERE a_expr           { $$ = $2; }
	;

opt_group_by:
	%empty                     { $$ = lempty(); }
	| K_GROUP K_BY group_list  { $$ = $3; }
	;

group_list:
	group_item                 { $$ = list1(ps, $1); }
	| group_list ',' group_item { $$ = lappend(ps, $1, $3); }
	;

group_item:
	a_expr                     { $$ = $1; }
	| K_GROUPING K_SETS '(' grouping_list ')'
		{
			sl_ast_grouping *g = NEW(sl_ast_grouping, @$);
			g->kind = SL_GROUPING_SETS; SETL(g->items, $4);
			$$ = (sl_node *)g;
		}
	| K_ROLLUP '(' grouping_list ')'
		{
			sl_ast_grouping *g = NEW(sl_ast_grouping, @$);
			g->kind = SL_GROUPING_ROLLUP; SETL(g->items, $3);
			$$ = (sl_node *)g;
		}
	| K_CUBE '(' grouping_list ')'
		{
			sl_ast_grouping *g = NEW(sl_ast_grouping, @$);
			g->kind = SL_GROUPING_CUBE; SETL(g->items, $3);
			$$ = (sl_node *)g;
		}
	| '(' ')'
		{
			sl_ast_grouping *g = NEW(sl_ast_grouping, @$);
			g->kind = SL_GROUPING_LIST;
			$$ = (sl_node *)g;
		}
	;

grouping_list:
	grouping_elem              { $$ = list1(ps, $1); }
	| grouping_list ',' grouping_elem { $$ = lappend(ps, $1, $3); }
	;

grouping_elem:
	group_item                 { $$ = $1; }
	| '(' a_expr ',' expr_list ')'
		{
			sl_ast_grouping *g = NEW(sl_ast_grouping, @$);
			g->kind = SL_GROUPING_LIST;
			SETL(g->items, lappend(ps, lempty(), $2));
			for (int i = 0; i < $4.n; i++)
				SL_AST_PUSH(A, &g->items, $4.items[i]);
			$$ = (sl_node *)g;
		}
	;

opt_having:
	%empty                     { $$ = NULL; }
	| K_HAVING a_expr          { $$ = $2; }
	;

opt_window_clause:
	%empty                     { $$ = lempty(); }
	| K_WINDOW window_list     { $$ = $2; }
	;

window_list:
	window_def                 { $$ = list1(ps, $1); }
	| window_list ',' window_def { $$ = lappend(ps, $1, $3); }
	;

window_def:
	col_ident K_AS window_spec
		{
			((sl_ast_window_spec *)$3)->name = $1;
			((sl_ast_window_spec *)$3)->span = @$;
			$$ = $3;
		}
	;

sort_clause:
	K_ORDER K_BY sort_list     { $$ = $3; }
	;

opt_sort_clause:
	%empty                     { $$ = lempty(); }
	| sort_clause              { $$ = $1; }
	;

sort_list:
	sort_item                  { $$ = list1(ps, $1); }
	| sort_list ',' sort_item  { $$ = lappend(ps, $1, $3); }
	;

sort_item:
	a_expr opt_asc_desc opt_nulls
		{
			sl_ast_sort_item *s = NEW(sl_ast_sort_item, @$);
			s->expr = $1; s->dir = $2; s->nulls = $3;
			$$ = (sl_node *)s;
		}
	;

opt_asc_desc:
	%empty                     { $$ = SL_SORT_DEFAULT; }
	| K_ASC                    { $$ = SL_SORT_ASC; }
	| K_DESC                   { $$ = SL_SORT_DESC; }
	;

opt_nulls:
	%empty                     { $$ = SL_NULLS_DEFAULT; }
	| K_NULLS K_FIRST          { $$ = SL_NULLS_FIRST; }
	| K_NULLS K_LAST           { $$ = SL_NULLS_LAST; }
	;

/* builds a Query node holding LIMIT and OFFSET; the caller fills the rest */
select_limit:
	limit_clause
		{ sl_ast_query *q = NEW(sl_ast_query, @$); q->limit = $1; $$ = (sl_node *)q; }
	| limit_clause offset_clause
		{ sl_ast_query *q = NEW(sl_ast_query, @$); q->limit = $1; q->offset = $2; $$ = (sl_node *)q; }
	| offset_clause
		{ sl_ast_query *q = NEW(sl_ast_query, @$); q->offset = $1; $$ = (sl_node *)q; }
	| offset_clause limit_clause
		{ sl_ast_query *q = NEW(sl_ast_query, @$); q->limit = $2; q->offset = $1; $$ = (sl_node *)q; }
	;

limit_clause:
	K_LIMIT a_expr             { $$ = $2; }
	| K_FETCH first_or_next a_expr row_or_rows K_ONLY { $$ = $3; }
	| K_FETCH first_or_next row_or_rows K_ONLY
		{
			sl_lexstr one = {"1", 1, false};
			$$ = mkint(ps, one, @$);
		}
	;

offset_clause:
	K_OFFSET a_expr opt_row_or_rows { $$ = $2; }
	;

first_or_next: K_FIRST | K_NEXT ;
row_or_rows: K_ROW | K_ROWS ;
opt_row_or_rows: %empty | K_ROW | K_ROWS ;

/* -------------------------------------------------------- expressions */

a_expr:
	c_expr                     { $$ = $1; }
	| a_expr '+' a_expr        { $$ = mkbinary(ps, SL_BINOP_ADD, $1, $3, @$); }
	| a_expr '-' a_expr        { $$ = mkbinary(ps, SL_BINOP_SUB, $1, $3, @$); }
	| a_expr '*' a_expr        { $$ = mkbinary(ps, SL_BINOP_MUL, $1, $3, @$); }
	| a_expr '/' a_expr        { $$ = mkbinary(ps, SL_BINOP_DIV, $1, $3, @$); }
	| a_expr '%' a_expr        { $$ = mkbinary(ps, SL_BINOP_MOD, $1, $3, @$); }
	| a_expr OP_CONCAT a_expr  { $$ = mkbinary(ps, SL_BINOP_CONCAT, $1, $3, @$); }
	| '-' a_expr %prec UMINUS  { $$ = mkunary(ps, SL_UNOP_NEG, $2, @$); }
	| '+' a_expr %prec UMINUS  { $$ = mkunary(ps, SL_UNOP_PLUS, $2, @$); }
	| a_expr '=' a_expr        { $$ = mkbinary(ps, SL_BINOP_EQ, $1, $3, @$); }
	| a_expr OP_NE a_expr      { $$ = mkbinary(ps, SL_BINOP_NE, $1, $3, @$); }
	| a_expr '<' a_expr        { $$ = mkbinary(ps, SL_BINOP_LT, $1, $3, @$); }
	| a_expr OP_LE a_expr      { $$ = mkbinary(ps, SL_BINOP_LE, $1, $3, @$); }
	| a_expr '>' a_expr        { $$ = mkbinary(ps, SL_BINOP_GT, $1, $3, @$); }
	| a_expr OP_GE a_expr      { $$ = mkbinary(ps, SL_BINOP_GE, $1, $3, @$); }
	| a_expr K_AND a_expr      { $$ = mkbinary(ps, SL_BINOP_AND, $1, $3, @$); }
	| a_expr K_OR a_expr       { $$ = mkbinary(ps, SL_BINOP_OR, $1, $3, @$); }
	| K_NOT a_expr             { $$ = mkunary(ps, SL_UNOP_NOT, $2, @$); }
	| a_expr K_IS K_NULL       { sl_ast_is *i = NEW(sl_ast_is, @$); i->arg = $1; i->test = SL_IS_NULL; $$ = (sl_node *)i; }
	| a_expr K_IS K_NOT K_NULL { sl_ast_is *i = NEW(sl_ast_is, @$); i->arg = $1; i->test = SL_IS_NULL; i->negated = true; $$ = (sl_node *)i; }
	| a_expr K_IS K_TRUE       { sl_ast_is *i = NEW(sl_ast_is, @$); i->arg = $1; i->test = SL_IS_TRUE; $$ = (sl_node *)i; }
	| a_expr K_IS K_NOT K_TRUE { sl_ast_is *i = NEW(sl_ast_is, @$); i->arg = $1; i->test = SL_IS_TRUE; i->negated = true; $$ = (sl_node *)i; }
	| a_expr K_IS K_FALSE      { sl_ast_is *i = NEW(sl_ast_is, @$); i->arg = $1; i->test = SL_IS_FALSE; $$ = (sl_node *)i; }
	| a_expr K_IS K_NOT K_FALSE { sl_ast_is *i = NEW(sl_ast_is, @$); i->arg = $1; i->test = SL_IS_FALSE; i->negated = true; $$ = (sl_node *)i; }
	| a_expr K_IS K_UNKNOWN    { sl_ast_is *i = NEW(sl_ast_is, @$); i->arg = $1; i->test = SL_IS_UNKNOWN; $$ = (sl_node *)i; }
	| a_expr K_IS K_NOT K_UNKNOWN { sl_ast_is *i = NEW(sl_ast_is, @$); i->arg = $1; i->test = SL_IS_UNKNOWN; i->negated = true; $$ = (sl_node *)i; }
	| a_expr K_IS K_DISTINCT K_FROM a_expr %prec K_IS
		{ $$ = mkbinary(ps, SL_BINOP_IS_DISTINCT_FROM, $1, $5, @$); }
	| a_expr K_IS K_NOT K_DISTINCT K_FROM a_expr %prec K_IS
		{ $$ = mkbinary(ps, SL_BINOP_IS_NOT_DISTINCT_FROM, $1, $6, @$); }
	| a_expr K_BETWEEN opt_symmetric b_expr K_AND a_expr %prec K_BETWEEN
		{
			sl_ast_between *b = NEW(sl_ast_between, @$);
			b->arg = $1; b->symmetric = $3; b->low = $4; b->high = $6;
			$$ = (sl_node *)b;
		}
	| a_expr NOT_LA K_BETWEEN opt_symmetric b_expr K_AND a_expr %prec NOT_LA
		{
			sl_ast_between *b = NEW(sl_ast_between, @$);
			b->arg = $1; b->symmetric = $4; b->low = $5; b->high = $7; b->negated = true;
			$$ = (sl_node *)b;
		}
	| a_expr K_IN '(' expr_list ')'
		{
			sl_ast_in_list *i = NEW(sl_ast_in_list, @$);
			i->arg = $1; SETL(i->list, $4);
			$$ = (sl_node *)i;
		}
	| a_expr NOT_LA K_IN '(' expr_list ')' %prec NOT_LA
		{
			sl_ast_in_list *i = NEW(sl_ast_in_list, @$);
			i->arg = $1; SETL(i->list, $5); i->negated = true;
			$$ = (sl_node *)i;
		}
	| a_expr K_IN select_with_parens
		{
			sl_ast_in_subquery *i = NEW(sl_ast_in_subquery, @$);
			i->arg = $1; i->query = $3;
			$$ = (sl_node *)i;
		}
	| a_expr NOT_LA K_IN select_with_parens %prec NOT_LA
		{
			sl_ast_in_subquery *i = NEW(sl_ast_in_subquery, @$);
			i->arg = $1; i->query = $4; i->negated = true;
			$$ = (sl_node *)i;
		}
	| a_expr K_LIKE a_expr opt_escape %prec K_LIKE
		{
			sl_ast_like *l = NEW(sl_ast_like, @$);
			l->arg = $1; l->pattern = $3; l->escape = $4;
			$$ = (sl_node *)l;
		}
	| a_expr NOT_LA K_LIKE a_expr opt_escape %prec NOT_LA
		{
			sl_ast_like *l = NEW(sl_ast_like, @$);
			l->arg = $1; l->pattern = $4; l->escape = $5; l->negated = true;
			$$ = (sl_node *)l;
		}
	| a_expr K_SIMILAR K_TO a_expr opt_escape %prec K_SIMILAR
		{
			sl_ast_like *l = NEW(sl_ast_like, @$);
			l->arg = $1; l->pattern = $4; l->escape = $5; l->similar = true;
			$$ = (sl_node *)l;
		}
	| a_expr NOT_LA K_SIMILAR K_TO a_expr opt_escape %prec NOT_LA
		{
			sl_ast_like *l = NEW(sl_ast_like, @$);
			l->arg = $1; l->pattern = $5; l->escape = $6; l->similar = true; l->negated = true;
			$$ = (sl_node *)l;
		}
	;

opt_escape:
	%empty %prec K_LIKE        { $$ = NULL; }
	| K_ESCAPE a_expr          { $$ = $2; }
	;

opt_symmetric:
	%empty                     { $$ = false; }
	| K_SYMMETRIC              { $$ = true; }
	| K_ASYMMETRIC             { $$ = false; }
	;

/* b_expr: no boolean operators or predicates (BETWEEN's low bound,
 * POSITION's arguments) */
b_expr:
	c_expr                     { $$ = $1; }
	| b_expr '+' b_expr        { $$ = mkbinary(ps, SL_BINOP_ADD, $1, $3, @$); }
	| b_expr '-' b_expr        { $$ = mkbinary(ps, SL_BINOP_SUB, $1, $3, @$); }
	| b_expr '*' b_expr        { $$ = mkbinary(ps, SL_BINOP_MUL, $1, $3, @$); }
	| b_expr '/' b_expr        { $$ = mkbinary(ps, SL_BINOP_DIV, $1, $3, @$); }
	| b_expr '%' b_expr        { $$ = mkbinary(ps, SL_BINOP_MOD, $1, $3, @$); }
	| b_expr OP_CONCAT b_expr  { $$ = mkbinary(ps, SL_BINOP_CONCAT, $1, $3, @$); }
	| '-' b_expr %prec UMINUS  { $$ = mkunary(ps, SL_UNOP_NEG, $2, @$); }
	| '+' b_expr %prec UMINUS  { $$ = mkunary(ps, SL_UNOP_PLUS, $2, @$); }
	;

c_expr:
	primary                    { $$ = $1; }
	;

primary:
	columnref                  { $$ = $1; }
	| nonref_primary           { $$ = $1; }
	;

columnref:
	col_ident
		{
			sl_ast_column_ref *c = NEW(sl_ast_column_ref, @$);
			c->names = idents1(ps, $1);
			$$ = (sl_node *)c;
		}
	| columnref '.' col_label
		{
			sl_ast_column_ref *c = (sl_ast_column_ref *)$1;
			c->names = idents_append(ps, c->names, $3);
			c->span = @$;
			$$ = $1;
		}
	;

nonref_primary:
	literal                    { $$ = $1; }
	| '(' a_expr ')'           { $$ = $2; }
	| select_with_parens %prec UMINUS
		{
			sl_ast_subquery *s = NEW(sl_ast_subquery, @$);
			s->query = $1;
			$$ = (sl_node *)s;
		}
	| K_EXISTS select_with_parens
		{
			sl_ast_exists *e = NEW(sl_ast_exists, @$);
			e->query = $2;
			$$ = (sl_node *)e;
		}
	| func_call                { $$ = $1; }
	| special_func             { $$ = $1; }
	| case_expr                { $$ = $1; }
	| columnref '.' '*'
		{
			sl_ast_star *s = NEW(sl_ast_star, @$);
			s->qualifier = ((sl_ast_column_ref *)$1)->names;
			$$ = (sl_node *)s;
		}
	| primary '[' a_expr ']'
		{
			sl_ast_subscript *s = NEW(sl_ast_subscript, @$);
			s->arg = $1; s->index = $3;
			$$ = (sl_node *)s;
		}
	| nonref_primary '.' col_label
		{
			sl_ast_field_access *f = NEW(sl_ast_field_access, @$);
			f->arg = $1; f->field = $3;
			$$ = (sl_node *)f;
		}
	| K_ROW '(' expr_list ')'
		{
			sl_ast_row_ctor *r = NEW(sl_ast_row_ctor, @$);
			SETL(r->items, $3);
			$$ = (sl_node *)r;
		}
	| K_ARRAY '[' opt_expr_list ']'
		{
			sl_ast_array_ctor *r = NEW(sl_ast_array_ctor, @$);
			SETL(r->items, $3);
			$$ = (sl_node *)r;
		}
	| K_MAP '[' opt_expr_list ']'
		{
			sl_ast_map_ctor *r = NEW(sl_ast_map_ctor, @$);
			SETL(r->items, $3);
			if ($3.n % 2 != 0) {
				sl_parser_error(ps, SL_ERR_SYNTAX, @$, "MAP constructor needs an even number of arguments");
				YYABORT;
			}
			$$ = (sl_node *)r;
		}
	;

literal:
	ICONST                     { $$ = mkint(ps, $1, @$); }
	| FCONST                   { $$ = (sl_node *)mklit(ps, SL_LIT_DECIMAL, $1, @$); }
	| ECONST                   { $$ = (sl_node *)mklit(ps, SL_LIT_DOUBLE, $1, @$); }
	| SCONST                   { $$ = (sl_node *)mklit(ps, SL_LIT_STRING, $1, @$); }
	| XCONST                   { $$ = (sl_node *)mklit(ps, SL_LIT_BINARY, $1, @$); }
	| K_TRUE                   { sl_ast_literal *l = mklit(ps, SL_LIT_BOOLEAN, $1, @$); l->text = NULL; l->len = 0; l->bval = true; $$ = (sl_node *)l; }
	| K_FALSE                  { sl_ast_literal *l = mklit(ps, SL_LIT_BOOLEAN, $1, @$); l->text = NULL; l->len = 0; $$ = (sl_node *)l; }
	| K_NULL                   { sl_ast_literal *l = mklit(ps, SL_LIT_NULL, $1, @$); l->text = NULL; l->len = 0; $$ = (sl_node *)l; }
	| K_DATE SCONST            { $$ = (sl_node *)mklit(ps, SL_LIT_DATE, $2, @$); }
	| K_TIME SCONST            { $$ = (sl_node *)mklit(ps, SL_LIT_TIME, $2, @$); }
	| K_TIMESTAMP SCONST       { $$ = (sl_node *)mklit(ps, SL_LIT_TIMESTAMP, $2, @$); }
	| K_INTERVAL SCONST interval_qualifier_t
		{
			sl_ast_literal *l = mklit(ps, SL_LIT_INTERVAL, $2, @$);
			sl_ast_type *q = (sl_ast_type *)$3;
			l->iv_start = q->iv_start; l->iv_start_prec = q->iv_start_prec;
			l->iv_end = q->iv_end; l->iv_frac_prec = q->iv_frac_prec;
			$$ = (sl_node *)l;
		}
	| K_INTERVAL '-' SCONST interval_qualifier_t
		{
			sl_ast_literal *l = mklit(ps, SL_LIT_INTERVAL, $3, @$);
			sl_ast_type *q = (sl_ast_type *)$4;
			l->negative = true;
			l->iv_start = q->iv_start; l->iv_start_prec = q->iv_start_prec;
			l->iv_end = q->iv_end; l->iv_frac_prec = q->iv_frac_prec;
			$$ = (sl_node *)l;
		}
	;

func_call:
	func_application opt_filter opt_over
		{
			sl_ast_func_call *f = (sl_ast_func_call *)$1;
			f->filter = $2;
			f->over = (sl_ast_window_spec *)$3;
			f->span = @$;
			$$ = $1;
		}
	;

func_application:
	func_ident '(' ')'
		{
			sl_ast_func_call *f = NEW(sl_ast_func_call, @$);
			f->name = idents1(ps, mkident($1, @1));
			$$ = (sl_node *)f;
		}
	| func_ident '(' '*' ')'
		{
			sl_ast_func_call *f = NEW(sl_ast_func_call, @$);
			f->name = idents1(ps, mkident($1, @1));
			f->star = true;
			$$ = (sl_node *)f;
		}
	| func_ident '(' opt_distinct func_arg_list ')'
		{
			sl_ast_func_call *f = NEW(sl_ast_func_call, @$);
			f->name = idents1(ps, mkident($1, @1));
			f->distinct = $3;
			SETL(f->args, $4);
			$$ = (sl_node *)f;
		}
	| columnref '.' col_label '(' ')'
		{
			sl_ast_func_call *f = NEW(sl_ast_func_call, @$);
			f->name = idents_append(ps, ((sl_ast_column_ref *)$1)->names, $3);
			$$ = (sl_node *)f;
		}
	| columnref '.' col_label '(' opt_distinct func_arg_list ')'
		{
			sl_ast_func_call *f = NEW(sl_ast_func_call, @$);
			f->name = idents_append(ps, ((sl_ast_column_ref *)$1)->names, $3);
			f->distinct = $5;
			SETL(f->args, $6);
			$$ = (sl_node *)f;
		}
	;

opt_distinct:
	%empty                     { $$ = false; }
	| K_DISTINCT               { $$ = true; }
	| K_ALL                    { $$ = false; }
	;

func_arg_list:
	func_arg                   { $$ = list1(ps, $1); }
	| func_arg_list ',' func_arg { $$ = lappend(ps, $1, $3); }
	;

func_arg:
	named_arg_value            { $$ = $1; }
	| col_ident OP_ARROW named_arg_value
		{
			sl_ast_named_arg *n = NEW(sl_ast_named_arg, @$);
			n->name = $1; n->value = $3;
			$$ = (sl_node *)n;
		}
	| K_OFFSET OP_ARROW named_arg_value
		{
			sl_ast_named_arg *n = NEW(sl_ast_named_arg, @$);
			n->name = mkident($1, @1); n->value = $3;
			$$ = (sl_node *)n;
		}
	;

named_arg_value:
	a_expr                     { $$ = $1; }
	| K_TABLE qualified_name table_arg_partition
		{
			sl_ast_table_arg *t = NEW(sl_ast_table_arg, @$);
			t->name = $2; SETL(t->partition_by, $3);
			$$ = (sl_node *)t;
		}
	| K_DESCRIPTOR '(' ident_list ')'
		{
			sl_ast_descriptor *d = NEW(sl_ast_descriptor, @$);
			d->columns = $3;
			$$ = (sl_node *)d;
		}
	;

table_arg_partition:
	%empty                     { $$ = lempty(); }
	| K_PARTITION K_BY columnref { $$ = list1(ps, $3); }
	| K_PARTITION K_BY '(' expr_list ')' { $$ = $4; }
	;

opt_filter:
	%empty                     { $$ = NULL; }
	| K_FILTER '(' K_WHERE a_expr ')' { $$ = $4; }
	;

opt_over:
	%empty                     { $$ = NULL; }
	| K_OVER window_spec       { $$ = $2; }
	| K_OVER col_ident
		{
			sl_ast_window_spec *w = NEW(sl_ast_window_spec, @2);
			w->ref = $2;
			$$ = (sl_node *)w;
		}
	;

window_spec:
	'(' window_body ')'        { $$ = $2; ((sl_ast_window_spec *)$$)->span = @$; }
	;

window_body:
	opt_partition_by opt_order_by
		{
			sl_ast_window_spec *w = NEW(sl_ast_window_spec, @$);
			SETL(w->partition_by, $1); SETL(w->order_by, $2);
			$$ = (sl_node *)w;
		}
	| opt_partition_by opt_order_by frame_units frame_bound
		{
			sl_ast_window_spec *w = NEW(sl_ast_window_spec, @$);
			sl_ast_frame_bound *cur = NEW(sl_ast_frame_bound, @4);
			SETL(w->partition_by, $1); SETL(w->order_by, $2);
			w->frame = $3;
			w->frame_start = (sl_ast_frame_bound *)$4;
			cur->kind = SL_BOUND_CURRENT_ROW;
			w->frame_end = cur;
			$$ = (sl_node *)w;
		}
	| opt_partition_by opt_order_by frame_units K_BETWEEN frame_bound K_AND frame_bound
		{
			sl_ast_window_spec *w = NEW(sl_ast_window_spec, @$);
			SETL(w->partition_by, $1); SETL(w->order_by, $2);
			w->frame = $3;
			w->frame_start = (sl_ast_frame_bound *)$5;
			w->frame_end = (sl_ast_frame_bound *)$7;
			$$ = (sl_node *)w;
		}
	| IDENT opt_partition_by opt_order_by
		{
			sl_ast_window_spec *w = NEW(sl_ast_window_spec, @$);
			w->ref = mkident($1, @1);
			SETL(w->partition_by, $2); SETL(w->order_by, $3);
			$$ = (sl_node *)w;
		}
	| IDENT opt_partition_by opt_order_by frame_units frame_bound
		{
			sl_ast_window_spec *w = NEW(sl_ast_window_spec, @$);
			sl_ast_frame_bound *cur = NEW(sl_ast_frame_bound, @5);
			w->ref = mkident($1, @1);
			SETL(w->partition_by, $2); SETL(w->order_by, $3);
			w->frame = $4;
			w->frame_start = (sl_ast_frame_bound *)$5;
			cur->kind = SL_BOUND_CURRENT_ROW;
			w->frame_end = cur;
			$$ = (sl_node *)w;
		}
	| IDENT opt_partition_by opt_order_by frame_units K_BETWEEN frame_bound K_AND frame_bound
		{
			sl_ast_window_spec *w = NEW(sl_ast_window_spec, @$);
			w->ref = mkident($1, @1);
			SETL(w->partition_by, $2); SETL(w->order_by, $3);
			w->frame = $4;
			w->frame_start = (sl_ast_frame_bound *)$6;
			w->frame_end = (sl_ast_frame_bound *)$8;
			$$ = (sl_node *)w;
		}
	;

opt_partition_by:
	%empty                     { $$ = lempty(); }
	| K_PARTITION K_BY expr_list { $$ = $3; }
	;

opt_order_by:
	%empty                     { $$ = lempty(); }
	| K_ORDER K_BY sort_list   { $$ = $3; }
	;

frame_units:
	K_ROWS                     { $$ = SL_FRAME_ROWS; }
	| K_RANGE                  { $$ = SL_FRAME_RANGE; }
	;

frame_bound:
	K_UNBOUNDED K_PRECEDING
		{ sl_ast_frame_bound *b = NEW(sl_ast_frame_bound, @$); b->kind = SL_BOUND_UNBOUNDED_PRECEDING; $$ = (sl_node *)b; }
	| K_UNBOUNDED K_FOLLOWING
		{ sl_ast_frame_bound *b = NEW(sl_ast_frame_bound, @$); b->kind = SL_BOUND_UNBOUNDED_FOLLOWING; $$ = (sl_node *)b; }
	| K_CURRENT K_ROW
		{ sl_ast_frame_bound *b = NEW(sl_ast_frame_bound, @$); b->kind = SL_BOUND_CURRENT_ROW; $$ = (sl_node *)b; }
	| b_expr K_PRECEDING
		{ sl_ast_frame_bound *b = NEW(sl_ast_frame_bound, @$); b->kind = SL_BOUND_PRECEDING; b->offset = $1; $$ = (sl_node *)b; }
	| b_expr K_FOLLOWING
		{ sl_ast_frame_bound *b = NEW(sl_ast_frame_bound, @$); b->kind = SL_BOUND_FOLLOWING; b->offset = $1; $$ = (sl_node *)b; }
	;

special_func:
	K_CAST '(' a_expr K_AS type ')'
		{
			sl_ast_cast *c = NEW(sl_ast_cast, @$);
			c->arg = $3; c->type = (sl_ast_type *)$5;
			$$ = (sl_node *)c;
		}
	| K_TRY_CAST '(' a_expr K_AS type ')'
		{
			sl_ast_cast *c = NEW(sl_ast_cast, @$);
			c->arg = $3; c->type = (sl_ast_type *)$5; c->try_cast = true;
			$$ = (sl_node *)c;
		}
	| K_EXTRACT '(' time_unit K_FROM a_expr ')'
		{
			sl_ast_extract *e = NEW(sl_ast_extract, @$);
			e->unit = $3; e->arg = $5;
			$$ = (sl_node *)e;
		}
	| K_POSITION '(' b_expr K_IN b_expr ')'
		{
			sl_ast_func_call *f = mkcall(ps, "POSITION", @1, @$);
			SETL(f->args, lappend(ps, list1(ps, $3), $5));
			f->syntax = SL_CALL_POSITION;
			$$ = (sl_node *)f;
		}
	| K_TRIM '(' a_expr ')'
		{
			sl_ast_trim *t = NEW(sl_ast_trim, @$);
			t->arg = $3;
			$$ = (sl_node *)t;
		}
	| K_TRIM '(' a_expr K_FROM a_expr ')'
		{
			sl_ast_trim *t = NEW(sl_ast_trim, @$);
			t->chars = $3; t->arg = $5;
			$$ = (sl_node *)t;
		}
	| K_TRIM '(' trim_where K_FROM a_expr ')'
		{
			sl_ast_trim *t = NEW(sl_ast_trim, @$);
			t->where = $3; t->arg = $5;
			$$ = (sl_node *)t;
		}
	| K_TRIM '(' trim_where a_expr K_FROM a_expr ')'
		{
			sl_ast_trim *t = NEW(sl_ast_trim, @$);
			t->where = $3; t->chars = $4; t->arg = $6;
			$$ = (sl_node *)t;
		}
	| K_SUBSTRING '(' a_expr K_FROM a_expr ')'
		{
			sl_ast_func_call *f = mkcall(ps, "SUBSTRING", @1, @$);
			SETL(f->args, lappend(ps, list1(ps, $3), $5));
			f->syntax = SL_CALL_SUBSTRING;
			$$ = (sl_node *)f;
		}
	| K_SUBSTRING '(' a_expr K_FROM a_expr K_FOR a_expr ')'
		{
			sl_ast_func_call *f = mkcall(ps, "SUBSTRING", @1, @$);
			SETL(f->args, lappend(ps, lappend(ps, list1(ps, $3), $5), $7));
			f->syntax = SL_CALL_SUBSTRING;
			$$ = (sl_node *)f;
		}
	| K_SUBSTRING '(' expr_list ')'
		{
			sl_ast_func_call *f = mkcall(ps, "SUBSTRING", @1, @$);
			SETL(f->args, $3);
			$$ = (sl_node *)f;
		}
	| K_OVERLAY '(' a_expr K_PLACING a_expr K_FROM a_expr ')'
		{
			sl_ast_func_call *f = mkcall(ps, "OVERLAY", @1, @$);
			SETL(f->args, lappend(ps, lappend(ps, list1(ps, $3), $5), $7));
			f->syntax = SL_CALL_OVERLAY;
			$$ = (sl_node *)f;
		}
	| K_OVERLAY '(' a_expr K_PLACING a_expr K_FROM a_expr K_FOR a_expr ')'
		{
			sl_ast_func_call *f = mkcall(ps, "OVERLAY", @1, @$);
			SETL(f->args, lappend(ps, lappend(ps, lappend(ps, list1(ps, $3), $5), $7), $9));
			f->syntax = SL_CALL_OVERLAY;
			$$ = (sl_node *)f;
		}
	| floor_word '(' a_expr ')'
		{
			sl_ast_func_call *f = mkcall(ps, upper(ps, $1.s), @1, @$);
			SETL(f->args, list1(ps, $3));
			$$ = (sl_node *)f;
		}
	| floor_word '(' a_expr K_TO time_unit ')'
		{
			sl_ast_floor_ceil *f = NEW(sl_ast_floor_ceil, @$);
			f->ceil = !sl_streq_ci($1.s, "FLOOR");
			f->arg = $3; f->unit = $5;
			$$ = (sl_node *)f;
		}
	| K_TIMESTAMPADD '(' time_unit ',' a_expr ',' a_expr ')'
		{
			sl_ast_timestamp_func *t = NEW(sl_ast_timestamp_func, @$);
			t->unit = $3; t->arg1 = $5; t->arg2 = $7;
			$$ = (sl_node *)t;
		}
	| K_TIMESTAMPDIFF '(' time_unit ',' a_expr ',' a_expr ')'
		{
			sl_ast_timestamp_func *t = NEW(sl_ast_timestamp_func, @$);
			t->diff = true; t->unit = $3; t->arg1 = $5; t->arg2 = $7;
			$$ = (sl_node *)t;
		}
	| K_LEFT '(' func_arg_list ')'
		{
			sl_ast_func_call *f = mkcall(ps, upper(ps, $1.s), @1, @$);
			SETL(f->args, $3);
			$$ = (sl_node *)f;
		}
	| K_RIGHT '(' func_arg_list ')'
		{
			sl_ast_func_call *f = mkcall(ps, upper(ps, $1.s), @1, @$);
			SETL(f->args, $3);
			$$ = (sl_node *)f;
		}
	| niladic
		{
			sl_ast_func_call *f = mkcall(ps, upper(ps, $1.s), @1, @$);
			f->syntax = SL_CALL_NILADIC;
			$$ = (sl_node *)f;
		}
	;

floor_word:
	K_FLOOR                    { $$ = $1; }
	| K_CEIL                   { $$ = $1; }
	| K_CEILING                { $$ = $1; }
	;

niladic:
	K_CURRENT_TIMESTAMP        { $$ = $1; }
	| K_CURRENT_DATE           { $$ = $1; }
	| K_CURRENT_TIME           { $$ = $1; }
	| K_LOCALTIMESTAMP         { $$ = $1; }
	| K_LOCALTIME              { $$ = $1; }
	;

trim_where:
	K_BOTH                     { $$ = SL_TRIM_BOTH; }
	| K_LEADING                { $$ = SL_TRIM_LEADING; }
	| K_TRAILING               { $$ = SL_TRIM_TRAILING; }
	;

case_expr:
	K_CASE case_when_list opt_else K_END
		{
			sl_ast_case *c = NEW(sl_ast_case, @$);
			SETL(c->whens, $2); c->else_expr = $3;
			$$ = (sl_node *)c;
		}
	| K_CASE a_expr case_when_list opt_else K_END
		{
			sl_ast_case *c = NEW(sl_ast_case, @$);
			c->operand = $2; SETL(c->whens, $3); c->else_expr = $4;
			$$ = (sl_node *)c;
		}
	;

case_when_list:
	case_when                  { $$ = list1(ps, $1); }
	| case_when_list case_when { $$ = lappend(ps, $1, $2); }
	;

case_when:
	K_WHEN a_expr K_THEN a_expr
		{
			sl_ast_case_when *w = NEW(sl_ast_case_when, @$);
			w->cond = $2; w->result = $4;
			$$ = (sl_node *)w;
		}
	;

opt_else:
	%empty                     { $$ = NULL; }
	| K_ELSE a_expr            { $$ = $2; }
	;

expr_list:
	a_expr                     { $$ = list1(ps, $1); }
	| expr_list ',' a_expr     { $$ = lappend(ps, $1, $3); }
	;

opt_expr_list:
	%empty                     { $$ = lempty(); }
	| expr_list                { $$ = $1; }
	;

/* -------------------------------------------------------------- names */

qualified_name:
	col_ident                  { $$ = idents1(ps, $1); }
	| qualified_name '.' col_label { $$ = idents_append(ps, $1, $3); }
	;

ident_list:
	col_ident                  { $$ = idents1(ps, $1); }
	| ident_list ',' col_ident { $$ = idents_append(ps, $1, $3); }
	;

col_ident:
	IDENT                      { $$ = mkident($1, @1); }
	| unreserved_keyword       { $$ = mkident($1, @1); }
	| col_name_keyword         { $$ = mkident($1, @1); }
	;

func_ident:
	IDENT                      { $$ = $1; }
	| unreserved_keyword       { $$ = $1; }
	| K_IF                     { $$ = $1; }
	;

/* after AS and after '.': any word */
col_label:
	col_ident                  { $$ = $1; }
	| reserved_keyword         { $$ = mkident($1, @1); }
	;

unreserved_keyword:
	K_ASC | K_BEGIN | K_BYTES | K_CATALOGS | K_COMMENT
	| K_DATABASES | K_DAY | K_DAYS | K_DESCRIBE | K_ENFORCED | K_EXECUTE
	| K_EXPLAIN | K_EXTENDED | K_FILTER | K_FIRST | K_FOLLOWING | K_FUNCTION
	| K_FUNCTIONS | K_HOUR | K_HOURS | K_JAR | K_JOBS | K_KEY
	| K_LANGUAGE | K_LAST | K_LIBRARY | K_LOCAL | K_METADATA | K_MINUTE
	| K_MINUTES | K_MONTH | K_MONTHS | K_NEXT | K_NULLS | K_OF | K_ONLY
	| K_ORDINALITY | K_OVERWRITE | K_PARTITIONED | K_PLACING | K_PLAN
	| K_PRECEDING | K_PRECISION | K_PRIMARY | K_RANGE | K_RESET | K_ROWS
	| K_SECOND | K_SECONDS | K_SETS | K_SHOW | K_STATEMENT
	| K_SYSTEM | K_SYSTEM_TIME | K_TABLES | K_TEMPORARY | K_UNKNOWN
	| K_VARYING | K_VIEW | K_VIEWS | K_VIRTUAL | K_WATERMARK | K_WITHOUT
	| K_YEAR | K_YEARS | K_ZONE | K_CATALOG | K_USE
	;

col_name_keyword:
	K_BIGINT | K_BINARY | K_BOOLEAN | K_CEIL | K_CEILING | K_CHAR
	| K_CHARACTER | K_DATE | K_DEC | K_DECIMAL | K_DOUBLE | K_EXTRACT
	| K_FLOAT | K_FLOOR | K_INT | K_INTEGER | K_MULTISET
	| K_NUMERIC | K_OVERLAY | K_POSITION | K_REAL | K_ROW | K_SMALLINT
	| K_STRING | K_SUBSTRING | K_TIME | K_TIMESTAMP | K_TIMESTAMP_LTZ
	| K_TIMESTAMPADD | K_TIMESTAMPDIFF | K_TINYINT | K_TRIM | K_TRY_CAST
	| K_VARBINARY | K_VARCHAR | K_CAST
	;

reserved_keyword:
	K_ALL | K_AND | K_ARRAY | K_AS | K_ASYMMETRIC | K_IF | K_INTERVAL | K_MAP | K_SYMMETRIC | K_BETWEEN | K_BOTH | K_BY | K_CASE | K_CONSTRAINT
	| K_CREATE | K_CROSS | K_CUBE | K_CURRENT | K_CURRENT_DATE
	| K_CURRENT_TIME | K_CURRENT_TIMESTAMP | K_DESC | K_DESCRIPTOR
	| K_DISTINCT | K_DROP | K_ELSE | K_END | K_ESCAPE | K_EXCEPT | K_EXISTS
	| K_FALSE | K_FETCH | K_FOR | K_FROM | K_FULL | K_GROUP | K_GROUPING
	| K_HAVING | K_IN | K_INNER | K_INSERT | K_INTERSECT | K_INTO | K_IS
	| K_JOIN | K_LATERAL | K_LEADING | K_LEFT | K_LIKE | K_LIMIT
	| K_LOCALTIME | K_LOCALTIMESTAMP | K_MINUS | K_NATURAL | K_NOT | K_NULL
	| K_OFFSET | K_ON | K_OR | K_ORDER | K_OUTER | K_OVER | K_PARTITION
	| K_RIGHT | K_ROLLUP | K_SELECT | K_SET | K_SIMILAR | K_TABLE | K_THEN
	| K_TO | K_TRAILING | K_TRUE | K_UNBOUNDED | K_UNION | K_UNNEST
	| K_USING | K_VALUES | K_WHEN | K_WHERE | K_WINDOW | K_WITH
	;

%%

/*
 * The token stream as the grammar sees it: the scanner's tokens, with NOT
 * turned into NOT_LA when the next token is BETWEEN, IN, LIKE or SIMILAR
 * (so that "a NOT LIKE b" has LIKE's precedence, as in PostgreSQL).
 */
static int
sl_gram_lex(SL_GRAM_STYPE *lval, SL_GRAM_LTYPE *lloc, sl_parse_state *ps)
{
	int tok;

	if (ps->have_la) {
		ps->have_la = false;
		*lval = ps->la_val;
		*lloc = ps->la_loc;
		tok = ps->la_tok;
	} else {
		tok = sl_yylex(lval, lloc, ps->scanner);
	}
	if (tok == K_NOT) {
		SL_GRAM_STYPE v;
		SL_GRAM_LTYPE l;
		int next = sl_yylex(&v, &l, ps->scanner);
		ps->have_la = true;
		ps->la_tok = next;
		ps->la_val = v;
		ps->la_loc = l;
		if (next == K_BETWEEN || next == K_IN || next == K_LIKE || next == K_SIMILAR)
			tok = NOT_LA;
	}
	ps->prev_tok = ps->last_tok;
	ps->prev_loc = ps->last_loc;
	ps->prev_text = ps->last_text;
	ps->prev_quoted = ps->last_quoted;
	ps->last_tok = tok;
	ps->last_loc = *lloc;
	ps->last_text = tok == IDENT ? lval->str.s : NULL;
	ps->last_quoted = tok == IDENT && lval->str.quoted;
	return tok;
}

static void
sl_gram_error(SL_GRAM_LTYPE *loc, sl_parse_state *ps, const char *msg)
{
	if (strstr(msg, "exhausted"))
		sl_parser_error(ps, SL_ERR_LIMIT, *loc, "statement is too deeply nested");
	else
		sl_parser_error(ps, SL_ERR_SYNTAX, *loc, "%s", msg);
}

/* True for a token whose name is its spelling (keywords, operators);
 * false for descriptive names ("identifier", "end of input"). */
static bool
is_spelled(const char *name)
{
	for (const char *p = name; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || *p == ' ')
			return false;
	return true;
}

static bool
is_keyword_name(const char *name)
{
	return sl_parser_keyword_lookup(name, strlen(name)) >= 0;
}

/* The name of a token for "expected ..." lists: "FROM", "(", identifier. */
static void
append_token_name(sl_strbuf *sb, yysymbol_kind_t sym)
{
	const char *name = yysymbol_name(sym);
	size_t n = strlen(name);

	if (n == 3 && name[0] == '\'' && name[2] == '\'')    /* '(' */
		sl_strbuf_appendf(sb, "\"%c\"", name[1]);
	else if (is_spelled(name))
		sl_strbuf_appendf(sb, "\"%s\"", name);
	else
		sl_strbuf_append(sb, name);
}

static int
yyreport_syntax_error(const yypcontext_t *ctx, sl_parse_state *ps)
{
	enum { MAXEXP = 64 };
	yysymbol_kind_t expected[MAXEXP];
	yysymbol_kind_t tok = yypcontext_token(ctx);
	const SL_GRAM_LTYPE *loc = yypcontext_location(ctx);
	int nexp;
	sl_error *e;

	if (ps->err)   /* a lexical error already reported */
		return 0;
	if (tok == YYSYMBOL_YYEOF) {
		sl_parser_error(ps, SL_ERR_SYNTAX, *loc, "syntax error at end of input");
	} else {
		size_t len = loc->end > loc->start ? loc->end - loc->start : 0;
		const char *text = ps->src + loc->start;
		if (len > 40) {
			sl_parser_error(ps, SL_ERR_SYNTAX, *loc, "syntax error at or near \"%.37s...\"", text);
		} else {
			sl_parser_error(ps, SL_ERR_SYNTAX, *loc, "syntax error at or near \"%.*s\"", (int)len, text);
		}
	}
	e = ps->err;

	nexp = yypcontext_expected_tokens(ctx, expected, MAXEXP);
	if (nexp > 0) {
		sl_strbuf sb = SL_STRBUF_INIT;
		int shown = 0;
		const char *kwcands[MAXEXP];
		size_t nk = 0;

		/* keywords that could be meant, for the hint */
		for (int i = 0; i < nexp; i++) {
			const char *name = yysymbol_name(expected[i]);
			if (is_keyword_name(name))
				kwcands[nk++] = name;
		}
		if (nexp <= 12) {
			sl_strbuf_append(&sb, "Expected ");
			for (int i = 0; i < nexp; i++) {
				if (expected[i] == YYSYMBOL_NOT_LA)
					continue;
				if (shown > 0)
					sl_strbuf_append(&sb, i == nexp - 1 ? " or " : ", ");
				append_token_name(&sb, expected[i]);
				shown++;
			}
			sl_strbuf_append(&sb, ".");
			if (shown)
				sl_error_set_detail(e, "%s", sl_strbuf_str(&sb));
		}
		sl_strbuf_free(&sb);

		if (tok == YYSYMBOL_IDENT && nk > 0) {
			size_t len = loc->end - loc->start;
			char *word = sl_arena_strndup(ps->arena, ps->src + loc->start, len);
			const char *s = sl_suggest(word, kwcands, nk);
			if (s)
				sl_error_set_hint(e, "did you mean \"%s\"?", s);
		}
	}

	/* "SELECT a FROM t WHER a > 1": WHER was taken as an alias, the error
	 * is at the next token; suggest the clause keyword for the alias */
	if (!e->hint && ps->prev_tok == IDENT && ps->prev_text && !ps->prev_quoted &&
	    ps->last_loc.start == loc->start) {
		static const char *const clause_kws[] = {
			"FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "JOIN", "UNION",
			"WINDOW", "SELECT", "LEFT", "RIGHT", "INNER", "CROSS", "FULL", "ON",
		};
		const char *s = sl_suggest(ps->prev_text, clause_kws, SL_ARRAY_LEN(clause_kws));
		if (s && !sl_streq_ci(s, ps->prev_text))
			sl_error_set_hint(e, "did you mean \"%s\" instead of \"%s\"?", s, ps->prev_text);
	}
	return 0;
}
