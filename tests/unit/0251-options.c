/*
 * 0251-options.c
 *	  planner/options.c: WITH-list validation (every error path, with the
 *	  exact text), wildcards, format options, defaults, value parsing, and
 *	  the job configuration behind SET/RESET.
 */
#include "planner/options.h"
#include "tests/unit/test.h"

/* A WITH list written as "key", "value", ... with made-up spans: key i at
 * [100*i, 100*i+10), its value at [100*i+20, 100*i+30). */
#define MAXKV 32
static sl_option_kv kvs[MAXKV];

static int
build(const char *const *pairs)
{
	int n = 0;
	for (; pairs[2 * n]; n++) {
		kvs[n].key = pairs[2 * n];
		kvs[n].value = pairs[2 * n + 1];
		kvs[n].key_span = (sl_span){(uint32_t)(100 * n), (uint32_t)(100 * n + 10)};
		kvs[n].value_span = (sl_span){(uint32_t)(100 * n + 20), (uint32_t)(100 * n + 30)};
	}
	return n;
}

/* Validate and return the errors (NULL on success); *vals filled on success. */
static sl_error *
validate(sl_option_values *vals, const char *const *pairs)
{
	int n = build(pairs);
	sl_error *err = NULL;
	bool ok = sl_options_validate(NULL, kvs, n, vals, &err);
	SL_CHECK(ok == (err == NULL));
	return err;
}

static bool
valid(const char *const *pairs)
{
	sl_option_values vals;
	sl_error *e = validate(&vals, pairs);
	if (e) {
		printf("#   unexpected error: %s (hint: %s)\n", e->message, e->hint ? e->hint : "");
		sl_error_free(e);
		return false;
	}
	sl_option_values_free(&vals);
	return true;
}

#define L(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Expect exactly one error with this message, hint (NULL: none) and span. */
static void
expect_error(const char *const *pairs, sl_errcode code, const char *msg, const char *hint,
             uint32_t span_start)
{
	sl_option_values vals;
	sl_error *e = validate(&vals, pairs);
	SL_CHECK(e != NULL);
	if (!e)
		return;
	SL_CHECK_STR(e->message, msg);
	SL_CHECK_STR(sl_errcode_name(e->code), sl_errcode_name(code));
	if (hint)
		SL_CHECK_STR(e->hint, hint);
	else
		SL_CHECK(e->hint == NULL);
	SL_CHECK_INT(e->span.start, span_start);
	SL_CHECK(e->next == NULL);
	sl_error_free(e);
}

static void
test_valid_lists(void)
{
	SL_CHECK(valid(L("connector", "blackhole")));
	SL_CHECK(valid(L("connector", "nexmark", "first-event.rate", "10000000", "next-event.rate",
	                 "10000000", "events.num", "100000000", "person.proportion", "1",
	                 "auction.proportion", "3", "bid.proportion", "46")));
	SL_CHECK(valid(L("connector", "kafka", "topic", "orders", "properties.bootstrap.servers",
	                 "localhost:9092", "properties.group.id", "g", "scan.startup.mode",
	                 "earliest-offset", "format", "debezium-json", "format.on-error", "dlq",
	                 "dlq.topic", "orders-dlq", "debezium-json.schema-include", "true")));
	SL_CHECK(valid(L("connector", "upsert-kafka", "topic", "out", "properties.bootstrap.servers",
	                 "b:9092", "key.format", "json", "value.format", "json",
	                 "value.json.fail-on-missing-field", "true", "key.json.ignore-parse-errors",
	                 "true")));
	SL_CHECK(valid(L("connector", "filesystem", "path", "output/q10", "format", "csv",
	                 "sink.partition-commit.trigger", "partition-time",
	                 "sink.partition-commit.delay", "1 min", "sink.partition-commit.policy.kind",
	                 "success-file", "partition.time-extractor.timestamp-pattern", "$dt $hm:00",
	                 "sink.rolling-policy.rollover-interval", "1min",
	                 "sink.rolling-policy.file-size", "64mb", "csv.field-delimiter", "|")));
	SL_CHECK(valid(L("connector", "datagen", "rows-per-second", "5", "number-of-rows", "10",
	                 "fields.id.kind", "sequence", "fields.id.start", "1", "fields.id.end", "10",
	                 "fields.name.length", "8", "fields.price.null-rate", "0.1")));
	SL_CHECK(valid(L("connector", "print", "print-identifier", "q0", "standard-error", "TRUE")));
	SL_CHECK(valid(L("connector", "postgres-cdc", "hostname", "db", "username", "u",
	                 "database-name", "shop", "table-name", "orders", "slot.name", "s1")));
	SL_CHECK(valid(L("connector", "postgres", "url", "jdbc:postgresql://db:5432/shop",
	                 "table-name", "digest")));
	/* Enum values are case-insensitive. */
	SL_CHECK(valid(L("connector", "kafka", "topic", "t", "properties.bootstrap.servers", "b",
	                 "value.format", "JSON", "scan.startup.mode", "Latest-Offset")));
}

