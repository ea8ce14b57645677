#!/bin/sh
# bench_nexmark.sh -- `sluice run` of the Nexmark queries it supports, each
# into blackhole (as written in queries/nexmark/, with --events N bounding
# the source), at parallelism 1 and 2; and the generator alone (`sluice
# gen nexmark` into /dev/null is CSV formatting, so the ceiling is q0's
# shape instead: see below) as the ceiling.
#
# usage: sh bench/bench_nexmark.sh [-n EVENTS] [-q "q0 q1 ..."] [-p "1 2"] [-S SQL]
#   -S SQL: statements put before every query (not the generator), e.g.
#   "SET 'table.optimizer.agg-phase-strategy' = 'TWO_PHASE';"
#   a query with a '/' is a path under SRCDIR (e.g. tests/run/q5_window.sql,
#   whose print sink then writes to /dev/null)
#   run from a build directory (./sluice), SRCDIR=path/to/source if not ../..
#
# For each run it prints events/s (wall), events per CPU-second (user+sys:
# the per-core figure, independent of how many cores were busy), and peak
# RSS, all from /usr/bin/time -v (GNU time). The ceiling is a query that
# reads only event_type from the source and drops everything
# (tests the source + generator + framework with no per-row work).
set -eu
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
SLUICE=${SLUICE:-./sluice}
N=10000000
QUERIES="q0 q1 q2 q21 q22 q17 q12"
PARS="1 2"
PRE=
while getopts n:q:p:S: o; do
	case $o in
	n) N=$OPTARG ;;
	q) QUERIES=$OPTARG ;;
	p) PARS=$OPTARG ;;
	S) PRE=$OPTARG ;;
	*) echo "usage: $0 [-n EVENTS] [-q QUERIES] [-p PARALLELISMS]" >&2; exit 2 ;;
	esac
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the ceiling: the nexmark table of q0, reading one column into blackhole
sed -n '/^CREATE TABLE nexmark/,/^);/p' "$SRCDIR/queries/nexmark/q0.sql" >"$tmp/gen.sql"
cat >>"$tmp/gen.sql" <<'SQL'
CREATE TABLE sink (t INT) WITH ('connector' = 'blackhole');
INSERT INTO sink SELECT event_type FROM nexmark WHERE event_type < 0;
SQL

run() { # name file p
	/usr/bin/time -v "$SLUICE" run --quiet --events "$N" --parallelism "$3" "$2" \
		>/dev/null 2>"$tmp/time" || { echo "$1 p=$3: failed: $(tail -3 "$tmp/time")"; return; }
	awk -v name="$1" -v p="$3" -v n="$N" '
		/User time/ { u = $NF } /System time/ { s = $NF }
		/Elapsed \(wall clock\)/ { split($NF, a, ":"); w = (length(a) == 3) ? a[1]*3600 + a[2]*60 + a[3] : a[1]*60 + a[2] }
		/Maximum resident/ { rss = $NF }
		END { cpu = u + s; if (w <= 0) w = 0.001; if (cpu <= 0) cpu = 0.001
		      printf "%-10s p=%s  %12.0f events/s  %12.0f events/CPU-s  wall %6.2f s  cpu %6.2f s  peak RSS %6.1f MB\n",
		             name, p, n / w, n / cpu, w, cpu, rss / 1024 }' "$tmp/time"
}

echo "# sluice run, $N events per run, $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%MZ)"
for p in $PARS; do
	run "generator" "$tmp/gen.sql" "$p"
	for q in $QUERIES; do
		case $q in
		*/*)
			f=$SRCDIR/$q
			q=$(basename "$q" .sql)
			# tests/run/qN_window.sql hold only their query: their
			# source is tests/run/nexmark_1000.sql
			if ! grep -q '^CREATE TABLE nexmark' "$f"; then
				cat "$SRCDIR/tests/run/nexmark_1000.sql" "$f" >"$tmp/$q.sql"
				f=$tmp/$q.sql
			fi
			;;
		*) f=$SRCDIR/queries/nexmark/$q.sql ;;
		esac
		if [ -n "$PRE" ]; then
			{ printf '%s\n' "$PRE"; cat "$f"; } >"$tmp/pre.$q.sql"
			f=$tmp/pre.$q.sql
		fi
		run "$q" "$f" "$p"
	done
done
