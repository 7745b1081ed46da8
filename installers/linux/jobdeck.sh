#!/bin/sh
# `jobdeck` on PATH and in the menu (the packages link /usr/bin/jobdeck here). It starts the bundled
# runtime directly, with the same arguments as `java -jar`. jpackage's native launcher, bin/jobdeck,
# runs `rpm -qf` and `dpkg -S` on itself at every start to find its package, which costs about half a
# second on a Debian machine; it stays in the app image for copying elsewhere.
# With the AppCDS archive the .deb's postinst makes, the console's classes load from it; JVM warnings
# go to stderr, so `jobdeck status --json` output stays clean even if the archive cannot be used.
# The heap is capped (docs/decisions/0028): the console and the other commands work in 512 MB at a million
# jobs, a worker host in 256 MB; without a cap the JVM takes a quarter of the machine and lets garbage pile up.
# installers/build fills in the jar's name.
here=$(dirname "$(readlink -f "$0")")
heap=-Xmx512m
skip=
for arg in "$@"; do
  if [ -n "$skip" ]; then skip=; continue; fi
  case "$arg" in
    worker) heap=-Xmx256m; break ;;
    --data-dir) skip=1 ;;
    -*) ;;
    *) break ;;
  esac
done
if [ -f "$here/jobdeck.jsa" ]; then
  exec "$here/runtime/bin/java" "$heap" -XX:SharedArchiveFile="$here/jobdeck.jsa" -Xlog:disable -Xlog:all=warning:stderr \
    -jar "$here/app/@FINAL_NAME@.jar" "$@"
fi
exec "$here/runtime/bin/java" "$heap" -jar "$here/app/@FINAL_NAME@.jar" "$@"
