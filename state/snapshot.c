/*
 * snapshot.c
 *	  Snapshots of a backend, checkpoint storage, restore and rescale.
 *
 *	  Layout under <root>/<job>/ (see state/README.md):
 *	    shared/<uuid>-<NNNNNN>.sst   SST files shared by checkpoints
 *	    chk-<n>/task-<i>/...         a task's private files (MANIFEST, OPTIONS, OPSTATE)
 *	    chk-<n>/task-<i>.manifest    the task's file list with sizes and checksums
 *	    chk-<n>/_metadata            written last, atomically: the checkpoint exists
 *	    savepoints/sp-<n>/...        the same, every file private
 *	  Manifest and _metadata are text; their last line "sum <hex>" is the
 *	  XXH3-64 of all bytes before it. File checksums are XXH3-64 (seed 0).
 *	  Shared files are reference-counted by the manifests of the retained
 *	  checkpoints: sl_ck_storage_retain deletes those no kept manifest lists.
 *
 *	  Restore copies the files of the old task holding most of the new
 *	  range (verifying each checksum), opens it, DeleteRanges the key groups
 *	  outside the range in every column family, then iterates the other
 *	  overlapping old tasks (opened read-only from verified copies) over the
 *	  wanted key groups and writes them in batches.
 *
 *	  @thread: sl_state_snapshot_take and restore run on the task thread;
 *	  sl_state_snapshot_upload on any thread (one upload per backend at a
 *	  time); sl_ck_storage_* on any thread, serialised by the caller.
 *
 * INTERFACE ROUTINES
 *	  sl_state_snapshot_take / _upload / _free
 *	  sl_ck_storage_open / _free / _job_dir / _dir / _commit / _find / _retain
 *	  sl_ck_verify
 *	  sl_state_restore (internal, from sl_state_open)
 */
#include "state/state_int.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct sl_state_snapshot {
	sl_state *st;        /* backend (only st->shared and st->uuid are used by upload) */
	uint64_t id;
	char *dir;           /* local checkpoint dir (malloc) */
	int kg_first, kg_last, maxp;
	double batch_ms;     /* sync part: writing the caches' dirty entries */
	double checkpoint_ms; /* sync part: RocksDB checkpoint incl. memtable flush */
};

typedef SL_VEC(char *) namevec;
typedef SL_VEC(uint64_t) idvec;

struct sl_ck_storage {
	char *jobdir;        /* <root>/<job> (malloc) */
};

static char *
xprintf(const char *fmt, ...) SL_PRINTF(1, 2);
static char *
xprintf(const char *fmt, ...)
{
	sl_strbuf sb = SL_STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sl_strbuf_vappendf(&sb, fmt, ap);
	va_end(ap);
	return sl_strbuf_take(&sb);
}

static void
append_sum(sl_strbuf *sb)
{
	uint64_t h = sl_hash64(sb->data, sb->len, 0);
	sl_strbuf_appendf(sb, "sum %016" PRIx64 "\n", h);
}

/* Check the trailing "sum" line; on success, *body_len = bytes before it. */
static bool
check_sum(const char *what, const char *data, size_t len, sl_error **errp)
{
	if (len < 21 || data[len - 1] != '\n')
		goto bad;
	size_t start = len - 1;
	while (start > 0 && data[start - 1] != '\n')
		start--;
	if (strncmp(data + start, "sum ", 4) != 0)
		goto bad;
	uint64_t want = strtoull(data + start + 4, NULL, 16);
	if (sl_hash64(data, start, 0) != want) {
		sl_fail(errp, SL_ERR_CORRUPT, SL_SPAN_NONE, "%s has a wrong checksum (bit flip or partial write)",
		        what);
		return false;
	}
	return true;
bad:
	sl_fail(errp, SL_ERR_CORRUPT, SL_SPAN_NONE, "%s is truncated (no checksum line)", what);
	return false;
}

/* ---------------------------------------------------------------------
 * Parsed _metadata and manifests
 * ------------------------------------------------------------------- */

typedef struct mfile {
	char rel[512];       /* path relative to the checkpoint dir */
	char local[256];     /* file name in the RocksDB dir */
	uint64_t size, hash;
} mfile;

typedef struct mtask {
	sl_ck_task_info info;
	SL_VEC(mfile) files;
} mtask;

typedef struct meta {
	uint64_t id;
	int maxp;
	bool savepoint;
	SL_VEC(mtask) tasks;
} meta;

