#!/usr/bin/env bash
# Issue 16's figures in one command, on stores of 10,000, 100,000 and 1,000,000 generated jobs (bench/generate-store.sh,
# kept in WORK_DIR and reused when present): the Jobs screen's reads and `status --json` against JobRunr's own paging and
# getJobStats() (bench/dashboard.sh), the survival report (bench/report.sh), the open after an unclean shutdown
# (bench/unclean-open.sh), delivery with a 100,000-job backlog against 1,000 (bench/backlog.sh), a requeue of 100,000
# matching jobs with the console live (bench/bulk-action.sh), and the console as launched (-Xmx512m) on the largest
# store: heap, CPU while idle, a screenshot (bench/console-at-scale.sh, needs Xvfb). About an hour on 2 cores.
# Usage: bench/million.sh [SIZES=10000,100000,1000000] [WORK_DIR=/tmp/jobdeck-million]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${1:-10000,100000,1000000}
work=${2:-/tmp/jobdeck-million}
mkdir -p "$work"
mvn -q -B package -DskipTests
largest=
for n in ${sizes//,/ }; do
  store=$work/$n
  if [ ! -f "$store/jobdeck.mv.db" ]; then
    echo "## Generating $n jobs"
    /usr/bin/time -f "generated in %e s (command included)" bench/generate-store.sh "$n" "$store" 1
  fi
  echo "## Jobs screen and status --json at $n"
  bench/dashboard.sh "$store"
  largest=$store
done
echo "## Open after an unclean shutdown"
bench/unclean-open.sh $(for n in ${sizes//,/ }; do echo "$work/$n"; done)
echo "## Survival report"
bench/report.sh 100000,1000000 "$work/report"
echo "## Delivery with a backlog"
bench/backlog.sh 100000 1000 800 16 1
echo "## Requeue of 100,000 matching jobs"
bench/bulk-action.sh 100000
echo "## Opening $largest and status --json on it (the first open builds this version's new indexes)"
bench/open-and-status.sh "$largest" 1 >/dev/null
bench/open-and-status.sh "$largest" 2
echo "## The console on $largest"
OPEN_WAIT=60 bench/console-at-scale.sh "$largest" "@example.co.uk" docs/images/jobs-at-a-million.png
