/*
 * cmd_gen.c
 *	  `sluice gen nexmark`: write the Nexmark events that the nexmark source
 *	  produces, as CSV tables (person.csv, auction.csv, bid.csv) or as the
 *	  one interleaved stream in Flink's nested JSON (events.jsonl).
 *
 *	  The events come from runtime/nexmark_gen.c, the same code as the
 *	  nexmark source, so with the same seed, rate and event count they are
 *	  the source's events; tests/oracle/ loads them into SQLite. With
 *	  --generators G the G generator splits are merged back in eid order
 *	  (the output does not depend on G); --subtask K writes only split K.
 *	  --option KEY=VALUE takes any nexmark connector option
 *	  (sl_nexmark_config_set), so every source configuration can be
 *	  reproduced.
 *
 *	  Output formats (columns as the NEXMARK.md views, no header line):
 *	    person.csv  id,name,emailAddress,creditCard,city,state,dateTime,extra
 *	    auction.csv id,itemName,description,initialBid,reserve,dateTime,expires,seller,category,extra
 *	    bid.csv     auction,bidder,price,channel,url,dateTime,extra
 *	  Timestamps are 'yyyy-MM-dd HH:mm:ss.SSS' (UTC). CSV fields holding a
 *	  comma, a double quote, CR or LF are quoted with quotes doubled (RFC
 *	  4180). Formatting is done by hand into 1 MiB buffers (no stdio per
 *	  field).
 *
 * INTERFACE ROUTINES
 *	  sl_cli_gen_main  the subcommand
 */
#include "cli/cli.h"
#include "runtime/nexmark_gen.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OUTBUF_SIZE (1 << 20)
#define BATCH 1024

/* A buffered output file. */
typedef struct outfile {
	int fd;            /* -1 when the table is not written */
	char *path;        /* malloc'ed, for messages; "-" for stdout */
	char *buf;         /* OUTBUF_SIZE bytes */
	size_t len;        /* bytes pending in buf */
	bool failed;       /* a write failed (reported once) */
} outfile;

static void
out_flush(outfile *o)
{
	size_t off = 0;

	while (off < o->len && !o->failed) {
		ssize_t w = write(o->fd, o->buf + off, o->len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			sl_cli_usage_error("cannot write \"%s\": %s", o->path, strerror(errno));
			o->failed = true;
			break;
		}
		off += (size_t)w;
	}
	o->len = 0;
}

/* Room for n more bytes. */
static inline char *
out_reserve(outfile *o, size_t n)
{
	if (o->len + n > OUTBUF_SIZE)
		out_flush(o);
	SL_ASSERT(n <= OUTBUF_SIZE);
	return o->buf + o->len;
}

static inline void
out_raw(outfile *o, const char *s, size_t n)
{
	memcpy(out_reserve(o, n), s, n);
	o->len += n;
}

static inline void
out_c(outfile *o, char c)
{
	*out_reserve(o, 1) = c;
	o->len++;
}

