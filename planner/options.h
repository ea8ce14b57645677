/*
 * options.h
 *	  The option registry: every connector, format and job configuration
 *	  option sluice knows, in one table (planner/options.def), and what is
 *	  built from it: validation of a table's WITH (...) list, the job
 *	  configuration that SET/RESET/SHOW work on, value parsing (durations,
 *	  memory sizes, enums) and the generated docs/CONFIGURATION.md.
 *
 *	  Keys follow Flink's names where Flink has one. A key may hold
 *	  wildcards: "#" stands for one dot-free segment (a column name, as in
 *	  datagen's "fields.#.kind") and a trailing "*" for any non-empty rest
 *	  ("properties.*", passed through to librdkafka).
 *
 *	  Format options are declared once per format with the format's name as
 *	  prefix ("json.ignore-parse-errors"). A connector that takes formats
 *	  has format slots: "format" (options "json.x"), "key.format" (options
 *	  "key.json.x") and "value.format" (options "value.json.x"); an option
 *	  of a format is valid only when its slot names that format.
 *
 *	  The table is static and read-only: everything here is thread-safe
 *	  except a sl_config, which belongs to one session.
 *
 * INTERFACE ROUTINES (planner/options.c)
 *	  sl_options_validate        check a WITH list, return typed values
 *	  sl_option_values_find/_str/_int/_bool/_free  read validated values
 *	  sl_option_defs, sl_option_def_lookup  the table itself
 *	  sl_connector_exists        is this a known connector name
 *	  sl_connector_can_read/_write  source / sink capability
 *	  sl_config_new/_free/_set/_reset/_get/_get_int/_show  job config
 *	  sl_parse_duration_ms, sl_parse_memory_size, sl_parse_bool
 *	  sl_options_write_markdown  text of docs/CONFIGURATION.md
 */
#ifndef SL_PLANNER_OPTIONS_H
#define SL_PLANNER_OPTIONS_H

#include "common/common.h"

typedef enum sl_option_type {
	SL_OPT_STRING,   /* any text; min/max bound its length in bytes when set */
	SL_OPT_INT,      /* 64-bit signed integer; min/max bound the value */
	SL_OPT_DOUBLE,   /* floating point; min/max bound the value */
	SL_OPT_BOOL,     /* true | false (case-insensitive) */
	SL_OPT_DURATION, /* "10s", "10 s", "1 min", "500 ms", "1h"; no unit = ms */
	SL_OPT_MEMORY,   /* "64mb", "1 gb", "512k"; 1024-based; no unit = bytes */
	SL_OPT_ENUM      /* one of choices (case-insensitive) */
} sl_option_type;

typedef enum sl_option_scope {
	SL_OPT_SCOPE_JOB,       /* job configuration: SET 'key' = 'value' */
	SL_OPT_SCOPE_CONNECTOR, /* WITH (...) of a table with one of owners' connectors */
	SL_OPT_SCOPE_FORMAT     /* a format's options, key prefixed by the format name */
} sl_option_scope;

/* Flags of an option definition. */
#define SL_OPT_REQUIRED 0x1u  /* must be given (connector options only) */

typedef struct sl_option_def {
	sl_option_scope scope;
	const char *owners;      /* space-separated connectors, or the format, or "job" */
	const char *key;         /* Flink's name; may contain "#" or end in "*" */
	sl_option_type type;
	const char *dflt;        /* default as text; NULL: none */
	double min, max;         /* range (see sl_option_type); -HUGE_VAL/HUGE_VAL: none */
	const char *choices;     /* ENUM: "a|b|c" */
	unsigned flags;          /* SL_OPT_* */
	const char *description; /* one or more sentences, Markdown */
} sl_option_def;

/* One key = 'value' pair as the user wrote it, with where it was written
 * so that errors point at the right token. Strings are borrowed. */
typedef struct sl_option_kv {
	const char *key;         /* without quotes */
	const char *value;       /* without quotes, '' unescaped */
	sl_span key_span;        /* span of the quoted key; SL_SPAN_NONE if unknown */
	sl_span value_span;      /* span of the quoted value */
} sl_option_kv;

/* One validated (or defaulted) option. */
typedef struct sl_option_value {
	const sl_option_def *def;
	const char *key;         /* full key ("fields.price.kind", "value.json.x"); borrowed */
	const char *text;        /* the value as given, or the default; borrowed */
	int64_t i;               /* INT; BOOL 0/1; DURATION ms; MEMORY bytes; ENUM index */
	double d;                /* DOUBLE (also INT as double) */
	bool is_default;         /* not given: filled in from def->dflt */
	sl_span key_span, value_span; /* SL_SPAN_NONE for defaults */
} sl_option_value;

typedef struct sl_option_values {
	const char *connector;   /* borrowed from the 'connector' value */
	size_t n;
	sl_option_value *v;      /* malloc'ed: given options in order, then defaults */
	char **owned;            /* private: keys built for defaults of format slots */
	size_t nowned;
} sl_option_values;

