#!/usr/bin/env bash
# T5: five hosts, each a network namespace of its own with its own dockerd and shoal daemon,
# joined into one swarm with the unchanged docker CLI: 3 managers + 2 workers. Then, as the
# issue asks: node ls on every manager; a 10-replica service spreads; the routing mesh answers on
# every host; the leader is killed and another leads with nothing lost; a worker is cut off
# (link down in its namespace): its containers keep running and it reconciles on return; a
# worker is killed and its tasks run elsewhere; every daemon restarts with state intact.
#
# Topology: namespace "<prefix>-sw" holds a bridge; hosts h1..h5 hang off it by veth pairs with
# 10.77.0.1-5/24. Nothing is added to the root namespace; traffic only flows between namespaces
# this script made. dockerd and the shoal daemon are entered with `nsenter --net`, which keeps
# the host's /sys and cgroup mounts (`ip netns exec` remounts /sys and dockerd then fails).
# Everything this script starts is stopped by PID; namespaces, mounts and directories go at exit.
source "$(dirname "$0")/../t4/lib.sh"
engine_or_skip
for tool in ip nsenter dockerd curl; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIPPED: T5 needs $tool (network namespaces, a dockerd per host)" >&2
    echo "t4: 0 passed, 0 failed, 1 skipped"; exit 0
  fi
done
if [ "$(id -u)" != 0 ]; then
  echo "SKIPPED: T5 needs root for network namespaces and dockerd" >&2
  echo "t4: 0 passed, 0 failed, 1 skipped"; exit 0
fi

BASE=$(mktemp -d /tmp/shoal-t5.XXXXXX)
PREFIX="shoalt5-$$"
HOSTS=(h1 h2 h3 h4 h5)
DOCKERD_PIDS=()
ns() { echo "$PREFIX-$1"; }
addr() { echo "10.77.0.$(( $1 + 1 ))"; }          # host index 0..4 -> 10.77.0.1..5
on() { local i=$1; shift; DOCKER_HOST="unix://$BASE/${HOSTS[$i]}/shoal.sock" docker "$@"; }
eng() { local i=$1; shift; DOCKER_HOST="unix://$BASE/${HOSTS[$i]}/docker.sock" docker "$@"; }
in_ns() { local i=$1; shift; nsenter --net="$(nspath "$i")" "$@"; }
# never background a shell function (`in_ns ... &`): $! would be a subshell's PID, not the process
nspath() { echo "/var/run/netns/$(ns "${HOSTS[$1]}")"; }

cleanup() {
  cleanup_daemons
  # the daemons' own pidfiles too, in case a launcher PID was not the process itself
  for h in "${HOSTS[@]}"; do
    pid=$(cat "$BASE/$h/shoal.pid" 2>/dev/null || true)
    [ -n "$pid" ] && grep -qs "$BASE/$h/" "/proc/$pid/cmdline" && kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${DOCKERD_PIDS[@]:-}"; do [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${DOCKERD_PIDS[@]:-}"; do
    [ -n "$pid" ] || continue
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  for h in sw "${HOSTS[@]}"; do ip netns del "$(ns "$h")" 2>/dev/null || true; done
  # dockerd leaves mounts under its roots; unmount before removing
  grep -o " $BASE[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  keep_or_remove "$BASE"
}
trap cleanup EXIT

# --- the network: a switch namespace and five hosts
ip netns add "$(ns sw)"
ip -n "$(ns sw)" link add br0 type bridge
ip -n "$(ns sw)" link set br0 up
ip -n "$(ns sw)" link set lo up
for i in 0 1 2 3 4; do
  h=${HOSTS[$i]}
  ip netns add "$(ns "$h")"
  ip -n "$(ns sw)" link add "v$h" type veth peer name eth0 netns "$(ns "$h")"
  ip -n "$(ns sw)" link set "v$h" master br0 up
  ip -n "$(ns "$h")" addr add "$(addr "$i")/24" dev eth0
  ip -n "$(ns "$h")" link set eth0 up
  ip -n "$(ns "$h")" link set lo up
done
# A negative check ("not listed") must come from a call that succeeded: outputs are captured first.
reach() { local out; out=$(nsenter --net="$(nspath 0)" bash -c "exec 3<>/dev/tcp/$(addr 4)/9" 2>&1); grep -q "refused" <<<"$out"; }
check "hosts reach each other (h1 -> h5: connection refused, not unreachable)" wait_for 10 "h5 reachable" reach

