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

echo "joule: installing benchmark peers: ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "joule: cannot install ${missing[*]} without root; run: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "joule: no apt-get here; install pocketsphinx 5prealpha with its en-us model and test data by hand" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo[@]}" apt-get install -y -q "${missing[@]}" >/dev/null 2>&1; then
  "${sudo[@]}" apt-get update -q >/dev/null
  "${sudo[@]}" apt-get install -y -q "${missing[@]}" >/dev/null
fi
