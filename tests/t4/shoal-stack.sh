#!/usr/bin/env bash
# T4: `shoal stack deploy|ls|ps|services|rm` (our own CLI, bin/shoal) against a daemon this script
# starts through lib.sh (and stops by PID), the same cycle stack.sh runs with docker's CLI; then
# Shoal's depends_on: `web` is created only after `db` is healthy, and a cycle writes nothing.
# Also `shoal secret|config|network`, `service create --secret/--config`, `swarm update|join`.
#
#   tests/t4/shoal-stack.sh      # prints "t4: N passed, M failed"; exits 1 on failure
#
# Environment: T4_PORT (swarm listen port, default 2597; the joining daemon takes T4_JOIN_PORT,
# default +10), T4_WEB_PORT (published, default 28097),
# SHOAL_T4_KEEP=1 keeps the work directory.
source "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
SHOAL="$T4_ROOT/bin/shoal"
[ -f "$T4_ROOT/shoal-cli/target/shoal.jar" ] || { echo "shoal-cli is not built: mvn -o -B -pl shoal-cli install" >&2; exit 1; }
engine_or_skip
DIR=$(mktemp -d /tmp/shoal-t4-sstack.XXXXXX)
PORT=${T4_PORT:-2597}
WEB_PORT=${T4_WEB_PORT:-28097}
STACK=t4s
NODE_ID=""
finish() {
  local rc=$?
  set +e
  [ -S "$DIR/w/shoal.sock" ] && timeout 30 env DOCKER_HOST="unix://$DIR/w/shoal.sock" docker swarm leave --force >/dev/null 2>&1
  [ -S "$DIR/shoal.sock" ] && timeout 30 env DOCKER_HOST="unix://$DIR/shoal.sock" docker swarm leave --force >/dev/null 2>&1
  cleanup_daemons
  if [ -n "$NODE_ID" ]; then
    engine ps -aq --filter "label=com.docker.swarm.node.id=$NODE_ID" 2>/dev/null | xargs -r env DOCKER_HOST="$ENGINE" docker rm -f >/dev/null 2>&1
  fi
  if [ "$rc" -ne 0 ] || [ "$FAILED" -ne 0 ]; then tail -20 "$DIR/daemon.log" >&2; fi
  if [ "${SHOAL_T4_KEEP:-0}" = 1 ]; then echo "kept $DIR" >&2; else rm -rf "$DIR"; fi
  exit "$rc"
}
trap finish EXIT
shl() { SHOAL_HOST="unix://$DIR/shoal.sock" "$SHOAL" "$@"; }
dk() { DOCKER_HOST="unix://$DIR/shoal.sock" docker "$@"; }
api() { curl -fsS --unix-socket "$DIR/shoal.sock" "http://shoal/v1.44$1"; }

start_daemon "$DIR" "$PORT" --engine-host "$ENGINE"
shl swarm init --advertise-addr 127.0.0.1 >"$DIR/init.out" 2>&1 || { cat "$DIR/init.out" >&2; exit 1; }
NODE_ID=$(dk info --format '{{.Swarm.NodeID}}')

# ---- the deploy/ls/ps/services/rm cycle of stack.sh, with shoal's CLI ----
cp "$HERE/stack/app.yml" "$HERE/stack/db_password.txt" "$HERE/stack/motd.txt" "$HERE/stack/depends.yml" "$HERE/stack/cycle.yml" "$DIR/"
deploy() { (cd "$DIR" && WEB_PORT=$WEB_PORT WEB_REPLICAS=$1 shl stack deploy -c app.yml "$STACK") >"$DIR/deploy.out" 2>&1; }
replicas_are() { [ "$(shl stack services "$STACK" --format '{{.Name}} {{.Replicas}}' | grep "^${STACK}_$1 " | cut -d' ' -f2-)" = "$2" ]; }
labelled() { shl "$1" ls -q --filter "label=com.docker.stack.namespace=$2" | wc -l; }
lines_in() {
  local file=$1; shift
  for line in "$@"; do grep -qx -- "$line" "$file" || { echo "missing '$line' in:"; cat "$file"; return 1; }; done
}

