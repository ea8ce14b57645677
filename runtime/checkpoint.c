/*
 * checkpoint.c
 *	  Checkpoint coordinator, snapshot uploader, job-level _metadata,
 *	  restore lookup and crash points. See checkpoint.h for the contract
 *	  and docs/checkpoints.md for the protocol and the directory layout.
 *
 *	  Threads: the coordinator thread triggers, commits and retains; the
 *	  uploader thread copies local snapshots to storage one at a time (the
 *	  state layer allows one upload per backend at a time; a single FIFO
 *	  uploader also guarantees that the uploads of checkpoint n finish
 *	  before those of n+1). Both share ck->lock with the workers' acks.
 *
 * INTERFACE ROUTINES
 *	  see checkpoint.h; sl_crash_point (op.h)
 */
#include "runtime/checkpoint.h"
#include "runtime/op.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CK_MAXP 128

/* ---------------------------------------------------------------------
 * Crash points
 * ------------------------------------------------------------------- */
static pthread_once_t crash_once = PTHREAD_ONCE_INIT;
static char crash_name[64];
static uint64_t crash_id;          /* UINT64_MAX: "final" */
static bool crash_on;
static _Atomic uint64_t crash_final_id;

static void
crash_init(void)
{
	const char *v = getenv("SLUICE_CRASH_AT");
	const char *colon;
	if (!v || !(colon = strrchr(v, ':')) || (size_t)(colon - v) >= sizeof crash_name)
		return;
	memcpy(crash_name, v, (size_t)(colon - v));
	crash_name[colon - v] = 0;
	if (strcmp(colon + 1, "final") == 0)
		crash_id = UINT64_MAX;
	else
		crash_id = strtoull(colon + 1, NULL, 10);
	crash_on = true;
}

void
sl_crash_point(const char *name, uint64_t ckid)
{
	uint64_t want;
	pthread_once(&crash_once, crash_init);
	if (!crash_on || strcmp(name, crash_name) != 0)
		return;
	want = crash_id == UINT64_MAX ? atomic_load(&crash_final_id) : crash_id;
	if (want == 0 || ckid != want)
		return;
	fprintf(stderr, "sluice: crash point %s at checkpoint %" PRIu64 " (SLUICE_CRASH_AT)\n", name,
	        ckid);
	fflush(stderr);
	abort();
}

/* ---------------------------------------------------------------------
 * Files
 * ------------------------------------------------------------------- */
static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static bool
mkdir_p(const char *path)
{
	char buf[4096];
	size_t n = strlen(path);
	if (n >= sizeof buf)
		return false;
	memcpy(buf, path, n + 1);
	for (size_t i = 1; i <= n; i++)
		if (buf[i] == '/' || buf[i] == 0) {
			char c = buf[i];
			buf[i] = 0;
			if (mkdir(buf, 0777) != 0 && errno != EEXIST)
				return false;
			buf[i] = c;
		}
	return true;
}

static bool
fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	bool ok;
	if (fd < 0)
		return false;
	ok = fsync(fd) == 0;
	close(fd);
	return ok;
}

/* dir/name <- bytes: temp file, fsync, rename, fsync dir. */
static bool
write_atomic(const char *dir, const char *name, const char *bytes, size_t len, sl_error **errp)
{
	char tmp[4096], dst[4096];
	int fd;
	if (snprintf(tmp, sizeof tmp, "%s/%s.tmp", dir, name) >= (int)sizeof tmp ||
	    snprintf(dst, sizeof dst, "%s/%s", dir, name) >= (int)sizeof dst) {
		*errp = sl_error_new(SL_ERR_IO, SL_SPAN_NONE, "path too long: \"%s\"", dir);
		return false;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (fd < 0)
		goto fail;
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, bytes + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			goto fail;
		}
		off += (size_t)w;
	}
	if (fsync(fd) != 0)
		sl_fatal("fsync of \"%s\" failed: %s", tmp, strerror(errno));
	close(fd);
	if (rename(tmp, dst) != 0)
		goto fail;
	if (!fsync_dir(dir))
		sl_fatal("fsync of directory \"%s\" failed: %s", dir, strerror(errno));
	return true;
fail:
	*errp = sl_error_new(SL_ERR_IO, SL_SPAN_NONE, "cannot write \"%s\": %s", dst, strerror(errno));
	return false;
}

static void
rm_rf(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	if (!d) {
		unlink(path);
		return;
	}
	while ((e = readdir(d))) {
		char sub[4096];
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
		rm_rf(sub);
	}
	closedir(d);
	rmdir(path);
}

static bool
file_exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

