#!/bin/sh
# run-ck.sh -- the checkpoint tests as make check runs them (small and
# quick; the full runs are the scripts themselves, see docs/checkpoints.md):
#   - random-kills.sh: 1 kill -9 for window, groupby and distinct (after the run's first
#     checkpoint, so the restart restores), 150k events paced at 100k/s,
#     50 ms interval; and for windowjoin (a WindowJoin restored with rows
#     buffered), 120k events paced at 30k/s (4 s of 1 s windows)
#   - crash-points.sh: mid-alignment (window) and mid-commit (stateless) at
#     a middle checkpoint, the source paced so periodic checkpoints happen
#   - crash-points.sh: q7 (regular join whose bids are swept by watermark
#     retention) crashed mid-snapshot at a middle checkpoint
#   - rescale.sh: the window query 2 -> 1 and 1 -> 2 through a savepoint
#   - restart strategy: a task failure injected after checkpoint 1
#     (SLUICE_FAIL_AT) restarts the job inside the process from its latest
#     checkpoint; the committed output equals the oracle
#   - checkpoint timeout: every checkpoint aborts, the final one three
#     times, then the job fails with that error
# Run from the build dir with SRCDIR set. TAP lines.

SRCDIR=${SRCDIR:-$(dirname "$0")/../..}
CK_DIR=$SRCDIR/tests/ck
SLUICE=${SLUICE:-./sluice}
case $SLUICE in /*) ;; *) SLUICE=$PWD/$SLUICE ;; esac
export SRCDIR SLUICE
fail=0

KILLS=1 AFTER_CK=1 EVENTS=150000 RATE=100000 LIMITED=true INTERVAL=50ms QUERIES="window groupby distinct" \
	sh "$CK_DIR/random-kills.sh" || fail=1
KILLS=1 AFTER_CK=1 EVENTS=120000 RATE=30000 LIMITED=true INTERVAL=50ms QUERIES=windowjoin \
	sh "$CK_DIR/random-kills.sh" || fail=1
POINTS=mid-alignment WHICH=middle EVENTS=200000 RATE=100000 LIMITED=true INTERVAL=50ms \
	sh "$CK_DIR/crash-points.sh" || fail=1
POINTS=mid-commit WHICH=middle QUERY=stateless EVENTS=200000 RATE=100000 LIMITED=true \
	INTERVAL=50ms sh "$CK_DIR/crash-points.sh" || fail=1
# q7's regular join with watermark retention: crashed at the middle
# checkpoint (about 5 s into 10 s of events: sweeps have dropped bids),
# restored, compared with the oracle
QUERY=q7 POINTS=mid-snapshot WHICH=middle EVENTS=300000 RATE=30000 LIMITED=true INTERVAL=500ms \
	sh "$CK_DIR/crash-points.sh" || fail=1
QUERIES=window EVENTS=300000 sh "$CK_DIR/rescale.sh" || fail=1

# restart strategy
if command -v sqlite3 >/dev/null 2>&1; then
	. "$CK_DIR/lib.sh"
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	(
		cd "$tmp" || exit 1
		"$SLUICE" gen nexmark --events 300000 --seed 0 --rate 10000 --out nx >/dev/null || exit 1
		sh "$SRCDIR/tests/oracle/run-oracle.sh" "$CK_DIR/oracle_window.sql" nx >oracle || exit 1
		{
			echo "SET 'restart-strategy.fixed-delay.delay' = '100 ms';"
			ck_sql window 300000 10000 "$tmp/out"
		} >job.sql
		if ! SLUICE_FAIL_AT=1 "$SLUICE" run --quiet --parallelism 2 --checkpoint-interval 50ms \
			--state-dir st job.sql >/dev/null 2>err; then
			echo "not ok - restart strategy: the job failed: $(tail -2 err | tr '\n' ' ')"
			exit 1
		fi
		if ! grep -q 'restarting from the latest checkpoint' err ||
			! grep -q 'restored from checkpoint' err; then
			echo "not ok - restart strategy: no restart reported: $(head -3 err | tr '\n' ' ')"
			exit 1
		fi
		ck_committed window out >rows
		if res=$(ck_multiset_diff oracle rows); then
			echo "ok - restart strategy: injected failure, restarted from $(grep -o 'checkpoint [0-9]*' err | tail -1), $res"
		else
			echo "not ok - restart strategy: $res"
			exit 1
		fi
		# a checkpoint timeout aborts checkpoints; the final one is retried,
		# then the job fails with a clear error (restarts off)
		{
			echo "SET 'execution.checkpointing.timeout' = '1 ms';"
			echo "SET 'restart-strategy.type' = 'none';"
			ck_sql window 20000 10000 "$tmp/out2"
		} >timeout.sql
		"$SLUICE" run --quiet --verbose --parallelism 2 --checkpoint-interval 20ms \
			--state-dir st2 timeout.sql >/dev/null 2>err2
		rc=$?
		if [ "$rc" -eq 1 ] && grep -q 'aborted: timeout' err2 &&
			grep -q 'the final checkpoint failed 3 times' err2; then
			echo "ok - checkpoint timeout: $(grep -c 'aborted: timeout' err2) checkpoints aborted, the job fails with the final checkpoint's error"
		else
			echo "not ok - checkpoint timeout: rc $rc: $(tail -3 err2 | tr '\n' ' ')"
			exit 1
		fi
	) || fail=1
fi
exit $fail
