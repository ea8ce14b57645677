/*
 * 0501-nexmark-gen.c
 *	  runtime/nexmark_gen.c: determinism per eid, parallel splits whose
 *	  union is the serial stream, seek, id arithmetic and foreign keys,
 *	  string shapes (email, credit card, URL, bit-reversed channel id),
 *	  extra lengths and average sizes, and the event-time formula.
 */
#include "common/common.h"
#include "runtime/nexmark_gen.h"
#include "tests/unit/test.h"

#include <ctype.h>

#define N_EVENTS 20000

static bool
str_eq(sl_nexmark_str a, sl_nexmark_str b)
{
	return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
}

static bool
event_eq(const sl_nexmark_event *a, const sl_nexmark_event *b)
{
	if (a->eid != b->eid || a->kind != b->kind || a->date_time_us != b->date_time_us)
		return false;
	switch (a->kind) {
	case SL_NEXMARK_PERSON: {
		const sl_nexmark_person *x = &a->u.person, *y = &b->u.person;
		return x->id == y->id && str_eq(x->name, y->name) && str_eq(x->email, y->email) &&
		       str_eq(x->credit_card, y->credit_card) && str_eq(x->city, y->city) &&
		       str_eq(x->state, y->state) && str_eq(x->extra, y->extra);
	}
	case SL_NEXMARK_AUCTION: {
		const sl_nexmark_auction *x = &a->u.auction, *y = &b->u.auction;
		return x->id == y->id && str_eq(x->item_name, y->item_name) &&
		       str_eq(x->description, y->description) && x->initial_bid == y->initial_bid &&
		       x->reserve == y->reserve && x->expires_us == y->expires_us &&
		       x->seller == y->seller && x->category == y->category &&
		       str_eq(x->extra, y->extra);
	}
	case SL_NEXMARK_BID: {
		const sl_nexmark_bid *x = &a->u.bid, *y = &b->u.bid;
		return x->auction == y->auction && x->bidder == y->bidder && x->price == y->price &&
		       str_eq(x->channel, y->channel) && str_eq(x->url, y->url) &&
		       str_eq(x->extra, y->extra);
	}
	}
	return false;
}

/* Generators whose tables the strings of generate_all's events point
 * into: kept alive until release_gens() at the end of each test. */
static sl_nexmark_gen *alive[128];
static size_t nalive;

static void
release_gens(void)
{
	while (nalive > 0)
		sl_nexmark_gen_free(alive[--nalive]);
}

/* All events of one subtask; strings live in *scratchp (caller frees)
 * and in the generator's tables (freed by release_gens). */
static sl_nexmark_event *
generate_all(const sl_nexmark_config *cfg, int32_t subtask, size_t *np, char **scratchp)
{
	sl_nexmark_gen *gen = sl_nexmark_gen_new(cfg, subtask);
	size_t cap = (size_t)cfg->max_events + 1;
	sl_nexmark_event *ev = sl_xcalloc(cap, sizeof *ev);
	sl_nexmark_buf buf = {sl_xmalloc(cap * SL_NEXMARK_EVENT_SCRATCH_MAX),
	                      cap * SL_NEXMARK_EVENT_SCRATCH_MAX, 0};
	size_t n = 0, got;

	/* odd batch sizes on purpose */
	while ((got = sl_nexmark_gen_next_batch(gen, ev + n, SL_MIN((size_t)97, cap - n), &buf)) > 0)
		n += got;
	SL_CHECK_INT(sl_nexmark_gen_remaining(gen), 0);
	SL_ASSERT(nalive < SL_ARRAY_LEN(alive));
	alive[nalive++] = gen;
	*np = n;
	*scratchp = buf.data;
	return ev;
}

static void
base_config(sl_nexmark_config *cfg)
{
	sl_nexmark_config_init(cfg);
	cfg->max_events = N_EVENTS;
	cfg->seed = 42;
}

