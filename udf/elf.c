/*
 * elf.c
 *	  Inspect a would-be UDF library as a file, before it is loaded: is it an
 *	  ELF shared object for this machine, does it export the registration
 *	  function, and which ABI version does its sluice_udf_abi_version
 *	  constant hold.
 *
 *	  dlopen runs a library's constructors, so every refusal that can be
 *	  decided from the file is decided here, on a read-only mapping, with
 *	  every offset bounds-checked (the file is untrusted input). Symbols
 *	  come from the dynamic symbol table (.dynsym) found through the section
 *	  headers; the version constant is read through the PT_LOAD segment that
 *	  holds its address.
 *
 * INTERFACE ROUTINES
 *	  sl_udf_elf_inspect_fd_, sl_udf_elf_inspect_   (udf_int.h)
 */
#include "udf/udf_int.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__x86_64__)
#define NATIVE_MACHINE EM_X86_64
#elif defined(__aarch64__)
#define NATIVE_MACHINE EM_AARCH64
#elif defined(__i386__)
#define NATIVE_MACHINE EM_386
#elif defined(__arm__)
#define NATIVE_MACHINE EM_ARM
#elif defined(__riscv)
#define NATIVE_MACHINE EM_RISCV
#elif defined(__powerpc64__)
#define NATIVE_MACHINE EM_PPC64
#elif defined(__s390x__)
#define NATIVE_MACHINE EM_S390
#else
#define NATIVE_MACHINE EM_NONE   /* unknown: do not check the machine */
#endif

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NATIVE_DATA ELFDATA2LSB
#else
#define NATIVE_DATA ELFDATA2MSB
#endif

#define NATIVE_CLASS (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32)

typedef struct image {
	const unsigned char *p; /* read-only mapping */
	size_t size;
} image;

static bool
in_bounds(const image *im, uint64_t off, uint64_t len)
{
	return off <= im->size && len <= im->size - off;
}

static bool
not_shared(const char *given, sl_error **errp, const char *detail)
{
	sl_error *e = sl_error_new(SL_ERR_UDF, SL_SPAN_NONE,
	                           "library \"%s\" is not a shared library", given);
	sl_error_set_detail(e, "%s", detail);
	sl_error_set_hint(e, "Build it with: cc -shared -fPIC -o libfoo.so foo.c");
	if (errp)
		*errp = e;
	else
		sl_error_free(e);
	return false;
}

/* Read the 4-byte value at virtual address vaddr through the PT_LOAD
 * segment that maps it from the file. */
static bool
read_u32_at(const image *im, const ElfW(Ehdr) *eh, uint64_t vaddr, uint32_t *out)
{
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		uint64_t off = eh->e_phoff + (uint64_t)i * eh->e_phentsize;
		if (!in_bounds(im, off, sizeof(ElfW(Phdr))))
			return false;
		ElfW(Phdr) ph;
		memcpy(&ph, im->p + off, sizeof ph);
		if (ph.p_type != PT_LOAD || vaddr < ph.p_vaddr ||
		    vaddr - ph.p_vaddr > ph.p_filesz || ph.p_filesz - (vaddr - ph.p_vaddr) < 4)
			continue;
		uint64_t foff = ph.p_offset + (vaddr - ph.p_vaddr);
		if (!in_bounds(im, foff, 4))
			return false;
		memcpy(out, im->p + foff, 4);
		return true;
	}
	return false;
}