static inline void
out_i64(outfile *o, int64_t v)
{
	char tmp[24];
	int n = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		tmp[sizeof tmp - 1 - n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[sizeof tmp - 1 - n++] = '-';
	out_raw(o, tmp + sizeof tmp - n, (size_t)n);
}

/* Civil date from days since 1970-01-01 (proleptic Gregorian). */
static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* "yyyy-MM-dd HH:mm:ss.SSS" of microseconds since the epoch (23 bytes). */
static void
format_ts(char *p, int64_t us)
{
	static __thread int64_t cached_day = INT64_MIN;
	static __thread char cached[11];
	int64_t ms = us >= 0 ? us / 1000 : -((-us + 999) / 1000);
	int64_t day = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
	int64_t r = ms - day * 86400000;
	int h = (int)(r / 3600000), mi = (int)(r / 60000 % 60), s = (int)(r / 1000 % 60);
	int f = (int)(r % 1000);

	if (day != cached_day) {
		int y, m, d;
		civil_from_days(day, &y, &m, &d);
		y = ((y % 10000) + 10000) % 10000;
		cached[0] = (char)('0' + y / 1000);
		cached[1] = (char)('0' + y / 100 % 10);
		cached[2] = (char)('0' + y / 10 % 10);
		cached[3] = (char)('0' + y % 10);
		cached[4] = '-';
		cached[5] = (char)('0' + m / 10);
		cached[6] = (char)('0' + m % 10);
		cached[7] = '-';
		cached[8] = (char)('0' + d / 10);
		cached[9] = (char)('0' + d % 10);
		cached_day = day;
	}
	memcpy(p, cached, 10);
	p[10] = ' ';
	p[11] = (char)('0' + h / 10);
	p[12] = (char)('0' + h % 10);
	p[13] = ':';
	p[14] = (char)('0' + mi / 10);
	p[15] = (char)('0' + mi % 10);
	p[16] = ':';
	p[17] = (char)('0' + s / 10);
	p[18] = (char)('0' + s % 10);
	p[19] = '.';
	p[20] = (char)('0' + f / 100);
	p[21] = (char)('0' + f / 10 % 10);
	p[22] = (char)('0' + f % 10);
}

static inline void
out_ts(outfile *o, int64_t us)
{
	format_ts(out_reserve(o, 23), us);
	o->len += 23;
}

static inline void
out_csv_str(outfile *o, sl_nexmark_str s)
{
	bool quote = false;

	for (uint32_t i = 0; i < s.len; i++) {
		char c = s.ptr[i];
		if (c == ',' || c == '"' || c == '\n' || c == '\r') {
			quote = true;
			break;
		}
	}
	if (!quote) {
		out_raw(o, s.ptr, s.len);
		return;
	}
	out_c(o, '"');
	for (uint32_t i = 0; i < s.len; i++) {
		if (s.ptr[i] == '"')
			out_c(o, '"');
		out_c(o, s.ptr[i]);
	}
	out_c(o, '"');
}

static inline void
out_json_str(outfile *o, sl_nexmark_str s)
{
	static const char hex[] = "0123456789abcdef";

	out_c(o, '"');
	for (uint32_t i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.ptr[i];
		if (c == '"' || c == '\\') {
			out_c(o, '\\');
			out_c(o, (char)c);
		} else if (c < 0x20) {
			char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			out_raw(o, e, 6);
		} else {
			out_c(o, (char)c);
		}
	}
	out_c(o, '"');
}

#define LIT(o, s) out_raw((o), (s), sizeof(s) - 1)

static void
write_csv(outfile *o, const sl_nexmark_event *ev)
{
	switch (ev->kind) {
	case SL_NEXMARK_PERSON: {
		const sl_nexmark_person *p = &ev->u.person;
		out_i64(o, p->id);
		out_c(o, ',');
		out_csv_str(o, p->name);
		out_c(o, ',');
		out_csv_str(o, p->email);
		out_c(o, ',');
		out_csv_str(o, p->credit_card);
		out_c(o, ',');
		out_csv_str(o, p->city);
		out_c(o, ',');
		out_csv_str(o, p->state);
		out_c(o, ',');
		out_ts(o, ev->date_time_us);
		out_c(o, ',');
		out_csv_str(o, p->extra);
		break;
	}
	case SL_NEXMARK_AUCTION: {
		const sl_nexmark_auction *a = &ev->u.auction;
		out_i64(o, a->id);
		out_c(o, ',');
		out_csv_str(o, a->item_name);
		out_c(o, ',');
		out_csv_str(o, a->description);
		out_c(o, ',');
		out_i64(o, a->initial_bid);
		out_c(o, ',');
		out_i64(o, a->reserve);
		out_c(o, ',');
		out_ts(o, ev->date_time_us);
		out_c(o, ',');
		out_ts(o, a->expires_us);
		out_c(o, ',');
		out_i64(o, a->seller);
		out_c(o, ',');
		out_i64(o, a->category);
		out_c(o, ',');
		out_csv_str(o, a->extra);
		break;
	}
	case SL_NEXMARK_BID: {
		const sl_nexmark_bid *b = &ev->u.bid;
		out_i64(o, b->auction);
		out_c(o, ',');
		out_i64(o, b->bidder);
		out_c(o, ',');
		out_i64(o, b->price);
		out_c(o, ',');
		out_csv_str(o, b->channel);
		out_c(o, ',');
		out_csv_str(o, b->url);
		out_c(o, ',');
		out_ts(o, ev->date_time_us);
		out_c(o, ',');
		out_csv_str(o, b->extra);
		break;
	}
	}
	out_c(o, '\n');
}

static inline void
json_ts(outfile *o, int64_t us)
{
	out_c(o, '"');
	out_ts(o, us);
	out_c(o, '"');
}

static void
write_json(outfile *o, const sl_nexmark_event *ev)
{
	switch (ev->kind) {
	case SL_NEXMARK_PERSON: {
		const sl_nexmark_person *p = &ev->u.person;
		LIT(o, "{\"event_type\":0,\"person\":{\"id\":");
		out_i64(o, p->id);
		LIT(o, ",\"name\":");
		out_json_str(o, p->name);
		LIT(o, ",\"emailAddress\":");
		out_json_str(o, p->email);
		LIT(o, ",\"creditCard\":");
		out_json_str(o, p->credit_card);
		LIT(o, ",\"city\":");
		out_json_str(o, p->city);
		LIT(o, ",\"state\":");
		out_json_str(o, p->state);
		LIT(o, ",\"dateTime\":");
		json_ts(o, ev->date_time_us);
		LIT(o, ",\"extra\":");
		out_json_str(o, p->extra);
		LIT(o, "},\"auction\":null,\"bid\":null");
		break;
	}
	case SL_NEXMARK_AUCTION: {
		const sl_nexmark_auction *a = &ev->u.auction;
		LIT(o, "{\"event_type\":1,\"person\":null,\"auction\":{\"id\":");
		out_i64(o, a->id);
		LIT(o, ",\"itemName\":");
		out_json_str(o, a->item_name);
		LIT(o, ",\"description\":");
		out_json_str(o, a->description);
		LIT(o, ",\"initialBid\":");
		out_i64(o, a->initial_bid);
		LIT(o, ",\"reserve\":");
		out_i64(o, a->reserve);
		LIT(o, ",\"dateTime\":");
		json_ts(o, ev->date_time_us);
		LIT(o, ",\"expires\":");
		json_ts(o, a->expires_us);
		LIT(o, ",\"seller\":");
		out_i64(o, a->seller);
		LIT(o, ",\"category\":");
		out_i64(o, a->category);
		LIT(o, ",\"extra\":");
		out_json_str(o, a->extra);
		LIT(o, "},\"bid\":null");
		break;
	}
	case SL_NEXMARK_BID: {
		const sl_nexmark_bid *b = &ev->u.bid;
		LIT(o, "{\"event_type\":2,\"person\":null,\"auction\":null,\"bid\":{\"auction\":");
		out_i64(o, b->auction);
		LIT(o, ",\"bidder\":");
		out_i64(o, b->bidder);
		LIT(o, ",\"price\":");
		out_i64(o, b->price);
		LIT(o, ",\"channel\":");
		out_json_str(o, b->channel);
		LIT(o, ",\"url\":");
		out_json_str(o, b->url);
		LIT(o, ",\"dateTime\":");
		json_ts(o, ev->date_time_us);
		LIT(o, ",\"extra\":");
		out_json_str(o, b->extra);
		LIT(o, "}");
		break;
	}
	}
	LIT(o, ",\"dateTime\":");
	json_ts(o, ev->date_time_us);
	LIT(o, "}\n");
}

/* ---------------------------------------------------------------------
 * Options.
 * ------------------------------------------------------------------- */
static const char *const gen_flags[] = {"--events", "--seed", "--rate", "--generators",
                                        "--subtask", "--format", "--out", "--table",
                                        "--option", "--help"};
static const char *const table_names[] = {"person", "auction", "bid"};

static void
print_usage(FILE *f)
{
	fprintf(f,
	        "usage: sluice gen nexmark --events N [OPTIONS]\n"
	        "\n"
	        "Write the Nexmark events that the nexmark source produces with the same\n"
	        "seed, rate and event count (see runtime/nexmark_gen.h).\n"
	        "\n"
	        "options:\n"
	        "  --events N          number of events (eid 0 .. N-1); required\n"
	        "  --seed S            random seed (default 0)\n"
	        "  --rate R            event-time rate, events per event-time second\n"
	        "                      (default %" PRId64 "; pass the table's 'first-event.rate')\n"
	        "  --generators G      generator splits (default 1); the merged output does\n"
	        "                      not depend on G\n"
	        "  --subtask K         write only split K of G (eids K, K+G, ...)\n"
	        "  --format csv|json   csv (default): person.csv, auction.csv, bid.csv;\n"
	        "                      json: one interleaved stream, events.jsonl, in Flink's\n"
	        "                      nested form {\"event_type\":2,\"person\":null,...}\n"
	        "  --out DIR|-         directory to write into (created if missing), or - for\n"
	        "                      stdout (default -; csv to stdout needs one --table)\n"
	        "  --table T[,T...]    only these tables: person, auction, bid\n"
	        "  -o, --option K=V    a nexmark connector option, as in the table's WITH\n"
	        "                      clause (e.g. bid.proportion=46, hot-auction.ratio=2,\n"
	        "                      base-time.millis=...); the flags above are shorthands\n"
	        "                      for events.num, seed, first-event.rate, generators.num\n"
	        "  -h, --help          show this help\n"
	        "\n"
	        "Event time starts at 2026-01-01 00:00:00.000 UTC; timestamps are written as\n"
	        "'yyyy-MM-dd HH:mm:ss.SSS'. CSV files have no header line.\n",
	        SL_NEXMARK_DEFAULT_RATE);
}

static bool
parse_i64(const char *flag, const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		sl_cli_usage_error("invalid value \"%s\" for %s", s, flag);
		fprintf(stderr, "hint: %s takes an integer between %lld and %lld\n", flag,
		        (long long)lo, (long long)hi);
		return false;
	}
	*out = v;
	return true;
}