/* Ids n of the entries "chk-<n>" of dir, descending; *n entries. */
static uint64_t *
list_chk(const char *dir, int *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	uint64_t *v = NULL;
	int cnt = 0, cap = 0;
	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		char *end;
		uint64_t id;
		if (strncmp(e->d_name, "chk-", 4) != 0)
			continue;
		id = strtoull(e->d_name + 4, &end, 10);
		if (*end || id == 0)
			continue;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			v = realloc(v, sizeof *v * (size_t)cap);
			if (!v)
				abort();
		}
		v[cnt++] = id;
	}
	closedir(d);
	for (int i = 1; i < cnt; i++)
		for (int j = i; j > 0 && v[j - 1] < v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	*n = cnt;
	return v;
}

void
sl_ckpt_clean_stale_local(const char *tmpdir)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d))) {
		char *end;
		long pid;
		char path[4096];
		if (strncmp(e->d_name, "sluice-run-", 11) != 0)
			continue;
		pid = strtol(e->d_name + 11, &end, 10);
		if (pid <= 0 || strncmp(end, "-op", 3) != 0 || pid == (long)getpid())
			continue;
		/* only a process that no longer exists: a live one (or a pid
		 * reused by another program) keeps its directory */
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(path, sizeof path, "%s/%s", tmpdir, e->d_name);
		rm_rf(path);
	}
	closedir(d);
}

/* ---------------------------------------------------------------------
 * Job-level _metadata
 *
 *   sluice-job-checkpoint 1
 *   id <n>
 *   savepoint 0|1
 *   root <path of the dir holding op-<k>/, relative to this file's dir>
 *   ops <count>
 *   op <k> <name> <dir relative to root | ->
 *   end
 *   sum <xxh3-64 hex of the bytes before this line>
 * ------------------------------------------------------------------- */
void
sl_ckpt_meta_free(sl_ckpt_meta *m)
{
	if (!m)
		return;
	for (int i = 0; i < m->nops; i++) {
		free(m->names ? m->names[i] : NULL);
		free(m->dirs ? m->dirs[i] : NULL);
	}
	free(m->names);
	free(m->dirs);
	memset(m, 0, sizeof *m);
}

static char *
read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;
	if (!f)
		return NULL;
	for (;;) {
		size_t r;
		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

bool
sl_ckpt_read_meta(const char *dir, sl_ckpt_meta *out, sl_error **errp)
{
	char path[4096], root[4096] = ".";
	size_t len;
	char *buf, *sum, *line, *save = NULL;
	int nops = -1, seen = 0;
	memset(out, 0, sizeof *out);
	snprintf(path, sizeof path, "%s/_metadata", dir);
	if (!(buf = read_all(path, &len))) {
		*errp = sl_error_new(SL_ERR_CHECKPOINT, SL_SPAN_NONE,
		                     "\"%s\" is not a checkpoint or savepoint: cannot read %s: %s", dir, path,
		                     strerror(errno));
		return false;
	}
	sum = strstr(buf, "\nsum ");
	if (strncmp(buf, "sluice-job-checkpoint 1\n", 24) != 0 || !sum ||
	    strtoull(sum + 5, NULL, 16) != sl_hash64(buf, (size_t)(sum - buf) + 1, 0)) {
		*errp = sl_error_new(SL_ERR_CORRUPT, SL_SPAN_NONE,
		                     "checkpoint metadata \"%s\" is corrupt (bad header or checksum)", path);
		free(buf);
		return false;
	}
	sum[1] = 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char a[1024], b[2048];
		int k;
		unsigned long long u;
		if (sscanf(line, "id %llu", &u) == 1) {
			out->id = u;
		} else if (sscanf(line, "savepoint %d", &k) == 1) {
			out->savepoint = k != 0;
		} else if (sscanf(line, "root %4095s", root) == 1) {
			continue;
		} else if (sscanf(line, "ops %d", &nops) == 1 && nops >= 0 && nops < 1000000) {
			out->nops = nops;
			out->names = calloc((size_t)nops + 1, sizeof *out->names);
			out->dirs = calloc((size_t)nops + 1, sizeof *out->dirs);
		} else if (sscanf(line, "op %d %1023s %2047s", &k, a, b) == 3 && out->names && k >= 0 &&
		           k < nops) {
			out->names[k] = strdup(a);
			if (strcmp(b, "-") != 0) {
				char full[8192];
				snprintf(full, sizeof full, "%s/%s/%s", dir, root, b);
				out->dirs[k] = strdup(full);
			}
			seen++;
		}
	}
	free(buf);
	if (nops < 0 || seen != nops || out->id == 0) {
		*errp = sl_error_new(SL_ERR_CORRUPT, SL_SPAN_NONE,
		                     "checkpoint metadata \"%s\" is incomplete", path);
		sl_ckpt_meta_free(out);
		return false;
	}
	return true;
}

