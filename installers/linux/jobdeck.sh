#!/bin/sh
# `jobdeck` on PATH and in the menu (the packages link /usr/bin/jobdeck here). It starts the bundled
# runtime directly, with the same arguments as `java -jar`. jpackage's native launcher, bin/jobdeck,
# runs `rpm -qf` and `dpkg -S` on itself at every start to find its package, which costs about half a
# second on a Debian machine; it stays in the app image for copying elsewhere.
# With the AppCDS archive the .deb's postinst makes, the console's classes load from it; JVM warnings
# go to stderr, so `jobdeck status --json` output stays clean even if the archive cannot be used.
# installers/build fills in the jar's name.
here=$(dirname "$(readlink -f "$0")")
if [ -f "$here/jobdeck.jsa" ]; then
  exec "$here/runtime/bin/java" -XX:SharedArchiveFile="$here/jobdeck.jsa" -Xlog:disable -Xlog:all=warning:stderr \
    -jar "$here/app/@FINAL_NAME@.jar" "$@"
fi
exec "$here/runtime/bin/java" -jar "$here/app/@FINAL_NAME@.jar" "$@"
