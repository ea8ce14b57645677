#!/bin/sh
# run-rank-ck.sh -- Top-N, window Top-N and OVER state survives a
# stop-with-savepoint and a resume at another parallelism: the job runs at
# p=2, is stopped (SIGTERM: savepoint) part-way, resumes from the savepoint
# at p=1, and the two runs' printed changelogs together must give the
# oracle's answer (tests/oracle/compare.sh). The savepoint holds the
# operators' keyed state (sorted buffers, pending OVER rows, frame rows,
# timers) split by key group, so the resumed run redistributes it.
# make check runs it from the build directory with SRCDIR set.
SRCDIR=${SRCDIR:-$(dirname "$0")/../..}
SLUICE=${SLUICE:-./sluice}
case $SLUICE in /*) ;; *) SLUICE=$PWD/$SLUICE ;; esac
N=${RUN_RANK_CK_EVENTS:-100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; [ -n "${2:-}" ] && echo "#   $2"; }

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "ok - run-rank-ck # SKIP sqlite3 not installed"
	exit 0
fi
cd "$tmp" || exit 1
# NAME:RATE
TESTS=${RUN_RANK_CK_TESTS:-"rank_updating:10000 over_rows:100 window_rank:1000"}
for t in $TESTS; do
	q=${t%%:*}
	rate=${t#*:}
	[ -d "nx$rate" ] || "$SLUICE" gen nexmark --events "$N" --seed 0 --rate "$rate" --out "nx$rate" >/dev/null || exit 1
	sed "s/@RATE@/$rate/g" "$SRCDIR/tests/rank/nexmark.sql.in" >"$q.sql"
	cat "$SRCDIR/tests/rank/$q.sql" >>"$q.sql"
	name="$q: stopped with a savepoint at p=2, resumed at p=1, matches the oracle"
	# The first run is paced ('rate.limited': first-event.rate events per
	# wall-clock second, the same events) and stopped with a savepoint
	# after ~1 s, so the savepoint lands part-way however loaded the
	# machine is; the restored run reads the rest unpaced.
	sed "s/'first-event.rate' = '$rate'/'first-event.rate' = '$rate', 'rate.limited' = 'true'/" \
		"$q.sql" >"$q.paced.sql"
	done_ok=
	rm -rf st sp
	"$SLUICE" run --quiet --events "$N" --parallelism 2 --checkpoint-interval 50ms \
		--state-dir st --stop-with-savepoint sp "$q.paced.sql" >run1.out 2>run1.err &
	pid=$!
	sleep 1
	kill -TERM "$pid" 2>/dev/null
	wait "$pid"
	if grep -q '^sluice: savepoint [0-9]* written' run1.err; then
		if ! "$SLUICE" run --quiet --events "$N" --parallelism 1 --checkpoint-interval 100ms \
			--state-dir st --restore sp "$q.sql" >run2.out 2>run2.err; then
			done_ok=failed
		elif [ -s run2.out ]; then
			done_ok=1
		fi
	fi
	if [ "$done_ok" = failed ]; then
		notok "$name" "the restored run failed: $(tail -2 run2.err | tr '\n' ' ')"
		continue
	fi
	if [ -z "$done_ok" ]; then
		notok "$name" "no savepoint part-way: $(tail -2 run1.err | tr '\n' ' ')"
		continue
	fi
	cat run1.out run2.out >all.out
	if sh "$SRCDIR/tests/oracle/compare.sh" "$SRCDIR/tests/rank/$q.oracle.sql" "nx$rate" all.out >diff 2>&1; then
		ok "$name ($(wc -l <run1.out | tr -d ' ') + $(wc -l <run2.out | tr -d ' ') rows)"
	else
		notok "$name" "$(head -5 diff | tr '\n' ' ')"
	fi
done
