/*
 * nexmark_gen.c
 *	  The Nexmark event generator (see nexmark_gen.h for the model, the
 *	  rules and where we differ from Flink's generator).
 *
 *	  Each event is a pure function of (config, eid): gen_one() seeds a
 *	  splitmix64 stream from the eid and draws the fields in a fixed order.
 *	  The batch loop only keeps incremental state (eid, epoch/offset in the
 *	  1:3:46 block, the event-time quotient and remainder) so that it does
 *	  no 64-bit division per event.
 *
 *	  @thread one generator per subtask; tables are read-only after _new.
 *
 * INTERFACE ROUTINES
 *	  sl_nexmark_config_init, sl_nexmark_config_check, sl_nexmark_config_set
 *	  sl_nexmark_gen_new, sl_nexmark_gen_free
 *	  sl_nexmark_gen_next_batch, sl_nexmark_gen_position, sl_nexmark_gen_channels,
 *	  sl_nexmark_gen_seek, sl_nexmark_gen_remaining, sl_nexmark_gen_next_offset_us
 *	  sl_nexmark_gen_event, sl_nexmark_event_time_us, sl_nexmark_kind_of
 */
#include "runtime/nexmark_gen.h"

#include "common/common.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PERSON_ID_LEAD 10       /* foreign keys may name up to 10 future people */
#define AUCTION_ID_LEAD 10      /* ... and up to 10 future auctions */
#define HOT_GROUP 100           /* hot ids are multiples of 100 (+1 for bidders) */
#define NUM_CHANNELS 10000      /* channel-0 .. channel-9999 */
#define NUM_HOT_CHANNELS 4
#define POOL_LEN (256 * 1024)   /* random letters that extras are sliced from */
#define GOLDEN UINT64_C(0x9E3779B97F4A7C15)
#define EID_MULT UINT64_C(0xD1B54A32D192ED03)

static const char *const first_names[] = {"Peter", "Paul", "Luke", "John", "Saul", "Vicky",
                                          "Kate", "Julie", "Sarah", "Deiter", "Walter"};
static const char *const last_names[] = {"Shultz", "Abrams", "Spencer", "White", "Bartels",
                                         "Walton", "Smith", "Jones", "Noris"};
static const char *const cities[] = {"Phoenix", "Los Angeles", "San Francisco", "Boise",
                                     "Portland", "Bend", "Redmond", "Seattle", "Kent",
                                     "Cheyenne"};
static const char *const us_states[] = {"AZ", "CA", "ID", "OR", "WA", "WY"};
static const char *const hot_channels[] = {"Google", "Facebook", "Baidu", "Apple"};

#define NUM_NAMES (SL_ARRAY_LEN(first_names) * SL_ARRAY_LEN(last_names))

struct sl_nexmark_gen {
	sl_nexmark_config cfg;      /* copy of the caller's configuration */
	int32_t subtask;            /* k: this generator makes eids k, k+G, ... */
	uint64_t key;               /* mix64(seed) */
	int64_t total;              /* P + A + B, events per block */
	int64_t end_eid;            /* max_events, or INT64_MAX */
	int64_t horizon_events;     /* events spanned by in-flight auctions (1666) */
	int64_t base_ms;            /* base_time_us / 1000 */

	/* incremental state of the next eid to generate */
	int64_t pos;                /* events this subtask produced */
	int64_t next_eid;           /* subtask + pos*G */
	int64_t epoch, off;         /* next_eid / total, next_eid % total */
	uint64_t tq, tr;            /* next_eid*1e6 = tq*R + tr */
	int64_t d_epoch, d_off;     /* G / total, G % total */
	uint64_t d_tq, d_tr;        /* G*1e6 / R, G*1e6 % R */

	/* read-only tables */
	sl_nexmark_str names[NUM_NAMES];    /* "First Last" */
	sl_nexmark_str cities[SL_ARRAY_LEN(cities)];
	sl_nexmark_str states[SL_ARRAY_LEN(us_states)];
	sl_nexmark_str channels[NUM_CHANNELS + NUM_HOT_CHANNELS]; /* hot ones last */
	sl_nexmark_str urls[NUM_CHANNELS + NUM_HOT_CHANNELS];
	char *blob;                 /* malloc'ed text of names, channels, urls */
	char *pool;                 /* malloc'ed POOL_LEN + pool_tail letters */
	size_t pool_tail;           /* longest extra that can be sliced */
};

