#!/bin/sh
# rss_long.sh -- memory over a long run: `sluice run` of a query (default
# queries/nexmark/q0.sql into blackhole) over N events, its resident set
# size sampled every S seconds from /proc/PID/status. Prints the samples
# (seconds, VmRSS MB) and a summary: peak, first sample after warm-up
# (10 % of the samples), last sample, and the growth between them.
#
# usage (from a build directory): sh ../sluice/bench/rss_long.sh [-n EVENTS] [-p P] [-s SECS] [-q FILE]
set -eu
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
SLUICE=${SLUICE:-./sluice}
N=1000000000
P=1
S=2
Q=$SRCDIR/queries/nexmark/q0.sql
while getopts n:p:s:q: o; do
	case $o in
	n) N=$OPTARG ;;
	p) P=$OPTARG ;;
	s) S=$OPTARG ;;
	q) Q=$OPTARG ;;
	*) echo "usage: $0 [-n EVENTS] [-p P] [-s SECS] [-q FILE]" >&2; exit 2 ;;
	esac
done
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
start=$(date +%s)
"$SLUICE" run --quiet --events "$N" --parallelism "$P" "$Q" >/dev/null &
pid=$!
t=0
while kill -0 "$pid" 2>/dev/null; do
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
	[ -n "$rss" ] && echo "$t $rss" >>"$tmp"
	sleep "$S"
	t=$((t + S))
done
wait "$pid"
rc=$?
wall=$(($(date +%s) - start))
echo "# $(basename "$Q") p=$P, $N events, $wall s wall, exit $rc, $(date -u +%Y-%m-%dT%H:%MZ)"
awk '{ printf "%5d s  %7.1f MB\n", $1, $2 / 1024 }' "$tmp"
awk -v n="$N" -v wall="$wall" '
	{ t[NR] = $1; r[NR] = $2; if ($2 > peak) peak = $2 }
	END {
		if (NR == 0) { print "# no samples"; exit }
		w = int(NR / 10) + 1; if (w > NR) w = NR
		printf "# samples %d, peak %.1f MB, after warm-up (%d s) %.1f MB, last (%d s) %.1f MB, growth %+.1f MB; %.1f M events/s\n",
		       NR, peak / 1024, t[w], r[w] / 1024, t[NR], r[NR] / 1024, (r[NR] - r[w]) / 1024,
		       (wall > 0 ? n / wall / 1e6 : 0)
	}' "$tmp"
