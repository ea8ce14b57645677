/*
 * op.h
 *	  The operator interface: what one subtask of a physical operator
 *	  looks like to the job (runtime/job.c) and to the operators chained
 *	  before and after it. See runtime/EXECUTION.md for the task model.
 *
 *	  An operator instance (sl_op) is one subtask of one physical plan node
 *	  (sl_rel). It receives, in order, on each of its input ports: chunks,
 *	  watermarks and one end-of-input. The framework (sl_op_input_*) keeps
 *	  the per-port watermarks and calls the operator's watermark callback
 *	  only when the minimum over its ports advances, and its end callback
 *	  once every port has ended. An operator sends downstream with
 *	  sl_op_emit / sl_op_emit_watermark / sl_op_emit_end, which call the
 *	  next operators directly (chaining: function calls, no queue). An
 *	  exchange is just an operator whose push writes into channels.
 *
 *	  Ownership: push receives one chunk reference and must release it
 *	  (sl_chunk_unref) or pass it on (sl_op_emit). The operator may modify
 *	  the chunk only when it is the sole holder (refcount 1); the framework
 *	  guarantees that for single-consumer edges, and gives a fan-out's
 *	  consumers shared references (see sl_op_emit).
 *
 *	  @thread every callback of an instance runs on the worker thread of
 *	  its subtask (thread i runs subtask i of every operator).
 *
 * INTERFACE ROUTINES
 *	  sl_op_emit, sl_op_emit_watermark, sl_op_emit_end   send downstream
 *	  sl_op_input_chunk, _watermark, _end                deliver to a port
 *	  sl_op_make_writable                                copy a shared chunk
 *	  sl_op_new_* (per operator file)                    constructors
 */
#ifndef SL_RUNTIME_OP_H
#define SL_RUNTIME_OP_H

#include "runtime/chunk.h"
#include "planner/planner.h"

#include <stdio.h>
#include <string.h>

typedef struct sl_op sl_op;
typedef struct sl_task sl_task;
typedef struct sl_job sl_job;

/* What a source's poll reports. */
typedef enum sl_poll_status {
	SL_POLL_MORE,      /* produced something, call again */
	SL_POLL_IDLE,      /* nothing right now (rate limit, waiting) */
	SL_POLL_END,       /* exhausted: end-of-input was emitted */
	SL_POLL_ERROR      /* *errp set */
} sl_poll_status;

typedef struct sl_op_ops {
	const char *name;
	/* Per-thread setup (pools, programs, state). Optional. */
	bool (*open)(sl_op *op, sl_error **errp);
	/* A chunk on port `port`; owns one reference. */
	bool (*push)(sl_op *op, int port, sl_chunk *chunk, sl_error **errp);
	/* The minimum watermark over the ports advanced to wm (INT64_MAX: end
	 * of time). Optional: default forwards it. */
	bool (*watermark)(sl_op *op, int64_t wm, sl_error **errp);
	/* Every port ended. Optional: default forwards end-of-input. */
	bool (*end)(sl_op *op, sl_error **errp);
	/* Sources only: produce some rows (or end). */
	sl_poll_status (*poll)(sl_op *op, sl_error **errp);
	/* Sources only, optional: where this subtask is in the source's
	 * whole stream, comparable across its subtasks (nexmark: the next
	 * event id; datagen: the next row number). With it the framework
	 * keeps the subtasks of a generator within SL_JOB_ALIGN_LEAD of each
	 * other (job.c, "Source alignment"). A source whose subtasks may
	 * wait on external data (Kafka, files) has none. */
	int64_t (*align_pos)(sl_op *op);
	/* Release everything. Optional. Must not close op->state (the
	 * framework owns it). */
	void (*close)(sl_op *op);
	/* ---- checkpointing (runtime/EXECUTION.md, docs/checkpoints.md) ----
	 * Checkpoint barrier `id` reached this instance with every input port
	 * aligned. Called on the worker thread before the framework snapshots
	 * op->state and forwards the barrier downstream. Write non-keyed state
	 * (a source's position, a sink's pre-committed files) as blobs with
	 * sl_state_op_put(state, name, ...) where state = sl_op_state(op);
	 * keyed state already lives in op->state. Optional. */
	bool (*snapshot)(sl_op *op, uint64_t id, sl_error **errp);
	/* Checkpoint `id` is complete (its _metadata is durable). Two-phase-
	 * commit sinks make what they pre-committed at barrier <= id visible.
	 * After a restore from checkpoint n it is called once with n before
	 * any data, so commits pending in n are finished. Must be idempotent.
	 * Runs on the worker thread. Optional. */
	bool (*notify_complete)(sl_op *op, uint64_t id, sl_error **errp);
	/* ---- processing time (PROCTIME(); runtime/EXECUTION.md, "Time") ----
	 * Processing time reached op->proc_next: fire the processing-time
	 * timers due at `now` (µs since the epoch, whole ms; never decreases
	 * for an instance) and set op->proc_next to the next one (INT64_MAX:
	 * none). Called by the worker loop between messages (no thread of its
	 * own), through sl_op_proctime_advance. Optional; an operator that has
	 * it keeps op->proc_next current whenever it registers a timer. */
	bool (*proc_timer)(sl_op *op, int64_t now, sl_error **errp);
	/* The snapshot hook only emits buffered rows downstream (a Local*
	 * aggregate flushing its partial accumulators ahead of the barrier)
	 * and writes no blobs: no state backend is opened for it. */
	bool snapshot_flush_only;
	/* Every input port went idle (SL_WM_IDLE): called before the
	 * framework forwards SL_WM_IDLE downstream, so an operator that
	 * buffers rows (a Local* aggregate) can emit them; the consumers
	 * stop waiting for this input. Optional. */
	bool (*idle)(sl_op *op, sl_error **errp);
} sl_op_ops;

