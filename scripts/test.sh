#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine:
#   T1 unit, T2 simulation, T3 in-process  -> Maven (Surefire)
#   T4 processes, T5 real engine           -> tests/t4/*.sh with the real docker CLI
# A dockerd of our own is started on its own socket (scripts/engine.sh) and stopped again if
# this run started it. Where no engine can start, engine tests say so loudly and are skipped.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || { echo "setup failed"; exit 1; }
LOG=$(mktemp -d /tmp/shoal-test.XXXXXX)
started_engine=0
if DOCKER_HOST=$(scripts/engine.sh host) timeout 5 docker version >/dev/null 2>&1; then
  echo "test: using the engine already running on $(scripts/engine.sh host)"
elif scripts/engine.sh start >/dev/null; then
  started_engine=1
else
  echo "WARNING: no docker engine could be started; engine tests will be SKIPPED (see $LOG)" >&2
fi
if [ "$started_engine" = 1 ] || DOCKER_HOST=$(scripts/engine.sh host) timeout 5 docker version >/dev/null 2>&1; then
  scripts/engine.sh image
  export SHOAL_TEST_DOCKER_HOST=$(scripts/engine.sh host)
fi
cleanup() { [ "$started_engine" = 1 ] && scripts/engine.sh stop; }
trap cleanup EXIT

passed=0; failed=0; skipped=0
echo "== T1-T3: maven (unit, simulation, in-process)"
# every module's tests run even when an earlier one fails (failures are counted below and fail
# the run); a compile error still stops the build and fails it
mvn -B install -Dmaven.test.failure.ignore=true 2>&1 | tee "$LOG/maven.log" | grep -E "Tests run:|FAIL|ERROR|BUILD|Reactor Summary|SUCCESS \[|FAILURE \[" | grep -v "^\[INFO\] Tests run: .*, Time elapsed" 
mvn_rc=${PIPESTATUS[0]}
while read -r r f e s; do
  passed=$((passed + r - f - e - s)); failed=$((failed + f + e)); skipped=$((skipped + s))
done < <(grep -E "^\[(INFO|WARNING|ERROR)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$" "$LOG/maven.log" \
          | sed -E 's/.*Tests run: ([0-9]+), Failures: ([0-9]+), Errors: ([0-9]+), Skipped: ([0-9]+)/\1 \2 \3 \4/')
if [ "$mvn_rc" -ne 0 ]; then
  echo "maven build failed (exit $mvn_rc); log: $LOG/maven.log"
  failed=$((failed + 1))
fi

echo "== T4/T5: processes and the real engine, driven by the docker CLI"
for t in tests/t4/*.sh tests/t5/*.sh; do
  [ "$(basename "$t")" = lib.sh ] && continue
  echo "-- $t"
  bash "$t" 2>&1 | tee "$LOG/$(basename "$t").log"
  rc=${PIPESTATUS[0]}
  line=$(grep -E "^(t4: )?[0-9]+ passed, [0-9]+ failed" "$LOG/$(basename "$t").log" | tail -1)
  p=$(echo "$line" | sed -E 's/^(t4: )?([0-9]+) passed.*/\2/'); f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
  s=$(echo "$line" | grep -oE '[0-9]+ skipped' | cut -d' ' -f1)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
  if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then failed=$((failed + 1)); echo "$t exited $rc"; fi
done

echo
echo "all tiers: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
