#!/usr/bin/env bash
# Installs what the peers of `joule bench --peers` and the real-speech set need, when missing:
#   pocketsphinx, pocketsphinx-en-us   the pocketsphinx peer (program and US English model)
#   pocketsphinx-testdata              real speech: the cards recordings and goforward.raw
# Sphinx-4 needs nothing here: it is a Maven dependency of the benchmarks module.
# Needs root or sudo to install; otherwise says what to run. Safe to run repeatedly.
set -euo pipefail

missing=()
[ -x /usr/bin/pocketsphinx_continuous ] || missing+=(pocketsphinx)
[ -d /usr/share/pocketsphinx/model/en-us/en-us ] || missing+=(pocketsphinx-en-us)
[ -f /usr/share/pocketsphinx/test/data/cards/cards.transcription ] || missing+=(pocketsphinx-testdata)
[ ${#missing[@]} -eq 0 ] && exit 0

exec "$(dirname "${BASH_SOURCE[0]}")/../native/apt-install.sh" "benchmark peers" \
  "install pocketsphinx 5prealpha with its en-us model and test data by hand" "${missing[@]}"
