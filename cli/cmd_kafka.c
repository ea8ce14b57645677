/*
 * cmd_kafka.c
 *	  `sluice kafka-dev` (a local mock Kafka cluster) and `sluice kafka
 *	  produce | consume | abort-lingering` (small clients for trying and
 *	  testing the Kafka connectors without other software).
 *
 *	  kafka-dev runs librdkafka's built-in mock cluster (in memory, no
 *	  transaction isolation) until SIGINT/SIGTERM, or with --control until
 *	  standard input ends; --control reads one command per line and answers
 *	  "ok" or "error: ..." on standard output:
 *	    topic NAME PARTITIONS     create a topic
 *	    errors API COUNT [CODE]   the next COUNT requests of API (produce,
 *	                              fetch, metadata, or a number) fail with
 *	                              CODE (default 6, NOT_LEADER_FOR_PARTITION)
 *	    down ID / up ID           take broker ID down or bring it back
 *
 * INTERFACE ROUTINES
 *	  sl_cmd_kafka_dev, sl_cmd_kafka
 */
#include "cli/cli.h"
#include "runtime/connectors/kafka_common.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_flag;

static void
on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void
fail_error(sl_error *e)
{
	sl_cli_usage_error("%s", e->message);
	if (e->detail)
		fprintf(stderr, "detail: %s\n", e->detail);
	sl_error_free(e);
}

/* Value of "--name V" / "--name=V" at argv[*i]; advances *i. NULL if
 * argv[*i] is not that flag. */
static const char *
flag_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		sl_cli_usage_error("option \"%s\" needs a value", name);
		exit(2);
	}
	return argv[++*i];
}

static int
api_key(const char *s)
{
	if (strcmp(s, "produce") == 0)
		return 0;
	if (strcmp(s, "fetch") == 0)
		return 1;
	if (strcmp(s, "list-offsets") == 0)
		return 2;
	if (strcmp(s, "metadata") == 0)
		return 3;
	if (strcmp(s, "offset-commit") == 0)
		return 8;
	if (strcmp(s, "init-producer-id") == 0)
		return 22;
	return atoi(s);
}

static void
control_line(sl_kafka_mock *m, char *line)
{
	rd_kafka_mock_cluster_t *mc = sl_kafka_mock_cluster(m);
	char a[256], b[64];
	int x, y;
	rd_kafka_resp_err_t err = 0;
	if (sscanf(line, "topic %255s %d", a, &x) == 2) {
		err = rd_kafka_mock_topic_create(mc, a, x, 1);
	} else if (sscanf(line, "errors %63s %d %d", b, &x, &y) >= 2) {
		int code = 6;
		if (sscanf(line, "errors %*s %*d %d", &y) == 1)
			code = y;
		rd_kafka_resp_err_t *errs = sl_xmalloc(sizeof *errs * (size_t)(x > 0 ? x : 1));
		for (int i = 0; i < x; i++)
			errs[i] = (rd_kafka_resp_err_t)code;
		rd_kafka_mock_push_request_errors_array(mc, (int16_t)api_key(b), (size_t)x, errs);
		free(errs);
	} else if (sscanf(line, "down %d", &x) == 1) {
		err = rd_kafka_mock_broker_set_down(mc, x);
	} else if (sscanf(line, "up %d", &x) == 1) {
		err = rd_kafka_mock_broker_set_up(mc, x);
	} else {
		printf("error: unknown command \"%s\"\n", line);
		fflush(stdout);
		return;
	}
	if (err)
		printf("error: %s\n", rd_kafka_err2str(err));
	else
		printf("ok\n");
	fflush(stdout);
}

