#!/usr/bin/env bash
# Queues N recipients (default 1000) through JobDeck, waits for delivery to the built-in sink, and
# compares with a raw Jakarta Mail loop measured in the same run. Usage: bench/queue-thousand.sh [N]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_compile
java -cp "$(bench_classpath)" dev.jobdeck.bench.QueueThousandBench "${1:-1000}"
