#!/usr/bin/env bash
# A console's open after an unclean shutdown (store.inUse left set, as kill -9 leaves it) against its open after a
# clean close, on generated stores (bench/generate-store.sh N DIR); --full-rebuild also times what the old repair did
# (drop and recreate every secondary index) on the same store. The stores are opened, not changed (but for
# --full-rebuild, which recreates their indexes).
# Usage: bench/unclean-open.sh [--full-rebuild] DATA_DIR...
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
# A snapshot of the classes, so a rebuild during the run changes nothing.
snapshot=$(mktemp -d /tmp/jobdeck-bench.XXXXXX)
cp -r target/classes target/test-classes "$snapshot"/
uptime
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${BENCH_JAVA_OPTS:-} \
  -cp "$snapshot/classes:$snapshot/test-classes:$(cat target/bench.cp)" dev.jobdeck.bench.UncleanOpenBench "$@"
uptime
rm -rf "$snapshot"
