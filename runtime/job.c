/*
 * job.c
 *	  Physical plan -> operator instances on worker threads; the worker
 *	  loop; exchanges (sender/receiver halves over channels); the operator
 *	  framework (ports, watermarks, end-of-input). See runtime/EXECUTION.md.
 *
 * INTERFACE ROUTINES
 *	  sl_job_new, sl_job_start, sl_job_wait, sl_job_cancel, sl_job_finish,
 *	  sl_job_stats_get, sl_job_free, sl_job_run        (job.h)
 *	  sl_op_emit*, sl_op_input_*, sl_op_make_writable   (op.h)
 *	  sl_job_stop_with_savepoint, sl_job_find_latest_checkpoint (job.h)
 *
 *	  Checkpoints (docs/checkpoints.md): task_checkpoint (between polls:
 *	  notify_complete, barrier injection at sources), op_barrier /
 *	  check_aligned / replay_held (alignment of multi-input instances),
 *	  snapshot_forward (hook, state snapshot, ack, forward), exsend_barrier.
 *	  The coordinator itself is runtime/checkpoint.c.
 */
#include "runtime/job.h"
#include "runtime/op.h"
#include "runtime/channel.h"
#include "runtime/checkpoint.h"
#include "runtime/expr.h"
#include "runtime/key.h"
#include "state/state.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SL_JOB_MAXP 128              /* key groups (max parallelism) */
#define SL_JOB_PENDING_LIMIT 16      /* outbox messages before a thread stops pulling input */
#define SL_JOB_ALIGN_LEAD (INT64_C(1) << 18) /* source alignment: positions a subtask may lead by */

/* A growable FIFO of messages waiting for room in a channel. */
typedef struct msgq msgq;
struct msgq {
	sl_msg *m;
	size_t head, n, cap;
};

typedef struct exchange exchange;

/* Sender half of an exchange on one producing subtask. */
typedef struct exsend {
	exchange *x;
	int xid;                    /* the exchange's position in job->ops */
	int pout;
	sl_channel **ch;            /* [pout] */
	msgq *q;                    /* [pout] outboxes */
	sl_chunk **stage;           /* [pout] hash staging chunks */
	uint16_t **rows;            /* [pout] row lists for one input chunk */
	uint32_t *nrows;
	sl_chunk_pool *pool;
	uint16_t kg[SL_CHUNK_CAPACITY]; /* key group per row */
	sl_strbuf kbuf;             /* key bytes scratch */
	int64_t held_wm;            /* watermark not yet forwarded (hash) */
	bool has_held_wm;
	uint64_t rows_since_wm;
	uint32_t wms_held;          /* watermarks held since the last one sent */
	uint32_t rr;                /* round-robin position */
} exsend;

/* A hash ExchangeSend sends a held watermark after this many newer ones
 * even when few rows passed: a sparse stream (a window aggregate's
 * output) must not keep its consumers' time still while the thread is
 * busy (the regular join's watermark retention waits for it). */
#define SL_EXCHANGE_MAX_HELD_WMS 8

struct exchange {
	const sl_rel *rel;          /* the PExchange node */
	int pin, pout;
	sl_channel **ch;            /* [pin * pout], producer-major */
	const sl_type *const *types;
	uint8_t *owner;             /* key group -> consuming subtask */
};

/* A receiver's view of one input channel. */
typedef struct rxport {
	sl_op *op;                  /* receiver instance */
	int port;
	sl_channel *ch;
	bool done;
	int xid;                    /* exchange node id (stage order) */
} rxport;

/* Source alignment of one source instance: the positions (op.h
 * align_pos) its n sibling subtasks publish; pos NULL: not aligned. */
typedef struct srcalign {
	_Atomic int64_t *pos;       /* [n], shared by the siblings' threads */
	int n, self;
} srcalign;

struct sl_task {
	sl_job *job;
	int index;
	pthread_t thread;
	bool started;
	sl_op **ops;                /* every instance on this thread, open order */
	int nops;
	sl_op **sources;
	int nsources;
	bool *source_done;
	srcalign *align;            /* [nsources] source alignment */
	_Atomic int64_t source_lead; /* sl_job_stats.source_lead of this thread */
	rxport *rx;
	int nrx;
	sl_op **senders;            /* exsend instances */
	int nsenders;
	size_t pending;             /* messages in this thread's outboxes */
	_Atomic uint64_t source_rows, sink_rows;
	_Atomic int64_t wm;         /* sinks' watermark on this thread */
	atomic_bool finished;
	/* checkpointing (all @thread this worker) */
	uint64_t ck_seen;           /* latest barrier request handled */
	uint64_t notified;          /* latest notify_complete delivered */
	bool sources_stopped;       /* a savepoint barrier was injected */
	sl_op **procops;            /* instances with a proc_timer hook (malloc'ed
	                             * by task_main after open) */
	int nproc;
};

/* Barrier state of one instance (not of exchange senders). An instance
 * with several input ports aligns: a port that delivered barrier n is
 * blocked (a receiver's channel is not read; a chained port's messages
 * queue in buf) until every port delivered n or ended. */
struct sl_op_ck {
	uint64_t done_id;           /* latest checkpoint this instance snapshotted */
	uint64_t id;                /* being aligned; 0 none */
	bool *blocked;              /* [nports] */
	int nblocked;
	double start_ms;
	struct msgq *buf;           /* [nports] held messages of chained ports */
	bool replaying;
};

struct sl_job {
	int nops;                   /* every plan's operators, plan after plan */
	const sl_rel **ops;
	int *base;                  /* per op: index of its plan's first op */
	sl_job_options opts;
	sl_arena *arena;
	int nthreads;
	sl_task *tasks;
	sl_op ***inst;              /* per plan op (id - 1): instances [parallelism] */
	exchange **xs;              /* per plan op: exchange or NULL */
	sl_op ***senders;           /* per plan op (exchange): sender instances [pin] */
	atomic_bool cancel;
	atomic_int nfinished;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	sl_error *error;            /* first failure */
	bool has_sinks;
	sl_ckpt *ck;                /* coordinator; NULL without checkpoints */
	sl_ckpt_meta restore;       /* restored checkpoint (restore.id 0: fresh) */
	uint64_t fail_at;           /* SLUICE_FAIL_AT: a task fails after this checkpoint */
};

/* ---------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------- */
static void
job_fail(sl_job *job, sl_error *e)
{
	pthread_mutex_lock(&job->lock);
	if (!job->error)
		job->error = e;
	else if (e)
		sl_error_free(e);
	pthread_mutex_unlock(&job->lock);
	atomic_store(&job->cancel, true);
}

static void
msgq_push(msgq *q, const sl_msg *m)
{
	if (q->n == q->cap) {
		size_t ncap = q->cap ? q->cap * 2 : 8;
		sl_msg *nm = malloc(ncap * sizeof *nm);
		if (!nm)
			abort();
		for (size_t i = 0; i < q->n; i++)
			nm[i] = q->m[(q->head + i) % q->cap];
		free(q->m);
		q->m = nm;
		q->head = 0;
		q->cap = ncap;
	}
	q->m[(q->head + q->n) % q->cap] = *m;
	q->n++;
}

static void
msgq_drop(msgq *q)
{
	for (size_t i = 0; i < q->n; i++) {
		sl_msg *m = &q->m[(q->head + i) % q->cap];
		if (m->kind == SL_MSG_DATA)
			sl_chunk_unref(m->u.chunk);
	}
	free(q->m);
	memset(q, 0, sizeof *q);
}

const sl_type *const *
sl_op_field_types(sl_arena *a, const sl_rel *rel)
{
	const sl_type **t = SL_ANEWN(a, const sl_type *, rel->nfields + 1);
	for (int i = 0; i < rel->nfields; i++)
		t[i] = rel->fields[i].type;
	return t;
}

sl_state *
sl_op_state(sl_op *op, sl_error **errp)
{
	sl_state_options so;
	char dir[512];
	if (op->state)
		return op->state;
	memset(&so, 0, sizeof so);
	snprintf(dir, sizeof dir, "%s/sluice-run-%ld-op%d-%d",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid(), op->index, op->subtask);
	so.local_dir = dir;
	so.maxp = SL_JOB_MAXP;
	so.cache_bytes = op->job->opts.state_cache_bytes;
	sl_state_task_range(SL_JOB_MAXP, op->parallelism, op->subtask, &so.kg_first, &so.kg_last);
	if (op->job->restore.dirs && op->index < op->job->restore.nops)
		so.restore_dir = op->job->restore.dirs[op->index];
	op->state = sl_state_open(&so, errp);
	return op->state;
}

