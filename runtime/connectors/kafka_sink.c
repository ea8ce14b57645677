/*
 * kafka_sink.c
 *	  The 'kafka' and 'upsert-kafka' sinks: each row becomes one record
 *	  (key and value encoded by runtime/format), written with librdkafka.
 *
 *	  Input columns are the table's writable columns in table order
 *	  (physical, then non-virtual METADATA interleaved as declared):
 *	  'headers' MAP<STRING, BYTES|STRING> and 'timestamp'
 *	  TIMESTAMP_LTZ(3) metadata become the record's headers and timestamp.
 *	  The key holds 'key.fields' (upsert-kafka: the primary key); the value
 *	  every physical column ('value.fields-include' = 'EXCEPT_KEY': all
 *	  but the key). upsert-kafka writes +I/+U as records, -D as a
 *	  tombstone (null value) of the key, and drops -U.
 *
 *	  Partition of a record ('sink.partitioner'): default = murmur2 of the
 *	  key (Kafka's default partitioner) or, without a key, round-robin;
 *	  fixed = subtask mod partitions; round-robin. The sink computes the
 *	  partition itself so that a record buffered for exactly-once goes to
 *	  the same partition when it is written again after a restore.
 *
 *	  'sink.delivery-guarantee':
 *	    none            produce and forget (errors still fail the job)
 *	    at-least-once   produce as rows arrive; a checkpoint waits until
 *	                    every record is acknowledged
 *	    exactly-once    (DESIGN.md 6) rows of epoch n (between barriers n-1
 *	                    and n) are encoded into an in-memory buffer; at
 *	                    barrier n the buffer is sealed and goes into the
 *	                    checkpoint (blob "kafka.eo", with the partitions'
 *	                    end offsets at that moment); notify_complete(n)
 *	                    writes every sealed epoch <= n with the idempotent
 *	                    producer, each record carrying the "sluice.eo"
 *	                    header (job, subtask, epoch, seq), and waits for
 *	                    the acknowledgements. After a restore the sink
 *	                    reads its partitions back from the recorded end
 *	                    offsets, finds per partition the last (epoch, seq)
 *	                    it wrote, and the replayed notify_complete skips
 *	                    every record at or below it: a crash in the middle
 *	                    of writing an epoch writes nothing twice. After a
 *	                    rescale new subtask i adopts the sealed epochs of
 *	                    every old subtask j with j mod P = i and writes
 *	                    them under j's identity (restore_eo). With
 *	                    'sink.transactional-id-prefix' each epoch is also
 *	                    one Kafka transaction of id PREFIX-subtask.
 *	  At end of input (bounded jobs) the sink writes what it holds.
 *
 *	  @thread every callback runs on the subtask's worker; librdkafka's
 *	  delivery reports run inside rd_kafka_poll/flush on that thread.
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_kafka_sink
 */
#include "runtime/op.h"
#include "runtime/connectors/kafka_common.h"
#include "runtime/format/format.h"
#include "state/state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

void sl_task_note_watermark(sl_task *task, int64_t wm);
bool sl_kafka_key_fields(const sl_table *t, bool upsert, bool *is_key, sl_error **errp);

typedef enum guarantee { G_NONE, G_ALO, G_EO } guarantee;
typedef enum partitioner { P_DEFAULT, P_FIXED, P_RR } partitioner;

/* A sealed epoch waiting for its checkpoint to complete. */
typedef struct epoch_buf {
	uint64_t epoch;
	int owner;                  /* subtask id in its records' headers: this
	                             * subtask, or after a rescale the old
	                             * subtask whose epoch it adopted */
	uint64_t nrec;
	sl_strbuf data;             /* framed records, see frame_record */
} epoch_buf;

typedef struct ksink {
	const sl_table *t;
	bool upsert;
	const char *topic;
	guarantee g;
	partitioner part;
	const char *txn_prefix;
	/* formats */
	sl_format_spec vspec, kspec;
	sl_encoder *venc, *kenc;
	bool has_key;
	int headers_col, ts_col;    /* input columns, or -1 */
	/* runtime */
	rd_kafka_t *rk;
	rd_kafka_topic_t *rkt;
	int32_t nparts;
	uint64_t rr;                /* round-robin counter */
	sl_strbuf kbuf, vbuf;
	char delivery_err[512];     /* first failed delivery ("" if none) */
	/* exactly-once */
	uint64_t job;               /* id in the header */
	sl_strbuf cur;              /* records of the open epoch */
	uint64_t cur_n;
	int nsealed;
	epoch_buf *sealed;          /* ascending epochs */
	int nowners;                /* after restore: subtasks whose records the */
	int *owners;                /* read-back looks for (owners[0] = ours) */
	int64_t *last_epoch;        /* per (owner slot, partition) after restore: */
	int64_t *last_seq;          /* last (epoch, seq) found; -1 = none;
	                             * index slot * nparts + partition */
	bool recovered;             /* read-back done */
	long crash_after;           /* SLUICE_KAFKA_CRASH_AFTER (tests): exit
	                             * after writing this many records */
	uint64_t restored_id;
} ksink;

