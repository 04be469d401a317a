#!/usr/bin/env bash
# Builds a long recording from real synthetic speech for the long-input checks (RELIABILITY.md):
# sentences from Debian's fortunes spoken by flite's kal16 voice (held out of training), each
# saved as its own WAV ("the pieces") with 0.48 s of silence before and after, and the pieces
# joined into one file ("the whole"), so consecutive sentences are about 1 s apart.
#
#   benchmarks/longform/make-long-wav.sh OUT_DIR SECONDS
#
# Writes OUT_DIR/pieces/NNNNN.wav, OUT_DIR/pieces.txt (the pieces in order) and OUT_DIR/long.wav
# (16 kHz, 16-bit mono). Deterministic: the same sentences in the same order every run.
#
# Every piece is padded with silence to a multiple of 480 samples (30 ms, three 10 ms feature
# frames: one output frame of a model that subsamples by 3), so each piece starts on the same
# feature-frame grid in the whole as on its own. Otherwise a piece would be heard at a different
# sub-frame phase inside the whole, which alone changes what a weak model recognises. The
# silence on each side is longer than the acoustic model's context (about 0.3 s), so a piece's
# speech is heard next to the same silence alone and in the whole.
set -euo pipefail

out=${1:?usage: make-long-wav.sh OUT_DIR SECONDS}
seconds=${2:?usage: make-long-wav.sh OUT_DIR SECONDS}
fortunes=/usr/share/games/fortunes
for tool in flite sox; do
  command -v $tool >/dev/null || { echo "make-long-wav: $tool is missing (native/install-deps.sh installs it)" >&2; exit 1; }
done
[ -f "$fortunes/fortunes" ] || { echo "make-long-wav: $fortunes is missing (apt-get install fortunes)" >&2; exit 1; }

mkdir -p "$out/pieces"
rm -f "$out/pieces/"*.wav "$out/pieces.txt"

# Plain sentences of 5-16 words (every fortunes file, in name order): letters, spaces and a few punctuation marks only.
grep -hE "^[A-Za-z][A-Za-z ,.']{20,120}$" $(ls "$fortunes"/* | grep -vE "\.(dat|u8)$") \
  | awk 'NF >= 5 && NF <= 16' | awk '!seen[$0]++' > "$out/sentences.txt"

total=0
n=0
joined=()
while IFS= read -r line && awk -v t="$total" -v s="$seconds" 'BEGIN { exit !(t < s) }'; do
  n=$((n + 1))
  piece=$(printf '%s/pieces/%05d.wav' "$out" "$n")
  flite -voice kal16 -t "$line" -o "$piece.tmp.wav"
  sox -q "$piece.tmp.wav" -r 16000 -b 16 -c 1 "$piece.16k.wav"
  samples=$(soxi -s "$piece.16k.wav")
  sox -q "$piece.16k.wav" "$piece" pad 7680s $(( 7680 + (480 - samples % 480) % 480 ))s
  rm -f "$piece.tmp.wav" "$piece.16k.wav"
  echo "$piece" >> "$out/pieces.txt"
  joined+=("$piece")
  len=$(soxi -D "$piece")
  total=$(awk -v t="$total" -v l="$len" 'BEGIN { printf "%.3f", t + l }')
done < "$out/sentences.txt"

# sox opens every input at once; join in batches to stay under the open-file limit.
rm -f "$out/long.wav"
batch=()
part=0
for f in "${joined[@]}"; do
  batch+=("$f")
  if [ ${#batch[@]} -ge 400 ]; then
    sox "${batch[@]}" "$out/part$part.wav"; part=$((part + 1)); batch=()
  fi
done
[ ${#batch[@]} -gt 0 ] && { sox "${batch[@]}" "$out/part$part.wav"; part=$((part + 1)); }
parts=()
for ((i = 0; i < part; i++)); do parts+=("$out/part$i.wav"); done
if [ ${#parts[@]} -eq 1 ]; then mv "${parts[0]}" "$out/long.wav"; else sox "${parts[@]}" "$out/long.wav"; rm -f "${parts[@]}"; fi
echo "make-long-wav: $n pieces, $(soxi -d "$out/long.wav") in $out/long.wav" >&2
