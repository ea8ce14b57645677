/*
 * nexmark_gen.h
 *	  The Nexmark event generator: a pure, deterministic function from
 *	  (configuration, event id) to one Person, Auction or Bid event.
 *
 *	  This header is the design note of the generator; ../shared/NEXMARK.md
 *	  is the specification it implements. It depends on libc and libm only
 *	  (no chunks, no operators): the nexmark source connector and
 *	  `sluice gen nexmark` both sit on top of it, so the events a query sees
 *	  are exactly the events the SQLite oracle (tests/oracle/) is given.
 *
 *	  THE STREAM. One interleaved stream, event id eid = 0, 1, 2, ...; per
 *	  block of P+A+B events (default 1+3+46 = 50) the first P are people,
 *	  the next A auctions, the rest bids. Person ids and auction ids are
 *	  sequential from 1000 (first_person_id, first_auction_id). With
 *	  epoch = eid / 50 and off = eid % 50, the last person created so far is
 *	  (0-based) epoch*P + min(off, P-1) and the last auction is
 *	  epoch*A + (off-P) for an auction event, epoch*A + A-1 for a bid and
 *	  (epoch-1)*A + A-1 for a person.
 *
 *	  PARALLELISM. G generators (the source's parallelism) split the stream
 *	  by interleaving: subtask k of G produces eids k, k+G, k+2G, ... below
 *	  max_events. Every field of an event, its timestamp included, is a
 *	  function of (config, eid) alone, so the union over the G subtasks is
 *	  the single-generator stream, event for event, whatever G is.
 *
 *	  RANDOMNESS. Each event draws from its own counter-based stream:
 *	  state = mix64(key ^ eid * C), next() = mix64(state += golden gamma)
 *	  (splitmix64), key = mix64(seed). uniform(n) = (next() * n) >> 64
 *	  (Lemire's multiply-shift without rejection: the bias is below
 *	  n / 2^64, far below anything a test can see). Draw order inside an
 *	  event is fixed by the code below, so an event never depends on which
 *	  events were generated before it.
 *
 *	  EVENT TIME. Timestamps are int64 microseconds since the epoch (the
 *	  runtime's TIMESTAMP(3) representation), always a whole number of
 *	  milliseconds. NEXMARK.md gives ts(n) = baseTime + floor(n*G*1e6/R)/1000
 *	  ms for the n-th event of one of G generators; n*G is the number of
 *	  events all generators have produced before it, which in our
 *	  interleaved split is exactly the global eid. We therefore compute,
 *	  in exact integer arithmetic (no doubles),
 *	      ts_ms(eid) = base_ms + floor(floor(eid * 1000000 / R) / 1000)
 *	  so all G generators together produce R events per event-time second,
 *	  as in Flink, and an event's time does not depend on G. Timestamps are
 *	  non-decreasing in eid, and in each subtask's output.
 *
 *	  FIELDS (NEXMARK.md rules; "pick" = uniform; a hot ratio r makes a key
 *	  hot with probability (r-1)/r, so r = 1 turns hot keys off):
 *	  - person: id = 1000 + epoch*P + off; name = first + " " + last from
 *	    the 11 and 9 names; email = str(7) "@" str(5) ".com"; credit card =
 *	    four space-separated 4-digit groups; city (10), state (6).
 *	  - auction: id = 1000 + last auction; seller = with probability
 *	    (hot_seller_ratio-1)/hot_seller_ratio the hot seller
 *	    1000 + (lastPerson/100)*100, else a person picked from
 *	    [max(0, lastPerson+1-1000), lastPerson+10] + 1000 (the last 1000
 *	    people and a lead of 10 not yet created); category = 10 + pick(5);
 *	    initialBid = price(), reserve = initialBid + price(); itemName =
 *	    str(20), description = str(100); expires = dateTime + 1 +
 *	    pick(max(2h, 1)) ms, h = ts_ms(eid + 1666) - ts_ms(eid) with
 *	    1666 = 100 in-flight auctions * 50 / 3.
 *	  - bid: auction = with probability 1/2 (hot_auction_ratio 2) the hot
 *	    auction 1000 + (lastAuction/100)*100, else picked from
 *	    [max(0, lastAuction-100), lastAuction+10] + 1000; bidder = with
 *	    probability 3/4 the hot bidder 1000 + (lastPerson/100)*100 + 1, else
 *	    picked as the seller above; price = price(); channel = with
 *	    probability 1/2 one of Google, Facebook, Baidu, Apple with a fixed
 *	    URL each, else "channel-<i>", i = pick(10000), whose URL is
 *	    https://www.nexmark.com/<s>/<s>/<s>/item.htm?query=1 (s = str(5) with
 *	    '_' as the special character) plus, for 9 channels in 10,
 *	    "&channel_id=<abs(reverse32(i))>" computed as Java's
 *	    Math.abs(Integer.reverse(i)) (so channel 1 gets -2147483648, as in
 *	    Flink). Each channel's URL is fixed for a seed.
 *	  - price() = round(10^(6u) * 100), u uniform in [0,1): 100 .. 1e8.
 *	  - str(max): length 3 + pick(max-3), each character the special one
 *	    (space, or '_' in URLs) with probability 1/13, else a lowercase
 *	    letter; then leading/trailing spaces are trimmed (may leave "").
 *	  - extra: the fixed fields take c bytes (bid: 4*8 = 32; person: 8 +
 *	    name, email, card, city, state lengths; auction: 5*8 + 8 + itemName
 *	    + description); with target a (person 200, auction 500, bid 100) and
 *	    d = a - c > 0, delta = round(d/5), extra has length d - delta +
 *	    pick(2*delta), i.e. uniform in [0.8d, 1.2d): a bid's extra is 54..81
 *	    letters. When c >= a, extra is "".
 *
 *	  WHERE WE DIFFER FROM FLINK'S / BEAM'S GENERATOR. Same distributions,
 *	  not the same values: we do not reproduce java.util.Random sequences.
 *	  (1) Per-event seeding instead of one sequential Random, so any event
 *	  can be generated alone. (2) Interleaved split: Flink's parallel
 *	  subtasks each restart the event-number sequence and so repeat ids;
 *	  ours partition one global stream, and the timestamp uses the global
 *	  eid (see EVENT TIME); likewise an auction's horizon h spans 1666
 *	  global events (in Flink, 1666 events of one subtask, i.e. G times
 *	  longer in event time). (3) `extra` letters are a slice, at a random
 *	  offset, of a per-seed pool of 256 KiB of random letters rather than
 *	  fresh letters per event: every character is still uniform over a..z
 *	  but the extras of two events are not independent. This keeps the
 *	  generator far faster than any query. (4) Hot channel URLs and channel
 *	  URLs are derived from the seed (Flink draws them from an unseeded
 *	  Random once per process). (5) Timestamps use exact integer arithmetic
 *	  instead of doubles. (6) price() interpolates a table of 10^(6i/4096)
 *	  with a degree-4 polynomial (plain IEEE double arithmetic; libm's pow()
 *	  only builds the table once), where Flink calls Math.pow per bid.
 *
 *	  MEMORY. sl_nexmark_gen_new builds per-seed tables (names, channel
 *	  URLs, the letter pool: about 1 MB). Event strings point either into
 *	  those tables (immutable, valid until sl_nexmark_gen_free) or into the
 *	  caller's scratch buffer (email, credit card, itemName, description).
 *	  Nothing is allocated per event. A consumer whose rows may outlive the
 *	  generator must copy the strings.
 *
 *	  THREADS. A generator is used by one thread at a time (its subtask);
 *	  generators of different subtasks share only two process-wide
 *	  constant tables (powers of ten, characters), built once under
 *	  pthread_once by the first sl_nexmark_gen_new.
 *
 *	  SPEED. About 20M events/s (18M bids/s) per core on the reference
 *	  2-vCPU machine at the default configuration, measured by
 *	  `make bench && bench/bench_gen --events 30000000` (also with
 *	  --columns: scattered into bid columns as a source would). The cost
 *	  is ~50 ns per event: the per-event mix, the draws, price(), and for
 *	  the 8 % people and auctions their random strings.
 *
 * INTERFACE ROUTINES
 *	  sl_nexmark_config_init     defaults (documented on the struct)
 *	  sl_nexmark_config_check    validate a configuration
 *	  sl_nexmark_config_set      one field from a connector option
 *	  sl_nexmark_gen_new         generator for subtask k of G
 *	  sl_nexmark_gen_free        release it
 *	  sl_nexmark_gen_next_batch  the next events of this subtask, in order
 *	  sl_nexmark_gen_position    events this subtask has produced (offset)
 *	  sl_nexmark_gen_channels    the channel/URL table bids take theirs from
 *	  sl_nexmark_gen_seek        restart from an offset (checkpoint restore)
 *	  sl_nexmark_gen_remaining   events this subtask still has to produce
 *	  sl_nexmark_gen_next_offset_us  when the next event is due (rate limiting)
 *	  sl_nexmark_gen_event       the event with a given eid (any subtask's)
 *	  sl_nexmark_event_time_us   ts(eid) without a generator (rate limiting)
 *	  sl_nexmark_kind_of         person/auction/bid for an eid
 */
