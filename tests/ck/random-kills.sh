#!/bin/sh
# random-kills.sh -- exactly-once output under kill -9 (docs/checkpoints.md).
#
# For each query of tests/ck/lib.sh (stateless, window, groupby, ...): run the
# bounded nexmark job with checkpoints every INTERVAL, kill -9 it at a
# random moment, restart it with --restore latest, again and again until
# KILLS kills have landed, then let the last run finish; compare the
# committed output with the SQLite oracle (multisets: 0 lost, 0
# duplicated; groupby, distinct: the final state per key). A run that ends before
# its kill ends the series (it is compared too) and a new series starts
# from scratch, until the query has had KILLS kills.
#
# Environment: SLUICE (./sluice), SRCDIR, KILLS (20), EVENTS (1000000),
# RATE (100000 events per event-time second), LIMITED (true: the source
# also emits RATE events per wall-clock second, so a 1M-event run lasts
# about 10 s and the kills spread over it), INTERVAL (1s), PAR (2),
# QUERIES ("stateless window groupby"), SEED (random), KEEP=1 keeps the
# work dir. Kill moments: with probability AFTER_CK_SHARE (0.7) a uniform
# moment within one interval after the run's first completed checkpoint
# (so that restart restores), else uniform in [0.05 s, MAXWAIT s] from the
# start (default MAXWAIT: a measured uninterrupted run's duration; these
# also hit startup, restore and the first checkpoint). AFTER_CK=1 sets the
# share to 1 (the quick make check mode).
# Prints one TAP line per query with kills, restores, rows compared, lost,
# duplicated; exits 1 if any query fails.

