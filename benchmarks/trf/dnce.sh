#!/usr/bin/env bash
# NCE against the n-gram beside dynamic NCE (an LSTM noise trained along with the TRF), the same
# TRF (n-gram base, BLSTM 32, max length 20), seed, batch, noise ratio and number of TRF steps, in
# one run on the fortunes text of corpus.sh: dev perplexity with the learnt zeta and with zeta
# re-estimated by importance sampling from the n-gram. DNCE is run without and with a warm-up of
# the noise LSTM alone.
# Needs: apt-get install fortunes; the jar built (mvn -B -ntp install -DskipTests -pl cli -am).
# Usage: benchmarks/trf/dnce.sh [WORKDIR] [STEPS] [WARMUP]   (about 9 minutes on 2 busy cores)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
W=${1:-/tmp/joule-trf-dnce}
STEPS=${2:-100}
WARMUP=${3:-300}
J="java -jar $ROOT/cli/target/joule.jar"

"$ROOT/benchmarks/trf/corpus.sh" "$W" 20
cd "$W"
date -u
$J lm train --order 3 --max-vocab 2000 -o lm3.arpa train.txt
common="--lm lm3.arpa --ngram-base --max-length 20 --embed 32 --hidden 32 --steps $STEPS --batch 16
  --noise-ratio 4 --lr 0.003 --seed 1 --log-every 25"
# shellcheck disable=SC2086
/usr/bin/time -f "%e s" $J lm trf-train $common -o nce train.txt
# shellcheck disable=SC2086
/usr/bin/time -f "%e s" $J lm trf-train $common --dnce-alpha 0.5 -o dnce train.txt
# shellcheck disable=SC2086
/usr/bin/time -f "%e s" $J lm trf-train $common --dnce-alpha 0.5 --noise-warm-up "$WARMUP" -o dnce-warm train.txt
for m in nce dnce dnce-warm; do
  echo "== $m"
  $J lm trf-ppl --model $m --lm lm3.arpa --is-draws 2000 dev.txt | grep -v '^length'
done
date -u
