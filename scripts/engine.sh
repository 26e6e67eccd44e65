#!/usr/bin/env bash
# A Docker engine of Shoal's own, on its own socket, data root, exec root and pidfile, so it never
# touches a system engine. Idempotent: `start` reuses an engine that already answers.
#   scripts/engine.sh start   -> prints the DOCKER_HOST to use
#   scripts/engine.sh stop    -> stops the engine this script started (by its pidfile)
#   scripts/engine.sh image   -> builds the test image shoal-test/busybox:1 from busybox-static
set -euo pipefail
ROOT=${SHOAL_ENGINE_ROOT:-/var/lib/shoal-engine}
RUN=${SHOAL_ENGINE_RUN:-/run/shoal-engine}
SOCK=$RUN/docker.sock
HOST=unix://$SOCK
PIDFILE=$RUN/docker.pid
IMAGE=shoal-test/busybox:1

answers() { DOCKER_HOST=$HOST timeout 5 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

install_pkgs() {
  local need=()
  command -v dockerd >/dev/null || need+=(docker.io)
  [ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || need+=(busybox-static)
  command -v ip >/dev/null || need+=(iproute2)
  command -v docker >/dev/null || need+=(docker-cli)
  if [ ${#need[@]} -gt 0 ]; then
    echo "engine: installing ${need[*]}" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
  fi
}

close_inherited_fds() {
  local fd
  for fd in $(ls /proc/$BASHPID/fd); do
    [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null || true
  done
}

start() {
  if answers; then echo "$HOST"; return 0; fi
  install_pkgs
  mkdir -p "$ROOT/data" "$RUN/exec"
  echo "engine: starting dockerd on $HOST" >&2
  # the engine outlives the script that starts it: it must not inherit the script's descriptors,
  # above all the T4 lock (flock's fd), or it holds that lock for as long as it runs
  (close_inherited_fds; exec nohup dockerd --host "$HOST" --data-root "$ROOT/data" --exec-root "$RUN/exec" \
    --pidfile "$PIDFILE" >"$RUN/dockerd.log" 2>&1 </dev/null) &
  for _ in $(seq 1 60); do
    if answers; then echo "$HOST"; return 0; fi
    sleep 0.5
  done
  echo "engine: dockerd did not answer on $HOST; its log:" >&2
  tail -20 "$RUN/dockerd.log" >&2 || true
  return 1
}

image() {
  if DOCKER_HOST=$HOST docker image inspect $IMAGE >/dev/null 2>&1; then return 0; fi
  local bb; bb=$(command -v busybox)
  local dir; dir=$(mktemp -d)
  mkdir -p "$dir/bin" "$dir/www" "$dir/etc" "$dir/tmp"
  cp "$bb" "$dir/bin/busybox"
  for a in sh httpd ls cat echo sleep wget env hostname nc ps kill true false id grep test date; do
    ln -s busybox "$dir/bin/$a"
  done
  echo 'root:x:0:0:root:/:/bin/sh' >"$dir/etc/passwd"
  echo 'root:x:0:' >"$dir/etc/group"
  echo '<h1>Hello from Shoal</h1>' >"$dir/www/index.html"
  tar -C "$dir" -c . | DOCKER_HOST=$HOST docker import -c 'ENV PATH=/bin' -c 'WORKDIR /www' - $IMAGE >/dev/null
  rm -rf "$dir"
  echo "engine: built $IMAGE" >&2
}

stop() {
  [ -f "$PIDFILE" ] || return 0
  local pid; pid=$(cat "$PIDFILE")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null || true
}

case "${1:-start}" in
  start) start ;;
  image) start >/dev/null && image ;;
  stop) stop ;;
  host) echo "$HOST" ;;
  *) echo "usage: $0 start|image|stop|host" >&2; exit 2 ;;
esac
