/*
 * filesystem_sink.c
 *	  The 'filesystem' connector as a sink: rows encoded with 'format'
 *	  (csv, json, raw; runtime/format/), one per line, into part files
 *	  under 'path', made visible exactly once.
 *
 *	  Layout: PARTITIONED BY columns choose a directory per row,
 *	  <path>/k1=v1/k2=v2/ (values as csv writes them; '/', '%', '\\' and
 *	  control characters as %XX; NULL or '' is 'partition.default-name');
 *	  partition columns are not written into the records (Flink). Each
 *	  subtask writes one in-progress file per partition it sees:
 *	    .part-<sink>-<run>-<subtask>-<seq>.inprogress  (hidden: readers skip it)
 *	  and renames it, when committed, to
 *	    part-<sink>-<run>-<subtask>-<seq>
 *	  <sink> is a stable hash of (table, path, operator index): the same for
 *	  every run of the job; <run> is random per subtask at a fresh start and
 *	  kept in the checkpoint, so names are stable across restores and
 *	  unique across runs. At open, a subtask deletes every in-progress file
 *	  of <sink> whose subtask number is its own modulo the parallelism and
 *	  that its restored checkpoint does not list: leftovers of runs killed
 *	  before or after their last completed checkpoint. (So two jobs must not
 *	  write the same table into the same path at the same time.)
 *
 *	  Rolling: a file is closed (and becomes pending) when it reaches
 *	  'sink.rolling-policy.file-size', after 'sink.rolling-policy.
 *	  rollover-interval' (checked on each chunk, at most every
 *	  'check-interval'), at every checkpoint, and when its partition is
 *	  ready to be committed.
 *
 *	  Exactly once (two-phase commit with the checkpoints of
 *	  docs/checkpoints.md):
 *	    snapshot(id)          close (fsync) every open file; every pending
 *	                          file not yet in a checkpoint gets epoch id; put
 *	                          blob "fs.sink": uuid, next seq, the uncommitted
 *	                          pending files, partitions awaiting a marker
 *	    notify_complete(id)   rename every pending file with epoch <= id to
 *	                          its visible name (already renamed: fine), then
 *	                          write the success markers that became due
 *	    open() after restore  read the blob, rename its pending files (they
 *	                          belong to a completed checkpoint), delete this
 *	                          subtask's in-progress files the checkpoint does
 *	                          not know (written after it), continue the seq
 *	  In a job without periodic checkpoints (restored or not) everything
 *	  is committed when the input has ended, at close(); with checkpoints,
 *	  the job's final checkpoint after the end commits the last files.
 *	  Crash points (sl_crash_point): "after-notify-before-commit" and
 *	  "mid-commit" (after the first rename) in notify_complete.
 *
 *	  Partition commit ('sink.partition-commit.policy.kind' =
 *	  'success-file'): an empty 'sink.partition-commit.success-file.name'
 *	  (default _SUCCESS) is written into a partition directory once every
 *	  subtask has committed its files of it and the trigger fired for every
 *	  subtask (registry below, write_markers):
 *	  'partition-time': the watermark passes the partition's time plus
 *	  'sink.partition-commit.delay' (time from 'partition.time-extractor.
 *	  timestamp-pattern', e.g. '$dt $hm:00', read as yyyy-MM-dd HH:mm:ss in
 *	  UTC; unset: the first partition value); 'process-time': the wall
 *	  clock passes the partition's creation plus the delay. At the end of
 *	  bounded input every partition is marked.
 *
 *	  Changelog: the sink is append-only (the planner refuses updating
 *	  input for csv/json/raw; a -D row here is written like +I).
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_filesystem_sink
 */
#include "runtime/op.h"
#include "runtime/format/format.h"
#include "runtime/runtime_int.h"
#include "state/state.h"

#include <dirent.h>
#include <pthread.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#pragma weak sl_crash_point
void sl_task_note_watermark(sl_task *task, int64_t wm);

#define FS_FLUSH_BYTES 65536

typedef struct fspending {
	char *tmp, *final;          /* relative to root */
	uint64_t epoch;             /* 0: closed after the last snapshot */
} fspending;

typedef struct fspart {
	char *key;                  /* "k1=v1/k2=v2" or "" */
	int64_t ptime;              /* partition time (us) or INT64_MIN */
	int64_t created_ms;
	bool marked;                /* success file written */
	bool ready;                 /* trigger fired: commit and mark */
	/* the open file, fd < 0 when none */
	int fd;
	char *tmp, *final;
	int64_t size, opened_ms;
	sl_strbuf buf;
} fspart;

