#!/usr/bin/env bash
# Scores a recognition model on Kaldi data directories with joule transcribe + joule score.
#
#   models/recipes/en-synth/evaluate.sh MODEL_DIR OUT_DIR DATA_DIR...
#
# For each data directory: transcribes its wav.scp (--format kaldi, --resume, 2 jobs) into
# OUT_DIR/<name>/ and prints the WER line of `joule score` against its `text`.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: evaluate.sh MODEL_DIR OUT_DIR DATA_DIR..." >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
joule="$here/../../../joule"
model=$1 out=$2
shift 2
for data in "$@"; do
  name=$(basename "$data")
  mkdir -p "$out/$name"
  "$joule" transcribe -m "$model" --scp "$data/wav.scp" --format kaldi --out "$out/$name" --jobs 2 --resume -q || true
  echo "== $name"
  "$joule" score --ref "$data/text" --hyp "$out/$name/text" | tail -3
done
