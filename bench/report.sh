#!/usr/bin/env bash
# The survival report on a large store (decision 26): `report --json` and the ledger query before and after the
# delivered e-mails settle, against the query as it was before (every e-mail read), on the same store.
# Usage: bench/report.sh [SIZES=100000,1000000] [WORK_DIR] [SETTLED_FROM=1000000]
#   WORK_DIR: an absolute path (default a new temp dir); stores of SETTLED_FROM e-mails or more are written settled.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mvn -q -B package -DskipTests >/dev/null
bench_compile
# A snapshot of the build: a rebuild meanwhile must not change the classes or the jar under a long run.
bench_snapshot target/lib target/jobdeck-0.1.0.jar
cd "$snapshot"
java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djava.util.logging.config.file=/dev/null \
  -Djobdeck.bench.jar="$snapshot/jobdeck-0.1.0.jar" \
  -cp "$(bench_classpath)" dev.jobdeck.bench.ReportBench "$@"
