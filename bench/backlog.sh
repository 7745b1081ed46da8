#!/usr/bin/env bash
# Delivery with a large backlog: e-mails per second from a console's host to a bare GreenMail in another JVM, with
# BACKLOG generated Enqueued single jobs against BASELINE in the same run (the ratio is the aim: >= 0.50), each timed
# over its first MEASURED deliveries. -Dbench.generate=10000,100000,1000000 in BENCH_JAVA_OPTS first times the store
# generator at those sizes and gives the store's size per 100,000 e-mails.
# Usage: bench/backlog.sh [BACKLOG=100000] [BASELINE=1000] [MEASURED=800] [WORKERS=16] [ROUNDS=1]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
# A snapshot of the classes, so a rebuild during the run changes nothing.
snapshot=$(mktemp -d /tmp/jobdeck-bench.XXXXXX)
cp -r target/classes target/test-classes "$snapshot"/
uptime
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${BENCH_JAVA_OPTS:-} \
  -cp "$snapshot/classes:$snapshot/test-classes:$(cat target/bench.cp)" dev.jobdeck.bench.BacklogBench "$@"
uptime
rm -rf "$snapshot"
