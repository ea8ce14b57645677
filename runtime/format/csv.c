/*
 * csv.c
 *	  The csv format (Flink's 'csv'): one record = one line of fields
 *	  separated by 'csv.field-delimiter' (default ','), in record-schema
 *	  order.
 *
 *	  Reading: a field may be quoted with 'csv.quote-character' (default
 *	  '"'; a doubled quote inside stands for one); 'csv.escape-character'
 *	  (default none) makes the next character literal; the field count must
 *	  equal the schema's. NULL is 'csv.null-literal' when set, else an empty
 *	  unquoted field ("" quoted is the empty string). ARRAY fields split on
 *	  'csv.array-element-delimiter' (default ';'). ROW and MAP columns are
 *	  refused (Flink's csv cannot hold them either). With
 *	  'csv.allow-comments' a line starting with '#' yields no row.
 *	  'csv.ignore-parse-errors': a field that does not convert becomes NULL.
 *
 *	  Writing: fields that hold the delimiter, the quote, CR/LF, leading or
 *	  trailing blanks, or are empty strings, are quoted; NULL is the null
 *	  literal or nothing. Timestamps "yyyy-MM-dd HH:mm:ss.SSS" (the column's
 *	  precision), BYTES base64, DECIMAL plain.
 *
 * INTERFACE ROUTINES (through format.h)
 *	  sl_csv_decoder_init, sl_csv_decode, sl_csv_encoder_init, sl_csv_encode
 */
#include "runtime/format/format_int.h"

#include <stdlib.h>
#include <string.h>

static char
opt_char(const sl_format_spec *sp, const char *name, char dflt)
{
	const char *v = sl_fmt_option(sp, name);
	if (!v)
		return dflt;
	if (strcmp(v, "\\t") == 0)
		return '\t';
	return v[0];
}

static bool
check_types(const sl_format_spec *sp, sl_error **errp)
{
	for (int c = 0; c < sp->ncols; c++) {
		const sl_type *t = sp->cols[c].type;
		if (t->kind == SL_TYPE_ARRAY)
			t = t->elem;
		if (!sl_fmt_is_scalar(t) || t->kind == SL_TYPE_INTERVAL_DT || t->kind == SL_TYPE_INTERVAL_YM) {
			char buf[128];
			*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, SL_SPAN_NONE,
			                     "format 'csv' cannot hold column \"%s\" of type %s", sp->cols[c].name,
			                     sl_fmt_type_name(sp->cols[c].type, buf, sizeof buf));
			sl_error_set_hint(*errp, "use 'format' = 'json' for nested rows and maps");
			return false;
		}
	}
	return true;
}

bool
sl_csv_decoder_init(sl_decoder *d, sl_error **errp)
{
	const sl_format_spec *sp = &d->spec;
	if (!check_types(sp, errp))
		return false;
	d->delim = opt_char(sp, "csv.field-delimiter", ',');
	d->quote = sl_fmt_option_bool(sp, "csv.disable-quote-character", false) ? 0
	         : opt_char(sp, "csv.quote-character", '"');
	d->escape = opt_char(sp, "csv.escape-character", 0);
	d->allow_comments = sl_fmt_option_bool(sp, "csv.allow-comments", false);
	d->ignore_parse_errors = sl_fmt_option_bool(sp, "csv.ignore-parse-errors", false);
	d->null_literal = sl_fmt_option(sp, "csv.null-literal");
	d->arr_delim = sl_fmt_option(sp, "csv.array-element-delimiter");
	if (!d->arr_delim || !*d->arr_delim)
		d->arr_delim = ";";
	d->arr_delim_len = strlen(d->arr_delim);
	return true;
}

/* Read one field starting at b[*i]; on return *i is at the delimiter or
 * the end. The field's text is [*fs, *fs + *fn) (pointing into b or into
 * d->scratch). */