/* ------------------------------------------------------------ helpers */

static void
put32(sl_strbuf *b, int32_t v)
{
	unsigned char x[4] = {(unsigned char)((uint32_t)v >> 24), (unsigned char)((uint32_t)v >> 16),
	                      (unsigned char)((uint32_t)v >> 8), (unsigned char)v};
	sl_strbuf_appendn(b, (const char *)x, 4);
}

static int32_t
get32(const unsigned char *p)
{
	return (int32_t)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]);
}

static void
put64(sl_strbuf *b, uint64_t v)
{
	unsigned char x[8];
	sl_kafka_put64(x, v);
	sl_strbuf_appendn(b, (const char *)x, 8);
}

static bool
kfail(sl_error **errp, const ksink *k, const char *what, const char *detail)
{
	*errp = sl_error_new(SL_ERR_CONNECTOR, SL_SPAN_NONE, "kafka sink \"%s\": %s", k->t->name, what);
	if (detail)
		sl_error_set_detail(*errp, "%s", detail);
	return false;
}

static void
dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	ksink *k = opaque;
	(void)rk;
	if (m->err && !k->delivery_err[0])
		snprintf(k->delivery_err, sizeof k->delivery_err, "%s[%d]: %s", rd_kafka_topic_name(m->rkt),
		         (int)m->partition, rd_kafka_err2str(m->err));
}

/* ------------------------------------------------------------ open */

static bool
read_back(sl_op *op, ksink *k, const int64_t *from, int np, sl_error **errp);

/* One "kafka.eo" blob of subtask `owner`: its sealed epochs join
 * k->sealed, its partitions' end offsets lower *from (the read-back
 * start; *np grows to the blob's partition count). */
static bool
restore_eo_blob(ksink *k, int owner, const unsigned char *b, size_t n, int64_t **from, uint32_t *np,
                sl_error **errp)
{
	size_t pos = 0;
	uint32_t bnp, ne;
	if (n < 12)
		return true;
	bnp = (uint32_t)get32(b + 8);
	pos = 12;
	if (pos + 8 * (size_t)bnp + 4 > n)
		return kfail(errp, k, "the checkpoint's sink state is truncated", NULL);
	if (bnp > *np) {
		*from = sl_xrealloc(*from, sizeof **from * ((size_t)bnp + 1));
		for (uint32_t i = *np; i < bnp; i++)
			(*from)[i] = INT64_MAX;
		*np = bnp;
	}
	for (uint32_t i = 0; i < bnp; i++, pos += 8) {
		int64_t o = (int64_t)sl_kafka_get64(b + pos);
		if (o < (*from)[i])
			(*from)[i] = o;
	}
	ne = (uint32_t)get32(b + pos);
	pos += 4;
	for (uint32_t i = 0; i < ne; i++) {
		epoch_buf *e;
		uint64_t len;
		if (pos + 24 > n)
			break;
		k->sealed = sl_xrealloc(k->sealed, sizeof *k->sealed * (size_t)(k->nsealed + 1));
		e = &k->sealed[k->nsealed++];
		memset(e, 0, sizeof *e);
		e->owner = owner;
		e->epoch = sl_kafka_get64(b + pos);
		e->nrec = sl_kafka_get64(b + pos + 8);
		len = sl_kafka_get64(b + pos + 16);
		pos += 24;
		if (pos + len > n)
			break;
		sl_strbuf_appendn(&e->data, (const char *)b + pos, (size_t)len);
		pos += (size_t)len;
	}
	return true;
}

static int
epoch_cmp(const void *x, const void *y)
{
	const epoch_buf *a = x, *b = y;
	if (a->epoch != b->epoch)
		return a->epoch < b->epoch ? -1 : 1;
	return (a->owner > b->owner) - (a->owner < b->owner);
}

/* After a restore: the sealed epochs of the checkpoint, then the
 * read-back. At the same parallelism that is this subtask's blob. After
 * a rescale each old subtask j's blob ("kafka.eo@j") is adopted by new
 * subtask j mod P, which writes its pending epochs under j's identity
 * (the headers, the read-back's last (epoch, seq) per owner), so they
 * are written once, by one subtask. */
static bool
restore_eo(sl_op *op, ksink *k, sl_error **errp)
{
	sl_state *st = sl_op_state(op, errp);
	const void *b;
	size_t n;
	int64_t *from = NULL;
	uint32_t np = 0;
	int nblobs = 0;
	bool ok = true;
	if (!st)
		return false;
	k->owners = sl_xmalloc(sizeof *k->owners);
	k->owners[k->nowners++] = op->subtask;
	if ((b = sl_state_op_get(st, "kafka.eo", &n))) {
		nblobs++;
		ok = restore_eo_blob(k, op->subtask, b, n, &from, &np, errp);
	} else {
		for (size_t i = 0; ok && i < sl_state_op_count(st); i++) {
			const char *on = sl_state_op_name(st, i);
			char *end;
			long j;
			if (!on || strncmp(on, "kafka.eo@", 9) != 0)
				continue;
			j = strtol(on + 9, &end, 10);
			if (*end || j < 0 || j % op->parallelism != op->subtask || !(b = sl_state_op_get(st, on, &n)))
				continue;
			if (j != op->subtask) {
				k->owners = sl_xrealloc(k->owners, sizeof *k->owners * (size_t)(k->nowners + 1));
				k->owners[k->nowners++] = (int)j;
			}
			nblobs++;
			ok = restore_eo_blob(k, (int)j, b, n, &from, &np, errp);
		}
		if (k->nsealed > 1)
			qsort(k->sealed, (size_t)k->nsealed, sizeof *k->sealed, epoch_cmp);
	}
	if (ok && nblobs)
		ok = read_back(op, k, from, (int)np, errp);
	free(from);
	return ok;
}

