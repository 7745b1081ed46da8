#!/usr/bin/env bash
# The first settlement after an upgrade (decision 26) on generated stores (bench/generate-store.sh N DIR): settling is
# undone, then redone by the pass as it was (row by row, 2,000 a commit) against RetentionPass.settle now, in the same
# run; the totals must read as the generator wrote them each time. Changes the stores (their e-mails settle anew).
# Usage: bench/settle.sh DATA_DIR...
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_compile
# A snapshot of the classes, so a rebuild during the run changes nothing.
bench_snapshot
uptime
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${BENCH_JAVA_OPTS:-} \
  -cp "$(bench_classpath)" dev.jobdeck.bench.SettleBench "$@"
uptime
rm -rf "$snapshot"