static void
meta_free(meta *m)
{
	for (size_t i = 0; i < m->tasks.n; i++)
		sl_vec_free(&m->tasks.v[i].files);
	sl_vec_free(&m->tasks);
}

static bool
parse_manifest(const char *dir, mtask *t, sl_error **errp)
{
	char *path = xprintf("%s/%s", dir, t->info.manifest);
	sl_strbuf sb = SL_STRBUF_INIT;
	bool ok = sl_file_read_all(path, &sb, errp);
	if (ok && (sb.len != t->info.manifest_size ||
	           sl_hash64(sb.data, sb.len, 0) != t->info.manifest_hash))
		ok = sl_fail(errp, SL_ERR_CORRUPT, SL_SPAN_NONE,
		             "task manifest \"%s\" does not match _metadata (size %zu, expected %" PRIu64
		             "): truncated or modified",
		             path, sb.len, t->info.manifest_size);
	if (ok) {
		char *what = xprintf("task manifest \"%s\"", path);
		ok = check_sum(what, sb.data, sb.len, errp);
		free(what);
	}
	if (ok) {
		char *save = NULL;
		for (char *line = strtok_r(sb.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			if (strncmp(line, "file ", 5) == 0) {
				mfile f;
				if (sscanf(line, "file %511s %255s %" SCNu64 " %" SCNx64, f.rel, f.local, &f.size,
				           &f.hash) != 4) {
					ok = sl_fail(errp, SL_ERR_CORRUPT, SL_SPAN_NONE, "bad line in \"%s\": %s", path,
					             line);
					break;
				}
				sl_vec_push(&t->files, f);
			}
		}
	}
	sl_strbuf_free(&sb);
	free(path);
	return ok;
}

/* Parse and check <dir>/_metadata and every task manifest it lists. */
static bool
parse_meta(const char *dir, meta *m, sl_error **errp)
{
	memset(m, 0, sizeof *m);
	char *path = xprintf("%s/_metadata", dir);
	sl_strbuf sb = SL_STRBUF_INIT;
	bool ok = sl_file_read_all(path, &sb, errp);
	if (ok) {
		char *what = xprintf("checkpoint metadata \"%s\"", path);
		ok = check_sum(what, sb.data, sb.len, errp);
		free(what);
	}
	if (ok) {
		char *save = NULL;
		for (char *line = strtok_r(sb.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			if (strncmp(line, "id ", 3) == 0)
				m->id = strtoull(line + 3, NULL, 10);
			else if (strncmp(line, "maxp ", 5) == 0)
				m->maxp = atoi(line + 5);
			else if (strcmp(line, "kind savepoint") == 0)
				m->savepoint = true;
			else if (strncmp(line, "task ", 5) == 0) {
				mtask t;
				memset(&t, 0, sizeof t);
				if (sscanf(line, "task %d %d %d %63s %" SCNu64 " %" SCNx64, &t.info.task,
				           &t.info.kg_first, &t.info.kg_last, t.info.manifest,
				           &t.info.manifest_size, &t.info.manifest_hash) != 6) {
					ok = sl_fail(errp, SL_ERR_CORRUPT, SL_SPAN_NONE, "bad line in \"%s\": %s", path,
					             line);
					break;
				}
				sl_vec_push(&m->tasks, t);
			}
		}
	}
	for (size_t i = 0; ok && i < m->tasks.n; i++)
		ok = parse_manifest(dir, &m->tasks.v[i], errp);
	if (ok && (m->maxp < 1 || m->tasks.n == 0))
		ok = sl_fail(errp, SL_ERR_CORRUPT, SL_SPAN_NONE, "checkpoint metadata \"%s\" is incomplete",
		             path);
	sl_strbuf_free(&sb);
	free(path);
	if (!ok)
		meta_free(m);
	return ok;
}

/* Copy (dst != NULL) or just read one listed file, checking size and hash. */
static bool
fetch_file(const char *dir, const mfile *f, const char *dst, sl_error **errp)
{
	char *src = xprintf("%s/%s", dir, f->rel);
	uint64_t size = 0, hash = 0;
	bool ok = sl_file_copy_hash(src, dst, &size, &hash, false, errp);
	if (ok && size != f->size)
		ok = sl_fail(errp, SL_ERR_CORRUPT, SL_SPAN_NONE,
		             "checkpoint file \"%s\" is truncated: %" PRIu64 " bytes, expected %" PRIu64, src,
		             size, f->size);
	else if (ok && hash != f->hash)
		ok = sl_fail(errp, SL_ERR_CORRUPT, SL_SPAN_NONE,
		             "checkpoint file \"%s\" is corrupt: checksum %016" PRIx64 ", expected %016" PRIx64,
		             src, hash, f->hash);
	free(src);
	return ok;
}

bool
sl_ck_verify(const char *dir, sl_error **errp)
{
	meta m;
	if (!parse_meta(dir, &m, errp))
		return false;
	bool ok = true;
	for (size_t i = 0; ok && i < m.tasks.n; i++)
		for (size_t j = 0; ok && j < m.tasks.v[i].files.n; j++)
			ok = fetch_file(dir, &m.tasks.v[i].files.v[j], NULL, errp);
	meta_free(&m);
	return ok;
}

/* ---------------------------------------------------------------------
 * Snapshot: synchronous part
 * ------------------------------------------------------------------- */

static bool
write_opstate(sl_state *st, const char *path, sl_error **errp)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return sl_fail(errp, SL_ERR_IO, SL_SPAN_NONE, "cannot create \"%s\": %s", path,
		               strerror(errno));
	fputs("SLOP1\n", f);
	for (size_t i = 0; i < st->ops.n; i++) {
		uint32_t nl = (uint32_t)strlen(st->ops.v[i].name);
		uint64_t bl = st->ops.v[i].len;
		fwrite(&nl, 4, 1, f);
		fwrite(st->ops.v[i].name, 1, nl, f);
		fwrite(&bl, 8, 1, f);
		fwrite(st->ops.v[i].bytes, 1, bl, f);
	}
	bool ok = !ferror(f);
	if (fclose(f) != 0 || !ok)
		return sl_fail(errp, SL_ERR_IO, SL_SPAN_NONE, "cannot write \"%s\"", path);
	return true;
}

/* Load the blobs of an OPSTATE file; suffix (e.g. "@1") appended to names. */
static bool
read_opstate(sl_state *st, const char *path, const char *suffix, sl_error **errp)
{
	sl_strbuf sb = SL_STRBUF_INIT;
	if (!sl_file_read_all(path, &sb, errp))
		return false;
	bool ok = sb.len >= 6 && memcmp(sb.data, "SLOP1\n", 6) == 0;
	size_t p = 6;
	while (ok && p < sb.len) {
		uint32_t nl;
		uint64_t bl;
		if (p + 4 > sb.len) { ok = false; break; }
		memcpy(&nl, sb.data + p, 4);
		p += 4;
		if (p + nl + 8 > sb.len) { ok = false; break; }
		char *name = xprintf("%.*s%s", (int)nl, sb.data + p, suffix);
		p += nl;
		memcpy(&bl, sb.data + p, 8);
		p += 8;
		if (p + bl > sb.len) { free(name); ok = false; break; }
		sl_state_op_put(st, name, sb.data + p, bl);
		free(name);
		p += bl;
	}
	sl_strbuf_free(&sb);
	if (!ok)
		return sl_fail(errp, SL_ERR_CORRUPT, SL_SPAN_NONE, "operator state file \"%s\" is corrupt",
		               path);
	return true;
}

static double
mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void
sl_state_snapshot_times(const sl_state_snapshot *snap, double *batch_ms, double *checkpoint_ms)
{
	*batch_ms = snap->batch_ms;
	*checkpoint_ms = snap->checkpoint_ms;
}

sl_state_snapshot *
sl_state_snapshot_take(sl_state *st, uint64_t id, sl_error **errp)
{
	double t0 = mono_ms();
	bool ok = true;
	for (size_t i = 0; i < st->kvs.n && ok; i++)
		ok = sl_kv_flush_into(st->kvs.v[i], errp);
	ok = ok && sl_state_batch_write(st, errp);
	rocksdb_writebatch_clear(st->wb); /* after an error: drop the rest */
	if (!ok)
		return NULL;
	for (size_t i = 0; i < st->timers.n; i++)
		sl_timers_after_flush(st->timers.v[i]);

	double t1 = mono_ms();
	char *dir = xprintf("%s/snap-%" PRIu64, st->dir, id);
	sl_rm_rf(dir);
	char *rerr = NULL;
	rocksdb_checkpoint_t *cp = rocksdb_checkpoint_object_create(st->db, &rerr);
	if (!rerr) {
		rocksdb_checkpoint_create(cp, dir, 0 /* flush memtables: the WAL is off */, &rerr);
		rocksdb_checkpoint_object_destroy(cp);
	}
	if (rerr) {
		sl_fail(errp, SL_ERR_CHECKPOINT, SL_SPAN_NONE, "cannot take RocksDB checkpoint \"%s\": %s",
		        dir, rerr);
		free(rerr);
		free(dir);
		return NULL;
	}
	char *op = xprintf("%s/OPSTATE", dir);
	ok = write_opstate(st, op, errp);
	free(op);
	if (!ok) {
		sl_rm_rf(dir);
		free(dir);
		return NULL;
	}
	sl_state_snapshot *snap = sl_xcalloc(1, sizeof *snap);
	snap->batch_ms = t1 - t0;
	snap->checkpoint_ms = mono_ms() - t1;
	sl_log(SL_LOG_DEBUG, "snapshot %" PRIu64 ": batch %.1f ms, checkpoint %.1f ms", id,
	       snap->batch_ms, snap->checkpoint_ms);
	snap->st = st;
	snap->id = id;
	snap->dir = dir;
	snap->kg_first = st->kg_first;
	snap->kg_last = st->kg_last;
	snap->maxp = st->maxp;
	return snap;
}

void
sl_state_snapshot_free(sl_state_snapshot *snap)
{
	if (!snap)
		return;
	sl_rm_rf(snap->dir);
	free(snap->dir);
	free(snap);
}

/* ---------------------------------------------------------------------
 * Snapshot: asynchronous part
 * ------------------------------------------------------------------- */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
list_dir(const char *dir, namevec *out, sl_error **errp)
{
	DIR *d = opendir(dir);
	if (!d)
		return sl_fail(errp, SL_ERR_IO, SL_SPAN_NONE, "cannot open directory \"%s\": %s", dir,
		               strerror(errno));
	struct dirent *de;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			sl_vec_push(out, sl_xstrdup(de->d_name));
	closedir(d);
	if (out->n)
		qsort(out->v, out->n, sizeof(char *), cmp_str);
	return true;
}

static void
free_names(namevec *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i]);
	sl_vec_free(v);
}

