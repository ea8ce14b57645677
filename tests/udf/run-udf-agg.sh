#!/bin/sh
# run-udf-agg.sh -- C aggregate functions under `sluice run`, against the
# SQLite oracle: weighted_avg (udf/examples, fixed-size state) over an
# updating input (GROUP BY over GROUP BY: accumulate and retract), in
# TUMBLE windows and in SESSION windows (merge), and distinct_count (state
# serialized by the library) over an updating input and in TUMBLE
# windows, at parallelism 1 and 2 (agg_*.sql, oracles agg_*.oracle.sql). Also: a function without retract over an updating
# input is refused before the job runs, and an error the function reports
# fails the job with its name, message and the input row.
# make check runs it from the build directory with SRCDIR set.

SRCDIR=${SRCDIR:-$(dirname "$0")/../..}
SLUICE=${SLUICE:-./sluice}
UDFDIR=${UDFDIR:-$(pwd)/udf/examples}
TESTLIBS=${TESTLIBS:-$(pwd)/tests/udf}
N=${RUN_UDF_AGG_EVENTS:-20000}
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
	echo "ok - run-udf-agg # SKIP sqlite3 not installed"
	exit 0
fi

# query RATE: the DDL (events per event-time second RATE) + tests/udf/agg_QUERY.sql
make_sql() {
	sed "s/@RATE@/$2/g" "$SRCDIR/tests/udf/nexmark_udf_ddl.sql" >"$tmp/$1.sql"
	cat "$SRCDIR/tests/udf/agg_$1.sql" >>"$tmp/$1.sql"
}

