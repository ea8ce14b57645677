/*
 * kafka_source.c
 *	  The 'kafka' and 'upsert-kafka' sources: records of the table's topics
 *	  (or of the topics matching 'topic-pattern') decoded into chunks.
 *
 *	  Partitions: at open every subtask reads the cluster's metadata, sorts
 *	  the partitions by (topic, partition) and takes those whose index k
 *	  has k mod P == subtask, so the assignment depends only on the topics
 *	  and the parallelism (no consumer-group rebalancing: the consumer is
 *	  assigned its partitions directly). New partitions are not discovered
 *	  while the job runs.
 *
 *	  Position: per partition the next offset to read. A checkpoint stores
 *	  it (blob "kafka.offsets", see snapshot_offsets); a restored source
 *	  resumes there, so each record is read exactly once into the job's
 *	  state. 'scan.startup.mode' decides the start of partitions the
 *	  checkpoint does not know (all of them on a fresh start). On
 *	  notify_complete the checkpointed offsets are committed to
 *	  'properties.group.id' (when set) for monitoring only.
 *
 *	  Watermarks (runtime/watermark.h): when the table's WatermarkAssigner
 *	  follows the scan (directly or after a computed-column Calc) it is
 *	  pushed down at open: the source keeps one watermark per partition
 *	  (the expression's largest value over the partition's rows), emits
 *	  after each chunk the minimum over the partitions neither idle
 *	  ('scan.watermark.idle-timeout', default 'table.exec.source.
 *	  idle-timeout') nor finished, and checkpoints them (blob "kafka.wm");
 *	  a restored source re-sends the minimum before its first row.
 *	  Without push-down a subtask with no records for the idle timeout
 *	  sends SL_WM_IDLE and the assigner takes the max over the rows.
 *	  Restoring at another parallelism, each subtask takes its partitions'
 *	  entries from every old subtask's blobs ("NAME@K").
 *
 *	  Bounded mode ('scan.bounded.mode'): each partition's end offset is
 *	  fixed at open; the source ends (watermark +inf, end-of-input) once
 *	  every partition reached it.
 *
 *	  Columns: each output column is a value-format column, a key-format
 *	  column ('key.fields', upsert-kafka: the primary key) or a METADATA
 *	  column: topic STRING, partition INT, offset BIGINT, timestamp
 *	  TIMESTAMP_LTZ(3), timestamp-type STRING, headers MAP<STRING, BYTES>,
 *	  leader-epoch INT, and (sluice) key BYTES/STRING: the raw key.
 *	  The value is decoded straight into the output chunk (runtime/format);
 *	  the key into a one-row scratch chunk whose columns are then copied
 *	  to the rows the value produced.
 *
 *	  upsert-kafka: a record with a null value (tombstone) is a -D row of
 *	  its key (the value columns NULL); any other record is +U. The
 *	  planner's ChangelogNormalize after the source turns that into a
 *	  proper changelog.
 *
 *	  Bad records ('format.on-error'): fail stops the job with the
 *	  position and reason; skip counts and drops; dlq counts and writes the
 *	  raw key and value, topic/partition/offset and reason to 'dlq.topic'
 *	  (headers sluice.dlq.*) or to a JSON-lines file under 'dlq.path'.
 *	  Dead letters are flushed at every checkpoint (at-least-once).
 *
 *	  @thread every callback runs on the subtask's worker; librdkafka's own
 *	  threads only fill the consumer queue.
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_kafka_source
 */
#include "runtime/op.h"
#include "runtime/connectors/kafka_common.h"
#include "runtime/format/format.h"
#include "runtime/watermark.h"
#include "state/state.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

void sl_task_note_watermark(sl_task *task, int64_t wm);

enum colkind {
	C_VALUE,                    /* from the value format */
	C_KEY,                      /* from the key format */
	C_META_TOPIC, C_META_PARTITION, C_META_OFFSET, C_META_TIMESTAMP, C_META_TIMESTAMP_TYPE,
	C_META_HEADERS, C_META_LEADER_EPOCH, C_META_KEY
};

typedef enum startmode { S_EARLIEST, S_LATEST, S_GROUP, S_TIMESTAMP, S_SPECIFIC } startmode;
typedef enum endmode { E_UNBOUNDED, E_LATEST, E_GROUP, E_TIMESTAMP, E_SPECIFIC } endmode;
typedef enum onerror { OE_FAIL, OE_SKIP, OE_DLQ } onerror;

typedef struct kpart {
	char *topic;                /* borrowed from tps */
	int32_t partition;
	int64_t next;               /* next offset to read; <0: librdkafka logical offset */
	int64_t end;                /* bounded: stop before this offset; INT64_MAX: unbounded */
	bool done;                  /* bounded and reached end */
	bool ts_filter;             /* startup by timestamp without a broker
	                             * answer: skip records before it */
} kpart;

typedef struct ksrc {
	const sl_table *t;
	bool upsert;
	int ncols;
	enum colkind *kind;         /* per output column */
	const sl_type *const *types;
	/* value / key formats */
	sl_format_spec vspec, kspec;
	sl_format_column *vcols, *kcols;
	sl_format_target *vtargets, *ktargets;
	sl_decoder *vdec, *kdec;
	bool has_key;
	sl_chunk_pool *kpool;       /* scratch for the key (output types) */
	/* options */
	const char *topics, *pattern;
	startmode start;
	int64_t start_ts;
	const char *start_specific;
	endmode endm;
	int64_t end_ts;
	const char *end_specific;
	onerror on_error;
	const char *dlq_topic, *dlq_path;
	bool commit_offsets;        /* group.id given */
	int64_t idle_timeout_us;    /* 'scan.watermark.idle-timeout'; 0 = never */
	/* runtime */
	rd_kafka_t *rk;
	sl_kafka_tps tps;           /* every partition of the topics */
	int nparts;
	kpart *parts;               /* this subtask's */
	kpart *last;                /* the partition of the previous record */
	rd_kafka_queue_t *q;        /* the consumer queue (batch consume) */
	int ndone;
	rd_kafka_message_t **batch;
	sl_chunk_pool *pool;
	bool ended;
	bool idle;                  /* SL_WM_IDLE sent, no records since */
	int64_t last_rows_us;       /* monotonic time of the last records */
	/* per-partition watermarks (runtime/watermark.h): set when the
	 * table's WatermarkAssigner was pushed down into this source */
	sl_rexpr_prog *wmprog;      /* the watermark expression, or NULL */
	sl_split_wm swm;            /* one split per entry of parts[] */
	uint32_t *rowsplit;         /* per row of the chunk being filled: its
	                             * partition's index in parts[] */
	bool wm_resend;             /* restored: send swm.sent before any row */
	/* checkpoint: offsets as of snapshot id, committed on notify */
	uint64_t snap_id;
	int64_t *snap_next;
	/* bad records */
	uint64_t nskipped, ndead;
	rd_kafka_t *dlq_rk;
	FILE *dlq_file;
	char dlq_name[4096];        /* the dead-letter file's path */
	bool reported;              /* counts printed */
	sl_strbuf scratch;
} ksrc;

/* ------------------------------------------------------------ options */

