#!/usr/bin/env bash
# Requeues N failed jobs (default 100,000) with "Act on all matching" on the console's Jobs screen (headless Monocle),
# measuring its duration and the longest gap between JavaFX pulses meanwhile, against JobRunr's own API on an
# identical store in the same run. Usage: bench/bulk-action.sh [N]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bench_compile
java -Xmx512m -Dglass.platform=Monocle -Dmonocle.platform=Headless -Dprism.order=sw -Dprism.text=t2k \
  -Djava.awt.headless=true -cp "$(bench_classpath)" \
  dev.jobdeck.bench.BulkActionBench "${1:-100000}"