# --- a dockerd per host, the test image loaded from the shared engine
engine save -o "$BASE/image.tar" shoal-test/busybox:1
for i in 0 1 2 3 4; do
  d="$BASE/${HOSTS[$i]}"; mkdir -p "$d"
  nsenter --net="$(nspath "$i")" dockerd --host "unix://$d/docker.sock" --data-root "$d/docker-data" --exec-root "$d/docker-exec" \
    --pidfile "$d/docker.pid" >"$d/dockerd.log" 2>&1 &
  DOCKERD_PIDS+=($!)
done
engine_up() { DOCKER_HOST="unix://$BASE/${HOSTS[$1]}/docker.sock" docker version >/dev/null 2>&1; }
for i in 0 1 2 3 4; do
  if ! wait_for 90 "dockerd on ${HOSTS[$i]}" engine_up "$i"; then
    echo "SKIPPED: dockerd could not start inside a network namespace here; log:" >&2
    tail -5 "$BASE/${HOSTS[$i]}/dockerd.log" >&2
    echo "t4: 0 passed, 0 failed, 1 skipped"; FAILED=0; exit 0
  fi
  eng "$i" load -i "$BASE/image.tar" >/dev/null
done
has_image() { for i in 0 1 2 3 4; do eng "$i" image inspect shoal-test/busybox:1 >/dev/null 2>&1 || return 1; done; }
check "five engines, each in its own namespace, have the test image" has_image

# --- a shoal daemon per host, on the host's own address
start_host() {
  local i=$1 d="$BASE/${HOSTS[$1]}" a
  a=$(addr "$i")
  # shellcheck disable=SC2046
  nsenter --net="$(nspath "$i")" $(daemon_cmd) --data-root "$d/data" -H "unix://$d/shoal.sock" --pidfile "$d/shoal.pid" \
    --listen-addr "$a:2377" --advertise-addr "$a" --data-path-addr "$a" \
    --engine-host "unix://$d/docker.sock" --hostname "${HOSTS[$i]}" >>"$d/daemon.log" 2>&1 &
  DAEMON_PIDS+=($!)
  echo $! >"$d/launcher.pid"
  wait_for 90 "shoal daemon on ${HOSTS[$i]}" docker_ok "$d"
}
for i in 0 1 2 3 4; do start_host "$i"; done

check "init on h1" on 0 swarm init --advertise-addr "$(addr 0)"
check "faster heartbeat (1s) for the test" on 0 swarm update --dispatcher-heartbeat 1s
MTOKEN=$(on 0 swarm join-token -q manager)
WTOKEN=$(on 0 swarm join-token -q worker)
check "h2 joins as manager" on 1 swarm join --token "$MTOKEN" "$(addr 0):2377"
check "h3 joins as manager" on 2 swarm join --token "$MTOKEN" "$(addr 0):2377"
check "h4 joins as worker" on 3 swarm join --token "$WTOKEN" "$(addr 0):2377"
check "h5 joins as worker" on 4 swarm join --token "$WTOKEN" "$(addr 0):2377"

ready_count() { [ "$(on "$1" node ls --format '{{.Status}}' 2>/dev/null | grep -c Ready)" -eq "$2" ]; }
mstatus() { on "$1" node ls --format '{{.ManagerStatus}}' 2>/dev/null | sort | tr '\n' ' '; }
leader_and_two() { [ "$(mstatus "$1")" = "  Leader Reachable Reachable " ]; }
for i in 0 1 2; do
  check "node ls on ${HOSTS[$i]}: 5 Ready" wait_for 90 "5 ready" ready_count "$i" 5
  check "node ls on ${HOSTS[$i]}: Leader, Reachable, Reachable" wait_for 60 "manager status" leader_and_two "$i"
done

# --- a 10-replica service with a published port spreads; every host serves the port
check "10-replica web service created" on 1 service create -d --name web --replicas 10 -p 8080:80 \
  shoal-test/busybox:1 httpd -f -p 80 -h /www
running() { [ "$(on "$1" service ps "$2" --filter desired-state=running --format '{{.CurrentState}}' 2>/dev/null | grep -c '^Running')" -eq "$3" ]; }
# fails when the listing fails: "no task on X" must come from a real answer
nodes_of() { local out; out=$(on "$1" service ps "$2" --filter desired-state=running --format '{{.CurrentState}}|{{.Node}}' 2>/dev/null) || return 1; grep '^Running' <<<"$out" | cut -d'|' -f2 | sort -u; }
check "10 running" wait_for 180 "10 running" running 0 web 10
check "spread over all 5 hosts" bash -c "[ \$(DOCKER_HOST=unix://$BASE/h1/shoal.sock docker service ps web --filter desired-state=running --format '{{.Node}}' | sort -u | wc -l) -eq 5 ]"
answers_on() { local out; out=$(in_ns "$1" curl -fsS -m 3 "http://$(addr "$2"):8080/" 2>/dev/null); grep -q "Hello from Shoal" <<<"$out"; }
for j in 0 1 2 3 4; do
  check "routing mesh: h4 reaches web through ${HOSTS[$j]}:8080" wait_for 60 "mesh on ${HOSTS[$j]}" answers_on 3 "$j"