static kpart *
find_part(ksrc *s, const char *topic, int32_t partition)
{
	for (int i = 0; i < s->nparts; i++)
		if (s->parts[i].partition == partition && strcmp(s->parts[i].topic, topic) == 0)
			return &s->parts[i];
	return NULL;
}

/* Flink's "partition:0,offset:42;partition:1,offset:300": the offset for
 * partition p, or -1 when p is not listed. */
static int64_t
specific_offset(const char *spec, int32_t p)
{
	const char *q = spec;
	while (q && *q) {
		long part;
		long long off;
		if (sscanf(q, " partition:%ld,offset:%lld", &part, &off) == 2 && part == p)
			return off;
		q = strchr(q, ';');
		if (q)
			q++;
	}
	return -1;
}

static bool
kfail(sl_error **errp, const char *table, const char *fmt, const char *detail)
{
	*errp = sl_error_new(SL_ERR_CONNECTOR, SL_SPAN_NONE, "kafka table \"%s\": %s", table, fmt);
	if (detail)
		sl_error_set_detail(*errp, "%s", detail);
	return false;
}

static int64_t
mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ------------------------------------------------------------ open */

/* Resolve logical start offsets (timestamp, group) to concrete ones where
 * librdkafka cannot do it at assign time; fix bounded end offsets. */
static bool
resolve_offsets(sl_op *op, ksrc *s, sl_error **errp)
{
	rd_kafka_resp_err_t err;
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(s->nparts);
	bool ok = true;
	for (int i = 0; i < s->nparts; i++)
		rd_kafka_topic_partition_list_add(l, s->parts[i].topic, s->parts[i].partition);
	/* 1. start by timestamp: the first offset at or after it (none: the end) */
	if (!op->restored_id && s->start == S_TIMESTAMP) {
		for (int i = 0; i < l->cnt; i++)
			l->elems[i].offset = s->start_ts;
		if ((err = rd_kafka_offsets_for_times(s->rk, l, 10000))) {
			ok = kfail(errp, s->t->name, "cannot look up offsets by timestamp", rd_kafka_err2str(err));
			goto done;
		}
		for (int i = 0; i < l->cnt; i++) {
			kpart *p = find_part(s, l->elems[i].topic, l->elems[i].partition);
			if (!p || p->next != RD_KAFKA_OFFSET_INVALID)
				continue;
			if (l->elems[i].offset >= 0) {
				p->next = l->elems[i].offset;
			} else {
				/* no offset: either nothing at or after the time, or
				 * a broker (the mock cluster) that does not look up
				 * times; reading from the start and dropping earlier
				 * records is right in both cases */
				p->next = RD_KAFKA_OFFSET_BEGINNING;
				p->ts_filter = true;
			}
		}
	}
	/* 2. bounded: concrete start offsets, so that an empty range is known
	 * to be done without waiting for a record; end offsets */
	for (int i = 0; i < s->nparts; i++) {
		kpart *p = &s->parts[i];
		int64_t lo, hi;
		p->end = INT64_MAX;
		if (s->endm == E_UNBOUNDED)
			continue;
		if ((err = rd_kafka_query_watermark_offsets(s->rk, p->topic, p->partition, &lo, &hi, 10000))) {
			ok = kfail(errp, s->t->name, "cannot read the end offsets of the topic", rd_kafka_err2str(err));
			goto done;
		}
		if (p->next == RD_KAFKA_OFFSET_BEGINNING || (p->next >= 0 && p->next < lo))
			p->next = lo;
		else if (p->next == RD_KAFKA_OFFSET_END)
			p->next = hi;
		p->end = hi;
		if (s->endm == E_SPECIFIC) {
			int64_t o = specific_offset(s->end_specific, p->partition);
			p->end = o >= 0 ? o : INT64_MAX;
		}
	}
	/* 3. end by timestamp / committed offsets */
	if (s->endm == E_TIMESTAMP) {
		for (int i = 0; i < l->cnt; i++)
			l->elems[i].offset = s->end_ts;
		if ((err = rd_kafka_offsets_for_times(s->rk, l, 10000))) {
			ok = kfail(errp, s->t->name, "cannot look up offsets by timestamp", rd_kafka_err2str(err));
			goto done;
		}
		for (int i = 0; i < l->cnt; i++) {
			kpart *p = find_part(s, l->elems[i].topic, l->elems[i].partition);
			if (p && l->elems[i].offset >= 0)
				p->end = l->elems[i].offset;
		}
	} else if (s->endm == E_GROUP) {
		if (rd_kafka_committed(s->rk, l, 10000) == 0)
			for (int i = 0; i < l->cnt; i++) {
				kpart *p = find_part(s, l->elems[i].topic, l->elems[i].partition);
				if (p && l->elems[i].offset >= 0)
					p->end = l->elems[i].offset;
			}
	}
done:
	rd_kafka_topic_partition_list_destroy(l);
	return ok;
}

/* The blobs "kafka.offsets" and "kafka.wm" (see ks_snapshot) share one
 * layout: u32 count, then per partition u16 topic length, topic bytes,
 * i32 partition, i64 value (big-endian): the next offset, or the
 * partition's watermark. parse_part_blob calls set(s, p, value) for each
 * entry naming one of this subtask's partitions; a truncated blob ends
 * the walk (what came before it is kept). */
static void
parse_part_blob(ksrc *s, const unsigned char *b, size_t n, void (*set)(ksrc *, kpart *, int64_t))
{
	size_t pos = 4;
	uint32_t cnt;
	if (n < 4)
		return;
	cnt = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	for (uint32_t i = 0; i < cnt && pos + 2 <= n; i++) {
		size_t tl = (size_t)b[pos] << 8 | b[pos + 1];
		char topic[1024];
		kpart *p;
		if (pos + 2 + tl + 12 > n || tl >= sizeof topic)
			return;
		memcpy(topic, b + pos + 2, tl);
		topic[tl] = '\0';
		pos += 2 + tl;
		int32_t part = (int32_t)(sl_kafka_get64(b + pos) >> 32);
		int64_t v = (int64_t)sl_kafka_get64(b + pos + 4);
		pos += 12;
		if ((p = find_part(s, topic, part)))
			set(s, p, v);
	}
}

static void
set_next_offset(ksrc *s, kpart *p, int64_t next)
{
	(void)s;
	p->next = next;
}

static void
set_part_wm(ksrc *s, kpart *p, int64_t max)
{
	s->swm.s[p - s->parts].max = max;
}

static void
restore_offsets(ksrc *s, const unsigned char *b, size_t n)
{
	parse_part_blob(s, b, n, set_next_offset);
}

static void
restore_wm(ksrc *s, const unsigned char *b, size_t n)
{
	parse_part_blob(s, b, n, set_part_wm);
}

/* Writes the blob parse_part_blob reads: every partition of this subtask
 * with get(s, i) as its value. */
