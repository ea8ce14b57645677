/*
 * files.c
 *	  File helpers of the checkpoint code: copy with checksum, hash, atomic
 *	  write (temp, fsync, rename, fsync dir), mkdir -p, rm -rf.
 *
 *	  Checksums are XXH3-64 with seed 0 over the whole file (the function
 *	  sl_hash64 uses), computed with xxhash's streaming API.
 *	  A failed fsync is fatal (sl_fatal): after it the kernel may have
 *	  dropped the dirty pages, so no later retry can be trusted.
 *
 *	  @thread any; no shared data.
 */
#include "state/state_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#define COPY_BUF (1 << 20)

static bool
io_fail(sl_error **errp, const char *what, const char *path)
{
	return sl_fail(errp, SL_ERR_IO, SL_SPAN_NONE, "cannot %s \"%s\": %s", what, path,
	               strerror(errno));
}

static void
fsync_or_die(int fd, const char *path)
{
	if (fsync(fd) != 0)
		sl_fatal("fsync of \"%s\" failed: %s; stopping, since written data may be lost", path,
		         strerror(errno));
}

void
sl_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		sl_fatal("cannot open directory \"%s\" to fsync it: %s", dir, strerror(errno));
	fsync_or_die(fd, dir);
	close(fd);
}

bool
sl_file_copy_hash(const char *src, const char *dst, uint64_t *size, uint64_t *hash,
                  bool do_fsync, sl_error **errp)
{
	int in = open(src, O_RDONLY);
	if (in < 0)
		return io_fail(errp, "open", src);
	int out = -1;
	if (dst) {
		out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (out < 0) {
			close(in);
			return io_fail(errp, "create", dst);
		}
	}
	XXH3_state_t *xs = XXH3_createState();
	XXH3_64bits_reset(xs);
	char *buf = sl_xmalloc(COPY_BUF);
	uint64_t total = 0;
	bool ok = true;
	for (;;) {
		ssize_t n = read(in, buf, COPY_BUF);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ok = io_fail(errp, "read", src);
			break;
		}
		if (n == 0)
			break;
		XXH3_64bits_update(xs, buf, (size_t)n);
		total += (uint64_t)n;
		for (ssize_t off = 0; out >= 0 && off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0) {
				if (errno == EINTR)
					continue;
				ok = io_fail(errp, "write", dst);
				break;
			}
			off += w;
		}
		if (!ok)
			break;
	}
	if (ok && out >= 0 && do_fsync)
		fsync_or_die(out, dst);
	*size = total;
	*hash = XXH3_64bits_digest(xs);
	XXH3_freeState(xs);
	free(buf);
	close(in);
	if (out >= 0)
		close(out);
	return ok;
}

bool
sl_file_hash(const char *path, uint64_t *size, uint64_t *hash, sl_error **errp)
{
	return sl_file_copy_hash(path, NULL, size, hash, false, errp);
}

bool
sl_file_write_atomic(const char *path, const void *data, size_t len, sl_error **errp)
{
	sl_strbuf tmp = SL_STRBUF_INIT;
	sl_strbuf_appendf(&tmp, "%s.tmp", path);
	int fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		bool r = io_fail(errp, "create", tmp.data);
		sl_strbuf_free(&tmp);
		return r;
	}
	const char *p = data;
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, p + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			bool r = io_fail(errp, "write", tmp.data);
			close(fd);
			sl_strbuf_free(&tmp);
			return r;
		}
		off += (size_t)w;
	}
	fsync_or_die(fd, tmp.data);
	close(fd);
	if (rename(tmp.data, path) != 0) {
		bool r = io_fail(errp, "rename", tmp.data);
		sl_strbuf_free(&tmp);
		return r;
	}
	sl_strbuf_free(&tmp);
	char *dir = sl_xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	sl_fsync_dir(slash ? dir : ".");
	free(dir);
	return true;
}

bool
sl_mkdir_p(const char *path, sl_error **errp)
{
	char *p = sl_xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = 0;
			if (mkdir(p, 0755) != 0 && errno != EEXIST) {
				bool r = io_fail(errp, "create directory", p);
				free(p);
				return r;
			}
			*s = '/';
		}
	}
	if (mkdir(p, 0755) != 0 && errno != EEXIST) {
		bool r = io_fail(errp, "create directory", p);
		free(p);
		return r;
	}
	free(p);
	return true;
}

void
sl_rm_rf(const char *path)
{
	struct stat sb;
	if (lstat(path, &sb) != 0)
		return;
	if (S_ISDIR(sb.st_mode)) {
		DIR *d = opendir(path);
		if (d) {
			struct dirent *de;
			while ((de = readdir(d))) {
				if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
					continue;
				sl_strbuf sub = SL_STRBUF_INIT;
				sl_strbuf_appendf(&sub, "%s/%s", path, de->d_name);
				sl_rm_rf(sub.data);
				sl_strbuf_free(&sub);
			}
			closedir(d);
		}
		rmdir(path);
	} else {
		unlink(path);
	}
}

bool
sl_file_read_all(const char *path, sl_strbuf *out, sl_error **errp)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return io_fail(errp, "open", path);
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sl_strbuf_appendn(out, buf, n);
	bool ok = !ferror(f);
	fclose(f);
	if (!ok)
		return io_fail(errp, "read", path);
	if (!out->data)
		sl_strbuf_append(out, "");
	return true;
}