typedef struct fssink {
	const char *table;
	const char *root;
	sl_format_spec spec;
	sl_encoder *enc;
	int npart;
	int *part_in;               /* per partition column: input column */
	const char **part_names;
	int64_t roll_size, roll_ms, check_ms;
	bool trig_ptime;            /* partition-time, else process-time */
	int64_t delay_ms;
	const char *success;        /* marker file name or NULL */
	const char *ts_pattern;     /* NULL: first partition value */
	const char *default_part;
	/* runtime */
	char uuid[20];              /* <run> */
	char sink_id[12];           /* <sink> */
	uint64_t seq;
	fspart *parts;
	int nparts, capparts, last;
	fspending *pend;
	int npend, cappend;
	int64_t wm;
	int64_t last_check_ms;
	bool snapshotted, ended, committed_at_close;
	sl_strbuf key, line;
	struct fsreg *reg;          /* partition commit across subtasks */
} fssink;

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *
join(const char *a, const char *b)
{
	char *p = sl_xmalloc(strlen(a) + strlen(b) + 2);
	if (*b)
		sprintf(p, "%s/%s", a, b);
	else
		strcpy(p, a);
	return p;
}

static bool
mkdirs(const char *path)
{
	char *p = sl_xstrdup(path);
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			if (mkdir(p, 0777) != 0 && errno != EEXIST) {
				free(p);
				return false;
			}
			*s = '/';
		}
	free(p);
	return mkdir(path, 0777) == 0 || errno == EEXIST;
}

static bool
io_err(fssink *s, sl_error **errp, const char *what, const char *path)
{
	*errp = sl_error_new(SL_ERR_IO, SL_SPAN_NONE, "filesystem table \"%s\": cannot %s %s: %s", s->table, what,
	                     path, strerror(errno));
	return false;
}

static void
add_pending(fssink *s, char *tmp, char *final, uint64_t epoch)
{
	if (s->npend == s->cappend) {
		s->cappend = s->cappend ? s->cappend * 2 : 16;
		s->pend = sl_xrealloc(s->pend, (size_t)s->cappend * sizeof *s->pend);
	}
	s->pend[s->npend].tmp = tmp;
	s->pend[s->npend].final = final;
	s->pend[s->npend].epoch = epoch;
	s->npend++;
}

/* 'path' without a file:// prefix. */
static const char *
fs_path_option(const sl_table *t)
{
	for (int i = 0; i < t->noptions; i++)
		if (sl_streq_ci(t->options[i].key, "path")) {
			const char *p = t->options[i].value;
			return strncmp(p, "file://", 7) == 0 ? p + 7 : p;
		}
	return NULL;
}

/* ---- part files ---------------------------------------------------------- */
static bool
flush_part(fssink *s, fspart *p, sl_error **errp)
{
	size_t off = 0;
	while (off < p->buf.len) {
		ssize_t w = write(p->fd, p->buf.data + off, p->buf.len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			char *full = join(s->root, p->tmp);
			io_err(s, errp, "write", full);
			free(full);
			return false;
		}
		off += (size_t)w;
	}
	sl_strbuf_reset(&p->buf);
	return true;
}

/* Close p's open file (fsync) and make it pending (epoch 0). */
static bool
roll(fssink *s, fspart *p, sl_error **errp)
{
	if (p->fd < 0)
		return true;
	if (!flush_part(s, p, errp))
		return false;
	if (fsync(p->fd) != 0) {
		char *full = join(s->root, p->tmp);
		io_err(s, errp, "fsync", full);
		free(full);
		return false;
	}
	close(p->fd);
	p->fd = -1;
	add_pending(s, p->tmp, p->final, 0);
	p->tmp = p->final = NULL;
	return true;
}

static bool
open_file(fssink *s, sl_op *op, fspart *p, sl_error **errp)
{
	char name[128], *dir = join(s->root, p->key), *full;
	if (!mkdirs(dir)) {
		io_err(s, errp, "create directory", dir);
		free(dir);
		return false;
	}
	free(dir);
	snprintf(name, sizeof name, ".part-%s-%s-%d-%llu.inprogress", s->sink_id, s->uuid, op->subtask,
	         (unsigned long long)s->seq);
	p->tmp = join(p->key, name);
	snprintf(name, sizeof name, "part-%s-%s-%d-%llu", s->sink_id, s->uuid, op->subtask,
	         (unsigned long long)s->seq);
	p->final = join(p->key, name);
	s->seq++;
	full = join(s->root, p->tmp);
	p->fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (p->fd < 0) {
		io_err(s, errp, "create", full);
		free(full);
		return false;
	}
	free(full);
	p->size = 0;
	p->opened_ms = now_ms();
	return true;
}

/* ---- partitions ---------------------------------------------------------- */
/* Directory text of a partition value: escapes as Flink's (subset). */
static void
esc_value(const char *v, size_t n, sl_strbuf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c < 0x20 || c == 0x7f || c == '/' || c == '%' || c == '\\' || c == '=' || c == '"') {
			sl_strbuf_appendc(out, '%');
			sl_strbuf_appendc(out, hex[c >> 4]);
			sl_strbuf_appendc(out, hex[c & 15]);
		} else {
			sl_strbuf_appendc(out, (char)c);
		}
	}
}