/* The read-back slot of subtask id `owner`, or -1. */
static int
owner_slot(const ksink *k, int owner)
{
	for (int o = 0; o < k->nowners; o++)
		if (k->owners[o] == owner)
			return o;
	return -1;
}

static bool
kk_open(sl_op *op, sl_error **errp)
{
	ksink *k = op->priv;
	static const char *const dflt[] = {"enable.idempotence", "true", "linger.ms", "5", "log_level", "3",
	                                   "client.id", "sluice", NULL};
	rd_kafka_conf_t *conf;
	char errstr[512];
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_resp_err_t err;

	/* 'none' writes without idempotence (librdkafka's plain producer) */
	if (!(conf = sl_kafka_conf_new(k->t, k->g == G_NONE ? dflt + 2 : dflt, errp)))
		return false;
	if (k->g == G_EO && k->txn_prefix) {
		char id[512];
		snprintf(id, sizeof id, "%s-%d", k->txn_prefix, op->subtask);
		if (rd_kafka_conf_set(conf, "transactional.id", id, errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
			rd_kafka_conf_destroy(conf);
			return kfail(errp, k, "bad transactional id", errstr);
		}
	}
	rd_kafka_conf_set_opaque(conf, k);
	rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
	if (!(k->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr)))
		return kfail(errp, k, "cannot create a producer", errstr);
	k->rkt = rd_kafka_topic_new(k->rk, k->topic, NULL);
	for (int attempt = 0; attempt < 3; attempt++)
		if ((err = rd_kafka_metadata(k->rk, 0, k->rkt, &md, 10000)) == 0)
			break;
	if (err)
		return kfail(errp, k, "cannot read the topic's metadata", rd_kafka_err2str(err));
	k->nparts = md->topic_cnt == 1 && md->topics[0].err == 0 ? md->topics[0].partition_cnt : 0;
	rd_kafka_metadata_destroy(md);
	if (k->nparts <= 0)
		return kfail(errp, k, "the topic does not exist", k->topic);
	if (k->g == G_EO && k->txn_prefix) {
		rd_kafka_error_t *e = rd_kafka_init_transactions(k->rk, 30000);
		if (e) {
			snprintf(errstr, sizeof errstr, "%s", rd_kafka_error_string(e));
			rd_kafka_error_destroy(e);
			return kfail(errp, k, "cannot initialize transactions", errstr);
		}
	}
	k->job = sl_hash64(k->topic, strlen(k->topic), 0x51u + (uint64_t)op->index);
	k->restored_id = op->restored_id;
	if (getenv("SLUICE_KAFKA_CRASH_AFTER") && op->subtask == 0)
		k->crash_after = atol(getenv("SLUICE_KAFKA_CRASH_AFTER"));
	if (k->g == G_EO && op->restored_id && !restore_eo(op, k, errp))
		return false;
	k->recovered = true;
	if (!(k->venc = sl_encoder_new(&k->vspec, errp)))
		return false;
	if (k->has_key && !(k->kenc = sl_encoder_new(&k->kspec, errp)))
		return false;
	return true;
}

/* ------------------------------------------------------------ writing */

static int32_t
pick_partition(ksink *k, sl_op *op, const char *key, size_t klen)
{
	switch (k->part) {
	case P_FIXED:
		return op->subtask % k->nparts;
	case P_RR:
		return (int32_t)(k->rr++ % (uint64_t)k->nparts);
	default:
		if (key)
			return rd_kafka_msg_partitioner_murmur2(k->rkt, key, klen, k->nparts, NULL, NULL);
		return (int32_t)(k->rr++ % (uint64_t)k->nparts);
	}
}

/* Produce one record (copies the bytes); waits while the queue is full. */
static bool
produce(ksink *k, int32_t partition, const void *key, size_t klen, const void *val, size_t vlen,
        int64_t ts_ms, rd_kafka_headers_t *hdrs, sl_error **errp)
{
	for (;;) {
		rd_kafka_resp_err_t e = rd_kafka_producev(
		    k->rk, RD_KAFKA_V_RKT(k->rkt), RD_KAFKA_V_PARTITION(partition),
		    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(key, klen), RD_KAFKA_V_VALUE((void *)val, vlen),
		    RD_KAFKA_V_TIMESTAMP(ts_ms > 0 ? ts_ms : 0), RD_KAFKA_V_HEADERS(hdrs), RD_KAFKA_V_END);
		if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
			rd_kafka_poll(k->rk, 10);
			continue;
		}
		if (e) {
			if (hdrs)
				rd_kafka_headers_destroy(hdrs);
			return kfail(errp, k, "cannot produce", rd_kafka_err2str(e));
		}
		return true;
	}
}

