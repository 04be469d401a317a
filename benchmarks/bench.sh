#!/usr/bin/env bash
# Regenerates the end-to-end rows of benchmarks/RESULTS.md: `joule bench` with every peer on the
# real speech of Debian's pocketsphinx-testdata, and Joule alone on the en-synth recipe's
# synthetic test set when it has been built here (models/recipes/en-synth/run.sh). Prints the
# Markdown (command, table) of each run; JSON reports and hypotheses stay in OUT.
#
# Usage: benchmarks/bench.sh [OUT_DIR] [joule bench options, e.g. --repeat 5 --machine "..."]
set -euo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
OUT=$(readlink -f "${1:-$ROOT/benchmarks/target/bench}")
shift || true

"$ROOT/benchmarks/install-peers.sh"
"$ROOT/joule" --version >/dev/null   # builds Joule and the benchmarks module when sources changed
mkdir -p "$OUT"
cp=$(ls "$ROOT"/benchmarks/target/joule-benchmarks-*.jar "$ROOT"/cli/target/joule.jar | tr '\n' ':')
java -cp "$cp" dev.joule.bench.peers.RealSpeechSet "$OUT/real-speech"

echo "## Real speech (pocketsphinx-testdata), Joule and peers"
echo
"$ROOT/joule" bench "$OUT/real-speech" --peers all -q -o "$OUT/real-speech-report" "$@"

# JOULE_BENCH_SYNTH points at another copy of the synthetic test set (a data directory).
SYNTH="${JOULE_BENCH_SYNTH:-$ROOT/models/recipes/en-synth/work/data/test}"
if [ -f "$SYNTH/wav.scp" ]; then
  echo
  echo "## Synthetic test set (en-synth recipe), Joule"
  echo
  "$ROOT/joule" bench "$SYNTH" -q -o "$OUT/synth-test-report" "$@"
else
  echo
  echo "(no synthetic test set at $SYNTH: models/recipes/en-synth/run.sh --small makes it)"
fi
