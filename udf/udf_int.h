/*
 * udf_int.h
 *	  Internals of udf/ shared between its files. Not for other modules.
 */
#ifndef SL_UDF_INT_H
#define SL_UDF_INT_H

#include "udf/udf.h"

struct sl_udf_library {
	char *path;             /* realpath of the file, registry arena */
	char *given;            /* as written in USING LIBRARY, registry arena */
	void *handle;           /* dlopen handle */
	const sluice_udf_library *desc; /* what sluice_udf_register returned */
	uint32_t abi_version;   /* from the sluice_udf_abi_version symbol */
	int nfns;
	sl_udf_fn *fns;         /* one per descriptor entry, validated */
};

struct sl_udf_registry {
	sl_arena *arena;        /* everything below lives here */
	SL_VEC(sl_udf_entry *) entries;   /* creation order; dropped ones removed */
	SL_VEC(sl_udf_library *) libs;    /* loaded, never unloaded before free */
};

/* signature.c: parse text into sig; on failure writes a reason ("unknown
 * type \"VARCHR\" at offset 7") into why and returns false. */
bool sl_udf_sig_parse_(sl_arena *a, const char *text, sl_udf_sig *sig,
                       char *why, size_t whylen);
/* "name(ARG, ARG) -> RESULT" */
void sl_udf_fn_format_(const sl_udf_fn *fn, sl_strbuf *out);
/* A valid function name: [A-Za-z_][A-Za-z0-9_]{0,127}. */
bool sl_udf_name_ok_(const char *name);

/* loader.c: validate one descriptor entry d (a copy in fn->desc) and fill
 * fn; lib is NULL for built-ins; L names the library in messages. */
bool sl_udf_check_fn_(sl_udf_registry *reg, sl_udf_library *lib, const char *L,
                      uint32_t idx, const sluice_udf_function *d, sl_udf_fn *fn,
                      sl_error **errp);

/* elf.c: check that the file is an ELF shared object for this machine and
 * find the two symbols, without mapping it for execution. On failure sets
 * *errp (library named by given). */
typedef struct sl_udf_elf_info {
	bool has_version;       /* sluice_udf_abi_version is defined */
	uint32_t version;       /* its value */
	bool has_register;      /* sluice_udf_register is a defined function */
} sl_udf_elf_info;
bool sl_udf_elf_inspect_(const char *path, const char *given,
                         sl_udf_elf_info *info, sl_error **errp);
/* The same on an open file (the loader inspects and loads one inode). */
bool sl_udf_elf_inspect_fd_(int fd, const char *given, sl_udf_elf_info *info,
                            sl_error **errp);

#endif /* SL_UDF_INT_H */