t_deploy() {
  deploy 2 || { cat "$DIR/deploy.out"; return 1; }
  lines_in "$DIR/deploy.out" "Creating network ${STACK}_front" "Creating network ${STACK}_back" "Creating secret ${STACK}_db_password" \
    "Creating config ${STACK}_motd" "Creating service ${STACK}_web" "Creating service ${STACK}_worker" "Creating service ${STACK}_migrate"
}
t_ls() {
  shl stack ls >"$DIR/ls.out" && head -1 "$DIR/ls.out" | grep -q '^NAME  *SERVICES$' && grep -q "^$STACK  *3$" "$DIR/ls.out" \
    || { cat "$DIR/ls.out"; return 1; }
}
t_converge() {
  wait_for 90 "web 2/2" replicas_are web 2/2 && wait_for 60 "worker 1/1" replicas_are worker 1/1 \
    && wait_for 60 "migrate done" replicas_are migrate "0/0 (1/1 completed)" || { shl stack services "$STACK"; return 1; }
}
t_services_table() {
  shl stack services "$STACK" | head -1 | grep -q '^ID  *NAME  *MODE  *REPLICAS  *IMAGE  *PORTS$' \
    && shl stack services "$STACK" | grep "${STACK}_web " | grep -q "\*:$WEB_PORT->8080/tcp"
}
t_ps() {
  local rows
  rows=$(shl stack ps "$STACK" --filter desired-state=running --format '{{.Name}} {{.CurrentState}}' 2>&1) || { echo "$rows"; return 1; }
  [ "$(grep -c "^${STACK}_web\.[12] Running" <<<"$rows")" = 2 ] || { echo "$rows"; return 1; }
  shl stack ps "$STACK" | head -1 | grep -q '^ID  *NAME  *IMAGE  *NODE  *DESIRED STATE  *CURRENT STATE  *ERROR  *PORTS$'
}
t_redeploy() {
  deploy 3 || { cat "$DIR/deploy.out"; return 1; }
  grep -qx "Updating service ${STACK}_web (id: .*)" "$DIR/deploy.out" && ! grep -q '^Creating ' "$DIR/deploy.out" \
    || { cat "$DIR/deploy.out"; return 1; }
  wait_for 90 "web 3/3" replicas_are web 3/3 || { shl stack services "$STACK"; return 1; }
}
t_rm() {
  shl stack rm "$STACK" >"$DIR/rm.out" 2>&1 || { cat "$DIR/rm.out"; return 1; }
  lines_in "$DIR/rm.out" "Removing service ${STACK}_web" "Removing service ${STACK}_worker" "Removing secret ${STACK}_db_password" \
    "Removing config ${STACK}_motd" "Removing network ${STACK}_back" "Removing network ${STACK}_front"
}
stack_gone() {
  [ "$(shl service ls -q --filter "label=com.docker.stack.namespace=$1" | wc -l)" = 0 ] && [ "$(labelled network "$1")" = 0 ] \
    && [ "$(labelled secret "$1")" = 0 ] && [ "$(labelled config "$1")" = 0 ]
}
no_containers() { [ "$(engine ps -aq --filter "label=com.docker.swarm.node.id=$NODE_ID" | wc -l)" = 0 ]; }
t_nothing_left() {
  wait_for 90 "nothing of $STACK left" stack_gone "$STACK" && wait_for 90 "no task containers" no_containers || return 1
  local out
  out=$(shl stack ps "$STACK" 2>&1) && return 1
  [ "$out" = "nothing found in stack: $STACK" ] || { echo "$out"; return 1; }
  [ "$(shl stack rm "$STACK" 2>&1)" = "Nothing found in stack: $STACK" ]
}