int64_t
sl_job_nexmark_events_override(const sl_job *job)
{
	return job->opts.nexmark_events;
}

int64_t
sl_job_source_idle_timeout_ms(const sl_job *job)
{
	return job ? job->opts.source_idle_timeout_ms : 0;
}

int64_t
sl_job_checkpoint_interval_ms(const sl_job *job)
{
	return job->opts.checkpoint_interval_ms;
}

FILE *
sl_job_output(const sl_job *job)
{
	return job->opts.out ? job->opts.out : stdout;
}

void
sl_task_count_source_rows(sl_task *task, uint64_t n)
{
	atomic_fetch_add_explicit(&task->source_rows, n, memory_order_relaxed);
}

void
sl_task_count_sink_rows(sl_task *task, uint64_t n)
{
	atomic_fetch_add_explicit(&task->sink_rows, n, memory_order_relaxed);
}

/* ---------------------------------------------------------------------
 * Operator framework
 * ------------------------------------------------------------------- */
sl_chunk *
sl_op_make_writable(sl_chunk *chunk, sl_chunk_pool *pool)
{
	sl_chunk *c;
	if (atomic_load_explicit(&chunk->refcount, memory_order_acquire) == 1)
		return chunk;
	c = sl_chunk_pool_get(pool);
	sl_chunk_copy_rows(c, chunk, NULL, 0);
	sl_chunk_unref(chunk);
	return c;
}

bool
sl_op_emit(sl_op *op, sl_chunk *chunk, sl_error **errp)
{
	op->rows_out += sl_chunk_live(chunk);
	if (op->nout == 0) {
		sl_chunk_unref(chunk);
		return true;
	}
	for (int i = 1; i < op->nout; i++)
		sl_chunk_ref(chunk);
	for (int i = 0; i < op->nout; i++)
		if (!sl_op_input_chunk(op->out[i].op, op->out[i].port, chunk, errp)) {
			for (int j = i + 1; j < op->nout; j++)
				sl_chunk_unref(chunk);
			return false;
		}
	return true;
}

bool
sl_op_emit_watermark(sl_op *op, int64_t wm, sl_error **errp)
{
	if (wm != SL_WM_IDLE)
		op->wm_sent = wm;
	for (int i = 0; i < op->nout; i++)
		if (!sl_op_input_watermark(op->out[i].op, op->out[i].port, wm, errp))
			return false;
	return true;
}

/* ---- processing time (op.h) ---------------------------------------- */
static int64_t
wall_clock_ms_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + (int64_t)(ts.tv_nsec / 1000000) * 1000;
}

int64_t
sl_op_proctime(sl_op *op)
{
	if (!op->proc_manual) {
		int64_t now = wall_clock_ms_us();
		if (now > op->proc_now)
			op->proc_now = now;
	}
	return op->proc_now;
}

bool
sl_op_proctime_advance(sl_op *op, int64_t now, sl_error **errp)
{
	if (now > op->proc_now)
		op->proc_now = now;
	if (!op->ops->proc_timer || op->proc_next > op->proc_now)
		return true;
	return op->ops->proc_timer(op, op->proc_now, errp);
}

/* The worker loop's processing-time step: one clock read for the task,
 * then every instance whose earliest timer is due. */
static bool
task_proctime(sl_task *t, bool *progress, sl_error **errp)
{
	int64_t now, next = INT64_MAX;
	for (int i = 0; i < t->nproc; i++)
		if (t->procops[i]->proc_next < next)
			next = t->procops[i]->proc_next;
	if (next == INT64_MAX)
		return true;            /* no timer (event-time instances): no clock read */
	now = wall_clock_ms_us();
	for (int i = 0; i < t->nproc; i++) {
		sl_op *op = t->procops[i];
		if (op->proc_next > now && op->proc_next > op->proc_now)
			continue;
		if (!sl_op_proctime_advance(op, now, errp))
			return false;
		*progress = true;
	}
	return true;
}

bool
sl_op_emit_end(sl_op *op, sl_error **errp)
{
	for (int i = 0; i < op->nout; i++)
		if (!sl_op_input_end(op->out[i].op, op->out[i].port, errp))
			return false;
	return true;
}

/* A message for a port held by barrier alignment (or with older held
 * messages): queue it, in order. true if held. */
static bool
hold_msg(sl_op *op, int port, const sl_msg *m)
{
	struct sl_op_ck *c = op->ck;
	if (!c || !c->buf || (!c->blocked[port] && c->buf[port].n == 0))
		return false;
	msgq_push(&c->buf[port], m);
	return true;
}

bool
sl_op_input_chunk(sl_op *op, int port, sl_chunk *chunk, sl_error **errp)
{
	if (op->ck && op->ck->buf) {
		sl_msg m = {.kind = SL_MSG_DATA, .u.chunk = chunk};
		if (hold_msg(op, port, &m))
			return true;
	}
	if (sl_chunk_live(chunk) == 0) {
		sl_chunk_unref(chunk);
		return true;
	}
	op->rows_in += sl_chunk_live(chunk);
	return op->ops->push(op, port, chunk, errp);
}

static bool check_aligned(sl_op *op, sl_error **errp);
static bool snapshot_forward(sl_op *op, uint64_t id, double align_ms, bool forward,
                             sl_error **errp);

static bool exsend_watermark(sl_op *op, int64_t wm, sl_error **errp);

/* Send wm on from op as its own watermark would go (an exchange sender's
 * through its channels) without calling an operator's watermark hook:
 * for SL_WM_IDLE and for re-sending op->wm after idleness. */
static bool
forward_wm(sl_op *op, int64_t wm, sl_error **errp)
{
	if (op->ops->watermark == exsend_watermark)
		return exsend_watermark(op, wm, errp);
	return sl_op_emit_watermark(op, wm, errp);
}

/* A watermark wm newer than the port's cur (an idle port takes any real
 * watermark; SL_WM_IDLE is newer than anything but +inf). */
static bool
wm_newer(int64_t cur, int64_t wm)
{
	return wm > cur || (cur == SL_WM_IDLE && wm != SL_WM_IDLE);
}

/* Record a newer watermark wm on a port (and, when it is a real one,
 * as the port's last seen event time, which idleness does not erase). */
static void
set_port_wm(sl_op *op, int port, int64_t wm)
{
	op->port_wm[port] = wm;
	if (wm != SL_WM_IDLE && wm > op->port_wm_seen[port])
		op->port_wm_seen[port] = wm;
}

static bool
advance_wm(sl_op *op, sl_error **errp)
{
	int64_t m = INT64_MAX;
	int nidle = 0;
	for (int i = 0; i < op->nports; i++) {
		if (op->port_wm[i] == SL_WM_IDLE)
			nidle++;            /* idle inputs do not hold time back */
		else if (op->port_wm[i] < m)
			m = op->port_wm[i];
	}
	if (nidle && nidle == op->nports) {
		/* every input idle: event time is the newest any input reached
		 * (Flink's StatusWatermarkValve), else the input that went idle
		 * last would keep the windows the others closed from firing */
		int64_t mx = INT64_MIN;
		if (op->wm_idle_out)
			return true;
		for (int i = 0; i < op->nports; i++)
			if (op->port_wm_seen[i] > mx)
				mx = op->port_wm_seen[i];
		if (mx > op->wm) {
			op->wm = mx;
			if (!(op->ops->watermark ? op->ops->watermark(op, mx, errp)
			                         : sl_op_emit_watermark(op, mx, errp)))
				return false;
		}
		op->wm_idle_out = true;
		if (op->ops->idle && !op->ops->idle(op, errp))
			return false;
		return forward_wm(op, SL_WM_IDLE, errp);
	}
	if (op->wm_idle_out) {
		/* active again: downstream counts our watermark again — the one
		 * last sent (an operator's hook may hold it below op->wm, as the
		 * interval join does); an exchange sender forwards op->wm */
		int64_t again = op->ops->watermark == exsend_watermark ? op->wm : op->wm_sent;
		op->wm_idle_out = false;
		if (again != INT64_MIN && !forward_wm(op, again, errp))
			return false;
	}
	if (m <= op->wm)
		return true;
	op->wm = m;
	if (op->ops->watermark)
		return op->ops->watermark(op, m, errp);
	return sl_op_emit_watermark(op, m, errp);
}

bool
sl_op_input_watermark(sl_op *op, int port, int64_t wm, sl_error **errp)
{
	SL_ASSERT(port >= 0 && port < op->nports);
	if (op->ck && op->ck->buf) {
		sl_msg m = {.kind = SL_MSG_WATERMARK, .u.watermark = wm};
		if (hold_msg(op, port, &m))
			return true;
	}
	if (!wm_newer(op->port_wm[port], wm))
		return true;
	set_port_wm(op, port, wm);
	return advance_wm(op, errp);
}