#ifndef SL_RUNTIME_NEXMARK_GEN_H
#define SL_RUNTIME_NEXMARK_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 2026-01-01T00:00:00Z in microseconds: the default base time. */
#define SL_NEXMARK_DEFAULT_BASE_TIME_US INT64_C(1767225600000000)
/* Default event-time rate (events per event-time second, all generators
 * together): the benchmark setting of NEXMARK.md. At this rate 10,000
 * events share each millisecond; tests of windows use lower rates. */
#define SL_NEXMARK_DEFAULT_RATE INT64_C(10000000)
/* Bytes of caller scratch one event may use at most (an auction's
 * itemName + description). */
#define SL_NEXMARK_EVENT_SCRATCH_MAX 128

typedef enum sl_nexmark_kind {
	SL_NEXMARK_PERSON = 0,  /* event_type 0, as in Flink's nexmark table */
	SL_NEXMARK_AUCTION = 1,
	SL_NEXMARK_BID = 2
} sl_nexmark_kind;

/* A string: same layout as the runtime's sl_str ({len, ptr}). Not
 * NUL-terminated. */
typedef struct sl_nexmark_str {
	uint32_t len;     /* bytes */
	const char *ptr;  /* into the generator's tables or the caller's scratch */
} sl_nexmark_str;

