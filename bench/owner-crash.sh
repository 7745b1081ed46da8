#!/usr/bin/env bash
# The README's crash drill with the Message-IDs counted at a real SMTP server: serve + a worker deliver a batch,
# serve (the store's owner) is killed with kill -9 mid-batch and started again; every Message-ID the server received
# twice must be among the report's re-executions, and the report's categories must add up to what was accepted.
# Usage: bench/owner-crash.sh [RUNS=10] [EMAILS=2000] [KILL_AT=700] [SEND_MS=100] [RESTART_AFTER_MS=0]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_compile
# A snapshot of the classes: processes started during the run must not pick up a rebuild made meanwhile.
bench_snapshot
java -cp "$(bench_classpath)" dev.jobdeck.bench.OwnerCrashBench "$@"
