#!/bin/sh
# run-q14-udf.sh -- Nexmark q14 with its C UDF count_char, end to end:
# `sluice run --udf-path` loads udf/examples/libnexmark_udf.so (built by
# make check), runs tests/run/q14_udf.sql (q14 with a print sink) over
# ~20k events at parallelism 1 and 2, and compares with the SQLite oracle
# tests/oracle/q14_udf.sql, where c_counts is
# length(extra) - length(replace(extra, 'c', '')). Also: without a UDF
# path the run is refused before anything runs, and a UDF that reports an
# error fails the job with the function, its message and the row.
# make check runs it from the build directory with SRCDIR set.

SRCDIR=${SRCDIR:-$(dirname "$0")/../..}
SLUICE=${SLUICE:-./sluice}
UDFDIR=${UDFDIR:-$(pwd)/udf/examples}
N=${RUN_Q14_EVENTS:-20000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; [ -n "${2:-}" ] && echo "#   $2"; status=1; }

if [ ! -f "$UDFDIR/libnexmark_udf.so" ]; then
	notok "udf/examples/libnexmark_udf.so is built" "missing $UDFDIR/libnexmark_udf.so"
	exit 1
fi
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "ok - run-q14-udf # SKIP sqlite3 not installed"
	exit 0
fi
if ! "$SLUICE" gen nexmark --events "$N" --seed 0 --rate 10000000 --out "$tmp/nx" >/dev/null 2>"$tmp/gen.err"; then
	notok "sluice gen nexmark --events $N" "$(head -3 "$tmp/gen.err")"
	exit 1
fi
for p in 1 2; do
	name="sluice run q14 with count_char --parallelism $p --events $N matches the oracle"
	if ! "$SLUICE" run --quiet --events "$N" --parallelism "$p" --udf-path "$UDFDIR" \
		"$SRCDIR/tests/run/q14_udf.sql" >"$tmp/q14.$p.out" 2>"$tmp/q14.$p.err"; then
		notok "$name" "sluice run failed: $(head -3 "$tmp/q14.$p.err" | tr '\n' ' ')"
		continue
	fi
	rows=$(wc -l <"$tmp/q14.$p.out" | tr -d ' ')
	if [ "$rows" -eq 0 ]; then
		notok "$name" "no rows"
	elif sh "$SRCDIR/tests/oracle/compare.sh" q14_udf "$tmp/nx" "$tmp/q14.$p.out" >"$tmp/q14.$p.diff" 2>&1; then
		ok "$name ($rows rows)"
	else
		notok "$name" "$(head -5 "$tmp/q14.$p.diff" | tr '\n' ' ')"
	fi
done
# some row must count at least one 'c' (the column is not constant)
if awk -F', ' '{ v = $NF; sub(/\]$/, "", v); if (v + 0 > 0) found = 1 } END { exit !found }' "$tmp/q14.1.out" 2>/dev/null; then
	ok "count_char finds 'c' in some extra"
else
	notok "count_char finds 'c' in some extra"
fi

# without a UDF path: refused at CREATE FUNCTION, nothing runs
if "$SLUICE" run --quiet --events 100 "$SRCDIR/tests/run/q14_udf.sql" >"$tmp/nopath.out" 2>"$tmp/nopath.err"; then
	notok "sluice run without --udf-path refuses q14" "exited 0"
elif grep -q 'cannot load library "libnexmark_udf.so": no UDF path is configured' "$tmp/nopath.err" &&
	[ ! -s "$tmp/nopath.out" ]; then
	ok "sluice run without --udf-path refuses q14"
else
	notok "sluice run without --udf-path refuses q14" "$(head -3 "$tmp/nopath.err" | tr '\n' ' ')"
fi

# a UDF error fails the job: function, message, the row
cat >"$tmp/bad.sql" <<'SQL'
CREATE TABLE t (extra VARCHAR, n BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '50');
CREATE FUNCTION count_char AS 'count_char' LANGUAGE C USING LIBRARY 'libnexmark_udf.so';
SELECT extra, count_char(extra, '') AS bad FROM t;
SQL
if "$SLUICE" run --quiet --udf-path "$UDFDIR" "$tmp/bad.sql" >"$tmp/bad.out" 2>"$tmp/bad.err"; then
	notok "a UDF error fails the job" "exited 0"
elif grep -q 'error: function "count_char" failed at input row [0-9]*: the character to count is an empty string' "$tmp/bad.err" &&
	grep -q 'The failing input row is +I\[' "$tmp/bad.err"; then
	ok "a UDF error fails the job with the function, its message and the row"
else
	notok "a UDF error fails the job with the function, its message and the row" "$(head -3 "$tmp/bad.err" | tr '\n' ' ')"
fi
exit $status
