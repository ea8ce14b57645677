#!/bin/sh
# run-cdc-example.sh -- the CDC walk-through of queries/examples/README.md
# end to end: Debezium-JSON change events (creates, an update, a delete and
# one malformed record) in a topic of `sluice kafka-dev`, both example
# views (customer_activity.sql: GROUP BY with retraction; order_lifecycle.sql:
# a keyed projection) run as written except for the broker address and a
# bounded read, their upsert-kafka topics read back with `sluice kafka
# consume`: the last record per key is the expected row, deleted keys end
# in a tombstone, and the bad record is in the dead-letter topic.
# make check runs it from the build directory with SRCDIR set.
SRCDIR=${SRCDIR:-$(dirname "$0")/../..}
SLUICE=${SLUICE:-$(pwd)/sluice}
case $SLUICE in /*) ;; *) SLUICE=$(pwd)/$SLUICE ;; esac
tmp=$(mktemp -d)
KD=
cleanup() {
	exec 3>&- 2>/dev/null
	[ -n "$KD" ] && kill "$KD" 2>/dev/null && wait "$KD" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp" || exit 1
fails=0
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; [ -n "${2:-}" ] && echo "#   $2"; fails=$((fails + 1)); }
check() {
	if cmp -s "$2" "$3"; then ok "$1"; else notok "$1" "$(diff "$2" "$3" | head -8 | tr '\n' ' ')"; fi
}
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
for t in "dbserver1.shop.orders 1" "customer-activity 2" "order-lifecycle 2" "orders-dlq 1"; do
	echo "topic $t" >&3
done
sleep 0.2

o() { # o ORDER CUSTOMER STATUS AMOUNT TIME: one row image
	printf '{"order_id":%s,"customer_id":%s,"status":"%s","amount":"%s","updated_at":"2025-11-22 %s"}' "$@"
}
{
	echo "{\"before\":null,\"after\":$(o 1 7 NEW 10.50 08:26:40),\"op\":\"c\",\"ts_ms\":1763800000000}"
	echo "{\"before\":$(o 1 7 NEW 10.50 08:26:40),\"after\":$(o 1 7 PAID 10.50 08:27:40),\"op\":\"u\",\"ts_ms\":1763800060000}"
	echo "{\"before\":null,\"after\":$(o 2 7 NEW 5.25 08:28:00),\"op\":\"c\",\"ts_ms\":1763800080000}"
	echo "{\"before\":null,\"after\":$(o 3 8 NEW 3.00 08:29:00),\"op\":\"c\",\"ts_ms\":1763800140000}"
	echo "this is not debezium json"
	echo "{\"before\":$(o 3 8 NEW 3.00 08:29:00),\"after\":null,\"op\":\"d\",\"ts_ms\":1763800200000}"
} | "$SLUICE" kafka produce --bootstrap-servers "$BS" --topic dbserver1.shop.orders 2>/dev/null

for q in customer_activity order_lifecycle; do
	sed "s/'localhost:9092'/'$BS'/; s/'scan.startup.mode' = 'earliest-offset',/'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset',/" \
		"$SRCDIR/queries/examples/$q.sql" >$q.sql
	if ! "$SLUICE" run --quiet --state-dir st $q.sql >$q.out 2>$q.err; then
		notok "$q.sql runs" "$(head -3 $q.err | tr '\n' ' ')"
		continue
	fi
	# the last record of each key (one key stays in one partition)
	"$SLUICE" kafka consume --bootstrap-servers "$BS" --topic "$(echo $q | tr _ -)" --verbose |
		awk -F'\t' '{ last[$3] = $4 } END { for (k in last) print k "\t" last[k] }' | LC_ALL=C sort >$q.got
done
cat >customer_activity.expected <<'X'
{"customer_id":7}	{"customer_id":7,"last_seen":"2025-11-22 08:28:00.000","total_spent":15.75,"order_count":2}
{"customer_id":8}	NULL
X
check "customer_activity.sql: per-customer digest, a tombstone for the customer whose last order was deleted" customer_activity.expected customer_activity.got
cat >order_lifecycle.expected <<'X'
{"order_id":1}	{"order_id":1,"status":"PAID","last_status_change":"2025-11-22 08:27:40.000"}
{"order_id":2}	{"order_id":2,"status":"NEW","last_status_change":"2025-11-22 08:28:00.000"}
{"order_id":3}	NULL
X
check "order_lifecycle.sql: latest status per order, a tombstone for the deleted order" order_lifecycle.expected order_lifecycle.got
"$SLUICE" kafka consume --bootstrap-servers "$BS" --topic orders-dlq --verbose | cut -f4,5 >dlq.got
n=$(grep -c 'this is not debezium json	sluice.dlq.topic=dbserver1.shop.orders,sluice.dlq.partition=0,sluice.dlq.offset=4,sluice.dlq.reason=' dlq.got)
if [ "$n" -eq 2 ]; then
	ok "the malformed change event is dead-lettered by each view's source"
else
	notok "the malformed change event is dead-lettered by each view's source" "$(cat dlq.got | tr '\n' ' ')"
fi
exit $((fails > 0))