done

# --- kill the leader (SIGKILL): another leads, the API is writable, nothing acknowledged lost
leader=0
for i in 0 1 2; do grep -q '^true Leader' <<<"$(on "$i" node ls --format '{{.Self}} {{.ManagerStatus}}' 2>/dev/null)" && leader=$i; done
other=$(( (leader + 1) % 3 ))
kill -KILL "$(cat "$BASE/${HOSTS[$leader]}/launcher.pid")"
writable() { on "$other" service update -d --replicas 12 web >/dev/null 2>&1; }
check "leader ${HOSTS[$leader]} killed: the API on ${HOSTS[$other]} is writable again" wait_for 90 "writable" writable
check "the service survived (nothing acknowledged lost)" on "$other" service inspect web
check "12 running after failover" wait_for 180 "12 running" running "$other" web 12
start_host "$leader"
check "the old leader is back as a Reachable manager" wait_for 90 "5 ready" ready_count "$other" 5

# --- cut a worker off: its containers keep running; it reconciles when the link is back
w=3
mine() { eng "$w" ps -q --filter label=com.docker.swarm.service.name=web | sort; }
before=$(mine)
ip -n "$(ns "${HOSTS[$w]}")" link set eth0 down
node_down() { grep -q "^${HOSTS[$w]} Down" <<<"$(on "$other" node ls --format '{{.Hostname}} {{.Status}}' 2>/dev/null)"; }
check "cut-off worker ${HOSTS[$w]} is seen Down" wait_for 60 "node down" node_down
off_w() { local n; n=$(nodes_of "$other" web) || return 1; ! grep -qx "${HOSTS[$w]}" <<<"$n"; }
check "its tasks are rescheduled on the other hosts" wait_for 120 "tasks off ${HOSTS[$w]}" off_w
check "12 running elsewhere meanwhile" wait_for 120 "12 running" running "$other" web 12
check "while cut off, its containers keep running" test "$(mine)" = "$before"
ip -n "$(ns "${HOSTS[$w]}")" link set eth0 up
node_ready() { grep -q "^${HOSTS[$1]} Ready" <<<"$(on "$other" node ls --format '{{.Hostname}} {{.Status}}' 2>/dev/null)"; }
check "back on the network it is Ready again" wait_for 60 "node ready" node_ready "$w"
none_left() { [ -z "$(mine)" ]; }
check "it reconciles: the containers of its moved tasks are stopped" wait_for 90 "old containers gone" none_left
check "still 12 running" wait_for 60 "12 running" running "$other" web 12

# --- kill a worker: its tasks run elsewhere
w=4
on "$other" service scale -d web=10 >/dev/null
kill -KILL "$(cat "$BASE/${HOSTS[$w]}/launcher.pid")"
off_w5() { local n; n=$(nodes_of "$other" web) || return 1; ! grep -qx "${HOSTS[$w]}" <<<"$n"; }
check "worker ${HOSTS[$w]} killed: its tasks run elsewhere" wait_for 120 "tasks off ${HOSTS[$w]}" off_w5
check "10 running" wait_for 120 "10 running" running "$other" web 10

# --- stop and restart every daemon: state intact
for i in 0 1 2 3; do stop_daemon "$BASE/${HOSTS[$i]}"; done
for i in 0 1 2 3 4; do start_host "$i"; done
check "after a full restart, all 5 Ready" wait_for 180 "5 ready" ready_count 0 5
check "after a full restart, the service is intact" on 0 service inspect web
check "after a full restart, 10 running" wait_for 180 "10 running" running 0 web 10
check "and the mesh answers again" wait_for 60 "mesh" answers_on 4 0

check "service rm" on 0 service rm web
gone() { for i in 0 1 2 3 4; do [ -z "$(eng "$i" ps -q --filter label=com.docker.swarm.service.name=web)" ] || return 1; done; }
check "no web container left on any host" wait_for 90 "containers gone" gone
summary
