#!/usr/bin/env bash
# Creates a JobDeck data directory (as a console does) and fills it with N generated jobs: mostly Succeeded history
# over the last 35 h, bounces, 4xx failures out of retries, deferred retries, bulk jobs, a backlog and planned sends
# (StoreGenerator). MIX=backlog writes only Enqueued single jobs. Prints the time it took and the store's size.
# Usage: bench/generate-store.sh N DATA_DIR [SEED=1] [MIX=realistic|backlog]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_compile
# A snapshot of the classes: a rebuild made meanwhile changes nothing in this run.
bench_snapshot
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${BENCH_JAVA_OPTS:-} \
  -cp "$(bench_classpath)" dev.jobdeck.bench.GenerateStore "$@"
rm -rf "$snapshot"
