/*
 * 0702-udf-loader.c
 *	  Loading C function libraries: every refusal with its exact message,
 *	  that refused libraries ran none of their code (or only the
 *	  registration call, for descriptor errors), and CREATE/DROP FUNCTION
 *	  on the registry.
 *
 *	  Runs in the build directory: the libraries are tests/udf/lib*.so
 *	  (built from tests/udf/bad_udf.c) and udf/examples/libnexmark_udf.so;
 *	  the UDF path is tests/udf. The test adds a few files of its own there
 *	  (a text file, a directory, a symbolic link, a copy of itself).
 */
#include "udf/udf_int.h"

#include "tests/unit/test.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#define UDF_DIR "tests/udf"

static sl_udf_registry *reg;

/* Load and expect a refusal with exactly this message; returns the error
 * (caller frees) so that details can be checked. */
static sl_error *
refuse(const char *lib, const char *udf_path, const char *message)
{
	sl_error *err = NULL;
	unsetenv("SLUICE_UDF_TEST_CTOR");
	unsetenv("SLUICE_UDF_TEST_REGISTER");
	sl_udf_library *l = sl_udf_load(reg, lib, udf_path, &err);
	SL_CHECK(l == NULL);
	SL_CHECK(err != NULL);
	if (!err)
		return NULL;
	SL_CHECK_INT(err->code, SL_ERR_UDF);
	SL_CHECK_STR(err->message, message);
	return err;
}

static bool
code_ran(const char *what)
{
	return getenv(what) != NULL;
}

