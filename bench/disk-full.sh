#!/usr/bin/env bash
# The time from a disk-full error to the operator seeing it (issue 15, item 5; decision 21), with the jar as a user
# runs it: `serve` on a 64 MB tmpfs delivers 2,000 e-mails to its built-in sink; mid-delivery the disk is filled,
# either to below JobDeck's reserve (fallocate leaves half the reserve free) or to the last byte (dd until ENOSPC).
# Measured from the moment the filling command returned to the timestamp on serve's "STORE SICK" line, and how long
# a `status` started then takes to say so (exit 5); then the space is freed and the time until serve says the
# store is well and until every e-mail is delivered.
# Needs root (mount). Usage: bench/disk-full.sh [ROUNDS=5]
set -uo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
[ "$(id -u)" = 0 ] || { echo "bench/disk-full.sh mounts a tmpfs: run it as root" >&2; exit 1; }
[ -f target/jobdeck-0.1.0.jar ] || mvn -q -B package -DskipTests
jar=$(pwd)/target/jobdeck-0.1.0.jar
work=$(mktemp -d /tmp/jobdeck-diskfull.XXXXXX)
disk=$work/disk
mkdir -p "$disk"
reserve_mb=32
now_ms() { date +%s%3N; }
# serve prints HH:MM:SS.mmm; turn it into epoch milliseconds of today.
line_ms() { local t=$1; echo $(( $(date -d "$(date +%F) ${t}" +%s%3N) )); }

cleanup() { [ -n "${serve_pid:-}" ] && kill "$serve_pid" 2>/dev/null; wait 2>/dev/null || true; umount -l "$disk" 2>/dev/null || true; }
trap cleanup EXIT

printf '%-6s %-9s %12s %12s %12s %12s %10s\n' round fill "seen (ms)" "status (ms)" "well (ms)" "all sent (s)" "re-run"
for round in $(seq 1 "$rounds"); do
  for fill in reserve enospc; do
    mount -t tmpfs -o size=64m tmpfs "$disk" || exit 1
    data=$disk/data
    java -jar "$jar" serve --data-dir "$data" > "$work/serve.out" 2> "$work/serve.err" &
    serve_pid=$!
    until grep -q 'jobdeck serve: serving' "$work/serve.out" 2>/dev/null; do sleep 0.2; done
    java -jar "$jar" send --data-dir "$data" --to ops@example.org --subject bench --count 2000 > "$work/send.out" 2>&1 \
      || { echo "round $round $fill: send failed: $(head -c 300 "$work/send.out")" >&2; exit 1; }
    sleep 2
    if [ "$fill" = reserve ]; then
      free=$(( $(stat -f -c '%a*%S' "$disk") ))
      fallocate -l $(( free - reserve_mb * 1024 * 1024 / 2 )) "$disk/filler"
    else
      dd if=/dev/zero of="$disk/filler" bs=1M 2>/dev/null || true
    fi
    filled=$(now_ms)
    java -jar "$jar" status --data-dir "$data" > /dev/null 2>&1 && status_rc=0 || status_rc=$?
    status_done=$(now_ms)
    until grep -q 'STORE SICK' "$work/serve.out"; do sleep 0.05; done
    seen=$(line_ms "$(grep -m1 'STORE SICK' "$work/serve.out" | cut -d' ' -f1)")
    rm -f "$disk/filler"
    freed=$(now_ms)
    until grep -q 'store well again' "$work/serve.out"; do sleep 0.05; done
    well=$(line_ms "$(grep -m1 'store well again' "$work/serve.out" | cut -d' ' -f1)")
    until java -jar "$jar" status --data-dir "$data" 2>/dev/null | grep -q 'Ledger: 2000 accepted, 2000 delivered'; do
      sleep 1
    done
    delivered=$(now_ms)
    rerun=$(java -jar "$jar" status --data-dir "$data" 2>/dev/null | sed -n 's/.*, \([0-9]*\) re-executed/\1/p')
    printf '%-6s %-9s %12d %12s %12d %12.1f %10s\n' "$round" "$fill" $(( seen - filled )) \
      "$(( status_done - filled )) (rc $status_rc)" $(( well - freed )) "$(echo "($delivered - $freed) / 1000" | bc -l)" "$rerun"
    kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; serve_pid=
    umount -l "$disk"
  done
done