static bool
ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

char *
sl_ck_storage_dir(const sl_ck_storage *ck, uint64_t id, bool savepoint)
{
	return savepoint ? xprintf("%s/savepoints/sp-%" PRIu64, ck->jobdir, id)
	                 : xprintf("%s/chk-%" PRIu64, ck->jobdir, id);
}

bool
sl_state_snapshot_upload(sl_state_snapshot *snap, sl_ck_storage *ck, int task, bool savepoint,
                         sl_ck_task_info *info, sl_error **errp)
{
	sl_state *st = snap->st;
	char *ckdir = sl_ck_storage_dir(ck, snap->id, savepoint);
	char *taskdir = xprintf("%s/task-%d", ckdir, task);
	char *shdir = xprintf("%s/shared", ck->jobdir);
	namevec names = {0};
	sl_strbuf man = SL_STRBUF_INIT;
	bool ok = sl_mkdir_p(taskdir, errp) && sl_mkdir_p(shdir, errp) &&
	          list_dir(snap->dir, &names, errp);
	memset(info, 0, sizeof *info);
	info->task = task;
	info->kg_first = snap->kg_first;
	info->kg_last = snap->kg_last;
	sl_strbuf_appendf(&man, "sluice-task-manifest 1\ntask %d\nrange %d %d %d\n", task,
	                  snap->kg_first, snap->kg_last, snap->maxp);
	for (size_t i = 0; ok && i < names.n; i++) {
		const char *f = names.v[i];
		char *src = xprintf("%s/%s", snap->dir, f);
		uint64_t size = 0, hash = 0;
		if (!savepoint && ends_with(f, ".sst")) {
			shared_ref *ref = NULL;
			for (size_t j = 0; j < st->shared.n; j++)
				if (strcmp(st->shared.v[j].local, f) == 0)
					ref = &st->shared.v[j];
			struct stat sb;
			char *dst = ref ? xprintf("%s/%s", shdir, ref->shared) : NULL;
			if (ref && stat(dst, &sb) == 0 && (uint64_t)sb.st_size == ref->size) {
				size = ref->size; /* already in storage: reference it */
				hash = ref->hash;
			} else {
				char *sname = xprintf("%s-%s", st->uuid, f);
				free(dst);
				dst = xprintf("%s/%s", shdir, sname);
				char *tmp = xprintf("%s.tmp", dst);
				ok = sl_file_copy_hash(src, tmp, &size, &hash, true, errp);
				if (ok && rename(tmp, dst) != 0)
					ok = sl_fail(errp, SL_ERR_IO, SL_SPAN_NONE, "cannot rename \"%s\": %s", tmp,
					             strerror(errno));
				free(tmp);
				if (ok) {
					info->bytes_copied += size;
					if (!ref) {
						sl_vec_push(&st->shared, ((shared_ref){sl_xstrdup(f), NULL, 0, 0}));
						ref = &st->shared.v[st->shared.n - 1];
					}
					free(ref->shared);
					ref->shared = sname;
					ref->size = size;
					ref->hash = hash;
				} else {
					free(sname);
				}
			}
			if (ok)
				sl_strbuf_appendf(&man, "file ../shared/%s %s %" PRIu64 " %016" PRIx64 "\n",
				                  ref->shared, f, size, hash);
			free(dst);
		} else {
			char *dst = xprintf("%s/%s", taskdir, f);
			ok = sl_file_copy_hash(src, dst, &size, &hash, true, errp);
			if (ok) {
				info->bytes_copied += size;
				sl_strbuf_appendf(&man, "file task-%d/%s %s %" PRIu64 " %016" PRIx64 "\n", task, f,
				                  f, size, hash);
			}
			free(dst);
		}
		info->bytes_total += size;
		free(src);
	}
	if (ok) {
		sl_fsync_dir(taskdir);
		sl_fsync_dir(shdir);
		sl_strbuf_append(&man, "end\n");
		append_sum(&man);
		snprintf(info->manifest, sizeof info->manifest, "task-%d.manifest", task);
		char *mpath = xprintf("%s/%s", ckdir, info->manifest);
		ok = sl_file_write_atomic(mpath, man.data, man.len, errp);
		free(mpath);
		info->manifest_size = man.len;
		info->manifest_hash = sl_hash64(man.data, man.len, 0);
	}
	free_names(&names);
	sl_strbuf_free(&man);
	free(ckdir);
	free(taskdir);
	free(shdir);
	return ok;
}

