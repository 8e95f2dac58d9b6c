#!/usr/bin/env bash
# JMH: rebinning 10 million extents to a 2,000-pixel-wide heat-map view (issue 6 target: <= 16 ms).
# Usage: bench/rebin.sh [extra JMH options, e.g. -f 1 -wi 2 -i 3]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
./build -q -pl app -am -DskipTests install >/dev/null
./build -q -pl app test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
cp="app/target/test-classes:app/target/classes:$(cat app/target/bench.classpath)"
java=""
for d in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*; do
  if [ -n "$d" ] && [ -x "$d/bin/java" ] && "$d/bin/java" -version 2>&1 | awk -F'"' '/version/ {split($2,v,"."); exit !(v[1]>=25)}'; then java="$d/bin/java"; break; fi
done
[ -n "$java" ] || { echo "bench/rebin.sh needs a JDK 25" >&2; exit 2; }
exec "$java" -cp "$cp" org.openjdk.jmh.Main 'org.nbdscope.app.bench.RebinBenchmark' "$@"
