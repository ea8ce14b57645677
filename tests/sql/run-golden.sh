#!/bin/sh
# run-golden.sh -- the golden SQL tests.
#
# For each tests/sql/NAME.sql (first line "-- description: ..."), run
# "sluice check --echo NAME.sql", which echoes every statement followed by
# its result (CREATE TABLE, the EXPLAIN output, ...) or its rendered error,
# and compare with tests/sql/NAME.out. A second line "-- udf-path: DIR"
# adds --udf-path BUILDDIR/DIR (C UDF tests; the build directory is
# written @BUILDDIR@ in NAME.out). Prints "ok - NAME" or "not ok - NAME"
# and the diff.
#
# usage: run-golden.sh [--accept] [NAME...]
#   --accept   write the current output to NAME.out instead of comparing
# Run from the build directory (./sluice); SRCDIR is the source tree.
srcdir=${SRCDIR:-$(dirname "$0")/../..}
sluice=$(pwd)/sluice
builddir=$(pwd -P)
[ -x "$sluice" ] || sluice=$(cd "$(dirname "$0")/../.." && pwd)/sluice
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
	for f in *.sql; do names="$names ${f%.sql}"; done
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for n in $names; do
	if ! head -n 1 "$n.sql" | grep -q '^-- description: '; then
		echo "not ok - $n (first line must be '-- description: ...')"
		status=1
		continue
	fi
	udf=$(sed -n '2s/^-- udf-path: //p' "$n.sql")
	if [ -n "$udf" ]; then
		"$sluice" check --echo --udf-path "$builddir/$udf" "$n.sql" >"$tmp/$n.raw" 2>&1
		rc=$?
		sed "s|$builddir|@BUILDDIR@|g" "$tmp/$n.raw" >"$tmp/$n.out"
	else
		"$sluice" check --echo "$n.sql" >"$tmp/$n.out" 2>&1
		rc=$?
	fi
	if [ "$rc" -ne 0 ]; then
		echo "not ok - $n (sluice exited with status $rc)"
		sed 's/^/# /' "$tmp/$n.out" | tail -n 20
		status=1
		continue
	fi
	if [ "$accept" -eq 1 ]; then
		cp "$tmp/$n.out" "$n.out"
		echo "ok - $n (accepted)"
	elif diff -u "$n.out" "$tmp/$n.out" >"$tmp/$n.diff" 2>&1; then
		echo "ok - $n"
	else
		echo "not ok - $n"
		sed 's/^/# /' "$tmp/$n.diff" | head -n 200
		status=1
	fi
done
exit $status