static bool input_end(sl_op *op, int port, sl_error **errp);

bool
sl_op_input_end(sl_op *op, int port, sl_error **errp)
{
	SL_ASSERT(port >= 0 && port < op->nports);
	if (op->ck && op->ck->buf) {
		sl_msg m = {.kind = SL_MSG_END_OF_INPUT};
		if (hold_msg(op, port, &m))
			return true;
	}
	return input_end(op, port, errp);
}

static bool
input_end(sl_op *op, int port, sl_error **errp)
{
	if (op->port_ended[port])
		return true;
	op->port_ended[port] = true;
	op->nended++;
	op->port_wm[port] = INT64_MAX;   /* an ended input no longer holds time back */
	if (!advance_wm(op, errp))
		return false;
	if (op->nended < op->nports) {
		/* an ended port counts as aligned for a pending barrier */
		if (op->ck && op->ck->id)
			return check_aligned(op, errp);
		return true;
	}
	op->ended = true;
	if (op->ops->end ? !op->ops->end(op, errp) : !sl_op_emit_end(op, errp))
		return false;
	/* A checkpoint this thread already started will never reach an
	 * ended instance as a barrier: its final state goes in now. */
	if (op->job && op->job->ck && op->ck && op->task->ck_seen > op->ck->done_id)
		return snapshot_forward(op, op->task->ck_seen, 0, false, errp);
	return true;
}


/* ---------------------------------------------------------------------
 * Checkpoint barriers (docs/checkpoints.md)
 *
 * A source injects barrier n between polls (task_checkpoint); each
 * instance, once barrier n arrived on every input port (or the port
 * ended), snapshots itself on this thread (snapshot_forward: the
 * operator's snapshot hook, then its state backend's synchronous
 * snapshot, handed to the uploader with the ack) and forwards n. An
 * exchange sender flushes its staging chunks and sends n on every
 * channel.
 * ------------------------------------------------------------------- */
static double
mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static bool exsend_barrier(sl_op *op, uint64_t id);
static bool op_barrier(sl_op *op, int port, uint64_t id, sl_error **errp);
static bool barrier_at(sl_op *op, int port, uint64_t id, sl_error **errp);

static bool
emit_barrier(sl_op *op, uint64_t id, sl_error **errp)
{
	for (int i = 0; i < op->nout; i++) {
		sl_op *to = op->out[i].op;
		if (!to->ck) {            /* exchange sender */
			exsend_barrier(to, id);
			continue;
		}
		if (!op_barrier(to, op->out[i].port, id, errp))
			return false;
	}
	return true;
}

/* Snapshot instance op for checkpoint id and acknowledge; forward the
 * barrier unless the instance has ended (its consumers saw the end). */
static bool
snapshot_forward(sl_op *op, uint64_t id, double align_ms, bool forward, sl_error **errp)
{
	sl_state_snapshot *snap = NULL;
	double sync_ms = 0;
	op->ck->done_id = id;
	if (op->ops->snapshot && !op->ops->snapshot(op, id, errp))
		return false;
	if (op->state) {
		double t0 = mono_ms();
		sl_crash_point("mid-snapshot", id);
		if (!(snap = sl_state_snapshot_take(op->state, id, errp)))
			return false;
		sync_ms = mono_ms() - t0;
	}
	sl_ckpt_ack(op->job->ck, op->index, op->subtask, id, snap, align_ms, sync_ms);
	if (forward && !op->ended)
		return emit_barrier(op, id, errp);
	return true;
}

/* Deliver the messages held on ports no longer blocked, in order, until
 * every such queue is empty (a replayed barrier may block a port again). */
static bool
replay_held(sl_op *op, sl_error **errp)
{
	struct sl_op_ck *c = op->ck;
	bool progress = true;
	if (!c->buf || c->replaying)
		return true;
	c->replaying = true;
	while (progress) {
		progress = false;
		for (int p = 0; p < op->nports; p++) {
			msgq *q = &c->buf[p];
			while (!c->blocked[p] && q->n) {
				sl_msg m = q->m[q->head];
				bool ok = true;
				q->head = (q->head + 1) % q->cap;
				q->n--;
				progress = true;
				/* delivered as if arriving now: the queue of p is
				 * bypassed only while it is the message's turn */
				switch (m.kind) {
				case SL_MSG_DATA:
					if (sl_chunk_live(m.u.chunk) == 0) {
						sl_chunk_unref(m.u.chunk);
						break;
					}
					op->rows_in += sl_chunk_live(m.u.chunk);
					ok = op->ops->push(op, p, m.u.chunk, errp);
					break;
				case SL_MSG_WATERMARK:
					if (wm_newer(op->port_wm[p], m.u.watermark)) {
						set_port_wm(op, p, m.u.watermark);
						ok = advance_wm(op, errp);
					}
					break;
				case SL_MSG_END_OF_INPUT:
					ok = input_end(op, p, errp);
					break;
				case SL_MSG_BARRIER:
					ok = barrier_at(op, p, (uint64_t)m.u.checkpoint_id, errp);
					break;
				}
				if (!ok) {
					c->replaying = false;
					return false;
				}
			}
		}
	}
	c->replaying = false;
	return true;
}

static void
unblock_all(sl_op *op)
{
	struct sl_op_ck *c = op->ck;
	for (int p = 0; p < op->nports; p++)
		c->blocked[p] = false;
	c->nblocked = 0;
	c->id = 0;
}

/* Is the barrier being aligned at op complete? Then snapshot, forward,
 * release the held ports. */
static bool
check_aligned(sl_op *op, sl_error **errp)
{
	struct sl_op_ck *c = op->ck;
	int ready = c->nblocked;
	uint64_t id = c->id;
	double align;
	for (int p = 0; p < op->nports; p++)
		if (!c->blocked[p] && op->port_ended[p])
			ready++;
	if (ready < op->nports) {
		sl_crash_point("mid-alignment", id);
		return true;
	}
	align = mono_ms() - c->start_ms;
	unblock_all(op);
	if (!snapshot_forward(op, id, align, true, errp))
		return false;
	return replay_held(op, errp);
}

/* Barrier id on input port `port` of op. */
static bool
op_barrier(sl_op *op, int port, uint64_t id, sl_error **errp)
{
	if (op->ck->buf) {
		sl_msg m = {.kind = SL_MSG_BARRIER, .u.checkpoint_id = (int64_t)id};
		if (hold_msg(op, port, &m))
			return true;
	}
	return barrier_at(op, port, id, errp);
}

/* op_barrier past the held-message check (also for replayed barriers). */
static bool
barrier_at(sl_op *op, int port, uint64_t id, sl_error **errp)
{
	struct sl_op_ck *c = op->ck;
	if (id <= c->done_id || (c->id && id < c->id))
		return true;            /* a checkpoint already taken or given up */
	if (op->nports <= 1)
		return snapshot_forward(op, id, 0, true, errp);
	if (c->id && id > c->id) {
		/* a newer barrier overtook an alignment that can no longer
		 * complete usefully (its checkpoint was aborted): give it up */
		unblock_all(op);
	}
	if (!c->id) {
		c->id = id;
		c->start_ms = mono_ms();
	}
	if (!c->blocked[port]) {
		c->blocked[port] = true;
		c->nblocked++;
	}
	if (!check_aligned(op, errp))
		return false;
	return replay_held(op, errp);
}

/* ---------------------------------------------------------------------
 * Exchange: receiver half (a pass-through with one port per producer)
 * ------------------------------------------------------------------- */
static bool
pass_push(sl_op *op, int port, sl_chunk *chunk, sl_error **errp)
{
	(void)port;
	return sl_op_emit(op, chunk, errp);
}

static const sl_op_ops exrecv_ops = {.name = "ExchangeReceive", .push = pass_push};

bool
sl_op_init_union(sl_op *op, sl_arena *a, sl_error **errp)
{
	static const sl_op_ops union_ops = {.name = "Union", .push = pass_push};
	(void)a;
	(void)errp;
	op->ops = &union_ops;
	return true;
}

/* ---------------------------------------------------------------------
 * Exchange: sender half
 * ------------------------------------------------------------------- */
static void
send_msg(sl_op *op, int j, const sl_msg *m)
{
	exsend *s = op->priv;
	if (s->q[j].n == 0 && sl_channel_try_send(s->ch[j], m))
		return;
	msgq_push(&s->q[j], m);
	op->task->pending++;
}

