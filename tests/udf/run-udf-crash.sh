#!/bin/sh
# run-udf-crash.sh -- a C UDF that crashes the process is recovered like
# any crash: crash_once (tests/udf/libagg_failing.so) dereferences NULL
# the first time it sees a value past a threshold (a marker file makes it
# only the first time). A Nexmark bid query that calls it writes into the
# exactly-once filesystem sink with checkpoints every 100 ms; the first
# run dies of SIGSEGV, `sluice run --restore latest` finishes the job, and
# the committed files, read back, must equal those of a run without the
# crash row for row (0 lost, 0 duplicated).
# make check runs it from the build directory with SRCDIR set.

SRCDIR=${SRCDIR:-$(dirname "$0")/../..}
SLUICE=${SLUICE:-$(pwd)/sluice}
case $SLUICE in /*) ;; *) SLUICE=$(pwd)/$SLUICE ;; esac
UDFDIR=${UDFDIR:-$(pwd)/udf/examples}
TESTLIBS=${TESTLIBS:-$(pwd)/tests/udf}
N=${RUN_UDF_CRASH_EVENTS:-2000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; [ -n "${2:-}" ] && echo "#   $2"; status=1; }

if [ ! -f "$TESTLIBS/libagg_failing.so" ]; then
	notok "the UDF library is built" "missing $TESTLIBS/libagg_failing.so"
	exit 1
fi
if ! "$SLUICE" run --help 2>&1 | grep -q -- --checkpoint-interval; then
	echo "ok - run-udf-crash # SKIP sluice run has no checkpoints"
	exit 0
fi
cd "$tmp" || exit 1
# the query, writing into directory @OUT@; auction ids grow with the
# stream, so the threshold sits near its end (after several checkpoints)
make_sql() {
	sed "s/@RATE@/1000/g" "$SRCDIR/tests/udf/nexmark_udf_ddl.sql" >"$1.sql"
	cat >>"$1.sql" <<SQL
CREATE FUNCTION crash_once AS 'crash_once' LANGUAGE C USING LIBRARY 'libagg_failing.so';
CREATE TABLE out_t (auction BIGINT, bidder BIGINT, price BIGINT)
    WITH ('connector' = 'filesystem', 'path' = '$1', 'format' = 'csv');
INSERT INTO out_t SELECT crash_once(auction), bidder, price FROM bid WHERE MOD(auction, 61) = 0;
SQL
}
read_back() {
	cat >"back_$1.sql" <<SQL
CREATE TABLE t (auction BIGINT, bidder BIGINT, price BIGINT)
    WITH ('connector' = 'filesystem', 'path' = '$1', 'format' = 'csv');
SELECT * FROM t;
SQL
	"$SLUICE" run --quiet "back_$1.sql" 2>"back_$1.err" | LC_ALL=C sort >"$1.rows"
}
make_sql ref
make_sql crash
# auction ids: about 1000 + 3 * events / 50
at=$((1000 + N * 3 / 50 * 8 / 10))

"$SLUICE" run --quiet --events "$N" --udf-path "$UDFDIR:$TESTLIBS" ref.sql >ref.out 2>ref.err ||
	notok "the run without a crash" "$(head -3 ref.err | tr '\n' ' ')"
SLUICE_UDF_TEST_CRASH_AT=$at SLUICE_UDF_TEST_CRASH_MARKER=$tmp/crashed \
	"$SLUICE" run --quiet --events "$N" --udf-path "$UDFDIR:$TESTLIBS" --checkpoint-interval 100ms \
	--state-dir st crash.sql >run1.out 2>run1.err
rc=$?
if [ $rc -eq 139 ] && [ -f crashed ]; then
	ok "the UDF crashes the process (SIGSEGV, exit $rc)"
else
	notok "the UDF crashes the process (SIGSEGV)" "exit $rc, marker $(ls crashed 2>&1): $(head -3 run1.err | tr '\n' ' ')"
fi
chk=$(find st -maxdepth 2 -name 'chk-*' 2>/dev/null | wc -l)
if [ "$chk" -gt 0 ]; then
	ok "checkpoints completed before the crash ($chk kept)"
else
	notok "checkpoints completed before the crash"
fi
SLUICE_UDF_TEST_CRASH_AT=$at SLUICE_UDF_TEST_CRASH_MARKER=$tmp/crashed \
	"$SLUICE" run --quiet --events "$N" --udf-path "$UDFDIR:$TESTLIBS" --checkpoint-interval 100ms \
	--state-dir st --restore latest crash.sql >run2.out 2>run2.err
rc=$?
if [ $rc -eq 0 ]; then
	ok "--restore latest finishes the job"
else
	notok "--restore latest finishes the job" "exit $rc: $(head -3 run2.err | tr '\n' ' ')"
fi
read_back ref
read_back crash
rows=$(wc -l <ref.rows | tr -d ' ')
if [ "$rows" -gt 0 ] && cmp -s ref.rows crash.rows; then
	ok "the output after the crash and restore equals the run without it ($rows rows)"
else
	notok "the output after the crash and restore equals the run without it" \
		"$rows reference rows, $(wc -l <crash.rows | tr -d ' ') after restore; $(diff ref.rows crash.rows | head -3 | tr '\n' ' ')"
fi
exit $status
