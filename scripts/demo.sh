#!/usr/bin/env bash
# The main job, from a fresh Debian machine: build Shoal, make sure a Docker engine is reachable
# (our own dockerd on its own socket and data root) or else fall back to the process executor,
# start a one-node swarm, deploy the example stack, and show it answering through the routing
# mesh on 127.0.0.1:8080. The daemon keeps running afterwards; the script prints how to stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
DIR=${SHOAL_DEMO_DIR:-/tmp/shoal-demo}
PORT=${SHOAL_DEMO_PORT:-8080}
mkdir -p "$DIR"
export DOCKER_HOST=unix://$DIR/shoal.sock

executor=docker
engine=""
if engine=$(scripts/engine.sh start 2>"$DIR/engine.log") && scripts/engine.sh image 2>>"$DIR/engine.log"; then
  echo "demo: Docker engine at $engine"
else
  echo "NOTICE: no Docker engine could be started here ($(tail -1 "$DIR/engine.log"));"
  echo "NOTICE: falling back to the process executor: tasks run as host processes."
  executor=process
fi

if ! docker version >/dev/null 2>&1; then
  echo "demo: starting shoal daemon (data root $DIR/data, log $DIR/daemon.log)"
  nohup bin/shoal daemon --data-root "$DIR/data" -H "$DOCKER_HOST" --pidfile "$DIR/shoal.pid" \
    --executor "$executor" ${engine:+--engine-host "$engine"} --listen-addr 127.0.0.1:2377 \
    --advertise-addr 127.0.0.1 >>"$DIR/daemon.log" 2>&1 &
  for _ in $(seq 1 120); do docker version >/dev/null 2>&1 && break; sleep 0.5; done
fi
if [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" != active ]; then
  docker swarm init --advertise-addr 127.0.0.1
fi

if [ "$executor" = docker ]; then
  docker stack deploy -c examples/demo-stack.yml demo
  service=demo_web
else
  # one host process serving a directory; the mesh publishes it on $PORT
  mkdir -p "$DIR/www" && echo "<h1>Hello from Shoal (process executor)</h1>" >"$DIR/www/index.html"
  docker service inspect web >/dev/null 2>&1 || docker service create --detach --name web -p "$PORT:18081" \
    busybox httpd -f -p 127.0.0.1:18081 -h "$DIR/www"
  service=web
fi

echo "demo: waiting for $service to converge"
for _ in $(seq 1 240); do
  r=$(docker service ls --filter name="$service" --format '{{.Replicas}}' | head -1)
  [ -n "$r" ] && [ "${r%%/*}" = "${r##*/}" ] && [ "${r%%/*}" != 0 ] && break
  sleep 0.5
done
docker service ls
echo
echo "demo: $service answers through the routing mesh on 127.0.0.1:$PORT:"
for i in 1 2 3; do
  for _ in $(seq 1 60); do curl -fsS -m 2 "127.0.0.1:$PORT/" 2>/dev/null && break; sleep 0.5; done
done
echo
echo "Try:   export DOCKER_HOST=$DOCKER_HOST; docker service ps $service; docker node ls"
echo "Stop:  kill \$(cat $DIR/shoal.pid)   (containers are removed by: docker stack rm demo; docker swarm leave --force)"
