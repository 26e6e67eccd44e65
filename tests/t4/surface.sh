#!/usr/bin/env bash
# T4: the Docker surface beyond swarm commands, with the unchanged docker CLI on one daemon over a
# real engine: docker events (live and replayed). Own data root, socket and port.
source "$(dirname "$0")/lib.sh"
NODE_ID=""
EVENTS_PID=""
engine_or_skip
DIR=$(mktemp -d /tmp/shoal-t4-surface.XXXXXX)
PORT=${T4_SURFACE_PORT:-2637}
cleanup() {
  [ -z "$EVENTS_PID" ] || kill "$EVENTS_PID" 2>/dev/null || true
  engine rm -f surface-c >/dev/null 2>&1 || true
  engine volume rm surface-v >/dev/null 2>&1 || true
  engine network rm surface-lnet >/dev/null 2>&1 || true
  cleanup_daemons
  engine ps -aq --filter label=com.docker.swarm.node.id="$NODE_ID" 2>/dev/null | xargs -r env DOCKER_HOST=$ENGINE docker rm -f >/dev/null 2>&1 || true
  keep_or_remove "$DIR"
}
trap cleanup EXIT
export DOCKER_HOST="unix://$DIR/shoal.sock"

start_daemon "$DIR" "$PORT" --engine-host "$ENGINE"
check "docker swarm init" docker swarm init --advertise-addr 127.0.0.1
NODE_ID=$(docker info --format '{{.Swarm.NodeID}}')

# --- docker events: live while a service is created, scaled and removed; then replayed
docker events --filter type=service --format '{{.Type}} {{.Action}} {{.Actor.Attributes.name}} {{index .Actor.Attributes "replicas.new"}}' >"$DIR/events.live" 2>&1 &
EVENTS_PID=$!
listening() { [ "$(docker info --format '{{.NEventsListener}}' 2>/dev/null)" -ge 1 ] 2>/dev/null; }
wait_for 20 "events listener" listening || true
check "service create (events)" docker service create --detach --name ev --replicas 1 shoal-test/busybox:1 sleep 600
check "service scale ev=2" docker service scale --detach ev=2
check "service rm ev" docker service rm ev
saw() { grep -q "$1" "$DIR/events.live"; }
check "events: service create seen live" wait_for 20 "create event" saw "^service create ev"
check "events: scale seen as update with replicas.new=2" wait_for 20 "update event" saw "^service update ev 2"
check "events: service remove seen live" wait_for 20 "remove event" saw "^service remove ev"
kill "$EVENTS_PID" 2>/dev/null; EVENTS_PID=""
# --until 0s is sent in whole seconds: let the second of the removal pass
REMOVED_AT=$(date +%s)
later() { [ "$(date +%s)" -gt "$REMOVED_AT" ]; }
wait_for 5 "next second" later
docker events --since 1m --until 0s --filter type=service --format '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}' >"$DIR/events.replay" 2>&1
check "events --since 1m --until 0s replays create/update/remove and ends" \
  bash -c "grep -q '^service create ev' $DIR/events.replay && grep -q '^service update ev' $DIR/events.replay && grep -q '^service remove ev' $DIR/events.replay"
check "events --filter type=node shows no service" bash -c "! docker events --since 1m --until 0s --filter type=node | grep -q service"

# --- templates: hostname per task, a golang-templated config, a bad template refused at create
printf 'task={{.Task.Name}} host={{.Node.Hostname}}\n' >"$DIR/tpl.conf"
check "config create --template-driver golang" docker config create --template-driver golang surface-tpl "$DIR/tpl.conf"
check "service create with templated hostname and config" docker service create --detach --name tpl --replicas 1 \
  --hostname '{{.Node.Hostname}}-{{.Task.Slot}}' --config source=surface-tpl,target=/tpl.conf \
  shoal-test/busybox:1 sh -c 'hostname; cat /tpl.conf; sleep 600'
HOST_NAME=$(docker node inspect self --format '{{.Description.Hostname}}')
tpl_logged() { docker service logs --raw tpl 2>/dev/null | grep -q "$1"; }
check "hostname {{.Node.Hostname}}-{{.Task.Slot}} is <host>-1" wait_for 90 "templated hostname" tpl_logged "^$HOST_NAME-1\$"
check "templated config renders the task's name" wait_for 30 "templated config" tpl_logged "^task=tpl\.1\.[a-z0-9]* host=$HOST_NAME"
bad_tpl() { docker service create --detach --name badtpl --env 'A={{.Task.Nope}}' shoal-test/busybox:1 true 2>&1 | grep -q "can't evaluate field Nope"; }
check "a bad template is refused at create" bad_tpl
check "and creates nothing" bash -c "! docker service inspect badtpl >/dev/null 2>&1"
docker service rm tpl >/dev/null 2>&1 || true

# --- one socket for everything: engine paths pass through to the node's engine
check "docker run --rm busybox echo hi" bash -c "timeout 60 docker run --rm shoal-test/busybox:1 echo hi | grep -qx hi"
check "docker run -d (named)" bash -c "timeout 60 docker run -d --name surface-c shoal-test/busybox:1 sh -c 'echo logged-line; sleep 300' >/dev/null"
check "docker ps lists it" bash -c "docker ps --format '{{.Names}}' | grep -qx surface-c"
check "docker exec" bash -c "timeout 30 docker exec surface-c echo from-exec | grep -qx from-exec"
check "docker exec -i passes stdin and its end" bash -c "echo piped | timeout 30 docker exec -i surface-c sh -c 'cat; echo end' | tr '\n' ' ' | grep -q 'piped end'"
check "docker exec exit code" bash -c "timeout 30 docker exec surface-c sh -c 'exit 7'; [ \$? -eq 7 ]"
check "docker logs" bash -c "timeout 30 docker logs surface-c 2>&1 | grep -q logged-line"
check "docker images" bash -c "docker images --format '{{.Repository}}:{{.Tag}}' | grep -q shoal-test/busybox:1"
check "docker volume create/ls/rm" bash -c "docker volume create surface-v >/dev/null && docker volume ls -q | grep -qx surface-v && docker volume rm surface-v >/dev/null"
check "docker system df" bash -c "timeout 60 docker system df | grep -q '^Images'"
check "docker info: the engine's figures with the swarm section" bash -c \
  "docker info 2>/dev/null | grep -q 'Storage Driver' && docker info 2>/dev/null | grep -q 'Swarm: active' && [ \$(docker info --format '{{.Images}}') -ge 1 ]"
check "local network create/inspect/rm goes to the engine" bash -c \
  "docker network create -d bridge surface-lnet >/dev/null && [ \$(docker network inspect surface-lnet --format '{{.Scope}}') = local ] && docker network rm surface-lnet >/dev/null"
check "network ls shows local networks beside swarm ones" bash -c "docker network ls --format '{{.Name}} {{.Scope}}' | grep -qx 'bridge local'"
docker rm -f surface-c >/dev/null 2>&1 || true

summary