static void
test_values_and_defaults(void)
{
	sl_option_values vals;
	sl_error *e = validate(&vals, L("connector", "kafka", "topic", "t",
	                                "properties.bootstrap.servers", "b", "format", "json",
	                                "properties.security.protocol", "SASL_SSL",
	                                "scan.topic-partition-discovery.interval", "30 s"));
	SL_CHECK(e == NULL);
	if (e) {
		sl_error_free(e);
		return;
	}
	SL_CHECK_STR(vals.connector, "kafka");
	SL_CHECK_STR(sl_option_values_str(&vals, "topic"), "t");
	SL_CHECK_STR(sl_option_values_str(&vals, "properties.security.protocol"), "SASL_SSL");
	const sl_option_value *v = sl_option_values_find(&vals, "properties.security.protocol");
	SL_CHECK(v && strcmp(v->def->key, "properties.*") == 0 && !v->is_default);
	SL_CHECK(v && v->value_span.start == 420);
	SL_CHECK_INT(sl_option_values_int(&vals, "scan.topic-partition-discovery.interval", -1), 30000);
	/* Defaults of the connector and of the chosen format. */
	v = sl_option_values_find(&vals, "scan.startup.mode");
	SL_CHECK(v && v->is_default && strcmp(v->text, "group-offsets") == 0 && v->i == 2);
	SL_CHECK(v && !sl_span_valid(v->key_span));
	SL_CHECK(!sl_option_values_bool(&vals, "json.ignore-parse-errors", true));
	SL_CHECK_STR(sl_option_values_str(&vals, "json.timestamp-format.standard"), "SQL");
	SL_CHECK(sl_option_values_find(&vals, "csv.field-delimiter") == NULL);
	SL_CHECK(sl_option_values_find(&vals, "topic-pattern") == NULL);
	SL_CHECK_INT(sl_option_values_int(&vals, "nope", 42), 42);
	sl_option_values_free(&vals);

	/* Slot-prefixed format defaults. */
	e = validate(&vals, L("connector", "upsert-kafka", "topic", "o", "properties.bootstrap.servers",
	                      "b", "key.format", "csv", "value.format", "json"));
	SL_CHECK(e == NULL);
	if (!e) {
		SL_CHECK_STR(sl_option_values_str(&vals, "key.csv.field-delimiter"), ",");
		SL_CHECK_STR(sl_option_values_str(&vals, "value.json.map-null-key.mode"), "FAIL");
		SL_CHECK(sl_option_values_find(&vals, "json.map-null-key.mode") == NULL);
		sl_option_values_free(&vals);
	} else {
		sl_error_free(e);
	}

	/* Durations, memory sizes and doubles arrive parsed. */
	e = validate(&vals, L("connector", "filesystem", "path", "p", "format", "json",
	                      "sink.rolling-policy.file-size", "1 gb",
	                      "sink.rolling-policy.rollover-interval", "2h"));
	SL_CHECK(e == NULL);
	if (!e) {
		SL_CHECK_INT(sl_option_values_int(&vals, "sink.rolling-policy.file-size", 0), INT64_C(1) << 30);
		SL_CHECK_INT(sl_option_values_int(&vals, "sink.rolling-policy.rollover-interval", 0), 7200000);
		SL_CHECK_INT(sl_option_values_int(&vals, "sink.rolling-policy.check-interval", 0), 60000);
		sl_option_values_free(&vals);
	} else {
		sl_error_free(e);
	}
}

