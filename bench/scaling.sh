#!/bin/sh
# scaling.sh -- speed-up of parallelism P2 over P1 (default 2 over 1) for
# Nexmark queries: `sluice run` of each query over N events into its
# blackhole sink, R rounds, each round one run at P1 then one at P2
# (alternated, so a change in the machine's load hits both alike). Prints
# every run (wall and CPU seconds), then per query the median wall time at
# each parallelism, the speed-up median(P1 wall) / median(P2 wall), the
# range of the per-round speed-ups, and the CPU-seconds ratio (P2 over
# P1: what the parallel run costs in extra work). Issue 4's target: q0 and
# q17 at >= 1.8x.
#
# usage (from a build directory):
#   sh ../sluice/bench/scaling.sh [-n EVENTS] [-r ROUNDS] [-q "q0 q17"] [-p "1 2"]
#   QUERY: a name in queries/nexmark/ or a path to a .sql file
set -eu
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
SLUICE=${SLUICE:-./sluice}
N=20000000
R=3
QS="q0 q17"
PS="1 2"
while getopts n:r:q:p: o; do
	case $o in
	n) N=$OPTARG ;;
	r) R=$OPTARG ;;
	q) QS=$OPTARG ;;
	p) PS=$OPTARG ;;
	*) echo "usage: $0 [-n EVENTS] [-r ROUNDS] [-q QUERIES] [-p \"P1 P2\"]" >&2; exit 2 ;;
	esac
done
set -- $PS
[ $# -eq 2 ] || { echo "scaling.sh: -p takes two parallelisms, e.g. \"1 2\"" >&2; exit 2; }
P1=$1
P2=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "# sluice run, $N events, $R rounds of p=$P1 then p=$P2, $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
for q in $QS; do
	case $q in
	*.sql) f=$q ;;
	*) f=$SRCDIR/queries/nexmark/$q.sql ;;
	esac
	name=$(basename "$f" .sql)
	: >"$tmp/$name"
	i=1
	while [ "$i" -le "$R" ]; do
		for p in $P1 $P2; do
			/usr/bin/time -f "%e %U %S" -o "$tmp/time" \
				"$SLUICE" run --quiet --events "$N" --parallelism "$p" "$f" >/dev/null
			read -r wall user sys <"$tmp/time"
			echo "$i $p $wall $user $sys" >>"$tmp/$name"
			printf '%-10s round %d p=%-3s wall %6.2f s  cpu %6.2f s\n' "$name" "$i" "$p" "$wall" \
				"$(echo "$user $sys" | awk '{ print $1 + $2 }')"
		done
		i=$((i + 1))
	done
	awk -v name="$name" -v p1="$P1" -v p2="$P2" '
		function median(a, n,   i, j, t) {
			for (i = 2; i <= n; i++)
				for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
			return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		}
		$2 == p1 { w1[++n1] = $3; c1 += $4 + $5; r1[$1] = $3 }
		$2 == p2 { w2[++n2] = $3; c2 += $4 + $5; r2[$1] = $3 }
		END {
			lo = 1e9; hi = 0
			for (k in r1) if (k in r2 && r2[k] > 0) { s = r1[k] / r2[k]; if (s < lo) lo = s; if (s > hi) hi = s }
			m1 = median(w1, n1); m2 = median(w2, n2)
			printf "%-10s p=%s median %.2f s, p=%s median %.2f s: speed-up %.2fx (rounds %.2f-%.2fx), CPU p=%s/p=%s %.2f\n",
			       name, p1, m1, p2, m2, (m2 > 0 ? m1 / m2 : 0), lo, hi, p2, p1, (c1 > 0 ? c2 / c1 : 0)
		}' "$tmp/$name"
done
