/*
 * filesystem_source.c
 *	  The 'filesystem' connector as a source (bounded): the records of the
 *	  files under 'path', one per line, decoded with 'format' (csv, json,
 *	  raw; runtime/format/).
 *
 *	  Files: 'path' is one file, or a directory whose files are all read,
 *	  recursively, in byte order of their paths. Names starting with '.' or
 *	  '_' are skipped (in-progress part files, _SUCCESS markers), as in
 *	  Flink. A directory named k=v below 'path', where k is a PARTITIONED
 *	  BY column, gives the rows of the files in it the value v for k ("%XX"
 *	  escapes decoded; 'partition.default-name' is NULL); partition
 *	  columns are not part of the records. Global file g goes to subtask
 *	  g mod P, so the assignment is deterministic. Empty lines are no
 *	  records; a trailing '\r' is dropped.
 *
 *	  Bad records ('format.on-error'): 'fail' fails the job with
 *	  "FILE:LINE: reason"; 'skip' counts them (reported on stderr at the
 *	  end, "sluice: note: ... skipped N bad records"); 'dlq' appends one
 *	  JSON line per bad record, {"file","line","offset","reason","raw"}, to
 *	  '<dlq.path>/<table>-<subtask>.jsonl' (also counted and reported).
 *	  Nothing is dropped silently.
 *
 *	  Position (checkpoints): blob "fs.pos" = the global index of the file
 *	  being read, the byte offset and line number of the next record in it,
 *	  the skip/dead-letter counts and the dead-letter file's size. open()
 *	  of a restored instance reads it back (files before it are done) and
 *	  truncates the dead-letter file to the recorded size (a fresh start
 *	  empties it), so a replay writes neither rows nor dead letters twice. After a rescale each new
 *	  subtask reads every old subtask's blob ("fs.pos@J") and starts each of
 *	  its files where its old owner (g mod P_old) left it.
 *
 * INTERFACE ROUTINES
 *	  sl_op_init_filesystem_source
 */
#include "runtime/op.h"
#include "runtime/format/format.h"
#include "state/state.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FS_READ_BLOCK (1u << 20)
#define FS_POS_MAGIC 0x46535031u /* "FSP1" */

enum { ON_FAIL, ON_SKIP, ON_DLQ };

typedef struct fsfile {
	char *path;
	char **pvals;               /* per partition column: text or NULL */
	int64_t start_off, start_line; /* where this subtask starts it; -1 = done */
} fsfile;

typedef struct fssrc {
	const char *table;
	const char *root;
	int on_error;
	const char *dlq_dir;
	const char *default_part;
	/* schema */
	sl_format_spec spec;
	int npart;
	const char **part_names;    /* partition column names */
	const sl_type **part_types;
	int *out_part;              /* per output column: partition index or -1 */
	const sl_type *const *types;
	int nout;
	/* files (every subtask lists all of them, identically) */
	fsfile *files;
	int nfiles, capfiles;
	/* reading */
	int cur;                    /* global index of the open file, -1 none */
	int fd;
	char *buf;
	size_t cap, len, start;     /* unread bytes buf[start..len) */
	int64_t off;                /* file offset of buf[start] */
	int64_t line;               /* lines consumed in the current file */
	bool eof;
	int next;                   /* next global file index to consider */
	sl_decoder *dec;
	sl_chunk_pool *pool;
	uint64_t skipped, dead;
	FILE *dlq;
	char *dlq_file;
	bool ended;
	char **owned;               /* partition value strings */
	int nowned, capowned;
} fssrc;

/* ---- listing --------------------------------------------------------- */
static int
cmp_path(const void *a, const void *b)
{
	return strcmp(((const fsfile *)a)->path, ((const fsfile *)b)->path);
}

/* A partition value from a directory name: "%XX" escapes decoded. Kept
 * in s->owned (freed at close). */
