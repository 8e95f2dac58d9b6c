#!/usr/bin/env bash
# JMH: a session file holding one scan of 10 million extents: its size (printed by the setup) and the time
# to load and to save it (issue 7). Usage: bench/session.sh [extra JMH options, e.g. -p shape=aligned -i 3]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
./build -q -o -pl engine,styles,app -DskipTests package >/dev/null
./build -q -o -pl engine,styles,app test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
cp="app/target/test-classes:app/target/classes:engine/target/classes:$(cat app/target/bench.classpath)"
java=""
for d in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*; do
  if [ -n "$d" ] && [ -x "$d/bin/java" ] && "$d/bin/java" -version 2>&1 | awk -F'"' '/version/ {split($2,v,"."); exit !(v[1]>=25)}'; then java="$d/bin/java"; break; fi
done
[ -n "$java" ] || { echo "bench/session.sh needs a JDK 25" >&2; exit 2; }
exec "$java" -cp "$cp" org.openjdk.jmh.Main 'org.nbdscope.app.bench.SessionBenchmark' "$@"