static bool
flush_all(ksink *k, sl_error **errp)
{
	while (rd_kafka_outq_len(k->rk) > 0) {
		rd_kafka_resp_err_t e = rd_kafka_flush(k->rk, 60000);
		if (e == RD_KAFKA_RESP_ERR__TIMED_OUT)
			return kfail(errp, k, "records not acknowledged within 60 s", NULL);
	}
	if (k->delivery_err[0])
		return kfail(errp, k, "a record was not delivered", k->delivery_err);
	return true;
}

/* Headers of row r from a MAP column (NULL when none). */
static rd_kafka_headers_t *
row_headers(const sl_chunk *c, int col, uint32_t r)
{
	const sl_vector *v;
	rd_kafka_headers_t *h;
	if (col < 0 || !sl_vec_valid(c->cols[col], r))
		return NULL;
	v = c->cols[col];
	h = rd_kafka_headers_new((size_t)(v->offsets[r + 1] - v->offsets[r]) + 1);
	for (uint32_t i = v->offsets[r]; i < v->offsets[r + 1]; i++) {
		sl_str name = SL_VEC_DATA(v->children[0], sl_str)[i];
		char nbuf[256];
		snprintf(nbuf, sizeof nbuf, "%.*s", (int)name.len, name.ptr);
		if (sl_vec_valid(v->children[1], i)) {
			sl_str val = SL_VEC_DATA(v->children[1], sl_str)[i];
			rd_kafka_header_add(h, nbuf, -1, val.ptr, (ssize_t)val.len);
		} else {
			rd_kafka_header_add(h, nbuf, -1, NULL, 0);
		}
	}
	return h;
}

/*
 * Buffered record framing (exactly-once): i32 partition, i32 key length
 * (-1: null), key, i32 value length (-1: null), value, i64 timestamp ms,
 * i32 header count, per header i32 name length, name, i32 value length
 * (-1: null), value.
 */
static void
frame_record(sl_strbuf *b, int32_t part, const char *key, int32_t klen, const char *val, int32_t vlen,
             int64_t ts, const sl_chunk *c, int hcol, uint32_t r)
{
	put32(b, part);
	put32(b, klen);
	if (klen > 0)
		sl_strbuf_appendn(b, key, (size_t)klen);
	put32(b, vlen);
	if (vlen > 0)
		sl_strbuf_appendn(b, val, (size_t)vlen);
	put64(b, (uint64_t)ts);
	if (hcol < 0 || !sl_vec_valid(c->cols[hcol], r)) {
		put32(b, 0);
		return;
	}
	const sl_vector *v = c->cols[hcol];
	put32(b, (int32_t)(v->offsets[r + 1] - v->offsets[r]));
	for (uint32_t i = v->offsets[r]; i < v->offsets[r + 1]; i++) {
		sl_str name = SL_VEC_DATA(v->children[0], sl_str)[i];
		put32(b, (int32_t)name.len);
		sl_strbuf_appendn(b, name.ptr, name.len);
		if (sl_vec_valid(v->children[1], i)) {
			sl_str val2 = SL_VEC_DATA(v->children[1], sl_str)[i];
			put32(b, (int32_t)val2.len);
			sl_strbuf_appendn(b, val2.ptr, val2.len);
		} else {
			put32(b, -1);
		}
	}
}

static bool
kk_push(sl_op *op, int port, sl_chunk *in, sl_error **errp)
{
	ksink *k = op->priv;
	uint32_t live = sl_chunk_live(in);
	(void)port;
	for (uint32_t i = 0; i < live; i++) {
		uint32_t r = in->sel ? in->sel[i] : i;
		sl_row_kind kind = (sl_row_kind)in->kinds[r];
		bool tombstone = false;
		const char *key = NULL;
		size_t klen = 0;
		int64_t ts = 0;
		if (k->upsert) {
			if (kind == SL_ROW_UPDATE_BEFORE)
				continue;
			tombstone = kind == SL_ROW_DELETE;
		}
		if (k->has_key) {
			sl_strbuf_reset(&k->kbuf);
			if (!sl_encoder_encode(k->kenc, in, r, &k->kbuf, errp))
				goto fail;
			key = k->kbuf.data ? k->kbuf.data : "";
			klen = k->kbuf.len;
		}
		sl_strbuf_reset(&k->vbuf);
		if (!tombstone && !sl_encoder_encode(k->venc, in, r, &k->vbuf, errp))
			goto fail;
		if (k->ts_col >= 0 && sl_vec_valid(in->cols[k->ts_col], r))
			ts = SL_VEC_DATA(in->cols[k->ts_col], int64_t)[r] / 1000;
		int32_t part = pick_partition(k, op, key, klen);
		const char *val = tombstone ? NULL : k->vbuf.data ? k->vbuf.data : "";
		if (k->g == G_EO) {
			frame_record(&k->cur, part, key, key ? (int32_t)klen : -1, val, val ? (int32_t)k->vbuf.len : -1,
			             ts, in, k->headers_col, r);
			k->cur_n++;
		} else if (!produce(k, part, key, klen, val, val ? k->vbuf.len : 0, ts,
		                    row_headers(in, k->headers_col, r), errp)) {
			goto fail;
		}
	}
	if (k->g != G_EO) {
		rd_kafka_poll(k->rk, 0);
		if (k->delivery_err[0]) {
			kfail(errp, k, "a record was not delivered", k->delivery_err);
			goto fail;
		}
	}
	sl_task_count_sink_rows(op->task, live);
	sl_chunk_unref(in);
	return true;
fail:
	sl_chunk_unref(in);
	return false;
}

