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
} sl_job_options;

typedef struct sl_job_stats {
	uint64_t source_rows;     /* rows produced by all sources so far */
	uint64_t sink_rows;       /* rows written by all sinks so far */
	int64_t watermark;        /* min over the sinks' watermarks; INT64_MIN if none yet */
	int threads;
	bool finished;
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
bool sl_job_run(const sl_plan *plan, const sl_job_options *opts, sl_error **errp);

#endif /* SL_RUNTIME_JOB_H */
