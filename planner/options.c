/*
 * options.c
 *	  The option registry built from planner/options.def: WITH-list
 *	  validation, the job configuration behind SET/RESET, Flink-style value
 *	  parsing, and the Markdown of docs/CONFIGURATION.md.
 *
 *	  Validation resolves each key in this order: an exact key of the
 *	  connector, a wildcard key of the connector ("fields.#.kind",
 *	  "properties.*"), a format option behind one of the connector's format
 *	  slots ("json.x", "key.json.x", "value.json.x"). Errors are collected
 *	  (chained through sl_error.next) so a user sees every bad option of a
 *	  statement at once. Nothing here allocates from an arena; validated
 *	  values borrow the caller's strings.
 *
 * INTERFACE ROUTINES
 *	  sl_options_validate, sl_option_values_*   WITH lists
 *	  sl_option_defs, sl_option_def_lookup, sl_connector_exists
 *	  sl_config_*                               job configuration
 *	  sl_parse_duration_ms, sl_parse_memory_size, sl_parse_bool
 *	  sl_options_write_markdown                 docs/CONFIGURATION.md
 */
#include "planner/options.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef SL_VEC(const char *) name_vec;

#define NOMIN (-HUGE_VAL)
#define NOMAX HUGE_VAL

static const sl_option_def option_defs[] = {
#define SL_OPTION(scope, owners, key, type, dflt, min, max, choices, flags, desc) \
	{SL_OPT_SCOPE_##scope, owners, key, SL_OPT_##type, dflt, min, max, choices,  \
	 (flags), desc},
#define REQUIRED SL_OPT_REQUIRED
#include "planner/options.def"
#undef REQUIRED
#undef SL_OPTION
};

/* Every connector, with its format slots (key prefixes of format options:
 * "" for 'format', "key." for 'key.format', "value." for 'value.format'). */
typedef struct connector_info {
	const char *name;
	const char *description;
	bool has_format, has_key_format, has_value_format;
	bool source, sink;        /* can be read / written */
} connector_info;

static const connector_info connectors[] = {
	{"nexmark", "Built-in Nexmark generator: persons, auctions and bids as Flink's nexmark connector declares them, deterministic per seed.", false, false, false, true, false},
	{"datagen", "Random or sequence values per column.", false, false, false, true, false},
	{"filesystem", "Files in a directory; the sink partitions, rolls part files and commits them atomically at checkpoints.", true, false, false, true, true},
	{"kafka", "Kafka topics through librdkafka; offsets in checkpoints; exactly-once sink.", true, true, true, true, true},
	{"upsert-kafka", "Keyed changelog in a Kafka topic: tombstones for deletes.", false, true, true, true, true},
	{"print", "Prints each change as `+I[...]`, `-U[...]`, `+U[...]` or `-D[...]`.", false, false, false, false, true},
	{"blackhole", "Discards everything; for benchmarks.", false, false, false, false, true},
	{"postgres-cdc", "Change data capture from PostgreSQL logical replication (pgoutput).", false, false, false, true, false},
	{"postgres", "Upserts into a PostgreSQL table by primary key, exactly-once.", false, false, false, false, true},
};

static const char *const format_names[] = {"json", "csv", "raw", "debezium-json"};

const sl_option_def *
sl_option_defs(size_t *n)
{
	*n = SL_ARRAY_LEN(option_defs);
	return option_defs;
}

static const connector_info *
find_connector(const char *name)
{
	for (size_t i = 0; i < SL_ARRAY_LEN(connectors); i++)
		if (strcmp(connectors[i].name, name) == 0)
			return &connectors[i];
	return NULL;
}

bool
sl_connector_exists(const char *name)
{
	return find_connector(name) != NULL;
}

bool
sl_connector_can_read(const char *name)
{
	const connector_info *c = find_connector(name);
	return c && c->source;
}

bool
sl_connector_can_write(const char *name)
{
	const connector_info *c = find_connector(name);
	return c && c->sink;
}

bool
sl_option_owned_by(const sl_option_def *def, const char *name)
{
	size_t len = strlen(name);
	for (const char *p = def->owners; *p;) {
		const char *e = strchr(p, ' ');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l == len && strncmp(p, name, len) == 0)
			return true;
		if (!e)
			break;
		p = e + 1;
	}
	return false;
}

static bool
is_wildcard(const char *key)
{
	return strchr(key, '#') != NULL || key[strlen(key) - 1] == '*';
}

/* Does key match pattern? "#" matches one non-empty segment without dots;
 * a trailing "*" matches any non-empty rest. */
static bool
wildcard_match(const char *pat, const char *key)
{
	while (*pat) {
		if (pat[0] == '*' && pat[1] == '\0')
			return *key != '\0';
		if (*pat == '#') {
			const char *k = key;
			while (*k && *k != '.')
				k++;
			if (k == key)
				return false;
			key = k;
			pat++;
			continue;
		}
		if (*pat != *key)
			return false;
		pat++;
		key++;
	}
	return *key == '\0';
}

const sl_option_def *
sl_option_def_lookup(sl_option_scope scope, const char *owner, const char *key)
{
	for (size_t i = 0; i < SL_ARRAY_LEN(option_defs); i++) {
		const sl_option_def *d = &option_defs[i];
		if (d->scope == scope && !is_wildcard(d->key) && strcmp(d->key, key) == 0 &&
		    sl_option_owned_by(d, owner))
			return d;
	}
	for (size_t i = 0; i < SL_ARRAY_LEN(option_defs); i++) {
		const sl_option_def *d = &option_defs[i];
		if (d->scope == scope && is_wildcard(d->key) && wildcard_match(d->key, key) &&
		    sl_option_owned_by(d, owner))
			return d;
	}
	return NULL;
}

