#!/usr/bin/env bash
# Writes train/dev/test text for the TRF figures into DIR from Debian's fortunes (the plain-text
# files): lower-cased, words of [a-z'] only, one line per sentence, 1..MAX words; every 20th line
# goes to dev, the next one to test.
#   apt-get install fortunes
# Usage: corpus.sh DIR [MAX]
set -euo pipefail
dir=$1
max=${2:-20}
mkdir -p "$dir"
find /usr/share/games/fortunes -maxdepth 1 -type f ! -name '*.dat' ! -name '*.u8' -print0 |
  sort -z | xargs -0 cat | grep -v '^%$' |
  tr 'A-Z' 'a-z' | sed -E "s/[^a-z' ]+/ /g; s/(^| )'+|'+( |$)/ /g; s/ +/ /g; s/^ //; s/ $//" |
  awk -v max="$max" -v dir="$dir" 'NF >= 1 && NF <= max {
    n++; f = (n % 20 == 0) ? "dev" : (n % 20 == 1 && n > 1) ? "test" : "train"; print > (dir "/" f ".txt") }'
wc -l "$dir"/train.txt "$dir"/dev.txt "$dir"/test.txt