static bool
verify_meta(const char *dir, sl_ckpt_meta *m, sl_error **errp)
{
	if (!sl_ckpt_read_meta(dir, m, errp))
		return false;
	for (int i = 0; i < m->nops; i++)
		if (m->dirs[i] && !sl_ck_verify(m->dirs[i], errp)) {
			sl_ckpt_meta_free(m);
			return false;
		}
	return true;
}

bool
sl_ckpt_find_latest(const char *jobdir, uint64_t *id, char **dir)
{
	int n;
	uint64_t *ids = list_chk(jobdir, &n);
	bool found = false;
	for (int i = 0; i < n && !found; i++) {
		char d[4096], mp[4200];
		sl_ckpt_meta m;
		sl_error *err = NULL;
		snprintf(d, sizeof d, "%s/chk-%" PRIu64, jobdir, ids[i]);
		snprintf(mp, sizeof mp, "%s/_metadata", d);
		if (!file_exists(mp))
			continue;            /* incomplete: never committed */
		if (!verify_meta(d, &m, &err)) {
			fprintf(stderr, "sluice: warning: checkpoint %" PRIu64
			        " is not restorable: %s; falling back to the previous checkpoint\n",
			        ids[i], err->message);
			sl_error_free(err);
			continue;
		}
		sl_ckpt_meta_free(&m);
		*id = ids[i];
		*dir = strdup(d);
		found = true;
	}
	free(ids);
	return found;
}

uint64_t
sl_ckpt_scan_ids(const char *jobdir)
{
	int n;
	uint64_t *ids = list_chk(jobdir, &n), mx = n ? ids[0] : 0;
	DIR *d = opendir(jobdir);
	struct dirent *e;
	free(ids);
	if (!d)
		return mx;
	while ((e = readdir(d))) {
		char od[4096];
		uint64_t *oids;
		int on;
		if (strncmp(e->d_name, "op-", 3) != 0)
			continue;
		snprintf(od, sizeof od, "%s/%s", jobdir, e->d_name);
		oids = list_chk(od, &on);
		for (int i = 0; i < on; i++) {
			char jm[4200], om[4200];
			if (oids[i] > mx)
				mx = oids[i];
			snprintf(jm, sizeof jm, "%s/chk-%" PRIu64 "/_metadata", jobdir, oids[i]);
			snprintf(om, sizeof om, "%s/chk-%" PRIu64 "/_metadata", od, oids[i]);
			/* operator checkpoint of a job checkpoint never committed:
			 * make it incomplete so retention deletes it */
			if (!file_exists(jm) && file_exists(om))
				unlink(om);
		}
		free(oids);
	}
	closedir(d);
	return mx;
}

/* ---------------------------------------------------------------------
 * Coordinator
 * ------------------------------------------------------------------- */
typedef struct upload {
	int op, subtask;
	uint64_t id;
	bool savepoint;
	sl_state_snapshot *snap;
	double align_ms, sync_ms;
	struct upload *next;
} upload;

struct sl_ckpt {
	sl_ckpt_config cfg;
	char *dir;
	int nops;
	sl_ckpt_opinfo *ops;
	int nthreads;
	sl_ck_storage **opck;        /* [nops] checkpoint storage, opened lazily */
	sl_ck_storage **spck;        /* [nops] savepoint storage */

	/* worker-visible */
	_Atomic uint64_t request;
	atomic_bool request_sp;
	_Atomic uint64_t notify;
	atomic_bool stop;
	_Atomic int quiesced;
	_Atomic int running;         /* workers past their setup */
	bool all_running;
	_Atomic uint64_t *task_notified; /* [nthreads] */
	atomic_bool *task_quiesced;      /* [nthreads] */

	pthread_mutex_t lock;
	pthread_cond_t cond;         /* coordinator wakes up */
	pthread_cond_t ucond;        /* uploader wakes up */
	pthread_t thread, uthread;
	bool started, shutdown;

	uint64_t next_id;
	uint64_t cur;                /* in flight, 0 none */
	bool cur_sp;
	bool cur_failed;
	double cur_start;
	int acks, acks_needed;
	sl_ck_task_info **infos;     /* [nops][par] */
	bool **has_state, **got;
	sl_ckpt_stat curstat;
	double last_end;