/* ---------------------------------------------------------------------
 * Value parsing
 * ------------------------------------------------------------------- */

/* Parse "<digits><spaces><unit>" into a number and a unit. The unit is the
 * rest after optional spaces, lower-cased into unit[]. */
static bool
split_number_unit(const char *s, int64_t *num, char *unit, size_t unitsz)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s < '0' || *s > '9')
		return false;
	int64_t v = 0;
	while (*s >= '0' && *s <= '9') {
		int d = *s - '0';
		if (v > (INT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
		s++;
	}
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = 0;
	while (*s && *s != ' ' && *s != '\t') {
		if (n + 1 >= unitsz)
			return false;
		char c = *s++;
		unit[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	unit[n] = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s)
		return false;
	*num = v;
	return true;
}

static bool
unit_in(const char *unit, const char *list)
{
	size_t len = strlen(unit);
	for (const char *p = list; *p;) {
		const char *e = strchr(p, '|');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l == len && strncmp(p, unit, len) == 0)
			return true;
		if (!e)
			break;
		p = e + 1;
	}
	return false;
}

static bool
mul_checked(int64_t v, int64_t m, int64_t *out)
{
	if (m != 0 && v > INT64_MAX / m)
		return false;
	*out = v * m;
	return true;
}

bool
sl_parse_duration_ms(const char *s, int64_t *ms)
{
	int64_t v;
	char unit[32];
	if (!s || !split_number_unit(s, &v, unit, sizeof unit))
		return false;
	if (!*unit || unit_in(unit, "ms|milli|millis|millisecond|milliseconds"))
		return *ms = v, true;
	if (unit_in(unit, "s|sec|secs|second|seconds"))
		return mul_checked(v, 1000, ms);
	if (unit_in(unit, "m|min|mins|minute|minutes"))
		return mul_checked(v, 60 * 1000, ms);
	if (unit_in(unit, "h|hour|hours"))
		return mul_checked(v, 3600 * 1000, ms);
	if (unit_in(unit, "d|day|days"))
		return mul_checked(v, 86400 * 1000, ms);
	if (unit_in(unit, "us|\xc2\xb5s|micro|micros|microsecond|microseconds"))
		return *ms = v / 1000, true;
	if (unit_in(unit, "ns|nano|nanos|nanosecond|nanoseconds"))
		return *ms = v / 1000000, true;
	return false;
}

bool
sl_parse_memory_size(const char *s, int64_t *bytes)
{
	int64_t v;
	char unit[32];
	if (!s || !split_number_unit(s, &v, unit, sizeof unit))
		return false;
	if (!*unit || unit_in(unit, "b|bytes"))
		return *bytes = v, true;
	if (unit_in(unit, "k|kb|kibibytes"))
		return mul_checked(v, INT64_C(1) << 10, bytes);
	if (unit_in(unit, "m|mb|mebibytes"))
		return mul_checked(v, INT64_C(1) << 20, bytes);
	if (unit_in(unit, "g|gb|gibibytes"))
		return mul_checked(v, INT64_C(1) << 30, bytes);
	if (unit_in(unit, "t|tb|tebibytes"))
		return mul_checked(v, INT64_C(1) << 40, bytes);
	return false;
}

bool
sl_parse_bool(const char *s, bool *b)
{
	if (sl_streq_ci(s, "true"))
		return *b = true, true;
	if (sl_streq_ci(s, "false"))
		return *b = false, true;
	return false;
}

/* Index of value in the '|'-separated choices (case-insensitive), or -1. */
static int
enum_index(const char *choices, const char *value)
{
	size_t len = strlen(value);
	int i = 0;
	for (const char *p = choices; *p; i++) {
		const char *e = strchr(p, '|');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l == len && strncasecmp(p, value, len) == 0)
			return i;
		if (!e)
			break;
		p = e + 1;
	}
	return -1;
}

/* "\"a\", \"b\" and \"c\"" from "a|b|c". */
static void
append_choices(sl_strbuf *sb, const char *choices)
{
	int n = 1;
	for (const char *p = choices; *p; p++)
		n += *p == '|';
	int i = 0;
	for (const char *p = choices;; i++) {
		const char *e = strchr(p, '|');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (i > 0)
			sl_strbuf_append(sb, i == n - 1 ? " and " : ", ");
		sl_strbuf_appendc(sb, '"');
		sl_strbuf_appendn(sb, p, l);
		sl_strbuf_appendc(sb, '"');
		if (!e)
			break;
		p = e + 1;
	}
}

static void
format_bound(sl_strbuf *sb, const sl_option_def *d, double v)
{
	if (d->type == SL_OPT_DURATION)
		sl_strbuf_appendf(sb, "%.0f ms", v);
	else if (d->type == SL_OPT_MEMORY)
		sl_strbuf_appendf(sb, "%.0f bytes", v);
	else
		sl_strbuf_appendf(sb, "%.15g", v);
}

/* The sentence that says what range is allowed: "The value must be
 * between 1 and 1024." */
static void
range_sentence(sl_strbuf *sb, const sl_option_def *d, const char *what)
{
	bool lo = d->min != NOMIN, hi = d->max != NOMAX;
	sl_strbuf_appendf(sb, "The %s must be ", what);
	if (lo && hi && d->min == d->max) {
		format_bound(sb, d, d->min);
	} else if (lo && hi) {
		sl_strbuf_append(sb, "between ");
		format_bound(sb, d, d->min);
		sl_strbuf_append(sb, " and ");
		format_bound(sb, d, d->max);
	} else if (lo) {
		sl_strbuf_append(sb, "at least ");
		format_bound(sb, d, d->min);
	} else {
		sl_strbuf_append(sb, "at most ");
		format_bound(sb, d, d->max);
	}
	sl_strbuf_appendc(sb, '.');
}

