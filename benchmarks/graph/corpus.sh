#!/usr/bin/env bash
# Writes the benchmark's training text (one sentence or line per line) to stdout, from the Debian
# packages DESIGN.md allows: bible-kjv (the `bible` program of bible-kjv with bible-kjv-text),
# fortunes, and WordNet's glosses and examples (wordnet-base).
#   apt-get install bible-kjv bible-kjv-text fortunes wordnet-base
set -euo pipefail

# King James Bible, one verse per line, without the "Ge1:1" references.
bible -f "gen1:1-rev22:21" | sed -E 's/^[^ ]+ //'

# Fortune cookies: the plain-text files (not the .dat indexes or .u8 links); "%" separates them.
find /usr/share/games/fortunes -maxdepth 1 -type f ! -name '*.dat' ! -name '*.u8' -print0 |
  sort -z | xargs -0 cat | grep -v '^%$'

# WordNet glosses and quoted examples: the text after "|" on each synset line, split at ";".
for pos in noun verb adj adv; do
  grep -v '^  ' "/usr/share/wordnet/data.$pos" | sed -E 's/^[^|]*\| *//' | tr ';' '\n'
done