	char *sp_dir;                /* savepoint requested into */
	bool sp_started;
	uint64_t sp_done;
	uint64_t final_id;
	int final_failures;
	uint64_t waiting_notified;   /* final/savepoint: wait until every worker notified */
	sl_error *error;

	upload *uq_head, *uq_tail;
	int uploading;               /* item being uploaded */

	sl_ckpt_stat *stats;
	int nstats, capstats;
};

sl_ckpt *
sl_ckpt_new(const sl_ckpt_config *cfg, int nops, const sl_ckpt_opinfo *ops, int nthreads,
            uint64_t first_id, sl_error **errp)
{
	sl_ckpt *ck = sl_xcalloc(1, sizeof *ck);
	ck->cfg = *cfg;
	if (ck->cfg.timeout_ms <= 0)
		ck->cfg.timeout_ms = 600000;
	if (ck->cfg.retain <= 0)
		ck->cfg.retain = 1;
	if (cfg->dir) {
		ck->dir = strdup(cfg->dir);
		if (!mkdir_p(ck->dir)) {
			*errp = sl_error_new(SL_ERR_IO, SL_SPAN_NONE,
			                     "cannot create checkpoint directory \"%s\": %s", ck->dir,
			                     strerror(errno));
			free(ck->dir);
			free(ck);
			return NULL;
		}
	}
	ck->cfg.dir = ck->dir;
	ck->nops = nops;
	ck->ops = sl_xcalloc((size_t)nops + 1, sizeof *ck->ops);
	memcpy(ck->ops, ops, sizeof *ops * (size_t)nops);
	ck->nthreads = nthreads;
	ck->opck = sl_xcalloc((size_t)nops + 1, sizeof *ck->opck);
	ck->spck = sl_xcalloc((size_t)nops + 1, sizeof *ck->spck);
	ck->infos = sl_xcalloc((size_t)nops + 1, sizeof *ck->infos);
	ck->has_state = sl_xcalloc((size_t)nops + 1, sizeof *ck->has_state);
	ck->got = sl_xcalloc((size_t)nops + 1, sizeof *ck->got);
	for (int k = 0; k < nops; k++) {
		int p = ops[k].parallelism;
		ck->infos[k] = sl_xcalloc((size_t)p + 1, sizeof **ck->infos);
		ck->has_state[k] = sl_xcalloc((size_t)p + 1, sizeof **ck->has_state);
		ck->got[k] = sl_xcalloc((size_t)p + 1, sizeof **ck->got);
		ck->acks_needed += p;
	}
	ck->task_notified = sl_xcalloc((size_t)nthreads + 1, sizeof *ck->task_notified);
	ck->task_quiesced = sl_xcalloc((size_t)nthreads + 1, sizeof *ck->task_quiesced);
	ck->next_id = first_id ? first_id : 1;
	pthread_mutex_init(&ck->lock, NULL);
	pthread_cond_init(&ck->cond, NULL);
	pthread_cond_init(&ck->ucond, NULL);
	ck->last_end = now_ms();
	return ck;
}

static void
trigger(sl_ckpt *ck, bool savepoint)
{
	ck->cur = ck->next_id++;
	ck->cur_sp = savepoint;
	ck->cur_failed = false;
	ck->cur_start = now_ms();
	ck->acks = 0;
	for (int k = 0; k < ck->nops; k++)
		for (int s = 0; s < ck->ops[k].parallelism; s++)
			ck->got[k][s] = ck->has_state[k][s] = false;
	memset(&ck->curstat, 0, sizeof ck->curstat);
	ck->curstat.id = ck->cur;
	ck->curstat.savepoint = savepoint;
	atomic_store(&ck->request_sp, savepoint);
	atomic_store(&ck->request, ck->cur);
}

static void
add_stat(sl_ckpt *ck, const sl_ckpt_stat *st)
{
	if (ck->nstats == ck->capstats) {
		ck->capstats = ck->capstats ? ck->capstats * 2 : 64;
		ck->stats = realloc(ck->stats, sizeof *ck->stats * (size_t)ck->capstats);
		if (!ck->stats)
			abort();
	}
	ck->stats[ck->nstats++] = *st;
}

static sl_ck_storage *
op_storage(sl_ckpt *ck, int k, bool savepoint, sl_error **errp)
{
	sl_ck_storage **slot = savepoint ? &ck->spck[k] : &ck->opck[k];
	char name[64];
	if (*slot)
		return *slot;
	snprintf(name, sizeof name, "op-%d", k);
	*slot = sl_ck_storage_open(savepoint ? ck->sp_dir : ck->dir, name, errp);
	return *slot;
}