/*
 * Parse text as a value of d into v->i / v->d. On failure return an error
 * "invalid value ... for option key" with the reason in detail or hint,
 * spanning value_span.
 */
static sl_error *
parse_value(const sl_option_def *d, const char *key, const char *text, sl_span value_span,
            sl_option_value *v)
{
	sl_strbuf why = SL_STRBUF_INIT;
	bool hint = false;
	bool ok = true;
	double num = 0;
	bool check_range = false;

	switch (d->type) {
	case SL_OPT_STRING: {
		size_t len = strlen(text);
		if (d->min == 1 && d->max == 1 && strcmp(text, "\\t") == 0)
			len = 1; /* '\t' stands for a tab, as Flink's csv options allow */
		v->i = (int64_t)len;
		num = (double)len;
		check_range = true;
		if ((d->min != NOMIN && num < d->min) || (d->max != NOMAX && num > d->max)) {
			if (d->min == 1 && d->max == NOMAX)
				sl_strbuf_append(&why, "The value must not be empty.");
			else if (d->min == d->max && d->min == 1)
				sl_strbuf_append(&why, "The value must be exactly one character.");
			else
				range_sentence(&why, d, "length in bytes");
			ok = false;
		}
		check_range = false;
		break;
	}
	case SL_OPT_INT: {
		errno = 0;
		char *end;
		long long x = strtoll(text, &end, 10);
		if (!*text || *end || errno == ERANGE || text[0] == ' ') {
			sl_strbuf_append(&why, "Expected an integer.");
			ok = false;
		} else {
			v->i = x;
			v->d = (double)x;
			num = (double)x;
			check_range = true;
		}
		break;
	}
	case SL_OPT_DOUBLE: {
		errno = 0;
		char *end;
		double x = strtod(text, &end);
		if (!*text || *end || errno == ERANGE || isnan(x) || text[0] == ' ') {
			sl_strbuf_append(&why, "Expected a number.");
			ok = false;
		} else {
			v->d = x;
			num = x;
			check_range = true;
		}
		break;
	}
	case SL_OPT_BOOL: {
		bool b;
		if (!sl_parse_bool(text, &b)) {
			sl_strbuf_append(&why, "Expected \"true\" or \"false\".");
			ok = false;
		} else {
			v->i = b;
		}
		break;
	}
	case SL_OPT_DURATION:
		if (!sl_parse_duration_ms(text, &v->i)) {
			sl_strbuf_append(&why, "Expected a duration such as \"10 s\", \"500 ms\", \"1 min\" or \"1 h\".");
			ok = false;
		} else {
			num = (double)v->i;
			check_range = true;
		}
		break;
	case SL_OPT_MEMORY:
		if (!sl_parse_memory_size(text, &v->i)) {
			sl_strbuf_append(&why, "Expected a memory size such as \"64 mb\", \"512 kb\" or \"1 gb\".");
			ok = false;
		} else {
			num = (double)v->i;
			check_range = true;
		}
		break;
	case SL_OPT_ENUM: {
		int idx = enum_index(d->choices, text);
		if (idx < 0) {
			sl_strbuf_append(&why, "allowed values are ");
			append_choices(&why, d->choices);
			hint = true;
			ok = false;
		} else {
			v->i = idx;
		}
		break;
	}
	}
	if (ok && check_range &&
	    ((d->min != NOMIN && num < d->min) || (d->max != NOMAX && num > d->max))) {
		range_sentence(&why, d, "value");
		ok = false;
	}
	if (ok) {
		sl_strbuf_free(&why);
		return NULL;
	}
	sl_error *e = sl_error_new(SL_ERR_INVALID_OPTION, value_span,
	                           "invalid value \"%s\" for option \"%s\"", text, key);
	if (hint)
		sl_error_set_hint(e, "%s", sl_strbuf_str(&why));
	else
		sl_error_set_detail(e, "%s", sl_strbuf_str(&why));
	sl_strbuf_free(&why);
	return e;
}

/* ---------------------------------------------------------------------
 * WITH-list validation
 * ------------------------------------------------------------------- */

typedef SL_VEC(sl_option_value) value_vec;

typedef struct validation {
	const connector_info *conn;
	const char *formats[3];       /* chosen format per slot ("", "key.", "value."), or NULL */
	sl_span conn_span;            /* the 'connector' value's span */
	value_vec vals;
	name_vec owned;               /* malloc'ed keys of slot-prefixed defaults */
	sl_error *first, *last;       /* collected errors */
} validation;

static const char *const slot_prefix[3] = {"", "key.", "value."};
static const char *const slot_option[3] = {"format", "key.format", "value.format"};

static void
add_error(validation *st, sl_error *e)
{
	if (!st->first)
		st->first = e;
	else
		st->last->next = e;
	st->last = e;
}

static bool
slot_exists(const connector_info *c, int slot)
{
	return slot == 0 ? c->has_format : slot == 1 ? c->has_key_format : c->has_value_format;
}

/* Candidate keys for a did-you-mean over this connector's options and the
 * options of its chosen formats (with their slot prefixes). Strings are
 * malloc'ed into *owned when built. */
static void
collect_candidates(const validation *st, name_vec *cands, name_vec *owned)
{
	for (size_t i = 0; i < SL_ARRAY_LEN(option_defs); i++) {
		const sl_option_def *d = &option_defs[i];
		if (d->scope == SL_OPT_SCOPE_CONNECTOR && !is_wildcard(d->key) &&
		    sl_option_owned_by(d, st->conn->name))
			sl_vec_push(cands, d->key);
	}
	sl_vec_push(cands, "connector");
	for (int slot = 0; slot < 3; slot++) {
		if (!st->formats[slot])
			continue;
		for (size_t i = 0; i < SL_ARRAY_LEN(option_defs); i++) {
			const sl_option_def *d = &option_defs[i];
			if (d->scope != SL_OPT_SCOPE_FORMAT || !sl_option_owned_by(d, st->formats[slot]))
				continue;
			char *k = sl_xmalloc(strlen(slot_prefix[slot]) + strlen(d->key) + 1);
			strcpy(k, slot_prefix[slot]);
			strcat(k, d->key);
			sl_vec_push(owned, k);
			sl_vec_push(cands, k);
		}
	}
}

