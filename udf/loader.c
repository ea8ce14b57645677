/*
 * loader.c
 *	  Loading a UDF library: path checks, file checks, the registration
 *	  call and validation of what it returned.
 *
 *	  Order matters, because dlopen runs library code (constructors):
 *	    1. the configured UDF path (one directory, or several separated by
 *	       ':') exists and is made of directories
 *	    2. the requested path stays inside it, lexically ("..", absolute
 *	       paths elsewhere) and after realpath (symbolic links); a
 *	       relative name is looked up in each directory in turn
 *	    3. the file exists and is a regular file
 *	    4. elf.c: an ELF shared object for this machine that exports
 *	       sluice_udf_register and sluice_udf_abi_version, whose value has
 *	       our major and at most our minor version
 *	    5. dlopen (RTLD_NOW | RTLD_LOCAL) after checking the path still names
 *	       the file inspected in 4, call sluice_udf_register once
 *	    6. validate the descriptor: version again, function count, every
 *	       name, signature, kind and entry point, no duplicate overloads
 *	  A refusal at 1-4 runs nothing of the library; at 5-6 only the
 *	  registration call (and the C runtime's own initialisers) ran, and the
 *	  library is unloaded again.
 *
 *	  @thread session (DDL); the registry is not locked.
 *
 * INTERFACE ROUTINES
 *	  sl_udf_load, sl_udf_library_path, sl_udf_library_desc
 */
#include "udf/udf_int.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FUNCTIONS 4096

static bool
udf_fail(sl_error **errp, const char *detail, const char *hint, const char *fmt, ...)
	SL_PRINTF(4, 5);

static bool
udf_fail(sl_error **errp, const char *detail, const char *hint, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sl_error *e = sl_error_newv(SL_ERR_UDF, SL_SPAN_NONE, fmt, ap);
	va_end(ap);
	if (detail)
		sl_error_set_detail(e, "%s", detail);
	if (hint)
		sl_error_set_hint(e, "%s", hint);
	if (errp)
		*errp = e;
	else
		sl_error_free(e);
	return false;
}

/* Collapse "//", "." and ".." of an absolute path, in place. */
static void
normalize_abs(char *path)
{
	char *out = path;   /* write position; path[0] == '/' */
	const char *in = path;
	while (*in) {
		while (*in == '/')
			in++;
		if (!*in)
			break;
		const char *end = strchr(in, '/');
		size_t len = end ? (size_t)(end - in) : strlen(in);
		if (len == 1 && in[0] == '.') {
			/* skip */
		} else if (len == 2 && in[0] == '.' && in[1] == '.') {
			while (out > path && *--out != '/')
				;
		} else {
			*out++ = '/';
			memmove(out, in, len);
			out += len;
		}
		in += len;
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
}

/* Does a relative path climb above its starting directory at some point? */
static bool
escapes_lexically(const char *rel)
{
	int depth = 0;
	const char *in = rel;
	while (*in) {
		while (*in == '/')
			in++;
		if (!*in)
			break;
		const char *end = strchr(in, '/');
		size_t len = end ? (size_t)(end - in) : strlen(in);
		if (len == 2 && in[0] == '.' && in[1] == '.') {
			if (--depth < 0)
				return true;
		} else if (!(len == 1 && in[0] == '.')) {
			depth++;
		}
		in += len;
	}
	return false;
}

/* Is path (normalized, absolute) dir itself or below it? */
static bool
is_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (n == 1 && dir[0] == '/')
		return true;
	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

static char *
absolute(const char *p)
{
	sl_strbuf sb = SL_STRBUF_INIT;
	if (p[0] != '/') {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof cwd))
			sl_fatal("cannot determine the current directory: %s", strerror(errno));
		sl_strbuf_appendf(&sb, "%s/", cwd);
	}
	sl_strbuf_append(&sb, p);
	char *s = sl_strbuf_take(&sb);
	normalize_abs(s);
	return s;
}

#define MAX_DIRS 16

/* Is path under any of the n directories? */
static bool
under_any(const char *path, char *const *dirs, int n)
{
	for (int i = 0; i < n; i++)
		if (is_under(path, dirs[i]))
			return true;
	return false;
}

/* Steps 1-3: the resolved library path (malloc'ed) or NULL. udf_path is
 * one directory or several separated by ':'; a relative library name is
 * looked up in each in turn. */