typedef struct sl_nexmark_config {
	uint64_t seed;            /* default 0 */
	int64_t event_rate;       /* R, events per event-time second over all
	                           * generators; default SL_NEXMARK_DEFAULT_RATE */
	int32_t generators;       /* G, the source parallelism; default 1 */
	int64_t max_events;       /* events in the whole stream (eid < max);
	                           * 0 = unbounded (INT64_MAX); default 0 */
	int64_t base_time_us;     /* event time of eid 0, whole ms (may be < 0);
	                           * default 2026-01-01T00:00:00Z */
	int64_t first_person_id;  /* default 1000 */
	int64_t first_auction_id; /* default 1000 */
	int32_t first_category_id;/* default 10 */
	int32_t num_categories;   /* default 5 (categories 10..14) */
	int32_t person_proportion;  /* default 1; each >= 0, not all 0: with no */
	int32_t auction_proportion; /* default 3;  people (auctions), foreign keys */
	int32_t bid_proportion;     /* default 46; name ids 1000..1009 (the lead) */
	int32_t hot_auction_ratio;  /* a bid's auction is hot w.p. (r-1)/r; default 2 */
	int32_t hot_seller_ratio;   /* an auction's seller is hot w.p. (r-1)/r; default 4 */
	int32_t hot_bidder_ratio;   /* a bid's bidder is hot w.p. (r-1)/r; default 4 */
	int32_t hot_channel_ratio;  /* a bid's channel is hot w.p. (r-1)/r; default 2 */
	int32_t num_active_people;  /* foreign keys pick among the last N people; default 1000 */
	int32_t num_in_flight_auctions; /* ... and the last N auctions; default 100 */
	int32_t avg_person_bytes;   /* extra pads toward this size; default 200 */
	int32_t avg_auction_bytes;  /* default 500 */
	int32_t avg_bid_bytes;      /* default 100 */
} sl_nexmark_config;

typedef struct sl_nexmark_person {
	int64_t id;
	sl_nexmark_str name;
	sl_nexmark_str email;        /* emailAddress */
	sl_nexmark_str credit_card;  /* creditCard */
	sl_nexmark_str city;
	sl_nexmark_str state;
	sl_nexmark_str extra;
} sl_nexmark_person;

typedef struct sl_nexmark_auction {
	int64_t id;
	sl_nexmark_str item_name;    /* itemName */
	sl_nexmark_str description;
	int64_t initial_bid;         /* initialBid, cents */
	int64_t reserve;             /* cents */
	int64_t expires_us;          /* expires, microseconds since the epoch */
	int64_t seller;
	int64_t category;
	sl_nexmark_str extra;
} sl_nexmark_auction;

typedef struct sl_nexmark_bid {
	int64_t auction;
	int64_t bidder;
	int64_t price;               /* cents */
	sl_nexmark_str channel;
	sl_nexmark_str url;
	sl_nexmark_str extra;
	uint32_t ch;                 /* channel and url are entry ch of the
	                              * channel table (sl_nexmark_gen_channels) */
} sl_nexmark_bid;

/* One event. date_time_us is the dateTime of whichever row is present. */
typedef struct sl_nexmark_event {
	int64_t eid;                 /* position in the global stream */
	int64_t date_time_us;        /* dateTime, microseconds (whole ms) */
	sl_nexmark_kind kind;        /* which member of u is valid */
	union {
		sl_nexmark_person person;
		sl_nexmark_auction auction;
		sl_nexmark_bid bid;
	} u;
} sl_nexmark_event;

/* Caller-owned scratch memory for the strings generated per event. */
typedef struct sl_nexmark_buf {
	char *data;   /* caller's memory, e.g. from the chunk's arena */
	size_t cap;   /* bytes at data */
	size_t used;  /* bytes consumed so far; the generator advances it */
} sl_nexmark_buf;

