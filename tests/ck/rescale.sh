#!/bin/sh
# rescale.sh -- stop with a savepoint, resume at another parallelism
# (docs/checkpoints.md): 2 -> 1 and 1 -> 2, for the window query (into the
# exactly-once filesystem sink: committed rows equal the oracle as a
# multiset) and the groupby query (print sink: the final state per key of
# both runs' output equals the oracle).
#
# The source is paced (rate.limited) at RATE events per second, so run 1
# lasts EVENTS/RATE seconds whatever the machine's load; it gets SIGTERM
# with --stop-with-savepoint DIR at a random 20-60 % of that and must exit
# 0 having written the savepoint; run 2 is `--restore DIR --parallelism N`
# (unpaced). If run 1 ends before the signal, it is repeated with an
# earlier one.
#
# Environment: SLUICE, SRCDIR, EVENTS (300000), RATE (100000), INTERVAL
# (200ms, checkpoints of both runs), QUERIES ("window groupby"), SEED,
# KEEP=1.

SRCDIR=${SRCDIR:-$(dirname "$0")/../..}
CK_DIR=$SRCDIR/tests/ck
SLUICE=${SLUICE:-./sluice}
case $SLUICE in /*) ;; *) SLUICE=$PWD/$SLUICE ;; esac
EVENTS=${EVENTS:-300000}
RATE=${RATE:-100000}
INTERVAL=${INTERVAL:-200ms}
QUERIES=${QUERIES:-"window groupby"}
SEED=${SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
. "$CK_DIR/lib.sh"

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "ok - rescale # SKIP sqlite3 not installed"
	exit 0
fi
tmp=$(mktemp -d)
if [ "${KEEP:-0}" = 1 ]; then echo "# work dir $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi
cd "$tmp" || exit 1
"$SLUICE" gen nexmark --events "$EVENTS" --seed 0 --rate "$RATE" --out nx >/dev/null || exit 1
now_ms() { date +%s%3N; }

fail=0 k=0
for q in $QUERIES; do
	osql=$(ck_oracle_sql "$q")
	sh "$SRCDIR/tests/oracle/run-oracle.sh" "$osql" nx >"$q.oracle" || exit 1
	for pp in "2 1" "1 2"; do
		set -- $pp
		from=$1 to=$2
		name="rescale $q $from -> $to"
		# the paced run lasts EVENTS/RATE seconds
		dur=$((EVENTS * 1000 / RATE))
		share=$(awk -v s="$SEED" -v k="$k" 'BEGIN { srand(s + k); printf "%.2f", 0.2 + 0.4 * rand() }')
		k=$((k + 1))
		ok=""
		for try in 1 2 3; do
			out=$tmp/out.$q.$from.$to
			rm -rf "$out" st sp
			CK_RATE_LIMITED=true ck_sql "$q" "$EVENTS" "$RATE" "$out" >job1.sql
			ck_sql "$q" "$EVENTS" "$RATE" "$out" >job.sql
			"$SLUICE" run --quiet --parallelism "$from" --checkpoint-interval "$INTERVAL" \
				--state-dir st --stop-with-savepoint sp job1.sql >run1.out 2>run1.err &
			pid=$!
			sleep "$(awk -v d="$dur" -v f="$share" 'BEGIN { printf "%.3f", d * f / 1000 }')"
			kill -TERM "$pid" 2>/dev/null
			wait "$pid"
			rc=$?
			if grep -q '^sluice: savepoint [0-9]* written' run1.err; then
				ok=1
				break
			fi
			share=$(awk -v f="$share" 'BEGIN { printf "%.2f", f / 2 }')
		done
		if [ -z "$ok" ] || [ "$rc" -ne 0 ]; then
			echo "not ok - $name: no savepoint (rc $rc: $(tail -2 run1.err | tr '\n' ' '))"
			fail=1
			continue
		fi
		spid=$(grep -o 'savepoint [0-9]* written' run1.err | awk '{ print $2 }')
		if ! "$SLUICE" run --quiet --parallelism "$to" --checkpoint-interval "$INTERVAL" \
			--state-dir st --restore sp job.sql >run2.out 2>run2.err; then
			echo "not ok - $name: the restored run failed: $(tail -2 run2.err | tr '\n' ' ')"
			fail=1
			continue
		fi
		if [ "$q" = groupby ]; then
			ck_final_state run1.out run2.out >final
			if sh "$SRCDIR/tests/oracle/compare.sh" "$osql" nx final >diff 2>&1; then
				echo "ok - $name (savepoint $spid after ${share} of the run; $(wc -l <"$q.oracle" | tr -d ' ') keys equal the oracle)"
			else
				echo "not ok - $name (savepoint $spid): $(head -4 diff | tr '\n' ' ')"
				fail=1
			fi
		else
			ck_committed "$q" "$out" >rows
			if res=$(ck_multiset_diff "$q.oracle" rows); then
				echo "ok - $name (savepoint $spid after ${share} of the run; $res)"
			else
				echo "not ok - $name (savepoint $spid; $res)"
				fail=1
			fi
		fi
	done
done
exit $fail