static void
put_part_blob(ksrc *s, sl_strbuf *b, int64_t (*get)(const ksrc *, int))
{
	unsigned char tmp[8];
	tmp[0] = (unsigned char)(s->nparts >> 24);
	tmp[1] = (unsigned char)(s->nparts >> 16);
	tmp[2] = (unsigned char)(s->nparts >> 8);
	tmp[3] = (unsigned char)s->nparts;
	sl_strbuf_appendn(b, (const char *)tmp, 4);
	for (int i = 0; i < s->nparts; i++) {
		size_t tl = strlen(s->parts[i].topic);
		tmp[0] = (unsigned char)(tl >> 8);
		tmp[1] = (unsigned char)tl;
		sl_strbuf_appendn(b, (const char *)tmp, 2);
		sl_strbuf_appendn(b, s->parts[i].topic, tl);
		sl_kafka_put64(tmp, (uint64_t)(uint32_t)s->parts[i].partition << 32);
		sl_strbuf_appendn(b, (const char *)tmp, 4);
		sl_kafka_put64(tmp, (uint64_t)get(s, i));
		sl_strbuf_appendn(b, (const char *)tmp, 8);
	}
}

static int64_t
get_next_offset(const ksrc *s, int i)
{
	return s->parts[i].next;
}

static int64_t
get_part_wm(const ksrc *s, int i)
{
	return s->swm.s[i].max;
}

/* Restore operator blob `name` with fn: this subtask's own, or after a
 * rescale every old subtask's ("NAME@OLDTASK", state/state.h) -- fn
 * takes the entries of the partitions this subtask now reads. */
static void
restore_blobs(sl_state *st, const char *name, ksrc *s, void (*fn)(ksrc *, const unsigned char *, size_t))
{
	const void *b;
	size_t n, nl = strlen(name);
	if ((b = sl_state_op_get(st, name, &n))) {
		fn(s, b, n);
		return;
	}
	for (size_t i = 0; i < sl_state_op_count(st); i++) {
		const char *on = sl_state_op_name(st, i);
		if (on && strncmp(on, name, nl) == 0 && on[nl] == '@' && (b = sl_state_op_get(st, on, &n)))
			fn(s, b, n);
	}
}

static bool
ks_open(sl_op *op, sl_error **errp)
{
	ksrc *s = op->priv;
	/* Fetch responses of 256 KB (64 KB per partition) instead of
	 * librdkafka's 50 MB: the response buffer, the broker thread's parse of
	 * it and the worker's decode then stay in the CPU caches, and the
	 * buffer is reused instead of faulted in fresh (0.30 -> 0.19 CPU-s for
	 * 368k records, docs/benchmarks.md). librdkafka wants fetch.max.bytes
	 * >= message.max.bytes, so that one comes down too unless the table
	 * sets either. */
	static const char *const dflt[] = {"enable.auto.commit", "false", "enable.auto.offset.store", "false",
	                                   "enable.partition.eof", "false", "log_level", "3",
	                                   "client.id", "sluice", "max.partition.fetch.bytes", "65536",
	                                   "fetch.max.bytes", "262144", "message.max.bytes", "262144",
	                                   NULL};
	rd_kafka_conf_t *conf;
	char errstr[512];
	rd_kafka_topic_partition_list_t *assign;
	bool own_sizes = sl_kafka_table_opt(s->t, "properties.fetch.max.bytes") ||
	                 sl_kafka_table_opt(s->t, "properties.message.max.bytes");

	/* the last two defaults only when the table sets neither size */
	{
		const char *d[sizeof dflt / sizeof dflt[0]];
		size_t nd = sizeof dflt / sizeof dflt[0];
		memcpy(d, dflt, sizeof dflt);
		if (own_sizes)
			d[nd - 5] = NULL;
		if (!(conf = sl_kafka_conf_new(s->t, d, errp)))
			return false;
	}
	if (s->start == S_GROUP && !sl_kafka_table_opt(s->t, "properties.auto.offset.reset"))
		rd_kafka_conf_set(conf, "auto.offset.reset", "error", NULL, 0);
	if (!sl_kafka_table_opt(s->t, "properties.group.id")) {
		/* librdkafka wants one; nothing is committed to it */
		char gid[128];
		snprintf(gid, sizeof gid, "sluice-%d-%d", op->index, op->subtask);
		rd_kafka_conf_set(conf, "group.id", gid, NULL, 0);
	}
	if (!(s->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr)))
		return kfail(errp, s->t->name, "cannot create a consumer", errstr);
	if (!sl_kafka_partitions(s->rk, s->topics, s->pattern, 10000, &s->tps, errp))
		return false;
	s->parts = sl_xcalloc(s->tps.n + 1, sizeof *s->parts);
	for (size_t k = 0; k < s->tps.n; k++) {
		if ((int)(k % (size_t)op->parallelism) != op->subtask)
			continue;
		kpart *p = &s->parts[s->nparts++];
		p->topic = s->tps.v[k].topic;
		p->partition = s->tps.v[k].partition;
		p->next = RD_KAFKA_OFFSET_INVALID;
	}
	if (op->restored_id) {
		sl_state *st = sl_op_state(op, errp);
		if (!st)
			return false;
		restore_blobs(st, "kafka.offsets", s, restore_offsets);
	}
	for (int i = 0; i < s->nparts; i++) {
		kpart *p = &s->parts[i];
		if (p->next != RD_KAFKA_OFFSET_INVALID)
			continue;       /* restored */
		switch (s->start) {
		case S_EARLIEST: p->next = RD_KAFKA_OFFSET_BEGINNING; break;
		case S_LATEST: p->next = RD_KAFKA_OFFSET_END; break;
		case S_GROUP: p->next = RD_KAFKA_OFFSET_STORED; break;
		case S_TIMESTAMP: break;   /* resolve_offsets */
		case S_SPECIFIC: {
			int64_t o = specific_offset(s->start_specific, p->partition);
			p->next = o >= 0 ? o : s->commit_offsets ? RD_KAFKA_OFFSET_STORED : RD_KAFKA_OFFSET_BEGINNING;
			break;
		}
		}
	}
	if (!resolve_offsets(op, s, errp))
		return false;
	assign = rd_kafka_topic_partition_list_new(s->nparts);
	for (int i = 0; i < s->nparts; i++) {
		kpart *p = &s->parts[i];
		if (p->next >= 0 && p->next >= p->end) {
			p->done = true;
			s->ndone++;
			continue;
		}
		rd_kafka_topic_partition_list_add(assign, p->topic, p->partition)->offset = p->next;
	}
	rd_kafka_poll_set_consumer(s->rk);
	s->q = rd_kafka_queue_get_consumer(s->rk);
	if (rd_kafka_assign(s->rk, assign) != 0) {
		rd_kafka_topic_partition_list_destroy(assign);
		return kfail(errp, s->t->name, "cannot assign partitions", NULL);
	}
	rd_kafka_topic_partition_list_destroy(assign);
	s->snap_next = sl_xcalloc((size_t)s->nparts + 1, sizeof *s->snap_next);
	if (s->on_error == OE_DLQ && s->dlq_topic) {
		static const char *const pdflt[] = {"enable.idempotence", "true", "linger.ms", "5",
		                                    "log_level", "3", NULL};
		if (!(conf = sl_kafka_conf_new(s->t, pdflt, errp)))
			return false;
		if (!(s->dlq_rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr)))
			return kfail(errp, s->t->name, "cannot create the dead-letter producer", errstr);
	} else if (s->on_error == OE_DLQ) {
		mkdir(s->dlq_path, 0777);
		snprintf(s->dlq_name, sizeof s->dlq_name, "%s/%s-%d.jsonl", s->dlq_path, s->t->name, op->subtask);
		if (!(s->dlq_file = fopen(s->dlq_name, "a")))
			return kfail(errp, s->t->name, "cannot open the dead-letter file", strerror(errno));
	}
	s->batch = sl_xmalloc(sizeof *s->batch * SL_CHUNK_CAPACITY);
	/* the table's WATERMARK, per partition (Flink's per-partition
	 * watermarks) when the assigner right after the scan hands it over */
	if (!sl_op_watermark_pushdown(op, &s->wmprog, errp))
		return false;
	if (s->wmprog) {
		sl_split_wm_init(&s->swm, s->nparts, s->idle_timeout_us, mono_us());
		for (int i = 0; i < s->nparts; i++)
			if (s->parts[i].done)
				sl_split_wm_done(&s->swm, i);
		s->rowsplit = sl_xmalloc(sizeof *s->rowsplit * SL_CHUNK_CAPACITY);
		if (op->restored_id) {
			/* event time resumes where the checkpoint left it, not
			 * from the replayed rows: a row that was late before the
			 * crash is late after it (else its window fires twice) */
			sl_state *st = sl_op_state(op, errp);
			int64_t m = INT64_MAX;
			if (!st)
				return false;
			restore_blobs(st, "kafka.wm", s, restore_wm);
			/* what downstream had seen: the minimum over the partitions
			 * still to read (one without a restored watermark holds it
			 * back). Below the combined value sent before the barrier
			 * only if a partition was idle then: never too high, also
			 * after a rescale. */
			for (int i = 0; i < s->nparts; i++)
				if (!s->parts[i].done && s->swm.s[i].max < m)
					m = s->swm.s[i].max;
			if (m != INT64_MAX && m != INT64_MIN) {
				s->swm.sent = m;
				s->wm_resend = true;
			}
		}
	}
	s->pool = sl_chunk_pool_new(s->types, s->ncols, 0);
	if (s->has_key)
		s->kpool = sl_chunk_pool_new(s->types, s->ncols, SL_DECODE_MAX_ROWS);
	if (!(s->vdec = sl_decoder_new(&s->vspec, errp)))
		return false;
	if (s->has_key && !(s->kdec = sl_decoder_new(&s->kspec, errp)))
		return false;
	return true;
}