static void
test_defaults(void)
{
	sl_nexmark_config cfg;

	sl_nexmark_config_init(&cfg);
	SL_CHECK(sl_nexmark_config_check(&cfg) == NULL);
	SL_CHECK_INT(cfg.event_rate, 10000000);
	SL_CHECK_INT(cfg.base_time_us, INT64_C(1767225600000000));
	SL_CHECK_INT(cfg.first_person_id, 1000);
	SL_CHECK_INT(cfg.first_auction_id, 1000);
	cfg.generators = 0;
	SL_CHECK(sl_nexmark_config_check(&cfg) != NULL);
	sl_nexmark_config_init(&cfg);
	cfg.event_rate = 0;
	SL_CHECK(sl_nexmark_config_check(&cfg) != NULL);
	sl_nexmark_config_init(&cfg);
	cfg.base_time_us += 1;
	SL_CHECK(sl_nexmark_config_check(&cfg) != NULL);
}

static void
test_determinism(void)
{
	sl_nexmark_config cfg;
	sl_nexmark_event *a, *b;
	char *sa, *sb, one[SL_NEXMARK_EVENT_SCRATCH_MAX];
	size_t na, nb, same = 0;
	sl_nexmark_gen *gen;
	sl_nexmark_event ev;

	base_config(&cfg);
	a = generate_all(&cfg, 0, &na, &sa);
	b = generate_all(&cfg, 0, &nb, &sb);
	SL_CHECK_INT(na, N_EVENTS);
	SL_CHECK_INT(nb, N_EVENTS);
	for (size_t i = 0; i < na; i++)
		if (!event_eq(&a[i], &b[i]) || a[i].eid != (int64_t)i) {
			SL_CHECK(!"two runs differ");
			break;
		}
	/* random access gives the same event */
	gen = sl_nexmark_gen_new(&cfg, 0);
	for (int64_t eid = N_EVENTS - 1; eid >= 0; eid -= 37) {
		sl_nexmark_gen_event(gen, eid, &ev, one);
		if (!event_eq(&ev, &a[eid])) {
			SL_CHECK(!"random access differs");
			break;
		}
	}
	sl_nexmark_gen_free(gen);
	free(b);
	free(sb);
	/* another seed gives other bids */
	cfg.seed = 43;
	b = generate_all(&cfg, 0, &nb, &sb);
	for (size_t i = 0; i < na; i++)
		same += a[i].kind == SL_NEXMARK_BID && event_eq(&a[i], &b[i]);
	SL_CHECK(same < 10);
	free(a);
	free(sa);
	free(b);
	free(sb);
}

static void
test_parallel_union(void)
{
	static const int32_t gs[] = {2, 3, 7, 64};
	sl_nexmark_config cfg;
	sl_nexmark_event *serial;
	char *ss;
	size_t ns;

	base_config(&cfg);
	serial = generate_all(&cfg, 0, &ns, &ss);
	for (size_t g = 0; g < SL_ARRAY_LEN(gs); g++) {
		size_t total = 0;
		cfg.generators = gs[g];
		for (int32_t k = 0; k < gs[g]; k++) {
			size_t n;
			char *s;
			sl_nexmark_event *part = generate_all(&cfg, k, &n, &s);
			total += n;
			for (size_t i = 0; i < n; i++) {
				int64_t eid = k + (int64_t)i * gs[g];
				if (part[i].eid != eid || !event_eq(&part[i], &serial[eid])) {
					printf("#   G=%d subtask %d event %zu differs\n", gs[g], k, i);
					SL_CHECK(!"split differs from serial stream");
					break;
				}
			}
			free(part);
			free(s);
			sl_nexmark_gen_free(alive[--nalive]); /* part's generator */
		}
		SL_CHECK_INT(total, N_EVENTS);
	}
	free(serial);
	free(ss);
}