/* Try to move outbox messages into their channels; true if any moved. */
static bool
flush_outbox(sl_op *op)
{
	exsend *s = op->priv;
	bool moved = false;
	for (int j = 0; j < s->pout; j++) {
		msgq *q = &s->q[j];
		while (q->n && sl_channel_try_send(s->ch[j], &q->m[q->head])) {
			q->head = (q->head + 1) % q->cap;
			q->n--;
			op->task->pending--;
			moved = true;
		}
	}
	return moved;
}

static bool
exsend_open(sl_op *op, sl_error **errp)
{
	exsend *s = op->priv;
	(void)errp;
	s->pool = sl_chunk_pool_new(s->x->types, s->x->rel->nfields, 0);
	return true;
}

static void
send_stage(sl_op *op, int j)
{
	exsend *s = op->priv;
	if (s->stage[j] && s->stage[j]->count) {
		sl_msg m = {.kind = SL_MSG_DATA, .u.chunk = s->stage[j]};
		send_msg(op, j, &m);
		s->stage[j] = NULL;
	}
}

static void
send_wm_all(sl_op *op, int64_t wm)
{
	exsend *s = op->priv;
	sl_msg m = {.kind = SL_MSG_WATERMARK, .u.watermark = wm};
	for (int j = 0; j < s->pout; j++) {
		send_stage(op, j);
		send_msg(op, j, &m);
	}
	s->has_held_wm = false;
	s->rows_since_wm = 0;
	s->wms_held = 0;
}

static bool
exsend_push(sl_op *op, int port, sl_chunk *chunk, sl_error **errp)
{
	exsend *s = op->priv;
	const exchange *x = s->x;
	sl_msg m = {.kind = SL_MSG_DATA};
	(void)port;
	(void)errp;
	switch (x->rel->dist) {
	case SL_DIST_HASH: {
		uint32_t live = sl_chunk_live(chunk);
		for (int j = 0; j < s->pout; j++)
			s->nrows[j] = 0;
		if (s->pout == 1 && (size_t)live * 2 >= chunk->capacity) {
			/* one consumer and a chunk at least half full: hand it on
			 * as it is (after the rows staged before it) instead of
			 * copying its rows; sparse chunks are still packed */
			send_stage(op, 0);
			m.u.chunk = chunk;
			send_msg(op, 0, &m);
			s->rows_since_wm += live;
			if (s->has_held_wm && s->rows_since_wm >= (uint64_t)SL_CHUNK_CAPACITY)
				send_wm_all(op, s->held_wm);
			return true;
		}
		if (s->pout == 1) {
			/* one consumer owns every key group: no key to encode and hash */
			for (uint32_t i = 0; i < live; i++)
				s->rows[0][i] = (uint16_t)(chunk->sel ? chunk->sel[i] : i);
			s->nrows[0] = live;
		} else {
			sl_chunk_key_groups(chunk, x->rel->keys, x->rel->nkeys, SL_JOB_MAXP, s->kg,
			                    &s->kbuf);
			for (uint32_t i = 0; i < live; i++) {
				uint32_t r = chunk->sel ? chunk->sel[i] : i;
				int j = x->owner[s->kg[r]];
				s->rows[j][s->nrows[j]++] = (uint16_t)r;
			}
		}
		for (int j = 0; j < s->pout; j++) {
			uint32_t done = 0;
			while (done < s->nrows[j]) {
				if (!s->stage[j])
					s->stage[j] = sl_chunk_pool_get(s->pool);
				done += sl_chunk_copy_rows(s->stage[j], chunk, s->rows[j] + done, s->nrows[j] - done);
				if (sl_chunk_full(s->stage[j]))
					send_stage(op, j);
			}
		}
		s->rows_since_wm += live;
		sl_chunk_unref(chunk);
		if (s->has_held_wm && s->rows_since_wm >= (uint64_t)SL_CHUNK_CAPACITY * s->pout)
			send_wm_all(op, s->held_wm);
		return true;
	}
	case SL_DIST_BROADCAST:
		for (int j = 0; j < s->pout; j++) {
			m.u.chunk = j + 1 < s->pout ? sl_chunk_ref(chunk) : chunk;
			send_msg(op, j, &m);
		}
		return true;
	case SL_DIST_SINGLE:
		m.u.chunk = chunk;
		send_msg(op, 0, &m);
		return true;
	default:
		m.u.chunk = chunk;
		send_msg(op, (int)(s->rr++ % (uint32_t)s->pout), &m);
		return true;
	}
}

static bool
exsend_watermark(sl_op *op, int64_t wm, sl_error **errp)
{
	exsend *s = op->priv;
	(void)errp;
	if (s->x->rel->dist == SL_DIST_HASH && wm != INT64_MAX) {
		/* hold it until about a chunk per consumer has been routed, so
		 * staging chunks fill up (watermarks follow their data) */
		s->held_wm = wm;
		s->has_held_wm = true;
		if (s->rows_since_wm < (uint64_t)SL_CHUNK_CAPACITY * s->pout &&
		    ++s->wms_held < SL_EXCHANGE_MAX_HELD_WMS)
			return true;
	}
	send_wm_all(op, wm);
	return true;
}

static bool
exsend_end(sl_op *op, sl_error **errp)
{
	exsend *s = op->priv;
	sl_msg m = {.kind = SL_MSG_END_OF_INPUT};
	(void)errp;
	if (s->has_held_wm)
		send_wm_all(op, s->held_wm);
	for (int j = 0; j < s->pout; j++) {
		send_stage(op, j);
		send_msg(op, j, &m);
	}
	return true;
}

static void
exsend_close(sl_op *op)
{
	exsend *s = op->priv;
	for (int j = 0; j < s->pout; j++) {
		if (s->stage[j])
			sl_chunk_unref(s->stage[j]);
		msgq_drop(&s->q[j]);
		free(s->rows[j]);
	}
	sl_strbuf_free(&s->kbuf);
	if (s->pool)
		sl_chunk_pool_free(s->pool);
}

/* Barrier id reached this sender: the rows before it leave first (staging
 * chunks, a held watermark), then the barrier goes to every consumer. */
static bool
exsend_barrier(sl_op *op, uint64_t id)
{
	exsend *s = op->priv;
	sl_msg m = {.kind = SL_MSG_BARRIER, .u.checkpoint_id = (int64_t)id};
	if (s->has_held_wm)
		send_wm_all(op, s->held_wm);
	for (int j = 0; j < s->pout; j++) {
		send_stage(op, j);
		send_msg(op, j, &m);
	}
	return true;
}

static const sl_op_ops exsend_ops = {
	.name = "ExchangeSend", .open = exsend_open, .push = exsend_push,
	.watermark = exsend_watermark, .end = exsend_end, .close = exsend_close,
};

/* ---------------------------------------------------------------------
 * Building the job
 * ------------------------------------------------------------------- */
static sl_op *
new_inst(sl_job *job, const sl_rel *rel, int subtask, int par, int nports, int index)
{
	sl_op *op = SL_ANEW(job->arena, sl_op);
	op->index = index;
	op->rel = rel;
	op->job = job;
	op->task = &job->tasks[subtask];
	op->subtask = subtask;
	op->parallelism = par;
	op->nports = nports;
	op->port_wm = SL_ANEWN(job->arena, int64_t, nports + 1);
	op->port_wm_seen = SL_ANEWN(job->arena, int64_t, nports + 1);
	op->port_ended = SL_ANEWN(job->arena, bool, nports + 1);
	for (int i = 0; i < nports; i++)
		op->port_wm[i] = op->port_wm_seen[i] = INT64_MIN;
	op->wm = INT64_MIN;
	op->wm_sent = INT64_MIN;
	op->proc_next = INT64_MAX;     /* no processing-time timer yet */
	op->restored_id = job->restore.id;
	op->ck = SL_ANEW(job->arena, struct sl_op_ck);
	if (nports > 1) {
		op->ck->blocked = SL_ANEWN(job->arena, bool, nports);
		op->ck->buf = SL_ANEWN(job->arena, msgq, nports);
	}
	return op;
}

static void
add_edge(sl_job *job, sl_op *from, sl_op *to, int port)
{
	sl_op_edge *e = SL_ANEWN(job->arena, sl_op_edge, from->nout + 1);
	if (from->nout)
		memcpy(e, from->out, sizeof *e * (size_t)from->nout);
	e[from->nout].op = to;
	e[from->nout].port = port;
	from->out = e;
	from->nout++;
}

