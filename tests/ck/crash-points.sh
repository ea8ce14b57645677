#!/bin/sh
# crash-points.sh -- every named crash point at the first, a middle and the
# last checkpoint; after each crash the job restarts with --restore latest
# and its committed output must equal the oracle (docs/checkpoints.md).
#
# SLUICE_CRASH_AT=POINT:ID makes the process abort() at POINT of checkpoint
# ID (runtime/checkpoint.c; the 2PC points live in the filesystem sink).
# The job is tests/ck/lib.sh's "window" query (TUMBLE aggregation at
# parallelism 2 behind a hash exchange, so alignment happens) into the
# exactly-once filesystem sink. A baseline run counts the checkpoints C of
# an uninterrupted run (the last one, C, is the final checkpoint taken
# after the end of the input); ids are 1, C/2 and C for the points the
# final checkpoint passes, and C-1 (the last checkpoint carrying
# barriers) for barrier-received and mid-alignment. Checkpoint timing
# varies between runs (whether checkpoint 1 already has files to commit,
# whether the final checkpoint still has any): when a run ends without
# reaching its point, a neighbouring id (or "final" again) is tried, up to
# 4 runs; "not reached" fails.
#
# Environment: SLUICE, SRCDIR, EVENTS (200000), RATE (10000), LIMITED
# (false; true paces the source at RATE events/s, so the run lasts
# EVENTS/RATE s and has periodic checkpoints under any load), QUERY
# (window; stateless has no alignment but commits files at every
# checkpoint), INTERVAL (100ms), PAR (2), POINTS (all seven), WHICH
# ("first middle last"), KEEP=1.

SRCDIR=${SRCDIR:-$(dirname "$0")/../..}
CK_DIR=$SRCDIR/tests/ck
SLUICE=${SLUICE:-./sluice}
case $SLUICE in /*) ;; *) SLUICE=$PWD/$SLUICE ;; esac
EVENTS=${EVENTS:-200000}
RATE=${RATE:-10000}
QUERY=${QUERY:-window}
CK_RATE_LIMITED=${LIMITED:-false}
export CK_RATE_LIMITED
INTERVAL=${INTERVAL:-100ms}
PAR=${PAR:-2}
POINTS=${POINTS:-"barrier-received mid-alignment mid-snapshot after-snapshot-before-ack after-metadata-before-notify after-notify-before-commit mid-commit"}
WHICH=${WHICH:-"first middle last"}
. "$CK_DIR/lib.sh"

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "ok - crash-points # SKIP sqlite3 not installed"
	exit 0
fi
tmp=$(mktemp -d)
if [ "${KEEP:-0}" = 1 ]; then echo "# work dir $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi
cd "$tmp" || exit 1
"$SLUICE" gen nexmark --events "$EVENTS" --seed 0 --rate "$RATE" --out nx >/dev/null || exit 1
sh "$SRCDIR/tests/oracle/run-oracle.sh" "$(ck_oracle_sql "$QUERY")" nx >oracle || exit 1

run() { # run OUTDIR EXTRA-ARGS...: one run of the job, stderr to run.err
	o=$1
	shift
	ck_sql "$QUERY" "$EVENTS" "$RATE" "$tmp/$o" >job.sql
	"$SLUICE" run --quiet --verbose --parallelism "$PAR" --checkpoint-interval "$INTERVAL" \
		--state-dir st "$@" job.sql >/dev/null 2>run.err
}

rm -rf st base
run base
c=$(grep -c '^sluice: checkpoint [0-9]* complete' run.err)
need=3
[ "$WHICH" = middle ] && need=2     # one periodic checkpoint and the final one
if [ "$c" -lt "$need" ]; then
	echo "not ok - crash-points: the baseline run took only $c checkpoints (need $need; raise EVENTS)"
	exit 1
fi
echo "# baseline: $c checkpoints (the last is the final one)"

fail=0 n=0
for p in $POINTS; do
	for w in $WHICH; do
		# ids to try, in order (timing decides whether a checkpoint has
		# files to commit, or barriers to align)
		m=$(((c + 1) / 2))
		case $w in
		first) ids="1 2 3" ;;
		middle) ids="$m $((m - 1)) $((m + 1)) $((m + 2))" ;;
		last)
			case $p in
			barrier-received | mid-alignment) ids="$((c - 1)) $((c - 2)) $((c - 1))" ;;
			*) ids="final final final $((c - 1))" ;;
			esac
			;;
		esac
		hit=""
		for id in $ids; do
			[ "$id" = final ] || [ "$id" -ge 1 ] || continue
			n=$((n + 1))
			rm -rf st "out$n"
			SLUICE_CRASH_AT="$p:$id" run "out$n"
			rc=$?
			if grep -q "crash point $p at checkpoint" run.err; then
				hit=$(grep -o "crash point $p at checkpoint [0-9]*" run.err | head -1 | awk '{ print $NF }')
				break
			fi
			[ "$rc" -ne 0 ] && break
		done
		name="crash-points $p at the $w checkpoint"
		if [ -z "$hit" ]; then
			echo "not ok - $name: not reached (rc $rc: $(tail -1 run.err))"
			fail=1
			continue
		fi
		if [ "$rc" -ne 134 ]; then
			echo "not ok - $name: exit status $rc, expected 134 (abort)"
			fail=1
			continue
		fi
		if ! run "out$n" --restore latest; then
			echo "not ok - $name: the restored run failed: $(tail -2 run.err | tr '\n' ' ')"
			fail=1
			continue
		fi
		restored=$(grep -o 'restored from checkpoint [0-9]*' run.err | awk '{ print $NF }')
		ck_committed "$QUERY" "out$n" >rows
		if res=$(ck_multiset_diff oracle rows); then
			echo "ok - $name ($hit; restored from ${restored:-nothing}; $res)"
		else
			echo "not ok - $name ($hit; restored from ${restored:-nothing}; $res)"
			fail=1
		fi
	done
done
exit $fail