static char *
unescape_part(fssrc *s, const char *v, size_t n)
{
	char *o = sl_xmalloc(n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '%' && i + 2 < n && isxdigit((unsigned char)v[i + 1]) &&
		    isxdigit((unsigned char)v[i + 2])) {
			char hx[3] = {v[i + 1], v[i + 2], 0};
			o[k++] = (char)strtol(hx, NULL, 16);
			i += 2;
		} else {
			o[k++] = v[i];
		}
	}
	o[k] = '\0';
	if (s->nowned == s->capowned) {
		s->capowned = s->capowned ? s->capowned * 2 : 8;
		s->owned = sl_xrealloc(s->owned, (size_t)s->capowned * sizeof(char *));
	}
	s->owned[s->nowned++] = o;
	return o;
}

static bool
walk(fssrc *s, const char *dir, char **pvals, sl_error **errp)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d) {
		*errp = sl_error_new(SL_ERR_IO, SL_SPAN_NONE, "filesystem table \"%s\": cannot read directory %s: %s",
		                     s->table, dir, strerror(errno));
		return false;
	}
	while ((e = readdir(d))) {
		char *p;
		struct stat st;
		if (e->d_name[0] == '.' || e->d_name[0] == '_')
			continue;
		p = sl_xmalloc(strlen(dir) + strlen(e->d_name) + 2);
		sprintf(p, "%s/%s", dir, e->d_name);
		if (stat(p, &st) != 0) {
			free(p);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			/* k=v of a partition column: descend with v; any other
			 * directory: descend, values unchanged */
			char **nv = sl_xcalloc((size_t)s->npart + 1, sizeof(char *));
			const char *eq = strchr(e->d_name, '=');
			bool ok;
			for (int i = 0; i < s->npart; i++)
				nv[i] = pvals[i];
			if (eq)
				for (int i = 0; i < s->npart; i++)
					if (strlen(s->part_names[i]) == (size_t)(eq - e->d_name) &&
					    strncmp(s->part_names[i], e->d_name, (size_t)(eq - e->d_name)) == 0)
						nv[i] = unescape_part(s, eq + 1, strlen(eq + 1));
			ok = walk(s, p, nv, errp);
			/* values owned by files keep living; nv itself is per level */
			free(nv);
			free(p);
			if (!ok) {
				closedir(d);
				return false;
			}
			continue;
		}
		if (!S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		if (s->nfiles == s->capfiles) {
			s->capfiles = s->capfiles ? s->capfiles * 2 : 16;
			s->files = sl_xrealloc(s->files, (size_t)s->capfiles * sizeof *s->files);
		}
		s->files[s->nfiles].path = p;
		s->files[s->nfiles].pvals = sl_xcalloc((size_t)s->npart + 1, sizeof(char *));
		for (int i = 0; i < s->npart; i++)
			s->files[s->nfiles].pvals[i] = pvals[i];
		s->files[s->nfiles].start_off = 0;
		s->files[s->nfiles].start_line = 0;
		s->nfiles++;
	}
	closedir(d);
	return true;
}

/* ---- position ---------------------------------------------------------- */
typedef struct fspos {
	uint32_t magic, nfiles;
	int64_t cur;                /* global file index being read (nfiles: all done) */
	int64_t off, line;
	uint64_t skipped, dead;
	int64_t dlq_size;
} fspos;

/* Apply an old subtask's position to the files it owned (g mod pold == j). */
static void
apply_pos(fssrc *s, const fspos *p, int j, int pold)
{
	for (int g = 0; g < s->nfiles; g++) {
		if (g % pold != j)
			continue;
		if (g < p->cur) {
			s->files[g].start_off = -1;
		} else if (g == p->cur) {
			s->files[g].start_off = p->off;
			s->files[g].start_line = p->line;
		}
	}
}

