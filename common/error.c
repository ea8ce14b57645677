/*
 * error.c
 *	  The error object and its rendering with file:line:col, the source
 *	  line and a caret as wide as the span.
 *
 *	  Errors are malloc'ed (they outlive the arenas of the statement that
 *	  failed) and owned by whoever holds the sl_error *; sl_error_free
 *	  frees a whole chain.
 *
 * INTERFACE ROUTINES
 *	  sl_error_new, sl_error_set_detail, sl_error_set_hint, sl_error_free
 *	  sl_fail            set *errp and return false
 *	  sl_error_render    the user-facing text
 *	  sl_source_position byte offset -> line, column
 */
#include "common/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const errcode_names[] = {
#define SL_ERRCODE(sym, name) name,
#include "common/errcodes.def"
#undef SL_ERRCODE
};

const char *
sl_errcode_name(sl_errcode code)
{
	if ((unsigned)code >= SL_ERR__COUNT)
		return "unknown";
	return errcode_names[code];
}

sl_error *
sl_error_newv(sl_errcode code, sl_span span, const char *fmt, va_list ap)
{
	sl_error *e = sl_xcalloc(1, sizeof *e);
	sl_strbuf sb = SL_STRBUF_INIT;

	sl_strbuf_vappendf(&sb, fmt, ap);
	e->code = code;
	e->message = sl_strbuf_take(&sb);
	e->span = span;
	return e;
}

sl_error *
sl_error_new(sl_errcode code, sl_span span, const char *fmt, ...)
{
	va_list ap;
	sl_error *e;

	va_start(ap, fmt);
	e = sl_error_newv(code, span, fmt, ap);
	va_end(ap);
	return e;
}

bool
sl_fail(sl_error **errp, sl_errcode code, sl_span span, const char *fmt, ...)
{
	va_list ap;

	if (!errp)
		return false;
	va_start(ap, fmt);
	*errp = sl_error_newv(code, span, fmt, ap);
	va_end(ap);
	return false;
}

static void
set_text(char **slot, const char *fmt, va_list ap)
{
	sl_strbuf sb = SL_STRBUF_INIT;
	sl_strbuf_vappendf(&sb, fmt, ap);
	free(*slot);
	*slot = sl_strbuf_take(&sb);
}

void
sl_error_set_detail(sl_error *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_text(&e->detail, fmt, ap);
	va_end(ap);
}

void
sl_error_set_hint(sl_error *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_text(&e->hint, fmt, ap);
	va_end(ap);
}

void
sl_error_set_file(sl_error *e, const char *file)
{
	free(e->file);
	e->file = file ? sl_xstrdup(file) : NULL;
}

void
sl_error_free(sl_error *e)
{
	while (e) {
		sl_error *next = e->next;
		free(e->message);
		free(e->detail);
		free(e->hint);
		free(e->file);
		free(e);
		e = next;
	}
}

/* Length of the UTF-8 sequence starting at s[0] (1..4), or 0 if invalid. */
static size_t
utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if (len == 3 && c == 0xE0 && s[1] < 0xA0) return 0;  /* overlong */
	if (len == 3 && c == 0xED && s[1] >= 0xA0) return 0; /* surrogate */
	if (len == 4 && c == 0xF0 && s[1] < 0x90) return 0;  /* overlong */
	if (len == 4 && c == 0xF4 && s[1] >= 0x90) return 0; /* > U+10FFFF */
	return len;
}

bool
sl_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		size_t l = utf8_seq_len(p + i, n - i);
		if (l == 0)
			return false;
		i += l;
	}
	return true;
}

/* Advance over one displayed character from byte i; returns the new i. */
static size_t
next_char(const char *src, size_t end, size_t i)
{
	size_t l = utf8_seq_len((const unsigned char *)src + i, end - i);
	return i + (l ? l : 1);
}

void
sl_source_position(const char *src, size_t srclen, uint32_t off,
                   uint32_t *line, uint32_t *col)
{
	uint32_t ln = 1, cl = 1;
	size_t i = 0;

	if (off > srclen)
		off = (uint32_t)srclen;
	while (i < off) {
		if (src[i] == '\n') {
			ln++;
			cl = 1;
			i++;
		} else {
			i = next_char(src, srclen, i);
			cl++;
		}
	}
	*line = ln;
	*col = cl;
}

