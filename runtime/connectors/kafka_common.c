/*
 * kafka_common.c
 *	  Shared Kafka plumbing: configuration, partition discovery, the
 *	  exactly-once header and the mock cluster (see kafka_common.h).
 *
 *	  The fixed-port relay of the mock cluster: librdkafka 2.0's mock
 *	  brokers listen on ports the kernel picks. `sluice kafka-dev --port N`
 *	  must be reachable at a known address, so a relay thread accepts on
 *	  127.0.0.1:N and copies bytes both ways between each client and the
 *	  first mock broker (one thread per connection; poll() with a 200 ms
 *	  tick so the relay notices shutdown). Only bootstrap traffic uses it:
 *	  the metadata a client receives names the brokers' own loopback
 *	  ports, which the client then connects to directly.
 *
 * INTERFACE ROUTINES
 *	  see kafka_common.h
 */
#include "runtime/connectors/kafka_common.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

const char *
sl_kafka_table_opt(const sl_table *t, const char *key)
{
	for (int i = 0; i < t->noptions; i++)
		if (sl_streq_ci(t->options[i].key, key))
			return t->options[i].value;
	return NULL;
}

rd_kafka_conf_t *
sl_kafka_conf_new(const sl_table *t, const char *const *defaults, sl_error **errp)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char errstr[512];
	static const char pfx[] = "properties.";

	for (int i = 0; t && i < t->noptions; i++) {
		const sl_option_kv *kv = &t->options[i];
		if (strncasecmp(kv->key, pfx, sizeof pfx - 1) != 0)
			continue;
		if (rd_kafka_conf_set(conf, kv->key + sizeof pfx - 1, kv->value, errstr, sizeof errstr) !=
		    RD_KAFKA_CONF_OK) {
			*errp = sl_error_new(SL_ERR_INVALID_OPTION, kv->value_span,
			                     "invalid value \"%s\" for option \"%s\"", kv->value, kv->key);
			sl_error_set_detail(*errp, "librdkafka: %s.", errstr);
			rd_kafka_conf_destroy(conf);
			return NULL;
		}
	}
	for (int i = 0; defaults && defaults[i]; i += 2) {
		char key[256];
		snprintf(key, sizeof key, "properties.%s", defaults[i]);
		if (t && sl_kafka_table_opt(t, key))
			continue;
		if (rd_kafka_conf_set(conf, defaults[i], defaults[i + 1], errstr, sizeof errstr) !=
		    RD_KAFKA_CONF_OK) {
			*errp = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE, "librdkafka: %s", errstr);
			rd_kafka_conf_destroy(conf);
			return NULL;
		}
	}
	return conf;
}

static int
tp_cmp(const void *a, const void *b)
{
	const sl_kafka_tp *x = a, *y = b;
	int c = strcmp(x->topic, y->topic);
	return c ? c : (x->partition > y->partition) - (x->partition < y->partition);
}

void
sl_kafka_tps_free(sl_kafka_tps *tps)
{
	for (size_t i = 0; i < tps->n; i++)
		free(tps->v[i].topic);
	free(tps->v);
	tps->v = NULL;
	tps->n = 0;
}

static void
tps_add_topic(sl_kafka_tps *out, const rd_kafka_metadata_topic_t *mt)
{
	out->v = sl_xrealloc(out->v, sizeof *out->v * (out->n + (size_t)mt->partition_cnt + 1));
	for (int p = 0; p < mt->partition_cnt; p++) {
		out->v[out->n].topic = sl_xstrdup(mt->topic);
		out->v[out->n].partition = mt->partitions[p].id;
		out->n++;
	}
}

