#!/bin/sh
# run-udf-table.sh -- C table functions (LATERAL TABLE, the Correlate
# operator) under `sluice run`, against the SQLite oracle: split_words
# (udf/examples) as FROM t, LATERAL TABLE(...), as LEFT JOIN LATERAL
# TABLE(...) ON TRUE with an expression argument, and over an updating
# input (CROSS JOIN LATERAL TABLE), at parallelism 1 and 2
# (tests/udf/table_*.sql, oracles table_*.oracle.sql). Also: an error the
# function reports fails the job with its name, message and the input
# row, and a function that emits rows out of order is stopped.
# make check runs it from the build directory with SRCDIR set.

SRCDIR=${SRCDIR:-$(dirname "$0")/../..}
SLUICE=${SLUICE:-./sluice}
UDFDIR=${UDFDIR:-$(pwd)/udf/examples}
TESTLIBS=${TESTLIBS:-$(pwd)/tests/udf}
N=${RUN_UDF_TABLE_EVENTS:-20000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; [ -n "${2:-}" ] && echo "#   $2"; status=1; }

if [ ! -f "$UDFDIR/libnexmark_udf.so" ] || [ ! -f "$TESTLIBS/libagg_failing.so" ]; then
	notok "the UDF libraries are built" "missing $UDFDIR/libnexmark_udf.so or $TESTLIBS/libagg_failing.so"
	exit 1
fi
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "ok - run-udf-table # SKIP sqlite3 not installed"
	exit 0
fi
if ! "$SLUICE" gen nexmark --events "$N" --seed 0 --rate 1000 --out "$tmp/nx" >/dev/null 2>"$tmp/gen.err"; then
	notok "sluice gen nexmark --events $N --rate 1000" "$(head -3 "$tmp/gen.err")"
	exit 1
fi
for q in inner left update; do
	sed "s/@RATE@/1000/g" "$SRCDIR/tests/udf/nexmark_udf_ddl.sql" >"$tmp/$q.sql"
	cat "$SRCDIR/tests/udf/table_$q.sql" >>"$tmp/$q.sql"
	for p in 1 2; do
		name="split_words ($q) --parallelism $p --events $N matches the oracle"
		if ! "$SLUICE" run --quiet --events "$N" --parallelism "$p" --udf-path "$UDFDIR" \
			"$tmp/$q.sql" >"$tmp/$q.$p.out" 2>"$tmp/$q.$p.err"; then
			notok "$name" "sluice run failed: $(head -3 "$tmp/$q.$p.err" | tr '\n' ' ')"
			continue
		fi
		rows=$(wc -l <"$tmp/$q.$p.out" | tr -d ' ')
		if [ "$rows" -eq 0 ]; then
			notok "$name" "no rows"
		elif sh "$SRCDIR/tests/oracle/compare.sh" "$SRCDIR/tests/udf/table_$q.oracle.sql" "$tmp/nx" \
			"$tmp/$q.$p.out" >"$tmp/$q.$p.diff" 2>&1; then
			ok "$name ($rows rows)"
		else
			notok "$name" "$(head -5 "$tmp/$q.$p.diff" | tr '\n' ' ')"
		fi
	done
done
# the tests exercise what they claim: NULL-padded rows, several words per row, retractions
grep -q ', null, null\]$' "$tmp/left.1.out" 2>/dev/null && ok "LEFT keeps rows without words (NULLs)" ||
	notok "LEFT keeps rows without words (NULLs)"
grep -q ', 2\]$' "$tmp/inner.1.out" 2>/dev/null && ok "some rows split into several words" ||
	notok "some rows split into several words"
grep -q '^-U\[' "$tmp/update.1.out" 2>/dev/null && ok "an updating input's retractions flow through" ||
	notok "an updating input's retractions flow through"

# an error the function reports fails the job: function, message, row
cat >"$tmp/fail.sql" <<'SQL'
CREATE TABLE t (k INT, v BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '20',
    'fields.v.kind' = 'sequence', 'fields.v.start' = '1', 'fields.v.end' = '20');
CREATE FUNCTION upto AS 'upto' LANGUAGE C USING LIBRARY 'libagg_failing.so';
SELECT k, v, i FROM t, LATERAL TABLE(upto(5 - v));
SQL
if "$SLUICE" run --quiet --udf-path "$TESTLIBS" "$tmp/fail.sql" >"$tmp/fail.out" 2>"$tmp/fail.err"; then
	notok "a table function's error fails the job" "exited 0"
elif grep -q 'error: function "upto" failed at input row [0-9]*: negative count' "$tmp/fail.err" &&
	grep -q 'The failing input row is +I\[' "$tmp/fail.err"; then
	ok "a table function's error fails the job with the function, its message and the row"
else
	notok "a table function's error fails the job with the function, its message and the row" "$(head -4 "$tmp/fail.err" | tr '\n' ' ')"
fi
cat >"$tmp/order.sql" <<'SQL'
CREATE TABLE t (k INT, v BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '20');
CREATE FUNCTION backwards AS 'backwards' LANGUAGE C USING LIBRARY 'libagg_failing.so';
SELECT k, i FROM t, LATERAL TABLE(backwards(v));
SQL
if "$SLUICE" run --quiet --udf-path "$TESTLIBS" "$tmp/order.sql" >"$tmp/order.out" 2>"$tmp/order.err"; then
	notok "rows emitted out of order stop the job" "exited 0"
elif grep -q 'function "backwards" emitted a row for input row [0-9]* out of order' "$tmp/order.err"; then
	ok "rows emitted out of order stop the job"
else
	notok "rows emitted out of order stop the job" "$(head -3 "$tmp/order.err" | tr '\n' ' ')"
fi
exit $status
