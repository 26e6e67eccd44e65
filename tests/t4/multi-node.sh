#!/usr/bin/env bash
# T4/T5: four shoal daemons on one machine (loopback, own data roots and ports, one shared Docker
# engine), formed with the unchanged docker CLI: init, two managers and a worker join with
# `docker swarm join`. Then: a service spreads; the leader is killed (SIGKILL) and the swarm
# elects another and stays writable with nothing lost; a worker is killed and its tasks run
# elsewhere; every daemon restarts with state intact; the worker is promoted and demoted again.
source "$(dirname "$0")/lib.sh"
engine_or_skip
BASE=$(mktemp -d /tmp/shoal-t4-multi.XXXXXX)
PORTS=(2617 2627 2637 2647)   # 10 apart: raft takes port+1
NAMES=(m1 m2 m3 w1)
trap 'cleanup_daemons; for n in "${NODE_IDS[@]:-}"; do engine ps -aq --filter label=com.docker.swarm.node.id="$n" | xargs -r env DOCKER_HOST=$ENGINE docker rm -f >/dev/null 2>&1; done; keep_or_remove "$BASE"' EXIT
NODE_IDS=()
on() { local i=$1; shift; DOCKER_HOST="unix://$BASE/${NAMES[$i]}/shoal.sock" docker "$@"; }

for i in 0 1 2 3; do start_daemon "$BASE/${NAMES[$i]}" "${PORTS[$i]}" --engine-host "$ENGINE" --hostname "${NAMES[$i]}"; done

check "init on m1" on 0 swarm init --advertise-addr "127.0.0.1:${PORTS[0]}"
check "faster heartbeat (1s) for the test" on 0 swarm update --dispatcher-heartbeat 1s
MTOKEN=$(on 0 swarm join-token -q manager)
WTOKEN=$(on 0 swarm join-token -q worker)
check "m2 joins as manager" on 1 swarm join --token "$MTOKEN" "127.0.0.1:${PORTS[0]}"
check "m3 joins as manager" on 2 swarm join --token "$MTOKEN" "127.0.0.1:${PORTS[0]}"
BAD=$(echo "$WTOKEN" | sed -E 's/-[a-z0-9]{25}$/-0000000000000000000000000/')
check "a token with a wrong secret is refused" bash -c "! DOCKER_HOST=unix://$BASE/w1/shoal.sock docker swarm join --token $BAD 127.0.0.1:${PORTS[0]} 2>$BASE/badjoin.err"
check "... with a clear message" grep -qi "token" "$BASE/badjoin.err"
check "... and leaves the node out of any swarm" bash -c "[ \"\$(DOCKER_HOST=unix://$BASE/w1/shoal.sock docker info --format '{{.Swarm.LocalNodeState}}')\" = inactive ]"
check "w1 joins as worker" on 3 swarm join --token "$WTOKEN" "127.0.0.1:${PORTS[0]}"
for i in 0 1 2 3; do NODE_IDS+=("$(on "$i" info --format '{{.Swarm.NodeID}}')"); done

ready_count() { [ "$(on "$1" node ls --format '{{.Status}}' 2>/dev/null | grep -c Ready)" -eq "$2" ]; }
check "node ls on m2 (a follower) shows 4 Ready" wait_for 90 "4 ready" ready_count 1 4
mstatus() { on "$1" node ls --format '{{.ManagerStatus}}' 2>/dev/null | sort | tr '\n' ' '; }
check "MANAGER STATUS: one Leader, two Reachable" wait_for 30 "manager status" bash -c "[ \"\$(DOCKER_HOST=unix://$BASE/m1/shoal.sock docker node ls --format '{{.ManagerStatus}}' | sort | tr '\n' ' ')\" = ' Leader Reachable Reachable ' ]"
check "worker refuses manager commands" bash -c "! DOCKER_HOST=unix://$BASE/w1/shoal.sock docker node ls >/dev/null 2>&1"