/* ------------------------------------------------------------ bad records */

static bool
utf8_ok(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		if (!k || i + k > n)
			return false;
		for (size_t j = 1; j < k; j++)
			if ((p[i + j] & 0xc0) != 0x80)
				return false;
		i += k;
	}
	return true;
}

static void
json_str(sl_strbuf *b, const char *p, size_t n)
{
	sl_strbuf_appendc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '"' || c == '\\') {
			sl_strbuf_appendc(b, '\\');
			sl_strbuf_appendc(b, (char)c);
		} else if (c < 0x20) {
			sl_strbuf_appendf(b, "\\u%04x", c);
		} else {
			sl_strbuf_appendc(b, (char)c);
		}
	}
	sl_strbuf_appendc(b, '"');
}

static void
json_bytes(sl_strbuf *b, const char *name, const void *p, size_t n)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *u = p;
	if (!p) {
		sl_strbuf_appendf(b, ",\"%s\":null", name);
		return;
	}
	if (utf8_ok(u, n)) {
		sl_strbuf_appendf(b, ",\"%s\":", name);
		json_str(b, p, n);
		return;
	}
	sl_strbuf_appendf(b, ",\"%s_base64\":\"", name);
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)u[i] << 16 | (i + 1 < n ? (uint32_t)u[i + 1] << 8 : 0) | (i + 2 < n ? u[i + 2] : 0);
		sl_strbuf_appendc(b, b64[v >> 18 & 63]);
		sl_strbuf_appendc(b, b64[v >> 12 & 63]);
		sl_strbuf_appendc(b, i + 1 < n ? b64[v >> 6 & 63] : '=');
		sl_strbuf_appendc(b, i + 2 < n ? b64[v & 63] : '=');
	}
	sl_strbuf_appendc(b, '"');
}

/* One bad record: fail, skip or dead-letter it. */
static bool
bad_record(sl_op *op, ksrc *s, const rd_kafka_message_t *m, const char *what, const char *reason,
           sl_error **errp)
{
	const char *topic = rd_kafka_topic_name(m->rkt);
	char why[1024];
	snprintf(why, sizeof why, "%s: %s", what, reason);
	if (s->on_error == OE_FAIL) {
		*errp = sl_error_new(SL_ERR_BAD_RECORD, SL_SPAN_NONE,
		                     "kafka table \"%s\": cannot decode the record at %s[%d] offset %lld", s->t->name,
		                     topic, (int)m->partition, (long long)m->offset);
		sl_error_set_detail(*errp, "%s.", why);
		sl_error_set_hint(*errp, "Set 'format.on-error' = 'skip' or 'dlq' to keep the job running.");
		return false;
	}
	if (s->on_error == OE_SKIP) {
		s->nskipped++;
		return true;
	}
	s->ndead++;
	if (s->dlq_topic) {
		char part[16], off[24];
		rd_kafka_headers_t *h = rd_kafka_headers_new(4);
		snprintf(part, sizeof part, "%d", (int)m->partition);
		snprintf(off, sizeof off, "%lld", (long long)m->offset);
		rd_kafka_header_add(h, "sluice.dlq.topic", -1, topic, -1);
		rd_kafka_header_add(h, "sluice.dlq.partition", -1, part, -1);
		rd_kafka_header_add(h, "sluice.dlq.offset", -1, off, -1);
		rd_kafka_header_add(h, "sluice.dlq.reason", -1, why, -1);
		for (;;) {
			rd_kafka_resp_err_t e = rd_kafka_producev(
			    s->dlq_rk, RD_KAFKA_V_TOPIC(s->dlq_topic), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
			    RD_KAFKA_V_VALUE(m->payload, m->len), RD_KAFKA_V_KEY(m->key, m->key_len),
			    RD_KAFKA_V_HEADERS(h), RD_KAFKA_V_END);
			if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
				rd_kafka_poll(s->dlq_rk, 10);
				continue;
			}
			if (e) {
				rd_kafka_headers_destroy(h);
				return kfail(errp, s->t->name, "cannot write to the dead-letter topic", rd_kafka_err2str(e));
			}
			break;
		}
		rd_kafka_poll(s->dlq_rk, 0);
		return true;
	}
	sl_strbuf_reset(&s->scratch);
	sl_strbuf_append(&s->scratch, "{\"topic\":");
	json_str(&s->scratch, topic, strlen(topic));
	sl_strbuf_appendf(&s->scratch, ",\"partition\":%d,\"offset\":%lld,\"timestamp\":%lld", (int)m->partition,
	                  (long long)m->offset, (long long)rd_kafka_message_timestamp(m, NULL));
	sl_strbuf_append(&s->scratch, ",\"reason\":");
	json_str(&s->scratch, why, strlen(why));
	json_bytes(&s->scratch, "key", m->key, m->key_len);
	json_bytes(&s->scratch, "value", m->payload, m->len);
	sl_strbuf_append(&s->scratch, "}\n");
	if (fwrite(s->scratch.data, 1, s->scratch.len, s->dlq_file) != s->scratch.len)
		return kfail(errp, s->t->name, "cannot write the dead-letter file", strerror(errno));
	(void)op;
	return true;
}

