#!/usr/bin/env bash
# What recording each accepted message in H2 (before the sink answers 250) costs, against the in-memory
# sink, in the same run. Usage: bench/sink-recording.sh [MESSAGES] [CLIENT_THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
java -cp "target/classes:target/test-classes:$(cat target/bench.cp)" dev.jobdeck.bench.SinkRecordingBench "${1:-2000}" "${2:-4}"