static char *
check_path(const char *given, const char *udf_path, sl_error **errp)
{
	if (!udf_path || !*udf_path) {
		udf_fail(errp, NULL,
		         "Start sluice with --udf-path DIR, or run SET 'udf.path' = 'DIR', "
		         "to name the directory that holds the libraries.",
		         "cannot load library \"%s\": no UDF path is configured", given);
		return NULL;
	}
	char *dir_real[MAX_DIRS], *dir_lex[MAX_DIRS];
	int ndirs = 0;
	char *result = NULL;
	sl_strbuf shown = SL_STRBUF_INIT;     /* the resolved directories, ':'-joined */
	sl_strbuf looked = SL_STRBUF_INIT;    /* candidates tried */
	char *copy = sl_xstrdup(udf_path), *save = NULL;
	for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		char real[PATH_MAX];
		struct stat st;
		if (ndirs == MAX_DIRS) {
			udf_fail(errp, NULL, NULL, "UDF path \"%s\" has more than %d directories",
			         udf_path, MAX_DIRS);
			goto out;
		}
		if (!realpath(d, real) || stat(real, &st) != 0) {
			udf_fail(errp, NULL, NULL, "UDF path \"%s\" does not exist", d);
			goto out;
		}
		if (!S_ISDIR(st.st_mode)) {
			udf_fail(errp, NULL, NULL, "UDF path \"%s\" is not a directory", d);
			goto out;
		}
		dir_real[ndirs] = sl_xstrdup(real);
		dir_lex[ndirs] = absolute(d);
		sl_strbuf_appendf(&shown, "%s%s", ndirs ? ":" : "", real);
		ndirs++;
	}
	if (ndirs == 0) {
		udf_fail(errp, NULL, NULL, "UDF path \"%s\" names no directory", udf_path);
		goto out;
	}

	/* Lexically outside: decided without touching the file system. */
	char *joined;
	bool outside;
	if (given[0] == '/') {
		joined = sl_xstrdup(given);
		normalize_abs(joined);
		outside = !under_any(joined, dir_lex, ndirs) && !under_any(joined, dir_real, ndirs);
	} else {
		sl_strbuf sb = SL_STRBUF_INIT;
		sl_strbuf_appendf(&sb, "%s/%s", dir_lex[0], given);
		joined = sl_strbuf_take(&sb);
		normalize_abs(joined);
		outside = escapes_lexically(given);
	}
	if (outside) {
		sl_strbuf d = SL_STRBUF_INIT;
		sl_strbuf_appendf(&d, "It names \"%s\", which is not under the UDF path \"%s\".",
		                  joined, sl_strbuf_str(&shown));
		udf_fail(errp, sl_strbuf_str(&d),
		         "Copy the library into the UDF path, or point --udf-path / 'udf.path' at its directory.",
		         "library \"%s\" is outside the UDF path", given);
		sl_strbuf_free(&d);
		free(joined);
		goto out;
	}
	free(joined);

	/* The first directory that has it. */
	char real[PATH_MAX];
	int err = ENOENT;
	for (int i = 0; i < (given[0] == '/' ? 1 : ndirs); i++) {
		sl_strbuf sb = SL_STRBUF_INIT;
		if (given[0] == '/')
			sl_strbuf_append(&sb, given);
		else
			sl_strbuf_appendf(&sb, "%s/%s", dir_lex[i], given);
		normalize_abs(sb.data);
		sl_strbuf_appendf(&looked, "%s\"%s\"", i ? ", " : "", sb.data);
		if (realpath(sb.data, real)) {
			if (!under_any(real, dir_real, ndirs)) {
				sl_strbuf d = SL_STRBUF_INIT;
				sl_strbuf_appendf(&d, "\"%s\" resolves through a symbolic link to \"%s\", "
				                  "which is not under the UDF path \"%s\".", sb.data, real,
				                  sl_strbuf_str(&shown));
				udf_fail(errp, sl_strbuf_str(&d),
				         "Copy the library into the UDF path instead of linking to it.",
				         "library \"%s\" is outside the UDF path", given);
				sl_strbuf_free(&d);
				sl_strbuf_free(&sb);
				goto out;
			}
			struct stat st;
			sl_strbuf_free(&sb);
			if (stat(real, &st) != 0 || !S_ISREG(st.st_mode)) {
				udf_fail(errp, NULL, NULL, "library \"%s\" is not a regular file", given);
				goto out;
			}
			result = sl_xstrdup(real);
			goto out;
		}
		if (errno != ENOENT && errno != ENOTDIR)
			err = errno;
		sl_strbuf_free(&sb);
	}
	{
		sl_strbuf d = SL_STRBUF_INIT;
		sl_strbuf_appendf(&d, "Looked for %s.", sl_strbuf_str(&looked));
		if (err == ENOENT)
			udf_fail(errp, sl_strbuf_str(&d), NULL, "library \"%s\" does not exist", given);
		else
			udf_fail(errp, sl_strbuf_str(&d), NULL, "cannot access library \"%s\": %s",
			         given, strerror(err));
		sl_strbuf_free(&d);
	}
