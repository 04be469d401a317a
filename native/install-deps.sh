#!/usr/bin/env bash
# Installs the system packages Joule builds and runs against, when they are missing:
#   libfst-dev    OpenFST 1.7.9 headers and libfst.so (the WFST algebra)
#   libfst-tools  fstprint/fstinfo/fstcompile (interoperability tests and inspecting graphs)
#   flite, sox    the smoke test of the en-synth recipe's synthesis and augmentation pipeline
#                 (the full recipe needs more: see models/recipes/en-synth/README.md)
# Needs root or sudo to install; otherwise says what to run. Safe to run repeatedly.
set -euo pipefail

missing=()
[ -f /usr/include/fst/fstlib.h ] || missing+=(libfst-dev)
command -v fstprint >/dev/null 2>&1 || missing+=(libfst-tools)
command -v flite >/dev/null 2>&1 || missing+=(flite)
command -v sox >/dev/null 2>&1 || missing+=(sox)
[ ${#missing[@]} -eq 0 ] && exit 0

exec "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" "system packages" \
  "install OpenFST 1.7.9 (headers and libfst.so) and its command-line tools by hand" "${missing[@]}"