for spec in group:1000 window:1000 session:100 dcgroup:1000 dcwindow:1000; do
	q=${spec%%:*}
	rate=${spec#*:}
	if [ ! -d "$tmp/nx$rate" ] &&
		! "$SLUICE" gen nexmark --events "$N" --seed 0 --rate "$rate" --out "$tmp/nx$rate" >/dev/null 2>"$tmp/gen.err"; then
		notok "sluice gen nexmark --events $N --rate $rate" "$(head -3 "$tmp/gen.err")"
		continue
	fi
	make_sql "$q" "$rate"
	for p in 1 2; do
		name="$q --parallelism $p --events $N matches the oracle"
		if ! "$SLUICE" run --quiet --events "$N" --parallelism "$p" --udf-path "$UDFDIR" \
			"$tmp/$q.sql" >"$tmp/$q.$p.out" 2>"$tmp/$q.$p.err"; then
			notok "$name" "sluice run failed: $(head -3 "$tmp/$q.$p.err" | tr '\n' ' ')"
			continue
		fi
		rows=$(wc -l <"$tmp/$q.$p.out" | tr -d ' ')
		if [ "$rows" -eq 0 ]; then
			notok "$name" "no rows"
		elif sh "$SRCDIR/tests/oracle/compare.sh" "$SRCDIR/tests/udf/agg_$q.oracle.sql" "$tmp/nx$rate" \
			"$tmp/$q.$p.out" >"$tmp/$q.$p.diff" 2>&1; then
			ok "$name ($rows rows)"
		else
			notok "$name" "$(head -5 "$tmp/$q.$p.diff" | tr '\n' ' ')"
		fi
	done
done
# the GROUP BY over GROUP BY input really has retractions
if grep -q '^-U\[' "$tmp/group.1.out" 2>/dev/null; then
	ok "the outer aggregate of agg_group.sql updates its rows (-U/+U)"
else
	notok "the outer aggregate of agg_group.sql updates its rows (-U/+U)"
fi

# refusal: an aggregate without retract over an updating input, before anything runs
cat >"$tmp/noretract.sql" <<'SQL'
CREATE TABLE t (k INT, v BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '50');
CREATE FUNCTION sum_once AS 'sum_once' LANGUAGE C USING LIBRARY 'libfailing.so';
SELECT c, sum_once(s) FROM (SELECT k, COUNT(*) AS c, SUM(v) AS s FROM t GROUP BY k) GROUP BY c;
SQL
if "$SLUICE" run --quiet --udf-path "$TESTLIBS" "$tmp/noretract.sql" >"$tmp/nr.out" 2>"$tmp/nr.err"; then
	notok "an aggregate without retract over an updating input is refused" "exited 0"
elif grep -q 'C aggregate function "sum_once" cannot take back rows, but its input has updates' "$tmp/nr.err" &&
	[ ! -s "$tmp/nr.out" ]; then
	ok "an aggregate without retract over an updating input is refused"
else
	notok "an aggregate without retract over an updating input is refused" "$(head -3 "$tmp/nr.err" | tr '\n' ' ')"
fi

# an error reported in accumulate fails the job: function, message, row
cat >"$tmp/fail.sql" <<'SQL'
CREATE TABLE t (k INT, v BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '200',
    'fields.v.kind' = 'sequence', 'fields.v.start' = '-100', 'fields.v.end' = '99',
    'fields.k.min' = '1', 'fields.k.max' = '3');
CREATE FUNCTION sum_nonneg AS 'sum_nonneg' LANGUAGE C USING LIBRARY 'libagg_failing.so';
SELECT k, sum_nonneg(v) FROM t GROUP BY k;
SQL
if "$SLUICE" run --quiet --udf-path "$TESTLIBS" "$tmp/fail.sql" >"$tmp/fail.out" 2>"$tmp/fail.err"; then
	notok "an aggregate's error fails the job" "exited 0"
elif grep -q 'error: function "sum_nonneg" failed at input row [0-9]*: negative value -100' "$tmp/fail.err" &&
	grep -q 'The failing input row is +I\[[0-9]*, -100\]' "$tmp/fail.err"; then
	ok "an aggregate's error fails the job with the function, its message and the row"
else
	notok "an aggregate's error fails the job with the function, its message and the row" "$(head -4 "$tmp/fail.err" | tr '\n' ' ')"
fi

# an error in merge (session windows merge states) fails the job too
cat >"$tmp/merge.sql" <<'SQL'
CREATE TABLE t (k INT, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH (
    'connector' = 'datagen', 'number-of-rows' = '20', 'fields.k.min' = '1', 'fields.k.max' = '1',
    'fields.v.min' = '1', 'fields.v.max' = '9');
CREATE FUNCTION sum_once AS 'sum_once' LANGUAGE C USING LIBRARY 'libfailing.so';
SELECT k, sum_once(v) FROM t GROUP BY k, SESSION(ts, INTERVAL '1' HOUR);
SQL
if "$SLUICE" run --quiet --udf-path "$TESTLIBS" "$tmp/merge.sql" >"$tmp/merge.out" 2>"$tmp/merge.err"; then
	notok "an aggregate's error in merge fails the job" "exited 0"
elif grep -q 'error: function "sum_once" failed in merge: merging is not supported' "$tmp/merge.err"; then
	ok "an aggregate's error in merge fails the job"
else
	notok "an aggregate's error in merge fails the job" "$(head -3 "$tmp/merge.err" | tr '\n' ' ')"
fi
# library-serialized state in SESSION windows: refused with a clear error
cat >"$tmp/dcsession.sql" <<'SQL'
CREATE TABLE t (k INT, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH (
    'connector' = 'datagen', 'number-of-rows' = '20', 'fields.k.min' = '1', 'fields.k.max' = '1');
CREATE FUNCTION distinct_count AS 'distinct_count' LANGUAGE C USING LIBRARY 'libnexmark_udf.so';
SELECT k, distinct_count(v) FROM t GROUP BY k, SESSION(ts, INTERVAL '1' HOUR);
SQL
if "$SLUICE" run --quiet --udf-path "$UDFDIR" "$tmp/dcsession.sql" >"$tmp/dcs.out" 2>"$tmp/dcs.err"; then
	notok "library-serialized state in SESSION windows is refused" "exited 0"
elif grep -q 'C aggregate function "distinct_count" keeps library-serialized state' "$tmp/dcs.err"; then
	ok "library-serialized state in SESSION windows is refused"
else
	notok "library-serialized state in SESSION windows is refused" "$(head -3 "$tmp/dcs.err" | tr '\n' ' ')"
fi
exit $status