/* Keep the newest `retain` job checkpoints: older job-level dirs go,
 * then each operator storage keeps the same number (their complete
 * checkpoints are exactly the job's: see sl_ckpt_scan_ids). */
static void
retain(sl_ckpt *ck)
{
	int n, kept = 0;
	uint64_t *ids = list_chk(ck->dir, &n);
	for (int i = 0; i < n; i++) {
		char d[4096], mp[4200];
		snprintf(d, sizeof d, "%s/chk-%" PRIu64, ck->dir, ids[i]);
		snprintf(mp, sizeof mp, "%s/_metadata", d);
		if (ids[i] >= ck->cur)
			continue;
		if (file_exists(mp) && ++kept < ck->cfg.retain)
			continue;
		/* the newest is ck->cur itself (not counted in the loop) */
		unlink(mp);
		rm_rf(d);
	}
	free(ids);
	for (int k = 0; k < ck->nops; k++)
		if (ck->opck[k]) {
			sl_error *err = NULL;
			if (!sl_ck_storage_retain(ck->opck[k], ck->cfg.retain, &err)) {
				fprintf(stderr, "sluice: warning: retaining checkpoints of operator %d: %s\n", k,
				        err->message);
				sl_error_free(err);
			}
		}
}

/* Every instance acknowledged ck->cur: commit. Called with the lock held
 * (acks of the next checkpoint cannot arrive: it is not triggered yet). */
static bool
complete(sl_ckpt *ck, sl_error **errp)
{
	uint64_t id = ck->cur;
	bool sp = ck->cur_sp;
	sl_strbuf sb = SL_STRBUF_INIT;
	char metadir[4096];
	sl_ck_task_info *tmp = NULL;
	int maxpar = 1;
	bool ok = true;

	for (int k = 0; k < ck->nops; k++)
		if (ck->ops[k].parallelism > maxpar)
			maxpar = ck->ops[k].parallelism;
	tmp = sl_xcalloc((size_t)maxpar + 1, sizeof *tmp);
	sl_strbuf_appendf(&sb, "sluice-job-checkpoint 1\nid %" PRIu64 "\nsavepoint %d\nroot %s\nops %d\n",
	                  id, sp ? 1 : 0, sp ? "." : "..", ck->nops);
	for (int k = 0; k < ck->nops && ok; k++) {
		int n = 0;
		for (int s = 0; s < ck->ops[k].parallelism; s++)
			if (ck->has_state[k][s])
				tmp[n++] = ck->infos[k][s];
		if (n == 0) {
			sl_strbuf_appendf(&sb, "op %d %s -\n", k, ck->ops[k].name);
			continue;
		}
		{
			sl_ck_storage *st = op_storage(ck, k, sp, errp);
			if (!st || !sl_ck_storage_commit(st, id, sp, CK_MAXP, tmp, n, errp)) {
				ok = false;
				break;
			}
		}
		if (sp)
			sl_strbuf_appendf(&sb, "op %d %s op-%d/savepoints/sp-%" PRIu64 "\n", k,
			                  ck->ops[k].name, k, id);
		else
			sl_strbuf_appendf(&sb, "op %d %s op-%d/chk-%" PRIu64 "\n", k, ck->ops[k].name, k, id);
	}
	free(tmp);
	if (ok) {
		uint64_t h;
		sl_strbuf_appendf(&sb, "end\n");
		h = sl_hash64(sl_strbuf_str(&sb), sb.len, 0);
		sl_strbuf_appendf(&sb, "sum %016" PRIx64 "\n", h);
		if (sp)
			snprintf(metadir, sizeof metadir, "%s", ck->sp_dir);
		else
			snprintf(metadir, sizeof metadir, "%s/chk-%" PRIu64, ck->dir, id);
		if (!mkdir_p(metadir)) {
			*errp = sl_error_new(SL_ERR_IO, SL_SPAN_NONE, "cannot create \"%s\": %s", metadir,
			                     strerror(errno));
			ok = false;
		} else {
			ok = write_atomic(metadir, "_metadata", sl_strbuf_str(&sb), sb.len, errp);
		}
	}
	sl_strbuf_free(&sb);
	if (!ok)
		return false;
	sl_crash_point("after-metadata-before-notify", id);
	if (!sp)
		retain(ck);
	ck->curstat.completed = true;
	ck->curstat.duration_ms = now_ms() - ck->cur_start;
	add_stat(ck, &ck->curstat);
	if (ck->cfg.log)
		fprintf(ck->cfg.log,
		        "sluice: %s %" PRIu64 " complete in %.1f ms (all acknowledged at %.1f ms; alignment "
		        "%.2f ms, sync snapshot %.2f ms max per instance), %" PRIu64 " bytes written, %" PRIu64
		        " bytes of state\n",
		        sp ? "savepoint" : "checkpoint", id, ck->curstat.duration_ms, ck->curstat.acked_ms,
		        ck->curstat.align_ms,
		        ck->curstat.sync_ms, ck->curstat.bytes_copied, ck->curstat.bytes_total);
	atomic_store(&ck->notify, id);
	return true;
}

