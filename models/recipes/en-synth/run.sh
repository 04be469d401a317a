#!/usr/bin/env bash
# en-synth: the synthetic English training corpus (text, lexicon, synthesis, augmentation,
# Kaldi data dirs, report). See models/DATA.md for the sources and models/recipes/en-synth/README.md.
#
#   models/recipes/en-synth/run.sh [--small] [--seed N] [--out DIR] [--jobs N]
#                                  [--from-stage S] [--to-stage S] [--train-utts N] ...
#
# Stages: text, lexicon, synthesis, augmentation, datadirs, report. Default output:
# models/recipes/en-synth/work/ (gitignored). Needs: java 17+, maven (to build), sox, and the
# synthesisers (flite, espeak-ng, festival + festvox-us-slt-hts; festvox-kallpc16k for the eval
# set); a missing synthesiser's voices are skipped with a warning. Text sources: fortunes,
# bible-kjv (+ bible-kjv-text), wordnet-base, wamerican; pronunciations: pocketsphinx-en-us.
# Set JOULE_SKIP_BUILD=1 to use the classes already compiled.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)

case " $* " in
  *" -h "*|*" --help "*) ;;
  *)
    for tool in sox flite espeak-ng text2wave bible; do
      command -v "$tool" >/dev/null 2>&1 || echo "en-synth: warning: $tool not found" >&2
    done
    ;;
esac

if [ "${JOULE_SKIP_BUILD:-0}" != 1 ]; then
  (cd "$root" && mvn -B -q -pl models -am -DskipTests compile) >&2
fi
cp="$root/frontend/target/classes:$root/decoder/target/classes:$root/engine/target/classes:$root/models/target/classes"
start=$(date +%s)
java -Xmx6g -cp "$cp" dev.joule.models.recipe.EnSynthRecipe --out "$here/work" "$@"
echo "en-synth: finished in $(( $(date +%s) - start )) s" >&2
# CPU time of the recipe and everything it ran (java, synthesisers, sox): on a busy machine the
# wall time says little, this says what the work costs (divide by the cores for an idle machine)
tf=$(mktemp)
times > "$tf" # not in a pipeline: a subshell would report its own (zero) times
tail -1 "$tf" | awk '{ split($1, u, "m"); split($2, s, "m");
  printf "en-synth: CPU time of the run (user+sys, children): %.0f s\n", u[1]*60 + u[2] + s[1]*60 + s[2] }' >&2
rm -f "$tf"