check "shoal stack deploy creates networks, secret, config and services" t_deploy
check "shoal stack ls: NAME SERVICES, the stack with 3" t_ls
check "web 2/2, worker 1/1, migrate job completed" t_converge
check "shoal stack services: service ls table with the published port" t_services_table
check "shoal stack ps: the running tasks, docker's columns" t_ps
check "a redeploy updates in place (no Creating) and scales web to 3" t_redeploy
check "shoal stack rm removes services, secret, config, networks" t_rm
check "after rm nothing is left; ps says nothing found" t_nothing_left

# ---- depends_on: web only after db is healthy ----
DEP=t4dep
epoch_ns() { date -d "$1" +%s%N; }
t_depends_deploy() {
  (cd "$DIR" && timeout 120 "$SHOAL" -H "unix://$DIR/shoal.sock" stack deploy -c depends.yml "$DEP") >"$DIR/dep.out" 2>&1 || { cat "$DIR/dep.out"; return 1; }
  # the waiting line comes between creating db and creating web
  [ "$(grep -n '' "$DIR/dep.out" | grep -E "Creating service ${DEP}_db|Waiting for ${DEP}_db \(service_healthy\)|Creating service ${DEP}_web" | cut -d: -f2- | tr '\n' '|')" \
    = "Creating service ${DEP}_db|Waiting for ${DEP}_db (service_healthy)|Creating service ${DEP}_web|" ] || { cat "$DIR/dep.out"; return 1; }
}
t_db_healthy_before_web() {
  local running created
  # when db's task reached RUNNING (Shoal moves a task with a healthcheck to running once healthy)
  running=$(api "/tasks?filters=$(jq -rn --arg s "${DEP}_db" '{service:{($s):true}}|@uri')" \
    | jq -r '[.[] | select(.Status.State=="running") | .Status.Timestamp] | min // empty')
  created=$(api "/services/${DEP}_web" | jq -r .CreatedAt)
  [ -n "$running" ] && [ -n "$created" ] || { echo "db running at '$running', web created at '$created'"; return 1; }
  [ "$(epoch_ns "$running")" -le "$(epoch_ns "$created")" ] || { echo "web created $created before db healthy $running"; return 1; }
  # and the engine agrees that db's container is healthy
  [ "$(engine ps --filter "label=com.docker.swarm.service.name=${DEP}_db" --format '{{.Status}}' | grep -c '(healthy)')" -ge 1 ]
}
t_depends_rm() { shl stack rm "$DEP" >/dev/null && wait_for 60 "$DEP removed" stack_gone "$DEP"; }
check "depends_on service_healthy: deploy waits for db, then creates web" t_depends_deploy
check "db's task was running (healthy) before web was created" t_db_healthy_before_web
check "the depends_on stack is removed" t_depends_rm

# ---- a depends_on cycle: refused, nothing created ----
t_cycle() {
  local out
  out=$(cd "$DIR" && shl stack deploy -c cycle.yml cyc 2>&1) && { echo "deployed a cycle: $out"; return 1; }
  grep -q 'depends_on forms a cycle: a -> b -> a' <<<"$out" || { echo "$out"; return 1; }
  ! grep -q '^Creating' <<<"$out" && stack_gone cyc
}
check "a cyclic depends_on is refused naming the cycle, nothing created" t_cycle