static void
test_seek(void)
{
	sl_nexmark_config cfg;
	sl_nexmark_gen *gen;
	sl_nexmark_event ev[5], want;
	char buf[5 * SL_NEXMARK_EVENT_SCRATCH_MAX], one[SL_NEXMARK_EVENT_SCRATCH_MAX];
	sl_nexmark_buf b = {buf, sizeof buf, 0};
	size_t n;

	base_config(&cfg);
	cfg.generators = 3;
	gen = sl_nexmark_gen_new(&cfg, 2);
	sl_nexmark_gen_seek(gen, 1000);
	SL_CHECK_INT(sl_nexmark_gen_position(gen), 1000);
	n = sl_nexmark_gen_next_batch(gen, ev, 5, &b);
	SL_CHECK_INT(n, 5);
	SL_CHECK_INT(sl_nexmark_gen_position(gen), 1005);
	for (size_t i = 0; i < n; i++) {
		sl_nexmark_gen_event(gen, 2 + (1000 + (int64_t)i) * 3, &want, one);
		SL_CHECK(event_eq(&ev[i], &want));
	}
	/* next event: eid 2 + 1005*3 = 3017, at 3017 * 1e6 / 1e7 = 301.7 us */
	SL_CHECK_INT(sl_nexmark_gen_next_offset_us(gen), 301);
	/* the end of the stream: subtask 2 of 3 owns eids 2, 5, ..., 19997 */
	sl_nexmark_gen_seek(gen, 6665);
	SL_CHECK_INT(sl_nexmark_gen_remaining(gen), 1);
	b.used = 0;
	SL_CHECK_INT(sl_nexmark_gen_next_batch(gen, ev, 5, &b), 1);
	SL_CHECK_INT(ev[0].eid, 19997);
	SL_CHECK_INT(sl_nexmark_gen_next_batch(gen, ev, 5, &b), 0);
	SL_CHECK_INT(sl_nexmark_gen_next_offset_us(gen), INT64_MAX);
	sl_nexmark_gen_free(gen);
}

static void
test_scratch_limit(void)
{
	sl_nexmark_config cfg;
	sl_nexmark_gen *gen;
	sl_nexmark_event ev[100];
	char buf[SL_NEXMARK_EVENT_SCRATCH_MAX];
	sl_nexmark_buf b = {buf, sizeof buf, 0};

	base_config(&cfg);
	gen = sl_nexmark_gen_new(&cfg, 0);
	/* eid 0 is a person: no buffer, no event */
	SL_CHECK_INT(sl_nexmark_gen_next_batch(gen, ev, 10, NULL), 0);
	/* one event's room: the person, then it stops before the auction */
	SL_CHECK_INT(sl_nexmark_gen_next_batch(gen, ev, 10, &b), 1);
	SL_CHECK(b.used > 0 && b.used <= SL_NEXMARK_EVENT_SCRATCH_MAX);
	sl_nexmark_gen_seek(gen, 4);
	SL_CHECK_INT(sl_nexmark_gen_next_batch(gen, ev, 100, NULL), 46); /* bids only */
	sl_nexmark_gen_free(gen);
}

