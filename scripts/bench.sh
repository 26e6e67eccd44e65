#!/usr/bin/env bash
# Runs a Shoal benchmark from the shoal-bench module (until `shoal bench <name>` is wired in the CLI):
#   scripts/bench.sh <hollow|control-plane|raft|engine|failover|mesh|memory> [--flag value ...]
# Builds the module, then runs on a private copy of the class path: the shoal jars in ~/.m2 may
# be re-installed by a concurrent build, and a jar swapped under a running JVM fails its next
# class load (seen here). JAVA_OPTS is honoured (default -Xmx8g: 5,000 hollow nodes need it).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
lib=shoal-bench/target/bench-lib
mvn -o -q -B -pl shoal-bench install -DskipTests >&2
mvn -o -q -B -pl shoal-bench dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$(pwd)/$lib" >&2
rm -rf "$lib/classes" && cp -r shoal-bench/target/classes "$lib/classes"
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:--Xmx8g} -cp "$lib/classes:$lib/*" io.shoal.bench.Bench "$@"