static void
test_unknown_connector_and_option(void)
{
	expect_error(L("connector", "kafak"), SL_ERR_INVALID_OPTION, "unknown connector \"kafak\"",
	             "did you mean \"kafka\"?", 20);
	expect_error(L("connector", "zzzzzz"), SL_ERR_INVALID_OPTION, "unknown connector \"zzzzzz\"",
	             "Known connectors are \"nexmark\", \"datagen\", \"filesystem\", \"kafka\", "
	             "\"upsert-kafka\", \"print\", \"blackhole\", \"postgres-cdc\" and \"postgres\".",
	             20);
	expect_error(L("path", "x"), SL_ERR_MISSING_OPTION, "missing required option \"connector\"",
	             NULL, UINT32_MAX);
	expect_error(L("connector", "kafka", "topik", "t", "properties.bootstrap.servers", "b",
	               "format", "json"),
	             SL_ERR_UNKNOWN_OPTION, "unknown option \"topik\" for connector \"kafka\"",
	             "did you mean \"topic\"?", 100);
	expect_error(L("connector", "blackhole", "xyzzy-frobnicate", "1"), SL_ERR_UNKNOWN_OPTION,
	             "unknown option \"xyzzy-frobnicate\" for connector \"blackhole\"",
	             "The options of connector \"blackhole\" are listed in docs/CONFIGURATION.md.", 100);
	expect_error(L("connector", "nexmark", "events.nun", "10"), SL_ERR_UNKNOWN_OPTION,
	             "unknown option \"events.nun\" for connector \"nexmark\"",
	             "did you mean \"events.num\"?", 100);
	/* Did-you-mean reaches the chosen format's options too. */
	expect_error(L("connector", "filesystem", "path", "p", "format", "csv",
	               "csv.field-delimeter", ";"),
	             SL_ERR_UNKNOWN_OPTION, "unknown option \"csv.field-delimeter\" for format \"csv\"",
	             "did you mean \"csv.field-delimiter\"?", 300);
	expect_error(L("connector", "upsert-kafka", "topic", "o", "properties.bootstrap.servers", "b",
	               "key.format", "json", "value.format", "json", "value.json.fail-on-missing-feld",
	               "true"),
	             SL_ERR_UNKNOWN_OPTION,
	             "unknown option \"value.json.fail-on-missing-feld\" for format \"json\"",
	             "did you mean \"value.json.fail-on-missing-field\"?", 500);
	/* A key slot the connector does not have. */
	expect_error(L("connector", "filesystem", "path", "p", "format", "json",
	               "key.json.ignore-parse-errors", "true"),
	             SL_ERR_UNKNOWN_OPTION,
	             "unknown option \"key.json.ignore-parse-errors\" for connector \"filesystem\"",
	             "did you mean \"json.ignore-parse-errors\"?", 300);
	/* Wildcard segments must be present. */
	expect_error(L("connector", "datagen", "fields..kind", "random"), SL_ERR_UNKNOWN_OPTION,
	             "unknown option \"fields..kind\" for connector \"datagen\"",
	             "The options of connector \"datagen\" are listed in docs/CONFIGURATION.md.", 100);
	expect_error(L("connector", "kafka", "topic", "t", "properties.bootstrap.servers", "b",
	               "format", "json", "properties.", "x"),
	             SL_ERR_UNKNOWN_OPTION, "unknown option \"properties.\" for connector \"kafka\"",
	             "The options of connector \"kafka\" are listed in docs/CONFIGURATION.md.", 400);
}

