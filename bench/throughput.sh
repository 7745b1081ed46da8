#!/usr/bin/env bash
# Delivered e-mails per second, JobDeck end to end (bulk jobs over pooled connections) against a raw Jakarta Mail
# loop with as many connections, in the same run, to the built-in sink and to a bare GreenMail in another JVM.
# Usage: bench/throughput.sh [RECIPIENTS=10000] [WORKERS=16] [BULK_SIZE=default] [ROUNDS=1]; -Dbench.warmups=N and
# -Dbench.only=sink|other in BENCH_JAVA_OPTS
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_compile
# A snapshot of the classes, so a rebuild during the run changes nothing.
bench_snapshot
uptime
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djava.util.logging.config.file=/dev/null ${BENCH_JAVA_OPTS:-} \
  -cp "$(bench_classpath)" dev.jobdeck.bench.ThroughputBench \
  "${1:-10000}" "${2:-16}" "${3:-default}" "${4:-1}"
uptime