check "10-replica service created (on a follower)" on 1 service create -d --name spread --replicas 10 shoal-test/busybox:1 sleep 100000
running_on_nodes() { [ "$(on "$1" service ps spread --filter desired-state=running --format '{{.CurrentState}} {{.Node}}' 2>/dev/null | grep '^Running' | awk '{print $NF}' | sort -u | wc -l)" -eq "$2" ]; }
running_total() { [ "$(on "$1" service ps spread --filter desired-state=running --format '{{.CurrentState}}' 2>/dev/null | grep -c '^Running')" -eq "$2" ]; }
check "10 running" wait_for 120 "10 running" running_total 0 10
check "spread over all 4 nodes" running_on_nodes 0 4

# --- kill the leader: another manager leads, the API is writable, nothing acknowledged lost
leader_idx=0
for i in 0 1 2; do
  if on "$i" node ls --format '{{.Self}} {{.ManagerStatus}}' 2>/dev/null | grep -q '^true Leader'; then leader_idx=$i; fi
done
other=$(( (leader_idx + 1) % 3 ))
kill -KILL "$(cat "$BASE/${NAMES[$leader_idx]}/launcher.pid")"
writable() { on "$other" service scale spread=12 >/dev/null 2>&1 || on "$other" service update --detach --replicas 12 spread >/dev/null 2>&1; }
check "after the leader is killed, the API is writable again" wait_for 90 "writable" writable
check "the service survived (nothing acknowledged lost)" on "$other" service inspect spread
check "12 running after failover" wait_for 150 "12 running" running_total "$other" 12

# --- kill the worker: its tasks run elsewhere
kill -KILL "$(cat "$BASE/w1/launcher.pid")"
# the listing must succeed: a failed call (the API busy with the failover) is no proof of anything
no_tasks_on_w1() { local out; out=$(on "$other" service ps spread --filter desired-state=running --format '{{.CurrentState}} {{.Node}}' 2>/dev/null) || return 1; ! grep -q 'Running.* w1$' <<<"$out"; }
check "worker killed: its tasks are rescheduled elsewhere" wait_for 120 "tasks off w1" no_tasks_on_w1
check "still 12 running" wait_for 120 "12 running" running_total "$other" 12

# --- restart the killed daemons: they come back with their state
start_daemon "$BASE/${NAMES[$leader_idx]}" "${PORTS[$leader_idx]}" --engine-host "$ENGINE" --hostname "${NAMES[$leader_idx]}"
start_daemon "$BASE/w1" "${PORTS[3]}" --engine-host "$ENGINE" --hostname w1
check "restarted nodes are Ready again" wait_for 120 "4 ready" ready_count "$other" 4
check "the old leader answers as a manager again" wait_for 60 "old leader reads" on "$leader_idx" service inspect spread

# --- promote the worker: it joins raft and serves the API; demote it: a worker again, tasks kept
w1_status() { on "$other" node ls --format '{{.Hostname}} {{.ManagerStatus}}' 2>/dev/null | grep '^w1 '; }
w1_is() { [ "$(w1_status)" = "w1 $1" ]; }
w1_tasks() { on "$other" service ps spread --filter desired-state=running --filter node=w1 -q 2>/dev/null | sort; }
w1_running() { [ -n "$(w1_tasks)" ]; }
check "scaled to 16: the restarted w1 runs tasks again" bash -c "DOCKER_HOST=unix://$BASE/${NAMES[$other]}/shoal.sock docker service scale -d spread=16 >/dev/null"
check "... some of them on w1" wait_for 120 "tasks on w1" w1_running
w1_before=$(w1_tasks)
check "node promote w1" on "$other" node promote w1
check "w1 is a Reachable manager" wait_for 90 "w1 reachable" w1_is Reachable
check "w1 answers manager commands" wait_for 60 "w1 node ls" bash -c "DOCKER_HOST=unix://$BASE/w1/shoal.sock docker node ls >/dev/null 2>&1"
check "node demote w1" on "$other" node demote w1
check "w1 is a worker again (empty MANAGER STATUS)" wait_for 90 "w1 worker" w1_is ""
check "w1 refuses manager commands again" wait_for 60 "w1 refuses" bash -c "! DOCKER_HOST=unix://$BASE/w1/shoal.sock docker node ls >/dev/null 2>&1"
check "w1 kept its tasks through promote and demote" test "$(w1_tasks)" = "$w1_before"

check "service rm" on "$other" service rm spread
summary
