#!/usr/bin/env bash
# Delivery with a large backlog: e-mails per second from a console's host to a bare GreenMail in another JVM, with
# BACKLOG generated Enqueued single jobs against BASELINE in the same run (the ratio is the aim: >= 0.50), each timed
# over its first MEASURED deliveries. -Dbench.generate=10000,100000,1000000 in BENCH_JAVA_OPTS first times the store
# generator at those sizes and gives the store's size per 100,000 e-mails.
# Usage: bench/backlog.sh [BACKLOG=100000] [BASELINE=1000] [MEASURED=800] [WORKERS=16] [ROUNDS=1]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_compile
# A snapshot of the classes, so a rebuild during the run changes nothing.
bench_snapshot
uptime
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${BENCH_JAVA_OPTS:-} \
  -cp "$(bench_classpath)" dev.jobdeck.bench.BacklogBench "$@"
uptime
rm -rf "$snapshot"
