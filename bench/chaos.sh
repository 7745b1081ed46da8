#!/usr/bin/env bash
# A chaos run: worker JVMs deliver a batch while a random host is killed (kill -9) every few seconds.
# Usage: bench/chaos.sh [MINUTES=10] [EMAILS=10000] [HOSTS=3] [CRASH_EVERY_S=20] [SEND_MS=900]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_compile
# A snapshot of the classes: hosts started during the run must not pick up a rebuild made meanwhile.
bench_snapshot
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djava.util.logging.config.file=/dev/null \
  -cp "$(bench_classpath)" dev.jobdeck.bench.ChaosBench "$@"