/* The partition time of a key: the pattern with $name replaced by the
 * (unescaped) values, read as a timestamp or a date. INT64_MIN: none. */
static int64_t
partition_time(fssink *s, const char *key)
{
	sl_strbuf t = SL_STRBUF_INIT;
	int64_t us = INT64_MIN;
	const char *pat = s->ts_pattern;
	char *vals[16] = {0};
	int nv = 0;
	const char *p = key;
	/* split key into values */
	while (*p && nv < 16) {
		const char *eq = strchr(p, '='), *sl = strchr(p, '/');
		size_t n;
		if (!eq)
			break;
		n = sl ? (size_t)(sl - eq - 1) : strlen(eq + 1);
		vals[nv] = sl_xmalloc(n + 1);
		{
			size_t k = 0;
			for (size_t i = 0; i < n; i++) {
				const char *q = eq + 1 + i;
				if (*q == '%' && i + 2 < n) {
					char hx[3] = {q[1], q[2], 0};
					vals[nv][k++] = (char)strtol(hx, NULL, 16);
					i += 2;
				} else {
					vals[nv][k++] = *q;
				}
			}
			vals[nv][k] = '\0';
		}
		nv++;
		p = sl ? sl + 1 : eq + 1 + n;
	}
	if (!pat) {
		if (nv > 0)
			sl_strbuf_append(&t, vals[0]);
	} else {
		for (const char *q = pat; *q;) {
			if (*q == '$') {
				int best = -1;
				size_t bl = 0;
				for (int i = 0; i < s->npart && i < nv; i++) {
					size_t l = strlen(s->part_names[i]);
					if (strncmp(q + 1, s->part_names[i], l) == 0 && l > bl) {
						best = i;
						bl = l;
					}
				}
				if (best >= 0) {
					sl_strbuf_append(&t, vals[best]);
					q += 1 + bl;
					continue;
				}
			}
			sl_strbuf_appendc(&t, *q++);
		}
	}
	if (t.len) {
		int32_t days;
		if (!sl_parse_timestamp(t.data, t.len, &us)) {
			if (sl_parse_date(t.data, t.len, &days))
				us = (int64_t)days * 86400000000LL;
			else
				us = INT64_MIN;
		}
	}
	for (int i = 0; i < nv; i++)
		free(vals[i]);
	sl_strbuf_free(&t);
	return us;
}

static fspart *
find_part(fssink *s, const char *key, size_t klen)
{
	fspart *p;
	if (s->last >= 0 && strlen(s->parts[s->last].key) == klen && memcmp(s->parts[s->last].key, key, klen) == 0)
		return &s->parts[s->last];
	for (int i = 0; i < s->nparts; i++)
		if (strlen(s->parts[i].key) == klen && memcmp(s->parts[i].key, key, klen) == 0) {
			s->last = i;
			return &s->parts[i];
		}
	if (s->nparts == s->capparts) {
		s->capparts = s->capparts ? s->capparts * 2 : 8;
		s->parts = sl_xrealloc(s->parts, (size_t)s->capparts * sizeof *s->parts);
	}
	p = &s->parts[s->nparts];
	memset(p, 0, sizeof *p);
	p->key = sl_xmalloc(klen + 1);
	memcpy(p->key, key, klen);
	p->key[klen] = '\0';
	p->fd = -1;
	p->created_ms = now_ms();
	p->ptime = s->npart ? partition_time(s, p->key) : INT64_MIN;
	s->last = s->nparts++;
	return p;
}

/* ---- committing ------------------------------------------------------------ */
static bool
commit_file(fssink *s, const fspending *f, sl_error **errp)
{
	char *a = join(s->root, f->tmp), *b = join(s->root, f->final);
	bool ok = true;
	if (rename(a, b) != 0) {
		struct stat st;
		if (!(errno == ENOENT && stat(b, &st) == 0)) /* already renamed: fine */
			ok = io_err(s, errp, "commit (rename)", a);
	}
	free(a);
	free(b);
	return ok;
}

/* Does partition p still have files not committed? */
static bool
part_busy(const fssink *s, const fspart *p)
{
	size_t kl = strlen(p->key);
	if (p->fd >= 0)
		return true;
	for (int i = 0; i < s->npend; i++)
		if (strncmp(s->pend[i].tmp, p->key, kl) == 0 && (kl == 0 || s->pend[i].tmp[kl] == '/') &&
		    strchr(s->pend[i].tmp + kl + (kl ? 1 : 0), '/') == NULL)
			return true;
	return false;
}

/* ---- partition commit across subtasks --------------------------------------
 * A partition is complete only when every subtask is done with it, so the
 * markers are decided in one place per sink: a process-wide registry
 * (subtasks are threads of one process), keyed by <sink> and path. At each
 * notify_complete (and at the end without checkpoints) a subtask adds its
 * unmarked partitions, then sets its "done" bit on every registered
 * partition whose trigger fired for it (its watermark / clock, or its
 * input ended) and for which it holds no uncommitted file. The subtask
 * that completes a partition's bits writes the marker. */