static bool
init_node_op(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_rel *r = op->rel;
	switch (r->tag) {
	case T_PCalc:
		return sl_op_init_calc(op, a, errp);
	case T_PValues:
		return sl_op_init_values(op, a, errp);
	case T_PWatermarkAssigner:
		return sl_op_init_watermark(op, a, errp);
	case T_PUnion:
		return sl_op_init_union(op, a, errp);
	case T_PGroupAggregate:
	case T_PGlobalGroupAggregate:
		return sl_op_init_group_agg(op, a, errp);
	case T_PLocalGroupAggregate:
	case T_PLocalWindowAggregate:
		return sl_op_init_local_agg(op, a, errp);
	case T_PDeduplicate:
		return sl_op_init_dedup(op, a, errp);
	case T_PChangelogNormalize:
		return sl_op_init_changelog_normalize(op, a, errp);
	case T_PRank:
		return sl_op_init_rank(op, a, errp);
	case T_PWindowRank:
		return sl_op_init_window_rank(op, a, errp);
	case T_POverAggregate:
		return sl_op_init_over_agg(op, a, errp);
	case T_PWindowTableFunction:
		return sl_op_init_window_tvf(op, a, errp);
	case T_PCorrelate:
		return sl_op_init_correlate(op, a, errp);
	case T_PWindowAggregate:
	case T_PGlobalWindowAggregate:
		return sl_op_init_window_agg(op, a, errp);
	case T_PGroupWindowAggregate:
		return sl_op_init_group_window_agg(op, a, errp);
	case T_PJoin:
		return sl_op_init_join(op, a, errp);
	case T_PIntervalJoin:
		return sl_op_init_interval_join(op, a, errp);
	case T_PWindowJoin:
		return sl_op_init_window_join(op, a, errp);
	case T_PTemporalJoin:
		return sl_op_init_temporal_join(op, a, errp);
	case T_PLookupJoin:
		return sl_op_init_lookup_join(op, a, errp);
	case T_PTableSourceScan: {
		const char *c = r->table ? r->table->connector : NULL;
		if (c && sl_streq_ci(c, "nexmark"))
			return sl_op_init_nexmark_source(op, a, errp);
		if (c && sl_streq_ci(c, "datagen"))
			return sl_op_init_datagen_source(op, a, errp);
		if (c && sl_streq_ci(c, "filesystem"))
			return sl_op_init_filesystem_source(op, a, errp);
		if (c && (sl_streq_ci(c, "kafka") || sl_streq_ci(c, "upsert-kafka")))
			return sl_op_init_kafka_source(op, a, errp);
		*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, r->span,
		                     "sluice run cannot read connector \"%s\" yet", c ? c : "?");
		return false;
	}
	case T_PSink: {
		const char *c = r->sink ? r->sink->connector : NULL;
		if (!c || sl_streq_ci(c, "print"))
			return sl_op_init_print_sink(op, a, errp);
		if (sl_streq_ci(c, "blackhole"))
			return sl_op_init_blackhole_sink(op, a, errp);
		if (sl_streq_ci(c, "filesystem"))
			return sl_op_init_filesystem_sink(op, a, errp);
		if (sl_streq_ci(c, "kafka") || sl_streq_ci(c, "upsert-kafka"))
			return sl_op_init_kafka_sink(op, a, errp);
		*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, r->span,
		                     "sluice run cannot write connector \"%s\" yet", c);
		return false;
	}
	default:
		*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, r->span,
		                     "sluice run cannot execute %s yet", sl_rel_name(r->tag));
		return false;
	}
}

static void
task_add(sl_job *job, sl_task *t, sl_op ***arr, int *n, sl_op *op)
{
	sl_op **na = SL_ANEWN(job->arena, sl_op *, *n + 1);
	if (*n)
		memcpy(na, *arr, sizeof *na * (size_t)*n);
	na[(*n)++] = op;
	*arr = na;
	(void)t;
}

sl_job *
sl_job_new(const sl_plan *plan, const sl_job_options *opts, sl_error **errp)
{
	return sl_job_new_plans(&plan, 1, opts, errp);
}

/* Index in job->ops of the input `in` of the op at index k (same plan). */
static int
idx_of(const sl_job *job, int k, const sl_rel *in)
{
	return job->base[k] + in->id - 1;
}