static void
test_format_mismatch(void)
{
	expect_error(L("connector", "filesystem", "path", "p", "format", "json",
	               "csv.field-delimiter", ";"),
	             SL_ERR_INVALID_OPTION,
	             "option \"csv.field-delimiter\" does not apply to format \"json\"",
	             "It is an option of format \"csv\"; \"format\" is \"json\".", 300);
	expect_error(L("connector", "kafka", "topic", "t", "properties.bootstrap.servers", "b",
	               "value.format", "json", "key.json.ignore-parse-errors", "true"),
	             SL_ERR_INVALID_OPTION,
	             "option \"key.json.ignore-parse-errors\" does not apply to format \"(none)\"",
	             "It is an option of format \"json\"; set \"key.format\" = \"json\" to use it.", 400);
}

static void
test_invalid_values(void)
{
	expect_error(L("connector", "kafka", "topic", "t", "properties.bootstrap.servers", "b",
	               "format", "json", "scan.startup.mode", "sometimes"),
	             SL_ERR_INVALID_OPTION, "invalid value \"sometimes\" for option \"scan.startup.mode\"",
	             "allowed values are \"earliest-offset\", \"latest-offset\", \"group-offsets\", "
	             "\"timestamp\" and \"specific-offsets\"",
	             420);
	expect_error(L("connector", "kafka", "topic", "t", "properties.bootstrap.servers", "b",
	               "format", "xml"),
	             SL_ERR_INVALID_OPTION, "invalid value \"xml\" for option \"format\"",
	             "allowed values are \"json\", \"csv\", \"raw\" and \"debezium-json\"", 320);
	expect_error(L("connector", "upsert-kafka", "topic", "t", "properties.bootstrap.servers", "b",
	               "key.format", "json", "value.format", "debezium-json"),
	             SL_ERR_INVALID_OPTION, "invalid value \"debezium-json\" for option \"value.format\"",
	             "allowed values are \"json\", \"csv\" and \"raw\"", 420);

	sl_option_values vals;
	sl_error *e;
	struct {
		const char *key, *value, *detail;
	} cases[] = {
	    {"events.num", "lots", "Expected an integer."},
	    {"events.num", "-5", "The value must be at least 0."},
	    {"events.num", "99999999999999999999", "Expected an integer."},
	    {"person.proportion", "1001", "The value must be between 0 and 1000."},
	    {"rate.limited", "yes", "Expected \"true\" or \"false\"."},
	    {"scan.watermark.idle-timeout", "soon",
	     "Expected a duration such as \"10 s\", \"500 ms\", \"1 min\" or \"1 h\"."},
	    {"scan.watermark.idle-timeout", "10 fortnights",
	     "Expected a duration such as \"10 s\", \"500 ms\", \"1 min\" or \"1 h\"."},
	};
	for (size_t i = 0; i < SL_ARRAY_LEN(cases); i++) {
		e = validate(&vals, L("connector", "nexmark", cases[i].key, cases[i].value));
		SL_CHECK(e != NULL);
		if (!e)
			continue;
		char msg[256];
		snprintf(msg, sizeof msg, "invalid value \"%s\" for option \"%s\"", cases[i].value, cases[i].key);
		SL_CHECK_STR(e->message, msg);
		SL_CHECK_STR(e->detail, cases[i].detail);
		SL_CHECK_INT(e->span.start, 120);
		sl_error_free(e);
	}
	expect_error(L("connector", "filesystem", "path", "p", "format", "csv",
	               "sink.rolling-policy.file-size", "huge"),
	             SL_ERR_INVALID_OPTION,
	             "invalid value \"huge\" for option \"sink.rolling-policy.file-size\"", NULL, 320);
	e = validate(&vals, L("connector", "filesystem", "path", "p", "format", "csv",
	                      "csv.field-delimiter", ";;"));
	SL_CHECK(e && strcmp(e->detail, "The value must be exactly one character.") == 0);
	sl_error_free(e);
	SL_CHECK(valid(L("connector", "filesystem", "path", "p", "format", "csv",
	                 "csv.field-delimiter", "\\t")));
	e = validate(&vals, L("connector", "filesystem", "path", "", "format", "csv"));
	SL_CHECK(e && strcmp(e->message, "invalid value \"\" for option \"path\"") == 0 &&
	         strcmp(e->detail, "The value must not be empty.") == 0);
	sl_error_free(e);
	e = validate(&vals, L("connector", "datagen", "fields.x.null-rate", "1.5"));
	SL_CHECK(e && strcmp(e->detail, "The value must be between 0 and 1.") == 0);
	sl_error_free(e);
	e = validate(&vals, L("connector", "datagen", "fields.x.kind", "randomly"));
	SL_CHECK(e && strcmp(e->message, "invalid value \"randomly\" for option \"fields.x.kind\"") == 0 &&
	         strcmp(e->hint, "allowed values are \"random\" and \"sequence\"") == 0);
	sl_error_free(e);
}

