/*
 * checkpoint.h
 *	  The checkpoint coordinator of a job (runtime-internal; job.c is its
 *	  only user). Design note: docs/checkpoints.md, runtime/EXECUTION.md.
 *
 *	  One coordinator thread triggers checkpoint n (periodically, for a
 *	  savepoint, or once at the end of a bounded run), the worker threads
 *	  see the request between polls (sl_ckpt_request), inject barrier n at
 *	  their sources, align, snapshot every instance on its own thread and
 *	  hand the local snapshot to the uploader thread (sl_ckpt_ack). When
 *	  every instance has acknowledged, the coordinator commits each
 *	  operator's _metadata (state/state.h: sl_ck_storage_commit), then the
 *	  job-level _metadata (the commit point), retains the newest
 *	  checkpoints, and publishes n as complete (sl_ckpt_notify_id); each
 *	  worker then calls notify_complete on its instances.
 *
 *	  Storage: <dir>/op-<k>/ is the state layer's checkpoint storage of
 *	  operator k (shared/, chk-<n>/); <dir>/chk-<n>/_metadata lists the
 *	  operator checkpoints of job checkpoint n. A savepoint is <spdir>/
 *	  _metadata plus <spdir>/op-<k>/savepoints/sp-<n>/.
 *
 *	  @thread the sl_ckpt_* functions called by workers (request, ack,
 *	  notify, quiesced, notified) are thread-safe; new/start/free run on
 *	  the job's owner thread.
 *
 * INTERFACE ROUTINES
 *	  sl_ckpt_new / _start / _free      coordinator and uploader threads
 *	  sl_ckpt_request                   latest barrier id to inject
 *	  sl_ckpt_ack                       an instance's snapshot for barrier n
 *	  sl_ckpt_notify_id                 latest complete checkpoint
 *	  sl_ckpt_stop_with_savepoint       savepoint, then stop
 *	  sl_ckpt_find / sl_ckpt_read_meta  restore: locate and read _metadata
 *	  sl_crash_point                    fault injection (op.h)
 */
#ifndef SL_RUNTIME_CHECKPOINT_H
#define SL_RUNTIME_CHECKPOINT_H

#include "common/common.h"
#include "state/state.h"

#include <stdio.h>

typedef struct sl_ckpt sl_ckpt;

typedef struct sl_ckpt_config {
	int64_t interval_ms;      /* periodic checkpoints; 0 = none */
	int64_t timeout_ms;       /* abort a checkpoint running this long; 0 = 10 min */
	int retain;               /* complete checkpoints kept; 0 = 1 */
	const char *dir;          /* this job's checkpoint dir (<root>/<job>); NULL
	                           * only when interval_ms == 0 */
	bool final_checkpoint;    /* one last checkpoint when every task is done
	                           * (bounded input: 2PC sinks commit everything) */
	FILE *log;                /* a summary line per checkpoint; NULL = none */
} sl_ckpt_config;

/* What one operator looks like to the coordinator. */
typedef struct sl_ckpt_opinfo {
	const char *name;         /* operator name (checked on restore) */
	int parallelism;          /* instances that acknowledge */
} sl_ckpt_opinfo;

/* Per checkpoint numbers (docs/checkpoints.md). */
typedef struct sl_ckpt_stat {
	uint64_t id;
	bool savepoint, completed;
	double duration_ms;       /* trigger -> job _metadata durable */
	double align_ms;          /* longest alignment of one instance */
	double sync_ms;           /* longest synchronous snapshot of one instance */
	double acked_ms;          /* trigger -> last acknowledgement (uploads done) */
	uint64_t bytes_copied;    /* written to storage by this checkpoint */
	uint64_t bytes_total;     /* state size referenced by it */
} sl_ckpt_stat;

/* first_id: the id of the first checkpoint (above any restored one and
 * any found in cfg->dir). nthreads: workers that report quiesced /
 * notified. The opinfo array is copied. */
sl_ckpt *sl_ckpt_new(const sl_ckpt_config *cfg, int nops, const sl_ckpt_opinfo *ops,
                     int nthreads, uint64_t first_id, sl_error **errp);
