#!/usr/bin/env bash
# Issue 17's figures in one run: delivered e-mails per second with 1, 2 and 4 worker processes on H2 (served by the
# console) and on PostgreSQL; JobRunr's read of the oldest Enqueued jobs and the delivery rate with BACKLOG generated
# single jobs on both (the generated H2 store moved to PostgreSQL with `jobdeck store move`). PostgreSQL: the throw-away
# cluster of the tests (JOBDECK_TEST_POSTGRES_URL/_PASSWORD_FILE, else one started through .ci/postgres).
# Usage: bench/cluster.sh [RECIPIENTS=2000] [WORKERS_EACH=8] [BACKLOG=100000] [MEASURED=800]; BACKLOG 0 skips the
# backlog part, BENCH_JAVA_OPTS=-Dbench.only=backlog the worker processes' part
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_compile
# A snapshot of the classes, so a rebuild during the run changes nothing.
bench_snapshot
uptime
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djava.util.logging.config.file=/dev/null ${BENCH_JAVA_OPTS:-} \
  -cp "$(bench_classpath)" dev.jobdeck.bench.ClusterBench \
  "${1:-2000}" "${2:-8}" "${3:-100000}" "${4:-800}"
uptime