bool
sl_kafka_partitions(rd_kafka_t *rk, const char *topics, const char *pattern, int timeout_ms,
                    sl_kafka_tps *out, sl_error **errp)
{
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_resp_err_t err;
	pcre2_code *re = NULL;
	pcre2_match_data *m = NULL;
	bool ok = true;

	memset(out, 0, sizeof *out);
	if (pattern) {
		int ec;
		PCRE2_SIZE eo;
		re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_ANCHORED | PCRE2_ENDANCHORED,
		                   &ec, &eo, NULL);
		if (!re)
			return sl_fail(errp, SL_ERR_INVALID_OPTION, SL_SPAN_NONE,
			               "invalid regular expression \"%s\" in option \"topic-pattern\"", pattern);
		m = pcre2_match_data_create_from_pattern(re, NULL);
	}
	/* A topic named in a metadata request for all topics is not created
	 * by the request (auto-creation only happens for named requests). */
	for (int attempt = 0; attempt < 3; attempt++) {
		err = rd_kafka_metadata(rk, 1, NULL, &md, timeout_ms);
		if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
			break;
	}
	if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
		ok = sl_fail(errp, SL_ERR_CONNECTOR, SL_SPAN_NONE, "kafka: cannot read cluster metadata: %s",
		             rd_kafka_err2str(err));
		goto done;
	}
	if (pattern) {
		for (int i = 0; i < md->topic_cnt; i++)
			if (md->topics[i].err == 0 &&
			    pcre2_match(re, (PCRE2_SPTR)md->topics[i].topic, PCRE2_ZERO_TERMINATED, 0, 0, m,
			                NULL) >= 0)
				tps_add_topic(out, &md->topics[i]);
	} else {
		char *list = sl_xstrdup(topics), *save = NULL;
		for (char *tok = strtok_r(list, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
			int i;
			while (*tok == ' ')
				tok++;
			for (i = 0; i < md->topic_cnt; i++)
				if (strcmp(md->topics[i].topic, tok) == 0 && md->topics[i].err == 0)
					break;
			if (i == md->topic_cnt) {
				ok = sl_fail(errp, SL_ERR_CONNECTOR, SL_SPAN_NONE,
				             "kafka: topic \"%s\" does not exist", tok);
				break;
			}
			tps_add_topic(out, &md->topics[i]);
		}
		free(list);
	}
	if (ok)
		qsort(out->v, out->n, sizeof *out->v, tp_cmp);
	else
		sl_kafka_tps_free(out);
done:
	if (md)
		rd_kafka_metadata_destroy(md);
	if (m)
		pcre2_match_data_free(m);
	if (re)
		pcre2_code_free(re);
	return ok;
}

void
sl_kafka_put64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
}

uint64_t
sl_kafka_get64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

void
sl_kafka_eo_encode(const sl_kafka_eo *h, unsigned char out[32])
{
	sl_kafka_put64(out, h->job);
	sl_kafka_put64(out + 8, (uint64_t)(uint32_t)h->subtask << 32);
	sl_kafka_put64(out + 16, h->epoch);
	sl_kafka_put64(out + 24, h->seq);
}

bool
sl_kafka_eo_decode(const void *p, size_t n, sl_kafka_eo *h)
{
	const unsigned char *b = p;
	if (!p || n != 32)
		return false;
	h->job = sl_kafka_get64(b);
	h->subtask = (int32_t)(sl_kafka_get64(b + 8) >> 32);
	h->epoch = sl_kafka_get64(b + 16);
	h->seq = sl_kafka_get64(b + 24);
	return true;
}

/* ------------------------------------------------------------ mock */

struct sl_kafka_mock {
	rd_kafka_t *rk;             /* the handle that owns the cluster */
	rd_kafka_mock_cluster_t *mc;
	char *bootstraps;           /* what clients should use */
	struct sockaddr_in target;  /* first broker, for the relay */
	int lfd;                    /* relay listener, or -1 */
	pthread_t acceptor;
	atomic_bool stop;
	atomic_int nconn;           /* relay connections alive */
};

typedef struct relay_conn {
	sl_kafka_mock *m;
	int a, b;
} relay_conn;

static void *
relay_conn_main(void *arg)
{
	relay_conn *c = arg;
	char buf[65536];
	struct pollfd p[2] = {{c->a, POLLIN, 0}, {c->b, POLLIN, 0}};
	while (!atomic_load(&c->m->stop)) {
		int n = poll(p, 2, 200);
		if (n < 0 && errno != EINTR)
			break;
		if (n <= 0)
			continue;
		bool closed = false;
		for (int i = 0; i < 2 && !closed; i++) {
			if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t r = read(p[i].fd, buf, sizeof buf);
			if (r <= 0) {
				closed = true;
				break;
			}
			for (ssize_t off = 0; off < r;) {
				ssize_t w = write(p[1 - i].fd, buf + off, (size_t)(r - off));
				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0) {
					closed = true;
					break;
				}
				off += w;
			}
		}
		if (closed)
			break;
	}
	close(c->a);
	close(c->b);
	atomic_fetch_sub(&c->m->nconn, 1);
	free(c);
	return NULL;
}

