#!/usr/bin/env bash
# The README's crash drill with the Message-IDs counted at a real SMTP server: serve + a worker deliver a batch,
# serve (the store's owner) is killed with kill -9 mid-batch and started again; every Message-ID the server received
# twice must be among the report's re-executions, and the report's categories must add up to what was accepted.
# Usage: bench/owner-crash.sh [RUNS=10] [EMAILS=2000] [KILL_AT=700] [SEND_MS=100] [RESTART_AFTER_MS=0]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
# A snapshot of the classes: processes started during the run must not pick up a rebuild made meanwhile.
snapshot=$(mktemp -d /tmp/jobdeck-bench.XXXXXX)
cp -r target/classes target/test-classes "$snapshot"/
java -cp "$snapshot/classes:$snapshot/test-classes:$(cat target/bench.cp)" dev.jobdeck.bench.OwnerCrashBench "$@"
