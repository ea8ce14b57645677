#!/bin/sh
# kill-kafka.sh [KILLS] [EVENTS] -- exactly-once of the Kafka sink under
# kill -9: Nexmark bids in a 2-partition topic (one generator split per
# partition) are read at parallelism 2 by one job with two queries, a
# 10-second TUMBLE window count/max per auction into a 'kafka' topic and an
# unbounded GROUP BY bidder into an 'upsert-kafka' topic, both with
# 'sink.delivery-guarantee' = 'exactly-once', checkpoints every 200 ms. The
# job is killed with SIGKILL at random moments (KILLS times, default 3;
# the full run is `kill-kafka.sh 20`) and restarted with --restore latest
# until it finishes. Then the output topics, read back with `sluice kafka
# consume`, must equal the SQLite oracle: the window topic as a multiset
# (0 lost, 0 duplicated), the upsert topic's last value per key, and no
# (job, subtask, epoch, seq) header may appear twice. The mock cluster
# (`sluice kafka-dev`) runs in its own process and outlives the kills.
# Prints TAP lines; make check runs the defaults.
# Environment: KILL_KAFKA_SEED (kill moments; default: the shell's pid),
# KILL_KAFKA_INTERVAL (checkpoint interval, default 200ms),
# KILL_KAFKA_DELAY="MIN SPAN" (each kill lands MIN + rand*SPAN seconds
# after the start; default "0.05 0.7": a whole run takes about 1 s, and a
# run that finishes first ends the series), KILL_KAFKA_KEEP=1 keeps the
# work directory (logs of every run, the topics read back).
SRCDIR=${SRCDIR:-$(dirname "$0")/../..}
SLUICE=${SLUICE:-$(pwd)/sluice}
case $SLUICE in /*) ;; *) SLUICE=$(pwd)/$SLUICE ;; esac
KILLS=${1:-${KILL_KAFKA_KILLS:-3}}
N=${2:-${KILL_KAFKA_EVENTS:-20000}}
SEED=${KILL_KAFKA_SEED:-$$}
INTERVAL=${KILL_KAFKA_INTERVAL:-200ms}
DELAY=${KILL_KAFKA_DELAY:-0.05 0.7}
tmp=$(mktemp -d)
KD=
cleanup() {
	exec 3>&- 2>/dev/null
	[ -n "$KD" ] && kill "$KD" 2>/dev/null && wait "$KD" 2>/dev/null
	if [ -n "$KILL_KAFKA_KEEP" ]; then echo "# kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
cd "$tmp" || exit 1
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "ok - kill-kafka # SKIP sqlite3 not installed"
	exit 0
fi
mkfifo ctl
"$SLUICE" kafka-dev --port 0 --control <ctl >kd.out 2>&1 &
KD=$!
exec 3>ctl
i=0
while ! grep -q '^bootstrap.servers = ' kd.out 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 100 ] && { echo "not ok - kafka-dev starts"; exit 1; }
	sleep 0.1
done
BS=$(sed -n 's/^bootstrap.servers = //p' kd.out)
for t in "bids 2" "win 2" "grp 2"; do echo "topic $t" >&3; done

# the events: generator split k of 2 into partition k, bids only (the mock
# keeps ~5 MB per partition)
"$SLUICE" gen nexmark --events "$N" --seed 0 --rate 100 --out nx >/dev/null || exit 1
for k in 0 1; do
	"$SLUICE" gen nexmark --events "$N" --seed 0 --rate 100 --generators 2 --subtask $k --format json --out - |
		grep '"event_type":2' | "$SLUICE" kafka produce --bootstrap-servers "$BS" --topic bids --partition $k 2>/dev/null
done
cat >job.sql <<X
CREATE TABLE bids (
  event_type INT,
  bid ROW<auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, dateTime TIMESTAMP(3), extra VARCHAR>,
  dateTime TIMESTAMP(3),
  WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'bids', 'properties.bootstrap.servers' = '$BS',
  'properties.fetch.wait.max.ms' = '10', 'format' = 'json', 'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset');
CREATE TABLE win (auction BIGINT, window_start TIMESTAMP(3), window_end TIMESTAMP(3), num BIGINT, max_price BIGINT)
WITH ('connector' = 'kafka', 'topic' = 'win', 'properties.bootstrap.servers' = '$BS', 'format' = 'json',
  'sink.delivery-guarantee' = 'exactly-once');
CREATE TABLE grp (bidder BIGINT, num BIGINT, max_price BIGINT, PRIMARY KEY (bidder) NOT ENFORCED)
WITH ('connector' = 'upsert-kafka', 'topic' = 'grp', 'properties.bootstrap.servers' = '$BS',
  'key.format' = 'json', 'value.format' = 'json', 'sink.delivery-guarantee' = 'exactly-once');
INSERT INTO win
SELECT bid.auction, window_start, window_end, COUNT(*), MAX(bid.price)
FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(dateTime), INTERVAL '10' SECOND))
GROUP BY bid.auction, window_start, window_end;
INSERT INTO grp SELECT bid.bidder, COUNT(*), MAX(bid.price) FROM bids GROUP BY bid.bidder;
X

kills=0 runs=0 rc=1 restore=""
# first a crash in the middle of writing an epoch (test hook in the sink:
# exit after the epoch's first 40 records are acknowledged), so that the
# restore has to read the partitions back and skip what is there
runs=1
SLUICE_KAFKA_CRASH_AFTER=40 "$SLUICE" run --quiet --parallelism 2 --checkpoint-interval $INTERVAL --state-dir st \
	job.sql >run.1.out 2>run.1.err
if grep -q 'exiting in the middle of epoch' run.1.err; then
	echo "ok - the job died in the middle of writing an epoch (test hook)"
	restore="--restore latest"
else
	echo "not ok - the job died in the middle of writing an epoch (test hook)"
	echo "#   $(tail -2 run.1.err | tr '\n' ' ')"
	exit 1
fi
while [ $runs -lt $((KILLS + 21)) ]; do
	runs=$((runs + 1))
	"$SLUICE" run --quiet --parallelism 2 --checkpoint-interval $INTERVAL --state-dir st $restore \
		job.sql >run.$runs.out 2>run.$runs.err &
	pid=$!
	if [ $kills -lt "$KILLS" ]; then
		sleep "$(echo $DELAY | awk -v s="$runs$SEED" '{ srand(s); printf "%.2f", $1 + rand() * $2 }')"
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
if [ $rc -ne 0 ]; then
	echo "not ok - kafka job under kill -9 finishes ($kills kills, run $runs exit $rc)"
	echo "#   $(tail -3 run.$runs.err | tr '\n' ' ')"
	exit 1
fi

"$SLUICE" kafka consume --bootstrap-servers "$BS" --topic win --verbose >win.raw
"$SLUICE" kafka consume --bootstrap-servers "$BS" --topic grp --verbose >grp.raw
sh "$SRCDIR/tests/oracle/load.sh" nx db.sqlite >/dev/null 2>&1 || { echo "not ok - oracle load"; exit 1; }
# the topics' JSON into SQLite (tab-separated: partition, offset, key, value, headers)
for t in win grp; do
	awk -F'\t' -v OFS='\t' '{ print $1, $2, $3, $4, $5 }' $t.raw >$t.tsv
done
sqlite3 db.sqlite >/dev/null <<'X'
CREATE TABLE win_raw (p INT, o INT, k TEXT, v TEXT, h TEXT);
CREATE TABLE grp_raw (p INT, o INT, k TEXT, v TEXT, h TEXT);
.mode tabs
.import win.tsv win_raw
.import grp.tsv grp_raw
X
sqlite3 db.sqlite "SELECT json_extract(v,'$.auction'), json_extract(v,'$.window_start'), json_extract(v,'$.window_end'),
  json_extract(v,'$.num'), json_extract(v,'$.max_price') FROM win_raw" | LC_ALL=C sort >win.got
sqlite3 db.sqlite "SELECT auction, strftime('%Y-%m-%d %H:%M:%S', (dateTime_ms / 10000 * 10000) / 1000, 'unixepoch'),
  strftime('%Y-%m-%d %H:%M:%S', (dateTime_ms / 10000 * 10000 + 10000) / 1000, 'unixepoch'), COUNT(*), MAX(price)
  FROM bid GROUP BY auction, dateTime_ms / 10000" | LC_ALL=C sort >win.oracle
# the window bounds as the json format writes them: 'yyyy-MM-dd HH:mm:ss' (+ '.SSS' when not whole)
sed -i 's/\.000|/|/g' win.got
rows=$(wc -l <win.got | tr -d ' ')
if cmp -s win.oracle win.got; then
	echo "ok - TUMBLE window into a kafka topic under $kills kill -9 ($runs runs) equals the oracle ($rows rows, 0 lost, 0 duplicated)"
else
	echo "not ok - TUMBLE window into a kafka topic under $kills kill -9 equals the oracle"
	diff win.oracle win.got | head -6 | sed 's/^/#   /'
	exit 1
fi
# upsert topic: the last record per key, in each key's partition order
sqlite3 db.sqlite "SELECT json_extract(k,'$.bidder'), json_extract(v,'$.num'), json_extract(v,'$.max_price')
  FROM grp_raw r JOIN (SELECT p AS lp, k AS lk, MAX(o) AS lo FROM grp_raw GROUP BY p, k) ON p = lp AND k = lk AND o = lo" | LC_ALL=C sort >grp.got
sqlite3 db.sqlite "SELECT bidder, COUNT(*), MAX(price) FROM bid GROUP BY bidder" | LC_ALL=C sort >grp.oracle
if cmp -s grp.oracle grp.got; then
	echo "ok - GROUP BY into an upsert-kafka topic under $kills kill -9: last value per key equals the oracle ($(wc -l <grp.got | tr -d ' ') keys)"
else
	echo "not ok - GROUP BY into an upsert-kafka topic under $kills kill -9: last value per key equals the oracle"
	diff grp.oracle grp.got | head -6 | sed 's/^/#   /'
	exit 1
fi
dups=$(cat win.raw grp.raw | awk -F'\t' '{ print $5 }' | grep -o 'eo=[^,]*' | sort | uniq -d | wc -l)
noeo=$(cat win.raw grp.raw | awk -F'\t' '$5 !~ /eo=/' | wc -l)
if [ "$dups" -eq 0 ] && [ "$noeo" -eq 0 ]; then
	echo "ok - every output record carries its (job, subtask, epoch, seq) header once"
else
	echo "not ok - every output record carries its (job, subtask, epoch, seq) header once ($dups duplicated, $noeo without)"
	exit 1
fi
[ "$kills" -lt "$KILLS" ] && echo "# note: only $kills of $KILLS kills landed (run $runs finished first)"
echo "# $kills kills landed in $runs runs (KILL_KAFKA_SEED=$SEED KILL_KAFKA_INTERVAL=$INTERVAL KILL_KAFKA_DELAY=\"$DELAY\")"