static void
abort_cur(sl_ckpt *ck, const char *why)
{
	if (ck->cfg.log || ck->cur_sp)
		fprintf(stderr, "sluice: %s %" PRIu64 " aborted: %s\n",
		        ck->cur_sp ? "savepoint" : "checkpoint", ck->cur, why);
	ck->curstat.duration_ms = now_ms() - ck->cur_start;
	add_stat(ck, &ck->curstat);
	if (ck->cur_sp && !ck->error)
		ck->error = sl_error_new(SL_ERR_CHECKPOINT, SL_SPAN_NONE, "savepoint %" PRIu64 " failed: %s",
		                         ck->cur, why);
	if (ck->final_id && ck->cur == ck->final_id) {
		/* the final checkpoint is retried; the job cannot end without it */
		ck->final_id = 0;
		if (++ck->final_failures >= 3) {
			if (!ck->error)
				ck->error = sl_error_new(SL_ERR_CHECKPOINT, SL_SPAN_NONE,
				                         "the final checkpoint failed 3 times (last: %s); the "
				                         "output of the end of the input is not committed", why);
			atomic_store(&ck->stop, true);
		}
	}
	ck->cur = 0;
	ck->last_end = now_ms();
}

static bool
all_notified(sl_ckpt *ck, uint64_t id)
{
	for (int t = 0; t < ck->nthreads; t++)
		if (atomic_load(&ck->task_notified[t]) < id)
			return false;
	return true;
}

static void *
coord_main(void *arg)
{
	sl_ckpt *ck = arg;
	pthread_mutex_lock(&ck->lock);
	while (!ck->shutdown) {
		double t = now_ms();
		if (ck->waiting_notified) {
			if (all_notified(ck, ck->waiting_notified)) {
				ck->waiting_notified = 0;
				atomic_store(&ck->stop, true);
			}
		} else if (atomic_load(&ck->stop)) {
			/* done: nothing more to trigger */
		} else if (ck->cur) {
			if (ck->cur_failed) {
				abort_cur(ck, "an upload failed");
			} else if (ck->acks == ck->acks_needed) {
				sl_error *err = NULL;
				bool sp = ck->cur_sp;
				uint64_t id = ck->cur;
				if (!complete(ck, &err)) {
					abort_cur(ck, err->message);
					sl_error_free(err);
					if (sp)
						atomic_store(&ck->stop, true);
				} else {
					ck->cur = 0;
					ck->last_end = now_ms();
					if (sp) {
						ck->sp_done = id;
						ck->waiting_notified = id;
					} else if (id == ck->final_id) {
						ck->waiting_notified = id;
					}
				}
			} else if (t - ck->cur_start > (double)ck->cfg.timeout_ms) {
				bool sp = ck->cur_sp;
				{ char why[128]; snprintf(why, sizeof why, "timeout ('execution.checkpointing.timeout' = %lld ms, %d of %d acknowledged)", (long long)ck->cfg.timeout_ms, ck->acks, ck->acks_needed); abort_cur(ck, why); }
				if (sp)
					atomic_store(&ck->stop, true);
			}
		} else if (ck->sp_dir && !ck->sp_started) {
			ck->sp_started = true;
			trigger(ck, true);
		} else if (ck->cfg.final_checkpoint && !ck->final_id &&
		           atomic_load(&ck->quiesced) == ck->nthreads) {
			trigger(ck, false);
			ck->final_id = ck->cur;
			atomic_store(&crash_final_id, ck->cur);
		} else if (!ck->all_running) {
			/* the first interval starts when every worker runs */
			if (atomic_load(&ck->running) == ck->nthreads) {
				ck->all_running = true;
				ck->last_end = t;
			}
		} else if (ck->cfg.interval_ms > 0 && !ck->final_id &&
		           t - ck->last_end >= (double)ck->cfg.interval_ms) {
			trigger(ck, false);
		}
		{
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 2 * 1000000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&ck->cond, &ck->lock, &ts);
		}
	}
	pthread_mutex_unlock(&ck->lock);
	return NULL;
}

