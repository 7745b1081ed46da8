#!/usr/bin/env bash
# kill -9 of a worker on PostgreSQL mid-batch: time until the whole batch is delivered by the console's own host, for
# a worker the console launched (sees die), one on 127.0.0.1 it did not start, and one in another network namespace
# (its own address, PostgreSQL and SMTP over a veth pair), in the same run. Needs root and `ip netns`.
# Usage: bench/remote-recovery.sh [ROUNDS=3]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_compile
# A snapshot of the classes: workers started during the run must not pick up a rebuild made meanwhile.
bench_snapshot
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dbasedir="$bench_root" \
  -cp "$(bench_classpath)" dev.jobdeck.bench.RemoteRecoveryBench "${1:-3}"
