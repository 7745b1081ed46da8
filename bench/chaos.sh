#!/usr/bin/env bash
# A chaos run: worker JVMs deliver a batch while a random host is killed (kill -9) every few seconds.
# Usage: bench/chaos.sh [MINUTES=10] [EMAILS=10000] [HOSTS=3] [CRASH_EVERY_S=20] [SEND_MS=900]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
# A snapshot of the classes: hosts started during the run must not pick up a rebuild made meanwhile.
snapshot=$(mktemp -d /tmp/jobdeck-bench.XXXXXX)
cp -r target/classes target/test-classes "$snapshot"/
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djava.util.logging.config.file=/dev/null \
  -cp "$snapshot/classes:$snapshot/test-classes:$(cat target/bench.cp)" dev.jobdeck.bench.ChaosBench "$@"