/* ------------------------------------------------------------ poll */

static void
fill_headers(sl_vector *v, uint32_t r, const rd_kafka_message_t *m, sl_strheap *heap)
{
	rd_kafka_headers_t *h = NULL;
	const char *name;
	const void *val;
	size_t sz;
	uint32_t start = v->child_used, n = 0;
	if (rd_kafka_message_headers(m, &h) == 0 && h) {
		size_t cnt = rd_kafka_header_cnt(h);
		sl_vector_reserve_children(v, start + (uint32_t)cnt);
		for (size_t i = 0; rd_kafka_header_get_all(h, i, &name, &val, &sz) == 0; i++) {
			SL_VEC_DATA(v->children[0], sl_str)[start + n] = sl_strheap_copy(heap, name, strlen(name));
			if (val)
				SL_VEC_DATA(v->children[1], sl_str)[start + n] = sl_strheap_copy(heap, val, sz);
			else
				sl_vec_set_null(v->children[1], start + n);
			n++;
		}
	}
	v->offsets[r] = start;
	v->offsets[r + 1] = start + n;
	v->child_used = start + n;
}

/* Fill key and metadata columns of rows [r0, r1) of c from m. */
static void
fill_meta(ksrc *s, sl_chunk *c, uint32_t r0, uint32_t r1, const rd_kafka_message_t *m, sl_chunk *key)
{
	for (int i = 0; i < s->ncols; i++) {
		sl_vector *v = c->cols[i];
		for (uint32_t r = r0; r < r1; r++) {
			switch (s->kind[i]) {
			case C_VALUE:
				break;
			case C_KEY:
				if (key)
					sl_vector_copy_row(v, r, key->cols[i], 0, &c->heap);
				else
					sl_vec_set_null(v, r);
				break;
			case C_META_TOPIC: {
				const char *t = rd_kafka_topic_name(m->rkt);
				SL_VEC_DATA(v, sl_str)[r] = sl_strheap_copy(&c->heap, t, strlen(t));
				break;
			}
			case C_META_PARTITION: SL_VEC_DATA(v, int32_t)[r] = m->partition; break;
			case C_META_OFFSET: SL_VEC_DATA(v, int64_t)[r] = m->offset; break;
			case C_META_TIMESTAMP: {
				rd_kafka_timestamp_type_t tt;
				int64_t ts = rd_kafka_message_timestamp(m, &tt);
				if (ts < 0)
					sl_vec_set_null(v, r);
				else
					SL_VEC_DATA(v, int64_t)[r] = ts * 1000;
				break;
			}
			case C_META_TIMESTAMP_TYPE: {
				rd_kafka_timestamp_type_t tt;
				rd_kafka_message_timestamp(m, &tt);
				SL_VEC_DATA(v, sl_str)[r] = tt == RD_KAFKA_TIMESTAMP_CREATE_TIME ? SL_STR_LIT("CreateTime")
				                            : tt == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME
				                                ? SL_STR_LIT("LogAppendTime") : SL_STR_LIT("NoTimestampType");
				break;
			}
			case C_META_HEADERS: fill_headers(v, r, m, &c->heap); break;
			case C_META_LEADER_EPOCH: sl_vec_set_null(v, r); break;
			case C_META_KEY:
				if (m->key)
					SL_VEC_DATA(v, sl_str)[r] = sl_strheap_copy(&c->heap, m->key, m->key_len);
				else
					sl_vec_set_null(v, r);
				break;
			}
		}
	}
}

/* Decode one message into c (room for SL_DECODE_MAX_ROWS rows). */
static bool
decode_one(sl_op *op, ksrc *s, sl_chunk *c, const rd_kafka_message_t *m, sl_error **errp)
{
	uint32_t r0 = c->count;
	sl_chunk *key = NULL;
	int n;
	if (s->has_key) {
		key = sl_chunk_pool_get(s->kpool);
		if (!m->key || sl_decoder_decode(s->kdec, m->key, m->key_len, key) != 1) {
			bool ok = bad_record(op, s, m, "key", m->key ? sl_decoder_error(s->kdec) : "the record has no key",
			                     errp);
			sl_chunk_unref(key);
			return ok;
		}
	}
	if (s->upsert && m->payload == NULL) {
		/* tombstone: a delete of the key */
		uint32_t r = sl_chunk_append_row(c);
		c->kinds[r] = SL_ROW_DELETE;
		for (int i = 0; i < s->ncols; i++)
			if (s->kind[i] == C_VALUE)
				sl_vec_set_null(c->cols[i], r);
		n = 1;
	} else {
		n = sl_decoder_decode(s->vdec, m->payload ? m->payload : "", m->payload ? m->len : 0, c);
		if (n < 0) {
			bool ok = bad_record(op, s, m, "value", sl_decoder_error(s->vdec), errp);
			if (key)
				sl_chunk_unref(key);
			return ok;
		}
		if (s->upsert)
			for (uint32_t r = r0; r < c->count; r++)
				c->kinds[r] = SL_ROW_UPDATE_AFTER;
	}
	if (n > 0)
		fill_meta(s, c, r0, c->count, m, key);
	if (key)
		sl_chunk_unref(key);
	return true;
}

/* "sluice: note: ..." lines with the bad-record counts (once). */
static void
report_counts(sl_op *op, ksrc *s)
{
	if (s->reported)
		return;
	s->reported = true;
	if (s->nskipped)
		fprintf(stderr, "sluice: note: kafka table \"%s\" (subtask %d) skipped %llu bad record%s\n", s->t->name,
		        op->subtask + 1, (unsigned long long)s->nskipped, s->nskipped == 1 ? "" : "s");
	if (s->ndead)
		fprintf(stderr, "sluice: note: kafka table \"%s\" (subtask %d) wrote %llu bad record%s to %s\n",
		        s->t->name, op->subtask + 1, (unsigned long long)s->ndead, s->ndead == 1 ? "" : "s",
		        s->dlq_topic ? s->dlq_topic : s->dlq_name);
}

static bool
finish(sl_op *op, ksrc *s, sl_error **errp)
{
	s->ended = true;
	if (s->dlq_rk && rd_kafka_flush(s->dlq_rk, 30000) != 0)
		return kfail(errp, s->t->name, "dead letters not delivered within 30 s", NULL);
	if (s->dlq_file)
		fflush(s->dlq_file);
	report_counts(op, s);
	return sl_op_emit_watermark(op, INT64_MAX, errp) && sl_op_emit_end(op, errp);
}