static void
test_ids_and_keys(void)
{
	sl_nexmark_config cfg;
	sl_nexmark_event *ev;
	char *s;
	size_t n, bids = 0, hot_auction = 0, hot_bidder = 0, auctions = 0, hot_seller = 0;
	size_t hot_channel = 0, cat[5] = {0}, cheap = 0;
	int64_t next_person = 1000, next_auction = 1000;

	base_config(&cfg);
	ev = generate_all(&cfg, 0, &n, &s);
	for (size_t i = 0; i < n; i++) {
		int64_t epoch = (int64_t)i / 50, off = (int64_t)i % 50;
		int64_t lp = epoch, la = off == 0 ? epoch * 3 - 1 : off <= 3 ? epoch * 3 + off - 1
		                                                               : epoch * 3 + 2;
		SL_CHECK_INT(ev[i].kind, off == 0 ? SL_NEXMARK_PERSON
		                         : off <= 3 ? SL_NEXMARK_AUCTION : SL_NEXMARK_BID);
		SL_CHECK_INT(sl_nexmark_kind_of(&cfg, (int64_t)i), ev[i].kind);
		if (ev[i].kind == SL_NEXMARK_PERSON) {
			SL_CHECK_INT(ev[i].u.person.id, next_person);
			next_person++;
		} else if (ev[i].kind == SL_NEXMARK_AUCTION) {
			const sl_nexmark_auction *a = &ev[i].u.auction;
			SL_CHECK_INT(a->id, next_auction);
			SL_CHECK_INT(a->id, 1000 + la);
			next_auction++;
			auctions++;
			SL_CHECK(a->seller >= 1000 + SL_MAX(0, lp - 999) && a->seller <= 1000 + lp + 10);
			hot_seller += a->seller == 1000 + (lp / 100) * 100;
			SL_CHECK(a->category >= 10 && a->category <= 14);
			cat[a->category - 10]++;
			SL_CHECK(a->initial_bid >= 100 && a->initial_bid <= 100000000);
			SL_CHECK(a->reserve > a->initial_bid && a->reserve <= 200000000);
			SL_CHECK(a->expires_us > ev[i].date_time_us);
		} else {
			const sl_nexmark_bid *b = &ev[i].u.bid;
			bids++;
			SL_CHECK(b->auction >= 1000 + SL_MAX(0, la - 100) && b->auction <= 1000 + la + 10);
			SL_CHECK(b->bidder >= 1000 + SL_MAX(0, lp - 999) && b->bidder <= 1000 + lp + 10);
			hot_auction += b->auction == 1000 + (la / 100) * 100;
			hot_bidder += b->bidder == 1000 + (lp / 100) * 100 + 1;
			SL_CHECK(b->price >= 100 && b->price <= 100000000);
			cheap += b->price < 10000; /* 10^(6u)*100 < 1e4 iff u < 1/3 */
			hot_channel += b->channel.len > 0 && !isdigit((unsigned char)b->channel.ptr[b->channel.len - 1]);
		}
	}
	SL_CHECK_INT(bids, N_EVENTS / 50 * 46);
	/* hot shares: 1/2 (+ the uniform picks that land on it), 3/4, 3/4, 1/2 */
	SL_CHECK(hot_auction > bids * 48 / 100 && hot_auction < bids * 54 / 100);
	SL_CHECK(hot_bidder > bids * 73 / 100 && hot_bidder < bids * 78 / 100);
	SL_CHECK(hot_seller > auctions * 70 / 100 && hot_seller < auctions * 80 / 100);
	SL_CHECK(hot_channel > bids * 48 / 100 && hot_channel < bids * 52 / 100);
	SL_CHECK(cheap > bids * 31 / 100 && cheap < bids * 36 / 100);
	for (int c = 0; c < 5; c++)
		SL_CHECK(cat[c] > auctions / 5 * 8 / 10 && cat[c] < auctions / 5 * 12 / 10);
	free(ev);
	free(s);
}

static bool
is_lower_or(sl_nexmark_str s, size_t from, size_t to, char special)
{
	for (size_t i = from; i < to; i++)
		if (!(islower((unsigned char)s.ptr[i]) || s.ptr[i] == special))
			return false;
	return true;
}

static int64_t
java_abs_reverse(uint32_t i)
{
	uint32_t v = 0;
	for (int b = 0; b < 32; b++)
		v |= ((i >> b) & 1u) << (31 - b);
	if (v == 0x80000000u)
		return INT32_MIN;
	return (int32_t)v < 0 ? -(int64_t)(int32_t)v : (int32_t)v;
}

/* https://www.nexmark.com/<s>/<s>/<s>/item.htm?query=1[&channel_id=N] */
static bool
url_ok(sl_nexmark_str u, const char *channel, size_t chlen, bool *has_id)
{
	static const char pre[] = "https://www.nexmark.com/";
	static const char mid[] = "item.htm?query=1";
	size_t p = sizeof pre - 1;
	char tmp[200];

	*has_id = false;
	if (u.len < p || memcmp(u.ptr, pre, p) != 0)
		return false;
	for (int k = 0; k < 3; k++) {
		size_t q = p;
		while (q < u.len && u.ptr[q] != '/')
			q++;
		if (q >= u.len || q - p < 3 || q - p > 4 || !is_lower_or(u, p, q, '_'))
			return false;
		p = q + 1;
	}
	if (u.len - p < sizeof mid - 1 || memcmp(u.ptr + p, mid, sizeof mid - 1) != 0)
		return false;
	p += sizeof mid - 1;
	if (p == u.len)
		return true;
	*has_id = true;
	if (chlen < 9 || memcmp(channel, "channel-", 8) != 0)
		return false;
	snprintf(tmp, sizeof tmp, "&channel_id=%lld",
	         (long long)java_abs_reverse((uint32_t)atoi(channel + 8)));
	return u.len - p == strlen(tmp) && memcmp(u.ptr + p, tmp, strlen(tmp)) == 0;
}

