/*
 * job.h
 *	  A running job: a physical plan (planner.h) turned into operator
 *	  instances on P worker threads. Design note: runtime/EXECUTION.md.
 *
 *	  Thread i runs subtask i of every operator whose parallelism exceeds
 *	  i. Operators joined by forward edges call each other directly
 *	  (chaining); an Exchange becomes a sender half on each producing
 *	  subtask and a receiver half on each consuming subtask, joined by one
 *	  bounded in-process channel (runtime/channel.h) per producer/consumer
 *	  pair. Hash exchanges route each row by key group
 *	  (sl_state_key_group(key bytes, len, 128)) to the subtask owning that
 *	  key group (sl_state_task_range). Watermarks are the minimum over an
 *	  operator's inputs; an exhausted source emits the +inf watermark and
 *	  end-of-input; the job ends when every thread has seen end-of-input on
 *	  every input and sent everything.
 *
 *	  Memory: the job keeps the plan pointer (the plan and its arena must
 *	  outlive the job) and owns everything else: operator instances,
 *	  lowered expressions (its own arena), channels, pools.
 *
 * INTERFACE ROUTINES
 *	  sl_job_new_plans several plans as one job
 *	  sl_job_new       build the instances and channels (checks the plan
 *	                   is runnable: SL_ERR_FEATURE_NOT_SUPPORTED otherwise)
 *	  sl_job_start     start the worker threads
 *	  sl_job_wait      wait up to a timeout for the job to finish
 *	  sl_job_cancel    ask every thread to stop (@thread any, not a signal handler)
 *	  sl_job_finish    join the threads, report the first error
 *	  sl_job_stats_get rows in/out, watermark (@thread any, while running)
 *	  sl_job_free      release everything
 *	  sl_job_run       new + start + finish + free
 *	  sl_job_stop_with_savepoint, sl_job_find_latest_checkpoint  checkpoints
 */
#ifndef SL_RUNTIME_JOB_H
#define SL_RUNTIME_JOB_H

#include "planner/planner.h"

#include <stdio.h>

typedef struct sl_job sl_job;

typedef struct sl_job_options {
	int64_t nexmark_events;   /* > 0: overrides every nexmark source's 'events.num' */
	FILE *out;                /* print sinks and SELECT results; NULL = stdout */
	size_t channel_capacity;  /* messages per channel; 0 = 64 */
	size_t state_cache_bytes; /* write-back cache budget of each keyed state
	                           * ('state.backend.cache.size'); 0 = state/'s default */
	/* ---- checkpointing (docs/checkpoints.md) ---- */
	int64_t checkpoint_interval_ms; /* > 0: periodic checkpoints, a final one at
	                           * the end of bounded input */
	int64_t checkpoint_timeout_ms;  /* 0 = 10 min */
	int checkpoints_retained;  /* 0 = 1 */
	const char *checkpoint_dir; /* this job's checkpoint dir (<root>/<job>);
	                           * required with an interval */
	const char *restore_dir;  /* a job checkpoint (chk-<n>) or savepoint dir
	                           * with a _metadata; NULL = fresh start */
	bool savepoints;          /* run a coordinator for sl_job_stop_with_savepoint
	                           * even without an interval */
	FILE *checkpoint_log;     /* a summary line per checkpoint; NULL = none */
	int64_t source_idle_timeout_ms; /* 'table.exec.source.idle-timeout': the
	                           * sources' idle timeout when a table does not
	                           * set 'scan.watermark.idle-timeout'; 0 = never */
} sl_job_options;

typedef struct sl_job_stats {
	uint64_t source_rows;     /* rows produced by all sources so far */
	uint64_t sink_rows;       /* rows written by all sinks so far */
	int64_t watermark;        /* min over the sinks' watermarks; INT64_MIN if none yet */
	int threads;
	bool finished;
	int64_t source_lead;      /* furthest an aligned source subtask has been
	                           * ahead of a sibling after a poll (op.h
	                           * align_pos units); 0 without any */
} sl_job_stats;

sl_job *sl_job_new(const sl_plan *plan, const sl_job_options *opts, sl_error **errp);
/* One job running several plans side by side (the INSERTs of a script):
 * each keeps its own sources; the job ends when all of them have. */
sl_job *sl_job_new_plans(const sl_plan *const *plans, int nplans, const sl_job_options *opts,
                         sl_error **errp);
bool sl_job_start(sl_job *job, sl_error **errp);
/* true when every worker has finished (timeout_us < 0: wait forever). */
bool sl_job_wait(sl_job *job, int64_t timeout_us);
void sl_job_cancel(sl_job *job);
bool sl_job_cancelled(const sl_job *job);
/* Joins the workers. false with *errp set when a worker failed. */
bool sl_job_finish(sl_job *job, sl_error **errp);
void sl_job_stats_get(sl_job *job, sl_job_stats *out);
void sl_job_free(sl_job *job);
/* Take a savepoint into dir, then stop: the job finishes (sl_job_wait)
 * once it is complete and every 2PC sink committed. @thread any, not a
 * signal handler. No-op without a coordinator (opts.savepoints or an
 * interval). */
void sl_job_stop_with_savepoint(sl_job *job, const char *dir);
/* Id of the completed savepoint (0: none). */
uint64_t sl_job_savepoint_done(sl_job *job);
/* Checkpoint restored from (0: fresh). */
uint64_t sl_job_restored_id(const sl_job *job);
/* Print the per-checkpoint numbers (count, duration, alignment, sizes)
 * of this job to f; nothing without checkpoints. */
void sl_job_checkpoint_summary(sl_job *job, FILE *f);
/* Newest restorable checkpoint of a job's checkpoint dir (corrupt ones
 * are skipped with a warning). false if there is none; *dir malloc'ed. */
bool sl_job_find_latest_checkpoint(const char *jobdir, uint64_t *id, char **dir);
bool sl_job_run(const sl_plan *plan, const sl_job_options *opts, sl_error **errp);

#endif /* SL_RUNTIME_JOB_H */