typedef struct fsregpart {
	char *key;
	int64_t ptime, created_ms;
	uint64_t *done;             /* bit per subtask */
	bool marked;
} fsregpart;

typedef struct fsreg {
	struct fsreg *next;
	char sink_id[12];
	char *root;
	int nsub, nopen;
	uint64_t *ended;            /* bit per subtask: input over, all committed */
	fsregpart *parts;
	int nparts, cap;
} fsreg;

static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static fsreg *regs;

static fsreg *
reg_get(fssink *s, int nsub)
{
	fsreg *r;
	pthread_mutex_lock(&reg_mu);
	for (r = regs; r; r = r->next)
		if (strcmp(r->sink_id, s->sink_id) == 0 && strcmp(r->root, s->root) == 0 && r->nsub == nsub)
			break;
	if (!r) {
		r = sl_xcalloc(1, sizeof *r);
		memcpy(r->sink_id, s->sink_id, sizeof r->sink_id);
		r->root = sl_xstrdup(s->root);
		r->nsub = nsub;
		r->ended = sl_xcalloc((size_t)(nsub + 63) / 64, sizeof(uint64_t));
		r->next = regs;
		regs = r;
	}
	r->nopen++;
	pthread_mutex_unlock(&reg_mu);
	return r;
}

static void
reg_release(fsreg *r)
{
	pthread_mutex_lock(&reg_mu);
	if (--r->nopen == 0) {
		fsreg **pp = &regs;
		while (*pp != r)
			pp = &(*pp)->next;
		*pp = r->next;
		for (int i = 0; i < r->nparts; i++) {
			free(r->parts[i].key);
			free(r->parts[i].done);
		}
		free(r->parts);
		free(r->ended);
		free(r->root);
		free(r);
	}
	pthread_mutex_unlock(&reg_mu);
}

static fsregpart *
reg_part(fsreg *r, const fspart *p)
{
	fsregpart *q;
	for (int i = 0; i < r->nparts; i++)
		if (strcmp(r->parts[i].key, p->key) == 0) {
			if (p->created_ms < r->parts[i].created_ms)
				r->parts[i].created_ms = p->created_ms;
			return &r->parts[i];
		}
	if (r->nparts == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->parts = sl_xrealloc(r->parts, (size_t)r->cap * sizeof *r->parts);
	}
	q = &r->parts[r->nparts++];
	q->key = sl_xstrdup(p->key);
	q->ptime = p->ptime;
	q->created_ms = p->created_ms;
	q->done = sl_xcalloc((size_t)(r->nsub + 63) / 64, sizeof(uint64_t));
	q->marked = false;
	return q;
}