static void *
relay_accept_main(void *arg)
{
	sl_kafka_mock *m = arg;
	struct pollfd p = {m->lfd, POLLIN, 0};
	while (!atomic_load(&m->stop)) {
		if (poll(&p, 1, 200) <= 0)
			continue;
		int a = accept(m->lfd, NULL, NULL);
		if (a < 0)
			continue;
		int b = socket(AF_INET, SOCK_STREAM, 0);
		if (b < 0 || connect(b, (struct sockaddr *)&m->target, sizeof m->target) != 0) {
			close(a);
			if (b >= 0)
				close(b);
			continue;
		}
		relay_conn *c = sl_xmalloc(sizeof *c);
		pthread_t th;
		c->m = m;
		c->a = a;
		c->b = b;
		atomic_fetch_add(&m->nconn, 1);
		if (pthread_create(&th, NULL, relay_conn_main, c) != 0) {
			atomic_fetch_sub(&m->nconn, 1);
			close(a);
			close(b);
			free(c);
			continue;
		}
		pthread_detach(th);
	}
	return NULL;
}

sl_kafka_mock *
sl_kafka_mock_new(int nbrokers, int port, sl_error **errp)
{
	sl_kafka_mock *m = sl_xcalloc(1, sizeof *m);
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	char errstr[512];
	const char *bs;

	m->lfd = -1;
	/* a producer handle that only exists to own the cluster */
	rd_kafka_conf_set(conf, "log_level", "3", NULL, 0);
	if (!(m->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr))) {
		sl_fail(errp, SL_ERR_CONNECTOR, SL_SPAN_NONE, "kafka mock: %s", errstr);
		free(m);
		return NULL;
	}
	if (!(m->mc = rd_kafka_mock_cluster_new(m->rk, nbrokers < 1 ? 1 : nbrokers))) {
		sl_fail(errp, SL_ERR_CONNECTOR, SL_SPAN_NONE, "kafka mock: cannot start the mock cluster");
		rd_kafka_destroy(m->rk);
		free(m);
		return NULL;
	}
	bs = rd_kafka_mock_cluster_bootstraps(m->mc);
	if (port <= 0) {
		m->bootstraps = sl_xstrdup(bs);
		return m;
	}
	{
		/* first broker's address: "127.0.0.1:PORT,..." */
		const char *colon = strchr(bs, ':');
		struct sockaddr_in la;
		int one = 1;
		memset(&m->target, 0, sizeof m->target);
		m->target.sin_family = AF_INET;
		m->target.sin_port = htons((uint16_t)(colon ? atoi(colon + 1) : 0));
		m->target.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		memset(&la, 0, sizeof la);
		la.sin_family = AF_INET;
		la.sin_port = htons((uint16_t)port);
		la.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		m->lfd = socket(AF_INET, SOCK_STREAM, 0);
		if (m->lfd >= 0)
			setsockopt(m->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (m->lfd < 0 || bind(m->lfd, (struct sockaddr *)&la, sizeof la) != 0 ||
		    listen(m->lfd, 64) != 0) {
			sl_fail(errp, SL_ERR_CONNECTOR, SL_SPAN_NONE, "kafka mock: cannot listen on 127.0.0.1:%d: %s",
			        port, strerror(errno));
			if (m->lfd >= 0)
				close(m->lfd);
			m->lfd = -1;
			sl_kafka_mock_free(m);
			return NULL;
		}
		if (pthread_create(&m->acceptor, NULL, relay_accept_main, m) != 0) {
			close(m->lfd);
			m->lfd = -1;
			sl_fail(errp, SL_ERR_CONNECTOR, SL_SPAN_NONE, "kafka mock: cannot start the relay thread");
			sl_kafka_mock_free(m);
			return NULL;
		}
		char buf[64];
		snprintf(buf, sizeof buf, "127.0.0.1:%d", port);
		m->bootstraps = sl_xstrdup(buf);
	}
	return m;
}

const char *
sl_kafka_mock_bootstraps(const sl_kafka_mock *m)
{
	return m->bootstraps;
}

rd_kafka_mock_cluster_t *
sl_kafka_mock_cluster(sl_kafka_mock *m)
{
	return m->mc;
}

void
sl_kafka_mock_free(sl_kafka_mock *m)
{
	if (!m)
		return;
	atomic_store(&m->stop, true);
	if (m->lfd >= 0) {
		pthread_join(m->acceptor, NULL);
		close(m->lfd);
		/* connection threads notice stop within one poll tick */
		for (int i = 0; i < 50 && atomic_load(&m->nconn) > 0; i++)
			usleep(20000);
	}
	if (m->mc)
		rd_kafka_mock_cluster_destroy(m->mc);
	if (m->rk)
		rd_kafka_destroy(m->rk);
	free(m->bootstraps);
	free(m);
}
