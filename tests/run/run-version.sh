#!/bin/sh
# run-version.sh -- `sluice --version` names the allocator malloc() really
# is: jemalloc, with the options cli/main.c gives it (muzzy_decay_ms -1:
# freed pages are never forced out; thp always: arenas in huge pages). A
# sanitizer build has no jemalloc.
SLUICE=${SLUICE:-./sluice}
out=$("$SLUICE" --version 2>&1)
case $out in
*"sanitizer runtime"*)
	echo "ok - sluice --version # SKIP sanitizer build, no jemalloc" ;;
*"active allocator: malloc() is jemalloc; muzzy_decay_ms -1; thp always"*)
	echo "ok - sluice --version: jemalloc is malloc(), muzzy_decay_ms -1, thp always" ;;
*)
	echo "not ok - sluice --version: jemalloc is malloc(), muzzy_decay_ms -1, thp always"
	echo "$out" | sed 's/^/#   /' ;;
esac
