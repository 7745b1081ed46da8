#!/usr/bin/env bash
# What keeping the Jobs table's sort keys and words costs the writers (decision 30): N recipients queued and
# delivered with and without the keys' triggers, in one run. Usage: bench/keys-write-cost.sh [N] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "target/classes:target/test-classes:$(cat target/bench.cp)" \
  dev.jobdeck.bench.KeysWriteCostBench "$@"