static int
read_field(sl_decoder *d, const char *b, size_t n, size_t *i, const char **fs, size_t *fn,
           bool *quoted)
{
	size_t p = *i;
	*quoted = false;
	if (d->quote && p < n && b[p] == d->quote) {
		size_t start = ++p;
		bool simple = true;
		sl_strbuf_reset(&d->scratch);
		for (;;) {
			if (p >= n)
				return sl_fmt_fail(d, start - 1, "unterminated quoted field");
			if (d->escape && b[p] == d->escape && p + 1 < n) {
				if (simple) {
					sl_strbuf_appendn(&d->scratch, b + start, p - start);
					simple = false;
				}
				sl_strbuf_appendc(&d->scratch, b[p + 1]);
				p += 2;
				continue;
			}
			if (b[p] == d->quote) {
				if (p + 1 < n && b[p + 1] == d->quote) {
					if (simple) {
						sl_strbuf_appendn(&d->scratch, b + start, p - start);
						simple = false;
					}
					sl_strbuf_appendc(&d->scratch, d->quote);
					p += 2;
					continue;
				}
				break;
			}
			if (!simple)
				sl_strbuf_appendc(&d->scratch, b[p]);
			p++;
		}
		if (simple) {
			*fs = b + start;
			*fn = p - start;
		} else {
			*fs = d->scratch.data;
			*fn = d->scratch.len;
		}
		p++; /* closing quote */
		if (p < n && b[p] != d->delim)
			return sl_fmt_fail(d, p, "unexpected character '%c' after a closing quote", b[p]);
		*quoted = true;
		*i = p;
		return 0;
	}
	if (d->escape) {
		size_t start = p;
		bool simple = true;
		while (p < n && b[p] != d->delim) {
			if (b[p] == d->escape && p + 1 < n) {
				if (simple) {
					sl_strbuf_reset(&d->scratch);
					sl_strbuf_appendn(&d->scratch, b + start, p - start);
					simple = false;
				}
				sl_strbuf_appendc(&d->scratch, b[p + 1]);
				p += 2;
				continue;
			}
			if (!simple)
				sl_strbuf_appendc(&d->scratch, b[p]);
			p++;
		}
		*fs = simple ? b + start : d->scratch.data;
		*fn = simple ? p - start : d->scratch.len;
		*i = p;
		return 0;
	}
	{
		const char *e = memchr(b + p, d->delim, n - p);
		size_t end = e ? (size_t)(e - b) : n;
		*fs = b + p;
		*fn = end - p;
		*i = end;
	}
	return 0;
}

static int
convert(sl_decoder *d, const sl_format_column *col, const char *s, size_t n, sl_vector *v,
        uint32_t row, sl_chunk *out, size_t pos)
{
	const char *why;
	const sl_type *t = col->type;
	if (t->kind == SL_TYPE_ARRAY) {
		sl_vector *ch = v->children[0];
		uint32_t at = v->child_used;
		size_t p = 0;
		sl_fmt_undo_push(d, v);
		v->offsets[row] = at;
		if (n > 0)
			for (;;) {
				const char *e = NULL;
				size_t en;
				for (size_t k = p; k + d->arr_delim_len <= n; k++)
					if (memcmp(s + k, d->arr_delim, d->arr_delim_len) == 0) {
						e = s + k;
						break;
					}
				en = e ? (size_t)(e - s) - p : n - p;
				sl_vector_reserve_children(v, at + 1);
				if (d->null_literal ? (en == strlen(d->null_literal) && memcmp(s + p, d->null_literal, en) == 0)
				                    : en == 0)
					sl_vec_set_null(ch, at);
				else if (!sl_fmt_scalar_from_text(t->elem, s + p, en, ch, at, &out->heap, &why)) {
					char tb[96];
					if (!d->ignore_parse_errors)
						return sl_fmt_fail(d, pos, "column \"%s\": cannot read array element \"%.*s\" as %s%s%s",
						                   col->name, (int)(en > 64 ? 64 : en), s + p,
						                   sl_fmt_type_name(t->elem, tb, sizeof tb), why ? ": " : "", why ? why : "");
					sl_vec_set_null(ch, at);
				}
				at++;
				if (!e)
					break;
				p = (size_t)(e - s) + d->arr_delim_len;
			}
		v->child_used = at;
		v->offsets[row + 1] = at;
		sl_vec_set_valid(v, row);
		return 0;
	}
	if (!sl_fmt_scalar_from_text(t, s, n, v, row, &out->heap, &why)) {
		char tb[96];
		if (d->ignore_parse_errors) {
			sl_vec_set_null(v, row);
			return 0;
		}
		return sl_fmt_fail(d, pos, "column \"%s\": cannot read \"%.*s\" as %s%s%s", col->name,
		                   (int)(n > 64 ? 64 : n), s, sl_fmt_type_name(t, tb, sizeof tb), why ? ": " : "",
		                   why ? why : "");
	}
	return 0;
}

int
sl_csv_decode(sl_decoder *d, const char *b, size_t n, sl_chunk *out)
{
	const sl_format_spec *sp = &d->spec;
	uint32_t r0 = out->count, r;
	size_t i = 0;
	int f = 0;
	if (d->allow_comments && n > 0 && b[0] == '#')
		return 0;
	r = sl_chunk_append_row(out);
	for (;;) {
		const char *fs = NULL;
		size_t fn = 0, start = i;
		bool quoted;
		if (read_field(d, b, n, &i, &fs, &fn, &quoted) < 0)
			return sl_fmt_rollback(d, out, r0);
		if (f < sp->ncols) {
			bool isnull = d->null_literal ? (fn == strlen(d->null_literal) && memcmp(fs, d->null_literal, fn) == 0)
			                              : (fn == 0 && !quoted);
			for (int k = d->first[f]; k < d->first[f + 1]; k++) {
				sl_vector *v = out->cols[d->tgt[k].out];
				if (isnull)
					sl_vec_set_null(v, r);
				else if (convert(d, &sp->cols[f], fs, fn, v, r, out, start) < 0)
					return sl_fmt_rollback(d, out, r0);
			}
		}
		f++;
		if (i >= n)
			break;
		i++; /* delimiter */
	}
	if (f != sp->ncols) {
		sl_fmt_fail(d, f < sp->ncols ? n : 0, "expected %d fields, found %d", sp->ncols, f);
		return sl_fmt_rollback(d, out, r0);
	}
	return 1;
}

