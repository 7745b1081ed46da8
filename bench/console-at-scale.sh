#!/usr/bin/env bash
# The console as an operator starts it (java -Xmx512m -jar, a real window in Xvfb) on a big store: it opens the Jobs
# screen, searches, pages to the end, and prints the heap after a full collection, the largest heap in use the GC
# log saw, whether any OutOfMemoryError happened, and the CPU its threads used while idle. Saves a screenshot.
# Usage: bench/console-at-scale.sh DATA_DIR SEARCH_TEXT [OUT.png] [HEAP=512m]
# Needs Xvfb, xdotool and ImageMagick (../shared/tools/screenshot.sh installs them); run `mvn -q package -DskipTests` first.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$1; search=$2; out=${3:-target/console-at-scale.png}; heap=${4:-512m}
jar=target/jobdeck-0.1.0.jar
[ -f "$jar" ] || { echo "build first: mvn -q package -DskipTests" >&2; exit 2; }
work=$(mktemp -d /tmp/jobdeck-scale.XXXXXX)
n=120; while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
export DISPLAY=:$n
Xvfb "$DISPLAY" -screen 0 1440x900x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb=$!
trap 'kill -- -"${app:-0}" 2>/dev/null; sleep 1; kill -9 -- -"${app:-0}" 2>/dev/null; kill $xvfb 2>/dev/null' EXIT
sleep 1
start=$(date +%s%N)
setsid java "-Xmx$heap" -Xlog:gc:file="$work/gc.log" -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath="$work" \
  -jar "$jar" --data-dir "$data" --open jobs >"$work/console.log" 2>&1 &
app=$!
window=
for _ in $(seq 1200); do
  window=$(xdotool search --onlyvisible --name "^JobDeck" 2>/dev/null | head -1 || true)
  [ -n "$window" ] && break
  kill -0 $app 2>/dev/null || { cat "$work/console.log"; echo "the console exited" >&2; exit 1; }
  sleep 0.1
done
echo "window after $(( ($(date +%s%N) - start) / 1000000 )) ms"
java_pid=$(pgrep -P $app java || echo $app)
sleep "${OPEN_WAIT:-10}"
xdotool key --window "$window" ctrl+f
xdotool type --delay 20 "$search"
sleep 15
/usr/bin/import -window root "$out"
echo "screenshot: $out"
cpu0=$(awk '{print $14 + $15}' /proc/$java_pid/stat)
sleep 30
cpu1=$(awk '{print $14 + $15}' /proc/$java_pid/stat)
echo "CPU of the console in 30 s on the searched Jobs screen (its own host delivers what is due meanwhile): $(( (cpu1 - cpu0) * 10 )) ms"
jcmd $java_pid GC.run >/dev/null
echo "heap after a full collection: $(jcmd $java_pid GC.heap_info | sed -n 's/.*used \([0-9]*K\).*/\1/p' | head -1)"
echo "largest heap in use before a collection (GC log): $(grep -o '[0-9]*M->' "$work/gc.log" | sed 's/M->//' | sort -n | tail -1) MB of $heap"
echo "resident size: $(( $(awk '/VmRSS/ {print $2}' /proc/$java_pid/status) / 1024 )) MB"
if grep -q OutOfMemoryError "$work/console.log" || ls "$work"/*.hprof >/dev/null 2>&1; then
  echo "OutOfMemoryError: yes (see $work)"; exit 1
fi
echo "OutOfMemoryError: none"
