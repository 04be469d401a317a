#!/usr/bin/env bash
# Installs Debian packages with apt-get, as root or through sudo, for the install scripts
# (native/install-deps.sh, benchmarks/install-peers.sh), which decide what is missing.
#
#   native/apt-install.sh WHAT HINT PACKAGE...
#
# WHAT names the packages in the progress line; HINT says what to install by hand where there is
# no apt-get. Without root or sudo it says what to run and fails. Safe to run repeatedly.
set -euo pipefail
what=$1
hint=$2
shift 2
[ $# -eq 0 ] && exit 0

echo "joule: installing $what: $*" >&2
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "joule: cannot install $* without root; run: apt-get install -y $*" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "joule: no apt-get here; $hint" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo[@]}" apt-get install -y -q "$@" >/dev/null 2>&1; then
  "${sudo[@]}" apt-get update -q >/dev/null
  "${sudo[@]}" apt-get install -y -q "$@" >/dev/null
fi
