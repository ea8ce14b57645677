/*
 * killtest.c
 *	  kill -9 during snapshots: a worker process applies a deterministic
 *	  per-key workload in batches and checkpoints after each batch (take,
 *	  upload, commit _metadata, retain 3), resuming from the latest
 *	  checkpoint when started again. The driver kills it with SIGKILL at a
 *	  random moment, then a checker process restores the latest checkpoint
 *	  and compares every key with a shadow model replayed from the batch
 *	  number recorded in the checkpoint's operator state.
 *
 *	  usage: killtest run POINTS SEED
 *	  Prints "ok - kill N ..." / "not ok - kill N ..." per point and a summary.
 *	  RocksDB is only ever used in forked children (never in the driver), so
 *	  no process forks with RocksDB's thread pools running.
 */
#include "state/state.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NKEYS 3000
#define OPS 1500
#define MAXP 128

enum { PH_START, PH_PROCESS, PH_SYNC, PH_UPLOAD, PH_COMMIT, PH_RETAIN, PH__N };
static const char *phase_names[] = {"start/restore", "process", "snapshot-sync", "upload",
                                    "commit", "retain"};

typedef struct shm {
	volatile int phase;            /* what the worker is doing */
	volatile uint64_t completed;   /* last checkpoint whose _metadata is written */
} shm;

/* Batch b's op i: key and operation, from (seed, b, i) only. */
static void
op_of(uint64_t seed, uint64_t b, int i, int *key, int *kind, int64_t *delta)
{
	uint64_t h = sl_hash_u64(seed * 1000003 + b * 7919 + (uint64_t)i);
	*key = (int)(h % NKEYS);
	*kind = (int)((h >> 20) % 20) == 0 ? 1 : 0; /* 5 % deletes */
	*delta = (int64_t)((h >> 32) % 1000) + 1;
}

static void
die(const char *what, sl_error *e)
{
	fprintf(stderr, "killtest: %s: %s\n", what, e ? e->message : "?");
	exit(2);
}

static sl_state *
open_latest(sl_ck_storage *ck, const char *local, uint64_t *id, sl_error **errp)
{
	char *dir = NULL;
	sl_error *e = NULL;
	*id = 0;
	if (!sl_ck_storage_find(ck, "latest", id, &dir, &e)) {
		sl_error_free(e);
		dir = NULL;
		*id = 0;
	}
	sl_state_options o = {.local_dir = local, .maxp = MAXP, .kg_first = 0, .kg_last = MAXP - 1,
	                      .restore_dir = dir, .cache_bytes = 1 << 20,
	                      .write_buffer_bytes = 4 << 20};
	sl_state *st = sl_state_open(&o, errp);
	free(dir);
	return st;
}

static void
worker(const char *root, uint64_t seed, shm *sh)
{
	sl_error *e = NULL;
	sh->phase = PH_START;
	sl_ck_storage *ck = sl_ck_storage_open(root, "job", &e);
	if (!ck)
		die("storage", e);
	char local[600];
	snprintf(local, sizeof local, "%s/worker-local", root);
	uint64_t id;
	sl_state *st = open_latest(ck, local, &id, &e);
	if (!st)
		die("open", e);
	sl_state_value *vs = sl_state_value_open(st, "counters", NULL, &e);
	if (!vs)
		die("value state", e);
	uint64_t b = 0;
	size_t len;
	const void *p = sl_state_op_get(st, "progress", &len);
	if (p && len == 8)
		memcpy(&b, p, 8);
	for (;;) {
		b++;
		sh->phase = PH_PROCESS;
		for (int i = 0; i < OPS; i++) {
			int key, kind;
			int64_t delta;
			op_of(seed, b, i, &key, &kind, &delta);
			char k[16];
			int kl = snprintf(k, sizeof k, "k%d", key);
			if (kind == 1) {
				if (!sl_state_value_delete(vs, k, (size_t)kl, &e))
					die("delete", e);
			} else {
				bool created;
				size_t vl;
				int64_t *c = sl_state_value_get_for_update(vs, k, (size_t)kl, 8, &vl, &created, &e);
				if (!c)
					die("rmw", e);
				*c += delta;
			}
		}
		sl_state_op_put(st, "progress", &b, 8);
		sh->phase = PH_SYNC;
		sl_state_snapshot *snap = sl_state_snapshot_take(st, b, &e);
		if (!snap)
			die("snapshot", e);
		sh->phase = PH_UPLOAD;
		sl_ck_task_info info;
		if (!sl_state_snapshot_upload(snap, ck, 0, false, &info, &e))
			die("upload", e);
		sl_state_snapshot_free(snap);
		sh->phase = PH_COMMIT;
		if (!sl_ck_storage_commit(ck, b, false, MAXP, &info, 1, &e))
			die("commit", e);
		sh->completed = b;
		sh->phase = PH_RETAIN;
		if (!sl_ck_storage_retain(ck, SL_STATE_DEFAULT_RETAIN, &e))
			die("retain", e);
	}
}

