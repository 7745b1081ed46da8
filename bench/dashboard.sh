#!/usr/bin/env bash
# Times the Jobs screen's reads (a recipient search, the counts, the first and last page, a sort by another column)
# and `jobdeck status --json` on a data directory of generated jobs, each against JobRunr's own StorageProvider paging
# and getJobStats() on the same store, and prints a markdown table. Usage: bench/dashboard.sh STORE_DIR [REPEATS];
# BENCH_JAVA_OPTS=-Dbench.only=status times the counts and `status --json` alone.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
if [ $# -lt 1 ]; then
  echo "usage: bench/dashboard.sh STORE_DIR [REPEATS]  (a data directory, e.g. one bench/generate-store.sh made)" >&2
  exit 1
fi
bench_compile
java ${BENCH_JAVA_OPTS:-} -cp "$(bench_classpath)" dev.jobdeck.bench.DashboardBench "$@"
