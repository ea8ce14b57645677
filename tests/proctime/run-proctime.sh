#!/bin/sh
# run-proctime.sh -- processing time end to end (runtime/EXECUTION.md,
# "Time"), checked against the SQLite oracle in ways that do not depend on
# how fast the machine is. make check runs it from the build directory
# with SRCDIR set; one TAP line per check.
#
# Which window a row lands in depends on the wall clock, so no test pins
# window contents. What cannot vary:
#   - every row lands in exactly one TUMBLE window: the sum over windows of
#     a bidder's bid_count is the oracle's COUNT(*) for that bidder (a row
#     dropped or counted twice, a window never fired or fired twice, breaks
#     the sum for its bidder); no (bidder, window) appears twice;
#   - windows are aligned to the epoch: start % size = 0, end - start = size;
#   - HOP(size 2 s, slide 1 s) puts every row in exactly 2 windows (sum =
#     2 x COUNT(*)); CUMULATE(step 1 s, max 4 s) windows share their start
#     with the full-size window, which holds every row of its period;
#   - with a rate-limited source running ~5 s over 2 s windows, more than
#     one window appears, and the rows of every window except the newest
#     (which end of input may fire early) reach stdout at or after the
#     window's end (they fire by processing time; the print sink flushes at
#     every 200 ms checkpoint, and arrival is stamped by perl);
#   - a task failure after checkpoint 3 with a restart from it (filesystem
#     sink, exactly-once) keeps the per-bidder sums: restored windows fire
#     from their restored timers, nothing is lost or counted twice;
#   - PROCTIME() selected into TIMESTAMP(3)/TIMESTAMP_LTZ(3) sink columns is
#     a plain value (no time attribute on the Sink) within the run's span;
#   - OVER ordered by a proctime: ROWS 2 PRECEDING equals the oracle over
#     arrival order at p=1; RANGE UNBOUNDED's largest count per bidder is
#     its total; a window join of proctime windows is refused by name;
#   - a processing-time interval join (INNER and LEFT, an hour either way:
#     nothing expires within the run) plans as IntervalJoin (PROCTIME) and
#     equals the oracle's regular INNER/LEFT join at p=1 and p=2, insert-
#     only (unmatched LEFT rows padded at end of input, never retracted);
#     its expiry by processing-time timers is in tests/unit/0610;
#   - proctime deduplication at parallelism 1 keeps the first (keep-first,
#     insert-only: +I only) or the last (keep-last: -U/+U) arrival, which
#     is the first/last bid in generation order (tests/proctime/*.sql).
SRCDIR=${SRCDIR:-$(dirname "$0")/../..}
SLUICE=${SLUICE:-./sluice}
N=${RUN_PROCTIME_EVENTS:-30000}
here=$SRCDIR/tests/proctime
oracle=$SRCDIR/tests/oracle
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; [ -n "${2:-}" ] && echo "#   $2"; }

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "ok - run-proctime # SKIP sqlite3 not installed"
	exit 0
fi