/* Up to a chunk's worth of queued messages into s->batch (one queue lock
 * for the lot, not one per message); waits up to timeout_ms for the
 * first one. Errors (and rebalance or log events) come as messages with
 * m->err set, as from rd_kafka_consumer_poll. */
static ssize_t
take_batch(ksrc *s, int timeout_ms)
{
	return rd_kafka_consume_batch_queue(s->q, timeout_ms, s->batch,
	                                    SL_CHUNK_CAPACITY - SL_DECODE_MAX_ROWS);
}

/* The partition record m belongs to (NULL: not this subtask's). Records
 * come in runs of one partition: the previous answer is tried first. */
static kpart *
msg_part(ksrc *s, const rd_kafka_message_t *m)
{
	const char *topic = rd_kafka_topic_name(m->rkt);
	if (s->last && s->last->partition == m->partition && strcmp(s->last->topic, topic) == 0)
		return s->last;
	return s->last = find_part(s, topic, m->partition);
}

/* Partition p reached its bounded end. */
static void
part_done(ksrc *s, kpart *p)
{
	p->done = true;
	s->ndone++;
	if (s->wmprog)
		sl_split_wm_done(&s->swm, (int)(p - s->parts));
}

/* Send chunk c on; with per-partition watermarks first fold the
 * watermark expression over its rows into their partitions' watermarks,
 * and after it send the combined watermark if it advanced. */
static bool
emit_rows(sl_op *op, ksrc *s, sl_chunk *c, sl_error **errp)
{
	sl_task_count_source_rows(op->task, c->count);
	if (s->wmprog) {
		const sl_vector *v = sl_rexpr_eval(s->wmprog, c, NULL, errp);
		int64_t now = mono_us();
		if (!v) {
			sl_chunk_unref(c);
			return false;
		}
		for (uint32_t r = 0; r < c->count; r++) {
			sl_split_wm_split *sp = &s->swm.s[s->rowsplit[r]];
			if (sl_vec_valid(v, r) && SL_VEC_DATA(v, int64_t)[r] > sp->max)
				sp->max = SL_VEC_DATA(v, int64_t)[r];
			sp->last_us = now;
		}
		return sl_op_emit(op, c, errp) && sl_split_wm_emit(&s->swm, op, now, errp);
	}
	return sl_op_emit(op, c, errp);
}

static sl_poll_status
ks_poll(sl_op *op, sl_error **errp)
{
	ksrc *s = op->priv;
	sl_chunk *c;
	ssize_t n;
	bool more = false;
	if (s->ended)
		return SL_POLL_END;
	if (s->wm_resend) {
		/* restored: downstream's event time as of the checkpoint */
		s->wm_resend = false;
		if (!sl_op_emit_watermark(op, s->swm.sent, errp))
			return SL_POLL_ERROR;
	}
	if (s->dlq_rk)
		rd_kafka_poll(s->dlq_rk, 0);
	if (s->ndone == s->nparts && s->endm != E_UNBOUNDED)
		return finish(op, s, errp) ? SL_POLL_END : SL_POLL_ERROR;
	n = take_batch(s, 0);
	if (n <= 0) {
		/* nothing queued: wait a little for the fetcher (a short wait
		 * keeps the worker responsive to barriers and cancellation) */
		n = take_batch(s, 5);
		if (n <= 0) {
			/* no records for the idle timeout (or no partitions at
			 * all): stop holding back event time downstream */
			int64_t now = mono_us();
			if (!s->last_rows_us)
				s->last_rows_us = now;
			if (s->wmprog)      /* per partition: idle timers */
				return sl_split_wm_emit(&s->swm, op, now, errp) ? SL_POLL_IDLE : SL_POLL_ERROR;
			if (!s->idle && (s->nparts == 0 || (s->idle_timeout_us > 0 &&
			                                     now - s->last_rows_us >= s->idle_timeout_us))) {
				s->idle = true;
				if (!sl_op_emit_watermark(op, SL_WM_IDLE, errp))
					return SL_POLL_ERROR;
			}
			return SL_POLL_IDLE;
		}
	}
	s->idle = false;
	s->last_rows_us = mono_us();
	c = sl_chunk_pool_get(s->pool);
	for (ssize_t i = 0; i < n; i++) {
		rd_kafka_message_t *m = s->batch[i];
		kpart *p;
		if (m->err) {
			if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF && !more) {
				*errp = sl_error_new(SL_ERR_CONNECTOR, SL_SPAN_NONE, "kafka table \"%s\": %s", s->t->name,
				                     rd_kafka_message_errstr(m));
				if (m->err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET)
					sl_error_set_hint(*errp, "With 'scan.startup.mode' = 'group-offsets' a partition without a "
					                         "committed offset needs 'properties.auto.offset.reset'.");
				more = true;   /* remember the failure, release the rest */
			}
			rd_kafka_message_destroy(m);
			continue;
		}
		p = msg_part(s, m);
		if (more || !p || p->done || m->offset < p->next || m->offset >= p->end) {
			rd_kafka_message_destroy(m);
			continue;
		}
		if (p->ts_filter) {
			if (rd_kafka_message_timestamp(m, NULL) < s->start_ts) {
				p->next = m->offset + 1;
				if (p->next >= p->end)
					part_done(s, p);
				rd_kafka_message_destroy(m);
				continue;
			}
			p->ts_filter = false;
		}
		if (c->count + SL_DECODE_MAX_ROWS > c->capacity) {
			/* debezium updates make two rows of one record */
			if (!emit_rows(op, s, c, errp)) {
				c = NULL;
				more = true;
				rd_kafka_message_destroy(m);
				continue;
			}
			c = sl_chunk_pool_get(s->pool);
		}
		{
			uint32_t r0 = c->count;
			if (!decode_one(op, s, c, m, errp)) {
				more = true;
				rd_kafka_message_destroy(m);
				continue;
			}
			if (s->rowsplit)
				for (uint32_t r = r0; r < c->count; r++)
					s->rowsplit[r] = (uint32_t)(p - s->parts);
		}
		p->next = m->offset + 1;
		if (p->next >= p->end)
			part_done(s, p);
		rd_kafka_message_destroy(m);
	}
	if (more) {
		if (c)
			sl_chunk_unref(c);
		return SL_POLL_ERROR;
	}
	if (c->count) {
		if (!emit_rows(op, s, c, errp))
			return SL_POLL_ERROR;
	} else {
		sl_chunk_unref(c);
	}
	return SL_POLL_MORE;
}

/* ------------------------------------------------------------ checkpoints */

static bool
ks_snapshot(sl_op *op, uint64_t id, sl_error **errp)
{
	ksrc *s = op->priv;
	sl_state *st = sl_op_state(op, errp);
	sl_strbuf b = SL_STRBUF_INIT;
	if (!st)
		return false;
	for (int i = 0; i < s->nparts; i++)
		s->snap_next[i] = s->parts[i].next;
	put_part_blob(s, &b, get_next_offset);
	sl_state_op_put(st, "kafka.offsets", b.data, b.len);
	if (s->wmprog) {
		/* per-partition watermarks (restore_wm) */
		sl_strbuf_reset(&b);
		put_part_blob(s, &b, get_part_wm);
		sl_state_op_put(st, "kafka.wm", b.data, b.len);
	}
	sl_strbuf_free(&b);
	s->snap_id = id;
	/* dead letters of records before the barrier are out before the
	 * checkpoint can complete */
	if (s->dlq_rk && rd_kafka_flush(s->dlq_rk, 30000) != 0)
		return kfail(errp, s->t->name, "dead letters not delivered within 30 s", NULL);
	if (s->dlq_file && fflush(s->dlq_file) != 0)
		return kfail(errp, s->t->name, "cannot write the dead-letter file", strerror(errno));
	return true;
}