static void
set_did_you_mean(sl_error *e, const char *name, const char *const *cands, size_t n)
{
	const char *s = sl_suggest(name, cands, n);
	if (s)
		sl_error_set_hint(e, "did you mean \"%s\"?", s);
}

static void
unknown_option(validation *st, const sl_option_kv *kv, const char *format, int slot)
{
	sl_error *e;
	if (format)
		e = sl_error_new(SL_ERR_UNKNOWN_OPTION, kv->key_span,
		                 "unknown option \"%s\" for format \"%s\"", kv->key, format);
	else
		e = sl_error_new(SL_ERR_UNKNOWN_OPTION, kv->key_span,
		                 "unknown option \"%s\" for connector \"%s\"", kv->key, st->conn->name);
	name_vec cands = {0}, owned = {0};
	if (format) {
		/* Only the options of that format, in that slot. */
		for (size_t i = 0; i < SL_ARRAY_LEN(option_defs); i++) {
			const sl_option_def *d = &option_defs[i];
			if (d->scope != SL_OPT_SCOPE_FORMAT || !sl_option_owned_by(d, format))
				continue;
			char *k = sl_xmalloc(strlen(slot_prefix[slot]) + strlen(d->key) + 1);
			strcpy(k, slot_prefix[slot]);
			strcat(k, d->key);
			sl_vec_push(&owned, k);
			sl_vec_push(&cands, k);
		}
	} else {
		collect_candidates(st, &cands, &owned);
	}
	set_did_you_mean(e, kv->key, cands.v, cands.n);
	if (!e->hint)
		sl_error_set_hint(e, "The options of %s \"%s\" are listed in docs/CONFIGURATION.md.",
		                  format ? "format" : "connector", format ? format : st->conn->name);
	for (size_t i = 0; i < owned.n; i++)
		free((void *)owned.v[i]);
	sl_vec_free(&owned);
	sl_vec_free(&cands);
	add_error(st, e);
}

/* Resolve kv->key for this connector: the definition, or NULL after
 * reporting an error. */
static const sl_option_def *
resolve_key(validation *st, const sl_option_kv *kv)
{
	const sl_option_def *d =
	    sl_option_def_lookup(SL_OPT_SCOPE_CONNECTOR, st->conn->name, kv->key);
	if (d)
		return d;

	/* A format option behind a slot: [key.|value.]<format>.<rest>. Try the
	 * longest slot prefix first so "value.json.x" is not read as slot "". */
	for (int slot = 2; slot >= 0; slot--) {
		const char *p = slot_prefix[slot];
		size_t pl = strlen(p);
		if (strncmp(kv->key, p, pl) != 0)
			continue;
		const char *rest = kv->key + pl;
		for (size_t f = 0; f < SL_ARRAY_LEN(format_names); f++) {
			size_t fl = strlen(format_names[f]);
			if (strncmp(rest, format_names[f], fl) != 0 || rest[fl] != '.')
				continue;
			if (!slot_exists(st->conn, slot))
				break; /* e.g. "key.json.x" on filesystem: unknown */
			const char *chosen = st->formats[slot];
			if (!chosen || strcmp(chosen, format_names[f]) != 0) {
				sl_error *e = sl_error_new(SL_ERR_INVALID_OPTION, kv->key_span,
				                           "option \"%s\" does not apply to format \"%s\"",
				                           kv->key, chosen ? chosen : "(none)");
				if (chosen)
					sl_error_set_hint(e, "It is an option of format \"%s\"; \"%s\" is \"%s\".",
					                  format_names[f], slot_option[slot], chosen);
				else
					sl_error_set_hint(e, "It is an option of format \"%s\"; set \"%s\" = \"%s\" to use it.",
					                  format_names[f], slot_option[slot], format_names[f]);
				add_error(st, e);
				return NULL;
			}
			d = sl_option_def_lookup(SL_OPT_SCOPE_FORMAT, chosen, rest);
			if (d)
				return d;
			unknown_option(st, kv, chosen, slot);
			return NULL;
		}
	}
	unknown_option(st, kv, NULL, 0);
	return NULL;
}

static const sl_option_value *
values_find(const value_vec *vals, const char *key)
{
	for (size_t i = 0; i < vals->n; i++)
		if (strcmp(vals->v[i].key, key) == 0)
			return &vals->v[i];
	return NULL;
}

static void
missing(validation *st, const char *key, const char *detail)
{
	sl_error *e = sl_error_new(SL_ERR_MISSING_OPTION, st->conn_span,
	                           "missing required option \"%s\" for connector \"%s\"", key,
	                           st->conn->name);
	if (detail)
		sl_error_set_detail(e, "%s", detail);
	add_error(st, e);
}

static void
conflict(validation *st, const char *a, const char *b)
{
	const sl_option_value *vb = values_find(&st->vals, b);
	sl_error *e = sl_error_new(SL_ERR_INVALID_OPTION, vb ? vb->key_span : st->conn_span,
	                           "options \"%s\" and \"%s\" cannot both be set", a, b);
	add_error(st, e);
}

