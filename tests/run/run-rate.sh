#!/bin/sh
# run-rate.sh -- wall-clock behaviour of the nexmark source: with
# 'rate.limited' = 'true' at most 'first-event.rate' events per wall-clock
# second over all subtasks (q0 at 20,000 events/s over 10,000 events takes
# at least ~0.5 s, asserted loosely as >= 0.4 s, at parallelism 1 and 2,
# and prints the unlimited run's rows; the CPU time is printed, not
# asserted), and 'scan.watermark.idle-timeout' (below). make check runs it
# from the build directory with SRCDIR set.
SRCDIR=${SRCDIR:-$(dirname "$0")/../..}
SLUICE=${SLUICE:-./sluice}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; [ -n "${2:-}" ] && echo "#   $2"; }

sed "s/'connector' = 'blackhole'/'connector' = 'print'/; s/'10000000'/'20000'/g" \
	"$SRCDIR/queries/nexmark/q0.sql" >"$tmp/free.sql"
sed "s/'first-event.rate' = '20000'/'first-event.rate' = '20000', 'rate.limited' = 'true'/" \
	"$tmp/free.sql" >"$tmp/limited.sql"
if ! grep -q "'rate.limited' = 'true'" "$tmp/limited.sql"; then
	notok "q0 with 'rate.limited' set up" "the sed of queries/nexmark/q0.sql found no rate option"
	exit 1
fi
"$SLUICE" run --quiet --events 10000 "$tmp/free.sql" | sort >"$tmp/free.out"
for p in 1 2; do
	name="rate-limited q0 (20000 events/s, 10000 events) at parallelism $p"
	if ! /usr/bin/time -f "%e %U %S" -o "$tmp/time" "$SLUICE" run --quiet --events 10000 \
		--parallelism "$p" "$tmp/limited.sql" >"$tmp/lim.out" 2>"$tmp/err"; then
		notok "$name" "$(head -3 "$tmp/err")"
		continue
	fi
	sed "s/^[0-9]*> //" "$tmp/lim.out" | sort -o "$tmp/lim.out"
	if ! cmp -s "$tmp/free.out" "$tmp/lim.out"; then
		notok "$name prints the unlimited run's rows" "$(wc -l <"$tmp/lim.out") vs $(wc -l <"$tmp/free.out") rows"
		continue
	fi
	if awk '{ exit !($1 >= 0.4) }' "$tmp/time"; then
		ok "$name takes $(cut -d' ' -f1 "$tmp/time") s wall, $(awk '{ print $2 + $3 }' "$tmp/time") s CPU, same rows"
	else
		notok "$name" "wall, user, sys: $(cat "$tmp/time") (want wall >= 0.4 s)"
	fi
done

# 'scan.watermark.idle-timeout': a LEFT interval join of a fast source
# (2000 events at 2000/s, then it ends) with a slow one (1 event/s, not
# ended within the run). The join pads and emits a fast bid once the
# watermark, the min over both inputs, passes its interval; the slow
# source holds it back ~6 s unless it is marked idle after 300 ms. Both
# runs are stopped by SIGTERM after 4 s: with the timeout every one of the
# 1840 fast bids is out, without it far fewer.
sed -n '/^CREATE TABLE nexmark/,/^);/p' "$SRCDIR/queries/nexmark/q0.sql" >"$tmp/nx.sql"
{
	sed "s/CREATE TABLE nexmark/CREATE TABLE fast/; s/'first-event.rate' = '10000000'/'first-event.rate' = '2000', 'rate.limited' = 'true'/; s/'next-event.rate' = '10000000'/'next-event.rate' = '2000'/; s/'events.num' = '100000000'/'events.num' = '2000'/" "$tmp/nx.sql"
	sed "s/CREATE TABLE nexmark/CREATE TABLE slow/; s/'first-event.rate' = '10000000'/'first-event.rate' = '1', 'rate.limited' = 'true', 'scan.watermark.idle-timeout' = '300 ms'/; s/'next-event.rate' = '10000000'/'next-event.rate' = '1'/; s/'events.num' = '100000000'/'events.num' = '1000'/" "$tmp/nx.sql"
	cat <<'SQL'
CREATE TABLE print_sink (auction BIGINT, person BIGINT) WITH ('connector' = 'print');
INSERT INTO print_sink
SELECT f.bid.auction, s.person.id
FROM fast AS f LEFT JOIN slow AS s
  ON f.bid.bidder = s.person.id
 AND s.dateTime BETWEEN f.dateTime - INTERVAL '1' SECOND AND f.dateTime + INTERVAL '1' SECOND
WHERE f.event_type = 2;
SQL
} >"$tmp/idle.sql"
sed "s/, 'scan.watermark.idle-timeout' = '300 ms'//" "$tmp/idle.sql" >"$tmp/noidle.sql"
if ! grep -q "idle-timeout' = '300 ms'" "$tmp/idle.sql" || grep -q idle-timeout "$tmp/noidle.sql"; then
	notok "idle-timeout queries set up" "the sed of queries/nexmark/q0.sql did not apply"
	exit 1
fi
timeout -s TERM 4 "$SLUICE" run --quiet "$tmp/idle.sql" >"$tmp/idle.out" 2>"$tmp/idle.err"
timeout -s TERM 4 "$SLUICE" run --quiet "$tmp/noidle.sql" >"$tmp/noidle.out" 2>"$tmp/noidle.err"
ni=$(wc -l <"$tmp/idle.out" | tr -d ' ')
nn=$(wc -l <"$tmp/noidle.out" | tr -d ' ')
if [ "$ni" -eq 1840 ] && [ "$nn" -lt 1000 ]; then
	ok "an idle slow source does not hold back the join's watermark ($ni rows with the idle timeout, $nn without)"
else
	notok "an idle slow source does not hold back the join's watermark" \
		"$ni rows with the idle timeout (want 1840), $nn without (want < 1000); $(head -2 "$tmp/idle.err")"
fi

# The print sink shows rows while the job runs (Flink's print writes each
# row at once): q0 at 10 events/s, unbounded for the test's purpose, must
# have printed a row within 30 s while it is still running. Buffering
# until 64 KiB, a checkpoint or the end (the old behaviour) would print
# nothing for over a minute at this rate.
sed "s/'first-event.rate' = '20000'/'first-event.rate' = '10', 'rate.limited' = 'true'/; s/'next-event.rate' = '20000'/'next-event.rate' = '10'/" \
	"$tmp/free.sql" >"$tmp/live.sql"
"$SLUICE" run --quiet --events 100000 "$tmp/live.sql" >"$tmp/live.out" 2>"$tmp/live.err" &
pid=$!
i=0
while [ "$i" -lt 300 ] && [ ! -s "$tmp/live.out" ] && kill -0 "$pid" 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
if [ -s "$tmp/live.out" ] && kill -0 "$pid" 2>/dev/null; then
	ok "print shows rows while the job runs (first after ~$((i / 10)) s: $(head -1 "$tmp/live.out" | cut -c1-40)...)"
else
	notok "print shows rows while the job runs" "after $((i / 10)) s: $(wc -l <"$tmp/live.out") lines; $(head -2 "$tmp/live.err")"
fi
kill -TERM "$pid" 2>/dev/null
wait "$pid" 2>/dev/null || : # the job was killed on purpose: its status is not the test's