static void
test_strings(void)
{
	sl_nexmark_config cfg;
	sl_nexmark_event *ev;
	char *s;
	size_t n, with_id = 0, plain = 0, bad_email = 0, bad_card = 0, bad_url = 0;
	size_t bad_item = 0;

	base_config(&cfg);
	ev = generate_all(&cfg, 0, &n, &s);
	for (size_t i = 0; i < n; i++) {
		if (ev[i].kind == SL_NEXMARK_PERSON) {
			const sl_nexmark_person *p = &ev[i].u.person;
			sl_nexmark_str e = p->email;
			const char *at = memchr(e.ptr, '@', e.len);
			size_t ai = at ? (size_t)(at - e.ptr) : 0;
			/* str(7) "@" str(5) ".com": 0..6 chars @ 0..4 chars .com, no edge spaces */
			if (!at || ai > 6 || e.len - ai - 1 < 4 || e.len - ai - 1 > 8 ||
			    memcmp(e.ptr + e.len - 4, ".com", 4) != 0 || !is_lower_or(e, 0, ai, ' ') ||
			    !is_lower_or(e, ai + 1, e.len - 4, ' ') || (ai > 0 && e.ptr[0] == ' ') ||
			    (ai > 0 && e.ptr[ai - 1] == ' '))
				bad_email++;
			if (p->credit_card.len != 19)
				bad_card++;
			else
				for (int k = 0; k < 19; k++)
					if (k % 5 == 4 ? p->credit_card.ptr[k] != ' '
					               : !isdigit((unsigned char)p->credit_card.ptr[k]))
						bad_card++;
			SL_CHECK(memchr(p->name.ptr, ' ', p->name.len) != NULL);
			SL_CHECK(p->state.len == 2);
		} else if (ev[i].kind == SL_NEXMARK_AUCTION) {
			const sl_nexmark_auction *a = &ev[i].u.auction;
			if (a->item_name.len > 19 || a->description.len > 99 ||
			    !is_lower_or(a->item_name, 0, a->item_name.len, ' ') ||
			    (a->item_name.len && (a->item_name.ptr[0] == ' ' ||
			                          a->item_name.ptr[a->item_name.len - 1] == ' ')))
				bad_item++;
		} else {
			const sl_nexmark_bid *b = &ev[i].u.bid;
			bool has_id;
			if (!url_ok(b->url, b->channel.ptr, b->channel.len, &has_id))
				bad_url++;
			else if (has_id)
				with_id++;
			else
				plain++;
		}
	}
	SL_CHECK_INT(bad_email, 0);
	SL_CHECK_INT(bad_card, 0);
	SL_CHECK_INT(bad_item, 0);
	SL_CHECK_INT(bad_url, 0);
	/* hot channels (1/2) have no id; 9/10 of the others do */
	SL_CHECK(with_id > (with_id + plain) * 40 / 100 && with_id < (with_id + plain) * 50 / 100);
	/* Java's Math.abs(Integer.reverse(i)) */
	SL_CHECK_INT(java_abs_reverse(1), INT32_MIN);
	SL_CHECK_INT(java_abs_reverse(2), 1073741824);
	SL_CHECK_INT(java_abs_reverse(3), 1073741824); /* 0xC0000000 -> 1073741824 */
	SL_CHECK_INT(java_abs_reverse(4), 536870912);
	free(ev);
	free(s);
}

