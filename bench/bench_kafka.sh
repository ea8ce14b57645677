#!/bin/sh
# bench_kafka.sh -- Kafka source and sink throughput against the mock
# cluster (`sluice kafka-dev`, its own process, so its CPU is not counted):
#   1. JSON Kafka source -> blackhole: the Nexmark bid rows of a topic
#      (Flink's nested event form, {"event_type":2,"bid":{...},...}) read
#      with every bid column decoded
#   2. Kafka -> q0 -> Kafka: the same bids, projected as q0 does, written
#      as JSON to a second topic (at-least-once, idempotent producer)
#   3. the same as 2 with 'sink.delivery-guarantee' = 'exactly-once' and
#      1 s checkpoints
# The mock keeps only ~5 MB per partition, so the input is spread over
# 32 partitions (bids only: ~230 bytes a record).
#
# usage: sh bench/bench_kafka.sh [-n EVENTS] [-p "1 2"]   (from a build dir)
# Prints events/s (wall) and events per CPU-second (user+sys of sluice run:
# the per-core figure) from GNU time.
set -eu
SLUICE=${SLUICE:-./sluice}
N=600000
PARS="1"
while getopts n:p: o; do
	case $o in
	n) N=$OPTARG ;;
	p) PARS=$OPTARG ;;
	*) echo "usage: $0 [-n EVENTS] [-p PARALLELISMS]" >&2; exit 2 ;;
	esac
done
tmp=$(mktemp -d)
KD=
cleanup() { exec 3>&- 2>/dev/null; [ -n "$KD" ] && kill "$KD" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
mkfifo "$tmp/ctl"
"$SLUICE" kafka-dev --port 0 --control <"$tmp/ctl" >"$tmp/kd.out" 2>&1 &
KD=$!
exec 3>"$tmp/ctl"
while ! grep -q '^bootstrap.servers = ' "$tmp/kd.out" 2>/dev/null; do sleep 0.1; done
BS=$(sed -n 's/^bootstrap.servers = //p' "$tmp/kd.out")
echo "topic bids 32" >&3
sleep 0.2
"$SLUICE" gen nexmark --events "$N" --format json --out - | grep '"event_type":2' |
	"$SLUICE" kafka produce --bootstrap-servers "$BS" --topic bids 2>/dev/null
BIDS=$("$SLUICE" kafka consume --bootstrap-servers "$BS" --topic bids --verbose | wc -l)
echo "# $BIDS bid records in topic bids (32 partitions)"
src() {
	cat <<X
CREATE TABLE bids (
  event_type INT,
  bid ROW<auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, dateTime TIMESTAMP(3), extra VARCHAR>,
  dateTime TIMESTAMP(3)
) WITH ('connector' = 'kafka', 'topic' = 'bids', 'properties.bootstrap.servers' = '$BS',
  'properties.fetch.wait.max.ms' = '10', 'format' = 'json', 'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset');
X
}
{ src; echo "CREATE TABLE bh (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, dt TIMESTAMP(3), extra VARCHAR) WITH ('connector' = 'blackhole');"
  echo "INSERT INTO bh SELECT bid.auction, bid.bidder, bid.price, bid.channel, bid.url, bid.dateTime, bid.extra FROM bids;"; } >"$tmp/bh.sql"
for g in at-least-once exactly-once; do
	{ src; echo "CREATE TABLE out_${g%%-*} (auction BIGINT, bidder BIGINT, price BIGINT, dateTime TIMESTAMP(3), extra VARCHAR) WITH ('connector' = 'kafka', 'topic' = 'out_$g', 'properties.bootstrap.servers' = '$BS', 'format' = 'json', 'sink.delivery-guarantee' = '$g');"
	  echo "INSERT INTO out_${g%%-*} SELECT bid.auction, bid.bidder, bid.price, bid.dateTime, bid.extra FROM bids;"; } >"$tmp/q0_$g.sql"
	echo "topic out_$g 32" >&3
done
measure() { # measure NAME P SQL [FLAGS]
	name=$1 p=$2 sql=$3
	shift 3
	/usr/bin/time -f "%e %U %S" -o "$tmp/time" "$SLUICE" run --quiet --parallelism "$p" "$@" "$sql" >/dev/null
	awk -v n="$BIDS" -v name="$name" -v p="$p" '{ printf "%-34s p=%s  %8.0f events/s  %8.0f events/CPU-s  (%.2f s wall, %.2f s CPU)\n", name, p, n / $1, n / ($2 + $3), $1, $2 + $3 }' "$tmp/time"
}
for p in $PARS; do
	measure "kafka json -> blackhole" "$p" "$tmp/bh.sql"
	measure "kafka -> q0 -> kafka (at-least-once)" "$p" "$tmp/q0_at-least-once.sql"
	measure "kafka -> q0 -> kafka (exactly-once)" "$p" "$tmp/q0_exactly-once.sql" --checkpoint-interval 1s --state-dir "$tmp/st"
done