static bool
ks_notify(sl_op *op, uint64_t id, sl_error **errp)
{
	ksrc *s = op->priv;
	rd_kafka_topic_partition_list_t *l;
	(void)errp;
	if (!s->commit_offsets || id != s->snap_id || !s->rk)
		return true;
	l = rd_kafka_topic_partition_list_new(s->nparts);
	for (int i = 0; i < s->nparts; i++)
		if (s->snap_next[i] >= 0)
			rd_kafka_topic_partition_list_add(l, s->parts[i].topic, s->parts[i].partition)->offset =
			    s->snap_next[i];
	if (l->cnt)
		rd_kafka_commit(s->rk, l, 1);   /* async: monitoring only, failures don't matter */
	rd_kafka_topic_partition_list_destroy(l);
	(void)op;
	return true;
}

static void
ks_close(sl_op *op)
{
	ksrc *s = op->priv;
	report_counts(op, s);
	if (s->q)
		rd_kafka_queue_destroy(s->q);
	s->q = NULL;
	if (s->rk) {
		rd_kafka_consumer_close(s->rk);
		rd_kafka_destroy(s->rk);
	}
	if (s->dlq_rk) {
		rd_kafka_flush(s->dlq_rk, 10000);
		rd_kafka_destroy(s->dlq_rk);
	}
	if (s->dlq_file)
		fclose(s->dlq_file);
	if (s->vdec)
		sl_decoder_free(s->vdec);
	if (s->kdec)
		sl_decoder_free(s->kdec);
	if (s->pool)
		sl_chunk_pool_free(s->pool);
	if (s->kpool)
		sl_chunk_pool_free(s->kpool);
	sl_kafka_tps_free(&s->tps);
	free(s->parts);
	free(s->batch);
	free(s->snap_next);
	free(s->rowsplit);
	if (s->wmprog)
		sl_rexpr_prog_free(s->wmprog);
	sl_split_wm_free(&s->swm);
	sl_strbuf_free(&s->scratch);
	s->rk = NULL;
	s->dlq_rk = NULL;
	s->dlq_file = NULL;
	s->vdec = s->kdec = NULL;
	s->pool = s->kpool = NULL;
	s->parts = NULL;
	s->last = NULL;
	s->batch = NULL;
	s->snap_next = NULL;
	s->rowsplit = NULL;
	s->wmprog = NULL;
}

static const sl_op_ops ks_ops = {
	.name = "KafkaSource", .open = ks_open, .poll = ks_poll, .close = ks_close,
	.snapshot = ks_snapshot, .notify_complete = ks_notify,
};

/* ------------------------------------------------------------ init */

static int
meta_kind(const char *key)
{
	static const struct { const char *k; int kind; } m[] = {
		{"topic", C_META_TOPIC}, {"partition", C_META_PARTITION}, {"offset", C_META_OFFSET},
		{"timestamp", C_META_TIMESTAMP}, {"timestamp-type", C_META_TIMESTAMP_TYPE},
		{"headers", C_META_HEADERS}, {"leader-epoch", C_META_LEADER_EPOCH}, {"key", C_META_KEY},
	};
	for (size_t i = 0; i < SL_ARRAY_LEN(m); i++)
		if (sl_streq_ci(m[i].k, key))
			return m[i].kind;
	return -1;
}

static bool
meta_type_ok(int kind, const sl_type *t)
{
	switch (kind) {
	case C_META_TOPIC: case C_META_TIMESTAMP_TYPE: return sl_type_is_string(t);
	case C_META_PARTITION: case C_META_LEADER_EPOCH: return t->kind == SL_TYPE_INT;
	case C_META_OFFSET: return t->kind == SL_TYPE_BIGINT;
	case C_META_TIMESTAMP: return t->kind == SL_TYPE_TIMESTAMP_LTZ || t->kind == SL_TYPE_TIMESTAMP;
	case C_META_HEADERS:
		return t->kind == SL_TYPE_MAP && sl_type_is_string(t->key) &&
		       (t->elem->kind == SL_TYPE_BYTES || sl_type_is_string(t->elem));
	case C_META_KEY: return t->kind == SL_TYPE_BYTES || sl_type_is_string(t);
	default: return false;
	}
}

/* Is table column c one of the key fields (';'-separated list)? */
static bool
in_list(const char *list, const char *name)
{
	const char *p = list;
	size_t n = strlen(name);
	while (p && *p) {
		const char *e = strchr(p, ';');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		while (l && *p == ' ')
			p++, l--;
		while (l && p[l - 1] == ' ')
			l--;
		if (l == n && strncasecmp(p, name, n) == 0)
			return true;
		p = e ? e + 1 : NULL;
	}
	return false;
}

/* Shared with the sink: which table columns are key fields and which go
 * into the value record. */
bool sl_kafka_key_fields(const sl_table *t, bool upsert, bool *is_key, sl_error **errp);

bool
sl_kafka_key_fields(const sl_table *t, bool upsert, bool *is_key, sl_error **errp)
{
	const char *kf = sl_kafka_table_opt(t, "key.fields");
	for (int c = 0; c < t->ncols; c++)
		is_key[c] = false;
	if (upsert) {
		if (t->npk == 0)
			return sl_fail(errp, SL_ERR_INVALID_OPTION, t->span,
			               "upsert-kafka table \"%s\" needs a PRIMARY KEY (the message key)", t->name);
		for (int i = 0; i < t->npk; i++)
			is_key[t->pk[i]] = true;
		return true;
	}
	if (!kf)
		return true;
	for (int c = 0; c < t->ncols; c++)
		if (t->cols[c].kind == SL_TCOL_PHYSICAL && in_list(kf, t->cols[c].name))
			is_key[c] = true;
	return true;
}

bool sl_op_init_kafka_source(sl_op *op, sl_arena *a, sl_error **errp);

