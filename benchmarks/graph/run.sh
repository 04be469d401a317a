#!/usr/bin/env bash
# Graph compilation benchmark: a 20k-word trigram from the Debian text sources, TLG compiled from
# it, and the load time of the compact graph. Results go to $OUT (default /tmp/joule-graph-bench).
#   apt-get install bible-kjv bible-kjv-text fortunes wordnet-base pocketsphinx-en-us
#   mvn -B -ntp package -pl benchmarks -am -DskipTests && benchmarks/graph/run.sh
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${OUT:-${TMPDIR:-/tmp}/joule-graph-bench}
DICT=${DICT:-/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict}
CP="$ROOT/benchmarks/target/classes:$ROOT/benchmarks/target/lib/*"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
mkdir -p "$OUT"

"$HERE/corpus.sh" > "$OUT/corpus.txt"
"$JAVA" -Xmx4g -cp "$CP" dev.joule.bench.GraphCompileBenchmark estimate "$OUT/corpus.txt" "$DICT" "$OUT/lm.arpa" \
  "${VOCAB:-20000}" "${CUTOFF:-2}" | tee "$OUT/estimate.txt"
/usr/bin/time -v "$JAVA" -Xmx${COMPILE_HEAP:-2g} -cp "$CP" dev.joule.bench.GraphCompileBenchmark compile "$DICT" \
  "$OUT/lm.arpa" "$OUT/graph" 2> "$OUT/time.txt" | tee "$OUT/compile.txt"
grep -E "Maximum resident|Elapsed" "$OUT/time.txt"
