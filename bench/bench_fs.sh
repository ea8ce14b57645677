#!/bin/sh
# bench_fs.sh [EVENTS] -- filesystem source throughput: Nexmark bid rows
# (all seven columns decoded) from csv and from json files into blackhole,
# at parallelism 1 and 2. Prints rows, wall time, events/s and events per
# CPU-second (user+sys of the whole process), best of 3 runs each.
# Run from the build directory (./sluice); scratch files go to $TMPDIR.
SLUICE=${SLUICE:-$(pwd)/sluice}
case $SLUICE in /*) ;; *) SLUICE=$(pwd)/$SLUICE ;; esac
N=${1:-2000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
"$SLUICE" gen nexmark --events "$N" --seed 0 --rate 10000000 --out nx >/dev/null || exit 1
mkdir csv && mv nx/bid.csv csv/ && rm -rf nx
rows=$(wc -l <csv/bid.csv | tr -d ' ')
cols='(auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, dateTime TIMESTAMP(3), extra STRING)'
cat >tojson.sql <<X
CREATE TABLE b $cols WITH ('connector' = 'filesystem', 'path' = 'csv', 'format' = 'csv');
CREATE TABLE j $cols WITH ('connector' = 'filesystem', 'path' = 'json', 'format' = 'json');
INSERT INTO j SELECT * FROM b;
X
"$SLUICE" run --quiet --parallelism 1 tojson.sql || exit 1
printf '%-6s %2s %9s %8s %12s %16s\n' format p rows wall_s events/s events/CPU-s
for f in csv json; do
	cat >b-$f.sql <<X
CREATE TABLE b $cols WITH ('connector' = 'filesystem', 'path' = '$f', 'format' = '$f');
CREATE TABLE out $cols WITH ('connector' = 'blackhole');
INSERT INTO out SELECT * FROM b;
X
	for p in 1 2; do
		best=""
		for i in 1 2 3; do
			/usr/bin/time -f '%e %U %S' -o t.txt "$SLUICE" run --quiet --parallelism $p b-$f.sql || exit 1
			cpu=$(awk '{ print $2 + $3 }' t.txt)
			if [ -z "$best" ] || awk -v a="$cpu" -v b="$best" 'BEGIN { exit !(a < b) }'; then
				best=$cpu
				wall=$(awk '{ print $1 }' t.txt)
			fi
		done
		awk -v f=$f -v p=$p -v r="$rows" -v w="$wall" -v c="$best" \
			'BEGIN { printf "%-6s %2d %9d %8.2f %12.0f %16.0f\n", f, p, r, w, r / w, r / c }'
	done
done
