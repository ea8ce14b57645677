#!/bin/sh
# kill-fs.sh [KILLS] [EVENTS] -- exactly-once of the filesystem sink under
# kill -9: Nexmark q10 (bids into csv files partitioned by dt/hm) runs with
# checkpoints every 200 ms at parallelism 2 and is killed with SIGKILL at
# random moments (KILLS times, default 3; the full run is
# `kill-fs.sh 20 1000000`), each time restarted with
# --restore latest, until it finishes. The committed files, read back with
# the filesystem source, must equal the SQLite oracle exactly (0 lost, 0
# duplicated), every partition must have its _SUCCESS marker and no
# in-progress file may remain. Needs the checkpoint coordinator
# (docs/checkpoints.md). Prints TAP lines; make check runs it with the
# defaults (3 kills of a 300k-event run). A run that ends before its kill
# lands counts no kill; the summary line says how many landed.
SRCDIR=${SRCDIR:-$(dirname "$0")/../..}
SLUICE=${SLUICE:-$(pwd)/sluice}
case $SLUICE in /*) ;; *) SLUICE=$(pwd)/$SLUICE ;; esac
KILLS=${1:-${KILL_FS_KILLS:-3}}
N=${2:-${KILL_FS_EVENTS:-300000}}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "ok - kill-fs # SKIP sqlite3 not installed"
	exit 0
fi
if ! "$SLUICE" run --help 2>&1 | grep -q -- --checkpoint-interval; then
	echo "ok - kill-fs # SKIP sluice run has no checkpoints"
	exit 0
fi
"$SLUICE" gen nexmark --events "$N" --seed 0 --rate 1000 --out nx >/dev/null || exit 1
sed "s|'output/nexmark-q10'|'out'|; s/'10000000'/'1000'/g" "$SRCDIR/queries/nexmark/q10.sql" >q10.sql
kills=0 restores=0 runs=0 rc=1
restore=""
while [ $runs -lt $((KILLS + 20)) ]; do
	runs=$((runs + 1))
	"$SLUICE" run --quiet --events "$N" --parallelism 2 --checkpoint-interval 200ms --state-dir st $restore \
		q10.sql >run.$runs.out 2>run.$runs.err &
	pid=$!
	if [ $kills -lt "$KILLS" ]; then
		# a random moment between 0.2 and 0.8 s into the run
		sleep "$(awk -v s="$runs$$" 'BEGIN { srand(s); printf "%.2f", 0.2 + rand() * 0.6 }')"
		if kill -9 $pid 2>/dev/null; then
			wait $pid 2>/dev/null
			kills=$((kills + 1))
			restore="--restore latest"
			[ -d st ] && restores=$((restores + 1))
			continue
		fi
	fi
	wait $pid
	rc=$?
	break
done
if [ $rc -ne 0 ]; then
	echo "not ok - q10 under kill -9 finishes ($kills kills, run $runs exit $rc)"
	echo "#   $(tail -3 run.$runs.err | tr '\n' ' ')"
	exit 1
fi
cat >back.sql <<'X'
CREATE TABLE q10 (auction BIGINT, bidder BIGINT, price BIGINT, dateTime TIMESTAMP(3), extra VARCHAR,
  dt STRING, hm STRING) PARTITIONED BY (dt, hm) WITH ('connector' = 'filesystem', 'path' = 'out', 'format' = 'csv');
SELECT * FROM q10;
X
"$SLUICE" run --quiet --parallelism 1 back.sql >q10.out 2>back.err
rows=$(wc -l <q10.out | tr -d ' ')
if sh "$SRCDIR/tests/oracle/compare.sh" q10 nx q10.out >q10.diff 2>&1; then
	echo "ok - q10 into the filesystem sink under $kills kill -9 ($runs runs) equals the oracle ($rows rows, 0 lost, 0 duplicated)"
else
	echo "not ok - q10 into the filesystem sink under $kills kill -9 equals the oracle"
	head -6 q10.diff | sed 's/^/#   /'
	exit 1
fi
parts=$(find out -mindepth 2 -maxdepth 2 -type d | wc -l)
succ=$(find out -name _SUCCESS | wc -l)
inprog=$(find out -name '.*inprogress' | wc -l)
if [ "$parts" -eq "$succ" ] && [ "$inprog" -eq 0 ]; then
	echo "ok - after the kills: $parts partitions with _SUCCESS, no in-progress file left"
else
	echo "not ok - after the kills: $parts partitions, $succ markers, $inprog in-progress files"
	exit 1
fi