static void
test_extra_sizes(void)
{
	sl_nexmark_config cfg;
	sl_nexmark_event *ev;
	char *s;
	size_t n;
	double bid_sum = 0, person_sum = 0, auction_sum = 0, bid_extra = 0;
	size_t nb = 0, np = 0, na = 0;

	base_config(&cfg);
	ev = generate_all(&cfg, 0, &n, &s);
	for (size_t i = 0; i < n; i++) {
		if (ev[i].kind == SL_NEXMARK_BID) {
			const sl_nexmark_bid *b = &ev[i].u.bid;
			SL_CHECK(b->extra.len >= 54 && b->extra.len <= 81);
			SL_CHECK(is_lower_or(b->extra, 0, b->extra.len, 'a'));
			bid_sum += 32 + b->extra.len;
			bid_extra += b->extra.len;
			nb++;
		} else if (ev[i].kind == SL_NEXMARK_PERSON) {
			const sl_nexmark_person *p = &ev[i].u.person;
			int64_t c = 8 + p->name.len + p->email.len + p->credit_card.len + p->city.len +
			            p->state.len;
			int64_t d = 200 - c;
			SL_CHECK(p->extra.len >= d - (d + 2) / 5 && p->extra.len < d + (d + 2) / 5);
			person_sum += (double)(c + p->extra.len);
			np++;
		} else {
			const sl_nexmark_auction *a = &ev[i].u.auction;
			int64_t c = 48 + a->item_name.len + a->description.len;
			int64_t d = 500 - c;
			SL_CHECK(a->extra.len >= d - (d + 2) / 5 && a->extra.len < d + (d + 2) / 5);
			auction_sum += (double)(c + a->extra.len);
			na++;
		}
	}
	/* averages toward the targets: bid 100, person 200, auction 500 */
	SL_CHECK(bid_sum / nb > 99 && bid_sum / nb < 101);
	SL_CHECK(bid_extra / nb > 67 && bid_extra / nb < 69);
	SL_CHECK(person_sum / np > 196 && person_sum / np < 204);
	SL_CHECK(auction_sum / na > 490 && auction_sum / na < 510);
	free(ev);
	free(s);
}

static void
test_event_time(void)
{
	sl_nexmark_config cfg;
	sl_nexmark_event *ev;
	char *s;
	size_t n;
	const int64_t base = INT64_C(1767225600000000);

	sl_nexmark_config_init(&cfg);
	/* 10M/s: 10 events per microsecond, 10,000 per millisecond */
	SL_CHECK_INT(sl_nexmark_event_time_us(&cfg, 0), base);
	SL_CHECK_INT(sl_nexmark_event_time_us(&cfg, 9999), base);
	SL_CHECK_INT(sl_nexmark_event_time_us(&cfg, 10000), base + 1000);
	SL_CHECK_INT(sl_nexmark_event_time_us(&cfg, 100000000), base + INT64_C(10000000));
	cfg.event_rate = 3; /* floor(eid*1e6/3)/1000 ms */
	SL_CHECK_INT(sl_nexmark_event_time_us(&cfg, 1), base + 333000);
	SL_CHECK_INT(sl_nexmark_event_time_us(&cfg, 2), base + 666000);
	SL_CHECK_INT(sl_nexmark_event_time_us(&cfg, 3), base + 1000000);
	cfg.event_rate = 7000;
	/* floor(12345 * 1e6 / 7000) = 1763571 us -> 1763 ms */
	SL_CHECK_INT(sl_nexmark_event_time_us(&cfg, 12345), base + INT64_C(1763000));
	/* batches use incremental arithmetic: same as the formula, any G */
	cfg.max_events = 5000;
	for (int32_t G = 1; G <= 3; G += 2) {
		cfg.generators = G;
		for (int32_t k = 0; k < G; k++) {
			ev = generate_all(&cfg, k, &n, &s);
			for (size_t i = 0; i < n; i++) {
				SL_CHECK_INT(ev[i].date_time_us, sl_nexmark_event_time_us(&cfg, ev[i].eid));
				SL_CHECK(ev[i].date_time_us % 1000 == 0);
				if (i > 0)
					SL_CHECK(ev[i].date_time_us >= ev[i - 1].date_time_us);
				if (ev[i].kind == SL_NEXMARK_AUCTION) {
					/* 1 + [0, 2h) ms, h = span of the next 1666 events = 238 ms */
					int64_t len = ev[i].u.auction.expires_us - ev[i].date_time_us;
					SL_CHECK(len >= 1000 && len <= 1000 * (1 + 2 * 238 + 1));
				}
				if (i > 0 && ev[i].date_time_us < ev[i - 1].date_time_us)
					break;
			}
			free(ev);
			free(s);
		}
	}
}

