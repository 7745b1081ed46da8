#!/usr/bin/env bash
# Queues N recipients (default 1000) through JobDeck, waits for delivery to the built-in sink, and
# compares with a raw Jakarta Mail loop measured in the same run. Usage: bench/queue-thousand.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
java -cp "target/classes:target/test-classes:$(cat target/bench.cp)" dev.jobdeck.bench.QueueThousandBench "${1:-1000}"