static bool
write_marker(fssink *s, const char *key, sl_error **errp)
{
	char *dir = join(s->root, key), *m = join(dir, s->success);
	int fd = open(m, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
	free(dir);
	if (fd < 0) {
		io_err(s, errp, "create", m);
		free(m);
		return false;
	}
	close(fd);
	free(m);
	return true;
}

/* This subtask's report (see above); `ended`: its input is over and every
 * file of it committed. */
static bool
write_markers(fssink *s, sl_op *op, bool ended, sl_error **errp)
{
	fsreg *r = s->reg;
	int64_t now = now_ms();
	bool ok = true;
	if (!s->success || !r)
		return true;
	pthread_mutex_lock(&reg_mu);
	for (int i = 0; i < s->nparts; i++)
		if (!s->parts[i].marked)
			reg_part(r, &s->parts[i]);
	if (ended)
		r->ended[op->subtask >> 6] |= 1ULL << (op->subtask & 63);
	for (int i = 0; i < r->nparts && ok; i++) {
		fsregpart *q = &r->parts[i];
		const fspart *mine = NULL;
		bool fired, all = true;
		if (q->marked)
			continue;
		for (int k = 0; k < s->nparts; k++)
			if (strcmp(s->parts[k].key, q->key) == 0)
				mine = &s->parts[k];
		fired = ended || (mine && mine->ready) || (s->trig_ptime ? q->ptime != INT64_MIN && s->wm != INT64_MIN &&
		                                      s->wm > q->ptime + s->delay_ms * 1000
		                                : now >= q->created_ms + s->delay_ms);
		if (!fired || (mine && part_busy(s, mine)))
			continue;
		q->done[op->subtask >> 6] |= 1ULL << (op->subtask & 63);
		for (int k = 0; k < r->nsub && all; k++)
			all = ((q->done[k >> 6] | r->ended[k >> 6]) >> (k & 63)) & 1;
		if (all) {
			ok = write_marker(s, q->key, errp);
			q->marked = ok;
		}
	}
	/* partitions marked (by anyone) need no M line in our checkpoints */
	for (int i = 0; i < s->nparts; i++)
		for (int k = 0; k < r->nparts; k++)
			if (r->parts[k].marked && strcmp(r->parts[k].key, s->parts[i].key) == 0)
				s->parts[i].marked = true;
	pthread_mutex_unlock(&reg_mu);
	return ok;
}

/* Commit pending files with epoch <= upto (UINT64_MAX with all: every
 * pending file, including epoch 0). */
static bool
commit_upto(fssink *s, uint64_t upto, bool all, uint64_t ckid, sl_error **errp)
{
	int k = 0;
	bool first = true;
	for (int i = 0; i < s->npend; i++) {
		fspending *f = &s->pend[i];
		if (all || (f->epoch != 0 && f->epoch <= upto)) {
			if (!commit_file(s, f, errp))
				return false;
			if (first && sl_crash_point)
				sl_crash_point("mid-commit", ckid);
			first = false;
			free(f->tmp);
			free(f->final);
		} else {
			s->pend[k++] = *f;
		}
	}
	s->npend = k;
	return true;
}

/* Mark partitions whose trigger fired as ready and roll their files. */
static bool
check_ready(fssink *s, sl_error **errp)
{
	int64_t now = now_ms();
	if (!s->success)
		return true;
	for (int i = 0; i < s->nparts; i++) {
		fspart *p = &s->parts[i];
		if (p->ready || p->marked)
			continue;
		if (s->trig_ptime ? (p->ptime != INT64_MIN && s->wm != INT64_MIN &&
		                     s->wm > p->ptime + s->delay_ms * 1000)
		                  : now >= p->created_ms + s->delay_ms) {
			p->ready = true;
			if (!roll(s, p, errp))
				return false;
		}
	}
	return true;
}

/* ---- operator callbacks ------------------------------------------------------ */
static bool
fk_push(sl_op *op, int port, sl_chunk *in, sl_error **errp)
{
	fssink *s = op->priv;
	uint32_t live = sl_chunk_live(in);
	(void)port;
	for (uint32_t i = 0; i < live; i++) {
		uint32_t r = in->sel ? in->sel[i] : i;
		fspart *p;
		size_t before;
		sl_strbuf_reset(&s->key);
		for (int k = 0; k < s->npart; k++) {
			const sl_vector *v = in->cols[s->part_in[k]];
			if (k)
				sl_strbuf_appendc(&s->key, '/');
			sl_strbuf_append(&s->key, s->part_names[k]);
			sl_strbuf_appendc(&s->key, '=');
			sl_strbuf_reset(&s->line);
			if (sl_vec_valid(v, r))
				sl_format_value_to_text(v, r, &s->line);
			if (s->line.len == 0)
				sl_strbuf_append(&s->key, s->default_part);
			else
				esc_value(s->line.data, s->line.len, &s->key);
		}
		p = find_part(s, s->key.data ? s->key.data : "", s->key.len);
		if (p->fd < 0 && !open_file(s, op, p, errp))
			goto fail;
		before = p->buf.len;
		if (!sl_encoder_encode(s->enc, in, r, &p->buf, errp))
			goto fail;
		sl_strbuf_appendc(&p->buf, '\n');
		p->size += (int64_t)(p->buf.len - before);
		if (p->buf.len >= FS_FLUSH_BYTES && !flush_part(s, p, errp))
			goto fail;
		if (p->size >= s->roll_size && !roll(s, p, errp))
			goto fail;
	}
	sl_task_count_sink_rows(op->task, live);
	sl_chunk_unref(in);
	{
		int64_t now = now_ms();
		if (now - s->last_check_ms >= s->check_ms) {
			s->last_check_ms = now;
			for (int i = 0; i < s->nparts; i++)
				if (s->parts[i].fd >= 0 && now - s->parts[i].opened_ms >= s->roll_ms &&
				    !roll(s, &s->parts[i], errp))
					return false;
			if (!s->trig_ptime && !check_ready(s, errp))
				return false;
		}
	}
	return true;
fail:
	sl_chunk_unref(in);
	return false;
}

static bool
fk_watermark(sl_op *op, int64_t wm, sl_error **errp)
{
	fssink *s = op->priv;
	sl_task_note_watermark(op->task, wm);
	s->wm = wm;
	return !s->trig_ptime || check_ready(s, errp);
}

static bool
fk_end(sl_op *op, sl_error **errp)
{
	fssink *s = op->priv;
	(void)op;
	s->ended = true;
	for (int i = 0; i < s->nparts; i++) {
		if (!roll(s, &s->parts[i], errp))
			return false;
		s->parts[i].ready = true;
	}
	return true;
}

/* blob "fs.sink": text lines
 *   U <uuid>            S <next seq>
 *   P <epoch> <tmp>\t<final>
 *   M <ready 0/1> <created_ms> <key>        partitions not yet marked */
static bool
fk_snapshot(sl_op *op, uint64_t id, sl_error **errp)
{
	fssink *s = op->priv;
	sl_state *st = sl_op_state(op, errp);
	sl_strbuf b = SL_STRBUF_INIT;
	if (!st)
		return false;
	s->snapshotted = true;
	for (int i = 0; i < s->nparts; i++)
		if (!roll(s, &s->parts[i], errp))
			return false;
	for (int i = 0; i < s->npend; i++)
		if (s->pend[i].epoch == 0)
			s->pend[i].epoch = id;
	sl_strbuf_appendf(&b, "U %s\nS %llu\n", s->uuid, (unsigned long long)s->seq);
	for (int i = 0; i < s->npend; i++)
		sl_strbuf_appendf(&b, "P %llu %s\t%s\n", (unsigned long long)s->pend[i].epoch, s->pend[i].tmp,
		                  s->pend[i].final);
	for (int i = 0; i < s->nparts; i++)
		if (!s->parts[i].marked)
			sl_strbuf_appendf(&b, "M %d %lld %s\n", s->parts[i].ready ? 1 : 0,
			                  (long long)s->parts[i].created_ms, s->parts[i].key);
	sl_state_op_put(st, "fs.sink", b.data ? b.data : "", b.len);
	sl_strbuf_free(&b);
	return true;
}

static bool
fk_notify(sl_op *op, uint64_t id, sl_error **errp)
{
	fssink *s = op->priv;
	(void)op;
	if (sl_crash_point)
		sl_crash_point("after-notify-before-commit", id);
	if (!commit_upto(s, id, false, id, errp))
		return false;
	return write_markers(s, op, s->ended && s->npend == 0, errp);
}

/* Delete, under dir, the in-progress files of this sink (<sink> prefix)
 * of subtasks k with k mod P == ours that no pending entry lists. */
static bool
delete_stale(fssink *s, sl_op *op, const char *dir, sl_error **errp)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char prefix[32];
	size_t pl;
	if (!d)
		return true;
	pl = (size_t)snprintf(prefix, sizeof prefix, ".part-%s-", s->sink_id);
	while ((e = readdir(d))) {
		char *p;
		struct stat st;
		const char *rest, *dash;
		size_t nl = strlen(e->d_name);
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		p = join(dir, e->d_name);
		if (e->d_name[0] != '.' && stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			bool ok = delete_stale(s, op, p, errp);
			free(p);
			if (!ok) {
				closedir(d);
				return false;
			}
			continue;
		}
		/* .part-<sink>-<run>-<k>-<seq>.inprogress */
		if (strncmp(e->d_name, prefix, pl) == 0 && nl > pl + 11 &&
		    strcmp(e->d_name + nl - 11, ".inprogress") == 0 && (rest = strchr(e->d_name + pl, '-')) &&
		    (dash = strchr(rest + 1, '-')) && atoi(rest + 1) % op->parallelism == op->subtask) {
			bool known = false;
			const char *rel = p + strlen(s->root) + 1;
			for (int i = 0; i < s->npend && !known; i++)
				known = strcmp(s->pend[i].tmp, rel) == 0;
			if (!known && unlink(p) != 0 && errno != ENOENT) {
				io_err(s, errp, "delete", p);
				free(p);
				closedir(d);
				return false;
			}
		}
		free(p);
	}
	closedir(d);
	return true;
}