/* Record an acknowledgement (lock held). */
static void
ack_locked(sl_ckpt *ck, int op, int subtask, uint64_t id, const sl_ck_task_info *info,
           double align_ms, double sync_ms)
{
	if (id != ck->cur || op < 0 || op >= ck->nops || subtask >= ck->ops[op].parallelism ||
	    ck->got[op][subtask])
		return;                 /* aborted checkpoint: ignored */
	ck->got[op][subtask] = true;
	if (getenv("SLUICE_CK_DEBUG"))
		fprintf(stderr, "ck %llu ack op %d/%d at %.1f ms (align %.1f sync %.1f)\n",
		        (unsigned long long)id, op, subtask, now_ms() - ck->cur_start, align_ms, sync_ms);
	if (info) {
		ck->infos[op][subtask] = *info;
		ck->has_state[op][subtask] = true;
		ck->curstat.bytes_copied += info->bytes_copied;
		ck->curstat.bytes_total += info->bytes_total;
	}
	if (align_ms > ck->curstat.align_ms)
		ck->curstat.align_ms = align_ms;
	if (sync_ms > ck->curstat.sync_ms)
		ck->curstat.sync_ms = sync_ms;
	ck->acks++;
	if (ck->acks == ck->acks_needed) {
		ck->curstat.acked_ms = now_ms() - ck->cur_start;
		pthread_cond_signal(&ck->cond);
	}
}

static void *
upload_main(void *arg)
{
	sl_ckpt *ck = arg;
	pthread_mutex_lock(&ck->lock);
	for (;;) {
		upload *u;
		sl_ck_storage *st;
		sl_ck_task_info info;
		sl_error *err = NULL;
		bool ok;
		while (!ck->uq_head && !ck->shutdown)
			pthread_cond_wait(&ck->ucond, &ck->lock);
		if (ck->shutdown)
			break;
		u = ck->uq_head;
		ck->uq_head = u->next;
		if (!ck->uq_head)
			ck->uq_tail = NULL;
		ck->uploading = 1;
		/* storage is opened under the lock (the coordinator opens it too) */
		st = u->id == ck->cur ? op_storage(ck, u->op, u->savepoint, &err) : NULL;
		pthread_mutex_unlock(&ck->lock);
		memset(&info, 0, sizeof info);
		ok = st && sl_state_snapshot_upload(u->snap, st, u->subtask, u->savepoint, &info, &err);
		sl_state_snapshot_free(u->snap);
		if (ok)
			sl_crash_point("after-snapshot-before-ack", u->id);
		pthread_mutex_lock(&ck->lock);
		ck->uploading = 0;
		if (ok) {
			ack_locked(ck, u->op, u->subtask, u->id, &info, u->align_ms, u->sync_ms);
		} else if (u->id == ck->cur) {
			if (err)
				fprintf(stderr, "sluice: checkpoint %" PRIu64 ": upload of operator %d/%d failed: %s\n",
				        u->id, u->op, u->subtask, err->message);
			ck->cur_failed = true;
			pthread_cond_signal(&ck->cond);
		}
		if (err)
			sl_error_free(err);
		free(u);
		pthread_cond_broadcast(&ck->ucond);
	}
	pthread_mutex_unlock(&ck->lock);
	return NULL;
}

bool
sl_ckpt_start(sl_ckpt *ck, sl_error **errp)
{
	int rc = pthread_create(&ck->thread, NULL, coord_main, ck);
	if (rc == 0) {
		rc = pthread_create(&ck->uthread, NULL, upload_main, ck);
		if (rc) {
			pthread_mutex_lock(&ck->lock);
			ck->shutdown = true;
			pthread_cond_broadcast(&ck->cond);
			pthread_mutex_unlock(&ck->lock);
			pthread_join(ck->thread, NULL);
		}
	}
	if (rc) {
		*errp = sl_error_new(SL_ERR_INTERNAL, SL_SPAN_NONE, "cannot start checkpoint thread: %s",
		                     strerror(rc));
		return false;
	}
	ck->started = true;
	return true;
}