static void
test_config_set(void)
{
	sl_nexmark_config cfg;
	size_t n = 0;

	sl_nexmark_config_init(&cfg);
	SL_CHECK(sl_nexmark_config_set(&cfg, "first-event.rate", "1000") == NULL);
	SL_CHECK_INT(cfg.event_rate, 1000);
	SL_CHECK(sl_nexmark_config_set(&cfg, "next-event.rate", "1000") == NULL);
	SL_CHECK(sl_nexmark_config_set(&cfg, "next-event.rate", "2000") != NULL);
	SL_CHECK(sl_nexmark_config_set(&cfg, "events.num", "12345") == NULL);
	SL_CHECK_INT(cfg.max_events, 12345);
	SL_CHECK(sl_nexmark_config_set(&cfg, "seed", "-1") == NULL);
	SL_CHECK(cfg.seed == UINT64_MAX);
	SL_CHECK(sl_nexmark_config_set(&cfg, "base-time.millis", "1000") == NULL);
	SL_CHECK_INT(cfg.base_time_us, 1000000);
	SL_CHECK(sl_nexmark_config_set(&cfg, "bid.proportion", "7") == NULL);
	SL_CHECK_INT(cfg.bid_proportion, 7);
	SL_CHECK(sl_nexmark_config_set(&cfg, "hot-auction.ratio", "0") != NULL);
	SL_CHECK(sl_nexmark_config_set(&cfg, "hot-auction.ratio", "x") != NULL);
	SL_CHECK(sl_nexmark_config_set(&cfg, "bid.avg-size", "120") == NULL);
	SL_CHECK_INT(cfg.avg_bid_bytes, 120);
	SL_CHECK(sl_nexmark_config_set(&cfg, "rate.limited", "true") == NULL);
	SL_CHECK_STR(sl_nexmark_config_set(&cfg, "bid.proportoin", "1"), "unknown nexmark option");
	SL_CHECK(sl_nexmark_config_check(&cfg) == NULL);
	while (sl_nexmark_option_keys[n]) {
		/* every advertised key is accepted with some value (the rate is
		 * set to 1 first, then next-event.rate = 1 matches it) */
		const char *k = sl_nexmark_option_keys[n++];
		const char *v = strcmp(k, "rate.limited") == 0 ? "false" : "1";
		SL_CHECK(sl_nexmark_config_set(&cfg, k, v) == NULL);
	}
	SL_CHECK_INT(n, 19);
}

/* Zero proportions: a bid-only stream still works and stays in range. */
static void
test_bid_only(void)
{
	sl_nexmark_config cfg;
	sl_nexmark_event *ev;
	char *s;
	size_t n;

	base_config(&cfg);
	cfg.max_events = 1000;
	cfg.person_proportion = 0;
	cfg.auction_proportion = 0;
	cfg.bid_proportion = 1;
	SL_CHECK(sl_nexmark_config_check(&cfg) == NULL);
	ev = generate_all(&cfg, 0, &n, &s);
	SL_CHECK_INT(n, 1000);
	for (size_t i = 0; i < n; i++) {
		SL_CHECK_INT(ev[i].kind, SL_NEXMARK_BID);
		SL_CHECK(ev[i].u.bid.auction >= 1000 && ev[i].u.bid.auction <= 1010);
		SL_CHECK(ev[i].u.bid.bidder >= 1000 && ev[i].u.bid.bidder <= 1010);
	}
	free(ev);
	free(s);
	cfg.bid_proportion = 0;
	SL_CHECK(sl_nexmark_config_check(&cfg) != NULL);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_defaults);
	release_gens();
	SL_RUN(test_determinism);
	release_gens();
	SL_RUN(test_parallel_union);
	release_gens();
	SL_RUN(test_seek);
	release_gens();
	SL_RUN(test_scratch_limit);
	release_gens();
	SL_RUN(test_ids_and_keys);
	release_gens();
	SL_RUN(test_strings);
	release_gens();
	SL_RUN(test_extra_sizes);
	release_gens();
	SL_RUN(test_event_time);
	release_gens();
	SL_RUN(test_bid_only);
	release_gens();
	SL_RUN(test_config_set);
	return SL_TEST_MAIN_END();
}