SRCDIR=${SRCDIR:-$(dirname "$0")/../..}
CK_DIR=$SRCDIR/tests/ck
SLUICE=${SLUICE:-./sluice}
case $SLUICE in /*) ;; *) SLUICE=$PWD/$SLUICE ;; esac
KILLS=${KILLS:-20}
EVENTS=${EVENTS:-1000000}
RATE=${RATE:-100000}
CK_RATE_LIMITED=${LIMITED:-true}
export CK_RATE_LIMITED
INTERVAL=${INTERVAL:-1s}
PAR=${PAR:-2}
QUERIES=${QUERIES:-"stateless window groupby"}
SEED=${SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
. "$CK_DIR/lib.sh"

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "ok - random-kills # SKIP sqlite3 not installed"
	exit 0
fi
tmp=$(mktemp -d)
if [ "${KEEP:-0}" = 1 ]; then echo "# work dir $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi
cd "$tmp" || exit 1
echo "# random-kills: KILLS=$KILLS EVENTS=$EVENTS RATE=$RATE LIMITED=$CK_RATE_LIMITED INTERVAL=$INTERVAL PAR=$PAR SEED=$SEED"
"$SLUICE" gen nexmark --events "$EVENTS" --seed 0 --rate "$RATE" --out nx >/dev/null || exit 1

# a stream of random numbers in [0, 1) from SEED
rnd_i=0
rnd() {
	rnd_i=$((rnd_i + 1))
	awk -v s="$SEED" -v i="$rnd_i" 'BEGIN { srand(s + i * 7919); print rand() }'
}

now_ms() { date +%s%3N; }

after_share=${AFTER_CK_SHARE:-0.7}
[ "${AFTER_CK:-0}" = 1 ] && after_share=1
interval_s=$(echo "$INTERVAL" | awk '/ms$/ { sub(/ *ms$/, ""); print $0 / 1000; next }
	/s$/ { sub(/ *s$/, ""); print $0 + 0; next } { print $0 / 1000 }')

fail=0
for q in $QUERIES; do
	osql=$(ck_oracle_sql "$q")
	sh "$SRCDIR/tests/oracle/run-oracle.sh" "$osql" nx >"$q.oracle" || { echo "not ok - $q: oracle failed"; fail=1; continue; }
	if [ -n "${MAXWAIT:-}" ] || [ "$after_share" = 1 ]; then
		maxwait=${MAXWAIT:-1}
	else
		# an uninterrupted run's duration bounds the kill moments
		rm -rf base st.base
		ck_sql "$q" "$EVENTS" "$RATE" "$tmp/base" >base.sql
		t0=$(now_ms)
		"$SLUICE" run --quiet --parallelism "$PAR" --checkpoint-interval "$INTERVAL" \
			--state-dir st.base base.sql >/dev/null 2>base.err
		t1=$(now_ms)
		maxwait=$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.2f", d / 1000 }')
	fi
	kills=0 restores=0 series=0 rows=0 lost=0 dup=0 qfail=""
	while [ "$kills" -lt "$KILLS" ] && [ -z "$qfail" ]; do
		series=$((series + 1))
		out=$tmp/out.$q.$series
		rm -rf "$out" st
		ck_sql "$q" "$EVENTS" "$RATE" "$out" >job.sql
		run=0 restore=""
		while :; do
			run=$((run + 1))
			"$SLUICE" run --quiet --verbose --parallelism "$PAR" --checkpoint-interval "$INTERVAL" \
				--state-dir st $restore job.sql >"run.$q.$series.$run.out" 2>"run.$q.$series.$run.err" &
			pid=$!
			if [ "$kills" -lt "$KILLS" ]; then
				mode=$(awk -v r="$(rnd)" -v s="$after_share" 'BEGIN { print (r < s) ? "ck" : "any" }')
				if [ "$mode" = ck ]; then
					i=0
					while [ $i -lt 500 ] && kill -0 "$pid" 2>/dev/null &&
						! grep -q '^sluice: checkpoint [0-9]* complete' "run.$q.$series.$run.err"; do
						sleep 0.02
						i=$((i + 1))
					done
					w=$(awk -v r="$(rnd)" -v i="$interval_s" 'BEGIN { printf "%.3f", r * i }')
				else
					w=$(awk -v r="$(rnd)" -v m="$maxwait" 'BEGIN { printf "%.3f", 0.05 + r * (m - 0.05) }')
				fi
				sleep "$w"
				if kill -9 "$pid" 2>/dev/null; then
					wait "$pid" 2>/dev/null
					kills=$((kills + 1))
					restore="--restore latest"
					continue
				fi
			fi
			wait "$pid"
			rc=$?
			if [ "$rc" -ne 0 ]; then
				qfail="run $series.$run exited $rc: $(tail -2 "run.$q.$series.$run.err" | tr '\n' ' ')"
			fi
			break
		done
		restores=$((restores + $(cat run.$q.$series.*.err | grep -c '^sluice: restored from checkpoint')))
		[ -n "$qfail" ] && break
		if [ "$q" = groupby ] || [ "$q" = distinct ]; then
			files=$(for i in $(seq 1 "$run"); do echo "run.$q.$series.$i.out"; done)
			# shellcheck disable=SC2086
			ck_final_state $files >final.$series
			if sh "$SRCDIR/tests/oracle/compare.sh" "$osql" nx final.$series >diff.$series 2>&1; then
				r=$(wc -l <"$q.oracle")
				rows=$((rows + r))
			else
				qfail="series $series: final state differs from the oracle: $(head -4 diff.$series | tr '\n' ' ')"
				lost=$((lost + $(grep -c '^-' diff.$series)))
				dup=$((dup + $(grep -c '^+' diff.$series)))
			fi
		else
			ck_committed "$q" "$out" >rows.$series
			res=$(ck_multiset_diff "$q.oracle" rows.$series) || qfail="series $series: $res"
			eval "$(echo "$res" | sed 's/rows=\([0-9]*\) lost=\([0-9]*\) duplicated=\([0-9]*\)/r=\1 l=\2 d=\3/')"
			rows=$((rows + r)) lost=$((lost + l)) dup=$((dup + d))
			if find "$out" -name '.*inprogress' | grep -q .; then
				qfail="series $series: in-progress files left behind"
			fi
		fi
	done
	summary="$q: $kills kills, $restores restores, $series series, $rows rows compared, $lost lost, $dup duplicated"
	if [ -z "$qfail" ]; then
		echo "ok - random-kills $summary"
	else
		echo "not ok - random-kills $summary"
		echo "#   $qfail"
		fail=1
	fi
done
exit $fail