int
sl_cmd_kafka_dev(int argc, char **argv)
{
	int port = 9092, brokers = 1;
	bool control = false;
	sl_error *err = NULL;
	sl_kafka_mock *m;
	const char *v;
	char **topics = sl_xcalloc((size_t)argc + 1, sizeof *topics);
	int ntopics = 0;

	for (int i = 1; i < argc; i++) {
		if ((v = flag_value(argc, argv, &i, "--port")))
			port = atoi(v);
		else if ((v = flag_value(argc, argv, &i, "--brokers")))
			brokers = atoi(v);
		else if ((v = flag_value(argc, argv, &i, "--topic")))
			topics[ntopics++] = (char *)v;
		else if (strcmp(argv[i], "--control") == 0)
			control = true;
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("usage: sluice kafka-dev [--port 9092] [--brokers 1] [--topic NAME[:PARTITIONS]]... "
			       "[--control]\n"
			       "Runs librdkafka's mock Kafka cluster on loopback until interrupted.\n"
			       "--port 0: the mock's own ports only. --control: read commands on stdin\n"
			       "(topic NAME N | errors API COUNT [CODE] | down ID | up ID) and stop at its end.\n");
			free(topics);
			return 0;
		} else {
			sl_cli_usage_error("unknown option \"%s\" for kafka-dev", argv[i]);
			free(topics);
			return 2;
		}
	}
	if (port < 0 || port > 65535 || brokers < 1 || brokers > 16) {
		sl_cli_usage_error("--port must be 0..65535 and --brokers 1..16");
		free(topics);
		return 2;
	}
	if (!(m = sl_kafka_mock_new(brokers, port, &err))) {
		fail_error(err);
		free(topics);
		return 1;
	}
	for (int i = 0; i < ntopics; i++) {
		char *colon = strrchr(topics[i], ':');
		int parts = colon ? atoi(colon + 1) : 1;
		if (colon)
			*colon = '\0';
		rd_kafka_mock_topic_create(sl_kafka_mock_cluster(m), topics[i], parts < 1 ? 1 : parts, 1);
	}
	free(topics);
	printf("sluice kafka-dev: librdkafka mock cluster (%d broker%s)\n"
	       "bootstrap.servers = %s\n"
	       "note: a mock for trying sluice and for tests, not a Kafka broker: it holds all data in\n"
	       "      memory (gone when it stops; ~5 MB kept per partition) and does not enforce\n"
	       "      transaction isolation (read_committed readers see aborted records, old\n"
	       "      transactional producers are not fenced). Ctrl-C stops it.\n",
	       brokers, brokers == 1 ? "" : "s", sl_kafka_mock_bootstraps(m));
	fflush(stdout);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (control) {
		char line[512];
		while (!stop_flag && fgets(line, sizeof line, stdin)) {
			line[strcspn(line, "\r\n")] = '\0';
			if (*line)
				control_line(m, line);
		}
	} else {
		while (!stop_flag)
			pause();
	}
	sl_kafka_mock_free(m);
	return 0;
}

/* ------------------------------------------------------- sluice kafka */

static rd_kafka_t *
client_new(rd_kafka_type_t type, const char *bootstrap, const char *const *extra)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char errstr[512];
	rd_kafka_t *rk;
	if (rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap, errstr, sizeof errstr) != RD_KAFKA_CONF_OK)
		goto bad;
	for (int i = 0; extra && extra[i]; i += 2)
		if (rd_kafka_conf_set(conf, extra[i], extra[i + 1], errstr, sizeof errstr) != RD_KAFKA_CONF_OK)
			goto bad;
	if (!(rk = rd_kafka_new(type, conf, errstr, sizeof errstr))) {
		sl_cli_usage_error("kafka: %s", errstr);
		return NULL;
	}
	return rk;
bad:
	sl_cli_usage_error("kafka: %s", errstr);
	rd_kafka_conf_destroy(conf);
	return NULL;
}

/* sluice kafka produce: one record per stdin line; "KEY<delim>VALUE" with
 * --key-delimiter; an empty value after the delimiter with --null-empty
 * is a tombstone. */
