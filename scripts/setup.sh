#!/usr/bin/env bash
# Installs what Shoal needs on a fresh Debian machine (idempotent, quiet when all is there):
# a JDK 17 and Maven to build, docker.io for a real engine (dockerd) and a docker CLI,
# busybox-static for the test image, curl, iproute2, nsenter and openssl for the tests; nftables
# for the data path; dig, chromium and cfssl for the tests that drive them as a user would.
set -euo pipefail
need=()
command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || need+=(maven)
command -v dockerd >/dev/null || need+=(docker.io)
command -v docker >/dev/null || need+=(docker-cli)
[ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || need+=(busybox-static)
command -v curl >/dev/null || need+=(curl)
command -v ip >/dev/null || need+=(iproute2)
command -v nsenter >/dev/null || need+=(util-linux)   # T5: enter each host's network namespace
command -v openssl >/dev/null || need+=(openssl)      # T4 tls-api: a foreign CA, certificate checks
command -v nft >/dev/null || need+=(nftables)         # the data path: VIPs and the routing mesh
command -v bridge >/dev/null || need+=(iproute2)      # FDB entries on VXLAN devices
command -v dig >/dev/null || need+=(dnsutils)         # T4/T5: ask the resolver as a client would
command -v chromium >/dev/null || need+=(chromium)    # T4 console: the page in a real browser
command -v cfssl >/dev/null || need+=(golang-cfssl)   # T4: a real external CA (cfssl serve)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >&2
fi