static void
test_missing_and_conflicts(void)
{
	expect_error(L("connector", "filesystem", "format", "csv"), SL_ERR_MISSING_OPTION,
	             "missing required option \"path\" for connector \"filesystem\"", NULL, 20);
	expect_error(L("connector", "kafka", "properties.bootstrap.servers", "b", "format", "json"),
	             SL_ERR_MISSING_OPTION, "missing required option \"topic\" for connector \"kafka\"",
	             NULL, 20);
	expect_error(L("connector", "kafka", "topic", "t", "topic-pattern", "t.*",
	               "properties.bootstrap.servers", "b", "format", "json"),
	             SL_ERR_INVALID_OPTION, "options \"topic\" and \"topic-pattern\" cannot both be set",
	             NULL, 200);
	expect_error(L("connector", "kafka", "topic", "t", "properties.bootstrap.servers", "b"),
	             SL_ERR_MISSING_OPTION, "missing required option \"format\" for connector \"kafka\"",
	             NULL, 20);
	expect_error(L("connector", "kafka", "topic", "t", "properties.bootstrap.servers", "b",
	               "format", "json", "value.format", "json"),
	             SL_ERR_INVALID_OPTION, "options \"format\" and \"value.format\" cannot both be set",
	             NULL, 400);
	expect_error(L("connector", "kafka", "topic", "t", "properties.bootstrap.servers", "b",
	               "format", "json", "scan.startup.mode", "timestamp"),
	             SL_ERR_MISSING_OPTION,
	             "missing required option \"scan.startup.timestamp-millis\" for connector \"kafka\"",
	             NULL, 20);
	expect_error(L("connector", "kafka", "topic", "t", "properties.bootstrap.servers", "b",
	               "format", "json", "key.format", "raw"),
	             SL_ERR_MISSING_OPTION,
	             "missing required option \"key.fields\" for connector \"kafka\"", NULL, 20);
	expect_error(L("connector", "kafka", "topic", "t", "properties.bootstrap.servers", "b",
	               "format", "json", "format.on-error", "dlq"),
	             SL_ERR_MISSING_OPTION,
	             "missing required option \"dlq.topic\" for connector \"kafka\"", NULL, 20);
	expect_error(L("connector", "filesystem", "path", "p", "format", "csv", "format.on-error", "dlq"),
	             SL_ERR_MISSING_OPTION,
	             "missing required option \"dlq.path\" for connector \"filesystem\"", NULL, 20);
	expect_error(L("connector", "nexmark", "first-event.rate", "1000", "next-event.rate", "2000"),
	             SL_ERR_FEATURE_NOT_SUPPORTED,
	             "option \"next-event.rate\" must equal \"first-event.rate\"", NULL, 220);
	expect_error(L("connector", "print", "print-identifier", "a", "print-identifier", "b"),
	             SL_ERR_INVALID_OPTION, "duplicate option \"print-identifier\"", NULL, 200);

	/* Every error of a statement is reported, chained. */
	sl_option_values vals;
	sl_error *e = validate(&vals, L("connector", "upsert-kafka", "topik", "t", "value.format", "xml"));
	int n = 0;
	for (sl_error *x = e; x; x = x->next)
		n++;
	SL_CHECK_INT(n, 4); /* topik, xml, missing bootstrap servers, missing key.format */
	SL_CHECK(e && strcmp(e->message, "unknown option \"topik\" for connector \"upsert-kafka\"") == 0);
	sl_error_free(e);
	/* A key without a value (possible in hints). */
	sl_option_kv nv[] = {{"connector", "print", {0, 9}, {12, 19}}, {"standard-error", NULL, {30, 44}, SL_SPAN_NONE}};
	e = NULL;
	SL_CHECK(!sl_options_validate(NULL, nv, 2, &vals, &e));
	SL_CHECK(e && strcmp(e->message, "option \"standard-error\" has no value") == 0 && e->span.start == 30);
	sl_error_free(e);
	/* Passing the connector explicitly; errp may be NULL. */
	build(L("topic", "t"));
	SL_CHECK(!sl_options_validate("kafka", kvs, 1, &vals, NULL));
	SL_CHECK(vals.n == 0 && vals.v == NULL);
}