/* A downstream edge: operator and its input port. */
typedef struct sl_op_edge {
	sl_op *op;
	int port;
} sl_op_edge;

struct sl_op {
	const sl_op_ops *ops;
	const sl_rel *rel;          /* plan node (NULL for exchange halves) */
	sl_job *job;
	sl_task *task;              /* the subtask's thread */
	int subtask, parallelism;   /* this instance, of how many */
	int index;                  /* the node's position in the job (unique
	                             * across the job's plans; state dirs) */
	int nout;                   /* downstream edges */
	sl_op_edge *out;
	int nports;                 /* input ports */
	int64_t *port_wm;           /* per-port watermark (SL_WM_IDLE: idle) */
	int64_t *port_wm_seen;      /* per port: newest real watermark, kept
	                             * while the port is idle */
	bool *port_ended;
	int nended;
	int64_t wm;                 /* min over ports as last delivered */
	bool wm_idle_out;           /* every input idle: SL_WM_IDLE sent downstream */
	int64_t wm_sent;            /* last real watermark sl_op_emit_watermark sent */
	bool ended;
	uint64_t rows_in, rows_out; /* live rows pushed in / emitted */
	void *priv;                 /* the operator's own state */
	struct sl_state *state;     /* this instance's state backend, opened on
	                             * first sl_op_state(); owned by the job */
	uint64_t restored_id;       /* checkpoint restored from; 0 = fresh */
	struct sl_op_ck *ck;        /* framework: barrier alignment of a
	                             * multi-port instance (job.c); NULL else */
	int64_t proc_now;           /* processing time this instance last saw
	                             * (µs, whole ms); monotonic: sl_op_proctime */
	int64_t proc_next;          /* earliest processing-time timer of the
	                             * instance, INT64_MAX none (proc_timer ops) */
	bool proc_manual;           /* tests: processing time moves only through
	                             * sl_op_proctime_advance, no wall clock */
};

/* ---- framework (runtime/job.c) ------------------------------------- */
bool sl_op_emit(sl_op *op, sl_chunk *chunk, sl_error **errp);
bool sl_op_emit_watermark(sl_op *op, int64_t wm, sl_error **errp);
/* A watermark message with this value marks the sending split idle (no
 * records for 'scan.watermark.idle-timeout'): the receiving port stops
 * holding back the operator's watermark until a real watermark arrives on
 * it. An operator whose every input is idle first advances to the newest
 * watermark any input reached (Flink's StatusWatermarkValve; port_wm_seen),
 * then forwards SL_WM_IDLE (never to its own watermark hook) and, once an input is active again, re-sends its
 * watermark (op->wm_idle_out). Ended inputs count as active at +inf. */
#define SL_WM_IDLE (INT64_MAX - 1)
bool sl_op_emit_end(sl_op *op, sl_error **errp);
/* Processing time of the instance (Flink's currentProcessingTime): the
 * wall clock (CLOCK_REALTIME) truncated to whole milliseconds, in µs like
 * every TIMESTAMP; never smaller than a value it returned before (a clock
 * step back does not reopen a fired window). */
int64_t sl_op_proctime(sl_op *op);
/* Move the instance's processing time to max(now, proc_now) and, when
 * proc_next is due, call ops->proc_timer. The worker loop calls it for
 * every instance with a proc_timer hook; tests call it with chosen times. */
bool sl_op_proctime_advance(sl_op *op, int64_t now, sl_error **errp);
bool sl_op_input_chunk(sl_op *op, int port, sl_chunk *chunk, sl_error **errp);
bool sl_op_input_watermark(sl_op *op, int port, int64_t wm, sl_error **errp);
bool sl_op_input_end(sl_op *op, int port, sl_error **errp);
/* A chunk this operator may modify: chunk itself when unshared, else a
 * copy of its live rows from pool (the reference on chunk is released). */