/* Cross-option rules that one row of the table cannot express. */
static void
check_rules(validation *st)
{
	const char *c = st->conn->name;
	const value_vec *vals = &st->vals;
	bool is_kafka = strcmp(c, "kafka") == 0, is_upsert = strcmp(c, "upsert-kafka") == 0;

	if (is_kafka || is_upsert) {
		bool t = values_find(vals, "topic"), tp = values_find(vals, "topic-pattern");
		if (t && tp)
			conflict(st, "topic", "topic-pattern");
		else if (!t && !tp)
			missing(st, "topic", "Set \"topic\" (or \"topic-pattern\" for a source).");
	}
	if (is_kafka) {
		bool f = values_find(vals, "format"), vf = values_find(vals, "value.format");
		if (f && vf)
			conflict(st, "format", "value.format");
		else if (!f && !vf)
			missing(st, "format", "Set \"format\" (or \"value.format\").");
		bool kf = values_find(vals, "key.format"), kfs = values_find(vals, "key.fields");
		if (kf && !kfs)
			missing(st, "key.fields", "It is required when \"key.format\" is set.");
		static const char *const modes[][3] = {
		    {"scan.startup.mode", "timestamp", "scan.startup.timestamp-millis"},
		    {"scan.startup.mode", "specific-offsets", "scan.startup.specific-offsets"},
		    {"scan.bounded.mode", "timestamp", "scan.bounded.timestamp-millis"},
		    {"scan.bounded.mode", "specific-offsets", "scan.bounded.specific-offsets"},
		};
		for (size_t i = 0; i < SL_ARRAY_LEN(modes); i++) {
			const sl_option_value *m = values_find(vals, modes[i][0]);
			if (m && sl_streq_ci(m->text, modes[i][1]) && !values_find(vals, modes[i][2])) {
				char detail[128];
				snprintf(detail, sizeof detail, "It is required when \"%s\" is \"%s\".",
				         modes[i][0], modes[i][1]);
				missing(st, modes[i][2], detail);
			}
		}
	}
	const sl_option_value *oe = values_find(vals, "format.on-error");
	if (oe && !oe->is_default && sl_streq_ci(oe->text, "dlq") &&
	    !values_find(vals, "dlq.topic") && !values_find(vals, "dlq.path")) {
		const char *target = strcmp(c, "filesystem") == 0 ? "dlq.path" : "dlq.topic";
		missing(st, target, "A dead-letter target (\"dlq.topic\" or \"dlq.path\") is required when \"format.on-error\" is \"dlq\".");
	}
	if (strcmp(c, "nexmark") == 0) {
		const sl_option_value *f = values_find(vals, "first-event.rate");
		const sl_option_value *n = values_find(vals, "next-event.rate");
		if (f && n && f->i != n->i) {
			sl_error *e = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, n->value_span,
			                           "option \"next-event.rate\" must equal \"first-event.rate\"");
			sl_error_set_detail(e, "sluice generates events at one constant event-time rate.");
			add_error(st, e);
		}
	}
}

/* Append the defaults of the options of owner in scope that were not
 * given, with key prefix (a format slot). */
static void
add_defaults(validation *st, sl_option_scope scope, const char *owner, const char *prefix)
{
	for (size_t i = 0; i < SL_ARRAY_LEN(option_defs); i++) {
		const sl_option_def *d = &option_defs[i];
		if (d->scope != scope || !d->dflt || is_wildcard(d->key) ||
		    !sl_option_owned_by(d, owner))
			continue;
		const char *key = d->key;
		char buf[256];
		if (*prefix) {
			snprintf(buf, sizeof buf, "%s%s", prefix, d->key);
			key = buf;
		}
		if (values_find(&st->vals, key))
			continue;
		sl_option_value v = {.def = d, .key = d->key, .text = d->dflt, .is_default = true,
		                     .key_span = SL_SPAN_NONE, .value_span = SL_SPAN_NONE};
		if (*prefix) {
			char *k = sl_xstrdup(key); /* owned by the result */
			sl_vec_push(&st->owned, k);
			v.key = k;
		}
		sl_error *e = parse_value(d, v.key, d->dflt, SL_SPAN_NONE, &v);
		SL_ASSERT(e == NULL); /* defaults in options.def must parse */
		sl_vec_push(&st->vals, v);
	}
}

