#!/usr/bin/env bash
# TRF rescoring on real decoded n-best lists: the bundled default model decodes the en-synth
# --small dev and test sets to 16-best lists; a TRF (on the model's n-gram, --ngram-base) is
# trained on the recipe's training text; the weights are tuned on dev; test WER is reported for
# the decoder's 1-best, the n-gram alone (alpha, gamma tuned on dev, beta 0) and n-gram + TRF,
# all from the same test n-best lists (utterances whose n-best search gave up keep the 1-best); finally the TRF is attached to a copy of the model and
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
done
# The decoder's own 1-best for every test utterance (the n-best search gives up on some long ones).
[ -f plain-test/text ] || $J transcribe -m model-default --device cpu --scp en-synth/data/test/wav.scp -f kaldi -o plain-test -j 2 -q
[ -f trf/joule-model.properties ] || $J lm trf-train --lm model-default/lm.arpa -o trf --ngram-base --max-length 24 \
  --embed 32 --hidden 32 --steps "$STEPS" --batch 16 --noise-ratio 4 --lr 0.003 --log-every 25 --checkpoint-every 100 \
  --seed 1 train-words.txt
score() { $J score --ref en-synth/data/test/text --hyp "$1" | tail -1; }
# Utterances without an n-best list keep the decoder's 1-best in every row, as the recognizer does.
fill() { awk 'NR == FNR { have[$1] = 1; print; next } !($1 in have)' "$1" plain-test/text > "$2"; }
echo "== test utterances without an n-best list: $(( $(wc -l < plain-test/text) - $(cut -d' ' -f1 dec-test/nbest | uniq | wc -l) ))"
echo "== decoder 1-best on test"
score plain-test/text
echo "== tuning on dev"
$J lm rescore --model trf --lm model-default/lm.arpa --tune en-synth/data/dev/text dec-dev/nbest | tee tune.txt
ng=$(sed -n 's/.*with the n-gram (alpha \([^ ]*\) gamma \([^)]*\)).*/\1,0,\2/p' tune.txt)
for row in "acoustic-only 0,0,0" "ngram-alone $ng" "ngram+trf saved"; do
  set -- $row
  if [ "$2" = saved ]; then weights=(); else weights=(--weights "$2"); fi
  echo "== test, $1 (weights $2)"
  $J lm rescore --model trf --lm model-default/lm.arpa "${weights[@]}" dec-test/nbest > "rescored-$1.txt"
  fill "rescored-$1.txt" "rescored-$1.all.txt"
  score "rescored-$1.all.txt"
done
echo "== the recognizer with the TRF attached: transcribe --rescore"
rm -rf model-trf && cp -r model-default model-trf
$J lm trf-attach -m model-trf --trf trf
$J info model-trf | grep "TRF language model"
rm -rf rescore-test
/usr/bin/time -f "transcribe --rescore: %e s wall" \
  $J transcribe -m model-trf --device cpu --rescore --scp en-synth/data/test/wav.scp -f kaldi -o rescore-test -j 2 -q
score rescore-test/text
