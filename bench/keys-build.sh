#!/usr/bin/env bash
# The one-time build of sort keys and words (decision 30) on a copy of a generated store: every job's keys and words
# removed and the build owed, then built by JobKeysBuild with one job per transaction (the baseline: how the open
# built them before, one job at a time) and with its chunk of jobs per transaction, rounds alternating.
# Usage: bench/keys-build.sh DATA_DIR [ROUNDS=2]   (DATA_DIR from bench/generate-store.sh; it is not changed)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_compile
bench_snapshot
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${BENCH_JAVA_OPTS:-} \
  -cp "$(bench_classpath)" dev.jobdeck.bench.KeysBuildBench "$@"
rm -rf "$snapshot"