# windows.awk: reads "[STAMP ]+I[tag, bidder, count, start, end]" lines
# (print format, optional "N> "), checks them and prints "bidder|sum" of
# the counts of the windows it sums. Variables: size_ms, slide_ms (HOP:
# start % slide), cum (CUMULATE: sum only windows of the full size, any
# end - start that is a multiple of slide_ms up to size_ms allowed),
# stamped (first field is the arrival time in s).
cat >"$tmp/windows.awk" <<'AWK'
function ms(ts,    d, t, n, h, m, s, y, mo, dd, days) {
	# yyyy-MM-ddTHH:mm[:ss[.SSS]] -> ms since the epoch (UTC)
	y = substr(ts, 1, 4) + 0; mo = substr(ts, 6, 2) + 0; dd = substr(ts, 9, 2) + 0
	t = substr(ts, 12)
	n = split(t, parts, ":")
	h = parts[1] + 0; m = parts[2] + 0; s = (n > 2) ? parts[3] + 0 : 0
	# days from civil (Howard Hinnant's algorithm)
	if (mo <= 2) y--
	era = int(y / 400)
	yoe = y - era * 400
	doy = int((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + dd - 1
	doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
	days = era * 146097 + doe - 719468
	return ((days * 86400 + h * 3600 + m * 60) * 1000) + int(s * 1000 + 0.5)
}
check_ts {
	# +I[bidder, p, pl]: p = pl (pl with a Z), both within [t0, t1 + 1) s
	line = $0
	if (line !~ /^\+I\[/) { print "not an insert: " line > "/dev/stderr"; bad = 1; next }
	nf = split(substr(line, 4, length(line) - 4), f, /, /)
	z = f[3]; sub(/Z$/, "", z)
	if (nf != 3 || f[3] !~ /Z$/ || z != f[2] || ms(f[2]) < t0 * 1000 || ms(f[2]) >= (t1 + 1) * 1000) {
		print "bad materialized proctime (run " t0 ".." t1 "): " line > "/dev/stderr"; bad = 1
	}
	next
}
{
	line = $0
	arrival = -1
	if (stamped) { arrival = $1 * 1000; sub(/^[^ ]+ /, "", line) }
	sub(/^[0-9]+> /, "", line)
	if (line !~ /^\+I\[/) { print "not an insert: " line > "/dev/stderr"; bad = 1; next }
	body = substr(line, 4, length(line) - 4)
	nf = split(body, f, /, /)
	if (nf != 5) { print "bad row: " line > "/dev/stderr"; bad = 1; next }
	st = ms(f[4]); en = ms(f[5]); len = en - st
	if (cum) {
		if (len <= 0 || len > size_ms || len % slide_ms != 0 || st % size_ms != 0) {
			print "bad cumulate window: " line > "/dev/stderr"; bad = 1
		}
	} else if (len != size_ms || st % (slide_ms ? slide_ms : size_ms) != 0) {
		print "bad window (size " size_ms " ms): " line > "/dev/stderr"; bad = 1
	}
	w = sprintf("%.0f|%.0f", st, en)   # (default CONVFMT would round ms)
	if ((f[2] "|" w) in seen) { print "window twice: " line > "/dev/stderr"; bad = 1 }
	seen[f[2] "|" w] = 1
	wins[w] = 1
	if (en > maxend) maxend = en
	if (stamped) { arr[NR] = arrival; end_of[NR] = en; row[NR] = line }
	if (!cum || len == size_ms) sum[f[2]] += f[3]
}
END {
	nw = 0
	for (w in wins) nw++
	if (!check_ts && minwins && nw < minwins) { print nw " distinct windows, want >= " minwins > "/dev/stderr"; bad = 1 }
	if (stamped)
		for (i in arr)
			if (end_of[i] < maxend && arr[i] < end_of[i]) {
				print "arrived " (end_of[i] - arr[i]) " ms before its window ended: " row[i] > "/dev/stderr"
				bad = 1
			}
	if (!check_ts) for (b in sum) print b "|" sum[b]
	exit bad
}
AWK

# the oracle: bids per bidder (times `mult` for HOP)
bidcount() { # EVENTS_DIR MULT
	sh "$oracle/run-oracle.sh" "$here/bid_count.sql" "$1" | awk -F'|' -v m="$2" '{ print $1 "|" $2 * m }' | LC_ALL=C sort
}

# check NAME OUT EVENTS MULT AWKVARS...: windows of OUT vs the oracle
check() {
	name=$1 out=$2 ev=$3 mult=$4
	shift 4
	if ! awk "$@" -f "$tmp/windows.awk" "$out" >"$tmp/sums.u" 2>"$tmp/awk.err"; then
		notok "$name" "$(head -3 "$tmp/awk.err" | tr '\n' ' ')"
		return
	fi
	LC_ALL=C sort "$tmp/sums.u" >"$tmp/sums"
	bidcount "$ev" "$mult" >"$tmp/want"
	if cmp -s "$tmp/want" "$tmp/sums"; then
		ok "$name ($(wc -l <"$out" | tr -d ' ') rows, $(wc -l <"$tmp/sums" | tr -d ' ') bidders)"
	else
		notok "$name" "per-bidder sums differ from the oracle: $(diff "$tmp/want" "$tmp/sums" | head -4 | tr '\n' ' ')"
	fi
}

# ---- q12 as written (SELECT *, PROCTIME() AS p_time; GROUP BY TUMBLE) --
if ! "$SLUICE" gen nexmark --events "$N" --seed 0 --rate 10000000 --out "$tmp/nx" >/dev/null 2>"$tmp/gen.err"; then
	notok "sluice gen nexmark --events $N" "$(head -3 "$tmp/gen.err")"
	exit 1
fi
sed "s/'connector' = 'blackhole'/'connector' = 'print'/" "$SRCDIR/queries/nexmark/q12.sql" >"$tmp/q12.sql"
for p in 1 2; do
	if ! "$SLUICE" run --quiet --events "$N" --parallelism "$p" "$tmp/q12.sql" >"$tmp/q12.$p.raw" 2>"$tmp/q12.$p.err"; then
		notok "q12 --parallelism $p" "sluice run failed: $(head -3 "$tmp/q12.$p.err")"
		continue
	fi
	# rows are [bidder, bid_count, starttime, endtime]: add a tag column
	sed 's/^\([0-9]*> \)\{0,1\}+I\[/+I[q12, /' "$tmp/q12.$p.raw" >"$tmp/q12.$p.out"
	check "q12 --parallelism $p --events $N: per-bidder sums of bid_count = oracle COUNT(*), 10 s windows aligned, none twice" \
		"$tmp/q12.$p.out" "$tmp/nx" 1 -v size_ms=10000
done

# ---- window TVFs over a PROCTIME() computed column of the table --------
sed -n '/^CREATE TABLE nexmark/,/^);/p' "$SRCDIR/queries/nexmark/q0.sql" |
	sed "s/^    WATERMARK FOR/    p AS PROCTIME(),\n    WATERMARK FOR/" >"$tmp/nxp.sql"
if ! grep -q "p AS PROCTIME()" "$tmp/nxp.sql"; then
	notok "nexmark table with p AS PROCTIME()" "the sed of queries/nexmark/q0.sql found no WATERMARK line"
	exit 1
fi
cat "$tmp/nxp.sql" "$here/tvf.sql" >"$tmp/tvf.sql"
for p in 1 2; do
	if ! "$SLUICE" run --quiet --events "$N" --parallelism "$p" "$tmp/tvf.sql" >"$tmp/tvf.$p.out" 2>"$tmp/tvf.$p.err"; then
		notok "proctime window TVFs --parallelism $p" "sluice run failed: $(head -3 "$tmp/tvf.$p.err")"
		continue
	fi
	for k in T H C; do
		sed -n "s/^\([0-9]*> \)\{0,1\}\(+I\[$k, \)/\2/p" "$tmp/tvf.$p.out" >"$tmp/tvf.$p.$k"
	done
	check "TUMBLE(TABLE t, DESCRIPTOR(p), 2 s) --parallelism $p: sums = oracle, aligned, none twice" \
		"$tmp/tvf.$p.T" "$tmp/nx" 1 -v size_ms=2000
	check "HOP(TABLE t, DESCRIPTOR(p), 1 s, 2 s) --parallelism $p: sums = 2 x oracle (each row in 2 windows)" \
		"$tmp/tvf.$p.H" "$tmp/nx" 2 -v size_ms=2000 -v slide_ms=1000
	check "CUMULATE(TABLE t, DESCRIPTOR(p), 1 s, 4 s) --parallelism $p: full-size windows sum to the oracle" \
		"$tmp/tvf.$p.C" "$tmp/nx" 1 -v size_ms=4000 -v slide_ms=1000 -v cum=1
done

# ---- PROCTIME() materialized: selected into a sink, a plain timestamp
# between the run's start and end (whole seconds around it)
cat "$tmp/nxp.sql" "$here/materialize.sql" >"$tmp/mat.sql"
t0=$(date +%s)
if "$SLUICE" run --quiet --events "$N" "$tmp/mat.sql" >"$tmp/mat.out" 2>"$tmp/mat.err"; then
	t1=$(date +%s)
	if "$SLUICE" explain "$tmp/mat.sql" 2>&1 | grep '^Sink' | grep -q 'proctime='; then
		notok "PROCTIME() into a sink is materialized" "the Sink still carries a proctime attribute"
	elif awk -v t0="$t0" -v t1="$t1" -f "$tmp/windows.awk" -v check_ts=1 "$tmp/mat.out" 2>"$tmp/mat.awk"; then
		ok "PROCTIME() selected into TIMESTAMP(3) and TIMESTAMP_LTZ(3) sink columns: the processing time, within the run ($(wc -l <"$tmp/mat.out" | tr -d ' ') rows)"
	else
		notok "PROCTIME() selected into sink columns" "$(head -3 "$tmp/mat.awk" | tr '\n' ' ')"
	fi
else
	notok "PROCTIME() selected into sink columns" "sluice run failed: $(head -3 "$tmp/mat.err")"
fi

# ---- rate-limited q12 over 2 s windows: fires by processing time -------
R=2000
RN=10000
if command -v perl >/dev/null 2>&1 &&
	"$SLUICE" gen nexmark --events "$RN" --seed 0 --rate "$R" --out "$tmp/nxr" >/dev/null 2>&1; then
	sed "s/'connector' = 'blackhole'/'connector' = 'print'/; s/'10000000'/'$R'/g;
	     s/'first-event.rate' = '$R'/'first-event.rate' = '$R', 'rate.limited' = 'true'/;
	     s/INTERVAL '10' SECOND/INTERVAL '2' SECOND/g" "$SRCDIR/queries/nexmark/q12.sql" >"$tmp/q12r.sql"
	for p in 1 2; do
		name="q12 rate-limited ($R events/s, $RN events, 2 s windows) --parallelism $p"
		{
			"$SLUICE" run --quiet --events "$RN" --parallelism "$p" --checkpoint-interval 200ms \
				--state-dir "$tmp/state$p" "$tmp/q12r.sql" 2>"$tmp/q12r.$p.err"
			echo $? >"$tmp/q12r.$p.rc"
		} | perl -MTime::HiRes=time -ne 'BEGIN { $| = 1 } printf "%.3f %s", time, $_' >"$tmp/q12r.$p.stamped"
		if [ "$(cat "$tmp/q12r.$p.rc")" != 0 ]; then
			notok "$name" "sluice run failed: $(head -3 "$tmp/q12r.$p.err")"
			continue
		fi
		sed 's/^\([0-9.]* \)\([0-9]*> \)\{0,1\}+I\[/\1+I[q12, /' "$tmp/q12r.$p.stamped" >"$tmp/q12r.$p.out"
		check "$name: more than one window, each fired at or after its end, sums = oracle" \
			"$tmp/q12r.$p.out" "$tmp/nxr" 1 -v size_ms=2000 -v stamped=1 -v minwins=2
	done
else
	notok "rate-limited q12" "perl or sluice gen nexmark --rate $R missing"
fi

# ---- proctime windows through a failure and a restore --------------------
# A task fails after checkpoint 3 (SLUICE_FAIL_AT) and the job restarts
# from it: windows open at the checkpoint come back with their timers
# (their time has passed: they fire at once), the replayed rows go to new
# windows, the filesystem sink commits exactly once. Lost timers would
# leave windows unfired, double firing or a replayed row counted twice
# would break the per-bidder sums.
RR=5000
RRN=15000
if "$SLUICE" gen nexmark --events "$RRN" --seed 0 --rate "$RR" --out "$tmp/nxrr" >/dev/null 2>&1; then
	{
		echo "SET 'restart-strategy.fixed-delay.delay' = '100 ms';"
		sed "s/'10000000'/'$RR'/g; s/'first-event.rate' = '$RR'/'first-event.rate' = '$RR', 'rate.limited' = 'true'/" "$tmp/nxp.sql"
		sed "s|@OUT@|$tmp/files|" "$here/restart.sql"
	} >"$tmp/restart.sql"
	name="proctime TUMBLE 1 s into the filesystem sink, failure after checkpoint 3, restart from it --parallelism 2"
	if ! SLUICE_FAIL_AT=3 "$SLUICE" run --quiet --events "$RRN" --parallelism 2 --checkpoint-interval 100ms \
		--state-dir "$tmp/strr" "$tmp/restart.sql" >/dev/null 2>"$tmp/restart.err"; then
		notok "$name" "sluice run failed: $(tail -3 "$tmp/restart.err" | tr '\n' ' ')"
	elif ! grep -q 'restored from checkpoint' "$tmp/restart.err"; then
		notok "$name" "no restore reported: $(head -3 "$tmp/restart.err" | tr '\n' ' ')"
	else
		find "$tmp/files" -type f -name 'part-*' -exec cat {} + |
			sed 's/,/, /g; s/^/+I[q12, /; s/$/]/' >"$tmp/restart.out"
		check "$name: sums = oracle, 1 s windows, none twice" "$tmp/restart.out" "$tmp/nxrr" 1 -v size_ms=1000
	fi
else
	notok "proctime restart" "sluice gen nexmark --rate $RR failed"
fi

# ---- deduplication on proctime ----------------------------------------
cat "$tmp/nxp.sql" "$here/dedup.sql" >"$tmp/dedup.sql"
if "$SLUICE" run --quiet --events "$N" --parallelism 1 "$tmp/dedup.sql" >"$tmp/dedup.out" 2>"$tmp/dedup.err"; then
	sed -n 's/^\([-+][IUD]\)\[first, /\1[/p' "$tmp/dedup.out" >"$tmp/first.out"
	sed -n 's/^\([-+][IUD]\)\[last, /\1[/p' "$tmp/dedup.out" >"$tmp/last.out"
	if grep -q "^[-+][UD]\[first" "$tmp/dedup.out"; then
		notok "proctime keep-first dedup is insert-only" "$(grep "^[-+][UD]\[first" "$tmp/dedup.out" | head -2)"
	elif sh "$oracle/compare.sh" "$here/dedup_first.sql" "$tmp/nx" "$tmp/first.out" >"$tmp/first.diff" 2>&1; then
		ok "proctime keep-first dedup (ORDER BY p ASC) --parallelism 1: +I only, the first bid of each bidder ($(wc -l <"$tmp/first.out" | tr -d ' ') rows)"
	else
		notok "proctime keep-first dedup --parallelism 1" "$(head -5 "$tmp/first.diff" | tr '\n' ' ')"
	fi
	if ! grep -q "^-U\[last" "$tmp/dedup.out"; then
		notok "proctime keep-last dedup emits updates" "no -U row"
	elif sh "$oracle/compare.sh" "$here/dedup_last.sql" "$tmp/nx" "$tmp/last.out" >"$tmp/last.diff" 2>&1; then
		ok "proctime keep-last dedup (ORDER BY p DESC) --parallelism 1: -U/+U, final state = the last bid of each bidder ($(wc -l <"$tmp/last.out" | tr -d ' ') changes)"
	else
		notok "proctime keep-last dedup --parallelism 1" "$(head -5 "$tmp/last.diff" | tr '\n' ' ')"
	fi
else
	notok "proctime dedup" "sluice run failed: $(head -3 "$tmp/dedup.err")"
fi

# ---- OVER ordered by proctime ------------------------------------------
# ROWS 2 PRECEDING at p=1: arrival order is generation order, so COUNT and
# SUM over the last three bids equal the oracle's over seq. RANGE
# UNBOUNDED at p=1 and 2: which bids share a millisecond depends on timing,
# but every count is in 1..total and each bidder's largest count is the
# oracle's total (its last millisecond includes every bid).
cat "$tmp/nxp.sql" "$here/over.sql" >"$tmp/over.sql"
for p in 1 2; do
	if ! "$SLUICE" run --quiet --events "$N" --parallelism "$p" "$tmp/over.sql" >"$tmp/over.$p.out" 2>"$tmp/over.$p.err"; then
		notok "OVER ordered by a proctime attribute --parallelism $p" "sluice run failed: $(head -3 "$tmp/over.$p.err")"
		continue
	fi
	if [ "$p" = 1 ]; then
		sed -n 's/^\([-+][IUD]\)\[rows, \(.*\)\]$/\1[\2]/p' "$tmp/over.1.out" >"$tmp/over.rows"
		if grep -qv '^+I' "$tmp/over.rows"; then
			notok "OVER ROWS ordered by proctime is insert-only" "$(grep -v '^+I' "$tmp/over.rows" | head -2)"
		elif sh "$oracle/compare.sh" "$here/over_rows.sql" "$tmp/nx" "$tmp/over.rows" >"$tmp/over.diff" 2>&1; then
			ok "OVER (PARTITION BY bidder ORDER BY p ROWS 2 PRECEDING) COUNT, SUM --parallelism 1 = oracle over arrival order ($(wc -l <"$tmp/over.rows" | tr -d ' ') rows)"
		else
			notok "OVER ROWS 2 PRECEDING ordered by proctime --parallelism 1" "$(head -5 "$tmp/over.diff" | tr '\n' ' ')"
		fi
	fi
	sed -n 's/^\([0-9]*> \)\{0,1\}+I\[range, \(.*\)\]$/\2/p' "$tmp/over.$p.out" |
		awk -F', ' '{ if ($3 + 0 > max[$1] + 0) max[$1] = $3; n[$1]++; if ($3 < 1) bad = 1 }
			END { for (b in max) { if (max[b] != n[b]) bad = 1; print b "|" max[b] } exit bad }' >"$tmp/range.u" 2>&1
	rc=$?
	LC_ALL=C sort "$tmp/range.u" >"$tmp/range"
	bidcount "$tmp/nx" 1 >"$tmp/want"
	if [ "$rc" = 0 ] && cmp -s "$tmp/want" "$tmp/range"; then
		ok "OVER (ORDER BY p RANGE UNBOUNDED PRECEDING) COUNT --parallelism $p: each bidder's largest count = its rows = oracle COUNT(*)"
	else
		notok "OVER RANGE UNBOUNDED ordered by proctime --parallelism $p" "rc $rc; $(diff "$tmp/want" "$tmp/range" | head -4 | tr '\n' ' ')"
	fi
done

# ---- interval join on proctime ------------------------------------------
cat "$tmp/nxp.sql" "$here/interval_join.sql" >"$tmp/ij.sql"
if [ "$("$SLUICE" explain "$tmp/ij.sql" 2>&1 | grep -c 'IntervalJoin(.*(PROCTIME)')" != 2 ]; then
	notok "proctime interval joins plan as IntervalJoin (PROCTIME)" "$("$SLUICE" explain "$tmp/ij.sql" 2>&1 | grep -i join | head -2)"
else
	ok "proctime interval joins plan as IntervalJoin (PROCTIME), not as a regular join"
fi
for p in 1 2; do
	if ! "$SLUICE" run --quiet --events "$N" --parallelism "$p" "$tmp/ij.sql" >"$tmp/ij.$p.out" 2>"$tmp/ij.$p.err"; then
		notok "proctime interval join --parallelism $p" "sluice run failed: $(head -3 "$tmp/ij.$p.err")"
		continue
	fi
	for k in inner left; do
		sed -n "s/^\([0-9]*> \)\{0,1\}\([-+][IUD]\)\[$k, /\2[/p" "$tmp/ij.$p.out" >"$tmp/ij.$k.$p"
		if grep -qv '^+I' "$tmp/ij.$k.$p"; then
			notok "proctime $k interval join --parallelism $p is insert-only" "$(grep -v '^+I' "$tmp/ij.$k.$p" | head -2)"
		elif sh "$oracle/compare.sh" "$here/interval_join_$k.sql" "$tmp/nx" "$tmp/ij.$k.$p" >"$tmp/ij.diff" 2>&1; then
			ok "proctime $k interval join (1 h either way) --parallelism $p = oracle $k join ($(wc -l <"$tmp/ij.$k.$p" | tr -d ' ') rows)"
		else
			notok "proctime $k interval join --parallelism $p" "$(head -5 "$tmp/ij.diff" | tr '\n' ' ')"
		fi
	done
done

# ---- window join over proctime windows: refused by name at planning ----
cat "$tmp/nxp.sql" "$here/window_join.sql" >"$tmp/wj.sql"
if "$SLUICE" explain "$tmp/wj.sql" >/dev/null 2>"$tmp/wj.err"; then
	notok "a window join of processing-time windows is refused" "it planned"
elif grep -q "processing-time window join is not supported yet" "$tmp/wj.err"; then
	ok "a window join of processing-time windows is refused at planning with a clear error"
else
	notok "a window join of processing-time windows is refused with a clear error" "$(head -2 "$tmp/wj.err")"
fi