/* ---------------------------------------------------------------------
 * Checkpoint storage
 * ------------------------------------------------------------------- */

sl_ck_storage *
sl_ck_storage_open(const char *root, const char *job, sl_error **errp)
{
	char *jobdir = xprintf("%s/%s", root, job);
	char *sh = xprintf("%s/shared", jobdir);
	bool ok = sl_mkdir_p(sh, errp);
	free(sh);
	if (!ok) {
		free(jobdir);
		return NULL;
	}
	sl_ck_storage *ck = sl_xcalloc(1, sizeof *ck);
	ck->jobdir = jobdir;
	return ck;
}

void
sl_ck_storage_free(sl_ck_storage *ck)
{
	if (!ck)
		return;
	free(ck->jobdir);
	free(ck);
}

const char *
sl_ck_storage_job_dir(const sl_ck_storage *ck)
{
	return ck->jobdir;
}

static int
cmp_task(const void *a, const void *b)
{
	return ((const sl_ck_task_info *)a)->task - ((const sl_ck_task_info *)b)->task;
}

bool
sl_ck_storage_commit(sl_ck_storage *ck, uint64_t id, bool savepoint, int maxp,
                     const sl_ck_task_info *tasks, int ntasks, sl_error **errp)
{
	sl_ck_task_info *t = sl_xmalloc(sizeof *t * (size_t)(ntasks ? ntasks : 1));
	memcpy(t, tasks, sizeof *t * (size_t)ntasks);
	qsort(t, (size_t)ntasks, sizeof *t, cmp_task);
	sl_strbuf sb = SL_STRBUF_INIT;
	sl_strbuf_appendf(&sb, "sluice-checkpoint 1\nid %" PRIu64 "\nkind %s\nmaxp %d\ntasks %d\n", id,
	                  savepoint ? "savepoint" : "checkpoint", maxp, ntasks);
	for (int i = 0; i < ntasks; i++)
		sl_strbuf_appendf(&sb, "task %d %d %d %s %" PRIu64 " %016" PRIx64 "\n", t[i].task,
		                  t[i].kg_first, t[i].kg_last, t[i].manifest, t[i].manifest_size,
		                  t[i].manifest_hash);
	sl_strbuf_append(&sb, "end\n");
	append_sum(&sb);
	char *dir = sl_ck_storage_dir(ck, id, savepoint);
	char *path = xprintf("%s/_metadata", dir);
	bool ok = sl_mkdir_p(dir, errp) && sl_file_write_atomic(path, sb.data, sb.len, errp);
	free(dir);
	free(path);
	free(t);
	sl_strbuf_free(&sb);
	return ok;
}