/* Parse one blob: adopt its pending files (and, when own, run id, seq and
 * partitions). */
static bool
adopt_blob(sl_op *op, fssink *s, const char *b, size_t n, bool own, sl_error **errp)
{
	char uuid[20] = "";
	const char *p = b, *end = b + n;
	(void)op;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = sl_xmalloc(l + 1);
		memcpy(line, p, l);
		line[l] = '\0';
		if (line[0] == 'U' && l > 2) {
			snprintf(uuid, sizeof uuid, "%s", line + 2);
		} else if (line[0] == 'S' && own) {
			s->seq = strtoull(line + 2, NULL, 10);
		} else if (line[0] == 'P') {
			char *sp = strchr(line + 2, ' '), *tab = sp ? strchr(sp + 1, '\t') : NULL;
			if (sp && tab) {
				*tab = '\0';
				add_pending(s, sl_xstrdup(sp + 1), sl_xstrdup(tab + 1), strtoull(line + 2, NULL, 10));
			}
		} else if (line[0] == 'M' && own) {
			char *q = line + 2, *e1;
			int ready = (int)strtol(q, &e1, 10);
			int64_t created = strtoll(e1, &q, 10);
			fspart *pt;
			if (*q == ' ')
				q++;
			pt = find_part(s, q, strlen(q));
			pt->ready = ready != 0;
			pt->created_ms = created;
		}
		free(line);
		p += l + 1;
	}
	(void)errp;
	if (own && uuid[0])
		memcpy(s->uuid, uuid, sizeof s->uuid);
	return true;
}