static int
kafka_produce(const char *bootstrap, const char *topic, int partition, const char *delim,
              bool null_empty, char **headers, int nheaders)
{
	static const char *const extra[] = {"enable.idempotence", "true", "linger.ms", "5",
	                                   "sticky.partitioning.linger.ms", "0", NULL};
	rd_kafka_t *rk = client_new(RD_KAFKA_PRODUCER, bootstrap, extra);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long count = 0;
	if (!rk)
		return 1;
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		char *key = NULL, *val = line;
		size_t klen = 0, vlen;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		vlen = (size_t)n;
		if (delim && *delim) {
			char *d = strstr(line, delim);
			if (d) {
				key = line;
				klen = (size_t)(d - line);
				val = d + strlen(delim);
				vlen = (size_t)(line + n - val);
			}
		}
		for (;;) {
			rd_kafka_headers_t *h = rd_kafka_headers_new((size_t)nheaders + 1);
			for (int i = 0; i < nheaders; i++) {
				const char *eq = strchr(headers[i], '=');
				rd_kafka_header_add(h, headers[i], eq ? eq - headers[i] : -1, eq ? eq + 1 : NULL,
				                    eq ? -1 : 0);
			}
			rd_kafka_resp_err_t e = rd_kafka_producev(
			    rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(partition),
			    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
			    RD_KAFKA_V_VALUE(null_empty && vlen == 0 ? NULL : val, vlen),
			    RD_KAFKA_V_KEY(key, klen), RD_KAFKA_V_HEADERS(h), RD_KAFKA_V_END);
			if (e)
				rd_kafka_headers_destroy(h);
			if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
				rd_kafka_poll(rk, 10);
				continue;
			}
			if (e) {
				sl_cli_usage_error("kafka: produce to \"%s\": %s", topic, rd_kafka_err2str(e));
				free(line);
				rd_kafka_destroy(rk);
				return 1;
			}
			break;
		}
		count++;
		rd_kafka_poll(rk, 0);
	}
	free(line);
	if (rd_kafka_flush(rk, 30000) != 0) {
		sl_cli_usage_error("kafka: not every record was delivered within 30 s");
		rd_kafka_destroy(rk);
		return 1;
	}
	rd_kafka_destroy(rk);
	fprintf(stderr, "sluice kafka produce: %ld records to \"%s\"\n", count, topic);
	return 0;
}

