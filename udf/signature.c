/*
 * signature.c
 *	  Signature strings of C functions ("BIGINT(s VARCHAR, c VARCHAR)",
 *	  "ROW<word VARCHAR, pos INT>(VARCHAR)") into sl_type descriptors, and
 *	  back into Flink's spelling for messages and DESCRIBE FUNCTION.
 *
 *	  The grammar of a type (and its tokenizer) is planner/types.c's
 *	  sl_type_read, so a signature's "DECIMAL(10, 2)" means what it means
 *	  everywhere else; this file adds the signature around it:
 *
 *	    signature := type '(' [ param { ',' param } ] ')'
 *	    param     := [ name ] type
 *
 *	  ROW is accepted anywhere by the type grammar; a parameter cannot be
 *	  one, and the loader allows it only as a table function's result.
 *
 * INTERFACE ROUTINES
 *	  sl_udf_parse_signature, sl_udf_type_format, sl_udf_abi_type
 *	  sl_udf_sig_parse_, sl_udf_fn_format_, sl_udf_name_ok_ (udf_int.h)
 */
#include "udf/udf_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 64

/* A parameter starts with a name when the first word is not a type, or is
 * one but the next token is a word that begins a type too ("date DATE"). */
static bool
param_has_name(const sl_type_reader *p)
{
	sl_type_tok t = sl_type_reader_peek(p);
	if (t.kind == SL_TTOK_QUOTED)
		return true;
	if (t.kind != SL_TTOK_WORD)
		return false;
	sl_type_tok u = sl_type_reader_peek_at(p, sl_type_tok_end(&t));
	if (!sl_type_tok_starts_type(p, &t))
		return u.kind == SL_TTOK_WORD;    /* else an unknown type, reported as such */
	return u.kind == SL_TTOK_WORD && sl_type_tok_starts_type(p, &u);
}

bool
sl_udf_sig_parse_(sl_arena *a, const char *text, sl_udf_sig *sig, char *why,
                  size_t whylen)
{
	sl_type_reader p = {a, text ? text : "", 0, why, whylen, false};
	memset(sig, 0, sizeof *sig);
	if (!text || !*text)
		return sl_type_reader_fail(&p, 0, "empty signature");
	if (!sl_type_read(&p, &sig->result) || !sl_type_reader_expect(&p, '('))
		return false;
	const sl_type *args[MAX_ARGS];
	const char *names[MAX_ARGS];
	int n = 0;
	if (!sl_type_reader_accept(&p, ')')) {
		do {
			if (n == MAX_ARGS)
				return sl_type_reader_fail(&p, sl_type_reader_peek(&p).start,
				                           "more than %d parameters", MAX_ARGS);
			names[n] = NULL;
			if (param_has_name(&p)) {
				sl_type_tok nt = sl_type_reader_next(&p);
				names[n] = sl_arena_strndup(a, p.text + nt.start, nt.len);
			}
			if (!sl_type_read(&p, &args[n]))
				return false;
			if (args[n]->kind == SL_TYPE_ROW)
				return sl_type_reader_fail(&p, p.pos, "a parameter cannot be a ROW");
			n++;
		} while (sl_type_reader_accept(&p, ','));
		if (!sl_type_reader_expect(&p, ')'))
			return false;
	}
	sl_type_tok end = sl_type_reader_peek(&p);
	if (end.kind != SL_TTOK_END)
		return sl_type_reader_fail(&p, end.start, "unexpected text after the parameters");
	sig->nargs = n;
	sig->args = SL_ANEWN(a, const sl_type *, n ? n : 1);
	sig->argnames = SL_ANEWN(a, const char *, n ? n : 1);
	memcpy(sig->args, args, sizeof(args[0]) * (size_t)n);
	memcpy(sig->argnames, names, sizeof(names[0]) * (size_t)n);
	return true;
}

