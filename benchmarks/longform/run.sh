#!/usr/bin/env bash
# The one-hour check (RELIABILITY.md): transcribes OUT_DIR/long.wav (made by make-long-wav.sh)
# in one JVM with a small fixed heap, then its pieces one by one, and compares the words.
#
#   benchmarks/longform/run.sh OUT_DIR [HEAP]        # HEAP defaults to 256m
#
# Prints wall time, peak resident size, the heap in use after each collection at its highest
# (from the GC log), and how many words differ between the whole and its pieces (a word-level
# diff of the two transcripts). Needs cli/target/joule.jar (./joule builds it), or the jar named
# by JOULE_JAR (a copy keeps a long run safe from rebuilds); JOULE_MODEL picks another model.
set -euo pipefail

out=${1:?usage: run.sh OUT_DIR [HEAP]}
heap=${2:-256m}
root=$(cd "$(dirname "$0")/../.." && pwd)
jar=${JOULE_JAR:-$root/cli/target/joule.jar}
[ -f "$jar" ] || { echo "run.sh: $jar is missing; run ./joule --help once to build it" >&2; exit 1; }
[ -f "$out/long.wav" ] || { echo "run.sh: $out/long.wav is missing; run make-long-wav.sh first" >&2; exit 1; }

echo "audio: $(soxi -d "$out/long.wav"), $(wc -l < "$out/pieces.txt") pieces"
/usr/bin/time -v -o "$out/whole.time" java -Xmx"$heap" -Xlog:gc:file="$out/whole.gc.log" \
  -jar "$jar" transcribe --device cpu "$out/long.wav" > "$out/whole.txt"
grep -E "Elapsed|Maximum resident" "$out/whole.time"
# G1 lines read "... 123M->45M(256M) ...": the figure after the arrow is the heap in use after a collection.
grep -oE "[0-9]+M->[0-9]+M" "$out/whole.gc.log" | awk -F'->' '{ a = $2 + 0; if (a > m) m = a } END { print "heap in use after collection, highest: " m " MB" }'

rm -rf "$out/pieces-out"
/usr/bin/time -v -o "$out/pieces.time" java -Xmx"$heap" -jar "$jar" transcribe --device cpu -q -f kaldi \
  --out "$out/pieces-out" "$out/pieces"
grep -E "Elapsed" "$out/pieces.time" | sed 's/^/pieces: /'
cut -d' ' -f2- "$out/pieces-out/text" | tr ' ' '\n' | grep . > "$out/pieces.words" || true
tr ' ' '\n' < "$out/whole.txt" | grep . > "$out/whole.words" || true
echo "words: whole $(wc -l < "$out/whole.words"), pieces $(wc -l < "$out/pieces.words")"
diff "$out/whole.words" "$out/pieces.words" > "$out/words.diff" || true
echo "differing words (diff lines < and >): $(grep -c '^[<>]' "$out/words.diff" || true); hunks: $(grep -c '^[0-9]' "$out/words.diff" || true)"
