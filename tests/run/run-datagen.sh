#!/bin/sh
# run-datagen.sh -- `sluice run` with the datagen source: bounded sequences
# give exact totals at parallelism 1 and 2, a bare SELECT prints its rows
# with their changelog kinds, and the same rows come out at any parallelism.
# make check runs it from the build directory (./sluice) with SRCDIR set.
SLUICE=${SLUICE:-./sluice}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; [ -n "${2:-}" ] && echo "#   $2"; }

cat >"$tmp/total.sql" <<'SQL'
CREATE TABLE src (id BIGINT, k INT) WITH ('connector' = 'datagen',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '100000',
  'fields.k.min' = '0', 'fields.k.max' = '9');
CREATE TABLE out (n BIGINT, s BIGINT) WITH ('connector' = 'print');
INSERT INTO out SELECT COUNT(*), SUM(id) FROM src;
SQL
for p in 1 2; do
	got=$("$SLUICE" run --quiet --parallelism $p "$tmp/total.sql" 2>&1 | tail -1)
	if [ "$got" = "+U[100000, 5000050000]" ]; then
		ok "datagen sequence 1..100000 sums exactly at parallelism $p"
	else
		notok "datagen sequence 1..100000 sums exactly at parallelism $p" "got: $got"
	fi
done

cat >"$tmp/select.sql" <<'SQL'
CREATE TABLE src (id INT, name VARCHAR, r BIGINT) WITH ('connector' = 'datagen',
  'number-of-rows' = '5000', 'fields.id.kind' = 'sequence', 'fields.id.start' = '0',
  'fields.id.end' = '9999', 'fields.name.length' = '8', 'fields.r.min' = '-5', 'fields.r.max' = '5');
SELECT id, name, r FROM src WHERE r >= 0;
SQL
"$SLUICE" run --quiet "$tmp/select.sql" >"$tmp/s1" 2>&1
"$SLUICE" run --quiet --parallelism 2 "$tmp/select.sql" 2>&1 | sed 's/^[0-9]*> //' >"$tmp/s2"
n=$(grep -c '^+I\[' "$tmp/s1")
if [ "$n" -gt 2000 ] && [ "$n" -lt 3500 ] && ! grep -v '^+I\[[0-9]*, [a-z]\{8\}, [0-5]\]$' "$tmp/s1" >/dev/null; then
	ok "a bare SELECT over datagen prints +I rows in Flink's format ($n rows)"
else
	notok "a bare SELECT over datagen prints +I rows in Flink's format" "$(head -3 "$tmp/s1")"
fi
if sort "$tmp/s1" | cmp -s - "$(sort "$tmp/s2" >"$tmp/s2s"; echo "$tmp/s2s")"; then
	ok "datagen gives the same rows at parallelism 1 and 2"
else
	notok "datagen gives the same rows at parallelism 1 and 2"
fi

# two INSERTs of one file run as one job; the second query reads only k,
# yet the table's sequence column still bounds it
cat >"$tmp/two.sql" <<'SQL'
CREATE TABLE src (id BIGINT, k INT) WITH ('connector' = 'datagen',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000',
  'fields.k.min' = '0', 'fields.k.max' = '9');
CREATE TABLE a (n BIGINT) WITH ('connector' = 'print');
CREATE TABLE b (k INT, n BIGINT) WITH ('connector' = 'print');
INSERT INTO a SELECT COUNT(*) FROM src;
INSERT INTO b SELECT k, COUNT(*) FROM src GROUP BY k;
SQL
for p in 1 2; do
	"$SLUICE" run --quiet --parallelism $p "$tmp/two.sql" 2>&1 | sed 's/^[0-9]*> //' >"$tmp/two.$p"
	total=$(grep -E '^\+U\[[0-9]+\]$' "$tmp/two.$p" | tail -1)
	# final count per k: the last +I/+U row of each k, summed
	perk=$(grep -E '^\+[IU]\[[0-9], ' "$tmp/two.$p" | awk -F'[][, ]+' '{last[$2] = $3} END {s = 0; for (k in last) s += last[k]; print s}')
	if [ "$total" = "+U[1000]" ] && [ "$perk" = "1000" ]; then
		ok "two INSERTs over a bounded datagen table run as one job at parallelism $p"
	else
		notok "two INSERTs over a bounded datagen table run as one job at parallelism $p" "total=$total per-k sum=$perk"
	fi
done
