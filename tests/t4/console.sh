#!/usr/bin/env bash
# T4: the live console and the metrics endpoint, seen as an operator would. Three daemons (one
# manager serving --ui-addr and --metrics-addr on loopback, two workers) form a swarm with the
# real docker CLI and deploy a stack; headless Chromium opens the console once, and without ever
# reloading it the page must show the stack's tasks, the new tasks of a scale-up, a killed task's
# card turning red next to its replacement, and that task's history and error on click. A
# screenshot is saved in the test's output. Metrics must move with the same changes.
# Skipped loudly when the engine, Chromium or node (the DevTools client) cannot start.
#
# Environment: SHOAL_T4_OUT  where the screenshot goes (default /tmp/shoal-t4-out/console)
source "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${SHOAL_T4_OUT:-/tmp/shoal-t4-out}/console
PORTS=(2817 2827 2837)   # 10 apart: raft takes port+1
NAMES=(ops-m1 ops-w1 ops-w2)
UI_PORT=28117
METRICS_PORT=28118
DEVTOOLS_PORT=28119
WEB_PORT=28107

skip() { echo "SKIPPED: $*" >&2; echo "t4: 0 passed, 0 failed, 1 skipped"; exit 0; }
command -v node >/dev/null 2>&1 && node --experimental-websocket -e 'if (typeof WebSocket !== "function") process.exit(1)' 2>/dev/null \
  || skip "node with a WebSocket client (node >= 20 --experimental-websocket) is needed to drive Chromium over the DevTools protocol; console test not run"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
CHROME_FLAGS=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --window-size=1400,900)
timeout 60 "$CHROMIUM" "${CHROME_FLAGS[@]}" --user-data-dir="$(mktemp -d /tmp/shoal-t4-chrome.XXXXXX)" --dump-dom about:blank >/dev/null 2>&1 \
  || skip "$CHROMIUM cannot start headless here; console test not run"
engine_or_skip

BASE=$(mktemp -d /tmp/shoal-t4-console.XXXXXX)
mkdir -p "$OUT"
NODE_IDS=()
CHROME_PID=
trap '[ -n "$CHROME_PID" ] && kill "$CHROME_PID" 2>/dev/null; on 0 stack rm demo >/dev/null 2>&1; cleanup_daemons; for n in "${NODE_IDS[@]:-}"; do engine ps -aq --filter label=com.docker.swarm.node.id="$n" | xargs -r env DOCKER_HOST=$ENGINE docker rm -f >/dev/null 2>&1; done; keep_or_remove "$BASE"' EXIT
on() { local i=$1; shift; DOCKER_HOST="unix://$BASE/${NAMES[$i]}/shoal.sock" docker "$@"; }

start_daemon "$BASE/${NAMES[0]}" "${PORTS[0]}" --engine-host "$ENGINE" --hostname "${NAMES[0]}" \
  --ui-addr "127.0.0.1:$UI_PORT" --metrics-addr "127.0.0.1:$METRICS_PORT"
for i in 1 2; do start_daemon "$BASE/${NAMES[$i]}" "${PORTS[$i]}" --engine-host "$ENGINE" --hostname "${NAMES[$i]}"; done
check "a non-loopback --metrics-addr without a port is refused with a clear error" \
  bash -c "$(daemon_cmd) --data-root $BASE/bad --metrics-addr 0.0.0.0 2>&1 | grep -q 'invalid --metrics-addr'"

check "init on the manager" on 0 swarm init --advertise-addr "127.0.0.1:${PORTS[0]}"
check "faster heartbeat (1s) for the test" on 0 swarm update --dispatcher-heartbeat 1s
WTOKEN=$(on 0 swarm join-token -q worker)
for i in 1 2; do check "${NAMES[$i]} joins" on "$i" swarm join --token "$WTOKEN" "127.0.0.1:${PORTS[0]}"; done
for i in 0 1 2; do NODE_IDS+=("$(on "$i" info --format '{{.Swarm.NodeID}}')"); done
ready3() { [ "$(on 0 node ls --format '{{.Status}}' 2>/dev/null | grep -c Ready)" -eq 3 ]; }
check "3 nodes Ready" wait_for 90 "3 ready" ready3
check "stack deployed" env WEB_PORT=$WEB_PORT DOCKER_HOST="unix://$BASE/${NAMES[0]}/shoal.sock" docker stack deploy -c "$HERE/console/demo.yml" demo

# --- the browser: one page load for the whole test
"$CHROMIUM" "${CHROME_FLAGS[@]}" --user-data-dir="$BASE/chrome" --remote-debugging-port=$DEVTOOLS_PORT \
  "http://127.0.0.1:$UI_PORT/" >"$BASE/chromium.log" 2>&1 &