static void
test_lookup(void)
{
	const sl_option_def *d = sl_option_def_lookup(SL_OPT_SCOPE_CONNECTOR, "datagen", "fields.f1.kind");
	SL_CHECK(d && strcmp(d->key, "fields.#.kind") == 0);
	SL_CHECK(sl_option_def_lookup(SL_OPT_SCOPE_CONNECTOR, "datagen", "fields.a.b.kind") == NULL);
	SL_CHECK(sl_option_def_lookup(SL_OPT_SCOPE_CONNECTOR, "kafka", "properties.group.id") != NULL);
	d = sl_option_def_lookup(SL_OPT_SCOPE_CONNECTOR, "kafka", "properties.client.id");
	SL_CHECK(d && strcmp(d->key, "properties.*") == 0);
	SL_CHECK(sl_option_def_lookup(SL_OPT_SCOPE_CONNECTOR, "print", "topic") == NULL);
	SL_CHECK(sl_option_def_lookup(SL_OPT_SCOPE_FORMAT, "json", "json.ignore-parse-errors") != NULL);
	SL_CHECK(sl_option_def_lookup(SL_OPT_SCOPE_JOB, "job", "parallelism.default") != NULL);
	SL_CHECK(sl_connector_exists("postgres-cdc") && !sl_connector_exists("jdbc"));
	SL_CHECK(sl_connector_can_read("nexmark") && !sl_connector_can_write("nexmark"));
	SL_CHECK(!sl_connector_can_read("blackhole") && sl_connector_can_write("blackhole"));
	SL_CHECK(sl_connector_can_read("kafka") && sl_connector_can_write("kafka"));
	SL_CHECK(!sl_connector_can_read("jdbc") && !sl_connector_can_write("jdbc"));
	/* Every default in the table parses (validation asserts it too) and
	 * every ENUM has choices. */
	size_t n;
	const sl_option_def *defs = sl_option_defs(&n);
	SL_CHECK(n > 100);
	for (size_t i = 0; i < n; i++) {
		if (defs[i].type == SL_OPT_ENUM)
			SL_CHECK(defs[i].choices != NULL);
		SL_CHECK(defs[i].description && defs[i].description[0]);
	}
	/* Every job default parses (sl_config_get_int asserts it), and so do
	 * the raw format's defaults (the other formats are used above). */
	sl_config *cfg = sl_config_new();
	for (size_t i = 0; i < n; i++)
		if (defs[i].scope == SL_OPT_SCOPE_JOB && defs[i].dflt)
			(void)sl_config_get_int(cfg, defs[i].key, 0);
	sl_config_free(cfg);
	SL_CHECK(valid(L("connector", "kafka", "topic", "t", "properties.bootstrap.servers", "b",
	                 "format", "raw", "raw.endianness", "little-endian")));
}

static void
test_parse_duration(void)
{
	struct {
		const char *s;
		int64_t ms;
	} good[] = {
	    {"10s", 10000}, {"10 s", 10000}, {"1 min", 60000}, {"1min", 60000}, {"500 ms", 500},
	    {"1h", 3600000}, {"2 d", 172800000}, {"100", 100}, {"3 seconds", 3000},
	    {"1 MIN", 60000}, {"2 hours", 7200000}, {"1500 us", 1}, {"7 ns", 0}, {" 5 s ", 5000},
	    {"0", 0}, {"5m", 300000},
	};
	for (size_t i = 0; i < SL_ARRAY_LEN(good); i++) {
		int64_t ms = -1;
		SL_CHECK(sl_parse_duration_ms(good[i].s, &ms));
		SL_CHECK_INT(ms, good[i].ms);
	}
	const char *bad[] = {"", "s", "-1 s", "1.5 s", "10 parsecs", "1 s 2", "99999999999999999999 d",
	                     "9223372036854775807 d"};
	for (size_t i = 0; i < SL_ARRAY_LEN(bad); i++) {
		int64_t ms;
		SL_CHECK(!sl_parse_duration_ms(bad[i], &ms));
	}
}