/* exit 0: matches the shadow model; 1: mismatch; 3: no checkpoint yet */
static int
check(const char *root, uint64_t seed, uint64_t completed)
{
	sl_error *e = NULL;
	sl_ck_storage *ck = sl_ck_storage_open(root, "job", &e);
	if (!ck)
		die("storage", e);
	char local[600];
	snprintf(local, sizeof local, "%s/check-local", root);
	uint64_t id;
	sl_state *st = open_latest(ck, local, &id, &e);
	if (!st)
		die("restore", e);
	if (id == 0) {
		sl_state_close(st);
		sl_ck_storage_free(ck);
		printf("# no complete checkpoint (worker reported %" PRIu64 ")\n", completed);
		return completed == 0 ? 3 : 1;
	}
	sl_state_value *vs = sl_state_value_open(st, "counters", NULL, &e);
	uint64_t b = 0;
	size_t len;
	const void *p = sl_state_op_get(st, "progress", &len);
	if (p && len == 8)
		memcpy(&b, p, 8);
	int64_t *model = calloc(NKEYS, sizeof *model);
	bool *present = calloc(NKEYS, sizeof *present);
	for (uint64_t bb = 1; bb <= b; bb++)
		for (int i = 0; i < OPS; i++) {
			int key, kind;
			int64_t delta;
			op_of(seed, bb, i, &key, &kind, &delta);
			if (kind == 1) {
				present[key] = false;
				model[key] = 0;
			} else {
				present[key] = true;
				model[key] += delta;
			}
		}
	int bad = 0;
	for (int key = 0; key < NKEYS; key++) {
		char k[16];
		int kl = snprintf(k, sizeof k, "k%d", key);
		const void *v;
		size_t vl;
		int r = sl_state_value_get(vs, k, (size_t)kl, &v, &vl, &e);
		int64_t x = 0;
		if (r == 1 && vl == 8)
			memcpy(&x, v, 8);
		if (r != (present[key] ? 1 : 0) || (r == 1 && (vl != 8 || x != model[key]))) {
			if (bad++ < 3)
				printf("# key %d: got r=%d %" PRId64 ", expected present=%d %" PRId64 "\n", key, r,
				       x, present[key], model[key]);
		}
	}
	printf("# latest checkpoint %" PRIu64 " (worker had completed %" PRIu64
	       "), progress %" PRIu64 ", %d of %d keys wrong\n",
	       id, completed, b, bad, NKEYS);
	free(model);
	free(present);
	sl_state_close(st);
	sl_ck_storage_free(ck);
	/* the checkpoint restored is the newest the worker completed (or one it
	 * wrote _metadata for just before the kill), and its progress is its id */
	return bad == 0 && b == id && id >= completed ? 0 : 1;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 4 || strcmp(argv[1], "run") != 0) {
		fprintf(stderr, "usage: killtest run POINTS SEED\n");
		return 2;
	}
	int points = atoi(argv[2]);
	uint64_t seed = strtoull(argv[3], NULL, 10);
	char root[] = "/tmp/sluice-kill9-XXXXXX";
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 2;
	}
	shm *sh = mmap(NULL, sizeof(shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned rs = (unsigned)seed;
	int failed = 0, phases[PH__N] = {0};
	for (int pt = 1; pt <= points; pt++) {
		sh->phase = PH_START;
		pid_t w = fork();
		if (w == 0) {
			worker(root, seed, sh);
			_exit(0);
		}
		long ms = 150 + rand_r(&rs) % 700;
		sleep_ms(ms);
		int ph = sh->phase;
		uint64_t completed = sh->completed;
		kill(w, SIGKILL);
		int status;
		waitpid(w, &status, 0);
		bool killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
		completed = sh->completed > completed ? sh->completed : completed;
		phases[ph]++;
		fflush(stdout);
		pid_t c = fork();
		if (c == 0)
			_exit(check(root, seed, completed));
		waitpid(c, &status, 0);
		int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 99;
		bool ok = killed && (rc == 0 || rc == 3);
		printf("%s - kill %d after %ld ms in %s, restored latest %s\n", ok ? "ok" : "not ok", pt, ms,
		       phase_names[ph], rc == 3 ? "(none yet)" : rc == 0 ? "matches the model" : "MISMATCH");
		failed += !ok;
	}
	printf("# %d kill points, %d failures; phases at kill:", points, failed);
	for (int i = 0; i < PH__N; i++)
		printf(" %s=%d", phase_names[i], phases[i]);
	printf("\n");
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf %s", root);
	if (system(cmd) != 0)
		fprintf(stderr, "killtest: could not remove %s\n", root);
	return failed ? 1 : 0;
}