/* Checkpoint ids with a chk-<n> directory, newest first. */
static void
list_ids(sl_ck_storage *ck, idvec *ids)
{
	DIR *d = opendir(ck->jobdir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		char *end;
		if (strncmp(de->d_name, "chk-", 4) != 0)
			continue;
		uint64_t id = strtoull(de->d_name + 4, &end, 10);
		if (*end == 0 && end != de->d_name + 4)
			sl_vec_push(ids, id);
	}
	closedir(d);
	for (size_t i = 1; i < ids->n; i++) /* insertion sort, descending */
		for (size_t j = i; j > 0 && ids->v[j - 1] < ids->v[j]; j--) {
			uint64_t x = ids->v[j];
			ids->v[j] = ids->v[j - 1];
			ids->v[j - 1] = x;
		}
}

static bool
has_metadata(sl_ck_storage *ck, uint64_t id)
{
	char *p = xprintf("%s/chk-%" PRIu64 "/_metadata", ck->jobdir, id);
	bool r = access(p, F_OK) == 0;
	free(p);
	return r;
}

bool
sl_ck_storage_find(sl_ck_storage *ck, const char *which, uint64_t *id, char **dir, sl_error **errp)
{
	if (strcmp(which, "latest") != 0) {
		char *end;
		uint64_t want = strtoull(which, &end, 10);
		if (*end || end == which)
			return sl_fail(errp, SL_ERR_CHECKPOINT, SL_SPAN_NONE, "invalid checkpoint \"%s\"", which);
		char *d = sl_ck_storage_dir(ck, want, false);
		sl_error *e = NULL;
		if (!sl_ck_verify(d, &e)) {
			sl_fail(errp, SL_ERR_CHECKPOINT, SL_SPAN_NONE, "checkpoint %" PRIu64 " is not restorable: %s",
			        want, e->message);
			sl_error_free(e);
			free(d);
			return false;
		}
		*id = want;
		*dir = d;
		return true;
	}
	idvec ids = {0};
	list_ids(ck, &ids);
	sl_strbuf why = SL_STRBUF_INIT;
	for (size_t i = 0; i < ids.n; i++) {
		if (!has_metadata(ck, ids.v[i]))
			continue; /* incomplete: never existed */
		char *d = sl_ck_storage_dir(ck, ids.v[i], false);
		sl_error *e = NULL;
		if (sl_ck_verify(d, &e)) {
			*id = ids.v[i];
			*dir = d;
			sl_vec_free(&ids);
			sl_strbuf_free(&why);
			return true;
		}
		sl_log(SL_LOG_WARN,
		       "checkpoint %" PRIu64 " is not restorable: %s; falling back to the previous checkpoint",
		       ids.v[i], e->message);
		sl_strbuf_appendf(&why, "checkpoint %" PRIu64 ": %s. ", ids.v[i], e->message);
		sl_error_free(e);
		free(d);
	}
	sl_vec_free(&ids);
	sl_error *e = sl_error_new(SL_ERR_CHECKPOINT, SL_SPAN_NONE, "no restorable checkpoint in \"%s\"",
	                           ck->jobdir);
	if (why.len)
		sl_error_set_detail(e, "%s", why.data);
	sl_strbuf_free(&why);
	if (errp)
		*errp = e;
	else
		sl_error_free(e);
	return false;
}