static void
test_parse_memory_and_bool(void)
{
	struct {
		const char *s;
		int64_t b;
	} good[] = {
	    {"64mb", 64 << 20}, {"64 mb", 64 << 20}, {"1g", 1 << 30}, {"512 kb", 512 << 10},
	    {"100", 100}, {"7 bytes", 7}, {"2 TB", INT64_C(2) << 40}, {"3 m", 3 << 20},
	};
	for (size_t i = 0; i < SL_ARRAY_LEN(good); i++) {
		int64_t b = -1;
		SL_CHECK(sl_parse_memory_size(good[i].s, &b));
		SL_CHECK_INT(b, good[i].b);
	}
	int64_t b;
	SL_CHECK(!sl_parse_memory_size("lots", &b));
	SL_CHECK(!sl_parse_memory_size("1 pb", &b));
	SL_CHECK(!sl_parse_memory_size("99999999999 tb", &b));
	bool v;
	SL_CHECK(sl_parse_bool("TRUE", &v) && v);
	SL_CHECK(sl_parse_bool("false", &v) && !v);
	SL_CHECK(!sl_parse_bool("1", &v));
}

static void
test_config_set_get(void)
{
	sl_config *cfg = sl_config_new();
	sl_error *e = NULL;
	SL_CHECK(sl_config_get(cfg, "parallelism.default") == NULL);
	SL_CHECK_STR(sl_config_get(cfg, "execution.checkpointing.timeout"), "10 min");
	SL_CHECK_INT(sl_config_get_int(cfg, "execution.checkpointing.timeout", 0), 600000);
	SL_CHECK_INT(sl_config_get_int(cfg, "parallelism.default", 7), 7);
	SL_CHECK(!sl_config_is_set(cfg, "parallelism.default"));

	SL_CHECK(sl_config_set(cfg, "parallelism.default", "4", SL_SPAN_NONE, SL_SPAN_NONE, &e));
	SL_CHECK(sl_config_set(cfg, "execution.checkpointing.interval", "10s", SL_SPAN_NONE, SL_SPAN_NONE, &e));
	SL_CHECK(sl_config_set(cfg, "pipeline.name", "it's", SL_SPAN_NONE, SL_SPAN_NONE, &e));
	SL_CHECK(sl_config_set(cfg, "execution.checkpointing.mode", "at_least_once", SL_SPAN_NONE,
	                       SL_SPAN_NONE, &e));
	SL_CHECK(e == NULL);
	SL_CHECK_STR(sl_config_get(cfg, "parallelism.default"), "4");
	SL_CHECK_INT(sl_config_get_int(cfg, "parallelism.default", 0), 4);
	SL_CHECK_INT(sl_config_get_int(cfg, "execution.checkpointing.interval", 0), 10000);
	SL_CHECK_INT(sl_config_get_int(cfg, "execution.checkpointing.mode", 0), 1);
	SL_CHECK(sl_config_is_set(cfg, "parallelism.default"));
	/* SET again replaces. */
	SL_CHECK(sl_config_set(cfg, "parallelism.default", "2", SL_SPAN_NONE, SL_SPAN_NONE, &e));
	SL_CHECK_STR(sl_config_get(cfg, "parallelism.default"), "2");

	sl_strbuf sb = SL_STRBUF_INIT;
	sl_config_show(cfg, false, &sb);
	SL_CHECK_STR(sl_strbuf_str(&sb),
	             "'execution.checkpointing.interval' = '10s'\n"
	             "'execution.checkpointing.mode' = 'at_least_once'\n"
	             "'parallelism.default' = '2'\n"
	             "'pipeline.name' = 'it''s'\n");
	sl_strbuf_reset(&sb);
	sl_config_show(cfg, true, &sb);
	SL_CHECK(strstr(sl_strbuf_str(&sb), "'execution.checkpointing.timeout' = '10 min'\n") != NULL);
	SL_CHECK(strstr(sl_strbuf_str(&sb), "'parallelism.default' = '2'\n") != NULL);
	SL_CHECK(strstr(sl_strbuf_str(&sb), "'udf.path'") == NULL); /* no value, no default */

	/* RESET one key, then everything. */
	SL_CHECK(sl_config_reset(cfg, "parallelism.default", SL_SPAN_NONE, &e));
	SL_CHECK(!sl_config_is_set(cfg, "parallelism.default"));
	SL_CHECK_STR(sl_config_get(cfg, "pipeline.name"), "it's");
	SL_CHECK(sl_config_reset(cfg, NULL, SL_SPAN_NONE, &e));
	sl_strbuf_reset(&sb);
	sl_config_show(cfg, false, &sb);
	SL_CHECK_STR(sl_strbuf_str(&sb), "");
	sl_strbuf_free(&sb);
	sl_config_free(cfg);
}