static bool
restore(sl_op *op, fssrc *s, int64_t *dlq_size, sl_error **errp)
{
	sl_state *st = sl_op_state(op, errp);
	const void *b;
	size_t n;
	fspos p;
	if (!st)
		return false;
	*dlq_size = -1;
	if ((b = sl_state_op_get(st, "fs.pos", &n))) {
		if (n != sizeof p || (memcpy(&p, b, sizeof p), p.magic != FS_POS_MAGIC)) {
			*errp = sl_error_new(SL_ERR_CORRUPT, SL_SPAN_NONE,
			                     "filesystem table \"%s\": bad position in the checkpoint", s->table);
			return false;
		}
		if ((int)p.nfiles != s->nfiles) {
			*errp = sl_error_new(SL_ERR_STATE, SL_SPAN_NONE,
			                     "filesystem table \"%s\": the checkpoint saw %u files under %s, there are "
			                     "now %d; a bounded filesystem source restores only over the same files",
			                     s->table, p.nfiles, s->root, s->nfiles);
			return false;
		}
		apply_pos(s, &p, op->subtask, op->parallelism);
		s->skipped = p.skipped;
		s->dead = p.dead;
		*dlq_size = p.dlq_size;
		return true;
	}
	/* rescaled: every old subtask's blob, "fs.pos@J" */
	{
		size_t cnt = sl_state_op_count(st);
		int pold = 0;
		for (size_t i = 0; i < cnt; i++)
			if (strncmp(sl_state_op_name(st, i), "fs.pos@", 7) == 0)
				pold++;
		for (size_t i = 0; i < cnt; i++) {
			const char *nm = sl_state_op_name(st, i);
			if (strncmp(nm, "fs.pos@", 7) != 0)
				continue;
			b = sl_state_op_get(st, nm, &n);
			if (!b || n != sizeof p)
				continue;
			memcpy(&p, b, sizeof p);
			if (p.magic == FS_POS_MAGIC && (int)p.nfiles == s->nfiles)
				apply_pos(s, &p, atoi(nm + 7), pold);
		}
	}
	return true;
}

/* ---- reading ----------------------------------------------------------- */
static bool
open_next(sl_op *op, fssrc *s, sl_error **errp)
{
	while (s->next < s->nfiles) {
		int g = s->next++;
		fsfile *f = &s->files[g];
		if (g % op->parallelism != op->subtask || f->start_off < 0)
			continue;
		s->fd = open(f->path, O_RDONLY | O_CLOEXEC);
		if (s->fd < 0) {
			*errp = sl_error_new(SL_ERR_IO, SL_SPAN_NONE, "filesystem table \"%s\": cannot open %s: %s",
			                     s->table, f->path, strerror(errno));
			return false;
		}
		if (f->start_off > 0 && lseek(s->fd, f->start_off, SEEK_SET) < 0) {
			*errp = sl_error_new(SL_ERR_IO, SL_SPAN_NONE, "filesystem table \"%s\": cannot seek in %s: %s",
			                     s->table, f->path, strerror(errno));
			return false;
		}
		s->cur = g;
		s->off = f->start_off;
		s->line = f->start_line;
		s->start = s->len = 0;
		s->eof = false;
		return true;
	}
	s->cur = -1;
	return true;
}

static void
close_cur(fssrc *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	s->cur = -1;
}

/* Read more bytes; false with *errp on an I/O error. */
static bool
fill(fssrc *s, sl_error **errp)
{
	ssize_t got;
	if (s->start > 0) {
		memmove(s->buf, s->buf + s->start, s->len - s->start);
		s->len -= s->start;
		s->start = 0;
	}
	if (s->len == s->cap) {
		s->cap *= 2; /* a line longer than the buffer */
		s->buf = sl_xrealloc(s->buf, s->cap);
	}
	do
		got = read(s->fd, s->buf + s->len, s->cap - s->len);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		*errp = sl_error_new(SL_ERR_IO, SL_SPAN_NONE, "filesystem table \"%s\": cannot read %s: %s", s->table,
		                     s->files[s->cur].path, strerror(errno));
		return false;
	}
	if (got == 0)
		s->eof = true;
	s->len += (size_t)got;
	return true;
}

