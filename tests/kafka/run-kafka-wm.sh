#!/bin/sh
# run-kafka-wm.sh -- per-partition watermarks of the Kafka source
# (runtime/watermark.h) against the mock cluster (`sluice kafka-dev`):
#   (a) two partitions read by ONE subtask, partition 1's event time an
#       hour behind partition 0's (far more than the 1 s watermark delay),
#       read in small interleaved fetches: no row is late and the 1-minute
#       TUMBLE counts equal the counts computed from the produced input.
#       The same with a computed rowtime column (a Calc between the scan
#       and the assigner; its projection is inlined into the pushed-down
#       expression). Before per-partition watermarks (the assigner's max
#       over the subtask's rows, commit 7e2cb22's control) this input lost
#       all 3000 rows of the lagging partition as late.
#   (b) an idle partition read by the same subtask as an active one: with
#       'scan.watermark.idle-timeout' the windows fire while the job runs
#       (waits for the output, bounded by 60 s); 'table.exec.source.
#       idle-timeout' does the same as the job-wide default.
# make check runs it from the build directory with SRCDIR set. TAP lines.
SRCDIR=${SRCDIR:-$(dirname "$0")/../..}
SLUICE=${SLUICE:-$(pwd)/sluice}
case $SLUICE in /*) ;; *) SLUICE=$(pwd)/$SLUICE ;; esac
tmp=$(mktemp -d)
KD=
JOB=
cleanup() {
	exec 3>&- 2>/dev/null
	[ -n "$JOB" ] && kill "$JOB" 2>/dev/null && wait "$JOB" 2>/dev/null
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
	i=$((i + 1))
	if [ $i -gt 100 ]; then notok "kafka-dev starts" "$(cat kd.out)"; exit 1; fi
	sleep 0.1
done
BS=$(sed -n 's/^bootstrap.servers = //p' kd.out)
nctl=0
ctl() { # ctl COMMAND: send a control command, wait for its answer
	echo "$1" >&3
	nctl=$((nctl + 1))
	j=0
	while [ "$(grep -c '^ok$\|^error' kd.out)" -lt $nctl ]; do
		j=$((j + 1)); [ $j -gt 100 ] && break
		sleep 0.05
	done
}
produce() { "$SLUICE" kafka produce --bootstrap-servers "$BS" "$@" 2>/dev/null; }
# records of event time START + i seconds, i = 0..N-1 ("HH:MM" START)
events() { # events N HOUR
	awk -v n="$1" -v h="$2" 'BEGIN { for (i = 0; i < n; i++)
		printf "{\"id\":%d,\"ts\":\"2026-01-01 %02d:%02d:%02d\"}\n", i, h + int(i / 3600), int(i / 60) % 60, i % 60 }'
}

# ---- (a) partition 1 lags partition 0 by an hour, one subtask ----------------
ctl "topic lag 2"
# produced in small pieces so that the tiny fetches alternate between them
events 3000 1 | produce --topic lag --partition 0
events 3000 0 | produce --topic lag --partition 1
lag_sql() { # lag_sql COLUMNS WATERMARK_COLUMN
	cat <<X
CREATE TABLE src ($1, WATERMARK FOR $2 AS $2 - INTERVAL '1' SECOND) WITH (
  'connector' = 'kafka', 'topic' = 'lag', 'properties.bootstrap.servers' = '$BS',
  'properties.fetch.wait.max.ms' = '10', 'properties.max.partition.fetch.bytes' = '2048',
  'format' = 'json',
  'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset');
SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE src, DESCRIPTOR($2), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end;
X
}
# the expected counts: 60 per minute of each partition's hour (50 minutes each)
for h in 00 01; do
	for m in $(seq 0 49); do printf '+I[2026-01-01T%s:%02d, 60]\n' $h "$m"; done
done | LC_ALL=C sort >lag.expected
lag_sql "id BIGINT, ts TIMESTAMP(3)" ts >lag.sql
if "$SLUICE" run --quiet --parallelism 1 lag.sql 2>lag.err | LC_ALL=C sort >lag.got; then
	check "per-partition watermarks: a partition an hour behind the other in one subtask loses no row (100 windows)" \
		lag.expected lag.got
	if grep -q 'late row' lag.err; then
		notok "per-partition watermarks: no late-row note" "$(grep 'late row' lag.err)"
	else
		ok "per-partition watermarks: no late-row note"
	fi
else
	notok "per-partition watermarks: the job runs" "$(tail -3 lag.err | tr '\n' ' ')"
fi
# a computed rowtime column: the planner puts a Calc between the scan and
# the assigner; the push-down inlines the Calc's projection
lag_sql "id BIGINT, ts TIMESTAMP(3), ts2 AS ts + INTERVAL '1' HOUR" ts2 >lagc.sql
sed 's/T00:/T0X:/; s/T01:/T02:/; s/T0X:/T01:/' lag.expected | LC_ALL=C sort >lagc.expected
if "$SLUICE" run --quiet --parallelism 1 lagc.sql 2>lagc.err | LC_ALL=C sort >lagc.got; then
	check "per-partition watermarks over a computed rowtime column (scan -> Calc -> assigner): no row lost" \
		lagc.expected lagc.got
	if grep -q 'late row' lagc.err; then
		notok "per-partition watermarks over a computed rowtime column: no late-row note" "$(grep 'late row' lagc.err)"
	else
		ok "per-partition watermarks over a computed rowtime column: no late-row note"
	fi
else
	notok "per-partition watermarks over a computed rowtime column: the job runs" "$(tail -3 lagc.err | tr '\n' ' ')"
fi

# ---- (b) an idle partition in the same subtask as an active one -------------
# Partition 0 holds event times 00:00:00..00:00:29, partition 1 nothing. Read
# unbounded by one subtask (10 s TUMBLE, 1 s delay), the empty partition
# holds the watermark at its start until it is idle; then the watermark is
# partition 0's and the windows [0, 10) and [10, 20) fire. The job runs with
# 100 ms checkpoints (the print sink writes at each) until both rows are
# out (at most 60 s), then gets SIGTERM. The windows must not come out
# before the idle timeout has passed since the job started: without the
# per-partition watermark (max over the subtask's rows) they fire at once.
ctl "topic idl 2"
events 30 0 | produce --topic idl --partition 0
printf '+I[2026-01-01T00:00, 10]\n+I[2026-01-01T00:00:10, 10]\n' >idl.expected
now() { date +%s.%N; }
idle_run() { # idle_run NAME SET_STATEMENTS TABLE_OPTIONS: sets $elapsed (seconds to the output)
	{ printf '%s' "$2"
	  echo "CREATE TABLE src (id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH (
  'connector' = 'kafka', 'topic' = 'idl', 'properties.bootstrap.servers' = '$BS',
  'properties.fetch.wait.max.ms' = '10', 'format' = 'json', 'scan.startup.mode' = 'earliest-offset'$3);"
	  echo "SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE src, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end;"
	} >"$1.sql"
	: >"$1.out"
	t0=$(now)
	"$SLUICE" run --quiet --parallelism 1 --checkpoint-interval 100ms --state-dir "st-$1" "$1.sql" \
		>"$1.out" 2>"$1.err" &
	JOB=$!
	k=0
	while [ "$(wc -l <"$1.out")" -lt 2 ] && [ $k -lt 600 ] && kill -0 $JOB 2>/dev/null; do
		sleep 0.1
		k=$((k + 1))
	done
	t1=$(now)
	kill $JOB 2>/dev/null
	wait $JOB 2>/dev/null
	JOB=
	LC_ALL=C sort "$1.out" >"$1.got"
	elapsed=$(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }')
}
idle_check() { # idle_check NAME WHAT ELAPSED: the rows, not before 2 s
	if cmp -s idl.expected "$1.got" && awk -v e="$3" 'BEGIN { exit !(e >= 2.0) }'; then
		ok "$2: the windows fire after the idle timeout (${3} s after the start, timeout 2 s)"
	else
		notok "$2: the windows fire after the idle timeout (${3} s after the start, timeout 2 s)" \
			"$(tr '\n' ' ' <"$1.got") $(tail -2 "$1.err" | tr '\n' ' ')"
	fi
}
idle_run idt "" ", 'scan.watermark.idle-timeout' = '2 s'"
idle_check idt "'scan.watermark.idle-timeout': an idle partition next to an active one in one subtask" "$elapsed"
idle_run idj "SET 'table.exec.source.idle-timeout' = '2 s';
" ""
idle_check idj "'table.exec.source.idle-timeout' as the job-wide default" "$elapsed"
idle_run idw "SET 'table.exec.source.idle-timeout' = '10 ms';
" ", 'scan.watermark.idle-timeout' = '2 s'"
idle_check idw "the table's 'scan.watermark.idle-timeout' wins over 'table.exec.source.idle-timeout' = '10 ms'" "$elapsed"

# ---- (c) the partitions' watermarks are in the checkpoint ------------------
# Run 1 (unbounded, one partition) reads event times 00:00:00..00:00:29,
# fires [0, 10) and [10, 20) (watermark 28 s), then stops with a savepoint
# on SIGTERM. Then a late record (00:00:05) and one at 00:00:31 arrive; run
# 2 restores the savepoint and reads to the end. Event time resumes at
# 28 s, so the late record is dropped as it would have been without the
# stop; were the watermark rebuilt from the replayed rows, [0, 10) would
# fire a second time with a count of 1.
ctl "topic rw 1"
events 30 0 | produce --topic rw
rw_sql() {
	echo "CREATE TABLE src (id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH (
  'connector' = 'kafka', 'topic' = 'rw', 'properties.bootstrap.servers' = '$BS',
  'properties.fetch.wait.max.ms' = '10', 'format' = 'json', 'scan.startup.mode' = 'earliest-offset'$1);"
	echo "SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE src, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end;"
}
rw_sql "" >rw1.sql
rw_sql ", 'scan.bounded.mode' = 'latest-offset'" >rw2.sql
: >rw1.out
"$SLUICE" run --quiet --parallelism 1 --checkpoint-interval 100ms --state-dir st-rw --stop-with-savepoint sp-rw \
	rw1.sql >rw1.out 2>rw1.err &
JOB=$!
k=0
while [ "$(wc -l <rw1.out)" -lt 2 ] && [ $k -lt 600 ] && kill -0 $JOB 2>/dev/null; do
	sleep 0.1
	k=$((k + 1))
done
kill -TERM $JOB 2>/dev/null
wait $JOB
rc=$?
JOB=
printf '+I[2026-01-01T00:00, 10]\n+I[2026-01-01T00:00:10, 10]\n' >rw1.expected
LC_ALL=C sort rw1.out >rw1.got
if [ $rc -eq 0 ] && cmp -s rw1.expected rw1.got; then
	ok "restore: run 1 fires two windows and stops with a savepoint"
else
	notok "restore: run 1 fires two windows and stops with a savepoint" "rc $rc: $(tr '\n' ' ' <rw1.got) $(tail -2 rw1.err | tr '\n' ' ')"
fi
printf '{"id":100,"ts":"2026-01-01 00:00:05"}\n{"id":101,"ts":"2026-01-01 00:00:31"}\n' | produce --topic rw
"$SLUICE" run --quiet --parallelism 1 --restore sp-rw rw2.sql 2>rw2.err | LC_ALL=C sort >rw2.got
printf '+I[2026-01-01T00:00:20, 10]\n+I[2026-01-01T00:00:30, 1]\n' >rw2.expected
check "restore: event time resumes at the checkpointed per-partition watermark (a late row stays late)" \
	rw2.expected rw2.got
if grep -q 'dropped 1 late row$' rw2.err; then
	ok "restore: the late row is counted"
else
	notok "restore: the late row is counted" "$(tail -2 rw2.err | tr '\n' ' ')"
fi
# the same savepoint restored at parallelism 2 (a rescale: each new subtask
# sees every old subtask's blobs and takes its own partitions' offsets and
# watermarks; subtask 2 has no partition and is idle)
"$SLUICE" run --quiet --parallelism 2 --restore sp-rw rw2.sql 2>rw3.err | sed 's/^[0-9]*> //' | LC_ALL=C sort >rw3.got
check "restore at parallelism 2 (rescale): offsets and per-partition watermarks of the old subtask" \
	rw2.expected rw3.got

exit $((fails > 0))
