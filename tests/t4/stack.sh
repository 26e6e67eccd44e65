#!/usr/bin/env bash
# T4: `docker stack deploy|ls|ps|services|rm` with the real docker CLI against a Shoal daemon
# this script starts (and stops, by its PID) on its own data root, socket and ports. The tasks
# run in Shoal's test engine (scripts/engine.sh); without an engine the test is skipped, loudly.
#
#   tests/t4/stack.sh                 # from anywhere; prints "N passed, M failed", exits 1 on failure
#
# Environment:
#   SHOAL_DAEMON_CMD   how to run the daemon, flags appended (default: java -cp <shoal-daemon
#                      classes + dependencies> io.shoal.daemon.DaemonMain; `bin/shoal daemon` fits)
#   SHOAL_T4_PORT      swarm listen port (default 2487; raft uses the next one)
#   SHOAL_T4_WEB_PORT  published port of the stack's web service (default 28087)
#   SHOAL_T4_KEEP      1 keeps the work directory (daemon log, CLI outputs) for a post-mortem
set -eu  # no pipefail: see lib.sh

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PORT=${SHOAL_T4_PORT:-2487}
WEB_PORT=${SHOAL_T4_WEB_PORT:-28087}
STACK=t4app
WORK=$(mktemp -d /tmp/shoal-t4-stack.XXXXXX)
SOCK=$WORK/shoal.sock
DAEMON_PID=
NODE_ID=
ENGINE_HOST=
passed=0
failed=0

say() { echo "[t4 stack] $*" >&2; }

# wait_for SECONDS WHAT CMD...: polls CMD until it succeeds or the deadline passes.
wait_for() {
  local timeout=$1 what=$2
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      say "timed out after ${timeout}s waiting for: $what"
      return 1
    fi
    sleep 0.5
  done
}

# check NAME CMD...: one test case; a failure is counted and reported, and the run goes on.
check() {
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "ok   - $name"
  else
    failed=$((failed + 1))
    echo "FAIL - $name"
  fi
}