static bool
inspect(const image *im, const char *given, sl_udf_elf_info *info, sl_error **errp)
{
	if (im->size < EI_NIDENT || memcmp(im->p, ELFMAG, SELFMAG) != 0)
		return not_shared(given, errp, "It is not an ELF file.");
	if (im->p[EI_CLASS] != NATIVE_CLASS || im->p[EI_DATA] != NATIVE_DATA)
		return not_shared(given, errp,
		                  "It is an ELF file for another kind of machine (word size or byte order).");
	if (im->size < sizeof(ElfW(Ehdr)))
		return not_shared(given, errp, "Its ELF header is truncated.");
	ElfW(Ehdr) eh;
	memcpy(&eh, im->p, sizeof eh);
	if (eh.e_type == ET_REL)
		return not_shared(given, errp, "It is an object file; link it with -shared.");
	if (eh.e_type != ET_DYN)
		return not_shared(given, errp, "It is an ELF executable, not a shared object.");
	if (NATIVE_MACHINE != EM_NONE && eh.e_machine != NATIVE_MACHINE)
		return not_shared(given, errp, "It is built for another processor architecture.");
	if (eh.e_phnum && eh.e_phentsize != sizeof(ElfW(Phdr)))
		return not_shared(given, errp, "Its program headers are malformed.");
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		uint64_t off = eh.e_phoff + (uint64_t)i * eh.e_phentsize;
		if (!in_bounds(im, off, sizeof(ElfW(Phdr))))
			return not_shared(given, errp, "Its program headers are truncated.");
		ElfW(Phdr) ph;
		memcpy(&ph, im->p + off, sizeof ph);
		if (ph.p_type == PT_INTERP)
			return not_shared(given, errp,
			                  "It is a position-independent executable (it has a program interpreter).");
	}

	/* The dynamic symbol table and its string table. */
	if (eh.e_shnum == 0 || eh.e_shentsize != sizeof(ElfW(Shdr)) ||
	    !in_bounds(im, eh.e_shoff, (uint64_t)eh.e_shnum * sizeof(ElfW(Shdr))))
		return not_shared(given, errp, "It has no usable section headers.");
	const unsigned char *shbase = im->p + eh.e_shoff;
	ElfW(Shdr) dynsym = {0}, strtab = {0};
	bool found = false;
	for (unsigned i = 0; i < eh.e_shnum; i++) {
		ElfW(Shdr) sh;
		memcpy(&sh, shbase + (size_t)i * sizeof sh, sizeof sh);
		if (sh.sh_type != SHT_DYNSYM)
			continue;
		if (sh.sh_link >= eh.e_shnum || sh.sh_entsize != sizeof(ElfW(Sym)))
			return not_shared(given, errp, "Its dynamic symbol table is malformed.");
		dynsym = sh;
		memcpy(&strtab, shbase + (size_t)sh.sh_link * sizeof sh, sizeof sh);
		found = true;
		break;
	}
	if (!found)
		return true;    /* no exported symbols at all */
	if (!in_bounds(im, dynsym.sh_offset, dynsym.sh_size) ||
	    !in_bounds(im, strtab.sh_offset, strtab.sh_size))
		return not_shared(given, errp, "Its dynamic symbol table is truncated.");

	const char *names = (const char *)im->p + strtab.sh_offset;
	size_t nsyms = dynsym.sh_size / sizeof(ElfW(Sym));
	for (size_t i = 1; i < nsyms; i++) {
		ElfW(Sym) s;
		memcpy(&s, im->p + dynsym.sh_offset + i * sizeof s, sizeof s);
		if (s.st_name >= strtab.sh_size || s.st_shndx == SHN_UNDEF)
			continue;
		const char *nm = names + s.st_name;
		size_t maxlen = strtab.sh_size - s.st_name;
		int bind = ELF64_ST_BIND(s.st_info), type = ELF64_ST_TYPE(s.st_info);
		if (bind != STB_GLOBAL && bind != STB_WEAK)
			continue;
		if (strnlen(nm, maxlen) == maxlen)
			continue;   /* unterminated name */
		if (strcmp(nm, SLUICE_UDF_REGISTER_SYMBOL) == 0 && type == STT_FUNC) {
			info->has_register = true;
		} else if (strcmp(nm, SLUICE_UDF_VERSION_SYMBOL) == 0 &&
		           (type == STT_OBJECT || type == STT_NOTYPE) && s.st_size >= 4 &&
		           s.st_shndx != SHN_ABS) {
			info->has_version = read_u32_at(im, &eh, s.st_value, &info->version);
		}
	}
	return true;
}

bool
sl_udf_elf_inspect_fd_(int fd, const char *given, sl_udf_elf_info *info, sl_error **errp)
{
	memset(info, 0, sizeof *info);
	struct stat st;
	if (fstat(fd, &st) != 0)
		return sl_fail(errp, SL_ERR_UDF, SL_SPAN_NONE, "cannot open library \"%s\": %s",
		               given, strerror(errno));
	if (st.st_size < EI_NIDENT)
		return not_shared(given, errp, "It is too short to be an ELF file.");
	image im = {NULL, (size_t)st.st_size};
	void *m = mmap(NULL, im.size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED)
		return sl_fail(errp, SL_ERR_UDF, SL_SPAN_NONE, "cannot read library \"%s\": %s",
		               given, strerror(errno));
	im.p = m;
	bool ok = inspect(&im, given, info, errp);
	munmap(m, im.size);
	return ok;
}

bool
sl_udf_elf_inspect_(const char *path, const char *given, sl_udf_elf_info *info,
                    sl_error **errp)
{
	memset(info, 0, sizeof *info);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sl_fail(errp, SL_ERR_UDF, SL_SPAN_NONE, "cannot open library \"%s\": %s",
		               given, strerror(errno));
	bool ok = sl_udf_elf_inspect_fd_(fd, given, info, errp);
	close(fd);
	return ok;
}
