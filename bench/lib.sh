# Sourced by the bench scripts (after `set -euo pipefail`): moves to the repository's root and gives them the build
# every bench class runs from. Not a bench.

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Compiles the main and test classes and writes their dependencies' classpath to target/bench.cp.
bench_compile() {
  mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
}

# Copies the classes (and any other build outputs named, e.g. target/lib) into a new directory, $snapshot, so a
# rebuild made during a long run changes nothing in it.
bench_snapshot() {
  snapshot=$(mktemp -d /tmp/jobdeck-bench.XXXXXX)
  cp -r target/classes target/test-classes "$@" "$snapshot"/
}

# The classpath of a bench class: the snapshot's classes if bench_snapshot made one, else target's, and the
# dependencies bench_compile listed.
bench_classpath() {
  local classes=${snapshot:-$bench_root/target}
  echo "$classes/classes:$classes/test-classes:$(cat "$bench_root/target/bench.cp")"
}

bench_root=$(pwd)
snapshot=