/* Write the records of one sealed epoch, skipping those the read-back
 * found already written. */
static bool
write_epoch(sl_op *op, ksink *k, const epoch_buf *e, sl_error **errp)
{
	const unsigned char *p = (const unsigned char *)e->data.data, *end = p + e->data.len;
	uint64_t seq = 0;
	unsigned char hdr[32];
	bool txn = k->txn_prefix != NULL;
	rd_kafka_error_t *te;
	if (txn && (te = rd_kafka_begin_transaction(k->rk))) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s", rd_kafka_error_string(te));
		rd_kafka_error_destroy(te);
		return kfail(errp, k, "cannot begin a transaction", msg);
	}
	while (p && p < end) {
		int32_t part = get32(p), klen = get32(p + 4);
		const unsigned char *key = klen >= 0 ? p + 8 : NULL;
		p += 8 + (klen > 0 ? klen : 0);
		int32_t vlen = get32(p);
		const unsigned char *val = vlen >= 0 ? p + 4 : NULL;
		p += 4 + (vlen > 0 ? vlen : 0);
		int64_t ts = (int64_t)sl_kafka_get64(p);
		int32_t nh = get32(p + 8);
		p += 12;
		rd_kafka_headers_t *h = rd_kafka_headers_new((size_t)nh + 1);
		for (int32_t i = 0; i < nh; i++) {
			int32_t nl = get32(p);
			char name[256];
			snprintf(name, sizeof name, "%.*s", (int)nl, (const char *)p + 4);
			p += 4 + nl;
			int32_t hl = get32(p);
			rd_kafka_header_add(h, name, -1, hl >= 0 ? p + 4 : NULL, hl >= 0 ? hl : 0);
			p += 4 + (hl > 0 ? hl : 0);
		}
		sl_kafka_eo eo = {k->job, e->owner, e->epoch, seq};
		int slot = k->last_epoch && part >= 0 && part < k->nparts ? owner_slot(k, e->owner) : -1;
		size_t li = (size_t)slot * (size_t)k->nparts + (size_t)part;
		bool skip = slot >= 0 && k->last_epoch[li] >= 0 &&
		            ((int64_t)e->epoch < k->last_epoch[li] ||
		             ((int64_t)e->epoch == k->last_epoch[li] && (int64_t)seq <= k->last_seq[li]));
		seq++;
		if (skip) {
			rd_kafka_headers_destroy(h);
			continue;
		}
		sl_kafka_eo_encode(&eo, hdr);
		rd_kafka_header_add(h, SL_KAFKA_EO_HEADER, -1, hdr, sizeof hdr);
		if (!produce(k, part, key, key ? (size_t)klen : 0, val, val ? (size_t)vlen : 0, ts, h, errp))
			return false;
		rd_kafka_poll(k->rk, 0);
		if (k->crash_after > 0 && --k->crash_after == 0) {
			/* test hook: die in the middle of an epoch, its first
			 * records acknowledged */
			rd_kafka_flush(k->rk, 10000);
			fprintf(stderr, "sluice: SLUICE_KAFKA_CRASH_AFTER: exiting in the middle of epoch %llu\n",
			        (unsigned long long)e->epoch);
			_exit(9);
		}
	}
	if (!flush_all(k, errp))
		return false;
	if (txn && (te = rd_kafka_commit_transaction(k->rk, 60000))) {
		char msg[512];
		snprintf(msg, sizeof msg, "%s", rd_kafka_error_string(te));
		rd_kafka_error_destroy(te);
		return kfail(errp, k, "cannot commit a transaction", msg);
	}
	return true;
}

/* Write and drop every sealed epoch <= id. */
static bool
write_sealed(sl_op *op, ksink *k, uint64_t id, sl_error **errp)
{
	int done = 0;
	while (done < k->nsealed && k->sealed[done].epoch <= id) {
		if (!write_epoch(op, k, &k->sealed[done], errp))
			return false;
		sl_strbuf_free(&k->sealed[done].data);
		done++;
	}
	if (done) {
		memmove(k->sealed, k->sealed + done, sizeof *k->sealed * (size_t)(k->nsealed - done));
		k->nsealed -= done;
	}
	return true;
}

/* ------------------------------------------------------------ recovery */

/*
 * Read partitions [0, np) from offsets from[] to their current end and
 * note, per partition, the last (epoch, seq) carrying this sink's job id
 * and subtask. Records of one producer arrive in a partition in the order
 * produced (idempotent producer), so every buffered record at or below it
 * is already in that partition.
 */