out:
	for (int i = 0; i < ndirs; i++) {
		free(dir_real[i]);
		free(dir_lex[i]);
	}
	free(copy);
	sl_strbuf_free(&shown);
	sl_strbuf_free(&looked);
	return result;
}

/* Step 6 for one entry d (already copied into fn->desc): name, signature,
 * kind and entry points; fills the rest of fn. lib is NULL for built-ins,
 * L names the library in messages. */
bool
sl_udf_check_fn_(sl_udf_registry *reg, sl_udf_library *lib, const char *L, uint32_t idx,
                 const sluice_udf_function *d, sl_udf_fn *fn, sl_error **errp)
{
	if (!d->name || !*d->name)
		return udf_fail(errp, NULL, NULL,
		                "function #%u in library \"%s\" has no name", idx + 1, L);
	if (!sl_udf_name_ok_(d->name))
		return udf_fail(errp, "A name is a letter or underscore followed by letters, digits "
		                      "and underscores, at most 128 of them.", NULL,
		                "function #%u in library \"%s\" has an invalid name \"%.64s\"",
		                idx + 1, L, d->name);
	if (!d->signature)
		return udf_fail(errp, NULL, NULL, "function \"%s\" in library \"%s\" has no signature",
		                d->name, L);
	char why[256];
	if (!sl_udf_sig_parse_(reg->arena, d->signature, &fn->sig, why, sizeof why))
		return udf_fail(errp, NULL,
		                "A signature looks like \"BIGINT(VARCHAR, VARCHAR)\"; a table function's "
		                "like \"ROW<word VARCHAR, pos INT>(VARCHAR)\".",
		                "function \"%s\" in library \"%s\" has a malformed signature \"%s\": %s",
		                d->name, L, d->signature, why);
	bool row_result = fn->sig.result->kind == SL_TYPE_ROW;
	switch (d->kind) {
	case SLUICE_UDF_SCALAR:
		if (row_result)
			return udf_fail(errp, NULL, NULL,
			                "scalar function \"%s\" in library \"%s\" returns a ROW; only a table "
			                "function may", d->name, L);
		if (!d->scalar)
			return udf_fail(errp, NULL, NULL,
			                "scalar function \"%s\" in library \"%s\" has no entry point",
			                d->name, L);
		break;
	case SLUICE_UDF_TABLE:
		if (!row_result)
			return udf_fail(errp, NULL, NULL,
			                "table function \"%s\" in library \"%s\" must return a ROW<...> of "
			                "its output columns", d->name, L);
		if (!d->table)
			return udf_fail(errp, NULL, NULL,
			                "table function \"%s\" in library \"%s\" has no entry point",
			                d->name, L);
		break;
	case SLUICE_UDF_AGGREGATE: {
		if (row_result)
			return udf_fail(errp, NULL, NULL,
			                "aggregate function \"%s\" in library \"%s\" returns a ROW; only a "
			                "table function may", d->name, L);
		const sluice_udf_aggregate *ag = d->aggregate;
		if (!ag)
			return udf_fail(errp, NULL, NULL,
			                "aggregate function \"%s\" in library \"%s\" has no entry points",
			                d->name, L);
		const char *missing = !ag->init ? "init" : !ag->accumulate ? "accumulate"
		                    : !ag->merge ? "merge" : !ag->finish ? "finish" : NULL;
		if (missing)
			return udf_fail(errp, NULL, NULL,
			                "aggregate function \"%s\" in library \"%s\" has no \"%s\" entry point",
			                d->name, L, missing);
		if (ag->state_size == 0)
			return udf_fail(errp, NULL, NULL,
			                "aggregate function \"%s\" in library \"%s\" declares a state of 0 bytes",
			                d->name, L);
		int nser = !!ag->serialize + !!ag->deserialize + !!ag->destroy;
		if (nser != 0 && nser != 3)
			return udf_fail(errp, NULL, NULL,
			                "aggregate function \"%s\" in library \"%s\" must define serialize, "
			                "deserialize and destroy together", d->name, L);
		break;
	}
	default:
		return udf_fail(errp, NULL, NULL,
		                "function \"%s\" in library \"%s\" has an unknown kind %d",
		                d->name, L, (int)d->kind);
	}
	fn->name = d->name;
	fn->symbol = d->name;
	fn->kind = (sluice_udf_kind)d->kind;
	fn->deterministic = (d->flags & SLUICE_UDF_DETERMINISTIC) != 0;
	fn->signature = d->signature;
	fn->lib = lib;
	return true;
}