/*
 * Validate a table's WITH list. connector may be NULL: it is then taken
 * from the 'connector' key of kvs (which is always accepted). Checks, in
 * order: the connector is known, every key is known for the connector or
 * its chosen format(s) (wildcards included), no key is repeated, every
 * value parses and lies in range, required options are present, and the
 * cross-option rules (kafka: exactly one of topic/topic-pattern, one of
 * format/value.format; startup mode timestamp/specific-offsets needs its
 * companion option; 'format.on-error' = 'dlq' needs a dead-letter target).
 *
 * Errors (all chained through ->next, the first one returned in *errp):
 *   unknown connector "kafak"                      hint: did you mean "kafka"?
 *   unknown option "topik" for connector "kafka"   hint: did you mean "topic"?
 *   unknown option "json.x" for format "json"      hint: did you mean ...?
 *   option "csv.field-delimiter" does not apply to format "json"
 *   duplicate option "topic"
 *   invalid value "sometimes" for option "scan.startup.mode"
 *                              hint: allowed values are "earliest-offset", ...
 *   missing required option "topic" for connector "kafka"
 *   options "topic" and "topic-pattern" cannot both be set
 * Unknown keys: SL_ERR_UNKNOWN_OPTION; missing: SL_ERR_MISSING_OPTION;
 * everything else SL_ERR_INVALID_OPTION. Spans: the key's span for key
 * problems, the value's for value problems, the 'connector' value's for
 * missing options.
 *
 * On success *out holds every given option and the defaults of the
 * connector's (and chosen formats') options that have one; free it with
 * sl_option_values_free. On failure *out is empty. Strings in *out are
 * borrowed from kvs and the static table.
 */
bool sl_options_validate(const char *connector, const sl_option_kv *kvs, int n,
                         sl_option_values *out, sl_error **errp);
void sl_option_values_free(sl_option_values *vals);
/* The value of key (given or default), or NULL. Exact key match, so a
 * wildcard option is found by its full key ("fields.price.kind"). */
const sl_option_value *sl_option_values_find(const sl_option_values *vals, const char *key);
const char *sl_option_values_str(const sl_option_values *vals, const char *key); /* NULL if absent */
int64_t sl_option_values_int(const sl_option_values *vals, const char *key, int64_t dflt);
bool sl_option_values_bool(const sl_option_values *vals, const char *key, bool dflt);

/* The whole table, in declaration order. */
const sl_option_def *sl_option_defs(size_t *n);
/* The definition key matches in scope/owner (owner: a connector, a format
 * or "job"), wildcards included; NULL if none. */
const sl_option_def *sl_option_def_lookup(sl_option_scope scope, const char *owner,
                                          const char *key);
bool sl_connector_exists(const char *name);
/* Can a table with this connector be read (FROM) / written (INSERT INTO)?
 * False for unknown connectors. */
bool sl_connector_can_read(const char *name);
bool sl_connector_can_write(const char *name);
/* Does owners (space-separated) list name? */
bool sl_option_owned_by(const sl_option_def *def, const char *name);

/* ---------------------------------------------------------------------
 * Job configuration (SET / RESET / SET; listing).
 * ------------------------------------------------------------------- */
typedef struct sl_config sl_config;

sl_config *sl_config_new(void);
void sl_config_free(sl_config *cfg);
/* SET 'key' = 'value'. Validates key and value like connector options:
 *   unknown option "paralelism.default"   hint: did you mean "parallelism.default"?
 *   invalid value "x" for option "parallelism.default"  (detail says why)
 * The spans locate the key and the value in the statement. Strings are
 * copied. On failure cfg is unchanged. */
bool sl_config_set(sl_config *cfg, const char *key, const char *value,
                   sl_span key_span, sl_span value_span, sl_error **errp);
/* RESET 'key' (back to the default) or RESET (key NULL: everything). */
bool sl_config_reset(sl_config *cfg, const char *key, sl_span key_span, sl_error **errp);
/* The value as text: the one SET, else the default; NULL if the key is
 * unknown or has no default. Owned by cfg / static. */
const char *sl_config_get(const sl_config *cfg, const char *key);
/* Parsed value (INT, BOOL 0/1, DURATION ms, MEMORY bytes, ENUM index);
 * dflt when unset without default or unknown. */
int64_t sl_config_get_int(const sl_config *cfg, const char *key, int64_t dflt);
bool sl_config_is_set(const sl_config *cfg, const char *key);
/* Flink's `SET;` listing: one line "'key' = 'value'" per option that was
 * SET, sorted by key; with all, every job option with its value or
 * default (options without either are left out). */
void sl_config_show(const sl_config *cfg, bool all, sl_strbuf *out);

/* ---------------------------------------------------------------------
 * Value parsing, Flink style.
 * ------------------------------------------------------------------- */
/* "10s", "10 s", "1 min", "500 ms", "1h", "2 d", "100" (ms); units d day
 * days h hour hours m min minute minutes s sec secs second seconds ms
 * milli millis millisecond milliseconds us micro micros microsecond
 * microseconds ns nano nanos nanosecond nanoseconds (case-insensitive);
 * sub-millisecond values are truncated to ms. False on bad syntax or
 * overflow. */
bool sl_parse_duration_ms(const char *s, int64_t *ms);
/* "64mb", "64 mb", "1g", "512 kb", "100" (bytes); units b bytes k kb
 * kibibytes m mb mebibytes g gb gibibytes t tb tebibytes, 1024-based. */
bool sl_parse_memory_size(const char *s, int64_t *bytes);
bool sl_parse_bool(const char *s, bool *b);

/* The Markdown text of docs/CONFIGURATION.md, generated from the table. */
void sl_options_write_markdown(sl_strbuf *out);

#endif /* SL_PLANNER_OPTIONS_H */