bool
sl_options_validate(const char *connector, const sl_option_kv *kvs, int n,
                    sl_option_values *out, sl_error **errp)
{
	validation st = {0};
	st.conn_span = SL_SPAN_NONE;
	memset(out, 0, sizeof *out);

	/* The connector: given, or from the list. */
	const sl_option_kv *conn_kv = NULL;
	for (int i = 0; i < n; i++)
		if (strcmp(kvs[i].key, "connector") == 0) {
			conn_kv = &kvs[i];
			break;
		}
	if (conn_kv)
		st.conn_span = conn_kv->value_span;
	if (!connector)
		connector = conn_kv ? conn_kv->value : NULL;
	if (!connector) {
		return sl_fail(errp, SL_ERR_MISSING_OPTION, SL_SPAN_NONE,
		               "missing required option \"connector\"");
	}
	st.conn = find_connector(connector);
	if (!st.conn) {
		sl_error *e = sl_error_new(SL_ERR_INVALID_OPTION, st.conn_span,
		                           "unknown connector \"%s\"", connector);
		const char *names[SL_ARRAY_LEN(connectors)];
		for (size_t i = 0; i < SL_ARRAY_LEN(connectors); i++)
			names[i] = connectors[i].name;
		set_did_you_mean(e, connector, names, SL_ARRAY_LEN(names));
		if (!e->hint) {
			sl_strbuf sb = SL_STRBUF_INIT;
			for (size_t i = 0; i < SL_ARRAY_LEN(connectors); i++) {
				if (i)
					sl_strbuf_append(&sb, i + 1 == SL_ARRAY_LEN(connectors) ? " and " : ", ");
				sl_strbuf_appendf(&sb, "\"%s\"", connectors[i].name);
			}
			sl_error_set_hint(e, "Known connectors are %s.", sl_strbuf_str(&sb));
			sl_strbuf_free(&sb);
		}
		if (errp)
			*errp = e;
		else
			sl_error_free(e);
		return false;
	}
	out->connector = connector;

	/* Format slots first: format options depend on them. */
	for (int slot = 0; slot < 3; slot++) {
		if (!slot_exists(st.conn, slot))
			continue;
		for (int i = 0; i < n; i++) {
			if (strcmp(kvs[i].key, slot_option[slot]) != 0)
				continue;
			for (size_t f = 0; f < SL_ARRAY_LEN(format_names); f++)
				if (sl_streq_ci(kvs[i].value, format_names[f]))
					st.formats[slot] = format_names[f];
		}
	}

	for (int i = 0; i < n; i++) {
		const sl_option_kv *kv = &kvs[i];
		bool dup = false;
		for (int j = 0; j < i; j++)
			if (strcmp(kvs[j].key, kv->key) == 0)
				dup = true;
		if (dup) {
			add_error(&st, sl_error_new(SL_ERR_INVALID_OPTION, kv->key_span,
			                            "duplicate option \"%s\"", kv->key));
			continue;
		}
		if (kv == conn_kv)
			continue;
		if (!kv->value) {
			add_error(&st, sl_error_new(SL_ERR_INVALID_OPTION, kv->key_span,
			                            "option \"%s\" has no value", kv->key));
			continue;
		}
		const sl_option_def *d = resolve_key(&st, kv);
		if (!d)
			continue;
		sl_option_value v = {.def = d, .key = kv->key, .text = kv->value,
		                     .key_span = kv->key_span, .value_span = kv->value_span};
		sl_error *e = parse_value(d, kv->key, kv->value, kv->value_span, &v);
		if (e) {
			add_error(&st, e);
			continue;
		}
		sl_vec_push(&st.vals, v);
	}

	/* Required options. */
	for (size_t i = 0; i < SL_ARRAY_LEN(option_defs); i++) {
		const sl_option_def *d = &option_defs[i];
		if (d->scope == SL_OPT_SCOPE_CONNECTOR && (d->flags & SL_OPT_REQUIRED) &&
		    sl_option_owned_by(d, st.conn->name) && !values_find(&st.vals, d->key)) {
			/* A required option given with a bad value was reported already. */
			bool given = false;
			for (int j = 0; j < n; j++)
				if (strcmp(kvs[j].key, d->key) == 0)
					given = true;
			if (!given)
				missing(&st, d->key, NULL);
		}
	}
	if (!st.first) {
		add_defaults(&st, SL_OPT_SCOPE_CONNECTOR, st.conn->name, "");
		check_rules(&st);
	}
	if (st.first) {
		sl_vec_free(&st.vals);
		for (size_t i = 0; i < st.owned.n; i++)
			free((void *)st.owned.v[i]);
		sl_vec_free(&st.owned);
		out->connector = NULL;
		if (errp)
			*errp = st.first;
		else
			sl_error_free(st.first);
		return false;
	}
	for (int slot = 0; slot < 3; slot++)
		if (st.formats[slot])
			add_defaults(&st, SL_OPT_SCOPE_FORMAT, st.formats[slot], slot_prefix[slot]);
	out->n = st.vals.n;
	out->v = st.vals.v;
	out->owned = (char **)st.owned.v;
	out->nowned = st.owned.n;
	return true;
}

void
sl_option_values_free(sl_option_values *vals)
{
	free(vals->v);
	for (size_t i = 0; i < vals->nowned; i++)
		free(vals->owned[i]);
	free(vals->owned);
	vals->v = NULL;
	vals->n = 0;
	vals->owned = NULL;
	vals->nowned = 0;
}

const sl_option_value *
sl_option_values_find(const sl_option_values *vals, const char *key)
{
	for (size_t i = 0; i < vals->n; i++)
		if (strcmp(vals->v[i].key, key) == 0)
			return &vals->v[i];
	return NULL;
}

const char *
sl_option_values_str(const sl_option_values *vals, const char *key)
{
	const sl_option_value *v = sl_option_values_find(vals, key);
	return v ? v->text : NULL;
}

int64_t
sl_option_values_int(const sl_option_values *vals, const char *key, int64_t dflt)
{
	const sl_option_value *v = sl_option_values_find(vals, key);
	return v ? v->i : dflt;
}

bool
sl_option_values_bool(const sl_option_values *vals, const char *key, bool dflt)
{
	const sl_option_value *v = sl_option_values_find(vals, key);
	return v ? v->i != 0 : dflt;
}

/* ---------------------------------------------------------------------
 * Job configuration
 * ------------------------------------------------------------------- */

typedef struct config_entry {
	const sl_option_def *def;
	char *value;   /* malloc'ed text as SET */
	int64_t i;     /* parsed */
} config_entry;

struct sl_config {
	SL_VEC(config_entry) set; /* one entry per SET key */
};

sl_config *
sl_config_new(void)
{
	return sl_xcalloc(1, sizeof(sl_config));
}

void
sl_config_free(sl_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->set.n; i++)
		free(cfg->set.v[i].value);
	sl_vec_free(&cfg->set);
	free(cfg);
}

static sl_error *
unknown_job_option(const char *key, sl_span key_span)
{
	sl_error *e = sl_error_new(SL_ERR_UNKNOWN_OPTION, key_span, "unknown option \"%s\"", key);
	name_vec cands = {0};
	for (size_t i = 0; i < SL_ARRAY_LEN(option_defs); i++)
		if (option_defs[i].scope == SL_OPT_SCOPE_JOB)
			sl_vec_push(&cands, option_defs[i].key);
	set_did_you_mean(e, key, cands.v, cands.n);
	if (!e->hint)
		sl_error_set_hint(e, "The job options are listed in docs/CONFIGURATION.md.");
	sl_vec_free(&cands);
	return e;
}

