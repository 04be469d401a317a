#!/usr/bin/env bash
# Runs the JMH microbenchmarks (dev.joule.bench.jmh: fbank, decoder per frame, den
# forward-backward on the CPU) from the repository root, after building the benchmarks module.
# Arguments go to JMH (e.g. `FbankJmh -f 1 -i 10`; `-h` lists them); results also land in
# benchmarks/target/jmh.json.
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
cd "$ROOT"
native/install-deps.sh
mvn -B -q -ntp package -DskipTests -pl benchmarks -am
jar=$(ls benchmarks/target/joule-benchmarks-*.jar | grep -v -e '-tests\.jar' | head -n 1)
exec java -cp "$jar:benchmarks/target/lib/*" org.openjdk.jmh.Main -rf json -rff benchmarks/target/jmh.json "$@"
