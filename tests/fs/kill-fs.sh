#!/bin/sh
# kill-fs.sh [KILLS] [EVENTS] -- exactly-once of the filesystem connector
# under kill -9, checked against the SQLite oracle:
#   1. Nexmark q10 (bids into csv files partitioned by dt/hm, _SUCCESS
#      markers) from the nexmark source;
#   2. the same bids read back from csv files by the filesystem source
#      (four files with bad lines in them, 'format.on-error' = 'dlq') into
#      a json sink (q0's answer), so the source's position is restored too.
# Each job runs with checkpoints every 200 ms at parallelism 2 and is killed
# with SIGKILL at random moments (KILLS times, default 3; the full run is
# `kill-fs.sh 20 1000000`), each time restarted with --restore latest,
# until it finishes. The committed files, read back with the filesystem
# source, must equal the oracle exactly (0 lost, 0 duplicated); for q10
# every partition must have its marker; no in-progress file may remain;
# the dead-letter files must hold each bad line exactly once. A run that
# ends before its kill lands counts no kill; the lines say how many landed.
# Needs the checkpoint coordinator (docs/checkpoints.md). make check runs
# it with the defaults (3 kills of a 300k-event run each).
SRCDIR=${SRCDIR:-$(dirname "$0")/../..}
SLUICE=${SLUICE:-$(pwd)/sluice}
case $SLUICE in /*) ;; *) SLUICE=$(pwd)/$SLUICE ;; esac
KILLS=${1:-${KILL_FS_KILLS:-3}}
N=${2:-${KILL_FS_EVENTS:-300000}}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fails=0
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "ok - kill-fs # SKIP sqlite3 not installed"
	exit 0
fi
if ! "$SLUICE" run --help 2>&1 | grep -q -- --checkpoint-interval; then
	echo "ok - kill-fs # SKIP sluice run has no checkpoints"
	exit 0
fi
"$SLUICE" gen nexmark --events "$N" --seed 0 --rate 1000 --out nx >/dev/null || exit 1

# run_killed NAME SQL: run until it exits, killing it KILLS times; sets
# kills, runs, rc
run_killed() {
	kills=0 runs=0 rc=1
	restore=""
	while [ $runs -lt $((KILLS + 20)) ]; do
		runs=$((runs + 1))
		"$SLUICE" run --quiet --parallelism 2 --checkpoint-interval 200ms --state-dir st-$1 \
			$restore "$2" >$1.run.$runs.out 2>$1.run.$runs.err &
		pid=$!
		if [ $kills -lt "$KILLS" ]; then
			# a random moment between 0.2 and 0.8 s into the run
			sleep "$(awk -v s="$runs$$$1" 'BEGIN { srand(s); printf "%.2f", 0.2 + rand() * 0.6 }')"
			if kill -9 $pid 2>/dev/null; then
				wait $pid 2>/dev/null
				kills=$((kills + 1))
				restore="--restore latest"
				continue
			fi
		fi
		wait $pid
		rc=$?
		break
	done
}
# compare_back NAME DIR COLUMNS PARTITIONED_BY FORMAT ORACLE_QUERY: read DIR back, compare
compare_back() {
	set -- "$2" "$2" "$3" "$4" "$5" "$6" "$1"
	cat >$1.back.sql <<X
CREATE TABLE t ($3) $4 WITH ('connector' = 'filesystem', 'path' = '$2', 'format' = '$5');
SELECT * FROM t;
X
	"$SLUICE" run --quiet --parallelism 1 $1.back.sql >$1.out 2>$1.back.err
	rows=$(wc -l <$1.out | tr -d ' ')
	if sh "$SRCDIR/tests/oracle/compare.sh" $6 nx $1.out >$1.diff 2>&1; then
		echo "ok - $7 under $kills kill -9 ($runs runs) equals the oracle ($rows rows, 0 lost, 0 duplicated)"
	else
		echo "not ok - $7 under $kills kill -9 equals the oracle"
		head -6 $1.diff | sed 's/^/#   /'
		fails=$((fails + 1))
	fi
	inprog=$(find $2 -name '.*inprogress' | wc -l)
	if [ "$inprog" -eq 0 ]; then
		echo "ok - $7: no in-progress file left after the kills"
	else
		echo "not ok - $7: $inprog in-progress files left"
		fails=$((fails + 1))
	fi
}

# ---- 1. q10: nexmark -> partitioned csv -----------------------------------
sed "s|'output/nexmark-q10'|'out'|; s/'10000000'/'1000'/g; s/'events.num' = '[0-9]*'/'events.num' = '$N'/" \
	"$SRCDIR/queries/nexmark/q10.sql" >q10.sql
run_killed q10 q10.sql
if [ $rc -ne 0 ]; then
	echo "not ok - q10 under kill -9 finishes ($kills kills, run $runs exit $rc)"
	echo "#   $(tail -3 q10.run.$runs.err | tr '\n' ' ')"
	fails=$((fails + 1))
else
	compare_back q10 out "auction BIGINT, bidder BIGINT, price BIGINT, dateTime TIMESTAMP(3), extra VARCHAR, dt STRING, hm STRING" \
		"PARTITIONED BY (dt, hm)" csv q10
	parts=$(find out -mindepth 2 -maxdepth 2 -type d | wc -l)
	succ=$(find out -name _SUCCESS | wc -l)
	if [ "$parts" -eq "$succ" ]; then
		echo "ok - q10: $parts partitions, each with _SUCCESS"
	else
		echo "not ok - q10: $parts partitions, $succ markers"
		fails=$((fails + 1))
	fi
fi

# ---- 2. filesystem csv (with bad lines) -> json -----------------------------
mkdir in
cut -d, -f1,2,3,6,7 nx/bid.csv >bids.csv
split -n l/4 bids.csv in/bids-
# three bad lines, in two files
printf 'not-a-number,1,2,2026-01-01 00:00:00.000,x\n' >>in/bids-aa
printf '1,2\n' >>in/bids-ac
printf '5,6,7,not-a-time,y\n' >>in/bids-ac
cat >copy.sql <<'X'
CREATE TABLE b (auction BIGINT, bidder BIGINT, price BIGINT, dateTime TIMESTAMP(3), extra VARCHAR) WITH (
  'connector' = 'filesystem', 'path' = 'in', 'format' = 'csv', 'format.on-error' = 'dlq', 'dlq.path' = 'dead');
CREATE TABLE o (auction BIGINT, bidder BIGINT, price BIGINT, dateTime TIMESTAMP(3), extra VARCHAR) WITH (
  'connector' = 'filesystem', 'path' = 'copy', 'format' = 'json');
INSERT INTO o SELECT * FROM b;
X
run_killed copy copy.sql
if [ $rc -ne 0 ]; then
	echo "not ok - filesystem source under kill -9 finishes ($kills kills, run $runs exit $rc)"
	echo "#   $(tail -3 copy.run.$runs.err | tr '\n' ' ')"
	fails=$((fails + 1))
else
	compare_back "filesystem csv -> json (q0)" copy \
		"auction BIGINT, bidder BIGINT, price BIGINT, dateTime TIMESTAMP(3), extra VARCHAR" "" json q0
	dead=$(cat dead/*.jsonl | wc -l)
	if [ "$dead" -eq 3 ]; then
		echo "ok - filesystem source under kill -9: each of the 3 bad lines dead-lettered exactly once"
	else
		echo "not ok - filesystem source under kill -9: $dead dead letters for 3 bad lines"
		fails=$((fails + 1))
	fi
fi
exit $((fails > 0))
