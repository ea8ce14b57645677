/*
 * parser.h
 *	  The parser's public interface: SQL text in, an AST (parser/ast.h) out.
 *
 *	  The parser knows no catalog: it checks syntax only. Everything it
 *	  returns is allocated in the caller's arena and lives as long as it.
 *	  Reentrant: any number of threads may parse at once (each with its own
 *	  arena).
 *
 * INTERFACE ROUTINES
 *	  sl_parse              parse a script of ';'-separated statements
 *	  sl_ast_print          canonical SQL text of a node (re-parses to an equal tree)
 *	  sl_ast_equal          structural equality, ignoring spans
 *	  sl_ast_dump           indented debug tree with field names
 *	  sl_ast_foreach_child  visit the direct child nodes of a node
 */
#ifndef SL_PARSER_PARSER_H
#define SL_PARSER_PARSER_H

#include "common/common.h"
#include "parser/ast.h"

/* Limits enforced by the parser (errors, never crashes). */
#define SL_PARSE_MAX_DEPTH 1000              /* nesting of parentheses/expressions */
#define SL_PARSE_MAX_INPUT (256u << 20)      /* bytes of source text */

/*
 * Parse src[0..len) (need not be NUL-terminated; may contain any bytes)
 * into a script. On success sets *out (allocated in arena) and returns
 * true. On failure returns false and sets *errp (if errp) to an error with
 * code SL_ERR_SYNTAX, SL_ERR_ENCODING or SL_ERR_LIMIT and a span pointing at
 * the offending text; the caller frees it with sl_error_free and renders it
 * with sl_error_render(e, file, src, len, &buf). An empty script (only
 * blanks, comments and ';') is valid and has no statements.
 */
bool sl_parse(const char *src, size_t len, sl_arena *arena, sl_ast_script **out,
              sl_error **errp);
/* As sl_parse over the bytes [start, end) of src, with every span (of the
 * AST and of errors) an offset into src, not into the range: the planner
 * parses one statement of a script at a time, and errors found later (at
 * run time, from a plan's or a table's span) must still point into the
 * script. */
bool sl_parse_range(const char *src, size_t start, size_t end, sl_arena *arena,
                    sl_ast_script **out, sl_error **errp);

/* Append the canonical SQL text of node (any AST node; a script prints
 * its statements each followed by ";\n") to out. */
void sl_ast_print(const void *node, sl_strbuf *out);

/* True when a and b are the same tree (tags and fields), spans ignored.
 * NULL equals only NULL. */
bool sl_ast_equal(const void *a, const void *b);

/* Append an indented tree of node with field names, for debugging. */
void sl_ast_dump(const void *node, sl_strbuf *out);

/* Call fn for each non-NULL direct child node of node, in field order
 * (list fields item by item). Stops early and returns false when fn
 * returns false. */
typedef bool (*sl_ast_visit_fn)(sl_node *child, void *ctx);
bool sl_ast_foreach_child(const void *node, sl_ast_visit_fn fn, void *ctx);

#endif /* SL_PARSER_PARSER_H */
