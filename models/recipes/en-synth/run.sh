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
