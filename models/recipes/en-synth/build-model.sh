#!/usr/bin/env bash
# Builds a recognition model from scratch, end to end: corpus, acoustic model, word LM, decoding
# graph, the joined model, and its scores. `--small --train-utts 6000` is how the bundled default
# model was made (about an hour on a 2-core machine; --small alone, 1,500 training utterances,
# ran in 12.7 minutes from an empty work directory).
#
#   models/recipes/en-synth/build-model.sh [--small] [--train-utts N] [--seed N] [--config FILE] [--out DIR]
#
# Writes under --out (default models/recipes/en-synth/work/model-build): exp/am (acoustic model,
# checkpoints, log, plot), lm.arpa, graph/ (TLG.jfst, words.txt, lexicon.txt, lm.arpa), model/
# (the recognition model) and eval/ (transcripts and `joule score` of test, eval_kal and, when
# Debian's pocketsphinx-testdata is installed, real speech).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
joule="$root/joule"
small="" utts="" seed=1 config="$here/tdnn-small.conf" out="$here/work/model-build"
while [ $# -gt 0 ]; do
  case "$1" in
    --small) small=--small ;;
    --train-utts) utts="--train-utts $2"; shift ;;
    --seed) seed=$2; shift ;;
    --config) config=$2; shift ;;
    --out) out=$2; shift ;;
    *) echo "usage: build-model.sh [--small] [--train-utts N] [--seed N] [--config FILE] [--out DIR]" >&2; exit 1 ;;
  esac
  shift
done
work="$here/work"
dict=/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict
mkdir -p "$out"

echo "== corpus"
"$here/run.sh" $small $utts --seed "$seed" --out "$work"

echo "== acoustic model"
JOULE_JAVA_OPTS=${JOULE_JAVA_OPTS:--Xmx10g} "$joule" train --config "$config" --train "$work/data/train" \
  --dev "$work/data/dev" --tokens "$work/lang/tokens.txt" --out "$out/exp/am" --device cpu \
  $( [ -d "$out/exp/am.ckpt" ] && echo --resume )

echo "== word LM and decoding graph"
cut -d' ' -f2- "$work/text/train.txt" > "$out/lm-train.txt"
# A 20k-word vocabulary pruned at 3e-6 (23 MB model): against 6k words pruned at 1e-5 (9.5 MB) it
# took dev WER from 44.5% to 36.0%; 40k words or 1e-6 gain 1-3 points more for 31-56 MB.
vocab=20000 prune=3e-6
"$joule" lm train --order 3 --max-vocab "$vocab" --prune "$prune" -o "$out/lm.arpa" "$out/lm-train.txt"
"$joule" compile-graph --lexicon "$dict" --lm "$out/lm.arpa" --tokens "$work/lang/tokens.txt" --out "$out/graph"
awk 'NR==FNR {w[$1]=1; next} ($1 in w)' "$out/graph/words.txt" "$work/lang/lexicon.txt" > "$out/graph/lexicon.txt"
cp "$out/lm.arpa" "$out/graph/lm.arpa"

echo "== model"
# words.txt lists <eps> and the disambiguation symbol #0 besides the words.
"$joule" assemble --am "$out/exp/am" --graph "$out/graph" --out "$out/model" \
  --property "corpus=en-synth $small $utts seed $seed" --property "config=$(basename "$config")" \
  --property "lm=3-gram KN, $(($(wc -l < "$out/graph/words.txt") - 2)) words, entropy-pruned $prune, trained on the recipe's train text" \
  --property "description=Joule default English model: TDNN CTC-CRF trained on the CPU on the en-synth $small synthetic corpus, $((vocab / 1000))k-word trigram TLG"

echo "== scores"
sets=("$work/data/test" "$work/data/eval_kal")
if [ -d /usr/share/pocketsphinx/test/data/cards ]; then
  real="$out/real"
  mkdir -p "$real"
  sox -t raw -r 16000 -e signed -b 16 -c 1 /usr/share/pocketsphinx/test/data/goforward.raw "$real/goforward.wav"
  : > "$real/wav.scp"; : > "$real/text"
  while read -r line; do
    id=$(sed -E 's/.*\(([^)]+)\).*/\1/' <<<"$line")
    words=$(sed -E 's/<\/?s>//g; s/\([^)]*\)//; s/^ +| +$//g' <<<"$line")
    echo "cards-$id /usr/share/pocketsphinx/test/data/cards/$id.wav" >> "$real/wav.scp"
    echo "cards-$id $words" >> "$real/text"
  done < /usr/share/pocketsphinx/test/data/cards/cards.transcription
  echo "goforward $real/goforward.wav" >> "$real/wav.scp"
  echo "goforward go forward ten meters" >> "$real/text"
  sets+=("$real")
fi
"$here/evaluate.sh" "$out/model" "$out/eval" "${sets[@]}"
