#!/usr/bin/env bash
# Requeues N failed jobs (default 100,000) with "Act on all matching" on the console's Jobs screen (headless Monocle),
# measuring its duration and the longest gap between JavaFX pulses meanwhile, against JobRunr's own API on an
# identical store in the same run. Usage: bench/bulk-action.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
java -Xmx512m -Dglass.platform=Monocle -Dmonocle.platform=Headless -Dprism.order=sw -Dprism.text=t2k \
  -Djava.awt.headless=true -cp "target/classes:target/test-classes:$(cat target/bench.cp)" \
  dev.jobdeck.bench.BulkActionBench "${1:-100000}"