static bool
restore(sl_op *op, fssink *s, sl_error **errp)
{
	sl_state *st = sl_op_state(op, errp);
	const void *b;
	size_t n;
	if (!st)
		return false;
	if ((b = sl_state_op_get(st, "fs.sink", &n)))
		return adopt_blob(op, s, b, n, true, errp);
	/* rescaled: old subtask J's blob is adopted by new subtask J mod P */
	for (size_t i = 0, cnt = sl_state_op_count(st); i < cnt; i++) {
		const char *nm = sl_state_op_name(st, i);
		int j;
		if (strncmp(nm, "fs.sink@", 8) != 0)
			continue;
		j = atoi(nm + 8);
		if (j % op->parallelism != op->subtask)
			continue;
		if ((b = sl_state_op_get(st, nm, &n)) && !adopt_blob(op, s, b, n, j == op->subtask, errp))
			return false;
	}
	return true;
}

static void
new_uuid(fssink *s, sl_op *op)
{
	uint64_t r = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, &r, sizeof r) != (ssize_t)sizeof r)
		r = (uint64_t)now_ms() * 2654435761u ^ (uint64_t)getpid() << 32 ^ (uint64_t)op->subtask;
	if (fd >= 0)
		close(fd);
	snprintf(s->uuid, sizeof s->uuid, "%08x", (unsigned)(r ^ (r >> 32)));
}

static bool
fk_open(sl_op *op, sl_error **errp)
{
	fssink *s = op->priv;
	s->last = -1;
	s->wm = INT64_MIN;
	s->last_check_ms = now_ms();
	new_uuid(s, op);
	if (!mkdirs(s->root))
		return io_err(s, errp, "create directory", s->root);
	if (!(s->enc = sl_encoder_new(&s->spec, errp)))
		return false;
	if (s->success)
		s->reg = reg_get(s, op->parallelism);
	if (op->restored_id) {
		/* the restored checkpoint is complete: finish its commits now
		 * (notify_complete(restored_id) repeats this harmlessly) */
		if (!restore(op, s, errp) || !commit_upto(s, op->restored_id, false, op->restored_id, errp))
			return false;
	}
	return delete_stale(s, op, s->root, errp);
}

static void
fk_close(sl_op *op)
{
	fssink *s = op->priv;
	sl_error *err = NULL;
	if (s->ended && sl_job_checkpoint_interval_ms(op->job) <= 0) {
		/* a job without periodic checkpoints (also one restored from a
		 * checkpoint or savepoint and run on without them) takes no final
		 * checkpoint: the end of the input commits everything */
		for (int i = 0; i < s->nparts && !err; i++)
			roll(s, &s->parts[i], &err);
		if (!err)
			commit_upto(s, UINT64_MAX, true, 0, &err);
		if (!err)
			write_markers(s, op, true, &err);
		if (err) {
			fprintf(stderr, "sluice: error: %s\n", err->message);
			sl_error_free(err);
		}
	}
	for (int i = 0; i < s->nparts; i++) {
		fspart *p = &s->parts[i];
		if (p->fd >= 0)
			close(p->fd); /* uncommitted: stays hidden, deleted on restore */
		free(p->tmp);
		free(p->final);
		free(p->key);
		sl_strbuf_free(&p->buf);
	}
	free(s->parts);
	s->parts = NULL;
	s->nparts = 0;
	for (int i = 0; i < s->npend; i++) {
		free(s->pend[i].tmp);
		free(s->pend[i].final);
	}
	free(s->pend);
	s->pend = NULL;
	s->npend = 0;
	sl_encoder_free(s->enc);
	s->enc = NULL;
	if (s->reg)
		reg_release(s->reg);
	s->reg = NULL;
	sl_strbuf_free(&s->key);
	sl_strbuf_free(&s->line);
}

static const sl_op_ops fk_ops = {
	.name = "FilesystemSink", .open = fk_open, .push = fk_push, .watermark = fk_watermark,
	.end = fk_end, .close = fk_close, .snapshot = fk_snapshot, .notify_complete = fk_notify,
};