static config_entry *
config_find(const sl_config *cfg, const char *key)
{
	for (size_t i = 0; i < cfg->set.n; i++)
		if (strcmp(cfg->set.v[i].def->key, key) == 0)
			return &cfg->set.v[i];
	return NULL;
}

static bool
report(sl_error **errp, sl_error *e)
{
	if (errp)
		*errp = e;
	else
		sl_error_free(e);
	return false;
}

bool
sl_config_set(sl_config *cfg, const char *key, const char *value, sl_span key_span,
              sl_span value_span, sl_error **errp)
{
	const sl_option_def *d = sl_option_def_lookup(SL_OPT_SCOPE_JOB, "job", key);
	if (!d)
		return report(errp, unknown_job_option(key, key_span));
	sl_option_value v = {0};
	sl_error *e = parse_value(d, d->key, value, value_span, &v);
	if (e)
		return report(errp, e);
	config_entry *ce = config_find(cfg, d->key);
	if (!ce) {
		config_entry n = {.def = d};
		sl_vec_push(&cfg->set, n);
		ce = &cfg->set.v[cfg->set.n - 1];
	}
	free(ce->value);
	ce->value = sl_xstrdup(value);
	ce->i = v.i;
	return true;
}

bool
sl_config_reset(sl_config *cfg, const char *key, sl_span key_span, sl_error **errp)
{
	if (!key) {
		for (size_t i = 0; i < cfg->set.n; i++)
			free(cfg->set.v[i].value);
		cfg->set.n = 0;
		return true;
	}
	const sl_option_def *d = sl_option_def_lookup(SL_OPT_SCOPE_JOB, "job", key);
	if (!d)
		return report(errp, unknown_job_option(key, key_span));
	config_entry *ce = config_find(cfg, d->key);
	if (ce) {
		free(ce->value);
		size_t idx = (size_t)(ce - cfg->set.v);
		memmove(ce, ce + 1, (cfg->set.n - idx - 1) * sizeof *ce);
		cfg->set.n--;
	}
	return true;
}

bool
sl_config_is_set(const sl_config *cfg, const char *key)
{
	return config_find(cfg, key) != NULL;
}

const char *
sl_config_get(const sl_config *cfg, const char *key)
{
	const config_entry *ce = config_find(cfg, key);
	if (ce)
		return ce->value;
	const sl_option_def *d = sl_option_def_lookup(SL_OPT_SCOPE_JOB, "job", key);
	return d ? d->dflt : NULL;
}

int64_t
sl_config_get_int(const sl_config *cfg, const char *key, int64_t dflt)
{
	const config_entry *ce = config_find(cfg, key);
	if (ce)
		return ce->i;
	const sl_option_def *d = sl_option_def_lookup(SL_OPT_SCOPE_JOB, "job", key);
	if (!d || !d->dflt)
		return dflt;
	sl_option_value v = {0};
	sl_error *e = parse_value(d, d->key, d->dflt, SL_SPAN_NONE, &v);
	SL_ASSERT(e == NULL);
	return v.i;
}

static int
cmp_defs_by_key(const void *a, const void *b)
{
	const sl_option_def *x = *(const sl_option_def *const *)a;
	const sl_option_def *y = *(const sl_option_def *const *)b;
	return strcmp(x->key, y->key);
}

void
sl_config_show(const sl_config *cfg, bool all, sl_strbuf *out)
{
	SL_VEC(const sl_option_def *) keys = {0};
	for (size_t i = 0; i < SL_ARRAY_LEN(option_defs); i++) {
		const sl_option_def *d = &option_defs[i];
		if (d->scope != SL_OPT_SCOPE_JOB)
			continue;
		if (config_find(cfg, d->key) || (all && d->dflt))
			sl_vec_push(&keys, d);
	}
	if (keys.n)
		qsort(keys.v, keys.n, sizeof keys.v[0], cmp_defs_by_key);
	for (size_t i = 0; i < keys.n; i++) {
		const char *val = sl_config_get(cfg, keys.v[i]->key);
		sl_strbuf_appendf(out, "'%s' = '", keys.v[i]->key);
		for (const char *p = val; *p; p++) {
			if (*p == '\'')
				sl_strbuf_appendc(out, '\'');
			sl_strbuf_appendc(out, *p);
		}
		sl_strbuf_append(out, "'\n");
	}
	sl_vec_free(&keys);
}

/* ---------------------------------------------------------------------
 * docs/CONFIGURATION.md
 * ------------------------------------------------------------------- */

static const char *
type_name(const sl_option_def *d)
{
	switch (d->type) {
	case SL_OPT_STRING: return "string";
	case SL_OPT_INT: return "integer";
	case SL_OPT_DOUBLE: return "number";
	case SL_OPT_BOOL: return "boolean";
	case SL_OPT_DURATION: return "duration";
	case SL_OPT_MEMORY: return "memory size";
	case SL_OPT_ENUM: return "enum";
	}
	return "?";
}

/* Markdown table cell text: '|' escaped. */
static void
append_cell(sl_strbuf *out, const char *s)
{
	for (const char *p = s; *p; p++) {
		if (*p == '|')
			sl_strbuf_append(out, "\\|");
		else
			sl_strbuf_appendc(out, *p);
	}
}

