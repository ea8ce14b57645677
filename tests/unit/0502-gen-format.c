/*
 * 0502-gen-format.c
 *	  `sluice gen`'s hand-written formatting (cli/cmd_gen.c, included here
 *	  to reach its static functions): timestamps, integers, CSV quoting,
 *	  JSON escaping, whole rows, and buffered writes larger than the buffer.
 */
#include "cli/cmd_gen.c"

#include "tests/unit/test.h"

static outfile
mem_out(void)
{
	outfile o;

	o.fd = -1;
	o.path = NULL;
	o.buf = sl_xmalloc(OUTBUF_SIZE);
	o.len = 0;
	o.failed = false;
	return o;
}

/* The pending text as a NUL-terminated string (valid until the next call). */
static const char *
text(outfile *o)
{
	static char s[4096];
	size_t n = SL_MIN(o->len, sizeof s - 1);

	memcpy(s, o->buf, n);
	s[n] = '\0';
	o->len = 0;
	return s;
}

static sl_nexmark_str
S(const char *p)
{
	sl_nexmark_str s = {(uint32_t)strlen(p), p};
	return s;
}

static void
test_timestamps(void)
{
	outfile o = mem_out();

	out_ts(&o, 0);
	SL_CHECK_STR(text(&o), "1970-01-01 00:00:00.000");
	out_ts(&o, INT64_C(1767225600000000));
	SL_CHECK_STR(text(&o), "2026-01-01 00:00:00.000");
	out_ts(&o, INT64_C(1709251199999000));
	SL_CHECK_STR(text(&o), "2024-02-29 23:59:59.999");
	out_ts(&o, INT64_C(951914096789000));
	SL_CHECK_STR(text(&o), "2000-03-01 12:34:56.789");
	out_ts(&o, INT64_C(951914096789999)); /* microseconds are truncated */
	SL_CHECK_STR(text(&o), "2000-03-01 12:34:56.789");
	out_ts(&o, -1000);
	SL_CHECK_STR(text(&o), "1969-12-31 23:59:59.999");
	out_ts(&o, INT64_C(253402300799999000));
	SL_CHECK_STR(text(&o), "9999-12-31 23:59:59.999");
	free(o.buf);
}

static void
test_integers(void)
{
	outfile o = mem_out();

	out_i64(&o, 0);
	out_c(&o, ' ');
	out_i64(&o, -5);
	out_c(&o, ' ');
	out_i64(&o, INT64_MAX);
	out_c(&o, ' ');
	out_i64(&o, INT64_MIN);
	SL_CHECK_STR(text(&o), "0 -5 9223372036854775807 -9223372036854775808");
	free(o.buf);
}

static void
test_csv_quoting(void)
{
	outfile o = mem_out();

	out_csv_str(&o, S("plain text"));
	SL_CHECK_STR(text(&o), "plain text");
	out_csv_str(&o, S(""));
	SL_CHECK_STR(text(&o), "");
	out_csv_str(&o, S("a,b"));
	SL_CHECK_STR(text(&o), "\"a,b\"");
	out_csv_str(&o, S("say \"hi\""));
	SL_CHECK_STR(text(&o), "\"say \"\"hi\"\"\"");
	out_csv_str(&o, S("two\nlines"));
	SL_CHECK_STR(text(&o), "\"two\nlines\"");
	out_csv_str(&o, S("cr\r"));
	SL_CHECK_STR(text(&o), "\"cr\r\"");
	free(o.buf);
}

static void
test_json_escaping(void)
{
	outfile o = mem_out();

	out_json_str(&o, S("a\"b\\c\n\x01/"));
	SL_CHECK_STR(text(&o), "\"a\\\"b\\\\c\\u000a\\u0001/\"");
	free(o.buf);
}

static void
test_rows(void)
{
	outfile o = mem_out();
	sl_nexmark_event ev;

	memset(&ev, 0, sizeof ev);
	ev.kind = SL_NEXMARK_BID;
	ev.date_time_us = INT64_C(1767225600123000);
	ev.u.bid.auction = 1000;
	ev.u.bid.bidder = 1001;
	ev.u.bid.price = 12345;
	ev.u.bid.channel = S("a,\"b\"");
	ev.u.bid.url = S("https://x/y");
	ev.u.bid.extra = S("");
	write_csv(&o, &ev);
	SL_CHECK_STR(text(&o), "1000,1001,12345,\"a,\"\"b\"\"\",https://x/y,2026-01-01 00:00:00.123,\n");
	write_json(&o, &ev);
	SL_CHECK_STR(text(&o),
	             "{\"event_type\":2,\"person\":null,\"auction\":null,\"bid\":{\"auction\":1000,"
	             "\"bidder\":1001,\"price\":12345,\"channel\":\"a,\\\"b\\\"\",\"url\":\"https://x/y\","
	             "\"dateTime\":\"2026-01-01 00:00:00.123\",\"extra\":\"\"},"
	             "\"dateTime\":\"2026-01-01 00:00:00.123\"}\n");

	memset(&ev, 0, sizeof ev);
	ev.kind = SL_NEXMARK_PERSON;
	ev.u.person.id = 1000;
	ev.u.person.name = S("Peter Smith");
	ev.u.person.email = S("ab c@de.com");
	ev.u.person.credit_card = S("1234 5678 9012 3456");
	ev.u.person.city = S("Los Angeles");
	ev.u.person.state = S("CA");
	ev.u.person.extra = S("xyz");
	write_csv(&o, &ev);
	SL_CHECK_STR(text(&o), "1000,Peter Smith,ab c@de.com,1234 5678 9012 3456,Los Angeles,CA,"
	                       "1970-01-01 00:00:00.000,xyz\n");

	memset(&ev, 0, sizeof ev);
	ev.kind = SL_NEXMARK_AUCTION;
	ev.date_time_us = 1000;
	ev.u.auction.id = 1001;
	ev.u.auction.item_name = S("item");
	ev.u.auction.description = S("d e");
	ev.u.auction.initial_bid = 100;
	ev.u.auction.reserve = 250;
	ev.u.auction.expires_us = 5000;
	ev.u.auction.seller = 1002;
	ev.u.auction.category = 10;
	ev.u.auction.extra = S("q");
	write_csv(&o, &ev);
	SL_CHECK_STR(text(&o), "1001,item,d e,100,250,1970-01-01 00:00:00.001,"
	                       "1970-01-01 00:00:00.005,1002,10,q\n");
	free(o.buf);
}

static void
test_large_write(void)
{
	char path[] = "/tmp/sluice-0502-XXXXXX";
	int fd = mkstemp(path);
	outfile o = mem_out();
	char chunk[1000];
	struct stat st;

	SL_CHECK(fd >= 0);
	o.fd = fd;
	o.path = sl_xstrdup(path);
	memset(chunk, 'x', sizeof chunk);
	for (int i = 0; i < 3000; i++) /* 3 MB through a 1 MiB buffer */
		out_raw(&o, chunk, sizeof chunk);
	SL_CHECK(close_out(&o));
	SL_CHECK(stat(path, &st) == 0);
	SL_CHECK_INT(st.st_size, 3000000);
	unlink(path);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	SL_RUN(test_timestamps);
	SL_RUN(test_integers);
	SL_RUN(test_csv_quoting);
	SL_RUN(test_json_escaping);
	SL_RUN(test_rows);
	SL_RUN(test_large_write);
	return SL_TEST_MAIN_END();
}