static void
json_str(FILE *f, const char *p, size_t n)
{
	sl_strbuf sb = SL_STRBUF_INIT;
	sl_format_json_quote(p, n, &sb);
	fwrite(sb.data, 1, sb.len, f);
	sl_strbuf_free(&sb);
}

static bool
bad_record(sl_op *op, fssrc *s, const char *rec, size_t n, int64_t off, sl_error **errp)
{
	const char *path = s->files[s->cur].path;
	switch (s->on_error) {
	case ON_SKIP:
		s->skipped++;
		return true;
	case ON_DLQ:
		if (!s->dlq) {
			s->dlq = fopen(s->dlq_file, "a");
			if (!s->dlq) {
				*errp = sl_error_new(SL_ERR_IO, SL_SPAN_NONE,
				                     "filesystem table \"%s\": cannot open the dead-letter file %s: %s",
				                     s->table, s->dlq_file, strerror(errno));
				return false;
			}
		}
		fputs("{\"file\":", s->dlq);
		json_str(s->dlq, path, strlen(path));
		fprintf(s->dlq, ",\"line\":%lld,\"offset\":%lld,\"reason\":", (long long)s->line, (long long)off);
		json_str(s->dlq, sl_decoder_error(s->dec), strlen(sl_decoder_error(s->dec)));
		fputs(",\"raw\":", s->dlq);
		json_str(s->dlq, rec, n);
		fputs("}\n", s->dlq);
		s->dead++;
		return true;
	default:
		*errp = sl_error_new(SL_ERR_BAD_RECORD, SL_SPAN_NONE, "%s:%lld: %s", path, (long long)s->line,
		                     sl_decoder_error(s->dec));
		sl_error_set_hint(*errp, "set 'format.on-error' = 'skip' (count and drop) or 'dlq' (with 'dlq.path') "
		                         "to go on past bad records");
		return false;
	}
}

/* Fill the partition columns of rows [from, c->count) from file f. */
static bool
fill_partitions(fssrc *s, sl_chunk *c, uint32_t from, sl_error **errp)
{
	const fsfile *f = &s->files[s->cur];
	for (int o = 0; o < s->nout; o++) {
		int pi = s->out_part[o];
		const char *v, *why;
		if (pi < 0)
			continue;
		v = f->pvals[pi];
		for (uint32_t r = from; r < c->count; r++) {
			if (!v || strcmp(v, s->default_part) == 0) {
				sl_vec_set_null(c->cols[o], r);
			} else if (!sl_format_value_from_text(s->part_types[pi], v, strlen(v), c->cols[o], r, &c->heap,
			                                        &why)) {
				*errp = sl_error_new(SL_ERR_BAD_RECORD, SL_SPAN_NONE,
				                     "%s: partition value \"%s\" of column \"%s\" is not a valid %s", f->path, v,
				                     s->part_names[pi], why ? why : "value of its type");
				return false;
			}
		}
	}
	return true;
}

