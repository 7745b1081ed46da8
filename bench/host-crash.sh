#!/usr/bin/env bash
# kill -9 of a worker holding in-flight jobs: time until all succeeded on another host, when the console saw
# the host die versus JobRunr's orphan detection alone, in the same run.
# Usage: bench/host-crash.sh [RUNS=3] [IN_FLIGHT=40]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_compile
# A snapshot of the classes: hosts started during the run must not pick up a rebuild made meanwhile.
bench_snapshot
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$(bench_classpath)" dev.jobdeck.bench.HostCrashBench "${1:-3}" "${2:-40}"