void
sl_ckpt_free(sl_ckpt *ck)
{
	if (!ck)
		return;
	pthread_mutex_lock(&ck->lock);
	ck->shutdown = true;
	pthread_cond_broadcast(&ck->cond);
	pthread_cond_broadcast(&ck->ucond);
	pthread_mutex_unlock(&ck->lock);
	if (ck->started) {
		pthread_join(ck->thread, NULL);
		pthread_join(ck->uthread, NULL);
	}
	while (ck->uq_head) {
		upload *u = ck->uq_head;
		ck->uq_head = u->next;
		sl_state_snapshot_free(u->snap);
		free(u);
	}
	for (int k = 0; k < ck->nops; k++) {
		if (ck->opck[k])
			sl_ck_storage_free(ck->opck[k]);
		if (ck->spck[k])
			sl_ck_storage_free(ck->spck[k]);
		free(ck->infos[k]);
		free(ck->has_state[k]);
		free(ck->got[k]);
	}
	if (ck->error)
		sl_error_free(ck->error);
	free(ck->opck);
	free(ck->spck);
	free(ck->infos);
	free(ck->has_state);
	free(ck->got);
	free(ck->ops);
	free(ck->task_notified);
	free(ck->task_quiesced);
	free(ck->stats);
	free(ck->sp_dir);
	free(ck->dir);
	pthread_mutex_destroy(&ck->lock);
	pthread_cond_destroy(&ck->cond);
	pthread_cond_destroy(&ck->ucond);
	free(ck);
}

uint64_t
sl_ckpt_request(sl_ckpt *ck, bool *savepoint)
{
	uint64_t id = atomic_load_explicit(&ck->request, memory_order_acquire);
	if (savepoint)
		*savepoint = atomic_load(&ck->request_sp);
	return id;
}

void
sl_ckpt_ack(sl_ckpt *ck, int op, int subtask, uint64_t id, sl_state_snapshot *snap,
            double align_ms, double sync_ms)
{
	pthread_mutex_lock(&ck->lock);
	if (!snap) {
		ack_locked(ck, op, subtask, id, NULL, align_ms, sync_ms);
	} else if (id != ck->cur) {
		sl_state_snapshot_free(snap);   /* aborted meanwhile */
	} else {
		upload *u = sl_xcalloc(1, sizeof *u);
		u->op = op;
		u->subtask = subtask;
		u->id = id;
		u->savepoint = ck->cur_sp;
		u->snap = snap;
		u->align_ms = align_ms;
		u->sync_ms = sync_ms;
		if (ck->uq_tail)
			ck->uq_tail->next = u;
		else
			ck->uq_head = u;
		ck->uq_tail = u;
		pthread_cond_signal(&ck->ucond);
	}
	pthread_mutex_unlock(&ck->lock);
}

uint64_t
sl_ckpt_notify_id(sl_ckpt *ck)
{
	return atomic_load_explicit(&ck->notify, memory_order_acquire);
}

void
sl_ckpt_task_notified(sl_ckpt *ck, int task, uint64_t id)
{
	atomic_store(&ck->task_notified[task], id);
	pthread_cond_signal(&ck->cond);
}

void
sl_ckpt_task_running(sl_ckpt *ck)
{
	atomic_fetch_add(&ck->running, 1);
}

void
sl_ckpt_task_quiesced(sl_ckpt *ck, int task)
{
	if (!atomic_exchange(&ck->task_quiesced[task], true))
		atomic_fetch_add(&ck->quiesced, 1);
}

bool
sl_ckpt_should_stop(sl_ckpt *ck)
{
	return atomic_load_explicit(&ck->stop, memory_order_acquire);
}

sl_error *
sl_ckpt_take_error(sl_ckpt *ck)
{
	sl_error *e;
	pthread_mutex_lock(&ck->lock);
	e = ck->error;
	ck->error = NULL;
	pthread_mutex_unlock(&ck->lock);
	return e;
}

void
sl_ckpt_stop_with_savepoint(sl_ckpt *ck, const char *dir)
{
	pthread_mutex_lock(&ck->lock);
	if (!ck->sp_dir) {
		if (!mkdir_p(dir) && !ck->error)
			ck->error = sl_error_new(SL_ERR_IO, SL_SPAN_NONE,
			                         "cannot create savepoint directory \"%s\": %s", dir,
			                         strerror(errno));
		ck->sp_dir = strdup(dir);
		pthread_cond_signal(&ck->cond);
	}
	pthread_mutex_unlock(&ck->lock);
}

uint64_t
sl_ckpt_savepoint_done(sl_ckpt *ck)
{
	uint64_t id;
	pthread_mutex_lock(&ck->lock);
	id = ck->sp_done;
	pthread_mutex_unlock(&ck->lock);
	return id;
}

sl_ckpt_stat *
sl_ckpt_stats(sl_ckpt *ck, int *n)
{
	sl_ckpt_stat *v;
	pthread_mutex_lock(&ck->lock);
	*n = ck->nstats;
	v = sl_xcalloc((size_t)ck->nstats + 1, sizeof *v);
	memcpy(v, ck->stats, sizeof *v * (size_t)ck->nstats);
	pthread_mutex_unlock(&ck->lock);
	return v;
}