dk() { DOCKER_HOST=unix://$SOCK docker "$@"; }
engine() { DOCKER_HOST=$ENGINE_HOST docker "$@"; }

cleanup() {
  local rc=$?
  set +e
  if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
    # leaving the swarm removes this node's tasks and their containers
    timeout 30 env DOCKER_HOST=unix://$SOCK docker swarm leave --force >/dev/null 2>&1
    kill -TERM "$DAEMON_PID" 2>/dev/null
    local deadline=$((SECONDS + 20))
    while kill -0 "$DAEMON_PID" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    kill -0 "$DAEMON_PID" 2>/dev/null && { say "daemon $DAEMON_PID ignored TERM; killing it"; kill -KILL "$DAEMON_PID"; }
  fi
  if [ -n "$NODE_ID" ] && [ -n "$ENGINE_HOST" ]; then
    # whatever this run's node left behind in the engine (a failed run, a crashed daemon)
    local left
    left=$(engine ps -aq --filter "label=com.docker.swarm.node.id=$NODE_ID" 2>/dev/null)
    [ -n "$left" ] && engine rm -f $left >/dev/null 2>&1
  fi
  if [ "$rc" -ne 0 ] && [ -s "$WORK/daemon.log" ]; then
    say "last lines of the daemon's log:"
    tail -25 "$WORK/daemon.log" >&2
  fi
  if [ "${SHOAL_T4_KEEP:-0}" = 1 ]; then
    say "work directory kept: $WORK (daemon log: $WORK/daemon.log)"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT

# ---- the engine, or a loud skip ----
command -v docker >/dev/null || { echo "SKIPPED: no docker engine: the docker CLI is not installed"; exit 0; }
if ! ENGINE_HOST=$("$ROOT/scripts/engine.sh" start 2>"$WORK/engine.err"); then
  echo "SKIPPED: no docker engine: $(tail -1 "$WORK/engine.err")"
  exit 0
fi
if ! "$ROOT/scripts/engine.sh" image 2>>"$WORK/engine.err"; then
  echo "SKIPPED: no docker engine: could not build the test image: $(tail -1 "$WORK/engine.err")"
  exit 0
fi

# ---- the daemon ----
if [ -z "${SHOAL_DAEMON_CMD:-}" ]; then
  [ -d "$ROOT/shoal-daemon/target/classes" ] || { say "shoal-daemon is not built: run mvn -o -B install first"; exit 1; }
  (cd "$ROOT" && mvn -o -q -B -pl shoal-daemon dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >"$WORK/mvn.log" 2>&1) \
    || { say "could not compute the daemon's classpath:"; tail -20 "$WORK/mvn.log" >&2; exit 1; }
  SHOAL_DAEMON_CMD="java -cp $ROOT/shoal-daemon/target/classes:$(cat "$WORK/cp.txt") io.shoal.daemon.DaemonMain"
fi
read -r -a DAEMON <<<"$SHOAL_DAEMON_CMD"
"${DAEMON[@]}" --data-root "$WORK/data" -H "unix://$SOCK" --engine-host "$ENGINE_HOST" \
  --listen-addr "127.0.0.1:$PORT" --pidfile "$WORK/daemon.pid" >"$WORK/daemon.log" 2>&1 &
DAEMON_PID=$!
wait_for 60 "the daemon's API on $SOCK" dk version || { tail -30 "$WORK/daemon.log" >&2; exit 1; }
# a launcher script (bin/shoal daemon) may not exec the JVM: the daemon's own pidfile names it
[ -s "$WORK/daemon.pid" ] && DAEMON_PID=$(cat "$WORK/daemon.pid")
say "daemon pid $DAEMON_PID, socket $SOCK"
dk swarm init --advertise-addr 127.0.0.1 >"$WORK/init.out" 2>&1 || { cat "$WORK/init.out" >&2; exit 1; }
NODE_ID=$(dk info --format '{{.Swarm.NodeID}}')
say "swarm initialised, node $NODE_ID"

# ---- the stack ----
cp "$HERE/stack/app.yml" "$HERE/stack/db_password.txt" "$HERE/stack/motd.txt" "$WORK/"
deploy() { (cd "$WORK" && WEB_PORT=$WEB_PORT WEB_REPLICAS=$1 dk stack deploy -c app.yml "$STACK") >"$WORK/deploy.out" 2>&1; }
services_line() { dk stack services "$STACK" --format '{{.Name}} {{.Replicas}}' | grep "^${STACK}_$1 "; }
replicas_are() { [ "$(services_line "$1" | cut -d' ' -f2-)" = "$2" ]; }
web_container() { engine ps -q --filter "label=com.docker.swarm.node.id=$NODE_ID" --filter "label=com.docker.swarm.service.name=${STACK}_web" | head -1; }
has_web_container() { [ -n "$(web_container)" ]; }
labelled() { dk "$1" ls -q --filter "label=com.docker.stack.namespace=$STACK" | wc -l; }
stack_listed() { dk stack ls --format '{{.Name}} {{.Services}}' | grep -qx "$STACK $1"; }

t_deploy() {
  deploy 2 || { cat "$WORK/deploy.out"; return 1; }
  for line in "Creating network ${STACK}_front" "Creating network ${STACK}_back" "Creating secret ${STACK}_db_password" \
    "Creating config ${STACK}_motd" "Creating service ${STACK}_web" "Creating service ${STACK}_worker" \
    "Creating service ${STACK}_migrate"; do
    grep -qx "$line" "$WORK/deploy.out" || { echo "missing '$line' in:"; cat "$WORK/deploy.out"; return 1; }
  done
}
t_ls() { stack_listed 3 || { dk stack ls; return 1; }; }
t_services_converge() {
  wait_for 60 "web 2/2" replicas_are web 2/2 && wait_for 60 "worker 1/1" replicas_are worker 1/1 \
    || { dk stack services "$STACK"; return 1; }
}
t_job_completes() {
  wait_for 60 "migrate job completed" replicas_are migrate "0/0 (1/1 completed)" || { dk stack services "$STACK"; return 1; }
}
t_ps() {
  local rows
  rows=$(dk stack ps "$STACK" --filter desired-state=running --format '{{.Name}} {{.CurrentState}}' 2>&1) || { echo "$rows"; return 1; }
  [ "$(grep -c "^${STACK}_web\.[12] Running" <<<"$rows")" = 2 ] && grep -q "^${STACK}_worker\..* Running" <<<"$rows" \
    || { echo "$rows"; return 1; }
}
t_resources_labelled() {
  [ "$(labelled network)" = 2 ] && [ "$(labelled secret)" = 1 ] && [ "$(labelled config)" = 1 ] \
    && [ "$(dk network inspect "${STACK}_back" --format '{{.Scope}} {{.Driver}} {{index .Labels "com.example.purpose"}}')" = "swarm overlay backend" ]
}
t_secret_and_config_in_container() {
  local c
  wait_for 60 "a web container" has_web_container || return 1
  c=$(web_container)
  [ "$(engine exec "$c" cat /run/secrets/db_password)" = "$(cat "$WORK/db_password.txt")" ] \
    && [ "$(engine exec "$c" cat /etc/motd)" = "$(cat "$WORK/motd.txt")" ]
}
t_published_port() {
  command -v curl >/dev/null || { echo "(no curl: checked with bash /dev/tcp)"; }
  wait_for 60 "http://127.0.0.1:$WEB_PORT/" fetch_web
}
fetch_web() {
  if command -v curl >/dev/null; then
    curl -fsS -m 2 "http://127.0.0.1:$WEB_PORT/" | grep -q "Hello from Shoal"
  else
    exec 3<>"/dev/tcp/127.0.0.1/$WEB_PORT" && printf 'GET / HTTP/1.0\r\n\r\n' >&3 && grep -q "Hello from Shoal" <&3
  fi
}
t_redeploy_updates() {
  deploy 3 || { cat "$WORK/deploy.out"; return 1; }
  grep -qx "Updating service ${STACK}_web (id: .*)" "$WORK/deploy.out" || { cat "$WORK/deploy.out"; return 1; }
  ! grep -q "^Creating " "$WORK/deploy.out" || { echo "redeploy created something:"; cat "$WORK/deploy.out"; return 1; }
  wait_for 60 "web 3/3" replicas_are web 3/3 || { dk stack services "$STACK"; return 1; }
}
t_secret_in_use() {
  local out
  out=$(dk secret rm "${STACK}_db_password" 2>&1) && { echo "removed a secret in use"; return 1; }
  grep -q "secret '${STACK}_db_password' is in use by the following services: " <<<"$out" || { echo "$out"; return 1; }
}
t_rm() {
  dk stack rm "$STACK" >"$WORK/rm.out" 2>&1 || { cat "$WORK/rm.out"; return 1; }
  for line in "Removing service ${STACK}_web" "Removing secret ${STACK}_db_password" "Removing config ${STACK}_motd" \
    "Removing network ${STACK}_back"; do
    grep -qx "$line" "$WORK/rm.out" || { echo "missing '$line' in:"; cat "$WORK/rm.out"; return 1; }
  done
}
nothing_left() {
  [ "$(dk service ls -q --filter "label=com.docker.stack.namespace=$STACK" | wc -l)" = 0 ] && [ "$(labelled network)" = 0 ] \
    && [ "$(labelled secret)" = 0 ] && [ "$(labelled config)" = 0 ] \
    && [ "$(engine ps -aq --filter "label=com.docker.swarm.node.id=$NODE_ID" | wc -l)" = 0 ]
}
t_nothing_left() {
  wait_for 60 "no services, networks, secrets, configs or containers of $STACK" nothing_left || {
    dk service ls; dk network ls; dk secret ls; dk config ls
    engine ps -a --filter "label=com.docker.swarm.node.id=$NODE_ID"
    return 1
  }
  ! stack_listed '[0-9]*' && [ "$(dk stack ps "$STACK" 2>&1)" = "nothing found in stack: $STACK" ]
}
t_missing_external_network_writes_nothing() {
  local out
  printf 'services:\n  s:\n    image: shoal-test/busybox:1\n    networks: [outside]\nnetworks:\n  outside:\n    external: true\n' >"$WORK/bad.yml"
  out=$(cd "$WORK" && dk stack deploy -c bad.yml bad 2>&1) && { echo "deployed with a missing external network"; return 1; }
  grep -q 'network "outside" is declared as external, but could not be found' <<<"$out" || { echo "$out"; return 1; }
  [ "$(dk service ls -q | wc -l)" = 0 ] && [ "$(dk network ls -q --filter label=com.docker.stack.namespace=bad | wc -l)" = 0 ]
}

check "stack deploy creates networks, secret, config and services" t_deploy
check "stack ls lists the stack with its 3 services" t_ls
check "stack services: web 2/2 and the global worker 1/1 converge" t_services_converge
check "stack services: the replicated job completes" t_job_completes
check "stack ps shows the running tasks" t_ps
check "networks, secret and config carry the stack label; network is swarm-scoped overlay" t_resources_labelled
check "secret and config are files in the web container" t_secret_and_config_in_container
check "the published port answers" t_published_port
check "a redeploy updates services in place and scales web to 3" t_redeploy_updates
check "a secret in use by the stack cannot be removed" t_secret_in_use
check "stack rm removes services, secret, config and networks" t_rm
check "after stack rm nothing of the stack is left (API and engine)" t_nothing_left
check "a missing external network fails the deploy before anything is written" t_missing_external_network_writes_nothing

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