# ---- secret / config / network ----
files_container_up() { [ -n "$(engine ps -q --filter "label=com.docker.swarm.service.name=t4files")" ]; }
files_container_gone() { [ -z "$(engine ps -aq --filter "label=com.docker.swarm.service.name=t4files")" ]; }
t_resources() {
  local id out
  id=$(printf 's3cret' | shl secret create --label team=a t4sec -) && [ -n "$id" ] || return 1
  shl secret ls | head -1 | grep -q '^ID  *NAME  *DRIVER  *CREATED  *UPDATED$' || return 1
  shl secret ls --format '{{.Name}} {{.Labels}}' | grep -qx 't4sec team=a' || return 1
  [ "$(shl secret inspect t4sec -f '{{.ID}}')" = "$id" ] || return 1
  printf 'hello' >"$DIR/cfg.txt"
  shl config create t4cfg "$DIR/cfg.txt" >/dev/null && [ "$(shl config inspect t4cfg -f '{{.Spec.Data}}')" = "$(printf hello | base64)" ] || return 1
  shl network create --attachable --label team=a --subnet 10.97.0.0/24 t4net >/dev/null || return 1
  shl network ls | grep -q ' t4net  *overlay  *swarm$' || return 1
  [ "$(shl network inspect t4net -f '{{.Attachable}} {{.Driver}}')" = "true overlay" ] || return 1
  # service create --secret/--config: names resolved to ids, files in the container
  shl service create -d --name t4files --secret source=t4sec,target=pw --config source=t4cfg,target=/etc/greeting \
    --stop-grace-period 1s shoal-test/busybox:1 sleep 600 >/dev/null || return 1
  wait_for 60 "a t4files container" files_container_up || return 1
  local c
  c=$(engine ps -q --filter "label=com.docker.swarm.service.name=t4files" | head -1)
  [ "$(engine exec "$c" cat /run/secrets/pw)" = s3cret ] && [ "$(engine exec "$c" cat /etc/greeting)" = hello ] || return 1
  out=$(shl service create -d --name t4nope --secret nope shoal-test/busybox:1 2>&1) && return 1
  [ "$out" = "secret not found: nope" ] || { echo "$out"; return 1; }
  shl service rm t4files >/dev/null && wait_for 60 "t4files containers gone" files_container_gone || return 1
  [ "$(shl secret rm t4sec)" = t4sec ] && [ "$(shl config rm t4cfg)" = t4cfg ] && [ "$(shl network rm t4net)" = t4net ] || return 1
  out=$(shl secret rm t4sec 2>&1) && return 1
  grep -q '^Error response from daemon: ' <<<"$out"
}
check "shoal secret|config|network create, ls, inspect, rm; service create --secret/--config" t_resources

# ---- swarm update, and a second daemon joining with shoal swarm join ----
t_update() {
  [ "$(shl swarm update --task-history-limit 7 --dispatcher-heartbeat 6s)" = "Swarm updated." ] || return 1
  [ "$(shl swarm inspect -f '{{.Spec.Orchestration.TaskHistoryRetentionLimit}} {{.Spec.Dispatcher.HeartbeatPeriod}}')" = "7 6000000000" ]
}
# The worker is listed as a worker (no manager status). Its Ready state is multi-node.sh's to
# check: a dispatcher race (register vs. session expiry) has been seen to mark a fresh worker Down.
worker_listed() { [ "$(dk node ls --format "{{.Hostname}} {{.ManagerStatus}}" | grep -c "^t4worker $")" = 1 ] && [ "$(dk node ls -q | wc -l)" = 2 ]; }
t_join() {
  local token out
  token=$(dk swarm join-token -q worker) || return 1
  start_daemon "$DIR/w" "$JOIN_PORT" --engine-host "$ENGINE" --hostname t4worker || return 1
  out=$(SHOAL_HOST="unix://$DIR/w/shoal.sock" "$SHOAL" swarm join --token "$token" --listen-addr "127.0.0.1:$JOIN_PORT" \
    --advertise-addr 127.0.0.1 "127.0.0.1:$PORT" 2>&1) || { echo "$out"; return 1; }
  [ "$out" = "This node joined a swarm as a worker." ] || { echo "$out"; return 1; }
  wait_for 60 "t4worker listed as a worker" worker_listed || { dk node ls; return 1; }
}
JOIN_PORT=${T4_JOIN_PORT:-$((PORT + 10))}
check "shoal swarm update changes the spec named by the flags" t_update
check "shoal swarm join: a second daemon joins as a worker" t_join

summary
