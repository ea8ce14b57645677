/*
 * parser.c
 *	  The entry point: sl_parse runs the scanner and the grammar over one
 *	  script and hands back the tree or the first error.
 *
 *	  Call tree:
 *	    sl_parse
 *	      check size and UTF-8 (error span: the first bad byte)
 *	      sl_scanner_begin                            (scan.l)
 *	      sl_gram_parse                               (gram.y)
 *	        yylex wrapper -> sl_yylex -> keyword lookup (keywords.c)
 *	        semantic actions -> SL_AST_NEW in ps->arena (node.c)
 *	        yyreport_syntax_error -> sl_parser_error (+ expected, did-you-mean)
 *	      sl_scanner_end
 *
 * INTERFACE ROUTINES
 *	  sl_parse          parse a script
 *	  sl_parser_error   record the first error of a parse (internal)
 */
#include "parser/parser_int.h"

#include <stdarg.h>
#include <string.h>

bool
sl_parser_error(sl_parse_state *ps, sl_errcode code, sl_span span, const char *fmt, ...)
{
	va_list ap;

	if (ps->err)
		return false;
	va_start(ap, fmt);
	ps->err = sl_error_newv(code, span, fmt, ap);
	va_end(ap);
	return false;
}

/* Offset of the first byte that is not part of valid UTF-8, or len. */
static size_t
first_bad_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 2; cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			n = 3; cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			n = 4; cp = c & 0x07;
		} else {
			return i;
		}
		if (i + n > len)
			return i;
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		/* overlong forms, surrogates, beyond U+10FFFF */
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			return i;
		i += n;
	}
	return len;
}

bool
sl_parse(const char *src, size_t len, sl_arena *arena, sl_ast_script **out, sl_error **errp)
{
	return sl_parse_range(src, 0, len, arena, out, errp);
}

bool
sl_parse_range(const char *src, size_t start, size_t end, sl_arena *arena, sl_ast_script **out,
               sl_error **errp)
{
	sl_parse_state ps;
	size_t bad, len = end - start;
	int rc;

	*out = NULL;
	if (len > SL_PARSE_MAX_INPUT) {
		sl_error *e = sl_error_new(SL_ERR_LIMIT, SL_SPAN_NONE,
		                           "input of %zu bytes is too long", len);
		sl_error_set_detail(e, "The parser accepts at most %u bytes.", SL_PARSE_MAX_INPUT);
		if (errp)
			*errp = e;
		else
			sl_error_free(e);
		return false;
	}
	bad = start + first_bad_utf8((const unsigned char *)src + start, len);
	if (bad < end) {
		sl_error *e = sl_error_new(SL_ERR_ENCODING, (sl_span){(uint32_t)bad, (uint32_t)bad + 1},
		                           "invalid UTF-8 byte 0x%02X", (unsigned char)src[bad]);
		sl_error_set_detail(e, "SQL text must be encoded in UTF-8.");
		if (errp)
			*errp = e;
		else
			sl_error_free(e);
		return false;
	}

	memset(&ps, 0, sizeof ps);
	ps.arena = arena;
	ps.src = src;
	ps.len = end;                 /* offsets run from start to end */
	ps.pos = (uint32_t)start;
	sl_scanner_begin(&ps);
	rc = sl_gram_parse(&ps);
	sl_scanner_end(&ps);
	sl_strbuf_free(&ps.lit);

	if (rc != 0 || ps.err || !ps.result) {
		if (!ps.err)
			ps.err = sl_error_new(SL_ERR_SYNTAX, (sl_span){(uint32_t)end, (uint32_t)end},
			                      "syntax error");
		if (errp)
			*errp = ps.err;
		else
			sl_error_free(ps.err);
		return false;
	}
	*out = ps.result;
	return true;
}
