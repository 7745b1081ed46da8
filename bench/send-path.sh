#!/usr/bin/env bash
# `jobdeck send --csv` of 10,000 recipients from its own JVM (the built jar, as a user runs it) through a running
# console, timed from starting the command to the last delivery, against a raw Jakarta Mail loop to the same server
# in the same round; to the built-in sink and to a bare GreenMail in another JVM.
# Usage: bench/send-path.sh [RECIPIENTS=10000] [ROUNDS=3]; -Dbench.warmups=N (default 2), -Dbench.only=sink|other and
# -Dbench.raw=jvm (the raw loop in a JVM of its own) in BENCH_JAVA_OPTS
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mvn -q -B package -DskipTests >/dev/null
bench_compile
# A snapshot of the classes and of the jar, so a rebuild during the run changes nothing.
bench_snapshot target/jobdeck-0.1.0.jar target/lib
uptime
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Djava.util.logging.config.file=/dev/null ${BENCH_JAVA_OPTS:-} \
  -cp "$(bench_classpath)" dev.jobdeck.bench.SendPathBench \
  "${1:-10000}" "${2:-3}" "$snapshot/jobdeck-0.1.0.jar"
uptime
rm -rf "$snapshot"