bool
sl_udf_parse_signature(sl_arena *a, const char *text, sl_udf_sig *sig, sl_error **errp)
{
	char why[256];
	if (sl_udf_sig_parse_(a, text, sig, why, sizeof why))
		return true;
	return sl_fail(errp, SL_ERR_UDF, SL_SPAN_NONE, "malformed signature \"%s\": %s",
	               text ? text : "", why);
}

void
sl_udf_type_format(const sl_type *t, sl_strbuf *out)
{
	/* Flink's spelling is planner/types.c's; intervals are spelled as a
	 * signature declares them. */
	if (t->kind == SL_TYPE_INTERVAL_DT || t->kind == SL_TYPE_INTERVAL_YM) {
		sl_strbuf_append(out, sl_type_kind_name(t->kind));
		if (!t->nullable)
			sl_strbuf_append(out, " NOT NULL");
		return;
	}
	sl_type_to_string(t, out);
}

sluice_udf_type
sl_udf_abi_type(const sl_type *t)
{
	sluice_udf_type r = {SLUICE_UDF_TYPE_INVALID, 0, 0, 0};
	switch (t->kind) {
	case SL_TYPE_BOOLEAN: r.kind = SLUICE_UDF_BOOLEAN; break;
	case SL_TYPE_TINYINT: r.kind = SLUICE_UDF_TINYINT; break;
	case SL_TYPE_SMALLINT: r.kind = SLUICE_UDF_SMALLINT; break;
	case SL_TYPE_INT: r.kind = SLUICE_UDF_INT; break;
	case SL_TYPE_BIGINT: r.kind = SLUICE_UDF_BIGINT; break;
	case SL_TYPE_FLOAT: r.kind = SLUICE_UDF_FLOAT; break;
	case SL_TYPE_DOUBLE: r.kind = SLUICE_UDF_DOUBLE; break;
	case SL_TYPE_DECIMAL: r.kind = SLUICE_UDF_DECIMAL; break;
	case SL_TYPE_CHAR: r.kind = SLUICE_UDF_CHAR; break;
	case SL_TYPE_VARCHAR: r.kind = SLUICE_UDF_VARCHAR; break;
	case SL_TYPE_BYTES: r.kind = SLUICE_UDF_BYTES; break;
	case SL_TYPE_DATE: r.kind = SLUICE_UDF_DATE; break;
	case SL_TYPE_TIME: r.kind = SLUICE_UDF_TIME; break;
	case SL_TYPE_TIMESTAMP: r.kind = SLUICE_UDF_TIMESTAMP; break;
	case SL_TYPE_TIMESTAMP_LTZ: r.kind = SLUICE_UDF_TIMESTAMP_LTZ; break;
	case SL_TYPE_INTERVAL_DT: r.kind = SLUICE_UDF_INTERVAL_DT; break;
	case SL_TYPE_INTERVAL_YM: r.kind = SLUICE_UDF_INTERVAL_YM; break;
	default: return r;
	}
	r.precision = t->precision;
	r.scale = t->scale;
	return r;
}

void
sl_udf_fn_format_(const sl_udf_fn *fn, sl_strbuf *out)
{
	sl_strbuf_appendf(out, "%s(", fn->name);
	for (int i = 0; i < fn->sig.nargs; i++) {
		if (i)
			sl_strbuf_append(out, ", ");
		if (fn->sig.argnames[i])
			sl_strbuf_appendf(out, "%s ", fn->sig.argnames[i]);
		sl_udf_type_format(fn->sig.args[i], out);
	}
	sl_strbuf_append(out, ") -> ");
	sl_udf_type_format(fn->sig.result, out);
}

bool
sl_udf_name_ok_(const char *name)
{
	if (!name || !(isalpha((unsigned char)name[0]) || name[0] == '_'))
		return false;
	size_t n = 0;
	for (const char *c = name; *c; c++, n++)
		if (!(isalnum((unsigned char)*c) || *c == '_'))
			return false;
	return n <= 128;
}