#define RENDER_MAX_COLS 160   /* longer lines are shown as a window */
#define RENDER_LEFT_CONTEXT 60

/* Append src[from, to) for display: tabs and control characters become one
 * space or '?', invalid UTF-8 bytes '?'. Returns the number of columns. */
static size_t
append_display(sl_strbuf *out, const char *src, size_t from, size_t to)
{
	size_t cols = 0;
	size_t i = from;

	while (i < to) {
		unsigned char c = (unsigned char)src[i];
		size_t l = utf8_seq_len((const unsigned char *)src + i, to - i);

		if (c == '\t') {
			sl_strbuf_appendc(out, ' ');
			i++;
		} else if (c < 0x20 || c == 0x7F || l == 0) {
			sl_strbuf_appendc(out, '?');
			i++;
		} else {
			sl_strbuf_appendn(out, src + i, l);
			i += l;
		}
		cols++;
	}
	return cols;
}

static size_t
count_cols(const char *src, size_t from, size_t to)
{
	size_t cols = 0;
	for (size_t i = from; i < to; i = next_char(src, to, i))
		cols++;
	return cols;
}

/* Move i back to the start of a UTF-8 character (at most 3 bytes). */
static size_t
char_start(const char *src, size_t lo, size_t i)
{
	for (int k = 0; k < 3 && i > lo && ((unsigned char)src[i] & 0xC0) == 0x80; k++)
		i--;
	return i;
}

void
sl_error_render(const sl_error *e, const char *file, const char *src,
                size_t srclen, sl_strbuf *out)
{
	const char *fname = file ? file : (e->file ? e->file : "<input>");

	for (; e; e = e->next) {
		bool have_pos = src && sl_span_valid(e->span);

		if (have_pos) {
			uint32_t line, col;
			size_t start = SL_MIN((size_t)e->span.start, srclen);
			size_t end = SL_MIN(SL_MAX((size_t)e->span.end, start), srclen);
			size_t ls = start, le = start;
			size_t show_from, show_to, caret_from, caret_cols;

			sl_source_position(src, srclen, (uint32_t)start, &line, &col);
			sl_strbuf_appendf(out, "%s:%u:%u: error: %s\n", fname, line, col, e->message);

			while (ls > 0 && src[ls - 1] != '\n')
				ls--;
			while (le < srclen && src[le] != '\n')
				le++;
			if (end > le)
				end = le; /* a multi-line span is underlined to the end of its first line */

			/* the window of the line to show */
			show_from = ls;
			show_to = le;
			if (count_cols(src, ls, le) > RENDER_MAX_COLS) {
				if (start - ls > RENDER_LEFT_CONTEXT)
					show_from = char_start(src, ls, start - RENDER_LEFT_CONTEXT);
				show_to = SL_MIN(le, show_from + RENDER_MAX_COLS);
				if (show_to < le) /* src[le] may be one past the end of src */
					show_to = char_start(src, show_from, show_to);
				if (show_to < SL_MIN(le, start + 1))
					show_to = SL_MIN(le, start + 1);
			}

			sl_strbuf_append(out, "    ");
			caret_from = 0;
			if (show_from > ls) {
				sl_strbuf_append(out, "...");
				caret_from = 3;
			}
			append_display(out, src, show_from, show_to);
			if (show_to < le)
				sl_strbuf_append(out, "...");
			sl_strbuf_appendc(out, '\n');

			caret_from += count_cols(src, show_from, start);
			caret_cols = count_cols(src, start, SL_MIN(end, show_to));
			if (caret_cols == 0)
				caret_cols = 1;
			sl_strbuf_append(out, "    ");
			for (size_t i = 0; i < caret_from; i++)
				sl_strbuf_appendc(out, ' ');
			for (size_t i = 0; i < caret_cols; i++)
				sl_strbuf_appendc(out, '^');
			sl_strbuf_appendc(out, '\n');
		} else {
			sl_strbuf_appendf(out, "%s: error: %s\n", fname, e->message);
		}
		if (e->detail)
			sl_strbuf_appendf(out, "detail: %s\n", e->detail);
		if (e->hint)
			sl_strbuf_appendf(out, "hint: %s\n", e->hint);
	}
}
