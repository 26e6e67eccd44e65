#!/usr/bin/env bash
# Installs what Shoal needs on a fresh Debian machine (idempotent, quiet when all is there):
# a JDK 17 and Maven to build, docker.io for a real engine (dockerd) and a docker CLI,
# busybox-static for the test image, curl, iproute2, nsenter and openssl for the tests.
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
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >&2
fi
