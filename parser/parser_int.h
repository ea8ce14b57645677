/*
 * parser_int.h
 *	  Internals shared by the scanner (scan.l), the grammar (gram.y) and
 *	  parser.c: the per-parse state, the semantic value type, keyword
 *	  lookup and error helpers. Not for other modules.
 *
 *	  One sl_parse_state lives on sl_parse's stack for one call; the flex
 *	  scanner gets it as its "extra" and the bison parser as parse-param.
 *	  All tree memory comes from ps->arena.
 */
#ifndef SL_PARSER_INT_H
#define SL_PARSER_INT_H

#include "parser/parser.h"

/* A token's text: identifiers (name, quoted), keywords (spelling as
 * written), string literals (decoded bytes, len), numbers (as written). */
typedef struct sl_lexstr {
	const char *s;   /* arena copy, NUL-terminated */
	uint32_t len;
	bool quoted;     /* identifiers: written in backquotes */
} sl_lexstr;

/* A list as the grammar builds it; same layout as every SL_F_LIST field. */
typedef struct sl_plist {
	void **items;
	int n;
	int cap;
} sl_plist;

typedef union sl_yystype {
	sl_lexstr str;
	sl_node *node;
	sl_plist list;
	sl_ast_ident ident;
	sl_ast_ident_list idents;
	int ival;
	bool bval;
} sl_yystype;

typedef struct sl_parse_state {
	sl_arena *arena;        /* everything the tree holds */
	const char *src;        /* the text being parsed (from pos, initially) */
	size_t len;             /* offset of its end in src */
	void *scanner;          /* flex yyscan_t */
	uint32_t pos;           /* scanner: byte offset of the next token */
	uint32_t tok_start;     /* scanner: start of a multi-part token */
	sl_strbuf lit;          /* scanner: literal being collected */
	int paren_depth;        /* scanner: open ( and [ */
	bool in_hint;           /* scanner: inside a hint comment */
	uint32_t hint_start;    /* scanner: offset of the open hint */
	sl_error *err;          /* first error, or NULL */
	sl_ast_script *result;  /* set by the start rule */
	/* one-token lookahead of the yylex wrapper (NOT -> NOT_LA) */
	bool have_la;
	int la_tok;
	sl_yystype la_val;
	sl_span la_loc;
	int last_tok;           /* the token returned last (the current one) */
	sl_span last_loc;
	const char *last_text;
	int prev_tok;           /* the token before it (for did-you-mean) */
	sl_span prev_loc;
	const char *prev_text;
	bool prev_quoted;
	bool last_quoted;
} sl_parse_state;

/* Keywords (keywords.c). Returns the token number, or -1. */
int sl_parser_keyword_lookup(const char *word, size_t len);
/* All keyword spellings, for did-you-mean and the fuzz dictionary. */
extern const char *const sl_parser_keywords[];
extern const size_t sl_parser_nkeywords;

/* Record an error (the first one wins) and return false. */
bool sl_parser_error(sl_parse_state *ps, sl_errcode code, sl_span span,
                     const char *fmt, ...) SL_PRINTF(4, 5);

/* Scanner (scan.l, flex prefix sl_yy): set up ps->scanner over ps->src,
 * the next token, tear down. */
void sl_scanner_begin(sl_parse_state *ps);
int sl_yylex(sl_yystype *lval, sl_span *lloc, void *scanner);
void sl_scanner_end(sl_parse_state *ps);

/* Grammar (gram.y, bison prefix sl_gram_). */
int sl_gram_parse(sl_parse_state *ps);

#endif /* SL_PARSER_INT_H */
