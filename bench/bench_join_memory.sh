#!/bin/sh
# bench_join_memory.sh -- a join whose state outgrows its cache budget:
# peak RSS against the state's size in RocksDB, for growing event counts.
#
# usage: sh bench/bench_join_memory.sh [-q QUERY] [-b BUDGET] [-n "N1 N2 ..."] [-p P]
#   QUERY   queries/nexmark/QUERY.sql (default q20: every bid is stored
#           in the join's state, ~180 bytes each, and never released)
#   BUDGET  'state.backend.cache.size', the budget of each keyed state's
#           write-back cache (default "16 mb")
#   run from a build directory (./sluice), SRCDIR=path/to/source if not ../..
#
# For each N it runs `sluice run --events N` (blackhole sink) with
# SLUICE_STATE_STATS=1 and TMPDIR pointing at a private directory, samples
# the size of the working RocksDB directories there every 0.2 s, and prints
# events per CPU-second, peak RSS (GNU time), the peak size of the RocksDB
# directories, the bytes the caches flushed to RocksDB, the evictions and
# the sum of the operator's cache budgets. RSS staying flat while the
# RocksDB size grows with N is what "state beyond the cache spills to
# RocksDB" means.
set -eu
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
SLUICE=${SLUICE:-./sluice}
Q=q20
BUDGET="16 mb"
NS="1000000 3000000 10000000"
P=1
while getopts q:b:n:p: o; do
	case $o in
	q) Q=$OPTARG ;;
	b) BUDGET=$OPTARG ;;
	n) NS=$OPTARG ;;
	p) P=$OPTARG ;;
	*) echo "usage: $0 [-q QUERY] [-b BUDGET] [-n \"N...\"] [-p P]" >&2; exit 2 ;;
	esac
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
	echo "SET 'state.backend.cache.size' = '$BUDGET';"
	cat "$SRCDIR/queries/nexmark/$Q.sql"
} >"$tmp/q.sql"

echo "# $Q, 'state.backend.cache.size' = '$BUDGET', p=$P, $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-10s %14s %10s %12s %14s %12s %12s\n' events "events/CPU-s" "peak RSS" "RocksDB peak" "flushed" evictions "budgets"
for n in $NS; do
	mkdir -p "$tmp/state"
	rm -rf "$tmp/state"/*
	: >"$tmp/du"
	TMPDIR=$tmp/state SLUICE_STATE_STATS=1 /usr/bin/time -v "$SLUICE" run --quiet --events "$n" \
		--parallelism "$P" "$tmp/q.sql" >/dev/null 2>"$tmp/err" &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		du -sk "$tmp/state" 2>/dev/null | awk '{ print $1 }' >>"$tmp/du"
		sleep 0.2
	done
	wait "$pid" || { echo "$n: failed: $(grep -v '^sluice: state' "$tmp/err" | tail -3)"; continue; }
	awk -v n="$n" -v du="$(sort -n "$tmp/du" | tail -1)" '
		/^sluice: state / {
			if (match($0, /of [0-9]+ bytes/)) { b = substr($0, RSTART + 3, RLENGTH - 9) + 0; if (b < 1e15) budget += b }
			if (match($0, /\([0-9]+ value bytes\)/)) flushed += substr($0, RSTART + 1, RLENGTH - 14)
			if (match($0, /[0-9]+ evictions/)) ev += substr($0, RSTART, RLENGTH - 10)
		}
		/User time/ { u = $NF } /System time/ { s = $NF } /Maximum resident/ { rss = $NF }
		END { cpu = u + s; if (cpu <= 0) cpu = 0.001
		      printf "%-10d %14.0f %7.1f MB %9.1f MB %11.1f MB %12d %9.1f MB\n",
		             n, n / cpu, rss / 1024, du / 1024, flushed / 1048576, ev, budget / 1048576 }' "$tmp/err"
done
