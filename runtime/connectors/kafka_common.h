/*
 * kafka_common.h
 *	  What the Kafka source, the Kafka sink and `sluice kafka ...` share:
 *	  librdkafka configuration from a table's WITH list ('properties.*'
 *	  passthrough), topic/partition discovery, the exactly-once record
 *	  header, and librdkafka's mock cluster behind a fixed loopback port.
 *
 *	  Nothing here runs on a hot path; callers own what the _new functions
 *	  return and free it with the matching _free / rd_kafka_*_destroy.
 *
 * INTERFACE ROUTINES
 *	  sl_kafka_table_opt          a WITH option of a table (NULL if absent)
 *	  sl_kafka_conf_new           rd_kafka_conf_t from 'properties.*'
 *	  sl_kafka_partitions         the sorted partitions of topics / a pattern
 *	  sl_kafka_eo_header_*        the (job, subtask, epoch, seq) header
 *	  sl_kafka_mock_new / _free   in-process mock cluster (kafka-dev, tests)
 */
#ifndef SL_RUNTIME_KAFKA_COMMON_H
#define SL_RUNTIME_KAFKA_COMMON_H

#include "common/common.h"
#include "planner/planner.h"

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

/* The value of option key of table t (case-insensitive key), or NULL. */
const char *sl_kafka_table_opt(const sl_table *t, const char *key);

/*
 * A librdkafka configuration holding every 'properties.X' option of t as
 * X, then the given defaults (key, value pairs, NULL-terminated) for keys
 * the table did not set. A property librdkafka refuses is an
 * SL_ERR_INVALID_OPTION error pointing at the value. Caller owns the
 * result (rd_kafka_conf_destroy, or hand it to rd_kafka_new).
 */
rd_kafka_conf_t *sl_kafka_conf_new(const sl_table *t, const char *const *defaults,
                                   sl_error **errp);

/* One partition of one topic. */
typedef struct sl_kafka_tp {
	char *topic;                /* malloc'ed */
	int32_t partition;
} sl_kafka_tp;

typedef struct sl_kafka_tps {
	size_t n;
	sl_kafka_tp *v;             /* sorted by (topic, partition) */
} sl_kafka_tps;

/*
 * The partitions of the ';'-separated topics (or of every topic whose name
 * matches the regular expression pattern, anchored, PCRE2 syntax) from
 * rk's metadata, sorted by topic then partition. A named topic that does
 * not exist is an error. Waits up to timeout_ms for metadata.
 */
bool sl_kafka_partitions(rd_kafka_t *rk, const char *topics, const char *pattern, int timeout_ms,
                         sl_kafka_tps *out, sl_error **errp);
void sl_kafka_tps_free(sl_kafka_tps *tps);

/*
 * The exactly-once sink's header "sluice.eo": 32 bytes, big-endian
 * job id hash (8), subtask (4), pad (4), epoch (8), sequence in epoch (8).
 */
#define SL_KAFKA_EO_HEADER "sluice.eo"
typedef struct sl_kafka_eo {
	uint64_t job;
	int32_t subtask;
	uint64_t epoch;
	uint64_t seq;
} sl_kafka_eo;
void sl_kafka_eo_encode(const sl_kafka_eo *h, unsigned char out[32]);
bool sl_kafka_eo_decode(const void *p, size_t n, sl_kafka_eo *h);

/* Big-endian helpers for blobs. */
void sl_kafka_put64(unsigned char *p, uint64_t v);
uint64_t sl_kafka_get64(const unsigned char *p);

/*
 * librdkafka's mock cluster with nbrokers brokers on loopback. port > 0:
 * also accept connections on 127.0.0.1:port and relay them to the first
 * broker (the mock picks its own ports; clients bootstrap through the
 * relay and then reach the brokers at the loopback addresses the
 * metadata names). NULL with *errp on failure.
 */
typedef struct sl_kafka_mock sl_kafka_mock;
sl_kafka_mock *sl_kafka_mock_new(int nbrokers, int port, sl_error **errp);
/* "127.0.0.1:9092" when a port was given, else the mock's own list. */
const char *sl_kafka_mock_bootstraps(const sl_kafka_mock *m);
rd_kafka_mock_cluster_t *sl_kafka_mock_cluster(sl_kafka_mock *m);
void sl_kafka_mock_free(sl_kafka_mock *m);

#endif /* SL_RUNTIME_KAFKA_COMMON_H */