static sl_poll_status
fs_poll(sl_op *op, sl_error **errp)
{
	fssrc *s = op->priv;
	sl_chunk *c;
	if (s->ended)
		return SL_POLL_END;
	c = sl_chunk_pool_get(s->pool);
	while (c->count + SL_DECODE_MAX_ROWS <= c->capacity) {
		const char *nl, *rec;
		size_t n;
		int64_t roff;
		uint32_t before;
		int k;
		if (s->cur < 0) {
			if (!open_next(op, s, errp))
				goto fail;
			if (s->cur < 0)
				break;
		}
		nl = s->len > s->start ? memchr(s->buf + s->start, '\n', s->len - s->start) : NULL;
		if (!nl) {
			if (!s->eof) {
				if (!fill(s, errp))
					goto fail;
				continue;
			}
			if (s->start == s->len) {
				close_cur(s);
				continue;
			}
			nl = s->buf + s->len; /* last line without a newline */
		}
		rec = s->buf + s->start;
		n = (size_t)(nl - rec);
		roff = s->off;
		s->line++;
		{
			size_t adv = n + (nl < s->buf + s->len ? 1 : 0);
			s->start += adv;
			s->off += (int64_t)adv;
		}
		if (n && rec[n - 1] == '\r')
			n--;
		if (n == 0)
			continue;
		before = c->count;
		k = sl_decoder_decode(s->dec, rec, n, c);
		if (k < 0) {
			if (!bad_record(op, s, rec, n, roff, errp))
				goto fail;
			continue;
		}
		if (k > 0 && s->npart && !fill_partitions(s, c, before, errp))
			goto fail;
	}
	if (c->count) {
		sl_task_count_source_rows(op->task, c->count);
		if (!sl_op_emit(op, c, errp))
			return SL_POLL_ERROR;
	} else {
		sl_chunk_unref(c);
	}
	if (s->cur >= 0 || s->next < s->nfiles)
		return SL_POLL_MORE;
	s->ended = true;
	if (s->dlq)
		fflush(s->dlq);
	if (s->skipped)
		fprintf(stderr, "sluice: note: filesystem table \"%s\" (subtask %d) skipped %llu bad record%s\n",
		        s->table, op->subtask + 1, (unsigned long long)s->skipped, s->skipped == 1 ? "" : "s");
	if (s->dead)
		fprintf(stderr, "sluice: note: filesystem table \"%s\" (subtask %d) wrote %llu bad record%s to %s\n",
		        s->table, op->subtask + 1, (unsigned long long)s->dead, s->dead == 1 ? "" : "s", s->dlq_file);
	if (!sl_op_emit_watermark(op, INT64_MAX, errp) || !sl_op_emit_end(op, errp))
		return SL_POLL_ERROR;
	return SL_POLL_END;
fail:
	sl_chunk_unref(c);
	return SL_POLL_ERROR;
}

static bool
fs_snapshot(sl_op *op, uint64_t id, sl_error **errp)
{
	fssrc *s = op->priv;
	sl_state *st = sl_op_state(op, errp);
	fspos p;
	(void)id;
	if (!st)
		return false;
	memset(&p, 0, sizeof p);
	p.magic = FS_POS_MAGIC;
	p.nfiles = (uint32_t)s->nfiles;
	if (s->cur >= 0) {
		p.cur = s->cur;
		p.off = s->off;
		p.line = s->line;
	} else {
		p.cur = s->next; /* files before next are done */
	}
	p.skipped = s->skipped;
	p.dead = s->dead;
	p.dlq_size = -1;
	if (s->dlq) {
		fflush(s->dlq);
		p.dlq_size = ftell(s->dlq);
	} else if (s->dlq_file) {
		struct stat stt;
		p.dlq_size = stat(s->dlq_file, &stt) == 0 ? (int64_t)stt.st_size : 0;
	}
	sl_state_op_put(st, "fs.pos", &p, sizeof p);
	return true;
}

