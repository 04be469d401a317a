#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer) of Joule's file readers, one target after another.
#
#   benchmarks/fuzz/run.sh            every target in fuzzing mode for its default 20 s
#   benchmarks/fuzz/run.sh TARGET...  only these (Class#method, e.g. AudioFuzzTest#wav)
#   FUZZ_ROUNDS=4 benchmarks/fuzz/run.sh   every target four times over (80 s each in all): each
#                                      round continues from the corpus the previous one grew
#
# A normal `mvn test` replays each target's saved inputs (regression mode). Here each target is
# fuzzed with instrumentation of all dev.joule classes; a finding fails the run, and Jazzer saves
# the crashing input under the module's src/test/resources/.../<Class>Inputs/<method>/ so it
# replays in every later test run. The growing corpus lives in <module>/.cifuzz-corpus (ignored).
set -uo pipefail
cd "$(dirname "$0")/../.."

declare -A MODULE=(
  [AudioFuzzTest#wav]=frontend
  [AudioFuzzTest#kaldiTextFiles]=frontend
  [ParserFuzzTest#arpa]=decoder
  [ParserFuzzTest#symbolTableAndLexicon]=decoder
  [ParserFuzzTest#compactFst]=decoder
  [ParserFuzzTest#openFstFile]=decoder
  [ModelFilesFuzzTest#parameterFile]=engine
  [ModelFilesFuzzTest#modelManifest]=engine
)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${!MODULE[@]}")

mvn -B -q -ntp install -DskipTests >/dev/null || { echo "fuzz: build failed" >&2; exit 1; }
failed=0
rounds=${FUZZ_ROUNDS:-1}
for ((round = 1; round <= rounds; round++)); do
for target in "${targets[@]}"; do
  module=${MODULE[$target]:-}
  [ -n "$module" ] || { echo "fuzz: unknown target $target" >&2; exit 1; }
  log=$(mktemp)
  JAZZER_FUZZ=1 mvn -B -ntp -o test -pl "$module" -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
    "-Djoule.test.argLine=-Xmx2g -Djazzer.instrumentation_includes=dev.joule.**" >"$log" 2>&1
  rc=$?
  summary=$(grep -E "Done [0-9]+ runs in" "$log" | tail -1)
  if [ $rc -eq 0 ]; then
    echo "fuzz: round $round $target ok: ${summary:-no libFuzzer summary}"
  else
    failed=1
    echo "fuzz: round $round $target FAILED; log kept in $log"
    grep -E "FuzzTestFinding|Exception|==" "$log" | head -5
  fi
done
done
exit $failed