sl_chunk *sl_op_make_writable(sl_chunk *chunk, sl_chunk_pool *pool);
/* Job-wide options the connectors need. */
int64_t sl_job_nexmark_events_override(const sl_job *job);
/* The job's checkpoint interval in ms (0: checkpointing off). */
int64_t sl_job_checkpoint_interval_ms(const sl_job *job);
/* 'table.exec.source.idle-timeout' in ms (0: never idle): a source's idle
 * timeout when its table does not set 'scan.watermark.idle-timeout'. */
int64_t sl_job_source_idle_timeout_ms(const sl_job *job);
FILE *sl_job_output(const sl_job *job);
/* The instance's state backend (state/state.h): opened on first call
 * with this instance's key-group range (of op->parallelism) and, when
 * the job restores, loaded from the checkpoint. Keyed state, timers and
 * the non-keyed blobs of snapshot() all live here, so the framework can
 * snapshot and restore every operator the same way. Named states are
 * per instance: no prefixing needed. The job closes it after close().
 * NULL with *errp on failure. @thread the instance's worker (or open). */
struct sl_state *sl_op_state(sl_op *op, sl_error **errp);
/* Fault injection (runtime/checkpoint.c, docs/checkpoints.md): abort()s
 * the process when SLUICE_CRASH_AT is "NAME:ID" for this point and
 * checkpoint id (ID "final": the final checkpoint of a bounded run).
 * 2PC sinks call it with "after-notify-before-commit" and "mid-commit"
 * from notify_complete. Cheap when the variable is unset. */
void sl_crash_point(const char *name, uint64_t ckid);
/* Count rows a source produced (progress line). */
void sl_task_count_source_rows(sl_task *task, uint64_t n);
void sl_task_count_sink_rows(sl_task *task, uint64_t n);

/* ---- lowering (runtime/lower.c) ------------------------------------ */
struct sl_rexpr;
/* The runtime tree of a bound planner expression, in arena a. NULL with
 * *errp set for a construct the runtime does not implement. */
struct sl_rexpr *sl_lower_expr(sl_arena *a, const sl_expr *e, sl_error **errp);

/* ---- operators ------------------------------------------------------ */
/* Each constructor fills op->ops and op->priv from op->rel; NULL-safe
 * errors through errp (SL_ERR_FEATURE_NOT_SUPPORTED for plans it cannot
 * run). Called on the job's building thread; open runs on the worker. */
