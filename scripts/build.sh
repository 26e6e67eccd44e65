#!/usr/bin/env bash
# Builds the shoal binary (bin/shoal -> shoal-cli/target/shoal.jar) without running tests.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f shoal-cli/target/shoal.jar ] || [ -n "$(find . -name '*.java' -newer shoal-cli/target/shoal.jar -not -path './*/target/*' -print -quit)" ] \
   || [ pom.xml -nt shoal-cli/target/shoal.jar ]; then
  echo "build: compiling shoal" >&2
  mvn -B -q -DskipTests install >&2
fi
