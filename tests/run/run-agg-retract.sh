#!/bin/sh
# run-agg-retract.sh -- aggregates over an updating input: MIN/MAX keep a
# value multiset (runtime/op_group_agg.c) so retracting the current extreme
# finds the next one. tests/run/minmax_retract*.sql (a GROUP BY over a
# GROUP BY) run at parallelism 1 and 2 and are compared, as final states
# after applying the changelog, with the SQLite oracle
# (tests/oracle/minmax_retract*.sql). make check runs it from the build
# directory with SRCDIR set.
SRCDIR=${SRCDIR:-$(dirname "$0")/../..}
SLUICE=${SLUICE:-./sluice}
N=${RUN_AGG_RETRACT_EVENTS:-20000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; [ -n "${2:-}" ] && echo "#   $2"; }

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "ok - run-agg-retract # SKIP sqlite3 not installed"
	exit 0
fi
if ! "$SLUICE" gen nexmark --events "$N" --seed 0 --rate 10000000 --out "$tmp/nx" >/dev/null 2>"$tmp/gen.err"; then
	notok "sluice gen nexmark --events $N" "$(head -3 "$tmp/gen.err")"
	exit 1
fi
for q in minmax_retract minmax_retract_global; do
	for p in 1 2; do
		name="sluice run $q --parallelism $p --events $N matches the oracle"
		if ! "$SLUICE" run --quiet --events "$N" --parallelism "$p" "$SRCDIR/tests/run/$q.sql" \
			>"$tmp/$q.$p.out" 2>"$tmp/$q.$p.err"; then
			notok "$name" "sluice run failed: $(head -3 "$tmp/$q.$p.err")"
			continue
		fi
		if sh "$SRCDIR/tests/oracle/compare.sh" "$SRCDIR/tests/oracle/$q.sql" "$tmp/nx" \
			"$tmp/$q.$p.out" >"$tmp/$q.$p.diff" 2>&1; then
			ok "$name ($(wc -l <"$tmp/$q.$p.out" | tr -d ' ') rows)"
		else
			notok "$name" "$(head -5 "$tmp/$q.$p.diff" | tr '\n' ' ')"
		fi
	done
done
# retractions happened: the keyed query's changelog has -U rows
if grep -q '^-U\[' "$tmp/minmax_retract.1.out" 2>/dev/null; then
	ok "the outer GROUP BY saw and emitted updates"
else
	notok "the outer GROUP BY saw and emitted updates"
fi