/* ---------------------------------------------------------------------
 * Randomness: a counter-based stream per event (splitmix64).
 * ------------------------------------------------------------------- */
typedef struct rng {
	uint64_t s;
} rng;

static inline uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static inline rng
rng_for(uint64_t key, uint64_t stream)
{
	rng r = {mix64(key ^ (stream * EID_MULT))};
	return r;
}

static inline uint64_t
rng_next(rng *r)
{
	r->s += GOLDEN;
	return mix64(r->s);
}

/* uniform in [0, n), n >= 1 */
static inline uint64_t
pick(rng *r, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)rng_next(r) * n) >> 64);
}

/* uniform in [0, 1) */
static inline double
unit(rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* ---------------------------------------------------------------------
 * Event time and id arithmetic.
 * ------------------------------------------------------------------- */
static inline int64_t
event_time_ms(const sl_nexmark_config *cfg, int64_t eid)
{
	unsigned __int128 num = (unsigned __int128)(uint64_t)eid * 1000000u;
	uint64_t us = (uint64_t)(num / (uint64_t)cfg->event_rate);

	return cfg->base_time_us / 1000 + (int64_t)(us / 1000);
}

int64_t
sl_nexmark_event_time_us(const sl_nexmark_config *cfg, int64_t eid)
{
	return event_time_ms(cfg, eid) * 1000;
}

sl_nexmark_kind
sl_nexmark_kind_of(const sl_nexmark_config *cfg, int64_t eid)
{
	int64_t total = (int64_t)cfg->person_proportion + cfg->auction_proportion + cfg->bid_proportion;
	int64_t off = eid % total;

	if (off < cfg->person_proportion)
		return SL_NEXMARK_PERSON;
	if (off < cfg->person_proportion + cfg->auction_proportion)
		return SL_NEXMARK_AUCTION;
	return SL_NEXMARK_BID;
}

/* 0-based id of the last person created at (epoch, off). */
static inline int64_t
last_person(const sl_nexmark_config *cfg, int64_t epoch, int64_t off)
{
	int64_t p = cfg->person_proportion;
	return epoch * p + (off >= p ? p - 1 : off);
}

/* 0-based id of the last auction created at (epoch, off); -1 before any. */
static inline int64_t
last_auction(const sl_nexmark_config *cfg, int64_t epoch, int64_t off)
{
	int64_t p = cfg->person_proportion, a = cfg->auction_proportion;

	if (off < p)
		return (epoch - 1) * a + a - 1;
	if (off >= p + a)
		return epoch * a + a - 1;
	return epoch * a + (off - p);
}

/* A person among the last num_active_people, with a lead of PERSON_ID_LEAD. */
static inline int64_t
pick_person(const sl_nexmark_config *cfg, rng *r, int64_t last)
{
	int64_t num = last + 1;
	int64_t active = SL_MIN(num, (int64_t)cfg->num_active_people);

	return num - active + (int64_t)pick(r, (uint64_t)(active + PERSON_ID_LEAD));
}

/* An auction among the last num_in_flight_auctions, with AUCTION_ID_LEAD. */
static inline int64_t
pick_auction(const sl_nexmark_config *cfg, rng *r, int64_t last)
{
	int64_t lo = SL_MAX(last - (int64_t)cfg->num_in_flight_auctions, (int64_t)0);

	return lo + (int64_t)pick(r, (uint64_t)(last - lo + 1 + AUCTION_ID_LEAD));
}

/* pow10_table[i] = 100 * 10^(6i / POW10_STEPS): price() interpolates it. */
#define POW10_BITS 12
#define POW10_STEPS (1 << POW10_BITS)
static double pow10_table[POW10_STEPS + 1];

/* Build pow10_table (once, through init_tables). */
static void
init_pow10_table(void)
{
	for (int i = 0; i <= POW10_STEPS; i++)
		pow10_table[i] = 100.0 * pow(10.0, 6.0 * i / POW10_STEPS);
}

/* log-uniform cents in [100, 1e8]: round(100 * 10^(6u)), u uniform in
 * [0,1). 10^(6u) = table[i] * 10^(6r), i = top 12 bits of u, r < 2^-12:
 * 10^(6r) = e^y with y < 0.0034 from a degree-4 Taylor polynomial
 * (relative error < 4e-15, so below 0.5 cent at 1e8 cents). Plain double
 * arithmetic, no libm on the hot path: fast and the same on every IEEE
 * platform. */
static inline int64_t
price(rng *r)
{
	uint64_t bits = rng_next(r) >> 11;                  /* 53 bits of u */
	uint64_t i = bits >> (53 - POW10_BITS);
	double rest = (double)(bits & ((UINT64_C(1) << (53 - POW10_BITS)) - 1)) * 0x1.0p-53;
	double y = rest * 13.815510557964274;               /* 6 ln 10 * r */
	double e = 1.0 + y * (1.0 + y * (0.5 + y * (1.0 / 6.0 + y * (1.0 / 24.0))));

	return (int64_t)(pow10_table[i] * e + 0.5);
}

/* ---------------------------------------------------------------------
 * Strings.
 * ------------------------------------------------------------------- */

/* char_table[k][c] for c in [0, 338): below 26 (1/13) the special
 * character (k = 0: ' ', k = 1: '_'), else the letter 'a' + c % 26. */
static char char_table[2][338];

static void
init_char_table(void)
{
	for (int c = 0; c < 338; c++) {
		char_table[0][c] = c < 26 ? ' ' : (char)('a' + c % 26);
		char_table[1][c] = c < 26 ? '_' : (char)('a' + c % 26);
	}
}

/* NEXMARK's str(max): 3..max-1 characters, each `special` (' ' or '_')
 * with probability 1/13, else a lowercase letter; spaces trimmed. Writes
 * at most max bytes at dst (one past the string may be scribbled);
 * returns the string (a slice of dst). */
static sl_nexmark_str
random_string(rng *r, char *dst, uint32_t max, char special)
{
	uint32_t len = 3 + (uint32_t)pick(r, max - 3);
	uint32_t i = 0, b = 0, e;
	const char *tbl = char_table[special == '_'];
	sl_nexmark_str s;

	/* two characters per draw: 32 bits each, scaled to [0, 338) */
	for (i = 0; i < len; i += 2) {
		uint64_t x = rng_next(r);
		dst[i] = tbl[((x & 0xffffffffu) * 338u) >> 32];
		dst[i + 1] = tbl[((x >> 32) * 338u) >> 32];
	}
	e = len;
	if (special == ' ') {
		while (b < e && dst[b] == ' ')
			b++;
		while (e > b && dst[e - 1] == ' ')
			e--;
	}
	s.len = e - b;
	s.ptr = dst + b;
	return s;
}

/* Extra padding toward target bytes when the fixed fields take cur. */
static inline sl_nexmark_str
extra(const sl_nexmark_gen *gen, rng *r, int64_t cur, int64_t target)
{
	sl_nexmark_str s;
	int64_t d = target - cur, delta, len;

	if (d <= 0) {
		s.len = 0;
		s.ptr = gen->pool;
		return s;
	}
	delta = (d + 2) / 5;             /* round(d * 0.2) */
	len = d - delta + (delta ? (int64_t)pick(r, (uint64_t)(2 * delta)) : 0);
	s.len = (uint32_t)len;
	s.ptr = gen->pool + pick(r, POOL_LEN);
	return s;
}

static inline sl_nexmark_str
mkstr(const char *p, size_t n)
{
	sl_nexmark_str s = {(uint32_t)n, p};
	return s;
}

/* Java's Math.abs(Integer.reverse(i)) (abs of INT_MIN stays INT_MIN). */
static int64_t
java_abs_reverse(uint32_t i)
{
	uint32_t v = 0;
	int32_t sv;

	for (int b = 0; b < 32; b++)
		if (i & (UINT32_C(1) << b))
			v |= UINT32_C(1) << (31 - b);
	sv = (int32_t)v;
	if (sv == INT32_MIN)
		return INT32_MIN;
	return sv < 0 ? -(int64_t)sv : sv;
}

/* ---------------------------------------------------------------------
 * Configuration and tables.
 * ------------------------------------------------------------------- */
void
sl_nexmark_config_init(sl_nexmark_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->seed = 0;
	cfg->event_rate = SL_NEXMARK_DEFAULT_RATE;
	cfg->generators = 1;
	cfg->max_events = 0;
	cfg->base_time_us = SL_NEXMARK_DEFAULT_BASE_TIME_US;
	cfg->first_person_id = 1000;
	cfg->first_auction_id = 1000;
	cfg->first_category_id = 10;
	cfg->num_categories = 5;
	cfg->person_proportion = 1;
	cfg->auction_proportion = 3;
	cfg->bid_proportion = 46;
	cfg->hot_auction_ratio = 2;
	cfg->hot_seller_ratio = 4;
	cfg->hot_bidder_ratio = 4;
	cfg->hot_channel_ratio = 2;
	cfg->num_active_people = 1000;
	cfg->num_in_flight_auctions = 100;
	cfg->avg_person_bytes = 200;
	cfg->avg_auction_bytes = 500;
	cfg->avg_bid_bytes = 100;
}

const char *
sl_nexmark_config_check(const sl_nexmark_config *cfg)
{
	if (cfg->event_rate <= 0 || cfg->event_rate > INT64_C(1000000000000))
		return "event rate must be between 1 and 1e12 events per second";
	if (cfg->generators <= 0 || cfg->generators > 4096)
		return "number of generators must be between 1 and 4096";
	if (cfg->max_events < 0)
		return "max events must not be negative";
	if (cfg->base_time_us % 1000 != 0)
		return "base time must be a whole number of milliseconds";
	if (cfg->person_proportion < 0 || cfg->auction_proportion < 0 || cfg->bid_proportion < 0 ||
	    cfg->person_proportion > 1000000 || cfg->auction_proportion > 1000000 ||
	    cfg->bid_proportion > 1000000 ||
	    (int64_t)cfg->person_proportion + cfg->auction_proportion + cfg->bid_proportion == 0)
		return "person, auction and bid proportions must be between 0 and 1e6, not all 0";
	if (cfg->num_categories <= 0)
		return "number of categories must be positive";
	if (cfg->hot_auction_ratio <= 0 || cfg->hot_seller_ratio <= 0 || cfg->hot_bidder_ratio <= 0 ||
	    cfg->hot_channel_ratio <= 0)
		return "hot ratios must be positive";
	if (cfg->num_active_people <= 0 || cfg->num_in_flight_auctions <= 0)
		return "active people and in-flight auctions must be positive";
	if (cfg->avg_person_bytes < 0 || cfg->avg_auction_bytes < 0 || cfg->avg_bid_bytes < 0 ||
	    cfg->avg_person_bytes > 100000 || cfg->avg_auction_bytes > 100000 ||
	    cfg->avg_bid_bytes > 100000)
		return "average event sizes must be between 0 and 100000 bytes";
	return NULL;
}

const char *const sl_nexmark_option_keys[] = {
	"first-event.rate", "next-event.rate", "events.num", "rate.limited", "seed",
	"generators.num", "base-time.millis", "person.proportion", "auction.proportion",
	"bid.proportion", "person.avg-size", "auction.avg-size", "bid.avg-size",
	"hot-auction.ratio", "hot-seller.ratio", "hot-bidder.ratio", "hot-channel.ratio",
	"active-people.num", "in-flight-auctions.num", NULL};

static bool
parse_int(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

const char *
sl_nexmark_config_set(sl_nexmark_config *cfg, const char *key, const char *value)
{
	int64_t v;

#define INT_OPTION(name, lo, hi, range, assign)                                \
	if (strcmp(key, name) == 0) {                                          \
		if (!parse_int(value, (lo), (hi), &v))                             \
			return "invalid value for nexmark option \"" name "\": "        \
			       "expected an integer " range;                           \
		assign;                                                            \
		return NULL;                                                       \
	}
	INT_OPTION("first-event.rate", 1, INT64_C(1000000000000), "from 1 to 1e12",
	           cfg->event_rate = v)
	if (strcmp(key, "next-event.rate") == 0) {
		if (!parse_int(value, 1, INT64_C(1000000000000), &v) || v != cfg->event_rate)
			return "nexmark option \"next-event.rate\" must equal \"first-event.rate\" "
			       "(give first-event.rate first)";
		return NULL;
	}
	INT_OPTION("events.num", 0, INT64_MAX, ">= 0",
	           cfg->max_events = v)
	if (strcmp(key, "rate.limited") == 0) {
		if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0)
			return "invalid value for nexmark option \"rate.limited\" (true or false)";
		return NULL;
	}
	if (strcmp(key, "seed") == 0) {
		if (!parse_int(value, INT64_MIN, INT64_MAX, &v))
			return "invalid value for nexmark option \"seed\" (a 64-bit integer is expected)";
		cfg->seed = (uint64_t)v;
		return NULL;
	}
	INT_OPTION("generators.num", 0, 4096, "from 0 to 4096",
	           cfg->generators = (int32_t)v)
	INT_OPTION("base-time.millis", INT64_MIN / 1000, INT64_MAX / 1000,
	           "(milliseconds since the epoch)",
	           cfg->base_time_us = v * 1000)
	INT_OPTION("person.proportion", 0, 1000000, "from 0 to 1000000",
	           cfg->person_proportion = (int32_t)v)
	INT_OPTION("auction.proportion", 0, 1000000, "from 0 to 1000000",
	           cfg->auction_proportion = (int32_t)v)
	INT_OPTION("bid.proportion", 0, 1000000, "from 0 to 1000000",
	           cfg->bid_proportion = (int32_t)v)
	INT_OPTION("person.avg-size", 0, 100000, "from 0 to 100000",
	           cfg->avg_person_bytes = (int32_t)v)
	INT_OPTION("auction.avg-size", 0, 100000, "from 0 to 100000",
	           cfg->avg_auction_bytes = (int32_t)v)
	INT_OPTION("bid.avg-size", 0, 100000, "from 0 to 100000",
	           cfg->avg_bid_bytes = (int32_t)v)
	INT_OPTION("hot-auction.ratio", 1, INT32_MAX, ">= 1",
	           cfg->hot_auction_ratio = (int32_t)v)
	INT_OPTION("hot-seller.ratio", 1, INT32_MAX, ">= 1",
	           cfg->hot_seller_ratio = (int32_t)v)
	INT_OPTION("hot-bidder.ratio", 1, INT32_MAX, ">= 1",
	           cfg->hot_bidder_ratio = (int32_t)v)
	INT_OPTION("hot-channel.ratio", 1, INT32_MAX, ">= 1",
	           cfg->hot_channel_ratio = (int32_t)v)
	INT_OPTION("active-people.num", 1, INT32_MAX, ">= 1",
	           cfg->num_active_people = (int32_t)v)
	INT_OPTION("in-flight-auctions.num", 1, INT32_MAX, ">= 1",
	           cfg->num_in_flight_auctions = (int32_t)v)
#undef INT_OPTION
	return "unknown nexmark option";
}

static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

/* The process-wide constant tables. */
static void
init_tables(void)
{
	init_pow10_table();
	init_char_table();
}

static void
build_tables(sl_nexmark_gen *gen)
{
	size_t cap = NUM_NAMES * 32 + (NUM_CHANNELS + NUM_HOT_CHANNELS) * 112;
	char *p;
	size_t maxavg;
	rng r;

	gen->blob = sl_xmalloc(cap);
	p = gen->blob;
	for (size_t f = 0; f < SL_ARRAY_LEN(first_names); f++)
		for (size_t l = 0; l < SL_ARRAY_LEN(last_names); l++) {
			int n = sprintf(p, "%s %s", first_names[f], last_names[l]);
			gen->names[f * SL_ARRAY_LEN(last_names) + l] = mkstr(p, (size_t)n);
			p += n;
		}
	for (size_t i = 0; i < SL_ARRAY_LEN(cities); i++)
		gen->cities[i] = mkstr(cities[i], strlen(cities[i]));
	for (size_t i = 0; i < SL_ARRAY_LEN(us_states); i++)
		gen->states[i] = mkstr(us_states[i], strlen(us_states[i]));

	/* channel i (hot channels at NUM_CHANNELS + h): its own stream */
	for (uint32_t i = 0; i < NUM_CHANNELS + NUM_HOT_CHANNELS; i++) {
		char *u;
		sl_nexmark_str s;
		int n;

		r = rng_for(gen->key ^ UINT64_C(0x6368616e6e656c73), i); /* "channels" */
		if (i < NUM_CHANNELS) {
			n = sprintf(p, "channel-%u", i);
		} else {
			const char *h = hot_channels[i - NUM_CHANNELS];
			n = sprintf(p, "%s", h);
		}
		gen->channels[i] = mkstr(p, (size_t)n);
		p += n;
		u = p;
		memcpy(p, "https://www.nexmark.com/", 24);
		p += 24;
		for (int k = 0; k < 3; k++) {
			s = random_string(&r, p, 5, '_');
			p += s.len; /* '_' is never trimmed: s.ptr == p */
			*p++ = '/';
		}
		memcpy(p, "item.htm?query=1", 16);
		p += 16;
		if (i < NUM_CHANNELS && pick(&r, 10) > 0)
			p += sprintf(p, "&channel_id=%lld", (long long)java_abs_reverse(i));
		gen->urls[i] = mkstr(u, (size_t)(p - u));
	}
	SL_ASSERT((size_t)(p - gen->blob) <= cap);

	/* the letter pool; the tail lets any extra start anywhere in POOL_LEN */
	maxavg = (size_t)SL_MAX(SL_MAX(gen->cfg.avg_person_bytes, gen->cfg.avg_auction_bytes),
	                        gen->cfg.avg_bid_bytes);
	gen->pool_tail = maxavg + maxavg / 4 + 16;
	gen->pool = sl_xmalloc(POOL_LEN + gen->pool_tail);
	r = rng_for(gen->key ^ UINT64_C(0x6c657474657273), 0); /* "letters" */
	for (size_t i = 0; i < POOL_LEN + gen->pool_tail;) {
		uint64_t x = rng_next(&r);
		for (int k = 0; k < 4 && i < POOL_LEN + gen->pool_tail; k++) {
			gen->pool[i++] = (char)('a' + (((x & 0xffff) * 26) >> 16));
			x >>= 16;
		}
	}
}

static void
set_position(sl_nexmark_gen *gen, int64_t pos)
{
	const sl_nexmark_config *cfg = &gen->cfg;
	unsigned __int128 num;

	gen->pos = pos;
	gen->next_eid = gen->subtask + pos * (int64_t)cfg->generators;
	gen->epoch = gen->next_eid / gen->total;
	gen->off = gen->next_eid % gen->total;
	num = (unsigned __int128)(uint64_t)gen->next_eid * 1000000u;
	gen->tq = (uint64_t)(num / (uint64_t)cfg->event_rate);
	gen->tr = (uint64_t)(num % (uint64_t)cfg->event_rate);
}

sl_nexmark_gen *
sl_nexmark_gen_new(const sl_nexmark_config *cfg, int32_t subtask)
{
	sl_nexmark_gen *gen;
	const char *bad = sl_nexmark_config_check(cfg);
	uint64_t step;

	if (bad)
		sl_fatal("internal error: invalid nexmark configuration: %s", bad);
	SL_ASSERT(subtask >= 0 && subtask < cfg->generators);
	pthread_once(&tables_once, init_tables);
	gen = sl_xcalloc(1, sizeof *gen);
	gen->cfg = *cfg;
	gen->subtask = subtask;
	gen->key = mix64(cfg->seed ^ UINT64_C(0x6e65786d61726b)); /* "nexmark" */
	gen->total = (int64_t)cfg->person_proportion + cfg->auction_proportion + cfg->bid_proportion;
	gen->end_eid = cfg->max_events > 0 ? cfg->max_events : INT64_MAX;
	gen->horizon_events = cfg->auction_proportion > 0
	    ? (int64_t)cfg->num_in_flight_auctions * gen->total / cfg->auction_proportion : 0;
	gen->base_ms = cfg->base_time_us / 1000;
	gen->d_epoch = cfg->generators / gen->total;
	gen->d_off = cfg->generators % gen->total;
	step = (uint64_t)cfg->generators * 1000000u;
	gen->d_tq = step / (uint64_t)cfg->event_rate;
	gen->d_tr = step % (uint64_t)cfg->event_rate;
	build_tables(gen);
	set_position(gen, 0);
	return gen;
}

void
sl_nexmark_gen_free(sl_nexmark_gen *gen)
{
	if (!gen)
		return;
	free(gen->blob);
	free(gen->pool);
	free(gen);
}

/* ---------------------------------------------------------------------
 * One event.
 * ------------------------------------------------------------------- */

/* Fill *ev for eid at block position (epoch, off) and time ts_ms. Person
 * and auction strings go to scratch (SL_NEXMARK_EVENT_SCRATCH_MAX bytes);
 * returns the scratch bytes used. */
static inline size_t
gen_one(const sl_nexmark_gen *gen, int64_t eid, int64_t epoch, int64_t off, int64_t ts_ms,
        sl_nexmark_event *ev, char *scratch)
{
	const sl_nexmark_config *cfg = &gen->cfg;
	rng r = rng_for(gen->key, (uint64_t)eid);
	int64_t lp = last_person(cfg, epoch, off);

	ev->eid = eid;
	ev->date_time_us = ts_ms * 1000;
	if (off >= cfg->person_proportion + cfg->auction_proportion) {
		sl_nexmark_bid *b = &ev->u.bid;
		int64_t la = last_auction(cfg, epoch, off);
		uint32_t ch;

		ev->kind = SL_NEXMARK_BID;
		if (pick(&r, (uint64_t)cfg->hot_auction_ratio) > 0)
			b->auction = (la / HOT_GROUP) * HOT_GROUP;
		else
			b->auction = pick_auction(cfg, &r, la);
		b->auction += cfg->first_auction_id;
		if (pick(&r, (uint64_t)cfg->hot_bidder_ratio) > 0)
			b->bidder = (lp / HOT_GROUP) * HOT_GROUP + 1;
		else
			b->bidder = pick_person(cfg, &r, lp);
		b->bidder += cfg->first_person_id;
		b->price = price(&r);
		if (pick(&r, (uint64_t)cfg->hot_channel_ratio) > 0)
			ch = NUM_CHANNELS + (uint32_t)pick(&r, NUM_HOT_CHANNELS);
		else
			ch = (uint32_t)pick(&r, NUM_CHANNELS);
		b->channel = gen->channels[ch];
		b->url = gen->urls[ch];
		b->ch = ch;
		b->extra = extra(gen, &r, 32, cfg->avg_bid_bytes);
		return 0;
	}
	if (off < cfg->person_proportion) {
		sl_nexmark_person *p = &ev->u.person;
		char *s = scratch;
		int64_t cur;

		ev->kind = SL_NEXMARK_PERSON;
		p->id = lp + cfg->first_person_id;
		p->name = gen->names[pick(&r, NUM_NAMES)];
		/* email: str(7) "@" str(5) ".com" */
		{
			sl_nexmark_str a = random_string(&r, s, 7, ' ');
			char *e = s;
			memmove(e, a.ptr, a.len);
			e += a.len;
			*e++ = '@';
			a = random_string(&r, e, 5, ' ');
			memmove(e, a.ptr, a.len);
			e += a.len;
			memcpy(e, ".com", 4);
			e += 4;
			p->email = mkstr(s, (size_t)(e - s));
			s = e;
		}
		/* credit card: "dddd dddd dddd dddd" */
		for (int g = 0; g < 4; g++) {
			uint32_t v = (uint32_t)pick(&r, 10000);
			s[g * 5 + 0] = (char)('0' + v / 1000);
			s[g * 5 + 1] = (char)('0' + v / 100 % 10);
			s[g * 5 + 2] = (char)('0' + v / 10 % 10);
			s[g * 5 + 3] = (char)('0' + v % 10);
			if (g < 3)
				s[g * 5 + 4] = ' ';
		}
		p->credit_card = mkstr(s, 19);
		s += 19;
		p->city = gen->cities[pick(&r, SL_ARRAY_LEN(cities))];
		p->state = gen->states[pick(&r, SL_ARRAY_LEN(us_states))];
		cur = 8 + p->name.len + p->email.len + p->credit_card.len + p->city.len + p->state.len;
		p->extra = extra(gen, &r, cur, cfg->avg_person_bytes);
		return (size_t)(s - scratch);
	} else {
		sl_nexmark_auction *a = &ev->u.auction;
		char *s = scratch;
		int64_t la = last_auction(cfg, epoch, off);
		int64_t h;

		ev->kind = SL_NEXMARK_AUCTION;
		a->id = la + cfg->first_auction_id;
		a->item_name = random_string(&r, s, 20, ' ');
		s += 19;
		a->description = random_string(&r, s, 100, ' ');
		s += 99;
		a->initial_bid = price(&r);
		a->reserve = a->initial_bid + price(&r);
		if (pick(&r, (uint64_t)cfg->hot_seller_ratio) > 0)
			a->seller = (lp / HOT_GROUP) * HOT_GROUP;
		else
			a->seller = pick_person(cfg, &r, lp);
		a->seller += cfg->first_person_id;
		a->category = cfg->first_category_id + (int64_t)pick(&r, (uint64_t)cfg->num_categories);
		h = event_time_ms(cfg, eid + gen->horizon_events) - ts_ms;
		a->expires_us = (ts_ms + 1 + (int64_t)pick(&r, (uint64_t)SL_MAX(2 * h, (int64_t)1))) * 1000;
		a->extra = extra(gen, &r, 8 + a->item_name.len + a->description.len + 40,
		                 cfg->avg_auction_bytes);
		return (size_t)(s - scratch);
	}
}

/* ---------------------------------------------------------------------
 * Batches and positions.
 * ------------------------------------------------------------------- */
size_t
sl_nexmark_gen_next_batch(sl_nexmark_gen *gen, sl_nexmark_event *ev, size_t n,
                          sl_nexmark_buf *buf)
{
	const int64_t nonbid = (int64_t)gen->cfg.person_proportion + gen->cfg.auction_proportion;
	const uint64_t rate = (uint64_t)gen->cfg.event_rate;
	const int64_t G = gen->cfg.generators;
	size_t i = 0;

	while (i < n && gen->next_eid < gen->end_eid) {
		char *scratch = NULL;

		if (gen->off < nonbid) {
			if (!buf || buf->cap - buf->used < SL_NEXMARK_EVENT_SCRATCH_MAX)
				break;
			scratch = buf->data + buf->used;
		}
		{
			size_t used = gen_one(gen, gen->next_eid, gen->epoch, gen->off,
			                      gen->base_ms + (int64_t)(gen->tq / 1000), &ev[i], scratch);
			if (used)
				buf->used += used;
		}
		i++;
		gen->pos++;
		gen->next_eid += G;
		gen->epoch += gen->d_epoch;
		gen->off += gen->d_off;
		if (gen->off >= gen->total) {
			gen->off -= gen->total;
			gen->epoch++;
		}
		gen->tq += gen->d_tq;
		gen->tr += gen->d_tr;
		if (gen->tr >= rate) {
			gen->tr -= rate;
			gen->tq++;
		}
	}
	return i;
}

uint32_t
sl_nexmark_gen_channels(const sl_nexmark_gen *gen, const sl_nexmark_str **channels,
                        const sl_nexmark_str **urls)
{
	*channels = gen->channels;
	*urls = gen->urls;
	return NUM_CHANNELS + NUM_HOT_CHANNELS;
}

int64_t
sl_nexmark_gen_position(const sl_nexmark_gen *gen)
{
	return gen->pos;
}

void
sl_nexmark_gen_seek(sl_nexmark_gen *gen, int64_t pos)
{
	SL_ASSERT(pos >= 0);
	set_position(gen, pos);
}

int64_t
sl_nexmark_gen_remaining(const sl_nexmark_gen *gen)
{
	int64_t G = gen->cfg.generators;

	if (gen->cfg.max_events <= 0)
		return INT64_MAX;
	if (gen->next_eid >= gen->end_eid)
		return 0;
	return (gen->end_eid - gen->next_eid + G - 1) / G;
}

int64_t
sl_nexmark_gen_next_offset_us(const sl_nexmark_gen *gen)
{
	if (gen->next_eid >= gen->end_eid)
		return INT64_MAX;
	/* the exact microsecond, not the millisecond the event is stamped with */
	return (int64_t)gen->tq;
}

void
sl_nexmark_gen_event(const sl_nexmark_gen *gen, int64_t eid, sl_nexmark_event *ev, char *scratch)
{
	SL_ASSERT(eid >= 0 && eid < gen->end_eid);
	gen_one(gen, eid, eid / gen->total, eid % gen->total, event_time_ms(&gen->cfg, eid), ev,
	        scratch);
}