static void
append_range(sl_strbuf *out, const sl_option_def *d)
{
	bool lo = d->min != NOMIN, hi = d->max != NOMAX;
	if (d->type == SL_OPT_ENUM) {
		for (const char *p = d->choices; *p; p++) {
			if (p == d->choices)
				sl_strbuf_appendc(out, '`');
			if (*p == '|')
				sl_strbuf_append(out, "`, `");
			else
				sl_strbuf_appendc(out, *p);
		}
		sl_strbuf_appendc(out, '`');
		return;
	}
	if (!lo && !hi)
		return;
	if (d->type == SL_OPT_STRING) {
		if (lo && hi && d->min == d->max)
			sl_strbuf_appendf(out, "length %.0f", d->min);
		else if (lo && !hi && d->min == 1)
			sl_strbuf_append(out, "non-empty");
		else if (lo && hi)
			sl_strbuf_appendf(out, "length %.0f..%.0f", d->min, d->max);
		else if (lo)
			sl_strbuf_appendf(out, "length >= %.0f", d->min);
		else
			sl_strbuf_appendf(out, "length <= %.0f", d->max);
		return;
	}
	const char *unit = d->type == SL_OPT_DURATION ? " ms" : d->type == SL_OPT_MEMORY ? " bytes" : "";
	if (lo && hi)
		sl_strbuf_appendf(out, "%.15g..%.15g%s", d->min, d->max, unit);
	else if (lo)
		sl_strbuf_appendf(out, ">= %.15g%s", d->min, unit);
	else
		sl_strbuf_appendf(out, "<= %.15g%s", d->max, unit);
}

static void
write_table(sl_strbuf *out, sl_option_scope scope, const char *owner)
{
	sl_strbuf_append(out, "| key | type | default | range / values | description |\n");
	sl_strbuf_append(out, "|---|---|---|---|---|\n");
	for (size_t i = 0; i < SL_ARRAY_LEN(option_defs); i++) {
		const sl_option_def *d = &option_defs[i];
		if (d->scope != scope || !sl_option_owned_by(d, owner))
			continue;
		sl_strbuf_appendf(out, "| `%s` | %s | ", d->key, type_name(d));
		if (d->dflt) {
			sl_strbuf_append(out, "`");
			append_cell(out, d->dflt);
			sl_strbuf_append(out, "`");
		} else if (d->flags & SL_OPT_REQUIRED) {
			sl_strbuf_append(out, "**required**");
		} else {
			sl_strbuf_append(out, "(none)");
		}
		sl_strbuf_append(out, " | ");
		append_range(out, d);
		sl_strbuf_append(out, " | ");
		append_cell(out, d->description);
		sl_strbuf_append(out, " |\n");
	}
	sl_strbuf_append(out, "\n");
}

void
sl_options_write_markdown(sl_strbuf *out)
{
	sl_strbuf_append(out,
	    "# Configuration\n\n"
	    "<!-- Generated from planner/options.def by `make update-config-doc`; do not edit.\n"
	    "     tests/unit/0252-config-doc checks that this file is up to date. -->\n\n"
	    "Every option sluice accepts. Keys follow Apache Flink's names where Flink has\n"
	    "one; options whose description starts with \"sluice:\" are ours. Unknown keys and bad values are\n"
	    "errors, with a did-you-mean for near misses.\n\n"
	    "- **Job options** are set with `SET 'key' = 'value';` (and `RESET 'key';`);\n"
	    "  `SET;` lists the options that were set.\n"
	    "- **Connector options** go in a table's `WITH (...)` list next to\n"
	    "  `'connector' = '...'`. In keys, `#` stands for a column name and a\n"
	    "  trailing `*` for any rest.\n"
	    "- **Format options** take the format's name as prefix (`'json.ignore-parse-errors'`)\n"
	    "  and apply when the connector's `'format'` names that format; behind\n"
	    "  `'key.format'` and `'value.format'` they take a further `key.` or `value.`\n"
	    "  prefix (`'value.json.fail-on-missing-field'`).\n\n"
	    "Value types: a **duration** is a number and a unit, with or without a space\n"
	    "(`500 ms`, `10s`, `1 min`, `2 h`, `1 d`; no unit means milliseconds); a\n"
	    "**memory size** is a number and a 1024-based unit (`512 kb`, `64mb`, `1 gb`;\n"
	    "no unit means bytes); a **boolean** is `true` or `false`; **enum** values\n"
	    "are case-insensitive.\n\n");

	sl_strbuf_append(out, "## Job options\n\n");
	write_table(out, SL_OPT_SCOPE_JOB, "job");

	sl_strbuf_append(out, "## Connectors\n\n");
	for (size_t c = 0; c < SL_ARRAY_LEN(connectors); c++) {
		const connector_info *ci = &connectors[c];
		sl_strbuf_appendf(out, "### `%s`\n\n%s Use: %s.", ci->name, ci->description,
		                  ci->source && ci->sink ? "source and sink" : ci->source ? "source" : "sink");
		if (ci->has_format || ci->has_key_format || ci->has_value_format) {
			sl_strbuf_append(out, " Format slots:");
			int k = 0;
			for (int slot = 0; slot < 3; slot++)
				if (slot_exists(ci, slot))
					sl_strbuf_appendf(out, "%s `%s`", k++ ? "," : "", slot_option[slot]);
			sl_strbuf_append(out, ".");
		}
		sl_strbuf_append(out, "\n\n");
		bool any = false;
		for (size_t i = 0; i < SL_ARRAY_LEN(option_defs); i++)
			if (option_defs[i].scope == SL_OPT_SCOPE_CONNECTOR &&
			    sl_option_owned_by(&option_defs[i], ci->name))
				any = true;
		if (any)
			write_table(out, SL_OPT_SCOPE_CONNECTOR, ci->name);
		else
			sl_strbuf_append(out, "No options besides `'connector'`.\n\n");
	}

	sl_strbuf_append(out, "## Formats\n\n");
	for (size_t f = 0; f < SL_ARRAY_LEN(format_names); f++) {
		sl_strbuf_appendf(out, "### `%s`\n\n", format_names[f]);
		write_table(out, SL_OPT_SCOPE_FORMAT, format_names[f]);
	}
}
