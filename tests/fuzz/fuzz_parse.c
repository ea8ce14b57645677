/*
 * fuzz_parse.c
 *	  libFuzzer target for the SQL text surface: parse -> print -> parse
 *	  -> sl_ast_equal. Aborts when the printed text of a tree does not
 *	  re-parse to an equal tree; ASan/UBSan catch memory and UB errors.
 *	  Errors are rendered too, so error construction is fuzzed as well.
 *
 *	  Build and run (from the build directory):
 *	    make fuzz
 *	    tests/fuzz/fuzz_parse -dict=$SRC/tests/fuzz/sql.dict CORPUS_DIR $SRC/tests/fuzz/corpus $SRC/queries/nexmark $SRC/queries/examples
 *
 *	  Errors are rendered from a NUL-terminated copy of the input:
 *	  sl_error_render (common/error.c, char_start) reads the byte at
 *	  src[srclen] when a long last line is clipped; reported to the owner
 *	  of common/, regression input tests/fuzz/regress/render-long-line.sql.
 *
 *	  The only tolerated re-parse failure is SL_ERR_LIMIT: printing adds
 *	  parentheses, so a tree just under the nesting limit can print as
 *	  text just over it.
 */
#include "parser/parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sl_arena *arena = sl_arena_new(NULL, "fuzz");
	sl_ast_script *s1 = NULL, *s2 = NULL;
	sl_error *err = NULL;
	sl_strbuf text = SL_STRBUF_INIT;

	if (!sl_parse((const char *)data, size, arena, &s1, &err)) {
		sl_strbuf r = SL_STRBUF_INIT;
		char *copy = sl_xmalloc(size + 1);
		memcpy(copy, data, size);
		copy[size] = '\0';
		sl_error_render(err, NULL, copy, size, &r);
		free(copy);
		sl_strbuf_free(&r);
		sl_error_free(err);
		sl_arena_free(arena);
		return 0;
	}
	sl_ast_print(s1, &text);
	if (!sl_parse(text.data ? text.data : "", text.len, arena, &s2, &err)) {
		if (err->code != SL_ERR_LIMIT) {
			sl_strbuf r = SL_STRBUF_INIT;
			sl_error_render(err, "printed", text.data, text.len, &r);
			fprintf(stderr, "printed text does not re-parse:\n%s\n%s", sl_strbuf_str(&text),
			        sl_strbuf_str(&r));
			abort();
		}
		sl_error_free(err);
	} else if (!sl_ast_equal(s1, s2)) {
		sl_strbuf d1 = SL_STRBUF_INIT, d2 = SL_STRBUF_INIT;
		sl_ast_dump(s1, &d1);
		sl_ast_dump(s2, &d2);
		fprintf(stderr, "round trip changed the tree:\n%s\n--- first\n%s--- second\n%s",
		        sl_strbuf_str(&text), sl_strbuf_str(&d1), sl_strbuf_str(&d2));
		abort();
	}
	sl_strbuf_free(&text);
	sl_arena_free(arena);
	return 0;
}