/* Same name and the same parameter type kinds. */
static bool
same_overload(const sl_udf_fn *a, const sl_udf_fn *b)
{
	if (!sl_streq_ci(a->name, b->name) || a->sig.nargs != b->sig.nargs)
		return false;
	for (int i = 0; i < a->sig.nargs; i++)
		if (a->sig.args[i]->kind != b->sig.args[i]->kind)
			return false;
	return true;
}

/* Step 6. */
static bool
check_descriptor(sl_udf_registry *reg, sl_udf_library *lib, sl_error **errp)
{
	const sluice_udf_library *d = lib->desc;
	const char *L = lib->given;
	if (d->abi_version != lib->abi_version)
		return udf_fail(errp, NULL, "Build the library from a single version of <sluice/udf.h>.",
		                "library \"%s\" declares UDF ABI %u.%u but registers with %u.%u",
		                L, SLUICE_UDF_ABI_MAJOR_OF(lib->abi_version),
		                SLUICE_UDF_ABI_MINOR_OF(lib->abi_version),
		                SLUICE_UDF_ABI_MAJOR_OF(d->abi_version),
		                SLUICE_UDF_ABI_MINOR_OF(d->abi_version));
	if (d->function_size == 0 || d->function_size > sizeof(sluice_udf_function) ||
	    d->function_size % sizeof(void *) != 0)
		return udf_fail(errp, NULL, NULL,
		                "library \"%s\" has a malformed descriptor: function_size %u",
		                L, d->function_size);
	if (d->nfunctions == 0 || !d->functions)
		return udf_fail(errp, NULL, NULL, "library \"%s\" declares no functions", L);
	if (d->nfunctions > MAX_FUNCTIONS)
		return udf_fail(errp, NULL, NULL, "library \"%s\" declares %u functions, more than %d",
		                L, d->nfunctions, MAX_FUNCTIONS);
	lib->nfns = (int)d->nfunctions;
	lib->fns = SL_ANEWN(reg->arena, sl_udf_fn, lib->nfns);
	for (uint32_t i = 0; i < d->nfunctions; i++) {
		sl_udf_fn *fn = &lib->fns[i];
		/* Entries are function_size apart; fields we know and the
		 * library did not are zero. */
		memcpy(&fn->desc, (const char *)d->functions + (size_t)i * d->function_size,
		       d->function_size);
		if (!sl_udf_check_fn_(reg, lib, L, i, &fn->desc, fn, errp))
			return false;
		for (uint32_t j = 0; j < i; j++) {
			const sl_udf_fn *o = &lib->fns[j];
			if (!sl_streq_ci(o->name, fn->name))
				continue;
			if (o->kind != fn->kind)
				return udf_fail(errp, NULL, NULL,
				                "library \"%s\" declares function \"%s\" as two different kinds",
				                L, fn->name);
			if (same_overload(o, fn))
				return udf_fail(errp, "Overloads of a function must differ in their parameter types.",
				                NULL, "library \"%s\" declares function \"%s\" twice with the "
				                "signature \"%s\"", L, fn->name, fn->signature);
		}
	}
	return true;
}

