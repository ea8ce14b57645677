/*
 * 0670-kafka-common.c
 *	  runtime/connectors/kafka_common.c against an in-process mock cluster:
 *	  the exactly-once header round trip, partition discovery by topic list
 *	  and by pattern (sorted, missing topics and bad patterns refused),
 *	  'properties.*' passthrough with librdkafka's refusal as an option
 *	  error, and the fixed-port relay of sluice kafka-dev (a client that
 *	  only knows the relay's address reads the metadata and produces).
 */
#include "runtime/connectors/kafka_common.h"
#include "tests/unit/test.h"

#include <unistd.h>

static sl_kafka_mock *M;

static rd_kafka_t *
client(const char *bootstrap)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char err[256];
	rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, NULL, 0);
	rd_kafka_conf_set(conf, "log_level", "2", NULL, 0);
	return rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
}

static void
test_eo_header(void)
{
	sl_kafka_eo h = {UINT64_C(0x0123456789abcdef), 7, UINT64_C(42), UINT64_C(1) << 40}, g;
	unsigned char b[32];
	sl_kafka_eo_encode(&h, b);
	SL_CHECK(b[0] == 0x01 && b[7] == 0xef);     /* big-endian job id */
	SL_CHECK(sl_kafka_eo_decode(b, 32, &g));
	SL_CHECK(g.job == h.job && g.subtask == 7 && g.epoch == 42 && g.seq == h.seq);
	SL_CHECK(!sl_kafka_eo_decode(b, 31, &g));
	SL_CHECK(!sl_kafka_eo_decode(NULL, 32, &g));
}

static void
test_partitions(void)
{
	rd_kafka_mock_cluster_t *mc = sl_kafka_mock_cluster(M);
	rd_kafka_t *rk = client(sl_kafka_mock_bootstraps(M));
	sl_kafka_tps tps;
	sl_error *err = NULL;
	SL_CHECK(rk != NULL);
	SL_CHECK_INT(rd_kafka_mock_topic_create(mc, "a1", 3, 1), 0);
	SL_CHECK_INT(rd_kafka_mock_topic_create(mc, "a2", 2, 1), 0);
	SL_CHECK_INT(rd_kafka_mock_topic_create(mc, "b", 1, 1), 0);
	/* a list, in any order, comes back sorted by (topic, partition) */
	SL_CHECK(sl_kafka_partitions(rk, "b; a1", NULL, 10000, &tps, &err));
	SL_CHECK_INT(tps.n, 4);
	if (tps.n == 4) {
		SL_CHECK_STR(tps.v[0].topic, "a1");
		SL_CHECK_INT(tps.v[0].partition, 0);
		SL_CHECK_INT(tps.v[2].partition, 2);
		SL_CHECK_STR(tps.v[3].topic, "b");
	}
	sl_kafka_tps_free(&tps);
	/* a pattern matches whole names only */
	SL_CHECK(sl_kafka_partitions(rk, NULL, "a.", 10000, &tps, &err));
	SL_CHECK_INT(tps.n, 5);
	sl_kafka_tps_free(&tps);
	SL_CHECK(sl_kafka_partitions(rk, NULL, "a", 10000, &tps, &err));
	SL_CHECK_INT(tps.n, 0);
	sl_kafka_tps_free(&tps);
	/* a named topic that does not exist */
	SL_CHECK(!sl_kafka_partitions(rk, "a1;nope", NULL, 10000, &tps, &err));
	SL_CHECK(err && strstr(err->message, "topic \"nope\" does not exist"));
	sl_error_free(err);
	err = NULL;
	SL_CHECK(!sl_kafka_partitions(rk, NULL, "a(", 10000, &tps, &err));
	SL_CHECK(err && err->code == SL_ERR_INVALID_OPTION);
	sl_error_free(err);
	rd_kafka_destroy(rk);
}

static void
test_conf(void)
{
	sl_option_kv kvs[] = {
		{"connector", "kafka", SL_SPAN_NONE, SL_SPAN_NONE},
		{"properties.linger.ms", "7", SL_SPAN_NONE, SL_SPAN_NONE},
		{"properties.acks", "sometimes", SL_SPAN_NONE, {10, 19}},
	};
	sl_table t = {0};
	const char *const dflt[] = {"linger.ms", "5", "client.id", "x", NULL};
	sl_error *err = NULL;
	rd_kafka_conf_t *conf;
	char buf[64];
	size_t n = sizeof buf;
	t.name = "t";
	t.options = kvs;
	t.noptions = 2;
	conf = sl_kafka_conf_new(&t, dflt, &err);
	SL_CHECK(conf != NULL);
	if (conf) {
		/* the table's value wins over the default; other defaults apply */
		SL_CHECK(rd_kafka_conf_get(conf, "linger.ms", buf, &n) == RD_KAFKA_CONF_OK);
		SL_CHECK_STR(buf, "7");
		n = sizeof buf;
		SL_CHECK(rd_kafka_conf_get(conf, "client.id", buf, &n) == RD_KAFKA_CONF_OK);
		SL_CHECK_STR(buf, "x");
		rd_kafka_conf_destroy(conf);
	}
	t.noptions = 3;
	SL_CHECK(sl_kafka_conf_new(&t, NULL, &err) == NULL);
	SL_CHECK(err && err->code == SL_ERR_INVALID_OPTION && err->span.start == 10);
	SL_CHECK(err && strstr(err->message, "\"properties.acks\""));
	sl_error_free(err);
}

static void
test_relay(void)
{
	sl_error *err = NULL;
	sl_kafka_mock *m = NULL;
	int port = 0;
	/* a free port somewhere above 20000 */
	for (int i = 0; i < 20 && !m; i++) {
		port = 20000 + (int)((getpid() * 7 + i * 131) % 40000);
		m = sl_kafka_mock_new(1, port, &err);
		if (!m) {
			sl_error_free(err);
			err = NULL;
		}
	}
	SL_CHECK(m != NULL);
	if (!m)
		return;
	char want[32];
	snprintf(want, sizeof want, "127.0.0.1:%d", port);
	SL_CHECK_STR(sl_kafka_mock_bootstraps(m), want);
	rd_kafka_mock_topic_create(sl_kafka_mock_cluster(m), "r", 2, 1);
	rd_kafka_t *rk = client(want);
	sl_kafka_tps tps;
	SL_CHECK(sl_kafka_partitions(rk, "r", NULL, 10000, &tps, &err));
	SL_CHECK_INT(tps.n, 2);
	sl_kafka_tps_free(&tps);
	SL_CHECK_INT(rd_kafka_producev(rk, RD_KAFKA_V_TOPIC("r"), RD_KAFKA_V_VALUE("x", 1),
	                               RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END), 0);
	SL_CHECK_INT(rd_kafka_flush(rk, 10000), 0);
	rd_kafka_destroy(rk);
	sl_kafka_mock_free(m);
}

int
main(int argc, char **argv)
{
	sl_error *err = NULL;
	SL_TEST_MAIN_BEGIN(argc, argv);
	M = sl_kafka_mock_new(1, 0, &err);
	if (!M) {
		printf("not ok - mock cluster: %s\n", err ? err->message : "?");
		return 1;
	}
	SL_RUN(test_eo_header);
	SL_RUN(test_partitions);
	SL_RUN(test_conf);
	SL_RUN(test_relay);
	sl_kafka_mock_free(M);
	SL_TEST_MAIN_END();
}
