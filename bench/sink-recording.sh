#!/usr/bin/env bash
# What recording each accepted message in H2 (before the sink answers 250) costs, against the in-memory
# sink, in the same run. Usage: bench/sink-recording.sh [MESSAGES] [CLIENT_THREADS]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_compile
java -cp "$(bench_classpath)" dev.jobdeck.bench.SinkRecordingBench "${1:-2000}" "${2:-4}"
