#!/usr/bin/env bash
# Runs `npm test` RUNS times in a row (default 10) while a CPU-heavy load runs beside it, and stops
# at the first failure. The suite must stay green on a busy two-core machine (issue 19), and a flaky
# test shows itself only under load, so this is how "green" is checked before trusting it.
#
#   scripts/test-loop.sh [RUNS]          or  npm run test:loop -- [RUNS]
#   LOAD=spin   (default) one busy loop per core (`node -e 'for(;;){}'`)
#   LOAD=suite  a second test suite (`npx vitest run`) over and over in this checkout
#   LOAD=none   no extra load
#
# Logs: test-output/test-loop/run-N.log (and load.log for LOAD=suite). Exit code: 0 when every run
# passed, else the failing run's.
set -uo pipefail
cd "$(dirname "$0")/.."

runs=${1:-10}
load=${LOAD:-spin}
logs=test-output/test-loop
mkdir -p "$logs"
loaders=()

stop_load() {
  # Only what this script started: each load runs in its own process group.
  for pid in "${loaders[@]}"; do kill -- "-$pid" 2>/dev/null; done
  loaders=()
}
trap stop_load EXIT
trap 'exit 130' INT TERM

# Build once before the load starts, and let one small test file build the test fixtures, so two
# suites never write the same outputs at once.
node scripts/build.mjs --if-stale || exit
if [ "$load" = suite ]; then npx vitest run tests/unit/manifest.test.ts >/dev/null || exit; fi

case "$load" in
  spin)
    for _ in $(seq "$(nproc)"); do
      setsid node -e 'for (;;) {}' &
      loaders+=($!)
    done
    ;;
  suite)
    setsid bash -c 'while :; do npx vitest run; done' >"$logs/load.log" 2>&1 &
    loaders+=($!)
    ;;
  none) ;;
  *) echo "LOAD must be spin, suite or none (got $load)" >&2; exit 2 ;;
esac
echo "load: $load (${#loaders[@]} process group(s)); $runs run(s) of npm test"

for run in $(seq "$runs"); do
  start=$(date +%s)
  npm test >"$logs/run-$run.log" 2>&1
  code=$?
  echo "run $run/$runs: $([ $code -eq 0 ] && echo passed || echo "FAILED ($code)") in $(($(date +%s) - start)) s"
  if [ $code -ne 0 ]; then
    sed 's/\x1b\[[0-9;]*m//g' "$logs/run-$run.log" | grep -E '^ *(FAIL|×) ' | head -20
    echo "full log: $logs/run-$run.log"
    exit $code
  fi
done
echo "all $runs runs passed under load: $load"
