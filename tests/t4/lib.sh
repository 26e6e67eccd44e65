#!/usr/bin/env bash
# Shared helpers for the T4/T5 scripts: start/stop a shoal daemon we own (by PID), poll a
# condition with a deadline, count checks. Sourced, not run.
# No pipefail: checks are `cmd | grep -q PATTERN`, and grep quitting at its first match can kill a
# still-writing cmd with SIGPIPE, which pipefail would turn into a failed check (a flaky test). A
# failing cmd prints nothing to match, so positive checks stay honest; negative checks capture the
# output and test cmd's status themselves (see no_tasks_on_w1 in multi-node.sh).
set -eu
T4_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PASSED=0
FAILED=0
DAEMON_PIDS=()

# The daemon command: bin/shoal when built, else the module classpath (dev loop).
daemon_cmd() {
  if [ -n "${SHOAL_DAEMON_CMD:-}" ]; then echo "$SHOAL_DAEMON_CMD"; return; fi
  if [ -x "$T4_ROOT/bin/shoal" ] && [ -f "$T4_ROOT/shoal-cli/target/shoal.jar" ]; then echo "$T4_ROOT/bin/shoal daemon"; return; fi
  local cp=/tmp/shoal-daemon.cp
  (cd "$T4_ROOT" && mvn -o -q -B -pl shoal-daemon dependency:build-classpath -Dmdep.outputFile=$cp >/dev/null)
  echo "java -cp $T4_ROOT/shoal-daemon/target/classes:$(cat $cp) io.shoal.daemon.DaemonMain"
}

# start_daemon DIR LISTEN_PORT [extra flags...]: starts a daemon with its own data root and socket.
start_daemon() {
  local dir=$1 port=$2; shift 2
  mkdir -p "$dir"
  # shellcheck disable=SC2046
  $(daemon_cmd) --data-root "$dir/data" -H "unix://$dir/shoal.sock" --pidfile "$dir/shoal.pid" \
    --listen-addr "127.0.0.1:$port" --advertise-addr 127.0.0.1 "$@" >>"$dir/daemon.log" 2>&1 &
  DAEMON_PIDS+=($!)
  echo $! >"$dir/launcher.pid"
  wait_for 60 "daemon API on $dir/shoal.sock" docker_ok "$dir"
}

docker_ok() { DOCKER_HOST="unix://$1/shoal.sock" docker version >/dev/null 2>&1; }

# stop_daemon DIR: SIGTERM to the daemon we started, then wait for it to exit.
stop_daemon() {
  local dir=$1 pid
  pid=$(cat "$dir/launcher.pid" 2>/dev/null || true)
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  wait_for 40 "daemon $pid to exit" not_running "$pid" || kill -KILL "$pid" 2>/dev/null || true
}
not_running() { ! kill -0 "$1" 2>/dev/null; }

cleanup_daemons() {
  for pid in "${DAEMON_PIDS[@]:-}"; do
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${DAEMON_PIDS[@]:-}"; do
    [ -n "$pid" ] || continue
    for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  done
}

# A script stopped by a signal still runs its EXIT trap (which stops its daemons by PID).
trap 'exit 143' TERM INT

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND until it succeeds or the deadline passes.
wait_for() {
  local secs=$1 what=$2; shift 2
  local end=$((SECONDS + secs))
  while [ $SECONDS -lt $end ]; do
    if "$@"; then return 0; fi
    sleep 0.5
  done
  echo "timed out after ${secs}s waiting for: $what" >&2
  return 1
}

# check DESCRIPTION COMMAND...: runs one assertion and counts it.
check() {
  local what=$1; shift
  if "$@"; then
    PASSED=$((PASSED + 1)); echo "ok   - $what"
  else
    FAILED=$((FAILED + 1)); echo "FAIL - $what" >&2
  fi
}

# keep_or_remove DIR: a failed run keeps its daemons' logs for a look; a passing one cleans up.
keep_or_remove() {
  if [ "$FAILED" -eq 0 ]; then rm -rf "$1"; else echo "logs kept in $1" >&2; fi
}

summary() {
  echo "t4: $PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}

engine_or_skip() {
  if ! ENGINE=$("$T4_ROOT/scripts/engine.sh" start 2>/dev/null); then
    echo "SKIPPED: no docker engine could be started here (see scripts/engine.sh); T4/T5 engine tests not run" >&2
    echo "t4: 0 passed, 0 failed, 1 skipped"
    exit 0
  fi
  "$T4_ROOT/scripts/engine.sh" image >/dev/null
  export ENGINE
}

engine() { DOCKER_HOST=$ENGINE docker "$@"; }