static bool
parse_tables(const char *s, bool want[3])
{
	char *copy = sl_xstrdup(s), *save = NULL;
	bool ok = true;

	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		size_t i;
		for (i = 0; i < 3; i++)
			if (strcmp(t, table_names[i]) == 0)
				break;
		if (i == 3) {
			const char *near = sl_suggest(t, table_names, 3);
			sl_cli_usage_error("unknown table \"%s\"", t);
			if (near)
				fprintf(stderr, "hint: did you mean \"%s\"?\n", near);
			else
				fprintf(stderr, "hint: tables are person, auction and bid\n");
			ok = false;
			break;
		}
		want[i] = true;
	}
	free(copy);
	return ok;
}

static bool
open_out(outfile *o, const char *dir, const char *name)
{
	if (strcmp(dir, "-") == 0) {
		o->fd = STDOUT_FILENO;
		o->path = sl_xstrdup("-");
	} else {
		size_t n = strlen(dir) + strlen(name) + 2;
		o->path = sl_xmalloc(n);
		snprintf(o->path, n, "%s/%s", dir, name);
		o->fd = open(o->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (o->fd < 0) {
			sl_cli_usage_error("cannot create \"%s\": %s", o->path, strerror(errno));
			return false;
		}
	}
	o->buf = sl_xmalloc(OUTBUF_SIZE);
	o->len = 0;
	return true;
}

static bool
close_out(outfile *o)
{
	bool ok;

	if (o->fd < 0)
		return true;
	out_flush(o);
	ok = !o->failed;
	if (o->fd != STDOUT_FILENO && close(o->fd) != 0 && ok) {
		sl_cli_usage_error("cannot write \"%s\": %s", o->path, strerror(errno));
		ok = false;
	}
	free(o->buf);
	free(o->path);
	o->fd = -1;
	return ok;
}

int
sl_cli_gen_main(int argc, char **argv)
{
	sl_nexmark_config cfg;
	int64_t events = -1, subtask = -1, v;
	const char *format = "csv", *out = "-", *what = NULL;
	bool want[3] = {false, false, false}, any_table = false, json;
	outfile files[3], *route[3];
	int32_t G;
	int32_t first, last;
	sl_nexmark_gen **gens;
	sl_nexmark_event **evs;
	char **scratch;
	size_t *counts;
	int rc = 0;

	sl_nexmark_config_init(&cfg);
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *val = NULL, *eq;
		char flag[64];

		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			print_usage(stdout);
			return 0;
		}
		if (arg[0] != '-' || strcmp(arg, "-") == 0) {
			if (what) {
				sl_cli_usage_error("unexpected argument \"%s\"", arg);
				return 2;
			}
			what = arg;
			continue;
		}
		/* --flag=value or --flag value; -o is --option */
		if (strcmp(arg, "-o") == 0)
			arg = "--option";
		eq = strchr(arg, '=');
		if (eq && (size_t)(eq - arg) < sizeof flag) {
			memcpy(flag, arg, (size_t)(eq - arg));
			flag[eq - arg] = '\0';
			val = eq + 1;
		} else {
			snprintf(flag, sizeof flag, "%s", arg);
		}
		{
			size_t k;
			for (k = 0; k < SL_ARRAY_LEN(gen_flags) - 1; k++)
				if (strcmp(flag, gen_flags[k]) == 0)
					break;
			if (k == SL_ARRAY_LEN(gen_flags) - 1) {
				const char *near = sl_suggest(flag, gen_flags, SL_ARRAY_LEN(gen_flags));
				sl_cli_usage_error("unknown option \"%s\"", flag);
				if (near)
					fprintf(stderr, "hint: did you mean \"%s\"?\n", near);
				else
					fprintf(stderr, "hint: run \"sluice gen --help\" for the options\n");
				return 2;
			}
		}
		if (!val) {
			if (i + 1 >= argc) {
				sl_cli_usage_error("option \"%s\" needs a value", flag);
				return 2;
			}
			val = argv[++i];
		}
		if (strcmp(flag, "--events") == 0) {
			if (!parse_i64(flag, val, 0, INT64_C(1000000000000000), &events))
				return 2;
		} else if (strcmp(flag, "--seed") == 0) {
			char *end;
			errno = 0;
			cfg.seed = strtoull(val, &end, 0);
			if (errno || end == val || *end || val[0] == '-') {
				sl_cli_usage_error("invalid value \"%s\" for --seed", val);
				fprintf(stderr, "hint: --seed takes a non-negative 64-bit integer\n");
				return 2;
			}
		} else if (strcmp(flag, "--rate") == 0) {
			if (!parse_i64(flag, val, 1, INT64_C(1000000000000), &cfg.event_rate))
				return 2;
		} else if (strcmp(flag, "--generators") == 0) {
			if (!parse_i64(flag, val, 1, 4096, &v))
				return 2;
			cfg.generators = (int32_t)v;
		} else if (strcmp(flag, "--subtask") == 0) {
			if (!parse_i64(flag, val, 0, 4095, &subtask))
				return 2;
		} else if (strcmp(flag, "--format") == 0) {
			if (strcmp(val, "csv") != 0 && strcmp(val, "json") != 0) {
				static const char *const fmts[] = {"csv", "json"};
				const char *near = sl_suggest(val, fmts, 2);
				sl_cli_usage_error("unknown format \"%s\"", val);
				fprintf(stderr, "hint: %s\n",
				        near ? (strcmp(near, "csv") == 0 ? "did you mean \"csv\"?"
				                                         : "did you mean \"json\"?")
				             : "formats are csv and json");
				return 2;
			}
			format = val;
		} else if (strcmp(flag, "--out") == 0) {
			out = val;
		} else if (strcmp(flag, "--option") == 0) {
			const char *oeq = strchr(val, '=');
			char *key;
			const char *bad;
			if (!oeq) {
				sl_cli_usage_error("--option needs KEY=VALUE, got \"%s\"", val);
				return 2;
			}
			key = sl_xstrndup(val, (size_t)(oeq - val));
			bad = sl_nexmark_config_set(&cfg, key, oeq + 1);
			if (bad && strcmp(bad, "unknown nexmark option") == 0) {
				size_t nkeys = 0;
				const char *near;
				while (sl_nexmark_option_keys[nkeys])
					nkeys++;
				near = sl_suggest(key, sl_nexmark_option_keys, nkeys);
				sl_cli_usage_error("unknown nexmark option \"%s\"", key);
				if (near)
					fprintf(stderr, "hint: did you mean \"%s\"?\n", near);
				free(key);
				return 2;
			}
			free(key);
			if (bad) {
				sl_cli_usage_error("%s", bad);
				return 2;
			}
		} else if (strcmp(flag, "--table") == 0) {
			if (!parse_tables(val, want))
				return 2;
			any_table = true;
		}
	}
	if (!what) {
		sl_cli_usage_error("missing generator name");
		fprintf(stderr, "hint: sluice gen nexmark --events N (see \"sluice gen --help\")\n");
		return 2;
	}
	if (strcmp(what, "nexmark") != 0) {
		static const char *const gens_known[] = {"nexmark"};
		sl_cli_usage_error("unknown generator \"%s\"", what);
		fprintf(stderr, "hint: %s\n",
		        sl_suggest(what, gens_known, 1) ? "did you mean \"nexmark\"?"
		                                        : "the only generator is \"nexmark\"");
		return 2;
	}
	if (events < 0 && cfg.max_events > 0) /* from --option events.num=N */
		events = cfg.max_events;
	if (cfg.generators == 0) /* generators.num=0: "the parallelism", here 1 */
		cfg.generators = 1;
	if (events < 0) {
		sl_cli_usage_error("missing --events");
		fprintf(stderr, "hint: give the number of events, e.g. --events 100000\n");
		return 2;
	}
	if (subtask >= cfg.generators) {
		sl_cli_usage_error("--subtask %" PRId64 " is out of range for --generators %d", subtask,
		                   (int)cfg.generators);
		fprintf(stderr, "hint: subtasks are numbered 0 to %d\n", (int)cfg.generators - 1);
		return 2;
	}
	if (!any_table)
		want[0] = want[1] = want[2] = true;
	json = strcmp(format, "json") == 0;
	if (!json && strcmp(out, "-") == 0 && want[0] + want[1] + want[2] != 1) {
		sl_cli_usage_error("--format csv writes three tables: give --out DIR");
		fprintf(stderr, "hint: or write one table to stdout with --table bid (or person, auction)\n");
		return 2;
	}
	if (strcmp(out, "-") != 0 && mkdir(out, 0755) != 0 && errno != EEXIST) {
		sl_cli_usage_error("cannot create directory \"%s\": %s", out, strerror(errno));
		return 1;
	}
	cfg.max_events = events; /* 0 events: the files are created empty */
	{
		const char *bad = sl_nexmark_config_check(&cfg);
		if (bad) {
			sl_cli_usage_error("%s", bad);
			return 2;
		}
	}

	for (int t = 0; t < 3; t++) {
		files[t].fd = -1;
		route[t] = NULL;
	}
	if (json) {
		if (!open_out(&files[0], out, "events.jsonl"))
			return 1;
		for (int t = 0; t < 3; t++)
			route[t] = want[t] ? &files[0] : NULL;
	} else {
		static const char *const csv_names[] = {"person.csv", "auction.csv", "bid.csv"};
		for (int t = 0; t < 3; t++)
			if (want[t]) {
				if (!open_out(&files[t], out, csv_names[t]))
					return 1;
				route[t] = &files[t];
			}
	}

	/* one generator per split written, merged in eid order */
	G = cfg.generators;
	first = subtask >= 0 ? (int32_t)subtask : 0;
	last = subtask >= 0 ? (int32_t)subtask : G - 1;
	gens = sl_xcalloc((size_t)G, sizeof *gens);
	evs = sl_xcalloc((size_t)G, sizeof *evs);
	scratch = sl_xcalloc((size_t)G, sizeof *scratch);
	counts = sl_xcalloc((size_t)G, sizeof *counts);
	if (events > 0)
		for (int32_t k = first; k <= last; k++) {
			gens[k] = sl_nexmark_gen_new(&cfg, k);
			evs[k] = sl_xmalloc(BATCH * sizeof(sl_nexmark_event));
			scratch[k] = sl_xmalloc(BATCH * SL_NEXMARK_EVENT_SCRATCH_MAX);
		}
	for (;;) {
		size_t most = 0;

		if (events == 0)
			break;
		for (int32_t k = first; k <= last; k++) {
			sl_nexmark_buf buf = {scratch[k], BATCH * SL_NEXMARK_EVENT_SCRATCH_MAX, 0};
			counts[k] = sl_nexmark_gen_next_batch(gens[k], evs[k], BATCH, &buf);
			most = SL_MAX(most, counts[k]);
		}
		if (most == 0)
			break;
		for (size_t i = 0; i < most; i++)
			for (int32_t k = first; k <= last; k++) {
				const sl_nexmark_event *ev;
				outfile *o;
				if (i >= counts[k])
					continue;
				ev = &evs[k][i];
				o = route[ev->kind];
				if (!o)
					continue;
				if (json)
					write_json(o, ev);
				else
					write_csv(o, ev);
			}
		if (files[0].failed || files[1].failed || files[2].failed) {
			rc = 1;
			break;
		}
	}
	for (int t = 0; t < 3; t++)
		if (!close_out(&files[t]))
			rc = 1;
	for (int32_t k = 0; k < G; k++) {
		sl_nexmark_gen_free(gens[k]);
		free(evs[k]);
		free(scratch[k]);
	}
	free(gens);
	free(evs);
	free(scratch);
	free(counts);
	return rc;
}