sl_udf_library *
sl_udf_load(sl_udf_registry *reg, const char *library_path, const char *udf_path,
            sl_error **errp)
{
	if (!library_path || !*library_path) {
		udf_fail(errp, NULL, NULL, "library name is empty");
		return NULL;
	}
	char *real = check_path(library_path, udf_path, errp);
	if (!real)
		return NULL;
	for (size_t i = 0; i < reg->libs.n; i++) {
		if (strcmp(reg->libs.v[i]->path, real) == 0) {
			free(real);
			return reg->libs.v[i];
		}
	}

	/* Inspect and load one open file, so that what was checked is what is
	 * loaded even if the path is replaced in between. */
	int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		udf_fail(errp, NULL, NULL, "cannot open library \"%s\": %s", library_path,
		         strerror(errno));
		free(real);
		return NULL;
	}
	sl_udf_elf_info info;
	if (!sl_udf_elf_inspect_fd_(fd, library_path, &info, errp)) {
		close(fd);
		free(real);
		return NULL;
	}
	uint32_t ours = SLUICE_UDF_ABI_VERSION;
	const char *fail_hint = NULL;
	if (!info.has_register) {
		fail_hint = "Define it with SLUICE_UDF_LIBRARY(...) from <sluice/udf.h>; it must not be "
		            "static or hidden (-fvisibility=hidden needs SLUICE_UDF_EXPORT).";
		udf_fail(errp, NULL, fail_hint, "library \"%s\" does not export \"%s\"",
		         library_path, SLUICE_UDF_REGISTER_SYMBOL);
	} else if (!info.has_version) {
		fail_hint = "Define it with SLUICE_UDF_LIBRARY(...) from <sluice/udf.h>.";
		udf_fail(errp, "A library exports the constant \"" SLUICE_UDF_VERSION_SYMBOL
		               "\" holding the SLUICE_UDF_ABI_VERSION it was compiled with.",
		         fail_hint, "library \"%s\" does not declare its UDF ABI version", library_path);
	} else if (SLUICE_UDF_ABI_MAJOR_OF(info.version) != SLUICE_UDF_ABI_MAJOR ||
	           SLUICE_UDF_ABI_MINOR_OF(info.version) > SLUICE_UDF_ABI_MINOR) {
		fail_hint = "Rebuild the library against the <sluice/udf.h> installed with this sluice.";
		udf_fail(errp, NULL, fail_hint,
		         "library \"%s\" was built for UDF ABI %u.%u, but this sluice supports %u.%u",
		         library_path, SLUICE_UDF_ABI_MAJOR_OF(info.version),
		         SLUICE_UDF_ABI_MINOR_OF(info.version), SLUICE_UDF_ABI_MAJOR_OF(ours),
		         SLUICE_UDF_ABI_MINOR_OF(ours));
	}
	if (fail_hint) {
		close(fd);
		free(real);
		return NULL;
	}

	/* The path must still name the file just inspected. (Loading through
	 * /proc/self/fd/N would close the window completely, but glibc takes a
	 * reused /proc name for an object it already has.) */
	struct stat st_fd, st_path;
	bool same = fstat(fd, &st_fd) == 0 && stat(real, &st_path) == 0 &&
	            st_fd.st_dev == st_path.st_dev && st_fd.st_ino == st_path.st_ino;
	close(fd);
	if (!same) {
		udf_fail(errp, NULL, NULL, "library \"%s\" changed while it was being checked",
		         library_path);
		free(real);
		return NULL;
	}
	dlerror();
	void *h = dlopen(real, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *why = dlerror();
		size_t n = strlen(real);
		if (why && strncmp(why, real, n) == 0 && why[n] == ':')
			why += n + 1 + (why[n + 1] == ' ');   /* the path is in the message already */
		sl_strbuf d = SL_STRBUF_INIT;
		sl_strbuf_appendf(&d, "The dynamic linker reports: %s.", why ? why : "no reason");
		udf_fail(errp, sl_strbuf_str(&d),
		         "A library may need other shared libraries; the dynamic linker must find "
		         "them (ldd shows what is missing).",
		         "cannot load library \"%s\"", library_path);
		sl_strbuf_free(&d);
		free(real);
		return NULL;
	}
	sluice_udf_register_fn reg_fn;
	void *sym = dlsym(h, SLUICE_UDF_REGISTER_SYMBOL);
	memcpy(&reg_fn, &sym, sizeof reg_fn);  /* object -> function pointer */
	if (!reg_fn) {
		udf_fail(errp, NULL, NULL, "library \"%s\" does not export \"%s\"", library_path,
		         SLUICE_UDF_REGISTER_SYMBOL);
		dlclose(h);
		free(real);
		return NULL;
	}
	const sluice_udf_library *desc = reg_fn(ours);
	if (!desc) {
		udf_fail(errp, NULL, NULL, "library \"%s\" refused to register its functions",
		         library_path);
		dlclose(h);
		free(real);
		return NULL;
	}
	sl_udf_library *lib = SL_ANEW(reg->arena, sl_udf_library);
	lib->path = sl_arena_strdup(reg->arena, real);
	lib->given = sl_arena_strdup(reg->arena, library_path);
	lib->handle = h;
	lib->desc = desc;
	lib->abi_version = info.version;
	free(real);
	if (!check_descriptor(reg, lib, errp)) {
		dlclose(h);   /* its arena memory stays until the registry goes */
		return NULL;
	}
	sl_vec_push(&reg->libs, lib);
	sl_log(SL_LOG_INFO, "udf: loaded %s (%d functions)", lib->path, lib->nfns);
	return lib;
}

const char *
sl_udf_library_path(const sl_udf_library *lib)
{
	return lib->path;
}

const sluice_udf_library *
sl_udf_library_desc(const sl_udf_library *lib)
{
	return lib->desc;
}