sl_job *
sl_job_new_plans(const sl_plan *const *plans, int nplans, const sl_job_options *opts,
                 sl_error **errp)
{
	sl_job *job = calloc(1, sizeof *job);
	int nops = 0;
	if (!job)
		abort();
	for (int i = 0; i < nplans; i++)
		nops += plans[i]->nops;
	job->nops = nops;
	job->ops = calloc((size_t)nops + 1, sizeof *job->ops);
	job->base = calloc((size_t)nops + 1, sizeof *job->base);
	if (!job->ops || !job->base)
		abort();
	for (int i = 0, k = 0; i < nplans; i++) {
		int b = k;
		for (int j = 0; j < plans[i]->nops; j++, k++) {
			job->ops[k] = plans[i]->ops[j];
			job->base[k] = b;
		}
	}
	if (opts)
		job->opts = *opts;
	if (!job->opts.channel_capacity)
		job->opts.channel_capacity = 64;
	job->arena = sl_arena_new(NULL, "job");
	pthread_mutex_init(&job->lock, NULL);
	pthread_cond_init(&job->cond, NULL);
	job->nthreads = 1;
	for (int i = 0; i < nops; i++)
		if (job->ops[i]->parallelism > job->nthreads)
			job->nthreads = job->ops[i]->parallelism;
	job->tasks = SL_ANEWN(job->arena, sl_task, job->nthreads);
	for (int t = 0; t < job->nthreads; t++) {
		job->tasks[t].job = job;
		job->tasks[t].index = t;
		atomic_init(&job->tasks[t].wm, INT64_MIN);
	}
	if (job->opts.restore_dir) {
		/* a restore usually follows a crash: its local state dirs go */
		sl_ckpt_clean_stale_local(getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (!sl_ckpt_read_meta(job->opts.restore_dir, &job->restore, errp)) {
			sl_job_free(job);
			return NULL;
		}
		if (job->restore.nops != nops) {
			*errp = sl_error_new(SL_ERR_CHECKPOINT, SL_SPAN_NONE,
			                     "checkpoint \"%s\" belongs to a different job: it has %d operators, "
			                     "this job has %d",
			                     job->opts.restore_dir, job->restore.nops, nops);
			sl_job_free(job);
			return NULL;
		}
		for (int k = 0; k < nops; k++)
			if (strcmp(job->restore.names[k], sl_rel_name(job->ops[k]->tag)) != 0) {
				*errp = sl_error_new(SL_ERR_CHECKPOINT, SL_SPAN_NONE,
				                     "checkpoint \"%s\" belongs to a different job: operator %d "
				                     "is %s there, %s here",
				                     job->opts.restore_dir, k, job->restore.names[k],
				                     sl_rel_name(job->ops[k]->tag));
				sl_job_free(job);
				return NULL;
			}
	}
	{
		const char *f = getenv("SLUICE_FAIL_AT");
		if (f)
			job->fail_at = strtoull(f, NULL, 10);
	}
	job->inst = SL_ANEWN(job->arena, sl_op **, nops);
	job->xs = SL_ANEWN(job->arena, exchange *, nops);
	job->senders = SL_ANEWN(job->arena, sl_op **, nops);

	/* 1. instances, in id order (inputs before consumers) */
	for (int k = 0; k < nops; k++) {
		const sl_rel *r = job->ops[k];
		int par = r->parallelism > 0 ? r->parallelism : 1;
		SL_ASSERT(r->id == k - job->base[k] + 1);
		job->inst[k] = SL_ANEWN(job->arena, sl_op *, par);
		if (r->tag == T_PExchange) {
			exchange *x = SL_ANEW(job->arena, exchange);
			const sl_rel *in = r->inputs[0];
			x->rel = r;
			x->pin = in->parallelism > 0 ? in->parallelism : 1;
			x->pout = par;
			x->types = sl_op_field_types(job->arena, r);
			x->ch = SL_ANEWN(job->arena, sl_channel *, x->pin * x->pout);
			for (int c = 0; c < x->pin * x->pout; c++)
				x->ch[c] = sl_channel_inproc_new(job->opts.channel_capacity);
			x->owner = SL_ANEWN(job->arena, uint8_t, SL_JOB_MAXP);
			for (int j = 0; j < x->pout; j++) {
				int first, last;
				sl_state_task_range(SL_JOB_MAXP, x->pout, j, &first, &last);
				for (int g = first; g <= last; g++)
					x->owner[g] = (uint8_t)j;
			}
			job->xs[k] = x;
			job->senders[k] = SL_ANEWN(job->arena, sl_op *, x->pin);
			for (int i = 0; i < x->pin; i++) {
				sl_op *op = new_inst(job, NULL, i, x->pin, 1, k);
				exsend *s = SL_ANEW(job->arena, exsend);
				op->ck = NULL;    /* senders forward barriers, never ack */
				s->x = x;
				s->xid = k;
				s->pout = x->pout;
				s->ch = x->ch + (size_t)i * x->pout;
				s->q = SL_ANEWN(job->arena, msgq, x->pout);
				s->stage = SL_ANEWN(job->arena, sl_chunk *, x->pout);
				s->rows = SL_ANEWN(job->arena, uint16_t *, x->pout);
				s->nrows = SL_ANEWN(job->arena, uint32_t, x->pout);
				for (int j = 0; j < x->pout; j++)
					s->rows[j] = malloc(sizeof(uint16_t) * SL_CHUNK_CAPACITY);
				op->ops = &exsend_ops;
				op->priv = s;
				job->senders[k][i] = op;
			}
			for (int j = 0; j < par; j++) {
				sl_op *op = new_inst(job, r, j, par, x->pin, k);
				op->ops = &exrecv_ops;
				job->inst[k][j] = op;
			}
			continue;
		}
		for (int s = 0; s < par; s++) {
			sl_op *op = new_inst(job, r, s, par, r->ninputs, k);
			if (!init_node_op(op, job->arena, errp)) {
				sl_job_free(job);
				return NULL;
			}
			job->inst[k][s] = op;
		}
		if (r->tag == T_PSink)
			job->has_sinks = true;
	}

	/* 2. edges */
	for (int k = 0; k < nops; k++) {
		const sl_rel *r = job->ops[k];
		int par = r->parallelism > 0 ? r->parallelism : 1;
		if (r->tag == T_PExchange) {
			const sl_rel *in = r->inputs[0];
			exchange *x = job->xs[k];
			for (int i = 0; i < x->pin; i++)
				add_edge(job, job->inst[idx_of(job, k, in)][i], job->senders[k][i], 0);
			continue;
		}
		for (int p = 0; p < r->ninputs; p++) {
			const sl_rel *in = r->inputs[p];
			int ipar = in->parallelism > 0 ? in->parallelism : 1;
			if (in->tag != T_PExchange && ipar != par) {
				*errp = sl_error_new(SL_ERR_INTERNAL, r->span,
				                     "forward edge from %s (parallelism %d) to %s (parallelism %d)",
				                     sl_rel_name(in->tag), ipar, sl_rel_name(r->tag), par);
				sl_job_free(job);
				return NULL;
			}
			for (int s = 0; s < par; s++)
				add_edge(job, job->inst[idx_of(job, k, in)][s], job->inst[k][s], p);
		}
	}

	/* 3. tasks: ops in id order, sources, receivers' channels, senders */
	for (int k = 0; k < nops; k++) {
		const sl_rel *r = job->ops[k];
		int par = r->parallelism > 0 ? r->parallelism : 1;
		if (r->tag == T_PExchange) {
			exchange *x = job->xs[k];
			for (int i = 0; i < x->pin; i++) {
				sl_task *t = &job->tasks[i];
				task_add(job, t, &t->ops, &t->nops, job->senders[k][i]);
				task_add(job, t, &t->senders, &t->nsenders, job->senders[k][i]);
			}
			for (int j = 0; j < par; j++) {
				sl_task *t = &job->tasks[j];
				rxport *nrx = SL_ANEWN(job->arena, rxport, t->nrx + x->pin);
				if (t->nrx)
					memcpy(nrx, t->rx, sizeof *nrx * (size_t)t->nrx);
				for (int i = 0; i < x->pin; i++) {
					rxport *p = &nrx[t->nrx + i];
					p->op = job->inst[k][j];
					p->port = i;
					p->ch = x->ch[(size_t)i * x->pout + j];
					p->xid = k;
				}
				t->rx = nrx;
				t->nrx += x->pin;
				task_add(job, t, &t->ops, &t->nops, job->inst[k][j]);
			}
			continue;
		}
		for (int s = 0; s < par; s++) {
			sl_task *t = &job->tasks[s];
			task_add(job, t, &t->ops, &t->nops, job->inst[k][s]);
			if (r->tag == T_PTableSourceScan || r->ninputs == 0)
				task_add(job, t, &t->sources, &t->nsources, job->inst[k][s]);
		}
	}
	for (int t = 0; t < job->nthreads; t++) {
		job->tasks[t].source_done = SL_ANEWN(job->arena, bool, job->tasks[t].nsources + 1);
		job->tasks[t].align = SL_ANEWN(job->arena, srcalign, job->tasks[t].nsources + 1);
	}
	for (int k = 0; k < nops; k++) {
		const sl_rel *r = job->ops[k];
		int par = r->parallelism > 0 ? r->parallelism : 1;
		if (par < 2 || r->tag == T_PExchange || !job->inst[k][0]->ops->align_pos)
			continue;
		_Atomic int64_t *pos = SL_ANEWN(job->arena, _Atomic int64_t, par);
		for (int s = 0; s < par; s++) {
			sl_task *t = &job->tasks[s];
			atomic_init(&pos[s], 0);
			for (int i = 0; i < t->nsources; i++)
				if (t->sources[i] == job->inst[k][s])
					t->align[i] = (srcalign){pos, par, s};
		}
	}

	/* 4. the checkpoint coordinator */
	if (job->opts.checkpoint_interval_ms > 0 || job->opts.savepoints) {
		sl_ckpt_config cc = {0};
		sl_ckpt_opinfo *oi = calloc((size_t)nops + 1, sizeof *oi);
		uint64_t first = job->restore.id;
		if (!oi)
			abort();
		cc.interval_ms = job->opts.checkpoint_interval_ms;
		cc.timeout_ms = job->opts.checkpoint_timeout_ms;
		cc.retain = job->opts.checkpoints_retained;
		cc.dir = job->opts.checkpoint_dir;
		cc.final_checkpoint = job->opts.checkpoint_interval_ms > 0;
		cc.log = job->opts.checkpoint_log;
		if (cc.interval_ms > 0 && !cc.dir) {
			*errp = sl_error_new(SL_ERR_CHECKPOINT, SL_SPAN_NONE,
			                     "checkpointing needs a checkpoint directory ('state.checkpoints.dir')");
			free(oi);
			sl_job_free(job);
			return NULL;
		}
		if (cc.dir) {
			uint64_t found = sl_ckpt_scan_ids(cc.dir);
			if (found > first)
				first = found;
		}
		for (int k = 0; k < nops; k++) {
			oi[k].name = sl_rel_name(job->ops[k]->tag);
			oi[k].parallelism = job->ops[k]->parallelism > 0 ? job->ops[k]->parallelism : 1;
		}
		job->ck = sl_ckpt_new(&cc, nops, oi, job->nthreads, first + 1, errp);
		free(oi);
		if (!job->ck) {
			sl_job_free(job);
			return NULL;
		}
	}
	return job;
}

/* ---------------------------------------------------------------------
 * Source alignment
 *
 * The subtasks of a generator source (nexmark, datagen: op.h align_pos)
 * each produce every P-th event of one stream. Nothing else keeps them
 * together: the exchange's channels bound the rows in flight, not how far
 * one subtask's source has got. A thread that spends its steps on the
 * other thread's rows polls its own source rarely, and its sibling then
 * ran millions of events ahead (q17 at p=2, seen in about one run in
 * five): every keyed instance then held the keys of two distant parts
 * of the stream, its cache evicted the lagging part's keys before their
 * last rows came, and it read ~210k of them back from RocksDB (4.5 s
 * instead of 2.1 s). So a subtask whose position is more than
 * SL_JOB_ALIGN_LEAD ahead of a sibling's skips its source until the
 * sibling catches up; its thread meanwhile drains its inputs. A sibling
 * that ended publishes INT64_MAX, so it never holds anyone back.
 * ------------------------------------------------------------------- */
static bool
source_ahead(const srcalign *a)
{
	if (!a->pos)
		return false;
	int64_t mine = atomic_load_explicit(&a->pos[a->self], memory_order_relaxed);
	if (mine == INT64_MAX)
		return false; /* exhausted: its next poll ends it, at once */
	for (int j = 0; j < a->n; j++)
		if (j != a->self &&
		    atomic_load_explicit(&a->pos[j], memory_order_relaxed) < mine - SL_JOB_ALIGN_LEAD)
			return true;
	return false;
}

/* Publish source i's position; after a poll (polled) also note how far
 * it is ahead of its furthest-behind sibling (sl_job_stats.source_lead). */
static void
source_publish(sl_task *t, int i, bool polled)
{
	const srcalign *a = &t->align[i];
	if (!a->pos)
		return;
	sl_op *src = t->sources[i];
	int64_t pos = t->source_done[i] ? INT64_MAX : src->ops->align_pos(src);
	atomic_store_explicit(&a->pos[a->self], pos, memory_order_relaxed);
	if (!polled || pos == INT64_MAX)
		return;
	int64_t lead = 0;
	for (int j = 0; j < a->n; j++) {
		int64_t o = atomic_load_explicit(&a->pos[j], memory_order_relaxed);
		if (j != a->self && pos - o > lead)
			lead = pos - o;
	}
	if (lead > atomic_load_explicit(&t->source_lead, memory_order_relaxed))
		atomic_store_explicit(&t->source_lead, lead, memory_order_relaxed);
}

/* ---------------------------------------------------------------------
 * The worker loop
 * ------------------------------------------------------------------- */
static bool
rx_allowed(const sl_task *t, int xid)
{
	/* Pull from an exchange only while the outboxes of later stages are
	 * short: the last stage always drains, so every stage eventually
	 * does, and a full channel never deadlocks two threads. */
	if (t->pending <= SL_JOB_PENDING_LIMIT)
		return true;
	for (int i = 0; i < t->nsenders; i++) {
		exsend *s = t->senders[i]->priv;
		if (s->xid > xid)
			for (int j = 0; j < s->pout; j++)
				if (s->q[j].n > SL_JOB_PENDING_LIMIT)
					return false;
	}
	return true;
}

/* Between polls: deliver notify_complete of a completed checkpoint, and
 * start a requested one: every live source snapshots and injects the
 * barrier; instances that already ended (and so will never see it)
 * snapshot their final state at once. */
static bool
task_checkpoint(sl_task *t, bool *progress, sl_error **errp)
{
	sl_job *job = t->job;
	sl_ckpt *ck = job->ck;
	uint64_t n, id;
	bool sp;
	if (!ck)
		return true;
	n = sl_ckpt_notify_id(ck);
	if (n > t->notified) {
		for (int i = 0; i < t->nops; i++) {
			sl_op *op = t->ops[i];
			if (op->ops->notify_complete && !op->ops->notify_complete(op, n, errp))
				return false;
		}
		t->notified = n;
		sl_ckpt_task_notified(ck, t->index, n);
		*progress = true;
		if (job->fail_at && n >= job->fail_at && job->restore.id < job->fail_at && t->index == 0) {
			*errp = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE,
			                     "injected task failure after checkpoint %" PRIu64
			                     " (SLUICE_FAIL_AT)", n);
			return false;
		}
	}
	id = sl_ckpt_request(ck, &sp);
	if (id <= t->ck_seen)
		return true;
	t->ck_seen = id;
	*progress = true;
	for (int i = 0; i < t->nsources; i++) {
		sl_op *src = t->sources[i];
		if (src->ck->done_id >= id)
			continue;
		if (!snapshot_forward(src, id, 0, !t->source_done[i], errp))
			return false;
	}
	if (sp)
		t->sources_stopped = true;
	for (int i = 0; i < t->nops; i++) {
		sl_op *op = t->ops[i];
		if (op->ck && op->ended && op->ck->done_id < id &&
		    !snapshot_forward(op, id, 0, false, errp))
			return false;
	}
	return true;
}