static bool
read_back(sl_op *op, ksink *k, const int64_t *from, int np, sl_error **errp)
{
	static const char *const dflt[] = {"enable.auto.commit", "false", "group.id", "sluice-readback",
	                                   "enable.partition.eof", "false", "log_level", "3", NULL};
	rd_kafka_conf_t *conf = sl_kafka_conf_new(k->t, dflt, errp);
	char errstr[512];
	rd_kafka_t *c;
	rd_kafka_topic_partition_list_t *l;
	int64_t *hi;
	int left = 0;
	if (!conf)
		return false;
	rd_kafka_conf_set(conf, "isolation.level", "read_uncommitted", NULL, 0);
	if (!(c = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr)))
		return kfail(errp, k, "cannot create the read-back consumer", errstr);
	k->last_epoch = sl_xmalloc(sizeof *k->last_epoch * ((size_t)k->nowners * (size_t)k->nparts + 1));
	k->last_seq = sl_xmalloc(sizeof *k->last_seq * ((size_t)k->nowners * (size_t)k->nparts + 1));
	for (size_t i = 0; i < (size_t)k->nowners * (size_t)k->nparts; i++)
		k->last_epoch[i] = k->last_seq[i] = -1;
	hi = sl_xcalloc((size_t)k->nparts + 1, sizeof *hi);
	l = rd_kafka_topic_partition_list_new(k->nparts);
	for (int p = 0; p < k->nparts; p++) {
		int64_t lo;
		if (rd_kafka_query_watermark_offsets(c, k->topic, p, &lo, &hi[p], 10000) != 0) {
			rd_kafka_topic_partition_list_destroy(l);
			rd_kafka_destroy(c);
			free(hi);
			return kfail(errp, k, "cannot read the end offsets for the read-back", NULL);
		}
		int64_t start = p < np && from[p] >= lo ? from[p] : lo;
		if (start < hi[p]) {
			rd_kafka_topic_partition_list_add(l, k->topic, p)->offset = start;
			left++;
		}
	}
	rd_kafka_poll_set_consumer(c);
	rd_kafka_assign(c, l);
	while (left > 0) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(c, 1000);
		rd_kafka_headers_t *h;
		const void *val;
		size_t sz;
		sl_kafka_eo eo;
		if (!m)
			continue;
		if (m->err) {
			if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
				rd_kafka_message_destroy(m);
				rd_kafka_topic_partition_list_destroy(l);
				rd_kafka_consumer_close(c);
				rd_kafka_destroy(c);
				free(hi);
				return kfail(errp, k, "read-back failed", rd_kafka_err2str(m->err));
			}
			rd_kafka_message_destroy(m);
			continue;
		}
		int p = m->partition, slot;
		if (p < k->nparts && m->offset < hi[p]) {
			if (rd_kafka_message_headers(m, &h) == 0 &&
			    rd_kafka_header_get_last(h, SL_KAFKA_EO_HEADER, &val, &sz) == 0 &&
			    sl_kafka_eo_decode(val, sz, &eo) && eo.job == k->job &&
			    (slot = owner_slot(k, (int)eo.subtask)) >= 0 &&
			    ((int64_t)eo.epoch > k->last_epoch[(size_t)slot * (size_t)k->nparts + (size_t)p] ||
			     ((int64_t)eo.epoch == k->last_epoch[(size_t)slot * (size_t)k->nparts + (size_t)p] &&
			      (int64_t)eo.seq > k->last_seq[(size_t)slot * (size_t)k->nparts + (size_t)p]))) {
				k->last_epoch[(size_t)slot * (size_t)k->nparts + (size_t)p] = (int64_t)eo.epoch;
				k->last_seq[(size_t)slot * (size_t)k->nparts + (size_t)p] = (int64_t)eo.seq;
			}
			if (m->offset + 1 >= hi[p])
				left--;
		}
		rd_kafka_message_destroy(m);
	}
	rd_kafka_topic_partition_list_destroy(l);
	rd_kafka_consumer_close(c);
	rd_kafka_destroy(c);
	free(hi);
	return true;
}

/* ------------------------------------------------------------ checkpoints */

