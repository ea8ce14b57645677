#!/bin/sh
# restore-nock.sh -- a job restored from a savepoint WITHOUT checkpointing
# of its own (no --checkpoint-interval) runs to the end and exits 0 with
# every row counted once. It used to crash at the end of input: an ended
# instance tried to acknowledge the restored checkpoint to a coordinator
# the job did not have (runtime/job.c input_end).
# Run from the build dir with SRCDIR set. TAP lines.

SLUICE=${SLUICE:-./sluice}
case $SLUICE in /*) ;; *) SLUICE=$PWD/$SLUICE ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; [ -n "${2:-}" ] && echo "#   $2"; }

# 200,000 rows paced at 50,000/s: the savepoint lands part-way
cat >q.sql <<'SQL'
CREATE TABLE g (id BIGINT) WITH ('connector' = 'datagen', 'fields.id.kind' = 'sequence',
  'fields.id.start' = '1', 'fields.id.end' = '200000', 'rows-per-second' = '50000');
SELECT MOD(id, 3) AS k, COUNT(*) AS c FROM g GROUP BY MOD(id, 3);
SQL
"$SLUICE" run --quiet --parallelism 2 --checkpoint-interval 100ms --state-dir st \
	--stop-with-savepoint sp q.sql >r1.out 2>r1.err &
pid=$!
sleep 1
kill -TERM "$pid" 2>/dev/null
wait "$pid"
name="restored without checkpointing: exits 0 and counts every row once"
if ! grep -q '^sluice: savepoint [0-9]* written' r1.err; then
	notok "$name" "no savepoint: $(tail -2 r1.err | tr '\n' ' ')"
	exit 0
fi
"$SLUICE" run --quiet --parallelism 1 --state-dir st --restore sp q.sql >r2.out 2>r2.err
rc=$?
# final count per key: the last +I/+U of each key over both runs
final=$(cat r1.out r2.out | sed -n 's/^+[IU]\[\([0-9]*\), \([0-9]*\)\]$/\1 \2/p' |
	awk '{ c[$1] = $2 } END { for (k in c) printf "%s=%s\n", k, c[k] }' | sort | tr '\n' ' ')
if [ $rc -eq 0 ] && [ "$final" = "0=66666 1=66667 2=66667 " ]; then
	ok "$name"
else
	notok "$name" "exit $rc, final counts: $final $(tail -2 r2.err | tr '\n' ' ')"
fi

# the same into the exactly-once filesystem sink: the restored run has no
# final checkpoint, so the end of its input must commit its files
cat >f.sql <<SQL
CREATE TABLE g (id BIGINT) WITH ('connector' = 'datagen', 'fields.id.kind' = 'sequence',
  'fields.id.start' = '1', 'fields.id.end' = '200000', 'rows-per-second' = '50000');
CREATE TABLE o (id BIGINT) WITH ('connector' = 'filesystem', 'path' = '$tmp/out', 'format' = 'csv');
INSERT INTO o SELECT id FROM g;
SQL
rm -rf st sp
"$SLUICE" run --quiet --parallelism 2 --checkpoint-interval 100ms --state-dir st \
	--stop-with-savepoint sp f.sql >/dev/null 2>f1.err &
pid=$!
sleep 1
kill -TERM "$pid" 2>/dev/null
wait "$pid"
name="filesystem sink restored without checkpointing: every row committed once"
if ! grep -q '^sluice: savepoint [0-9]* written' f1.err; then
	notok "$name" "no savepoint: $(tail -2 f1.err | tr '\n' ' ')"
	exit 0
fi
"$SLUICE" run --quiet --parallelism 1 --state-dir st --restore sp f.sql >/dev/null 2>f2.err
rc=$?
got=$(find out -name 'part-*' -exec cat {} + | sort -n | uniq | wc -l | tr -d ' ')
all=$(find out -name 'part-*' -exec cat {} + | wc -l | tr -d ' ')
hidden=$(find out -name '.*inprogress*' | wc -l | tr -d ' ')
if [ $rc -eq 0 ] && [ "$got" = 200000 ] && [ "$all" = 200000 ] && [ "$hidden" = 0 ]; then
	ok "$name"
else
	notok "$name" "exit $rc, $all rows, $got distinct, $hidden in-progress files $(tail -2 f2.err | tr '\n' ' ')"
fi