bool
sl_ck_storage_retain(sl_ck_storage *ck, int keep, sl_error **errp)
{
	idvec ids = {0};
	list_ids(ck, &ids);
	int kept = 0;
	bool seen_complete = false;
	namevec refs = {0};
	for (size_t i = 0; i < ids.n; i++) {
		bool complete = has_metadata(ck, ids.v[i]);
		if (complete && kept < keep) {
			kept++;
			seen_complete = true;
			char *d = sl_ck_storage_dir(ck, ids.v[i], false);
			meta m;
			if (parse_meta(d, &m, NULL)) {
				for (size_t t = 0; t < m.tasks.n; t++)
					for (size_t f = 0; f < m.tasks.v[t].files.n; f++)
						if (strncmp(m.tasks.v[t].files.v[f].rel, "../shared/", 10) == 0)
							sl_vec_push(&refs, sl_xstrdup(m.tasks.v[t].files.v[f].rel + 10));
				meta_free(&m);
			}
			free(d);
			continue;
		}
		if (!complete && !seen_complete)
			continue; /* newer than every complete one: may still be written */
		char *d = sl_ck_storage_dir(ck, ids.v[i], false);
		/* make it incomplete first, so a crash midway leaves no half checkpoint */
		char *md = xprintf("%s/_metadata", d);
		unlink(md);
		free(md);
		sl_rm_rf(d);
		free(d);
	}
	if (refs.n)
		qsort(refs.v, refs.n, sizeof(char *), cmp_str);
	char *sh = xprintf("%s/shared", ck->jobdir);
	namevec files = {0};
	bool ok = list_dir(sh, &files, errp);
	for (size_t i = 0; ok && i < files.n; i++) {
		const char *key = files.v[i];
		if (refs.n && bsearch(&key, refs.v, refs.n, sizeof(char *), cmp_str))
			continue;
		char *p = xprintf("%s/%s", sh, files.v[i]);
		unlink(p);
		free(p);
	}
	free_names(&files);
	free_names(&refs);
	free(sh);
	sl_vec_free(&ids);
	return ok;
}

