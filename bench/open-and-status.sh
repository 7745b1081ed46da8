#!/usr/bin/env bash
# How long a console's services take to open a big store (`jobdeck serve`, from its start until it says "serving"),
# and `status --json` on the same store, each REPEATS times, as an operator runs them (java -Xmx512m -jar). The
# first open after an upgrade also builds the version's new indexes (logged as "Upgraded the store in ..."), so run
# it once before timing, or read that figure from the store's log. Usage: bench/open-and-status.sh DATA_DIR [REPEATS=2]
# Run `mvn -q package -DskipTests` first; DATA_DIR from bench/generate-store.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$1; repeats=${2:-2}
jar=target/jobdeck-0.1.0.jar
[ -f "$jar" ] || { echo "build first: mvn -q package -DskipTests" >&2; exit 2; }
log=$(mktemp /tmp/jobdeck-open.XXXXXX)
uptime
for i in $(seq "$repeats"); do
  start=$(date +%s%N)
  setsid java -Xmx512m -jar "$jar" serve --data-dir "$data" >"$log" 2>&1 &
  serve=$!
  until grep -q "serving " "$log"; do
    kill -0 $serve 2>/dev/null || { cat "$log"; echo "serve exited" >&2; exit 1; }
    sleep 0.1
  done
  echo "open $i: $(( ($(date +%s%N) - start) / 1000000 )) ms until serving"
  kill -TERM $serve
  wait $serve || true
done
for i in $(seq "$repeats"); do
  start=$(date +%s%N)
  java -Xmx512m -jar "$jar" status --json --data-dir "$data" >/dev/null
  echo "status --json $i: $(( ($(date +%s%N) - start) / 1000000 )) ms"
done
uptime
rm -f "$log"