static void
write_file(const char *path, const char *text)
{
	unlink(path);
	FILE *f = fopen(path, "w");
	SL_CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void
test_path_refusals(void)
{
	sl_error *e;
	e = refuse("libfailing.so", NULL,
	           "cannot load library \"libfailing.so\": no UDF path is configured");
	SL_CHECK_STR(e ? e->hint : NULL,
	             "Start sluice with --udf-path DIR, or run SET 'udf.path' = 'DIR', to name the "
	             "directory that holds the libraries.");
	sl_error_free(e);
	sl_error_free(refuse("libfailing.so", "",
	                     "cannot load library \"libfailing.so\": no UDF path is configured"));
	sl_error_free(refuse("libfailing.so", "no/such/dir", "UDF path \"no/such/dir\" does not exist"));
	sl_error_free(refuse("libfailing.so", UDF_DIR "/libfailing.so",
	                     "UDF path \"tests/udf/libfailing.so\" is not a directory"));
	sl_error_free(refuse("", UDF_DIR, "library name is empty"));

	e = refuse("libnope.so", UDF_DIR, "library \"libnope.so\" does not exist");
	SL_CHECK(e && e->detail && strstr(e->detail, "/tests/udf/libnope.so"));
	sl_error_free(e);

	/* ".." out of the directory, whether or not the target exists. */
	e = refuse("../../udf/examples/libnexmark_udf.so", UDF_DIR,
	           "library \"../../udf/examples/libnexmark_udf.so\" is outside the UDF path");
	SL_CHECK(e && e->detail && strstr(e->detail, "/udf/examples/libnexmark_udf.so\", which is "
	                                             "not under the UDF path"));
	SL_CHECK(e && e->hint);
	sl_error_free(e);
	sl_error_free(refuse("../nope.so", UDF_DIR, "library \"../nope.so\" is outside the UDF path"));
	sl_error_free(refuse("sub/../../x.so", UDF_DIR,
	                     "library \"sub/../../x.so\" is outside the UDF path"));
	sl_error_free(refuse("/etc/passwd", UDF_DIR, "library \"/etc/passwd\" is outside the UDF path"));

	/* A symbolic link inside the directory that points outside it. */
	char target[PATH_MAX];
	SL_CHECK(realpath("udf/examples/libnexmark_udf.so", target) != NULL);
	unlink(UDF_DIR "/liblink.so");
	SL_CHECK(symlink(target, UDF_DIR "/liblink.so") == 0);
	e = refuse("liblink.so", UDF_DIR, "library \"liblink.so\" is outside the UDF path");
	SL_CHECK(e && e->detail && strstr(e->detail, "resolves through a symbolic link to"));
	sl_error_free(e);
	SL_CHECK(!code_ran("SLUICE_UDF_TEST_CTOR"));

	/* Several directories: each must exist; a name is looked up in order;
	 * a link from one into another stays inside the UDF path. */
	sl_error_free(refuse("libfailing.so", "udf/examples:no/such",
	                     "UDF path \"no/such\" does not exist"));
	sl_error_free(refuse("libfailing.so", ":", "UDF path \":\" names no directory"));
	e = refuse("libnope.so", "udf/examples:" UDF_DIR, "library \"libnope.so\" does not exist");
	SL_CHECK(e && e->detail && strstr(e->detail, "/udf/examples/libnope.so\", \"")
	         && strstr(e->detail, "/tests/udf/libnope.so\"."));
	sl_error_free(e);
	sl_udf_library *l1 = sl_udf_load(reg, "liblink.so", UDF_DIR ":udf/examples", NULL);
	SL_CHECK(l1 != NULL);
	SL_CHECK(l1 && sl_udf_load(reg, "libnexmark_udf.so", UDF_DIR ":udf/examples", NULL) == l1);
	SL_CHECK(sl_udf_load(reg, "libfailing.so", "udf/examples:" UDF_DIR, NULL) != NULL);

	/* Not a regular file. */
	rmdir(UDF_DIR "/libdir.so");
	SL_CHECK(mkdir(UDF_DIR "/libdir.so", 0755) == 0);
	sl_error_free(refuse("libdir.so", UDF_DIR, "library \"libdir.so\" is not a regular file"));
	rmdir(UDF_DIR "/libdir.so");
}

static void
test_file_refusals(void)
{
	sl_error *e;
	write_file(UDF_DIR "/libtext.so", "this is not a library\n");
	e = refuse("libtext.so", UDF_DIR, "library \"libtext.so\" is not a shared library");
	SL_CHECK_STR(e ? e->detail : NULL, "It is not an ELF file.");
	SL_CHECK_STR(e ? e->hint : NULL, "Build it with: cc -shared -fPIC -o libfoo.so foo.c");
	sl_error_free(e);

	write_file(UDF_DIR "/libshort.so", "\177EL");
	e = refuse("libshort.so", UDF_DIR, "library \"libshort.so\" is not a shared library");
	SL_CHECK_STR(e ? e->detail : NULL, "It is too short to be an ELF file.");
	sl_error_free(e);

	/* A program (this test itself) is not a library. */
	FILE *in = fopen("/proc/self/exe", "rb");
	unlink(UDF_DIR "/libprog.so");
	FILE *out = fopen(UDF_DIR "/libprog.so", "wb");
	SL_CHECK(in && out);
	if (in && out) {
		char buf[65536];
		size_t n;
		while ((n = fread(buf, 1, sizeof buf, in)) > 0)
			fwrite(buf, 1, n, out);
	}
	if (in)
		fclose(in);
	if (out)
		fclose(out);
	e = refuse("libprog.so", UDF_DIR, "library \"libprog.so\" is not a shared library");
	SL_CHECK(e && e->detail && strstr(e->detail, "executable"));
	sl_error_free(e);
}

static void
test_symbol_and_version_refusals(void)
{
	sl_error *e;
	e = refuse("libno_register.so", UDF_DIR,
	           "library \"libno_register.so\" does not export \"sluice_udf_register\"");
	SL_CHECK(e && e->hint && strstr(e->hint, "SLUICE_UDF_LIBRARY"));
	sl_error_free(e);
	SL_CHECK(!code_ran("SLUICE_UDF_TEST_CTOR"));

	e = refuse("libno_abi.so", UDF_DIR,
	           "library \"libno_abi.so\" does not declare its UDF ABI version");
	SL_CHECK_STR(e ? e->detail : NULL,
	             "A library exports the constant \"sluice_udf_abi_version\" holding the "
	             "SLUICE_UDF_ABI_VERSION it was compiled with.");
	sl_error_free(e);
	SL_CHECK(!code_ran("SLUICE_UDF_TEST_CTOR"));

	e = refuse("libbad_abi.so", UDF_DIR,
	           "library \"libbad_abi.so\" was built for UDF ABI 99.0, but this sluice supports 1.0");
	SL_CHECK_STR(e ? e->hint : NULL,
	             "Rebuild the library against the <sluice/udf.h> installed with this sluice.");
	sl_error_free(e);
	SL_CHECK(!code_ran("SLUICE_UDF_TEST_CTOR"));
	SL_CHECK(!code_ran("SLUICE_UDF_TEST_REGISTER"));

	/* A library the dynamic linker cannot load: its constructor never runs. */
	e = refuse("libundefined.so", UDF_DIR, "cannot load library \"libundefined.so\"");
	SL_CHECK(e && e->detail && strstr(e->detail, "undefined symbol: sluice_udf_test_missing"));
	SL_CHECK(e && e->detail && !strstr(e->detail, "libundefined.so:"));
	sl_error_free(e);
	SL_CHECK(!code_ran("SLUICE_UDF_TEST_CTOR"));

	sl_error_free(refuse("libbad_minor.so", UDF_DIR,
	                     "library \"libbad_minor.so\" was built for UDF ABI 1.999, but this "
	                     "sluice supports 1.0"));
	SL_CHECK(!code_ran("SLUICE_UDF_TEST_CTOR"));
}

static void
test_descriptor_refusals(void)
{
	sl_error *e;
	e = refuse("libbad_signature.so", UDF_DIR,
	           "function \"ident\" in library \"libbad_signature.so\" has a malformed signature "
	           "\"BIGINT(VARCHR)\": unknown type \"VARCHR\" at offset 7");
	SL_CHECK(e && e->hint && strstr(e->hint, "BIGINT(VARCHAR, VARCHAR)"));
	sl_error_free(e);
	SL_CHECK(code_ran("SLUICE_UDF_TEST_REGISTER"));   /* only the registration ran */

	sl_error_free(refuse("libno_entry.so", UDF_DIR,
	                     "scalar function \"no_entry\" in library \"libno_entry.so\" has no entry point"));
	sl_error_free(refuse("libno_name.so", UDF_DIR,
	                     "function #1 in library \"libno_name.so\" has no name"));
	e = refuse("libdup_name.so", UDF_DIR,
	           "library \"libdup_name.so\" declares function \"TWICE\" twice with the signature "
	           "\"BIGINT(x BIGINT NOT NULL)\"");
	SL_CHECK_STR(e ? e->detail : NULL,
	             "Overloads of a function must differ in their parameter types.");
	sl_error_free(e);
	sl_error_free(refuse("libdup_kind.so", UDF_DIR,
	                     "library \"libdup_kind.so\" declares function \"both\" as two different kinds"));
	sl_error_free(refuse("libbad_kind.so", UDF_DIR,
	                     "function \"odd\" in library \"libbad_kind.so\" has an unknown kind 42"));
	sl_error_free(refuse("libagg_no_merge.so", UDF_DIR,
	                     "aggregate function \"agg\" in library \"libagg_no_merge.so\" has no "
	                     "\"merge\" entry point"));
	sl_error_free(refuse("libagg_half_ser.so", UDF_DIR,
	                     "aggregate function \"agg\" in library \"libagg_half_ser.so\" must define "
	                     "serialize, deserialize and destroy together"));
	sl_error_free(refuse("libtable_no_entry.so", UDF_DIR,
	                     "table function \"tbl\" in library \"libtable_no_entry.so\" has no entry point"));
	sl_error_free(refuse("libtable_not_row.so", UDF_DIR,
	                     "table function \"tbl\" in library \"libtable_not_row.so\" must return a "
	                     "ROW<...> of its output columns"));
	sl_error_free(refuse("libscalar_row.so", UDF_DIR,
	                     "scalar function \"sr\" in library \"libscalar_row.so\" returns a ROW; only "
	                     "a table function may"));
	sl_error_free(refuse("libno_functions.so", UDF_DIR,
	                     "library \"libno_functions.so\" declares no functions"));
	/* Nothing was registered by the refused libraries. */
	SL_CHECK_INT(sl_udf_count(reg), 0);
}

static void
test_load_create_drop(void)
{
	sl_error *err = NULL;
	sl_udf_library *lib = sl_udf_load(reg, "libfailing.so", UDF_DIR, &err);
	SL_CHECK(lib != NULL);
	if (!lib) {
		printf("# %s\n", err ? err->message : "?");
		sl_error_free(err);
		return;
	}
	SL_CHECK(strstr(sl_udf_library_path(lib), "/tests/udf/libfailing.so") != NULL);
	SL_CHECK_INT(sl_udf_library_desc(lib)->nfunctions, 7);
	/* The same file by other spellings is the same library. */
	SL_CHECK(sl_udf_load(reg, "./libfailing.so", UDF_DIR, NULL) == lib);
	SL_CHECK(sl_udf_load(reg, sl_udf_library_path(lib), UDF_DIR, NULL) == lib);
	SL_CHECK(sl_udf_load(reg, "libfailing.so", UDF_DIR "/", NULL) == lib);

	/* CREATE FUNCTION my_over AS 'over': all three overloads. */
	SL_CHECK(sl_udf_create(reg, "my_over", lib, "over", false, NULL));
	const sl_udf_entry *e = sl_udf_lookup(reg, "MY_OVER");
	SL_CHECK(e && e->nfns == 3 && !e->builtin);
	SL_CHECK(e && strcmp(e->fns[0]->name, "my_over") == 0 && strcmp(e->fns[0]->symbol, "over") == 0);
	SL_CHECK(!sl_udf_create(reg, "My_Over", lib, "over", false, &err));
	SL_CHECK(err && err->code == SL_ERR_DUPLICATE_OBJECT);
	SL_CHECK_STR(err ? err->message : NULL, "function \"my_over\" already exists");
	sl_error_free(err);
	err = NULL;
	SL_CHECK(sl_udf_create(reg, "my_over", lib, "over", true, NULL));

	/* Unknown symbol, with a suggestion. */
	SL_CHECK(!sl_udf_create(reg, "f", lib, "fail_al", false, &err));
	SL_CHECK(err && err->code == SL_ERR_UNDEFINED_FUNCTION);
	SL_CHECK_STR(err ? err->message : NULL, "library \"libfailing.so\" has no function \"fail_al\"");
	SL_CHECK_STR(err ? err->hint : NULL,
	             "Did you mean \"fail_at\"? The library declares \"ident\", \"fail_at\", "
	             "\"fail_silently\", \"over\", \"sum_once\".");
	sl_error_free(err);
	err = NULL;
	/* Without a symbol the SQL name is the symbol. */
	SL_CHECK(sl_udf_create(reg, "fail_at", lib, NULL, false, NULL));
	SL_CHECK(!sl_udf_create(reg, "bad name", lib, NULL, false, &err));
	SL_CHECK_STR(err ? err->message : NULL, "invalid function name \"bad name\"");
	sl_error_free(err);
	err = NULL;

	/* Resolution through the created name. */
	static const sl_type t_bigint = {.kind = SL_TYPE_BIGINT, .nullable = true};
	static const sl_type t_date = {.kind = SL_TYPE_DATE, .nullable = true};
	const sl_type *a1[] = {&t_bigint};
	const sl_udf_fn *fn = sl_udf_resolve(reg, "my_over", a1, 1, NULL);
	SL_CHECK(fn && fn->sig.result->kind == SL_TYPE_DOUBLE);  /* BIGINT widens to DOUBLE */
	const sl_type *a2[] = {&t_date};
	SL_CHECK(!sl_udf_resolve(reg, "my_over", a2, 1, &err));
	SL_CHECK_STR(err ? err->message : NULL, "function \"my_over\" does not accept (DATE)");
	SL_CHECK_STR(err ? err->hint : NULL,
	             "Its signatures are: my_over(INT) -> INT; my_over(DOUBLE) -> DOUBLE; "
	             "my_over(STRING) -> STRING.");
	sl_error_free(err);
	err = NULL;

	/* SHOW FUNCTIONS order, DROP, re-CREATE. */
	SL_CHECK_INT(sl_udf_count(reg), 2);
	SL_CHECK_STR(sl_udf_at(reg, 0)->name, "my_over");
	SL_CHECK_STR(sl_udf_at(reg, 1)->name, "fail_at");
	SL_CHECK(sl_udf_drop(reg, "MY_OVER", false, NULL));
	SL_CHECK(sl_udf_lookup(reg, "my_over") == NULL);
	SL_CHECK(fn && fn->sig.nargs == 1);   /* still readable after DROP */
	SL_CHECK_INT(sl_udf_count(reg), 1);
	SL_CHECK(sl_udf_create(reg, "my_over", lib, "over", false, NULL));
	SL_CHECK_INT(sl_udf_count(reg), 2);
}

/* The ELF reader on damaged copies of a real library: truncated at every
 * length up to 4 KiB and with single bytes changed in the headers. It must
 * answer (either way) without reading out of bounds; the sanitizer build
 * checks the bounds. No damaged file is ever loaded. */
static void
test_elf_damaged(void)
{
	FILE *f = fopen("udf/examples/libnexmark_udf.so", "rb");
	SL_CHECK(f != NULL);
	if (!f)
		return;
	static unsigned char img[1 << 20];
	size_t size = fread(img, 1, sizeof img, f);
	fclose(f);
	SL_CHECK(size > 4096 && size < sizeof img);
	sl_udf_elf_info info;
	SL_CHECK(sl_udf_elf_inspect_("udf/examples/libnexmark_udf.so", "x", &info, NULL));
	SL_CHECK(info.has_register && info.has_version && info.version == SLUICE_UDF_ABI_VERSION);

	const char *path = UDF_DIR "/libdamaged.so";
	int refused = 0, accepted = 0;
	for (size_t len = 0; len <= 4096; len += (len < 128 ? 1 : 61)) {
		FILE *o = fopen(path, "wb");
		fwrite(img, 1, len, o);
		fclose(o);
		if (sl_udf_elf_inspect_(path, "x", &info, NULL))
			accepted++;
		else
			refused++;
	}
	SL_CHECK(refused > 0);
	/* Flip bytes of the ELF header, the program headers and the section
	 * header table (at e_shoff, the file's end). */
	uint64_t shoff;
	memcpy(&shoff, img + 0x28, 8);
	size_t spots[] = {4, 5, 16, 18, 0x20, 0x28, 0x30, 0x36, 0x38, 0x3a, 0x3c, 0x3e,
	                  0x40, 0x48, 0x50, 0x60, 0x78, (size_t)shoff, (size_t)shoff + 0x18,
	                  (size_t)shoff + 0x58, (size_t)shoff + 0x98, (size_t)shoff + 0x118,
	                  (size_t)shoff + 0x1a0, (size_t)shoff + 0x220};
	for (size_t k = 0; k < SL_ARRAY_LEN(spots); k++) {
		for (int v = 0; v < 4; v++) {
			static const unsigned char vals[4] = {0x00, 0xff, 0x7f, 0x80};
			if (spots[k] + 8 > size)
				continue;
			unsigned char save[8];
			memcpy(save, img + spots[k], 8);
			memset(img + spots[k], vals[v], v < 2 ? 8 : 1);
			FILE *o = fopen(path, "wb");
			fwrite(img, 1, size, o);
			fclose(o);
			memset(&info, 0, sizeof info);
			if (sl_udf_elf_inspect_(path, "x", &info, NULL))
				accepted++;
			else
				refused++;
			memcpy(img + spots[k], save, 8);
		}
	}
	SL_CHECK(accepted > 0);
	unlink(path);
}

int
main(int argc, char **argv)
{
	SL_TEST_MAIN_BEGIN(argc, argv);
	reg = sl_udf_registry_new();
	SL_RUN(test_path_refusals);
	SL_RUN(test_file_refusals);
	SL_RUN(test_symbol_and_version_refusals);
	SL_RUN(test_descriptor_refusals);
	SL_RUN(test_load_create_drop);
	SL_RUN(test_elf_damaged);
	sl_udf_registry_free(reg);
	return SL_TEST_MAIN_END();
}
