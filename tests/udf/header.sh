#!/bin/sh
# header.sh -- <sluice/udf.h> is self-contained: it compiles alone as strict
# C99 and C11 (and C++ when a C++ compiler is there), with every warning an
# error, and the example library builds with the one documented cc line.
# Run from the build directory; SRCDIR is the source tree.
SRCDIR=${SRCDIR:-.}
CC=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
check() { # $1: name, rest: command
	name=$1; shift
	n=$((n + 1))
	if "$@" >"$tmp/out" 2>&1; then
		echo "ok - $name"
	else
		echo "not ok - $name"
		sed 's/^/#   /' "$tmp/out"
	fi
}

cat >"$tmp/use.c" <<'C'
#include <sluice/udf.h>
static int f(sluice_udf_ctx *ctx, const sluice_udf_vector *args, uint32_t nargs,
             const uint32_t *sel, uint32_t n, sluice_udf_out *out)
{
	uint32_t i;
	(void)nargs;
	for (i = 0; i < n; i++) {
		uint32_t row = sluice_udf_row(sel, i);
		if (sluice_udf_is_null(&args[0], row)) {
			sluice_udf_set_null(out, row);
			continue;
		}
		if (SLUICE_UDF_IN(&args[0], int64_t)[row] < 0) {
			sluice_udf_error(ctx, row, "negative: %lld", (long long)SLUICE_UDF_IN(&args[0], int64_t)[row]);
			return 1;
		}
		SLUICE_UDF_OUT(out, int64_t)[row] = SLUICE_UDF_IN(&args[0], int64_t)[row];
	}
	return 0;
}
static const sluice_udf_function fns[] = {
	{"f", SLUICE_UDF_SCALAR, SLUICE_UDF_DETERMINISTIC, "BIGINT(BIGINT)", NULL, NULL, f, NULL, NULL},
};
SLUICE_UDF_LIBRARY("t", "1", fns)
C

for std in c99 c11; do
	check "header-$std" $CC -std=$std -pedantic -Wall -Wextra -Werror -I"$SRCDIR/include" \
		-fsyntax-only "$tmp/use.c"
done
if command -v c++ >/dev/null 2>&1; then
	cp "$tmp/use.c" "$tmp/use.cc"
	check "header-c++" c++ -Wall -Wextra -Werror -I"$SRCDIR/include" -fsyntax-only "$tmp/use.cc"
fi
# The documented build line (docs/udf.md), nothing else.
check "documented-build-line" $CC -shared -fPIC -I"$SRCDIR/include" -o "$tmp/libnexmark_udf.so" \
	"$SRCDIR/udf/examples/nexmark_udf.c"
check "exports-two-symbols" sh -c "nm -D --defined-only '$tmp/libnexmark_udf.so' | grep -q ' sluice_udf_register\$' && nm -D --defined-only '$tmp/libnexmark_udf.so' | grep -q ' sluice_udf_abi_version\$'"
# With -fvisibility=hidden exactly the two symbols are exported.
check "hidden-visibility" sh -c "$CC -shared -fPIC -fvisibility=hidden -I'$SRCDIR/include' -o '$tmp/libhid.so' '$SRCDIR/udf/examples/nexmark_udf.c' && test \"\$(nm -D --defined-only '$tmp/libhid.so' | awk '{print \$3}' | sort | tr '\n' ' ')\" = 'sluice_udf_abi_version sluice_udf_register '"
if command -v clang >/dev/null 2>&1; then
	check "example-clang" clang -std=c11 -Wall -Wextra -Werror -shared -fPIC -I"$SRCDIR/include" \
		-o "$tmp/libclang.so" "$SRCDIR/udf/examples/nexmark_udf.c"
fi
# The test driver shown in docs/udf.md ("4. Test") compiles and passes.
awk '/^```c$/{inb=1; buf=""; next} /^```$/{if (inb && buf ~ /int main\(void\)/) printf "%s", buf; inb=0; next} inb{buf = buf $0 "\n"}' \
	"$SRCDIR/docs/udf.md" >"$tmp/test_udf.c"
check "documented-test-driver" sh -c "$CC -I'$SRCDIR/include' -I'$SRCDIR/udf/examples' -o '$tmp/test_udf' '$tmp/test_udf.c' && '$tmp/test_udf' | grep -qx ok"