typedef struct sl_nexmark_gen sl_nexmark_gen;

/* Fill *cfg with the defaults documented on the struct. */
void sl_nexmark_config_init(sl_nexmark_config *cfg);

/* Check a configuration. Returns NULL when it is valid, else a static
 * one-line message (lower case, no final period) naming the bad field. */
const char *sl_nexmark_config_check(const sl_nexmark_config *cfg);

/* Set one field from a nexmark connector option (the WITH keys of
 * Flink's nexmark connector plus sluice's): first-event.rate,
 * next-event.rate (must equal the rate), events.num, rate.limited
 * (accepted, no effect here: pacing is the source's business), seed,
 * generators.num (0 means "the parallelism": the caller must replace it),
 * base-time.millis, person|auction|bid.proportion,
 * person|auction|bid.avg-size, hot-auction|seller|bidder|channel.ratio,
 * active-people.num, in-flight-auctions.num. The connector and
 * `sluice gen nexmark --option KEY=VALUE` both use it, so the same
 * options give the same events. Returns NULL on success, else a static
 * message ("unknown nexmark option", "invalid value for ..."). Call
 * sl_nexmark_config_check after the last option. */
const char *sl_nexmark_config_set(sl_nexmark_config *cfg, const char *key, const char *value);
/* The keys sl_nexmark_config_set accepts (NULL-terminated), for
 * "did you mean". */
extern const char *const sl_nexmark_option_keys[];

/* A generator for subtask `subtask` (0 <= subtask < cfg->generators): it
 * produces eids subtask, subtask+G, ... below max_events. cfg is copied;
 * it must pass sl_nexmark_config_check (asserted). Builds the per-seed
 * tables (about 1 ms). Caller owns the result: sl_nexmark_gen_free. */
sl_nexmark_gen *sl_nexmark_gen_new(const sl_nexmark_config *cfg, int32_t subtask);
void sl_nexmark_gen_free(sl_nexmark_gen *gen);

/* Generate the next events of this subtask into ev[0..n). Stops early at
 * the end of the stream, or when buf has less than
 * SL_NEXMARK_EVENT_SCRATCH_MAX bytes left (buf may be NULL only if the
 * caller knows no person or auction comes next; then it stops before one).
 * Returns the number of events written; 0 means end of stream (or no
 * scratch room). Strings point into buf->data or gen's tables.
 * @thread the subtask's worker */
size_t sl_nexmark_gen_next_batch(sl_nexmark_gen *gen, sl_nexmark_event *ev,
                                 size_t n, sl_nexmark_buf *buf);

/* Events produced by this subtask so far: the source's offset for a
 * checkpoint. sl_nexmark_gen_seek(gen, pos) makes the next batch start at
 * the pos-th event of this subtask (eid = subtask + pos*G). */
int64_t sl_nexmark_gen_position(const sl_nexmark_gen *gen);
/* The channel table every bid's channel and url come from: *channels and
 * *urls get its (returned) number of entries, valid until
 * sl_nexmark_gen_free; the same for every generator of one seed. */
uint32_t sl_nexmark_gen_channels(const sl_nexmark_gen *gen, const sl_nexmark_str **channels,
                                 const sl_nexmark_str **urls);
void sl_nexmark_gen_seek(sl_nexmark_gen *gen, int64_t pos);
/* Events this subtask still has to produce (INT64_MAX if unbounded). */
int64_t sl_nexmark_gen_remaining(const sl_nexmark_gen *gen);
/* Event-time offset (microseconds after base_time) of the next event this
 * subtask will produce, or INT64_MAX at the end of the stream. A
 * rate-limited source emits it once that much wall time has passed since
 * the job started, which paces all G subtasks together at R events/s. */
int64_t sl_nexmark_gen_next_offset_us(const sl_nexmark_gen *gen);

/* The event with id eid, whichever subtask owns it (random access for
 * tests and tools). scratch must have SL_NEXMARK_EVENT_SCRATCH_MAX bytes.
 * eid must be >= 0 (and below max_events if bounded: asserted). */
void sl_nexmark_gen_event(const sl_nexmark_gen *gen, int64_t eid,
                          sl_nexmark_event *ev, char *scratch);

/* Event time of eid in microseconds (a whole number of milliseconds):
 * base + floor(floor(eid*1e6/R)/1000)*1000. For rate limiting, the source
 * may emit eid once (wall time since start) >= ts(eid) - base. */
int64_t sl_nexmark_event_time_us(const sl_nexmark_config *cfg, int64_t eid);

/* Person, auction or bid: depends only on eid and the proportions. */
sl_nexmark_kind sl_nexmark_kind_of(const sl_nexmark_config *cfg, int64_t eid);

#endif /* SL_RUNTIME_NEXMARK_GEN_H */