static bool
kk_snapshot(sl_op *op, uint64_t id, sl_error **errp)
{
	ksink *k = op->priv;
	sl_state *st;
	sl_strbuf b = SL_STRBUF_INIT;
	if (k->g == G_ALO)
		return flush_all(k, errp);
	if (k->g != G_EO)
		return true;
	if (!(st = sl_op_state(op, errp)))
		return false;
	/* Epochs are checkpoint ids and must grow: a second epoch n would
	 * reuse the (epoch, seq) headers of the first, and the replay after
	 * a restore would skip its records as already written. */
	if (id <= k->restored_id || (k->nsealed && id <= k->sealed[k->nsealed - 1].epoch)) {
		*errp = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE,
		                     "kafka sink \"%s\": snapshot for checkpoint %llu after checkpoint %llu", k->t->name,
		                     (unsigned long long)id,
		                     (unsigned long long)(k->nsealed ? k->sealed[k->nsealed - 1].epoch : k->restored_id));
		return false;
	}
	/* seal the open epoch */
	k->sealed = sl_xrealloc(k->sealed, sizeof *k->sealed * (size_t)(k->nsealed + 1));
	k->sealed[k->nsealed] = (epoch_buf){.epoch = id, .owner = op->subtask, .nrec = k->cur_n, .data = k->cur};
	k->nsealed++;
	memset(&k->cur, 0, sizeof k->cur);
	k->cur_n = 0;
	/* job id, partition end offsets now (nothing of a sealed epoch has
	 * been written yet: notify_complete writes synchronously), epochs */
	put64(&b, k->job);
	put32(&b, k->nparts);
	for (int p = 0; p < k->nparts; p++) {
		int64_t lo, hi;
		if (rd_kafka_query_watermark_offsets(k->rk, k->topic, p, &lo, &hi, 10000) != 0) {
			sl_strbuf_free(&b);
			return kfail(errp, k, "cannot read the partitions' end offsets for the checkpoint", NULL);
		}
		put64(&b, (uint64_t)hi);
	}
	put32(&b, k->nsealed);
	for (int i = 0; i < k->nsealed; i++) {
		put64(&b, k->sealed[i].epoch);
		put64(&b, k->sealed[i].nrec);
		put64(&b, k->sealed[i].data.len);
		if (k->sealed[i].data.len)
			sl_strbuf_appendn(&b, k->sealed[i].data.data, k->sealed[i].data.len);
	}
	sl_state_op_put(st, "kafka.eo", b.data ? b.data : "", b.len);
	sl_strbuf_free(&b);
	return true;
}

static bool
kk_notify(sl_op *op, uint64_t id, sl_error **errp)
{
	ksink *k = op->priv;
	if (k->g != G_EO)
		return true;
	return write_sealed(op, k, id, errp);
}

static bool
kk_watermark(sl_op *op, int64_t wm, sl_error **errp)
{
	(void)errp;
	sl_task_note_watermark(op->task, wm);
	return true;
}

static bool
kk_end(sl_op *op, sl_error **errp)
{
	ksink *k = op->priv;
	if (k->g == G_EO && sl_job_checkpoint_interval_ms(op->job) > 0)
		return true;    /* the final checkpoint seals and writes the rest */
	if (k->g == G_EO) {
		/* a bounded job without checkpoints ends: what is buffered is
		 * final (nothing can restart it, so nothing can replay it) */
		uint64_t last = k->nsealed ? k->sealed[k->nsealed - 1].epoch : k->restored_id;
		k->sealed = sl_xrealloc(k->sealed, sizeof *k->sealed * (size_t)(k->nsealed + 1));
		k->sealed[k->nsealed++] = (epoch_buf){.epoch = last + 1, .owner = op->subtask, .nrec = k->cur_n,
		                                      .data = k->cur};
		memset(&k->cur, 0, sizeof k->cur);
		k->cur_n = 0;
		return write_sealed(op, k, UINT64_MAX, errp);
	}
	return flush_all(k, errp);
}

static void
kk_close(sl_op *op)
{
	ksink *k = op->priv;
	if (k->rk) {
		rd_kafka_flush(k->rk, 10000);
		if (k->rkt)
			rd_kafka_topic_destroy(k->rkt);
		rd_kafka_destroy(k->rk);
	}
	if (k->venc)
		sl_encoder_free(k->venc);
	if (k->kenc)
		sl_encoder_free(k->kenc);
	for (int i = 0; i < k->nsealed; i++)
		sl_strbuf_free(&k->sealed[i].data);
	free(k->sealed);
	free(k->last_epoch);
	free(k->last_seq);
	free(k->owners);
	k->owners = NULL;
	k->nowners = 0;
	sl_strbuf_free(&k->cur);
	sl_strbuf_free(&k->kbuf);
	sl_strbuf_free(&k->vbuf);
	k->rk = NULL;
	k->rkt = NULL;
	k->venc = k->kenc = NULL;
	k->sealed = NULL;
	k->nsealed = 0;
	k->last_epoch = k->last_seq = NULL;
}

static const sl_op_ops kk_ops = {
	.name = "KafkaSink", .open = kk_open, .push = kk_push, .watermark = kk_watermark, .end = kk_end,
	.close = kk_close, .snapshot = kk_snapshot, .notify_complete = kk_notify,
};

/* ------------------------------------------------------------ init */

