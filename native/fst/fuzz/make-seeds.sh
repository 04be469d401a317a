#!/usr/bin/env bash
# Writes the seed inputs of the OpenFST read fuzzer into DIR: small real OpenFST files made by
# OpenFST's own tools, covering both FST types the reader accepts (vector, const; const also
# in the aligned layout), both arc types Joule uses (standard, log), with and without symbol
# tables.
#
#   native/fst/fuzz/make-seeds.sh DIR
#
# The Jazzer target ParserFuzzTest#openFstFile is seeded with the same files
# (decoder/src/test/resources/dev/joule/decoder/fuzz/ParserFuzzTestInputs/openFstFile/).
set -euo pipefail
mkdir -p "$1"
out=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Relative names, so the symbol tables' names (stored in the files) do not vary between runs.
cd "$work"

printf '<eps>\t0\na\t1\nb\t2\nc\t3\n' >"syms.txt"
# A small transducer with epsilons, a loop and two final states.
printf '0\t1\ta\tb\t0.5\n0\t2\t<eps>\tc\t1.25\n1\t1\tb\tb\t0.1\n1\t2\tc\t<eps>\n2\t0\ta\ta\t2\n1\t0.3\n2\n' >"t.txt"
# An acceptor with one state: the smallest non-empty body.
printf '0\t0\ta\ta\n0\n' >"loop.txt"

for arc in standard log; do
  fstcompile --arc_type=$arc --isymbols="syms.txt" --osymbols="syms.txt" \
    "t.txt" "$out/vector-$arc.fst"
  fstcompile --arc_type=$arc --isymbols="syms.txt" --osymbols="syms.txt" \
    --keep_isymbols --keep_osymbols "t.txt" "$out/vector-$arc-symbols.fst"
  fstcompile --arc_type=$arc --isymbols="syms.txt" --osymbols="syms.txt" \
    --keep_isymbols "loop.txt" "$out/vector-$arc-isymbols-only.fst"
  fstconvert --fst_type=const "$out/vector-$arc.fst" "$out/const-$arc.fst"
  fstconvert --fst_type=const "$out/vector-$arc-symbols.fst" "$out/const-$arc-symbols.fst"
  fstconvert --fst_type=const --fst_align "$out/vector-$arc.fst" "$out/const-$arc-aligned.fst"
done
# An FST with no states at all.
printf '' | fstcompile >"$out/vector-empty.fst"
