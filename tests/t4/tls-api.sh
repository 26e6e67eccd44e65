#!/usr/bin/env bash
# T4: the Docker API over TCP with mutual TLS (`shoal daemon --tls-api-addr`, dockerd's
# --tlsverify model on the swarm CA), driven by the unchanged docker CLI. A client certificate
# comes from `shoal swarm client-cert` over the unix socket; then `docker --tlsverify --tlscacert
# --tlscert --tlskey -H tcp://...` lists nodes and creates services, and everything else —
# no certificate, plain HTTP, another CA's certificate, a node's own certificate, issuing over TCP —
# is refused.
#
#   tests/t4/tls-api.sh      # prints "t4: N passed, M failed"; exits 1 on failure
#
# Environment: T4_PORT (swarm listen port, default 2717; raft takes +1), T4_TLS_PORT (default
# 2776), SHOAL_T4_KEEP=1 keeps the work directory.
source "$(dirname "$0")/lib.sh"
SHOAL="$T4_ROOT/bin/shoal"
[ -f "$T4_ROOT/shoal-cli/target/shoal.jar" ] || { echo "shoal-cli is not built: mvn -o -B -pl shoal-cli install" >&2; exit 1; }
engine_or_skip
DIR=$(mktemp -d /tmp/shoal-t4-tls.XXXXXX)
PORT=${T4_PORT:-2717}
TLS_PORT=${T4_TLS_PORT:-2776}
CERTS="$DIR/client"
NODE_ID=""
finish() {
  local rc=$?
  set +e
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
mkdir -p "$DIR/home"
# docker reads ~/.docker/{ca,cert,key}.pem when a flag is missing: give it an empty home, so each
# call below uses exactly the files it names
export HOME="$DIR/home"
unset DOCKER_HOST DOCKER_TLS_VERIFY DOCKER_CERT_PATH DOCKER_CONTEXT
shl() { SHOAL_HOST="unix://$DIR/shoal.sock" "$SHOAL" "$@"; }
dk() { DOCKER_HOST="unix://$DIR/shoal.sock" docker "$@"; }
# docker over the TLS API with client files $1/{ca,cert,key}.pem
tlsd() {
  local d=$1; shift
  docker --tlsverify --tlscacert "$CERTS/ca.pem" --tlscert "$d/cert.pem" --tlskey "$d/key.pem" -H "tcp://127.0.0.1:$TLS_PORT" "$@"
}
tls() { tlsd "$CERTS" "$@"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$TLS_PORT") 2>/dev/null; }
port_closed() { ! port_open; }
# refused COMMAND...: the command fails; its error goes to the log for a look
refused() { local out; if out=$("$@" 2>&1); then echo "unexpectedly succeeded: $out"; return 1; fi; echo "  refused: $(echo "$out" | tail -1)"; }

start_daemon "$DIR" "$PORT" --engine-host "$ENGINE" --tls-api-addr "127.0.0.1:$TLS_PORT"
check "no swarm yet: the TLS port is closed" port_closed
check "client-cert before the swarm exists: refused, nothing written" refused shl swarm client-cert --out "$CERTS"
check "  ... and no files" test ! -e "$CERTS/key.pem"
dk swarm init --advertise-addr 127.0.0.1 >"$DIR/init.out" 2>&1 || { cat "$DIR/init.out" >&2; exit 1; }
NODE_ID=$(dk info --format '{{.Swarm.NodeID}}')
check "swarm init opens the TLS port" wait_for 30 "TLS port $TLS_PORT" port_open

# ---- a client certificate from the swarm CA, over the unix socket
client_cert() { shl swarm client-cert --name t4-user --out "$CERTS" >"$DIR/cert.out" 2>&1 || { cat "$DIR/cert.out"; return 1; }; }
check "shoal swarm client-cert writes ca.pem, cert.pem, key.pem" client_cert
check "key.pem is 0600" test "$(stat -c %a "$CERTS/key.pem")" = 600
check "cert.pem: CN=t4-user, OU=swarm-api-client, client auth only" bash -c \
  "openssl x509 -in $CERTS/cert.pem -noout -subject -ext extendedKeyUsage | tr -d ' ' | grep -q 'CN=t4-user' \
   && openssl x509 -in $CERTS/cert.pem -noout -subject | grep -q 'OU *= *swarm-api-client' \
   && openssl x509 -in $CERTS/cert.pem -noout -ext extendedKeyUsage | grep -q 'TLS Web Client Authentication' \
   && ! openssl x509 -in $CERTS/cert.pem -noout -ext extendedKeyUsage | grep -q 'Server'"
quiet() { "$@" >/dev/null; }
check "openssl verifies cert.pem against ca.pem" quiet openssl verify -CAfile "$CERTS/ca.pem" "$CERTS/cert.pem"

# ---- the docker CLI over mutual TLS
node_ls_ok() { [ "$(tls node ls --format '{{.Status}} {{.ManagerStatus}}')" = "Ready Leader" ]; }
check "docker --tlsverify node ls: one Ready Leader" wait_for 30 "node ls over TLS" node_ls_ok
# (the output is captured first: with pipefail, grep -q quitting early would fail the pipe)
swarm_active() { local out; out=$(tls info 2>/dev/null); grep -q 'Swarm: active' <<<"$out"; }
check "docker --tlsverify info says Swarm: active" swarm_active
create_over_tls() { timeout 180 docker --tlsverify --tlscacert "$CERTS/ca.pem" --tlscert "$CERTS/cert.pem" --tlskey "$CERTS/key.pem" \
  -H "tcp://127.0.0.1:$TLS_PORT" service create --name tlsweb --replicas 2 shoal-test/busybox:1 sleep 600 >"$DIR/create.out" 2>&1 \
  || { tail -5 "$DIR/create.out"; return 1; }; }
check "docker --tlsverify service create converges" create_over_tls
listed_2of2() { [ "$(tls service ls --format '{{.Name}} {{.Replicas}}')" = "tlsweb 2/2" ]; }
check "docker --tlsverify service ls shows tlsweb 2/2" wait_for 60 "tlsweb 2/2" listed_2of2
check "the unix socket sees the same service" bash -c "DOCKER_HOST=unix://$DIR/shoal.sock docker service ls --format '{{.Name}}' | grep -qx tlsweb"
check "DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=dir works as well" \
  quiet env DOCKER_HOST="tcp://127.0.0.1:$TLS_PORT" DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$CERTS" docker service ls -q
check "the server certificate names localhost too" \
  quiet docker --tlsverify --tlscacert "$CERTS/ca.pem" --tlscert "$CERTS/cert.pem" --tlskey "$CERTS/key.pem" -H "tcp://localhost:$TLS_PORT" node ls -q
check "docker --tlsverify service rm" quiet tls service rm tlsweb

# ---- what is refused
check "no client certificate: refused" refused docker --tlsverify --tlscacert "$CERTS/ca.pem" -H "tcp://127.0.0.1:$TLS_PORT" node ls
check "plain HTTP on the TLS port: refused" refused docker -H "tcp://127.0.0.1:$TLS_PORT" node ls
mkdir -p "$DIR/other"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=other-ca \
  -keyout "$DIR/other/ca-key.pem" -out "$DIR/other/ca.pem" >/dev/null 2>&1
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/O=x/OU=swarm-api-client/CN=t4-user" \
  -keyout "$DIR/other/key.pem" -out "$DIR/other/req.csr" >/dev/null 2>&1
printf 'extendedKeyUsage=clientAuth\n' >"$DIR/other/ext.cnf"
openssl x509 -req -in "$DIR/other/req.csr" -CA "$DIR/other/ca.pem" -CAkey "$DIR/other/ca-key.pem" -CAcreateserial -days 1 \
  -extfile "$DIR/other/ext.cnf" -out "$DIR/other/cert.pem" >/dev/null 2>&1
check "a client certificate from another CA: refused" refused tlsd "$DIR/other" node ls
mkdir -p "$DIR/nodecert"
cp "$DIR/data/certificates/swarm-node.crt" "$DIR/nodecert/cert.pem"
cp "$DIR/data/certificates/swarm-node.key" "$DIR/nodecert/key.pem"
check "the node's own certificate (same CA, not a client's): refused" refused tlsd "$DIR/nodecert" node ls
issue_over_tls() {
  local code
  code=$(curl -s -o "$DIR/issue.out" -w '%{http_code}' --cacert "$CERTS/ca.pem" --cert "$CERTS/cert.pem" --key "$CERTS/key.pem" \
    -H 'Content-Type: application/json' -d '{"Name":"mallory","CSR":"x"}' "https://127.0.0.1:$TLS_PORT/v1.44/shoal/client-certificates")
  [ "$code" = 403 ] && grep -q "only on the daemon's unix socket" "$DIR/issue.out" || { echo "got $code: $(cat "$DIR/issue.out")"; return 1; }
}
check "issuing a certificate over the TLS API: 403" issue_over_tls
check "client-cert will not overwrite without --force" refused shl swarm client-cert --out "$CERTS"

# ---- leaving the swarm closes the TLS port
check "swarm leave --force" quiet dk swarm leave --force
check "the TLS port is closed after leave" wait_for 10 "TLS port closed" port_closed

summary