static bool
task_step(sl_task *t, bool *progress, bool *done, sl_error **errp)
{
	bool all_done = true;
	if (!task_checkpoint(t, progress, errp))
		return false;
	for (int i = 0; i < t->nsenders; i++)
		if (flush_outbox(t->senders[i]))
			*progress = true;
	for (int i = 0; i < t->nrx; i++) {
		rxport *p = &t->rx[i];
		if (p->done)
			continue;
		all_done = false;
		if (!rx_allowed(t, p->xid))
			continue;
		for (int n = 0; n < 8 && !p->done; n++) {
			sl_msg m;
			sl_recv_status st;
			if (p->op->ck->blocked && p->op->ck->blocked[p->port])
				break;          /* barrier alignment holds this channel */
			st = sl_channel_recv(p->ch, &m, 0, errp);
			if (st == SL_RECV_TIMEOUT)
				break;
			if (st == SL_RECV_ERROR)
				return false;
			*progress = true;
			if (st == SL_RECV_CLOSED) {
				p->done = true;
				if (!sl_op_input_end(p->op, p->port, errp))
					return false;
				break;
			}
			switch (m.kind) {
			case SL_MSG_DATA:
				if (!sl_op_input_chunk(p->op, p->port, m.u.chunk, errp))
					return false;
				break;
			case SL_MSG_WATERMARK:
				if (!sl_op_input_watermark(p->op, p->port, m.u.watermark, errp))
					return false;
				break;
			case SL_MSG_END_OF_INPUT:
				p->done = true;
				if (!sl_op_input_end(p->op, p->port, errp))
					return false;
				break;
			case SL_MSG_BARRIER:
				sl_crash_point("barrier-received", (uint64_t)m.u.checkpoint_id);
				if (!op_barrier(p->op, p->port, (uint64_t)m.u.checkpoint_id, errp))
					return false;
				break;
			}
		}
	}
	for (int i = 0; i < t->nsources; i++) {
		if (t->source_done[i])
			continue;
		all_done = false;
		if (t->pending > SL_JOB_PENDING_LIMIT || t->sources_stopped)
			continue;
		if (source_ahead(&t->align[i]))
			continue;
		switch (t->sources[i]->ops->poll(t->sources[i], errp)) {
		case SL_POLL_MORE:
			*progress = true;
			break;
		case SL_POLL_IDLE:
			break;
		case SL_POLL_END:
			*progress = true;
			t->source_done[i] = true;
			break;
		case SL_POLL_ERROR:
			return false;
		}
		source_publish(t, i, true);
	}
	if (t->nproc && !task_proctime(t, progress, errp))
		return false;
	if (t->pending)
		all_done = false;
	*done = all_done;
	return true;
}

/* Nothing to do: send the watermarks hash exchanges are holding back (and
 * the partial chunks before them), so a slow source still moves event
 * time forward. true if anything was sent. */
static bool
task_idle_flush(sl_task *t)
{
	bool sent = false;
	for (int i = 0; i < t->nsenders; i++) {
		exsend *s = t->senders[i]->priv;
		if (s->has_held_wm) {
			send_wm_all(t->senders[i], s->held_wm);
			sent = true;
		}
	}
	return sent;
}

static void *
task_main(void *arg)
{
	sl_task *t = arg;
	sl_job *job = t->job;
	sl_error *err = NULL;
	int idle = 0;

	for (int i = 0; i < t->nops; i++) {
		sl_op *op = t->ops[i];
		if (op->ops->open && !op->ops->open(op, &err))
			goto fail;
	}
	for (int i = 0; i < t->nsources; i++)
		source_publish(t, i, false);
	for (int i = 0; i < t->nops; i++)
		if (t->ops[i]->ops->proc_timer)
			t->nproc++;
	if (t->nproc) {
		t->procops = calloc((size_t)t->nproc, sizeof *t->procops);
		if (!t->procops)
			abort();
		t->nproc = 0;
		for (int i = 0; i < t->nops; i++)
			if (t->ops[i]->ops->proc_timer)
				t->procops[t->nproc++] = t->ops[i];
	}
	if (job->ck)
		for (int i = 0; i < t->nops; i++) {
			/* an operator with a snapshot hook writes its blobs into its
			 * backend: open it now, not inside the first checkpoint
			 * (opening RocksDB takes a while) */
			sl_op *op = t->ops[i];
			if (op->ck && op->ops->snapshot && !op->ops->snapshot_flush_only && !op->state &&
			    !sl_op_state(op, &err))
				goto fail;
		}
	if (job->restore.id) {
		/* finish what the restored checkpoint's 2PC sinks had pending,
		 * before any data */
		for (int i = 0; i < t->nops; i++) {
			sl_op *op = t->ops[i];
			if (op->ops->notify_complete && !op->ops->notify_complete(op, job->restore.id, &err))
				goto fail;
		}
		t->notified = job->restore.id;
		t->ck_seen = job->restore.id;
		/* The restored checkpoint counts as taken by every instance.
		 * Without this an instance ending before the next barrier
		 * request reached this thread saw ck_seen > done_id in
		 * input_end and re-ran its snapshot hook for the restored id:
		 * the exactly-once Kafka sink sealed the rows since the
		 * restore as a second epoch of that id and its replay skipped
		 * some as already written (tests/kafka/restore-end.sh). */
		for (int i = 0; i < t->nops; i++)
			if (t->ops[i]->ck && t->ops[i]->ck->done_id < job->restore.id)
				t->ops[i]->ck->done_id = job->restore.id;
	}
	if (job->ck)
		sl_ckpt_task_running(job->ck);
	while (!atomic_load_explicit(&job->cancel, memory_order_relaxed)) {
		bool progress = false, done = false;
		if (job->ck && sl_ckpt_should_stop(job->ck))
			break;
		if (!task_step(t, &progress, &done, &err))
			goto fail;
		if (done && job->ck && job->opts.checkpoint_interval_ms > 0) {
			/* keep answering until the final checkpoint is complete
			 * and notified (2PC sinks commit the last rows) */
			sl_ckpt_task_quiesced(job->ck, t->index);
		} else if (done) {
			break;
		}
		if (progress) {
			idle = 0;
		} else if (task_idle_flush(t)) {
			idle = 0;
		} else if (++idle < 64) {
			sched_yield();
		} else {
			struct timespec ts = {0, idle < 1000 ? 20000 : 200000};
			nanosleep(&ts, NULL);
		}
	}
	goto out;
fail:
	if (!err)
		err = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE, "operator failed without an error");
	job_fail(job, err);
