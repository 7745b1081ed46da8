#!/usr/bin/env bash
# A console's open after an unclean shutdown (store.inUse left set, as kill -9 leaves it) against its open after a
# clean close, on generated stores (bench/generate-store.sh N DIR); --full-rebuild also times what the old repair did
# (drop and recreate every secondary index) on the same store. The stores are opened, not changed (but for
# --full-rebuild, which recreates their indexes).
# Usage: bench/unclean-open.sh [--full-rebuild] DATA_DIR...
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_compile
# A snapshot of the classes, so a rebuild during the run changes nothing.
bench_snapshot
uptime
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${BENCH_JAVA_OPTS:-} \
  -cp "$(bench_classpath)" dev.jobdeck.bench.UncleanOpenBench "$@"
uptime
rm -rf "$snapshot"