static void
test_config_errors(void)
{
	sl_config *cfg = sl_config_new();
	sl_error *e = NULL;
	sl_span ks = {4, 25}, vs = {28, 31};
	SL_CHECK(!sl_config_set(cfg, "paralelism.default", "4", ks, vs, &e));
	SL_CHECK(e && strcmp(e->message, "unknown option \"paralelism.default\"") == 0);
	SL_CHECK(e && e->code == SL_ERR_UNKNOWN_OPTION && e->span.start == 4);
	SL_CHECK(e && e->hint && strcmp(e->hint, "did you mean \"parallelism.default\"?") == 0);
	sl_error_free(e);
	e = NULL;
	SL_CHECK(!sl_config_set(cfg, "no.such.thing.at.all", "4", ks, vs, &e));
	SL_CHECK(e && strcmp(e->hint, "The job options are listed in docs/CONFIGURATION.md.") == 0);
	sl_error_free(e);
	e = NULL;
	SL_CHECK(!sl_config_set(cfg, "parallelism.default", "0", ks, vs, &e));
	SL_CHECK(e && strcmp(e->message, "invalid value \"0\" for option \"parallelism.default\"") == 0);
	SL_CHECK(e && strcmp(e->detail, "The value must be between 1 and 1024.") == 0);
	SL_CHECK(e && e->code == SL_ERR_INVALID_OPTION && e->span.start == 28);
	sl_error_free(e);
	e = NULL;
	SL_CHECK(!sl_config_set(cfg, "execution.checkpointing.interval", "5 ms", ks, vs, &e));
	SL_CHECK(e && strcmp(e->detail, "The value must be at least 10 ms.") == 0);
	sl_error_free(e);
	e = NULL;
	SL_CHECK(!sl_config_set(cfg, "restart-strategy.type", "sometimes", ks, vs, &e));
	SL_CHECK(e && strcmp(e->hint, "allowed values are \"none\" and \"fixed-delay\"") == 0);
	sl_error_free(e);
	e = NULL;
	SL_CHECK(!sl_config_is_set(cfg, "parallelism.default"));
	SL_CHECK(!sl_config_reset(cfg, "paralelism.default", ks, &e));
	SL_CHECK(e && strcmp(e->message, "unknown option \"paralelism.default\"") == 0);
	sl_error_free(e);
	SL_CHECK(!sl_config_set(cfg, "nope", "1", ks, vs, NULL));
	sl_config_free(cfg);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_valid_lists);
	SL_RUN(test_values_and_defaults);
	SL_RUN(test_unknown_connector_and_option);
	SL_RUN(test_format_mismatch);
	SL_RUN(test_invalid_values);
	SL_RUN(test_missing_and_conflicts);
	SL_RUN(test_lookup);
	SL_RUN(test_parse_duration);
	SL_RUN(test_parse_memory_and_bool);
	SL_RUN(test_config_set_get);
	SL_RUN(test_config_errors);
	return SL_TEST_MAIN_END();
}