CHROME_PID=$!
js() { node --no-warnings --experimental-websocket "$HERE/console/cdp.mjs" eval $DEVTOOLS_PORT "$1" 2>>"$BASE/cdp.log"; }
cards() { js "document.querySelectorAll('.task[data-service=\"$1\"][data-state=\"$2\"]').length"; }
cards_are() { [ "$(cards "$1" "$2")" = "$3" ]; }
cards_at_least() { local n; n=$(cards "$1" "$2"); [ -n "$n" ] && [ "$n" -ge "$3" ]; }
page_loaded() { [ "$(js 'document.body.dataset.index ? 1 : 0')" = 1 ]; }
check "Chromium opened the console and it received the cluster over its event stream" wait_for 60 "page state" page_loaded
check "the page is live (server-sent events connected)" wait_for 20 "live" bash -c "[ \"\$(node --no-warnings --experimental-websocket $HERE/console/cdp.mjs eval $DEVTOOLS_PORT \"document.querySelector('#live').textContent\")\" = '\"live\"' ]"
check "three node columns, the manager first and marked leader" \
  bash -c "[ \"\$(node --no-warnings --experimental-websocket $HERE/console/cdp.mjs eval $DEVTOOLS_PORT \"[...document.querySelectorAll('.node')].map(n => n.dataset.node).join(',') + '|' + document.querySelector('.node .badge.leader').closest('.node').dataset.node\")\" = '\"ops-m1,ops-w1,ops-w2|ops-m1\"' ]"
check "3 running web cards" wait_for 120 "3 web cards" cards_are demo_web running 3
check "a global worker card on each node" wait_for 60 "3 worker cards" cards_are demo_worker running 3
check "the services table shows replicas and the published port" wait_for 20 "services table" bash -c \
  "node --no-warnings --experimental-websocket $HERE/console/cdp.mjs eval $DEVTOOLS_PORT \"document.querySelector('#services tr[data-service=demo_web]').textContent\" | grep -q '3/3.*$WEB_PORT->8080/tcp'"
page_id=$(js 'window.performance.timeOrigin')

check "service scale demo_web=6" on 0 service scale -d demo_web=6
check "the page shows 6 running web cards without a reload" wait_for 120 "6 web cards" cards_are demo_web running 6
spread() { [ "$(js "new Set([...document.querySelectorAll('.task[data-service=\"demo_web\"][data-state=\"running\"]')].map(c => c.closest('.node').dataset.node)).size")" = 3 ]; }
check "... spread over the three node columns" spread

victim=$(engine ps -q --filter label=com.docker.swarm.service.name=demo_web | head -1)
check "kill one web task's container" engine kill "$victim"
check "its card turns red (failed) on the page" wait_for 60 "failed card" cards_at_least demo_web failed 1
check "and a replacement brings the page back to 6 running" wait_for 120 "6 again" cards_are demo_web running 6
check "the page was never reloaded" bash -c "[ \"\$(node --no-warnings --experimental-websocket $HERE/console/cdp.mjs eval $DEVTOOLS_PORT 'window.performance.timeOrigin')\" = '$page_id' ]"
js "document.querySelector('.task[data-service=\"demo_web\"][data-state=\"failed\"]').click()" >/dev/null
history_ok() { js "document.querySelector('#detail').hidden ? '' : document.querySelector('#history').textContent" | grep -q 'failed.*running\|running.*failed'; }
check "clicking it shows the slot's history (failed and its replacement)" wait_for 10 "history" history_ok
check "... with the task's error" bash -c "node --no-warnings --experimental-websocket $HERE/console/cdp.mjs eval $DEVTOOLS_PORT \"document.querySelector('#history .err') ? document.querySelector('#history .err').textContent : ''\" | grep -qi 'exit\|error\|kill'"
node --no-warnings --experimental-websocket "$HERE/console/cdp.mjs" shot $DEVTOOLS_PORT "$OUT/console.png" 2>>"$BASE/cdp.log"
check "screenshot saved: $OUT/console.png" test -s "$OUT/console.png"

# --- metrics: the families are there and moved with the same changes
M=$(curl -s "http://127.0.0.1:$METRICS_PORT/metrics")
check "metrics: raft, store, dispatcher, scheduler, orchestrator, agent, API and JVM families" bash -c '
  for f in shoal_raft_term shoal_raft_proposal_seconds_bucket shoal_store_commits_total shoal_store_watch_queue_depth_events \
    shoal_dispatcher_sessions shoal_dispatcher_nodes shoal_scheduler_placements_total shoal_scheduler_placement_latency_seconds_count \
    shoal_orchestrator_tasks shoal_agent_engine_call_seconds_count shoal_api_request_seconds_count jvm_memory_used_bytes jvm_gc_pause_seconds; do
    grep -q "^$f" <<<"$1" || { echo "missing $f" >&2; exit 1; }; done' _ "$M"
check "metrics: 6 running demo_web tasks, 3 sessions, 3 ready nodes" bash -c '
  grep -q "^shoal_orchestrator_tasks{service=\"demo_web\",state=\"running\"} 6" <<<"$1" && grep -q "^shoal_dispatcher_sessions 3" <<<"$1" \
  && [ "$(grep "^shoal_dispatcher_nodes{.*state=\"ready\"}" <<<"$1" | awk "{s+=\$2} END {print s}")" = 3 ]' _ "$M"
check "metrics: placements counted (3 web + 3 scaled + 1 replacement at least)" bash -c \
  '[ "$(grep "^shoal_scheduler_placements_total" <<<"$1" | awk "{print int(\$2)}")" -ge 7 ]' _ "$M"
check "metrics: the failure was counted" bash -c 'grep -Eq "^shoal_orchestrator_task_transitions_total\{state=\"failed\"\} [1-9]" <<<"$1"' _ "$M"

summary
