#!/bin/sh
# run-two-phase.sh -- two-phase (local/global) aggregation against the
# SQLite oracle (planner/physical.c, runtime/op_local_agg.c).
#
# Each query runs with 'table.optimizer.agg-phase-strategy' ONE_PHASE and
# TWO_PHASE at parallelism 1 and 2 and is compared with the oracle
# (updating results: the final state after applying the changelog), so the
# two strategies and the oracle agree:
#   - tests/agg/skew_*.sql: a skewed GROUP BY, a keyless one, a GROUP BY
#     over an updating GROUP BY (retractions inside partials), CUMULATE
#     and HOP (slice-shared under TWO_PHASE) and legacy TUMBLE windows, string MIN/MAX (short values inline in the
#     accumulator, long ones in map state; one phase under both
#     strategies) at 1000 events per event-time second;
#   - q5's window part (HOP), q17 (FILTER, MIN, MAX, AVG, SUM), q15 and q16
#     (COUNT DISTINCT: they keep one phase, which EXPLAIN must show).
# Also: EXPLAIN of TWO_PHASE shows the Local/Global pair, AUTO picks it
# for windows and, with mini-batch, for GROUP BY (matching the oracle), a
# TWO_PHASE job killed at random (tests/ck/random-kills.sh, one kill after
# the first checkpoint; TUMBLE, slice-shared HOP and CUMULATE windows and
# GROUP BY queries; and q5, whose HOP aggregate fans out to both join
# inputs) restores to exactly the oracle's output.
# Run from the build directory (./sluice) with SRCDIR set. TAP lines.
SRCDIR=${SRCDIR:-$(dirname "$0")/../..}
SLUICE=${SLUICE:-./sluice}
case $SLUICE in /*) ;; *) SLUICE=$PWD/$SLUICE ;; esac
N=${RUN_TWO_PHASE_EVENTS:-20000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; [ -n "${2:-}" ] && echo "#   $2"; fail=1; }

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "ok - run-two-phase # SKIP sqlite3 not installed"
	exit 0
fi
for spec in "nxw 1000" "nx 10000000" "nx100 100"; do
	set -- $spec
	if ! "$SLUICE" gen nexmark --events "$N" --seed 0 --rate "$2" --out "$tmp/$1" >/dev/null 2>"$tmp/gen.err"; then
		notok "sluice gen nexmark --events $N --rate $2" "$(head -3 "$tmp/gen.err")"
		exit 1
	fi
done

set_phase() { echo "SET 'table.optimizer.agg-phase-strategy' = '$1';"; }

# check NAME SQLFILE ORACLE EVENTS_DIR P: run and compare
check() {
	if ! "$SLUICE" run --quiet --events "$N" --parallelism "$5" "$2" >"$tmp/out" 2>"$tmp/err"; then
		notok "$1" "sluice run failed: $(head -3 "$tmp/err" | tr '\n' ' ')"
		return
	fi
	if sh "$SRCDIR/tests/oracle/compare.sh" "$3" "$4" "$tmp/out" >"$tmp/diff" 2>&1; then
		ok "$1 ($(wc -l <"$tmp/out" | tr -d ' ') rows)"
	else
		notok "$1" "$(head -5 "$tmp/diff" | tr '\n' ' ')"
	fi
}

# expect_plan NAME SQLFILE P PATTERN [absent]: EXPLAIN shows PATTERN (or not)
expect_plan() {
	"$SLUICE" explain --parallelism "$3" "$2" >"$tmp/plan" 2>&1
	if grep -q "$4" "$tmp/plan"; then found=yes; else found=no; fi
	if [ "$found" = "${5:-yes}" ]; then
		ok "$1"
	else
		notok "$1" "$(grep -E 'Aggregate|Exchange' "$tmp/plan" | head -4 | tr '\n' ' ')"
	fi
}

for q in skew_group skew_global skew_retract skew_cumulate skew_hop skew_legacy skew_strminmax q5_window q17 q15 q16; do
	case $q in
	skew_*) src="$SRCDIR/tests/run/nexmark_1000.sql $SRCDIR/tests/agg/$q.sql"
		oracle=$SRCDIR/tests/agg/$q.oracle.sql dir=nxw ;;
	q5_window) src="$SRCDIR/tests/run/nexmark_1000.sql $SRCDIR/tests/run/$q.sql"
		oracle=$q dir=nxw ;;
	q16) src=$SRCDIR/queries/nexmark/$q.sql oracle=$q dir=nx100 ;;
	*) src=$SRCDIR/queries/nexmark/$q.sql oracle=$q dir=nx ;;
	esac
	for s in ONE_PHASE TWO_PHASE; do
		{
			set_phase $s
			# shellcheck disable=SC2086
			cat $src | sed "s/'connector' = 'blackhole'/'connector' = 'print'/"
		} >"$tmp/$q.$s.sql"
		[ "$dir" = nx100 ] && sed -i "s/'10000000'/'100'/g" "$tmp/$q.$s.sql"
		for p in 1 2; do
			check "$q $s --parallelism $p matches the oracle" "$tmp/$q.$s.sql" "$oracle" "$tmp/$dir" "$p"
		done
	done
	case $q in
	q15 | q16 | skew_strminmax) expect_plan "$q TWO_PHASE keeps one phase (COUNT DISTINCT, string MIN/MAX)" \
		"$tmp/$q.TWO_PHASE.sql" 2 'LocalGroupAggregate' no ;;
	skew_cumulate | skew_hop | q5_window) expect_plan "$q TWO_PHASE plans slice-shared windows" \
		"$tmp/$q.TWO_PHASE.sql" 1 'LocalWindowAggregate.*slice=\[2 s\]' ;;
	skew_legacy) expect_plan "$q TWO_PHASE plans LocalWindowAggregate" \
		"$tmp/$q.TWO_PHASE.sql" 1 'LocalWindowAggregate' ;;
	*) expect_plan "$q TWO_PHASE plans LocalGroupAggregate" "$tmp/$q.TWO_PHASE.sql" 1 \
		'LocalGroupAggregate' ;;
	esac
	expect_plan "$q ONE_PHASE has no Local aggregate" "$tmp/$q.ONE_PHASE.sql" 2 'Local' no
done

# AUTO: windows go two-phase, GROUP BY only with mini-batch
{
	echo "SET 'table.exec.mini-batch.enabled' = 'true';"
	echo "SET 'table.exec.mini-batch.size' = '5000';"
	cat "$SRCDIR/tests/run/nexmark_1000.sql" "$SRCDIR/tests/agg/skew_group.sql"
} >"$tmp/mb.sql"
expect_plan "AUTO with mini-batch plans LocalGroupAggregate" "$tmp/mb.sql" 1 'LocalGroupAggregate'
check "skew_group AUTO, mini-batch of 5000 rows, --parallelism 2 matches the oracle" "$tmp/mb.sql" \
	"$SRCDIR/tests/agg/skew_group.oracle.sql" "$tmp/nxw" 2
cat "$SRCDIR/tests/run/nexmark_1000.sql" "$SRCDIR/tests/agg/skew_group.sql" >"$tmp/auto.sql"
expect_plan "AUTO without mini-batch keeps GROUP BY one phase" "$tmp/auto.sql" 2 'Local' no
cat "$SRCDIR/tests/run/nexmark_1000.sql" "$SRCDIR/tests/run/q5_window.sql" >"$tmp/autow.sql"
expect_plan "AUTO plans LocalWindowAggregate" "$tmp/autow.sql" 1 'LocalWindowAggregate'

# checkpoints: partials are flushed ahead of every barrier, so a killed
# and restored TWO_PHASE job equals the oracle
CK_SET="SET 'table.optimizer.agg-phase-strategy' = 'TWO_PHASE';" KILLS=1 AFTER_CK=1 EVENTS=150000 \
	RATE=100000 LIMITED=true INTERVAL=50ms QUERIES="window hop cumulate groupby" SLUICE=$SLUICE SRCDIR=$SRCDIR \
	sh "$SRCDIR/tests/ck/random-kills.sh" >"$tmp/rk" 2>&1 || fail=1
sed 's/^\(not \)\{0,1\}ok - /&TWO_PHASE: /' "$tmp/rk"
# q5 (AUTO: two-phase, slice-shared, its HOP aggregate reused by both join
# inputs): 30 s of event time, so windows fire and join between kills
KILLS=2 AFTER_CK=1 EVENTS=300000 RATE=10000 LIMITED=false INTERVAL=50ms QUERIES="q5" \
	SLUICE=$SLUICE SRCDIR=$SRCDIR sh "$SRCDIR/tests/ck/random-kills.sh" >"$tmp/rk5" 2>&1 || fail=1
cat "$tmp/rk5"
exit $fail
