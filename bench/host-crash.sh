#!/usr/bin/env bash
# kill -9 of a worker holding in-flight jobs: time until all succeeded on another host, when the console saw
# the host die versus JobRunr's orphan detection alone, in the same run.
# Usage: bench/host-crash.sh [RUNS=3] [IN_FLIGHT=40]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
# A snapshot of the classes: hosts started during the run must not pick up a rebuild made meanwhile.
snapshot=$(mktemp -d /tmp/jobdeck-bench.XXXXXX)
cp -r target/classes target/test-classes "$snapshot"/
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$snapshot/classes:$snapshot/test-classes:$(cat target/bench.cp)" dev.jobdeck.bench.HostCrashBench "${1:-3}" "${2:-40}"