/* ---- writing ----------------------------------------------------------- */
bool
sl_csv_encoder_init(sl_encoder *e, sl_error **errp)
{
	const sl_format_spec *sp = &e->spec;
	if (!check_types(sp, errp))
		return false;
	e->delim = opt_char(sp, "csv.field-delimiter", ',');
	e->quote = sl_fmt_option_bool(sp, "csv.disable-quote-character", false) ? 0
	         : opt_char(sp, "csv.quote-character", '"');
	e->escape = opt_char(sp, "csv.escape-character", 0);
	e->null_literal = sl_fmt_option(sp, "csv.null-literal");
	e->arr_delim = sl_fmt_option(sp, "csv.array-element-delimiter");
	if (!e->arr_delim || !*e->arr_delim)
		e->arr_delim = ";";
	return true;
}

/* Append text [s, s+n) as a csv field, quoted when needed. */
static void
put_field(sl_encoder *e, const char *s, size_t n, sl_strbuf *out)
{
	bool need = n == 0;
	for (size_t i = 0; i < n && !need; i++)
		need = s[i] == e->delim || s[i] == '\n' || s[i] == '\r' || (e->quote && s[i] == e->quote) ||
		       (e->escape && s[i] == e->escape);
	if (n && (s[0] == ' ' || s[n - 1] == ' '))
		need = true;
	if (!need) {
		sl_strbuf_appendn(out, s, n);
		return;
	}
	if (!e->quote) {
		/* no quoting: escape what needs it, or write as is */
		for (size_t i = 0; i < n; i++) {
			if (e->escape && (s[i] == e->delim || s[i] == e->escape || s[i] == '\n'))
				sl_strbuf_appendc(out, e->escape);
			sl_strbuf_appendc(out, s[i]);
		}
		return;
	}
	sl_strbuf_appendc(out, e->quote);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == e->quote)
			sl_strbuf_appendc(out, e->quote);
		else if (e->escape && s[i] == e->escape)
			sl_strbuf_appendc(out, e->escape);
		sl_strbuf_appendc(out, s[i]);
	}
	sl_strbuf_appendc(out, e->quote);
}

bool
sl_csv_encode(sl_encoder *e, const sl_chunk *c, uint32_t row, sl_strbuf *out, sl_error **errp)
{
	const sl_format_spec *sp = &e->spec;
	(void)errp;
	for (int k = 0; k < sp->ncols; k++) {
		const sl_vector *v = c->cols[e->src[k]];
		if (k)
			sl_strbuf_appendc(out, e->delim);
		if (!sl_vec_valid(v, row)) {
			if (e->null_literal)
				sl_strbuf_append(out, e->null_literal);
			continue;
		}
		if (v->type->kind == SL_TYPE_VARCHAR || v->type->kind == SL_TYPE_CHAR) {
			sl_str s = SL_VEC_DATA(v, sl_str)[row];
			put_field(e, s.ptr, s.len, out);
		} else if (v->type->kind == SL_TYPE_ARRAY) {
			/* elements joined by the array delimiter, then quoted as one field */
			size_t at = out->len;
			const sl_vector *ch = v->children[0];
			for (uint32_t j = v->offsets[row]; j < v->offsets[row + 1]; j++) {
				if (j > v->offsets[row])
					sl_strbuf_append(out, e->arr_delim);
				if (sl_vec_valid(ch, j))
					sl_fmt_scalar_to_text(ch, j, false, true, out);
				else if (e->null_literal)
					sl_strbuf_append(out, e->null_literal);
			}
			/* quote the joined text in place when needed */
			{
				size_t n = out->len - at;
				bool need = false;
				for (size_t i = at; i < out->len && !need; i++)
					need = out->data[i] == e->delim || out->data[i] == '\n' || out->data[i] == '\r' ||
					       (e->quote && out->data[i] == e->quote);
				if (need) {
					char *copy = sl_xmalloc(n + 1);
					memcpy(copy, out->data + at, n);
					out->len = at;
					put_field(e, copy, n, out);
					free(copy);
				}
			}
		} else {
			sl_fmt_scalar_to_text(v, row, false, true, out);
		}
	}
	return true;
}