bool sl_ckpt_start(sl_ckpt *ck, sl_error **errp);
/* Stops both threads (uploads still queued are dropped, their snapshots
 * freed). Must run before the job closes the state backends. */
void sl_ckpt_free(sl_ckpt *ck);

/* ---- worker side ---------------------------------------------------- */
/* The latest barrier id requested (0: none yet); *savepoint tells whether
 * it is a savepoint (its sources stop after injecting it). */
uint64_t sl_ckpt_request(sl_ckpt *ck, bool *savepoint);
/* Instance (op, subtask) took its snapshot for barrier id: snap is the
 * local snapshot (NULL for an instance without state), uploaded and then
 * acknowledged by the uploader thread. align_ms/sync_ms: for the stats.
 * Takes ownership of snap. */
void sl_ckpt_ack(sl_ckpt *ck, int op, int subtask, uint64_t id, sl_state_snapshot *snap,
                 double align_ms, double sync_ms);
/* Latest complete checkpoint whose notify_complete is due (0 none). */
uint64_t sl_ckpt_notify_id(sl_ckpt *ck);
/* Worker `task` ran notify_complete(id) on all its instances. */
void sl_ckpt_task_notified(sl_ckpt *ck, int task, uint64_t id);
/* A worker finished its setup (open, restore); periodic checkpoints
 * start counting once every worker has. */
void sl_ckpt_task_running(sl_ckpt *ck);
/* Worker `task` has no more work (sources ended, inputs ended, outboxes
 * empty); it keeps answering requests until sl_ckpt_should_stop. */
void sl_ckpt_task_quiesced(sl_ckpt *ck, int task);
/* The final checkpoint or the savepoint is complete and every worker
 * has been notified: workers exit. */
bool sl_ckpt_should_stop(sl_ckpt *ck);
/* An error the coordinator hit (savepoint failed); NULL if none. The
 * caller takes ownership. */
sl_error *sl_ckpt_take_error(sl_ckpt *ck);

/* ---- control (any thread) ------------------------------------------- */
/* Take a savepoint into dir (created), then stop the job (workers exit
 * once it is complete and notified). Only once. */
void sl_ckpt_stop_with_savepoint(sl_ckpt *ck, const char *dir);
/* Id of the completed savepoint, 0 if none. */
uint64_t sl_ckpt_savepoint_done(sl_ckpt *ck);
/* Copy of the per checkpoint numbers (malloc'ed, *n entries). */
sl_ckpt_stat *sl_ckpt_stats(sl_ckpt *ck, int *n);

/* ---- restore ---------------------------------------------------------- */
typedef struct sl_ckpt_meta {
	uint64_t id;
	bool savepoint;
	int nops;                 /* operators of the job that wrote it */
	char **names;             /* [nops] */
	char **dirs;              /* [nops] operator checkpoint dir (absolute or
	                           * relative to cwd) or NULL: no state */
} sl_ckpt_meta;

/* Read and check <dir>/_metadata (a job checkpoint or savepoint dir). */
bool sl_ckpt_read_meta(const char *dir, sl_ckpt_meta *out, sl_error **errp);
void sl_ckpt_meta_free(sl_ckpt_meta *m);
/* Newest restorable checkpoint of the job dir: _metadata intact and
 * every operator checkpoint verified (sl_ck_verify); a broken one is
 * reported on stderr and the previous one tried. false (no error) if
 * there is none; *dir malloc'ed. */
bool sl_ckpt_find_latest(const char *jobdir, uint64_t *id, char **dir);
/* Largest checkpoint id found under the job dir (0 if none); also drops
 * operator checkpoints that never got a job _metadata (a crash between
 * the two), so retention never keeps them instead of real ones. */
uint64_t sl_ckpt_scan_ids(const char *jobdir);

/* Remove the local state dirs (<tmpdir>/sluice-run-<pid>-op...) of sluice
 * processes that no longer exist: a kill -9 leaves them behind. */
void sl_ckpt_clean_stale_local(const char *tmpdir);

#endif /* SL_RUNTIME_CHECKPOINT_H */