static bool
fs_open(sl_op *op, sl_error **errp)
{
	fssrc *s = op->priv;
	struct stat st;
	int64_t dlq_size = -1;
	char **none = sl_xcalloc((size_t)s->npart + 1, sizeof(char *));
	bool ok;
	s->fd = -1;
	s->cur = -1;
	if (stat(s->root, &st) != 0) {
		free(none);
		*errp = sl_error_new(SL_ERR_IO, op->rel->span, "filesystem table \"%s\": cannot read 'path' %s: %s",
		                     s->table, s->root, strerror(errno));
		return false;
	}
	if (S_ISDIR(st.st_mode)) {
		ok = walk(s, s->root, none, errp);
	} else {
		s->files = sl_xcalloc(1, sizeof *s->files);
		s->files[0].path = sl_xstrdup(s->root);
		s->files[0].pvals = sl_xcalloc((size_t)s->npart + 1, sizeof(char *));
		s->nfiles = 1;
		ok = true;
	}
	free(none);
	if (!ok)
		return false;
	qsort(s->files, (size_t)s->nfiles, sizeof *s->files, cmp_path);
	if (!(s->dec = sl_decoder_new(&s->spec, errp)))
		return false;
	s->cap = FS_READ_BLOCK;
	s->buf = sl_xmalloc(s->cap);
	s->pool = sl_chunk_pool_new(s->types, s->nout, 0);
	if (s->dlq_dir) {
		s->dlq_file = sl_xmalloc(strlen(s->dlq_dir) + strlen(s->table) + 32);
		mkdir(s->dlq_dir, 0777);
		sprintf(s->dlq_file, "%s/%s-%d.jsonl", s->dlq_dir, s->table, op->subtask);
	}
	/* a fresh start reads everything again: its dead letters start over
	 * too (a run killed before its first checkpoint must not leave
	 * doubles); a restore truncates to the size its checkpoint saw */
	dlq_size = 0;
	if (op->restored_id && !restore(op, s, &dlq_size, errp))
		return false;
	if (s->dlq_file && dlq_size >= 0 && truncate(s->dlq_file, dlq_size) != 0 && errno != ENOENT) {
		*errp = sl_error_new(SL_ERR_IO, SL_SPAN_NONE, "filesystem table \"%s\": cannot truncate %s: %s",
		                     s->table, s->dlq_file, strerror(errno));
		return false;
	}
	return true;
}

static void
fs_close(sl_op *op)
{
	fssrc *s = op->priv;
	close_cur(s);
	if (s->dlq)
		fclose(s->dlq);
	s->dlq = NULL;
	sl_decoder_free(s->dec);
	s->dec = NULL;
	if (s->pool)
		sl_chunk_pool_free(s->pool);
	s->pool = NULL;
	free(s->buf);
	s->buf = NULL;
	for (int i = 0; i < s->nfiles; i++) {
		free(s->files[i].path);
		free(s->files[i].pvals); /* the strings are in s->owned */
	}
	for (int i = 0; i < s->nowned; i++)
		free(s->owned[i]);
	free(s->owned);
	s->owned = NULL;
	s->nowned = s->capowned = 0;
	free(s->files);
	s->files = NULL;
	s->nfiles = 0;
	free(s->dlq_file);
	s->dlq_file = NULL;
}

static const sl_op_ops fs_ops = {
	.name = "FilesystemSource", .open = fs_open, .poll = fs_poll, .close = fs_close,
	.snapshot = fs_snapshot,
};

static const char *
topt(const sl_table *t, const char *key)
{
	for (int i = 0; i < t->noptions; i++)
		if (sl_streq_ci(t->options[i].key, key))
			return t->options[i].value;
	return NULL;
}

/* 'path' without a file:// prefix. */
static const char *
fs_path_option(const sl_table *t)
{
	const char *p = topt(t, "path");
	if (p && strncmp(p, "file://", 7) == 0)
		p += 7;
	return p;
}