bool
sl_op_init_kafka_sink(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_table *t = op->rel->sink;
	ksink *k = SL_ANEW(a, ksink);
	const char *v, *prefix;
	bool *is_key = SL_ANEWN(a, bool, t->ncols + 1), except_key;
	sl_format_column *vcols = SL_ANEWN(a, sl_format_column, t->ncols + 1);
	sl_format_column *kcols = SL_ANEWN(a, sl_format_column, t->ncols + 1);
	sl_format_target *vt = SL_ANEWN(a, sl_format_target, t->ncols + 1);
	sl_format_target *kt = SL_ANEWN(a, sl_format_target, t->ncols + 1);
	int nv = 0, nk = 0, in = 0;
	sl_format_kind fk;

	k->t = t;
	k->upsert = sl_streq_ci(t->connector, "upsert-kafka");
	k->topic = sl_kafka_table_opt(t, "topic");
	if (!k->topic)
		return sl_fail(errp, SL_ERR_MISSING_OPTION, t->span,
		               "kafka sink \"%s\" needs 'topic' (a sink writes one topic)", t->name);
	v = sl_kafka_table_opt(t, "sink.delivery-guarantee");
	k->g = !v || sl_streq_ci(v, "at-least-once") ? G_ALO : sl_streq_ci(v, "none") ? G_NONE : G_EO;
	v = sl_kafka_table_opt(t, "sink.partitioner");
	k->part = !v || sl_streq_ci(v, "default") ? P_DEFAULT : sl_streq_ci(v, "fixed") ? P_FIXED : P_RR;
	k->txn_prefix = sl_kafka_table_opt(t, "sink.transactional-id-prefix");
	k->headers_col = k->ts_col = -1;
	prefix = sl_kafka_table_opt(t, "key.fields-prefix");
	if (!sl_kafka_key_fields(t, k->upsert, is_key, errp))
		return false;
	v = sl_kafka_table_opt(t, "value.fields-include");
	except_key = v && sl_streq_ci(v, "EXCEPT_KEY");
	for (int c = 0; c < t->ncols; c++) {
		const sl_column *col = &t->cols[c];
		if (col->kind == SL_TCOL_COMPUTED || (col->kind == SL_TCOL_METADATA && col->is_virtual))
			continue;
		if (col->kind == SL_TCOL_METADATA) {
			const char *mk = col->meta_key ? col->meta_key : col->name;
			if (sl_streq_ci(mk, "headers") && col->type->kind == SL_TYPE_MAP)
				k->headers_col = in;
			else if (sl_streq_ci(mk, "timestamp"))
				k->ts_col = in;
			else
				return sl_fail(errp, SL_ERR_CONNECTOR, t->span,
				               "kafka sink \"%s\": metadata column \"%s\" cannot be written (declare it VIRTUAL; "
				               "writable: headers, timestamp)", t->name, col->name);
			in++;
			continue;
		}
		if (is_key[c]) {
			const char *name = col->name;
			if (prefix && strncasecmp(name, prefix, strlen(prefix)) == 0)
				name += strlen(prefix);
			kt[nk] = (sl_format_target){nk, -1, in};
			kcols[nk++] = (sl_format_column){name, col->type};
		}
		if (!is_key[c] || !except_key) {
			vt[nv] = (sl_format_target){nv, -1, in};
			vcols[nv++] = (sl_format_column){col->name, col->type};
		}
		in++;
	}
	v = sl_kafka_table_opt(t, "value.format");
	if (!v)
		v = sl_kafka_table_opt(t, "format");
	if (!v || !sl_format_kind_parse(v, &fk))
		return sl_fail(errp, SL_ERR_INVALID_OPTION, t->span, "kafka sink \"%s\": unknown value format", t->name);
	k->vspec = (sl_format_spec){fk, nv, vcols, nv, vt, t->noptions, t->options,
	                            sl_kafka_table_opt(t, "value.format") ? "value." : ""};
	k->has_key = nk > 0;
	if (k->has_key) {
		v = sl_kafka_table_opt(t, "key.format");
		if (!v || !sl_format_kind_parse(v, &fk))
			return sl_fail(errp, SL_ERR_MISSING_OPTION, t->span,
			               "kafka sink \"%s\": key fields need 'key.format'", t->name);
		k->kspec = (sl_format_spec){fk, nk, kcols, nk, kt, t->noptions, t->options, "key."};
	}
	if (k->txn_prefix && k->g == G_EO) {
		/* a transaction is open only while notify_complete writes one
		 * epoch, but the broker must not abort it before the epoch of the
		 * longest checkpoint interval is written */
		const char *tt = sl_kafka_table_opt(t, "properties.transaction.timeout.ms");
		int64_t timeout = tt ? strtoll(tt, NULL, 10) : 60000, interval = sl_job_checkpoint_interval_ms(op->job);
		if (interval > 0 && timeout < interval) {
			*errp = sl_error_new(SL_ERR_INVALID_OPTION, t->span,
			                     "kafka sink \"%s\": 'properties.transaction.timeout.ms' (%lld) is shorter than the "
			                     "checkpoint interval (%lld ms)", t->name, (long long)timeout, (long long)interval);
			sl_error_set_hint(*errp, "Set 'properties.transaction.timeout.ms' to at least the checkpoint interval "
			                         "(and at most the broker's transaction.max.timeout.ms).");
			return false;
		}
	}
	if (k->txn_prefix && k->g != G_EO)
		return sl_fail(errp, SL_ERR_INVALID_OPTION, t->span,
		               "kafka sink \"%s\": 'sink.transactional-id-prefix' needs 'sink.delivery-guarantee' = "
		               "'exactly-once'", t->name);
	op->ops = &kk_ops;
	op->priv = k;
	return true;
}
