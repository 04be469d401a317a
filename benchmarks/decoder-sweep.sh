#!/usr/bin/env bash
# The decoder's accuracy/speed curve over beam values with a trained model: `joule bench` on a
# data directory (default: the recipe's synthetic test set) once per beam, then one Markdown row
# per beam with WER and the decoding real-time factor per core (decoding seconds / audio seconds;
# each utterance is decoded on one thread).
#
#   benchmarks/decoder-sweep.sh OUT [DATA_DIR] [MODEL_DIR]     (BEAMS="8 11 14 17 20" by default;
#                                                            JOULE="java -jar joule.jar" to run a fixed jar)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:?usage: benchmarks/decoder-sweep.sh OUT [DATA_DIR] [MODEL_DIR]}
DATA=${2:-$ROOT/models/recipes/en-synth/work/data/test}
MODEL=${3:-}
mkdir -p "$OUT"
for beam in ${BEAMS:-8 11 14 17 20}; do
  ${JOULE:-"$ROOT/joule"} bench "$DATA" ${MODEL:+--model "$MODEL"} --device cpu --beam "$beam" --repeat 1 --warmup 1 \
    --json -q > "$OUT/beam-$beam.json"
done
python3 - "$OUT" ${BEAMS:-8 11 14 17 20} <<'PY'
import json, sys
out, beams = sys.argv[1], sys.argv[2:]
print("| date | machine | beam | WER | decoding RTF per core | total RTF | utterances (audio s) |")
print("|---|---|---|---|---|---|---|")
for b in beams:
    r = json.load(open(f"{out}/beam-{b}.json"))
    j = r["systems"][0]
    dec = j["stage_seconds"]["decoding"]["median"]
    print(f"| {r['date']} | {r['machine']} | {b} | {100 * j['wer']:.1f}% | {dec / r['audio_seconds']:.4f} | "
          f"{j['rtf']['median']:.4f} | {r['utterances']} ({r['audio_seconds']:.1f}) |")
PY