bool
sl_op_init_filesystem_source(sl_op *op, sl_arena *a, sl_error **errp)
{
	const sl_rel *r = op->rel;
	const sl_table *t = r->table;
	fssrc *s = SL_ANEW(a, fssrc);
	const char *v;
	int *rec_of_col = SL_ANEWN(a, int, t->ncols + 1);
	int *part_of_col = SL_ANEWN(a, int, t->ncols + 1);
	sl_format_column *rcols = SL_ANEWN(a, sl_format_column, t->ncols + 1);
	sl_format_target *tg = SL_ANEWN(a, sl_format_target, r->nfields + 1);
	int nrec = 0, ntg = 0;

	s->table = t->name;
	s->root = fs_path_option(t);
	if (!s->root || !*s->root) {
		*errp = sl_error_new(SL_ERR_MISSING_OPTION, r->span, "filesystem table \"%s\" has no 'path'", t->name);
		return false;
	}
	if (!sl_format_kind_parse(t->format, &s->spec.kind) || s->spec.kind == SL_FORMAT_DEBEZIUM_JSON) {
		*errp = sl_error_new(SL_ERR_INVALID_OPTION, r->span,
		                     "filesystem table \"%s\": format \"%s\" is not readable from files (csv, json, raw)",
		                     t->name, t->format ? t->format : "");
		return false;
	}
	if (topt(t, "source.monitor-interval")) {
		*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, r->span,
		                     "filesystem table \"%s\": 'source.monitor-interval' (watching for new files) is "
		                     "not supported; the filesystem source reads the files present at start", t->name);
		return false;
	}
	v = topt(t, "format.on-error");
	s->on_error = !v || sl_streq_ci(v, "fail") ? ON_FAIL : sl_streq_ci(v, "skip") ? ON_SKIP : ON_DLQ;
	s->dlq_dir = topt(t, "dlq.path");
	if (s->dlq_dir && strncmp(s->dlq_dir, "file://", 7) == 0)
		s->dlq_dir += 7;
	if (s->on_error == ON_DLQ && !s->dlq_dir) {
		*errp = sl_error_new(SL_ERR_MISSING_OPTION, r->span,
		                     "filesystem table \"%s\": 'format.on-error' = 'dlq' needs 'dlq.path'", t->name);
		return false;
	}
	if (s->on_error != ON_DLQ)
		s->dlq_dir = NULL;
	s->default_part = (v = topt(t, "partition.default-name")) ? v : "__DEFAULT_PARTITION__";

	/* record schema: physical columns that are not partition columns */
	s->npart = t->npartition;
	s->part_names = SL_ANEWN(a, const char *, t->npartition + 1);
	s->part_types = SL_ANEWN(a, const sl_type *, t->npartition + 1);
	for (int i = 0; i < t->ncols; i++) {
		rec_of_col[i] = part_of_col[i] = -1;
		for (int k = 0; k < t->npartition; k++)
			if (t->partition_cols[k] == i)
				part_of_col[i] = k;
		if (part_of_col[i] >= 0) {
			s->part_names[part_of_col[i]] = t->cols[i].name;
			s->part_types[part_of_col[i]] = t->cols[i].type;
		} else if (t->cols[i].kind == SL_TCOL_PHYSICAL) {
			rcols[nrec].name = t->cols[i].name;
			rcols[nrec].type = t->cols[i].type;
			rec_of_col[i] = nrec++;
		}
	}
	s->nout = r->nfields;
	s->types = sl_op_field_types(a, r);
	s->out_part = SL_ANEWN(a, int, r->nfields + 1);
	for (int i = 0; i < r->nfields; i++) {
		int c = r->scan_cols[i];
		int sub = r->scan_paths ? r->scan_paths[i] : -1;
		s->out_part[i] = part_of_col[c];
		if (part_of_col[c] >= 0)
			continue;
		if (rec_of_col[c] < 0) {
			*errp = sl_error_new(SL_ERR_FEATURE_NOT_SUPPORTED, r->span,
			                     "filesystem table \"%s\": column \"%s\" is not a physical column; the "
			                     "filesystem source reads only physical and partition columns",
			                     t->name, t->cols[c].name);
			return false;
		}
		tg[ntg].col = rec_of_col[c];
		tg[ntg].sub = sub;
		tg[ntg].out = i;
		ntg++;
	}
	s->spec.ncols = nrec;
	s->spec.cols = rcols;
	s->spec.ntargets = ntg;
	s->spec.targets = tg;
	s->spec.noptions = t->noptions;
	s->spec.options = t->options;
	s->spec.prefix = "";
	{
		/* check the format now, so a bad schema fails before the job starts */
		sl_decoder *d = sl_decoder_new(&s->spec, errp);
		if (!d) {
			if (*errp)
				(*errp)->span = r->span;
			return false;
		}
		sl_decoder_free(d);
	}
	op->ops = &fs_ops;
	op->priv = s;
	return true;
}
