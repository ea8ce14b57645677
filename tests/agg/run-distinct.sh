#!/bin/sh
# run-distinct.sh -- COUNT(DISTINCT) against the SQLite oracle
# (runtime/op_group_agg.c). Integer arguments over an append-only input
# are kept in value-set containers (dset_update):
#   - tests/agg/distinct_sets.sql per channel and day: arrays, bitmaps in
#     the hot channels, many containers per group, NULLs, negative values,
#     FILTERs sharing a view;
#   - tests/agg/distinct_day.sql per day (one group): four FILTERs on one
#     view whose container becomes bitmaps early and takes most rows after.
# Each runs
#   - at parallelism 1 and 2 with the default state cache,
#   - at parallelism 1 and 2 with a 16 kb cache, so containers are
#     evicted to RocksDB, read back and grown again (the run must report
#     evictions of its "distinctset" state),
#   - with a state TTL of one hour, which keeps one entry per value
#     instead (Flink expires each distinct value on its own; nothing
#     expires during the run), so both layouts give the oracle's answer.
# The restore of the containers from a checkpoint after kill -9 is the
# "distinct" query of tests/ck/run-ck.sh. Run from the build directory
# (./sluice) with SRCDIR set. TAP lines.
SRCDIR=${SRCDIR:-$(dirname "$0")/../..}
SLUICE=${SLUICE:-./sluice}
N=${RUN_DISTINCT_EVENTS:-30000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; [ -n "${2:-}" ] && echo "#   $2"; fail=1; }

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "ok - run-distinct # SKIP sqlite3 not installed"
	exit 0
fi
if ! "$SLUICE" gen nexmark --events "$N" --seed 0 --rate 1000 --out "$tmp/nx" >/dev/null 2>"$tmp/gen.err"; then
	notok "sluice gen nexmark --events $N --rate 1000" "$(head -3 "$tmp/gen.err")"
	exit 1
fi

# check NAME SET-STATEMENT P STATE: run $q with SET-STATEMENT first,
# compare with its oracle; the run's state statistics must name STATE
check() {
	{
		[ -n "$2" ] && echo "$2"
		cat "$SRCDIR/tests/run/nexmark_1000.sql" "$SRCDIR/tests/agg/$q.sql"
	} >"$tmp/job.sql"
	if ! SLUICE_STATE_STATS=1 "$SLUICE" run --quiet --events "$N" --parallelism "$3" "$tmp/job.sql" \
		>"$tmp/out" 2>"$tmp/err"; then
		notok "$1" "sluice run failed: $(grep -v '^sluice: state ' "$tmp/err" | head -3 | tr '\n' ' ')"
		return 1
	fi
	if ! grep -q "\"$4\": " "$tmp/err"; then
		notok "$1" "no \"$4\" state: $(grep '^sluice: state ' "$tmp/err" | cut -d'"' -f2 | sort -u | tr '\n' ' ')"
		return 1
	fi
	if sh "$SRCDIR/tests/oracle/compare.sh" "$SRCDIR/tests/agg/$q.oracle.sql" "$tmp/nx" "$tmp/out" >"$tmp/diff" 2>&1; then
		ok "$1 ($(wc -l <"$tmp/out" | tr -d ' ') rows)"
	else
		notok "$1" "$(head -5 "$tmp/diff" | tr '\n' ' ')"
		return 1
	fi
}

for q in distinct_sets distinct_day; do
	for p in 1 2; do
		check "$q --parallelism $p matches the oracle" "" "$p" distinctset
		if check "$q with a 16 kb state cache --parallelism $p matches the oracle" \
			"SET 'state.backend.cache.size' = '16 kb';" "$p" distinctset; then
			ev=$(grep '"distinctset"' "$tmp/err" | sed -n 's/.* \([0-9]*\) evictions.*/\1/p' |
				awk '{ s += $1 } END { print s + 0 }')
			if [ "$ev" -gt 0 ]; then
				ok "$q --parallelism $p: $ev value-set containers evicted and read back"
			else
				notok "$q --parallelism $p: no value-set container was evicted"
			fi
		fi
	done
	check "$q with a state TTL (one entry per value) matches the oracle" \
		"SET 'table.exec.state.ttl' = '1 h';" 1 distinct
done
exit $fail
