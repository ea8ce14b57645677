#!/bin/sh
# run-udf-crash.sh -- a C UDF that crashes the process is recovered like
# any crash: crash_once (tests/udf/libagg_failing.so) dereferences NULL
# the first time it sees a value past a threshold (a marker file makes it
# only the first time). A query over a paced datagen sequence that calls
# it writes into the exactly-once filesystem sink with checkpoints every
# 100 ms; the first run dies of SIGSEGV, `sluice run --restore latest`
# finishes the job, and the committed files, read back, must equal those
# of a run without the crash row for row (0 lost, 0 duplicated).
# make check runs it from the build directory with SRCDIR set.

SRCDIR=${SRCDIR:-$(dirname "$0")/../..}
SLUICE=${SLUICE:-$(pwd)/sluice}
case $SLUICE in /*) ;; *) SLUICE=$(pwd)/$SLUICE ;; esac
UDFDIR=${UDFDIR:-$(pwd)/udf/examples}
TESTLIBS=${TESTLIBS:-$(pwd)/tests/udf}
N=${RUN_UDF_CRASH_EVENTS:-40000}
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
# the query, writing into directory $1: a datagen sequence paced at
# 20,000 rows per second (so checkpoints every 100 ms complete while it
# runs), the crash at row AT, three quarters in
make_sql() {
	cat >"$1.sql" <<SQL
CREATE TABLE t (id BIGINT, v BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '20000',
    'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '$N',
    'fields.v.kind' = 'sequence', 'fields.v.start' = '1', 'fields.v.end' = '$N');
CREATE FUNCTION crash_once AS 'crash_once' LANGUAGE C USING LIBRARY 'libagg_failing.so';
CREATE TABLE out_t (id BIGINT, r BIGINT)
    WITH ('connector' = 'filesystem', 'path' = '$1', 'format' = 'csv');
INSERT INTO out_t SELECT crash_once(id), MOD(v * 7, 13) FROM t WHERE MOD(id, 3) = 0;
SQL
}
read_back() {
	cat >"back_$1.sql" <<SQL
CREATE TABLE t (id BIGINT, r BIGINT)
    WITH ('connector' = 'filesystem', 'path' = '$1', 'format' = 'csv');
SELECT * FROM t;
SQL
	"$SLUICE" run --quiet "back_$1.sql" 2>"back_$1.err" | LC_ALL=C sort >"$1.rows"
}
make_sql ref
make_sql crash
at=$((N * 3 / 4))

"$SLUICE" run --quiet --udf-path "$UDFDIR:$TESTLIBS" ref.sql >ref.out 2>ref.err ||
	notok "the run without a crash" "$(head -3 ref.err | tr '\n' ' ')"
SLUICE_UDF_TEST_CRASH_AT=$at SLUICE_UDF_TEST_CRASH_MARKER=$tmp/crashed \
	"$SLUICE" run --quiet --udf-path "$UDFDIR:$TESTLIBS" --checkpoint-interval 100ms \
	--state-dir st crash.sql >run1.out 2>run1.err
rc=$?
# 139 = SIGSEGV; a sanitizer build reports the NULL store and exits 1
if [ $rc -ne 0 ] && [ -f crashed ] && ! grep -q '^sluice: restarting' run1.err; then
	ok "the UDF crashes the process (exit $rc)"
else
	notok "the UDF crashes the process" "exit $rc, marker $(ls crashed 2>&1): $(head -3 run1.err | tr '\n' ' ')"
fi
chk=$(find st -maxdepth 2 -name 'chk-*' 2>/dev/null | wc -l)
if [ "$chk" -gt 0 ]; then
	ok "checkpoints completed before the crash ($chk kept)"
else
	notok "checkpoints completed before the crash"
fi
SLUICE_UDF_TEST_CRASH_AT=$at SLUICE_UDF_TEST_CRASH_MARKER=$tmp/crashed \
	"$SLUICE" run --quiet --udf-path "$UDFDIR:$TESTLIBS" --checkpoint-interval 100ms \
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
