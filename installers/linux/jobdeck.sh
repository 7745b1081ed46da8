#!/bin/sh
# `jobdeck` on PATH and in the menu (the packages link /usr/bin/jobdeck here). It starts the bundled
# runtime directly, with the same arguments as `java -jar`. jpackage's native launcher, bin/jobdeck,
# runs `rpm -qf` and `dpkg -S` on itself at every start to find its package, which costs about half a
# second on a Debian machine; it stays in the app image for copying elsewhere.
# installers/build fills in the jar's name.
here=$(dirname "$(readlink -f "$0")")
exec "$here/runtime/bin/java" -jar "$here/app/@FINAL_NAME@.jar" "$@"
