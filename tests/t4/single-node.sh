#!/usr/bin/env bash
# T4/T5: one shoal daemon on a real Docker engine, driven by the unchanged docker CLI — every
# "done when" of the single-node issue, in order. Uses its own data root, socket and ports.
source "$(dirname "$0")/lib.sh"
NODE_ID=""
engine_or_skip
DIR=$(mktemp -d /tmp/shoal-t4-single.XXXXXX)
PORT=${T4_PORT:-2577}
WEB_PORT=${T4_WEB_PORT:-18080}
trap 'cleanup_daemons; engine ps -aq --filter label=com.docker.swarm.node.id="$NODE_ID" 2>/dev/null | xargs -r env DOCKER_HOST=$ENGINE docker rm -f >/dev/null 2>&1; keep_or_remove "$DIR"' EXIT
# every docker call below talks to shoal; engine() talks to the Docker engine underneath
export DOCKER_HOST="unix://$DIR/shoal.sock"
sd() { docker "$@"; }

start_daemon "$DIR" "$PORT" --engine-host "$ENGINE"

# --- swarm init, node ls, info
check "docker swarm init" sd swarm init --advertise-addr 127.0.0.1
NODE_ID=$(sd info --format '{{.Swarm.NodeID}}')
check "info says Swarm: active" bash -c "docker info 2>/dev/null | grep -q 'Swarm: active'"
check "node ls: one Ready Active Leader" bash -c "docker node ls --format '{{.Status}} {{.Availability}} {{.ManagerStatus}}' | grep -qx 'Ready Active Leader'"

# --- service create converges with the CLI's own progress display, and the port answers
check "service create web 3 replicas converges" timeout 180 bash -c \
  "docker service create --name web --replicas 3 -p $WEB_PORT:80 shoal-test/busybox:1 httpd -f -p 80 -h /www >$DIR/create.out 2>&1"
check "progress display said converged" grep -q "Service .* converged\|verify: Service converged" "$DIR/create.out"
running() { [ "$(sd service ps "$1" --filter desired-state=running --format '{{.CurrentState}}' 2>/dev/null | grep -c '^Running')" -eq "$2" ]; }
check "3 tasks running" wait_for 60 "3 running" running web 3
answers() { curl -fsS -m 3 "127.0.0.1:$WEB_PORT/" 2>/dev/null | grep -q "Hello from Shoal"; }
check "published port answers through the mesh" wait_for 30 "port $WEB_PORT" answers
check "service ls shows 3/3 and the port" bash -c "docker service ls --format '{{.Name}} {{.Replicas}} {{.Ports}}' | grep -q 'web 3/3 \*:$WEB_PORT->80/tcp'"
check "inspect --pretty names the service" bash -c "docker service inspect --pretty web | grep -q 'Name:.*web'"

# --- scale and update
check "scale web=6" timeout 180 docker service scale web=6
check "6 tasks running" wait_for 60 "6 running" running web 6
check "update --env-add A=1" timeout 300 docker service update --env-add A=1 web
envset() { sd service inspect web --format '{{json .Spec.TaskTemplate.ContainerSpec.Env}}' | grep -q '"A=1"'; }
check "env round-trips through inspect" envset
updated() { [ "$(sd service inspect web --format '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' 2>/dev/null)" = completed ]; }
check "update completed" wait_for 240 "update completed" updated
check "still 6 running after update" wait_for 60 "6 running" running web 6

# --- logs
logs_ok() { sd service logs web 2>&1 | grep -q "web\.[0-9]*\..*@"; }
hello_logs() { sd service create --name hello --detach --restart-condition none shoal-test/busybox:1 sh -c 'echo hello-from-task; sleep 600' >/dev/null; }
check "create a service that logs" hello_logs
hello_said() { sd service logs hello 2>&1 | grep -q "hello\.1\..*| hello-from-task"; }
check "service logs shows task output with task@node context" wait_for 60 "hello logs" hello_said

# --- a killed container is replaced; history shows the failed task
# containers of this test's node only: other swarms may share the engine
mine() { engine ps "$@" --filter label=com.docker.swarm.node.id="$NODE_ID" --filter label=com.docker.swarm.service.name=web; }
victim=$(mine -q | head -1)
check "kill one task container" engine kill "$victim"
failed_in_history() { sd service ps web --format '{{.CurrentState}} {{.Error}}' 2>/dev/null | grep -qi "failed\|non-zero exit"; }
check "history shows the failed task" wait_for 60 "failed task in history" failed_in_history
check "replacement running: 6 again" wait_for 90 "6 running" running web 6

# --- daemon restart: state intact, containers adopted, not duplicated
before=$(mine -q | sort | tr '\n' ' ')
stop_daemon "$DIR"
start_daemon "$DIR" "$PORT" --engine-host "$ENGINE"
# the agent re-registers after the restart (its tasks read RUNNING from the store before that):
# wait for it, as a user would, so the next node update does not race that registration write
self_ready() { [ "$(sd node ls --format '{{.Self}} {{.Status}}' 2>/dev/null | grep '^true')" = "true Ready" ]; }
check "node Ready again after restart" wait_for 60 "node ready" self_ready
check "services intact after restart" bash -c "docker service ls --format '{{.Name}}' | grep -qx web"
check "6 running after restart" wait_for 90 "6 running" running web 6
after=$(mine -q | sort | tr '\n' ' ')
check "containers adopted, not duplicated" test "$before" = "$after"

# --- drain: tasks stop and stay pending with a reason; active: they run again
check "drain self" sd node update --availability drain "$NODE_ID"
pending_reason() { sd service ps web --no-trunc --filter desired-state=running --format '{{.CurrentState}} {{.Error}}' | grep -q "Pending.*no suitable node (1 node not available for new tasks)"; }
check "tasks pending with 'no suitable node' reason" wait_for 120 "pending with reason" pending_reason
no_containers() { [ -z "$(mine -q)" ]; }
check "drained node runs no web container" wait_for 120 "web containers stopped" no_containers
check "availability active" sd node update --availability active "$NODE_ID"
check "tasks run again" wait_for 120 "6 running" running web 6

# --- global service: one task on the node
check "global service" timeout 120 docker service create --name everywhere --mode global shoal-test/busybox:1 sleep 600
check "global runs one task" wait_for 60 "1 running" running everywhere 1

# --- bad input changes nothing
check "duplicate name refused" bash -c "! docker service create --detach --name web shoal-test/busybox:1 sleep 1 2>/dev/null"
check "negative replicas refused" bash -c "! docker service create --detach --name neg --replicas -1 shoal-test/busybox:1 sleep 1 2>/dev/null"
check "nothing was created by refused requests" bash -c "! docker service inspect neg >/dev/null 2>&1"
missing_image_rejected() { sd service ps ghost --no-trunc --format '{{.CurrentState}} {{.Error}}' | grep -qi "rejected.*\(no such image\|not found\|pull\)"; }
check "image the engine lacks: create returns" sd service create --detach --name ghost no-such-image/anywhere:1 sleep 1
check "task REJECTED with the engine's message" wait_for 90 "ghost rejected" missing_image_rejected
check "service stays after rejection" sd service inspect ghost

# --- rm: nothing of the service remains in the engine
check "service rm web" sd service rm web
gone() { [ -z "$(mine -aq)" ]; }
check "no container of web remains" wait_for 120 "web containers removed" gone
for s in hello everywhere ghost; do sd service rm "$s" >/dev/null 2>&1 || true; done

check "swarm leave --force" sd swarm leave --force
summary
