#!/bin/sh
# kill9.sh -- kill -9 during snapshots at random points; the latest complete
# checkpoint must always restore and equal the shadow model.
#
# make check runs 8 points; the full run is 50:
#   KILL_POINTS=50 sh tests/state/kill9.sh        (from the build directory)
# KILL_SEED fixes the workload and the kill times (printed for reruns).
points=${KILL_POINTS:-8}
seed=${KILL_SEED:-$(date +%s)}
bin=./tests/state/killtest
[ -x "$bin" ] || { echo "not ok - kill9: $bin not built"; exit 1; }
echo "# kill9: $points points, seed $seed"
exec "$bin" run "$points" "$seed"
