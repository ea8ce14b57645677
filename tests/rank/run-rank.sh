#!/bin/sh
# run-rank.sh -- Top-N, window Top-N and OVER aggregation (runtime/op_rank.c,
# runtime/op_over.c) checked against the SQLite oracle at parallelism 1 and 2.
#
# Each tests/rank/NAME.sql is a query over the nexmark table of
# nexmark.sql.in (the event rate put in for @RATE@), with a print sink; its
# batch equivalent is NAME.oracle.sql over the tables of tests/oracle/load.sh.
# tests/oracle/compare.sh applies the printed changelog (so updating results
# compare by final state) and diffs with the oracle. The ORDER BYs are total
# (or the times distinct, at 100 events/s), or the ranking is RANK() or
# DENSE_RANK() (peers share a rank), so that the result does not depend on
# arrival order and parallel runs must match exactly.
# make check runs it from the build directory with SRCDIR set.
SRCDIR=${SRCDIR:-$(dirname "$0")/../..}
SLUICE=${SLUICE:-./sluice}
N=${RUN_RANK_EVENTS:-20000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok - $1"; }
notok() { echo "not ok - $1"; [ -n "${2:-}" ] && echo "#   $2"; }

if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "ok - run-rank # SKIP sqlite3 not installed"
	exit 0
fi
# NAME:RATE (events per event-time second), @1: parallelism 1 only (the
# result follows arrival order)
TESTS=${RUN_RANK_TESTS:-"rank_total:10000000 rank_norank:10000000 rank_updating:10000000
	window_rank:1000 over_rows:100 over_named:100 over_range:100 over_unbounded:100
	over_unbounded_range:10000000 over_updating:10000000 q19_prices:10000000 dedup_first:100
	dedup_proctime:10000000@1 rank_ties:10000000 dense_norank:10000000 dense_updating:10000000
	rank_updating_norank:10000000 window_dense:1000"}
for t in $TESTS; do
	q=${t%%:*}
	rate=${t#*:}
	pars="1 2"
	case $rate in *@1) rate=${rate%@1}; pars=1 ;; esac
	if [ ! -d "$tmp/nx$rate" ] &&
		! "$SLUICE" gen nexmark --events "$N" --seed 0 --rate "$rate" --out "$tmp/nx$rate" >/dev/null 2>"$tmp/gen.err"; then
		notok "sluice gen nexmark --events $N --rate $rate" "$(head -3 "$tmp/gen.err")"
		continue
	fi
	sed "s/@RATE@/$rate/g" "$SRCDIR/tests/rank/nexmark.sql.in" >"$tmp/$q.sql"
	cat "$SRCDIR/tests/rank/$q.sql" >>"$tmp/$q.sql"
	for p in $pars; do
		name="$q ($rate events/s) --parallelism $p --events $N matches the oracle"
		if ! "$SLUICE" run --quiet --events "$N" --parallelism "$p" "$tmp/$q.sql" >"$tmp/$q.$p.out" 2>"$tmp/$q.$p.err"; then
			notok "$name" "sluice run failed: $(head -3 "$tmp/$q.$p.err")"
			continue
		fi
		if sh "$SRCDIR/tests/oracle/compare.sh" "$SRCDIR/tests/rank/$q.oracle.sql" "$tmp/nx$rate" \
			"$tmp/$q.$p.out" >"$tmp/$q.$p.diff" 2>&1; then
			ok "$name ($(wc -l <"$tmp/$q.$p.out" | tr -d ' ') rows)"
		else
			notok "$name" "$(head -5 "$tmp/$q.$p.diff" | tr '\n' ' ')"
		fi
	done
done

# the changelogs really retract: Top-N shifts ranks (-U/+U); OVER over an
# updating input retracts rows (-D) and updates the frames they were in
if grep -q '^-U\[' "$tmp/rank_total.1.out" 2>/dev/null && grep -q '^-D\[' "$tmp/over_updating.1.out" 2>/dev/null; then
	ok "Top-N emits -U/+U when ranks shift; OVER over updates emits -D and -U/+U"
else
	notok "Top-N emits -U/+U when ranks shift; OVER over updates emits -D and -U/+U"
fi

# DENSE_RANK over an updating input changes rank numbers (-U/+U) and
# moves rows out of the range (-D)
if [ -f "$tmp/dense_updating.1.out" ]; then
	if grep -q '^-U\[' "$tmp/dense_updating.1.out" && grep -q '^-D\[' "$tmp/dense_updating.1.out"; then
		ok "DENSE_RANK over updates emits -U/+U when rank numbers change and -D when rows leave"
	else
		notok "DENSE_RANK over updates emits -U/+U when rank numbers change and -D when rows leave"
	fi
fi

# rowtime keep-first deduplication at p=2 sees rows out of order (two
# source subtasks): an earlier-timed late row replaces the kept one
if [ -f "$tmp/dedup_first.2.out" ]; then
	if grep -q '^\([0-9]*> \)\{0,1\}-U\[' "$tmp/dedup_first.2.out"; then
		ok "rowtime keep-first deduplication replaces the kept row by an earlier late one (-U/+U)"
	else
		notok "rowtime keep-first deduplication replaces the kept row by an earlier late one (-U/+U)" "no -U rows at p=2"
	fi
fi

# pinned changelogs (tests/rank/golden_*.sql over a 12-row datagen source,
# checked by hand: see the comments in the files): exact order of -U/+U,
# ties, a NULL partition key, window bounds, OVER frame boundaries, and an
# empty input. Parallelism 1, so the order is deterministic.
for f in "$SRCDIR"/tests/rank/golden_*.sql; do
	g=$(basename "$f" .sql)
	if "$SLUICE" run --quiet "$f" >"$tmp/$g.out" 2>&1 && diff -u "$SRCDIR/tests/rank/$g.out" "$tmp/$g.out" >"$tmp/$g.diff"; then
		ok "$g: the pinned changelog ($(wc -l <"$tmp/$g.out" | tr -d ' ') rows)"
	else
		notok "$g: the pinned changelog" "$(head -8 "$tmp/$g.diff" | tr '\n' ' ')"
	fi
done
