#!/usr/bin/env bash
# Times the Jobs screen's reads (a recipient search, the counts, the first and last page, a sort by another column)
# and `jobdeck status --json` on a data directory of generated jobs, each against JobRunr's own StorageProvider paging
# and getJobStats() on the same store, and prints a markdown table. Usage: bench/dashboard.sh STORE_DIR [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 1 ]; then
  echo "usage: bench/dashboard.sh STORE_DIR [REPEATS]  (a data directory, e.g. one bench/generate-store.sh made)" >&2
  exit 1
fi
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
java -cp "target/classes:target/test-classes:$(cat target/bench.cp)" dev.jobdeck.bench.DashboardBench "$@"