static void
print_escaped(FILE *f, const char *p, size_t n, bool is_null)
{
	if (is_null) {
		fputs("NULL", f);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '\t')
			fputs("\\t", f);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\\')
			fputs("\\\\", f);
		else if (c < 0x20)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

/*
 * sluice kafka consume: every record of the topic's partitions from the
 * beginning up to the end offsets as of the start (then exit), one per
 * line: the value, or with --verbose "partition offset key value headers"
 * separated by tabs (NULL for a null key or value; headers as
 * name=hex,...). Records carrying the exactly-once header print it as
 * eo=job/subtask/epoch/seq.
 */
static int
kafka_consume(const char *bootstrap, const char *topic, bool verbose, bool committed_only)
{
	static const char *const extra[] = {"enable.auto.commit", "false", "fetch.wait.max.ms", "10",
	                                    "group.id", "sluice-kafka-consume", NULL};
	static const char *const extra_rc[] = {"enable.auto.commit", "false", "fetch.wait.max.ms", "10",
	                                       "group.id", "sluice-kafka-consume",
	                                       "isolation.level", "read_committed", NULL};
	rd_kafka_t *rk = client_new(RD_KAFKA_CONSUMER, bootstrap, committed_only ? extra_rc : extra);
	sl_kafka_tps tps;
	sl_error *err = NULL;
	rd_kafka_topic_partition_list_t *assign;
	int64_t *end;
	size_t left = 0;
	if (!rk)
		return 1;
	if (!sl_kafka_partitions(rk, topic, NULL, 10000, &tps, &err)) {
		fail_error(err);
		rd_kafka_destroy(rk);
		return 1;
	}
	assign = rd_kafka_topic_partition_list_new((int)tps.n);
	end = sl_xcalloc(tps.n + 1, sizeof *end);
	for (size_t i = 0; i < tps.n; i++) {
		int64_t lo, hi;
		rd_kafka_resp_err_t e = rd_kafka_query_watermark_offsets(rk, topic, tps.v[i].partition, &lo, &hi, 10000);
		if (e) {
			sl_cli_usage_error("kafka: offsets of %s[%d]: %s", topic, tps.v[i].partition, rd_kafka_err2str(e));
			return 1;
		}
		end[i] = hi;
		if (hi > lo) {
			rd_kafka_topic_partition_list_add(assign, topic, tps.v[i].partition)->offset = lo;
			left++;
		}
	}
	rd_kafka_poll_set_consumer(rk);
	rd_kafka_assign(rk, assign);
	while (left > 0) {
		rd_kafka_message_t *msg = rd_kafka_consumer_poll(rk, 1000);
		if (!msg)
			continue;
		if (msg->err) {
			if (msg->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
				sl_cli_usage_error("kafka: %s", rd_kafka_message_errstr(msg));
				rd_kafka_message_destroy(msg);
				return 1;
			}
			rd_kafka_message_destroy(msg);
			continue;
		}
		size_t pi = 0;
		while (pi < tps.n && tps.v[pi].partition != msg->partition)
			pi++;
		if (pi < tps.n && msg->offset < end[pi]) {
			if (verbose) {
				rd_kafka_headers_t *hdrs = NULL;
				printf("%d\t%lld\t", (int)msg->partition, (long long)msg->offset);
				print_escaped(stdout, msg->key, msg->key_len, msg->key == NULL);
				putchar('\t');
				print_escaped(stdout, msg->payload, msg->len, msg->payload == NULL);
				putchar('\t');
				if (rd_kafka_message_headers(msg, &hdrs) == 0) {
					const char *name;
					const void *val;
					size_t sz;
					for (size_t h = 0; rd_kafka_header_get_all(hdrs, h, &name, &val, &sz) == 0; h++) {
						sl_kafka_eo eo;
						if (h)
							putchar(',');
						if (strcmp(name, SL_KAFKA_EO_HEADER) == 0 && sl_kafka_eo_decode(val, sz, &eo)) {
							printf("eo=%llx/%d/%llu/%llu", (unsigned long long)eo.job, eo.subtask,
							       (unsigned long long)eo.epoch, (unsigned long long)eo.seq);
							continue;
						}
						printf("%s=", name);
						print_escaped(stdout, val, sz, val == NULL);
					}
				}
				putchar('\n');
			} else {
				print_escaped(stdout, msg->payload, msg->len, msg->payload == NULL);
				putchar('\n');
			}
			if (msg->offset + 1 >= end[pi])
				left--;
		}
		rd_kafka_message_destroy(msg);
	}
	fflush(stdout);
	rd_kafka_consumer_close(rk);
	rd_kafka_topic_partition_list_destroy(assign);
	free(end);
	sl_kafka_tps_free(&tps);
	rd_kafka_destroy(rk);
	return 0;
}

/*
 * sluice kafka abort-lingering: for each transactional id PREFIX-0 ..
 * PREFIX-(N-1) (the ids the exactly-once sink uses for its N subtasks),
 * initialize a transactional producer with that id: the broker aborts the
 * id's open transaction and fences the producer that left it.
 */
static int
kafka_abort_lingering(const char *bootstrap, const char *prefix, int subtasks)
{
	int rc = 0;
	for (int s = 0; s < subtasks; s++) {
		char id[512];
		snprintf(id, sizeof id, "%s-%d", prefix, s);
		const char *const extra[] = {"transactional.id", id, NULL};
		rd_kafka_t *rk = client_new(RD_KAFKA_PRODUCER, bootstrap, extra);
		rd_kafka_error_t *e;
		if (!rk)
			return 1;
		if ((e = rd_kafka_init_transactions(rk, 30000))) {
			sl_cli_usage_error("kafka: transactional id \"%s\": %s", id, rd_kafka_error_string(e));
			rd_kafka_error_destroy(e);
			rc = 1;
		} else {
			printf("aborted any open transaction of \"%s\"\n", id);
		}
		rd_kafka_destroy(rk);
	}
	return rc;
}

int
sl_cmd_kafka(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;
	const char *bootstrap = "127.0.0.1:9092", *topic = NULL, *delim = NULL, *prefix = NULL, *v;
	int partition = RD_KAFKA_PARTITION_UA, subtasks = 1;
	bool verbose = false, null_empty = false, committed = false;
	char **headers = sl_xcalloc((size_t)argc + 1, sizeof *headers);
	int nheaders = 0, rc;
	static const char *const subs[] = {"produce", "consume", "abort-lingering"};

	if (!sub || strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		printf("usage: sluice kafka produce --topic T [--bootstrap-servers H:P] [--partition N]\n"
		       "                           [--key-delimiter D] [--null-empty] [--header NAME=VALUE]...\n"
		       "                           (records: stdin lines)\n"
		       "       sluice kafka consume --topic T [--bootstrap-servers H:P] [--verbose] [--read-committed]\n"
		       "       sluice kafka abort-lingering --transactional-id-prefix P [--subtasks N]\n"
		       "                           [--bootstrap-servers H:P]\n");
		return sub ? 0 : 2;
	}
	for (int i = 2; i < argc; i++) {
		if ((v = flag_value(argc, argv, &i, "--bootstrap-servers")))
			bootstrap = v;
		else if ((v = flag_value(argc, argv, &i, "--topic")))
			topic = v;
		else if ((v = flag_value(argc, argv, &i, "--partition")))
			partition = atoi(v);
		else if ((v = flag_value(argc, argv, &i, "--key-delimiter")))
			delim = v;
		else if ((v = flag_value(argc, argv, &i, "--transactional-id-prefix")))
			prefix = v;
		else if ((v = flag_value(argc, argv, &i, "--header")))
			headers[nheaders++] = (char *)v;
		else if ((v = flag_value(argc, argv, &i, "--subtasks")))
			subtasks = atoi(v);
		else if (strcmp(argv[i], "--verbose") == 0)
			verbose = true;
		else if (strcmp(argv[i], "--null-empty") == 0)
			null_empty = true;
		else if (strcmp(argv[i], "--read-committed") == 0)
			committed = true;
		else {
			sl_cli_usage_error("unknown option \"%s\" for \"kafka %s\"", argv[i], sub);
			return 2;
		}
	}
	if (strcmp(sub, "abort-lingering") == 0) {
		if (!prefix || subtasks < 1) {
			sl_cli_usage_error("abort-lingering needs --transactional-id-prefix and --subtasks >= 1");
			return 2;
		}
		return kafka_abort_lingering(bootstrap, prefix, subtasks);
	}
	if (strcmp(sub, "produce") == 0 || strcmp(sub, "consume") == 0) {
		if (!topic) {
			sl_cli_usage_error("kafka %s needs --topic", sub);
			return 2;
		}
		rc = strcmp(sub, "produce") == 0
		         ? kafka_produce(bootstrap, topic, partition, delim, null_empty, headers, nheaders)
		         : kafka_consume(bootstrap, topic, verbose, committed);
		free(headers);
		return rc;
	}
	sl_cli_usage_error("unknown kafka command \"%s\"", sub);
	{
		const char *best = sl_suggest(sub, subs, SL_ARRAY_LEN(subs));
		if (best)
			fprintf(stderr, "hint: did you mean \"%s\"?\n", best);
	}
	return 2;
}