/* ---------------------------------------------------------------------
 * Restore and rescale
 * ------------------------------------------------------------------- */

static const mfile *
find_opstate(const mtask *t)
{
	for (size_t j = 0; j < t->files.n; j++)
		if (strcmp(t->files.v[j].local, "OPSTATE") == 0)
			return &t->files.v[j];
	return NULL;
}

/* Copy the files of old task t into dbdir (OPSTATE excluded). */
static bool
fetch_task(const char *dir, const mtask *t, const char *dbdir, sl_error **errp)
{
	if (!sl_mkdir_p(dbdir, errp))
		return false;
	for (size_t j = 0; j < t->files.n; j++) {
		const mfile *f = &t->files.v[j];
		if (strcmp(f->local, "OPSTATE") == 0)
			continue;
		char *dst = xprintf("%s/%s", dbdir, f->local);
		bool ok = fetch_file(dir, f, dst, errp);
		free(dst);
		if (!ok)
			return false;
	}
	return true;
}

/* Copy key groups [lo, hi] of every column family of the old DB at path. */
static bool
import_range(sl_state *st, const char *path, int lo, int hi, sl_error **errp)
{
	char *rerr = NULL;
	size_t ncf = 0;
	char **names = rocksdb_list_column_families(st->opts, path, &ncf, &rerr);
	if (rerr) {
		sl_fail(errp, SL_ERR_STATE, SL_SPAN_NONE, "cannot read restored state \"%s\": %s", path, rerr);
		free(rerr);
		return false;
	}
	const rocksdb_options_t **cfo = sl_xcalloc(ncf, sizeof *cfo);
	rocksdb_column_family_handle_t **h = sl_xcalloc(ncf, sizeof *h);
	for (size_t i = 0; i < ncf; i++)
		cfo[i] = st->opts;
	rocksdb_t *db = rocksdb_open_for_read_only_column_families(
	    st->opts, path, (int)ncf, (const char *const *)names, cfo, h, 0, &rerr);
	bool ok = true;
	if (rerr) {
		ok = sl_fail(errp, SL_ERR_STATE, SL_SPAN_NONE, "cannot open restored state \"%s\": %s", path,
		             rerr);
		free(rerr);
		db = NULL;
	}
	char lk[2], hk[2];
	put_be16(lk, (unsigned)lo);
	put_be16(hk, (unsigned)hi + 1);
	for (size_t i = 0; ok && i < ncf; i++) {
		if (strcmp(names[i], "default") == 0)
			continue;
		rocksdb_column_family_handle_t *dst = sl_state_cf(st, names[i], errp);
		if (!dst) {
			ok = false;
			break;
		}
		rocksdb_readoptions_t *ro = rocksdb_readoptions_create();
		rocksdb_readoptions_set_iterate_upper_bound(ro, hk, 2);
		rocksdb_iterator_t *it = rocksdb_create_iterator_cf(db, ro, h[i]);
		rocksdb_writebatch_t *wb = rocksdb_writebatch_create();
		size_t bytes = 0;
		for (rocksdb_iter_seek(it, lk, 2); ok && rocksdb_iter_valid(it); rocksdb_iter_next(it)) {
			size_t kl, vl;
			const char *k = rocksdb_iter_key(it, &kl);
			const char *v = rocksdb_iter_value(it, &vl);
			rocksdb_writebatch_put_cf(wb, dst, k, kl, v, vl);
			bytes += kl + vl;
			if (bytes > (4u << 20)) {
				ok = sl_state_write_batch(st, wb, errp);
				rocksdb_writebatch_clear(wb);
				bytes = 0;
			}
		}
		if (ok)
			ok = sl_state_write_batch(st, wb, errp);
		rocksdb_writebatch_destroy(wb);
		rocksdb_iter_destroy(it);
		rocksdb_readoptions_destroy(ro);
	}
	for (size_t i = 0; i < ncf; i++)
		if (h[i])
			rocksdb_column_family_handle_destroy(h[i]);
	if (db)
		rocksdb_close(db);
	rocksdb_list_column_families_destroy(names, ncf);
	free(cfo);
	free(h);
	return ok;
}

