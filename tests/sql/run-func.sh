#!/bin/sh
# run-func.sh -- golden results of built-in functions at run time.
#
# For each tests/sql/func_*.sql (SELECTs over VALUES: NULLs, empty and
# boundary values), run "sluice run --quiet --parallelism 1 NAME.sql" and
# compare its printed rows with tests/sql/NAME.rows (checked by hand
# against Flink's semantics when written). run-golden.sh checks the same
# files' planning (NAME.out). Prints "ok - NAME" or "not ok - NAME" and the
# diff.
#
# usage: run-func.sh [--accept] [NAME...]   (from the build directory)
srcdir=${SRCDIR:-$(dirname "$0")/../..}
sluice=$(pwd)/sluice
accept=0
names=
for a in "$@"; do
	case "$a" in
		--accept) accept=1 ;;
		*) names="$names ${a%.sql}" ;;
	esac
done
cd "$srcdir/tests/sql" || exit 1
if [ -z "$names" ]; then
	for f in func_*.sql; do names="$names ${f%.sql}"; done
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for n in $names; do
	if ! "$sluice" run --quiet --parallelism 1 "$n.sql" >"$tmp/$n.rows" 2>"$tmp/$n.err"; then
		echo "not ok - $n.rows (sluice run failed)"
		sed 's/^/# /' "$tmp/$n.err" | head -n 10
		status=1
	elif [ "$accept" -eq 1 ]; then
		cp "$tmp/$n.rows" "$n.rows"
		echo "ok - $n.rows (accepted)"
	elif diff -u "$n.rows" "$tmp/$n.rows" >"$tmp/$n.diff" 2>&1; then
		echo "ok - $n.rows ($(wc -l <"$n.rows" | tr -d ' ') rows)"
	else
		echo "not ok - $n.rows"
		sed 's/^/# /' "$tmp/$n.diff" | head -n 60
		status=1
	fi
done
exit $status