bool
sl_op_init_kafka_source(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_rel *r = op->rel;
	const sl_table *t = r->table;
	ksrc *s = SL_ANEW(a, ksrc);
	const char *v, *prefix = sl_kafka_table_opt(t, "key.fields-prefix");
	bool *is_key = SL_ANEWN(a, bool, t->ncols + 1), except_key;
	int *vpos = SL_ANEWN(a, int, t->ncols + 1), *kpos = SL_ANEWN(a, int, t->ncols + 1);
	int nv = 0, nk = 0;
	sl_format_kind fk;

	s->t = t;
	s->upsert = sl_streq_ci(t->connector, "upsert-kafka");
	s->topics = sl_kafka_table_opt(t, "topic");
	s->pattern = sl_kafka_table_opt(t, "topic-pattern");
	if (!s->topics && !s->pattern)
		return sl_fail(errp, SL_ERR_MISSING_OPTION, t->span, "kafka table \"%s\" needs 'topic'", t->name);
	s->commit_offsets = sl_kafka_table_opt(t, "properties.group.id") != NULL;
	v = sl_kafka_table_opt(t, "scan.startup.mode");
	s->start = s->upsert ? S_EARLIEST : !v ? S_GROUP :
	           sl_streq_ci(v, "earliest-offset") ? S_EARLIEST : sl_streq_ci(v, "latest-offset") ? S_LATEST :
	           sl_streq_ci(v, "timestamp") ? S_TIMESTAMP : sl_streq_ci(v, "specific-offsets") ? S_SPECIFIC : S_GROUP;
	if (s->start == S_GROUP && !s->commit_offsets)
		return sl_fail(errp, SL_ERR_MISSING_OPTION, t->span,
		               "kafka table \"%s\": 'scan.startup.mode' = 'group-offsets' needs 'properties.group.id'",
		               t->name);
	if ((v = sl_kafka_table_opt(t, "scan.startup.timestamp-millis")))
		s->start_ts = strtoll(v, NULL, 10);
	s->start_specific = sl_kafka_table_opt(t, "scan.startup.specific-offsets");
	v = sl_kafka_table_opt(t, "scan.bounded.mode");
	s->endm = !v || sl_streq_ci(v, "unbounded") ? E_UNBOUNDED : sl_streq_ci(v, "latest-offset") ? E_LATEST :
	          sl_streq_ci(v, "group-offsets") ? E_GROUP : sl_streq_ci(v, "timestamp") ? E_TIMESTAMP : E_SPECIFIC;
	if ((v = sl_kafka_table_opt(t, "scan.bounded.timestamp-millis")))
		s->end_ts = strtoll(v, NULL, 10);
	s->end_specific = sl_kafka_table_opt(t, "scan.bounded.specific-offsets");
	v = sl_kafka_table_opt(t, "format.on-error");
	s->on_error = !v || sl_streq_ci(v, "fail") ? OE_FAIL : sl_streq_ci(v, "skip") ? OE_SKIP : OE_DLQ;
	/* the table's 'scan.watermark.idle-timeout', else the job's
	 * 'table.exec.source.idle-timeout' (Flink) */
	s->idle_timeout_us = sl_job_source_idle_timeout_ms(op->job) * 1000;
	if ((v = sl_kafka_table_opt(t, "scan.watermark.idle-timeout"))) {
		int64_t ms;
		if (!sl_parse_duration_ms(v, &ms))
			return sl_fail(errp, SL_ERR_INVALID_OPTION, t->span,
			               "invalid duration for \"scan.watermark.idle-timeout\"");
		s->idle_timeout_us = ms * 1000;
	}
	s->dlq_topic = sl_kafka_table_opt(t, "dlq.topic");
	s->dlq_path = sl_kafka_table_opt(t, "dlq.path");

	/* record schemas */
	if (!sl_kafka_key_fields(t, s->upsert, is_key, errp))
		return false;
	v = sl_kafka_table_opt(t, "value.fields-include");
	except_key = v && sl_streq_ci(v, "EXCEPT_KEY");
	s->vcols = SL_ANEWN(a, sl_format_column, t->ncols + 1);
	s->kcols = SL_ANEWN(a, sl_format_column, t->ncols + 1);
	for (int c = 0; c < t->ncols; c++) {
		vpos[c] = kpos[c] = -1;
		if (t->cols[c].kind != SL_TCOL_PHYSICAL)
			continue;
		if (is_key[c]) {
			const char *name = t->cols[c].name;
			if (prefix && strncasecmp(name, prefix, strlen(prefix)) == 0)
				name += strlen(prefix);
			kpos[c] = nk;
			s->kcols[nk++] = (sl_format_column){name, t->cols[c].type};
			if (except_key)
				continue;
		}
		vpos[c] = nv;
		s->vcols[nv++] = (sl_format_column){t->cols[c].name, t->cols[c].type};
	}
	s->has_key = nk > 0;
	s->ncols = r->nfields;
	s->types = sl_op_field_types(a, r);
	s->kind = SL_ANEWN(a, enum colkind, r->nfields + 1);
	s->vtargets = SL_ANEWN(a, sl_format_target, r->nfields + 1);
	s->ktargets = SL_ANEWN(a, sl_format_target, r->nfields + 1);
	for (int i = 0; i < r->nfields; i++) {
		int c = r->scan_cols[i];
		const sl_column *col = &t->cols[c];
		int sub = r->scan_paths ? r->scan_paths[i] : -1;
		if (col->kind == SL_TCOL_METADATA) {
			int k = meta_kind(col->meta_key ? col->meta_key : col->name);
			if (k < 0 || !meta_type_ok(k, r->fields[i].type))
				return sl_fail(errp, SL_ERR_CONNECTOR, col->name ? t->span : t->span,
				               "kafka table \"%s\": column \"%s\" is not readable Kafka metadata of that type "
				               "(topic STRING, partition INT, offset BIGINT, timestamp TIMESTAMP_LTZ(3), "
				               "timestamp-type STRING, headers MAP<STRING, BYTES>, leader-epoch INT, key BYTES)",
				               t->name, col->name);
			s->kind[i] = (enum colkind)k;
		} else if (col->kind != SL_TCOL_PHYSICAL) {
			return sl_fail(errp, SL_ERR_INTERNAL, t->span, "kafka source: computed column in the scan");
		} else if (kpos[c] < 0) {
			/* key fields come from the key even when the value repeats
			 * them: a tombstone has only the key */
			s->kind[i] = C_VALUE;
			s->vtargets[s->vspec.ntargets++] = (sl_format_target){vpos[c], sub, i};
		} else {
			s->kind[i] = C_KEY;
			s->ktargets[s->kspec.ntargets++] = (sl_format_target){kpos[c], sub, i};
		}
	}
	v = sl_kafka_table_opt(t, "value.format");
	if (!v)
		v = sl_kafka_table_opt(t, "format");
	if (!v || !sl_format_kind_parse(v, &fk))
		return sl_fail(errp, SL_ERR_INVALID_OPTION, t->span, "kafka table \"%s\": unknown value format", t->name);
	s->vspec = (sl_format_spec){fk, nv, s->vcols, s->vspec.ntargets, s->vtargets, t->noptions, t->options,
	                            sl_kafka_table_opt(t, "value.format") ? "value." : ""};
	if (s->has_key) {
		v = sl_kafka_table_opt(t, "key.format");
		if (!v || !sl_format_kind_parse(v, &fk))
			return sl_fail(errp, SL_ERR_MISSING_OPTION, t->span,
			               "kafka table \"%s\": key fields need 'key.format'", t->name);
		s->kspec = (sl_format_spec){fk, nk, s->kcols, s->kspec.ntargets, s->ktargets, t->noptions, t->options,
		                            "key."};
	}
	s->snap_next = NULL;
	op->ops = &ks_ops;
	op->priv = s;
	return true;
}
