#!/bin/sh
# runner.sh -- run every test program and script, count, and print the
# final line "N passed, N failed".
#
# usage: runner.sh PROGRAM... -- SCRIPT...
# Each program or script prints TAP-style lines "ok - NAME" and
# "not ok - NAME". A program that exits non-zero without printing any
# "not ok" line (a crash, a timeout) counts as one failed test of its own.
# Output of each program goes to tests/logs/NAME.log; failures are shown.
# SLUICE_TEST_TIMEOUT (seconds, default 600) bounds each program.

passed=0
failed=0
logdir=tests/logs
mkdir -p "$logdir"
timeout_s=${SLUICE_TEST_TIMEOUT:-600}
srcdir=$(cd "$(dirname "$0")/.." && pwd) # absolute: scripts cd elsewhere

run_one() { # $1: what to run (path), $2: display name
	log="$logdir/$(basename "$2").log"
	case "$1" in
		*.sh) SRCDIR="$srcdir" timeout -k 10 "$timeout_s" sh "$1" >"$log" 2>&1 ;;
		*) SRCDIR="$srcdir" timeout -k 10 "$timeout_s" "./$1" >"$log" 2>&1 ;;
	esac
	rc=$?
	p=$(grep -c '^ok - ' "$log")
	f=$(grep -c '^not ok - ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $2 (exit status $rc)" >>"$log"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -gt 0 ]; then
		echo "FAIL: $2 ($p passed, $f failed)"
		sed 's/^/    /' "$log" | grep -v '^    ok - ' | tail -n 60
	else
		echo "PASS: $2 ($p)"
	fi
}

mode=prog
for t in "$@"; do
	if [ "$t" = "--" ]; then mode=script; continue; fi
	if [ "$mode" = prog ]; then
		run_one "$t" "$t"
	else
		run_one "$srcdir/$t" "$t"
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