bool
sl_state_restore(sl_state *st, const char *dir, sl_error **errp)
{
	meta m;
	if (!parse_meta(dir, &m, errp))
		return false;
	bool ok = true;
	if (m.maxp != st->maxp) {
		ok = sl_fail(errp, SL_ERR_CHECKPOINT, SL_SPAN_NONE,
		             "checkpoint \"%s\" has max parallelism %d, the job uses %d", dir, m.maxp,
		             st->maxp);
		goto out;
	}
	/* base: the old task holding most of our key groups */
	int base = -1, best = 0;
	for (size_t i = 0; i < m.tasks.n; i++) {
		const sl_ck_task_info *t = &m.tasks.v[i].info;
		int ov = SL_MIN(t->kg_last, st->kg_last) - SL_MAX(t->kg_first, st->kg_first) + 1;
		if (ov > best) {
			best = ov;
			base = (int)i;
		}
	}
	if (base < 0) {
		ok = sl_state_open_db(st, true, errp);
	} else {
		const mtask *bt = &m.tasks.v[base];
		ok = fetch_task(dir, bt, st->dbdir, errp) && sl_state_open_db(st, false, errp);
		/* drop the key groups that are not ours, in every column family */
		char lo[2], hi[2], top[3] = {'\xff', '\xff', '\xff'};
		put_be16(lo, (unsigned)st->kg_first);
		put_be16(hi, (unsigned)st->kg_last + 1);
		for (size_t c = 0; ok && c < st->cfs.n; c++) {
			if (strcmp(st->cfnames.v[c], "default") == 0)
				continue;
			char *rerr = NULL;
			if (bt->info.kg_first < st->kg_first)
				rocksdb_delete_range_cf(st->db, st->wo, st->cfs.v[c], "\0\0", 2, lo, 2, &rerr);
			if (!rerr && bt->info.kg_last > st->kg_last)
				rocksdb_delete_range_cf(st->db, st->wo, st->cfs.v[c], hi, 2, top, 3, &rerr);
			if (rerr) {
				ok = sl_fail(errp, SL_ERR_STATE, SL_SPAN_NONE, "delete range failed: %s", rerr);
				free(rerr);
			}
		}
		/* the base's SSTs are already in storage: seed the shared map */
		for (size_t j = 0; ok && j < bt->files.n; j++) {
			const mfile *f = &bt->files.v[j];
			if (strncmp(f->rel, "../shared/", 10) == 0)
				sl_vec_push(&st->shared, ((shared_ref){sl_xstrdup(f->local), sl_xstrdup(f->rel + 10),
				                                       f->size, f->hash}));
		}
		/* the other old tasks overlapping our range */
		for (size_t i = 0; ok && i < m.tasks.n; i++) {
			const sl_ck_task_info *t = &m.tasks.v[i].info;
			int lo_kg = SL_MAX(t->kg_first, st->kg_first), hi_kg = SL_MIN(t->kg_last, st->kg_last);
			if ((int)i == base || lo_kg > hi_kg)
				continue;
			char *tmp = xprintf("%s/import-%d", st->dir, t->task);
			sl_rm_rf(tmp);
			ok = fetch_task(dir, &m.tasks.v[i], tmp, errp) &&
			     import_range(st, tmp, lo_kg, hi_kg, errp);
			sl_rm_rf(tmp);
			free(tmp);
		}
	}
	/* operator state */
	bool same = base >= 0 && m.tasks.v[base].info.kg_first == st->kg_first &&
	            m.tasks.v[base].info.kg_last == st->kg_last;
	for (size_t i = 0; ok && i < m.tasks.n; i++) {
		if (same && (int)i != base)
			continue;
		const mfile *f = find_opstate(&m.tasks.v[i]);
		if (!f)
			continue;
		char *dst = xprintf("%s/OPSTATE.%zu", st->dir, i);
		char suffix[32] = "";
		if (!same)
			snprintf(suffix, sizeof suffix, "@%d", m.tasks.v[i].info.task);
		ok = fetch_file(dir, f, dst, errp) && read_opstate(st, dst, suffix, errp);
		unlink(dst);
		free(dst);
	}
out:
	meta_free(&m);
	return ok;
}