bool
sl_op_init_filesystem_sink(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_rel *r = op->rel;
	const sl_table *t = r->sink;
	fssink *s = SL_ANEW(a, fssink);
	sl_option_values vals;
	sl_format_column *rcols = SL_ANEWN(a, sl_format_column, t->ncols + 1);
	sl_format_target *tg = SL_ANEWN(a, sl_format_target, t->ncols + 1);
	int in = 0, nrec = 0;
	const char *v;

	s->table = t->name;
	s->root = fs_path_option(t);
	if (!s->root || !*s->root) {
		*errp = sl_error_new(SL_ERR_MISSING_OPTION, r->span, "filesystem table \"%s\" has no 'path'", t->name);
		return false;
	}
	if (!sl_format_kind_parse(t->format, &s->spec.kind) || s->spec.kind == SL_FORMAT_DEBEZIUM_JSON) {
		*errp = sl_error_new(SL_ERR_INVALID_OPTION, r->span,
		                     "filesystem table \"%s\": format \"%s\" cannot be written to files (csv, json, raw)",
		                     t->name, t->format ? t->format : "");
		return false;
	}
	if (!sl_options_validate(t->connector, t->options, t->noptions, &vals, errp))
		return false;
	s->roll_size = sl_option_values_int(&vals, "sink.rolling-policy.file-size", 128 << 20);
	s->roll_ms = sl_option_values_int(&vals, "sink.rolling-policy.rollover-interval", 30 * 60000);
	s->check_ms = sl_option_values_int(&vals, "sink.rolling-policy.check-interval", 60000);
	if (s->check_ms > s->roll_ms)
		s->check_ms = s->roll_ms;
	v = sl_option_values_str(&vals, "sink.partition-commit.trigger");
	s->trig_ptime = v && sl_streq_ci(v, "partition-time");
	s->delay_ms = sl_option_values_int(&vals, "sink.partition-commit.delay", 0);
	v = sl_option_values_str(&vals, "sink.partition-commit.policy.kind");
	if (v && sl_streq_ci(v, "success-file")) {
		v = sl_option_values_str(&vals, "sink.partition-commit.success-file.name");
		s->success = sl_arena_strdup(a, v ? v : "_SUCCESS");
	}
	if ((v = sl_option_values_str(&vals, "partition.time-extractor.timestamp-pattern")))
		s->ts_pattern = sl_arena_strdup(a, v);
	v = sl_option_values_str(&vals, "partition.default-name");
	s->default_part = sl_arena_strdup(a, v ? v : "__DEFAULT_PARTITION__");
	v = sl_option_values_str(&vals, "sink.partition-commit.watermark-time-zone");
	if (v && !sl_streq_ci(v, "UTC")) {
		sl_option_values_free(&vals);
		*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, r->span,
		                     "filesystem table \"%s\": 'sink.partition-commit.watermark-time-zone' = '%s': sluice "
		                     "compares partition times in UTC only", t->name, v);
		return false;
	}
	v = sl_option_values_str(&vals, "partition.time-extractor.timestamp-formatter");
	if (v && strcmp(v, "yyyy-MM-dd HH:mm:ss") != 0) {
		*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, r->span,
		                     "filesystem table \"%s\": 'partition.time-extractor.timestamp-formatter' = '%s': "
		                     "sluice reads partition times as yyyy-MM-dd HH:mm:ss only", t->name, v);
		sl_option_values_free(&vals);
		return false;
	}
	sl_option_values_free(&vals);

	/* input columns: the table's writable columns in order; records: the
	 * physical ones that are not partition columns */
	s->npart = t->npartition;
	s->part_in = SL_ANEWN(a, int, t->npartition + 1);
	s->part_names = SL_ANEWN(a, const char *, t->npartition + 1);
	for (int i = 0; i < t->ncols; i++) {
		const sl_column *c = &t->cols[i];
		int pk = -1;
		if (c->kind == SL_TCOL_COMPUTED || (c->kind == SL_TCOL_METADATA && c->is_virtual))
			continue;
		for (int k = 0; k < t->npartition; k++)
			if (t->partition_cols[k] == i)
				pk = k;
		if (pk >= 0) {
			s->part_in[pk] = in;
			s->part_names[pk] = c->name;
		} else if (c->kind == SL_TCOL_PHYSICAL) {
			rcols[nrec].name = c->name;
			rcols[nrec].type = c->type;
			tg[nrec].col = nrec;
			tg[nrec].sub = -1;
			tg[nrec].out = in;
			nrec++;
		}
		in++;
	}
	if (in != r->inputs[0]->nfields) {
		*errp = sl_error_new(SL_ERR_INTERNAL, r->span, "filesystem sink \"%s\": %d input columns, %d expected",
		                     t->name, r->inputs[0]->nfields, in);
		return false;
	}
	s->spec.ncols = nrec;
	s->spec.cols = rcols;
	s->spec.ntargets = nrec;
	s->spec.targets = tg;
	s->spec.noptions = t->noptions;
	s->spec.options = t->options;
	s->spec.prefix = "";
	{
		sl_encoder *e = sl_encoder_new(&s->spec, errp);
		if (!e)
			return false;
		sl_encoder_free(e);
	}
	{
		/* <sink>: FNV-1a of table name, path and operator index */
		uint32_t h = 2166136261u;
		char idx[16];
		const char *parts[3] = {t->name, s->root, idx};
		snprintf(idx, sizeof idx, "%d", op->index);
		for (int k = 0; k < 3; k++)
			for (const char *q = parts[k]; ; q++) {
				h = (h ^ (unsigned char)*q) * 16777619u;
				if (!*q)
					break;
			}
		snprintf(s->sink_id, sizeof s->sink_id, "%08x", h);
	}
	op->ops = &fk_ops;
	op->priv = s;
	return true;
}