bool sl_op_init_calc(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_watermark(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_union(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_group_agg(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_dedup(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_changelog_normalize(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_rank(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_window_rank(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_over_agg(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_window_tvf(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_correlate(sl_op *op, sl_arena *a, sl_error **errp);   /* op_correlate.c */
bool sl_op_init_window_agg(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_group_window_agg(sl_op *op, sl_arena *a, sl_error **errp);
/* two-phase aggregation: LocalGroupAggregate / LocalWindowAggregate
 * (op_local_agg.c); the Global ones are sl_op_init_group_agg /
 * sl_op_init_window_agg on a node with agg_input set */
bool sl_op_init_local_agg(sl_op *op, sl_arena *a, sl_error **errp);
/* Windows of event time t (TUMBLE/HOP/CUMULATE): up to cap (start, end)
 * pairs; returns the count (op_window_agg.c). */
int sl_window_assign(const sl_window *w, int64_t t, int64_t *starts, int64_t *ends, int cap);
/* Slice-shared windows (rel->slice_us, planner/physical.c): the end of
 * the slice of length slice (aligned to the window's offset) holding t. */
int64_t sl_window_slice_end(const sl_window *w, int64_t slice, int64_t t);
/* joins (op_join.c, op_interval_join.c, op_window_join.c, op_temporal_join.c) */
bool sl_op_init_join(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_interval_join(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_window_join(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_temporal_join(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_lookup_join(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_nexmark_source(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_datagen_source(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_print_sink(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_blackhole_sink(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_values(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_kafka_source(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_kafka_sink(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_filesystem_source(sl_op *op, sl_arena *a, sl_error **errp);
bool sl_op_init_filesystem_sink(sl_op *op, sl_arena *a, sl_error **errp);

/* ---- aggregate accumulators (op_group_agg.c, shared with windows) ---
 * A group's accumulators are one byte string: int64 rows, then per
 * aggregate its slot of spec->size bytes at spec->off (sl_agg_specs_init
 * lays them out): the int64 count, then the value's leading bytes, only
 * as many as the aggregate needs (COUNT and COUNT(DISTINCT): none; MIN,
 * MAX and DOUBLE sums: 8; integer and DECIMAL sums and averages: the
 * 16-byte int128). String MIN/MAX and C aggregates use the whole 32-byte
 * sl_agg_acc. Code works on an unpacked sl_agg_acc: sl_agg_acc_load and
 * sl_agg_acc_store. C aggregates' state blocks follow the slots. */
typedef struct sl_agg_acc {
	int64_t cnt;
	int64_t pad;
	union {
		int64_t i;
		double d;
		__int128 dec;
	} v;
} sl_agg_acc;

typedef enum sl_agg_valkind { VK_INT, VK_DOUBLE, VK_DEC } sl_agg_valkind;

typedef struct sl_aggspec {
	sl_agg_kind kind;
	int arg;                    /* input column or -1 */
	int filter;                 /* input column or -1 */
	sl_agg_valkind vk;                 /* argument's representation */
	const sl_type *argtype;
	const sl_type *rtype;       /* result type */
	bool is_str;                /* MIN/MAX of a string: the caller keeps the value */
	bool distinct;              /* COUNT(DISTINCT arg): the caller keeps the
	                             * distinct values and adjusts cnt */
	bool multiset;              /* MIN/MAX over an updating input: a retraction
	                             * only decrements cnt; the caller keeps the
	                             * value multiset and fixes v (op_group_agg.c) */
	struct sl_agg_udf *udf;     /* SL_AGG_UDF: the C aggregate (runtime/agg_udf.h);
	                             * its state block follows the slots, at udf_off */
	size_t udf_off;
	const int *args;            /* SL_AGG_UDF: all argument columns */
	uint32_t off;               /* this aggregate's slot in the accumulator bytes */
	uint32_t size;              /* its bytes: 8 (count only), 16 (count and an
	                             * 8-byte value), 24 (count and an int128) or
	                             * sizeof(sl_agg_acc) (string MIN/MAX, C aggregates) */
} sl_aggspec;

/* Unpack slot i (spec s) of accs into *a; bytes the slot does not keep
 * read as zero. */
static inline void
sl_agg_acc_load(const sl_aggspec *s, const unsigned char *accs, sl_agg_acc *a)
{
	const unsigned char *p = accs + s->off;
	/* constant-size copies (inlined; this runs per row and aggregate) */
	switch (s->size) {
	case 8:
		memcpy(&a->cnt, p, 8);
		a->v.dec = 0;
		break;
	case 16:
		memcpy(&a->cnt, p, 8);
		a->v.dec = 0;
		memcpy(&a->v, p + 8, 8);
		break;
	case 24:
		memcpy(&a->cnt, p, 8);
		memcpy(&a->v, p + 8, 16);
		break;
	default:
		memcpy(a, p, sizeof *a);
		return;
	}
	a->pad = 0;
}

/* Pack *a into its slot of accs (the inverse of sl_agg_acc_load). */
static inline void
sl_agg_acc_store(const sl_aggspec *s, unsigned char *accs, const sl_agg_acc *a)
{
	unsigned char *p = accs + s->off;
	switch (s->size) {
	case 8:
		memcpy(p, &a->cnt, 8);
		break;
	case 16:
		memcpy(p, &a->cnt, 8);
		memcpy(p + 8, &a->v, 8);
		break;
	case 24:
		memcpy(p, &a->cnt, 8);
		memcpy(p + 8, &a->v, 16);
		break;
	default:
		memcpy(p, a, sizeof *a);
		break;
	}
}

/* Bytes of the rows count and every slot (C aggregate states follow). */
static inline size_t
sl_agg_acc_bytes(const sl_aggspec *specs, int naggs)
{
	return naggs > 0 ? (size_t)specs[naggs - 1].off + specs[naggs - 1].size : 8;
}

/* Specs of rel's aggregates over input row type `in`; false (errp) for
 * aggregates not supported yet (DISTINCT, LISTAGG, strings in MIN/MAX). */
bool sl_agg_specs_init(const sl_rel *rel, const sl_rel *in, sl_arena *a, sl_aggspec **out,
                       sl_error **errp);
/* Fold input row r of in (retract: -U/-D) into accs. */
bool sl_agg_accumulate(const sl_aggspec *specs, int naggs, unsigned char *accs,
                       const sl_chunk *in, uint32_t r, bool retract, sl_error **errp);
/* Merge partial accumulators b (same specs; rows, COUNT, SUM, AVG, and
 * MIN/MAX of fixed-width values) into a: two-phase aggregation and
 * session merges. C aggregates: sl_agg_udf_merge. */
void sl_agg_merge(const sl_aggspec *specs, int naggs, unsigned char *a, const unsigned char *b);
/* Write the aggregate results of accs into columns first.. of out's row. */
void sl_agg_write(const sl_aggspec *specs, int naggs, const unsigned char *accs,
                  sl_chunk *out, uint32_t row, int first);

/* Output column types of a plan node (arena a). */
const sl_type *const *sl_op_field_types(sl_arena *a, const sl_rel *rel);

#endif /* SL_RUNTIME_OP_H */