out:
	free(t->procops);
	t->procops = NULL;
	t->nproc = 0;
	atomic_store(&t->finished, true);
	pthread_mutex_lock(&job->lock);
	atomic_fetch_add(&job->nfinished, 1);
	pthread_cond_broadcast(&job->cond);
	pthread_mutex_unlock(&job->lock);
	return NULL;
}

bool
sl_job_start(sl_job *job, sl_error **errp)
{
	if (job->ck && !sl_ckpt_start(job->ck, errp))
		return false;
	for (int t = 0; t < job->nthreads; t++) {
		int rc = pthread_create(&job->tasks[t].thread, NULL, task_main, &job->tasks[t]);
		if (rc) {
			*errp = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE, "cannot start worker thread: %s",
			                     strerror(rc));
			sl_job_cancel(job);
			return false;
		}
		job->tasks[t].started = true;
	}
	return true;
}

bool
sl_job_wait(sl_job *job, int64_t timeout_us)
{
	bool fin;
	pthread_mutex_lock(&job->lock);
	if (timeout_us < 0) {
		while (atomic_load(&job->nfinished) < job->nthreads)
			pthread_cond_wait(&job->cond, &job->lock);
	} else if (atomic_load(&job->nfinished) < job->nthreads) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += timeout_us / 1000000;
		ts.tv_nsec += (timeout_us % 1000000) * 1000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		while (atomic_load(&job->nfinished) < job->nthreads)
			if (pthread_cond_timedwait(&job->cond, &job->lock, &ts) == ETIMEDOUT)
				break;
	}
	fin = atomic_load(&job->nfinished) >= job->nthreads;
	pthread_mutex_unlock(&job->lock);
	return fin;
}

void
sl_job_cancel(sl_job *job)
{
	atomic_store(&job->cancel, true);
}

bool
sl_job_cancelled(const sl_job *job)
{
	return atomic_load(&((sl_job *)job)->cancel);
}

bool
sl_job_finish(sl_job *job, sl_error **errp)
{
	for (int t = 0; t < job->nthreads; t++)
		if (job->tasks[t].started) {
			pthread_join(job->tasks[t].thread, NULL);
			job->tasks[t].started = false;
		}
	if (job->error) {
		*errp = job->error;
		job->error = NULL;
		return false;
	}
	if (job->ck) {
		sl_error *e = sl_ckpt_take_error(job->ck);
		if (e) {
			*errp = e;
			return false;
		}
	}
	return true;
}

void
sl_job_stats_get(sl_job *job, sl_job_stats *out)
{
	memset(out, 0, sizeof *out);
	out->threads = job->nthreads;
	out->watermark = INT64_MAX;
	for (int t = 0; t < job->nthreads; t++) {
		sl_task *k = &job->tasks[t];
		int64_t w = atomic_load_explicit(&k->wm, memory_order_relaxed);
		out->source_rows += atomic_load_explicit(&k->source_rows, memory_order_relaxed);
		out->sink_rows += atomic_load_explicit(&k->sink_rows, memory_order_relaxed);
		if (w < out->watermark)
			out->watermark = w;
		int64_t lead = atomic_load_explicit(&k->source_lead, memory_order_relaxed);
		if (lead > out->source_lead)
			out->source_lead = lead;
	}
	out->finished = atomic_load(&job->nfinished) >= job->nthreads;
}

/* Sinks report their watermark here (progress line). */
void sl_task_note_watermark(sl_task *task, int64_t wm);
void
sl_task_note_watermark(sl_task *task, int64_t wm)
{
	atomic_store_explicit(&task->wm, wm, memory_order_relaxed);
}

void
sl_job_free(sl_job *job)
{
	if (!job)
		return;
	sl_job_cancel(job);
	for (int t = 0; t < job->nthreads; t++)
		if (job->tasks[t].started)
			pthread_join(job->tasks[t].thread, NULL);
	/* uploads read the backends' snapshots: stop them first */
	sl_ckpt_free(job->ck);
	job->ck = NULL;
	/* close every instance after all threads stopped: chunks of one
	 * thread's pools may have been held by another until now */
	for (int t = 0; t < job->nthreads; t++)
		for (int i = 0; i < job->tasks[t].nops; i++) {
			sl_op *op = job->tasks[t].ops[i];
			if (op->ops && op->ops->close)
				op->ops->close(op);
			if (op->state)
				sl_state_close(op->state);
			op->state = NULL;
			if (op->ck && op->ck->buf)
				for (int p = 0; p < op->nports; p++)
					msgq_drop(&op->ck->buf[p]);
		}
	for (int k = 0; k < job->nops; k++) {
		exchange *x = job->xs ? job->xs[k] : NULL;
		if (x)
			for (int c = 0; c < x->pin * x->pout; c++)
				sl_channel_free(x->ch[c]);
	}
	if (job->error)
		sl_error_free(job->error);
	sl_ckpt_meta_free(&job->restore);
	pthread_mutex_destroy(&job->lock);
	pthread_cond_destroy(&job->cond);
	sl_arena_free(job->arena);
	free(job->ops);
	free(job->base);
	free(job);
}

void
sl_job_stop_with_savepoint(sl_job *job, const char *dir)
{
	if (job->ck)
		sl_ckpt_stop_with_savepoint(job->ck, dir);
}

uint64_t
sl_job_savepoint_done(sl_job *job)
{
	return job->ck ? sl_ckpt_savepoint_done(job->ck) : 0;
}

uint64_t
sl_job_restored_id(const sl_job *job)
{
	return job->restore.id;
}

bool
sl_job_find_latest_checkpoint(const char *jobdir, uint64_t *id, char **dir)
{
	return sl_ckpt_find_latest(jobdir, id, dir);
}

void
sl_job_checkpoint_summary(sl_job *job, FILE *f)
{
	int n, done = 0;
	sl_ckpt_stat *st;
	double dsum = 0, dmax = 0, amax = 0, smax = 0;
	uint64_t bsum = 0, bmax = 0, tmax = 0;
	if (!job->ck)
		return;
	st = sl_ckpt_stats(job->ck, &n);
	for (int i = 0; i < n; i++) {
		if (!st[i].completed)
			continue;
		done++;
		dsum += st[i].duration_ms;
		bsum += st[i].bytes_copied;
		dmax = SL_MAX(dmax, st[i].duration_ms);
		amax = SL_MAX(amax, st[i].align_ms);
		smax = SL_MAX(smax, st[i].sync_ms);
		bmax = SL_MAX(bmax, st[i].bytes_copied);
		tmax = SL_MAX(tmax, st[i].bytes_total);
	}
	fprintf(f,
	        "sluice: checkpoints: %d complete, %d aborted; duration avg %.1f ms max %.1f ms; "
	        "alignment max %.2f ms; sync snapshot max %.2f ms; written avg %" PRIu64 " max %" PRIu64
	        " bytes; state max %" PRIu64 " bytes\n",
	        done, n - done, done ? dsum / done : 0.0, dmax, amax, smax,
	        done ? bsum / (uint64_t)done : 0, bmax, tmax);
	free(st);
}

bool
sl_job_run(const sl_plan *plan, const sl_job_options *opts, sl_error **errp)
{
	sl_job *job = sl_job_new(plan, opts, errp);
	bool ok;
	if (!job)
		return false;
	ok = sl_job_start(job, errp) && sl_job_finish(job, errp);
	sl_job_free(job);
	return ok;
}
