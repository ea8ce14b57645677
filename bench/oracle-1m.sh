#!/bin/sh
# oracle-1m.sh -- the oracle comparison of tests/run/run-nexmark.sh (and
# tests/run/run-agg-retract.sh) at 1,000,000 events instead of make check's
# 30,000: every Nexmark query `sluice run` supports, at parallelism 1 and 2,
# compared with the SQLite oracle (tests/oracle/) on the same events.
#
# usage (from a build directory, ./sluice built):
#   sh ../sluice/bench/oracle-1m.sh [-n EVENTS] [-q "q0 q1 ..."]
#   -n  events per run (default 1000000; window/join-at-1000-events/s runs too)
#   -q  the benchmark-rate queries (default: run-nexmark.sh's list)
# Prints the TAP lines of the scripts and a summary line "N passed, N failed"
# with the wall time; exits 1 if any comparison failed. SQLite needs a few
# minutes for the joins at this size.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
N=1000000
Q=
while getopts n:q: o; do
	case $o in
	n) N=$OPTARG ;;
	q) Q=$OPTARG ;;
	*) echo "usage: $0 [-n EVENTS] [-q QUERIES]" >&2; exit 2 ;;
	esac
done
export SRCDIR
start=$(date +%s)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "# oracle-1m: $N events per run, $(date -u +%Y-%m-%dT%H:%MZ)"
{
	if [ -n "$Q" ]; then
		RUN_NEXMARK_EVENTS=$N RUN_NEXMARK_WINDOW_EVENTS=$N RUN_NEXMARK_QUERIES=$Q \
			sh "$SRCDIR/tests/run/run-nexmark.sh"
	else
		RUN_NEXMARK_EVENTS=$N RUN_NEXMARK_WINDOW_EVENTS=$N sh "$SRCDIR/tests/run/run-nexmark.sh"
	fi
	RUN_AGG_RETRACT_EVENTS=$N sh "$SRCDIR/tests/run/run-agg-retract.sh"
} 2>&1 | tee "$out"
pass=$(grep -c '^ok' "$out")
fail=$(grep -c '^not ok' "$out")
echo "# oracle-1m: $pass passed, $fail failed in $(($(date +%s) - start)) s"
[ "$fail" -eq 0 ]
