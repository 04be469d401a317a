#!/usr/bin/env bash
# TRF rescoring on real decoded n-best lists: the bundled default model decodes the en-synth
# --small dev and test sets to 16-best lists; a TRF (on the model's n-gram, --ngram-base) is
# trained on the recipe's training text; the weights are tuned on dev; test WER is reported for
# the decoder's 1-best, the n-gram alone (alpha, gamma tuned on dev, beta 0) and n-gram + TRF,
# all from the same test n-best lists; finally the TRF is attached to a copy of the model and
# `joule transcribe --rescore` decodes test again, which must give the n-gram + TRF figure.
# Needs: the corpus (models/recipes/en-synth/run.sh --small --out W/en-synth) and the jar
# (mvn -B -ntp -DskipTests package -pl cli -am).
# Usage: benchmarks/trf/decoded-nbest.sh [WORKDIR] [TRF_STEPS]   (TRF training dominates: ~5 s a step on 2 busy cores)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
W=${1:-/tmp/joule-trf-decoded}
STEPS=${2:-600}
J="java -Xmx4g -jar $ROOT/cli/target/joule.jar"
cd "$W"
[ -d model-default ] || cp -r "$ROOT/models/src/main/resources/dev/joule/models/default" model-default
[ -f train-words.txt ] || cut -d' ' -f2- en-synth/text/train.txt > train-words.txt
for s in dev test; do
  [ -f dec-$s/nbest ] || $J transcribe -m model-default --device cpu --scp en-synth/data/$s/wav.scp -f nbest -o dec-$s -j 2 -q
  # The decoder's 1-best: the first entry of each list.
  awk '!seen[$1]++ { $2 = ""; print }' dec-$s/nbest | sed 's/  */ /g' > dec-$s/onebest.txt
done
[ -f trf/joule-model.properties ] || $J lm trf-train --lm model-default/lm.arpa -o trf --ngram-base --max-length 24 \
  --embed 32 --hidden 32 --steps "$STEPS" --batch 16 --noise-ratio 4 --lr 0.003 --log-every 25 --checkpoint-every 100 \
  --seed 1 train-words.txt
echo "== decoder 1-best on test"
$J score --ref en-synth/data/test/text --hyp dec-test/onebest.txt | tail -3
echo "== tuning on dev"
$J lm rescore --model trf --lm model-default/lm.arpa --tune en-synth/data/dev/text dec-dev/nbest | tee tune.txt
ng=$(sed -n 's/.*with the n-gram (alpha \([^ ]*\) gamma \([^)]*\)).*/\1,0,\2/p' tune.txt)
echo "== test: acoustic only, n-gram alone ($ng), n-gram + TRF (saved weights)"
$J lm rescore --model trf --lm model-default/lm.arpa --weights 0,0,0 --refs en-synth/data/test/text dec-test/nbest >/dev/null
$J lm rescore --model trf --lm model-default/lm.arpa --weights "$ng" --refs en-synth/data/test/text dec-test/nbest >/dev/null
$J lm rescore --model trf --lm model-default/lm.arpa --refs en-synth/data/test/text dec-test/nbest > rescored-test.txt
echo "== the recognizer with the TRF attached: transcribe --rescore"
rm -rf model-trf && cp -r model-default model-trf
$J lm trf-attach -m model-trf --trf trf
$J info model-trf | grep "TRF language model"
/usr/bin/time -f "transcribe --rescore: %e s wall" \
  $J transcribe -m model-trf --device cpu --rescore --scp en-synth/data/test/wav.scp -f kaldi -o rescore-test -j 2 -q
$J score --ref en-synth/data/test/text --hyp rescore-test/text | tail -3
