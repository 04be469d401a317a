#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer + AddressSanitizer) of OpenFST's binary reader as Joule
# calls it (joule_fst_read, behind OpenFst.read), out of the JVM: a native crash here ends one
# fuzzer child, not a Java run. Complements benchmarks/fuzz/run.sh, which fuzzes the Java
# readers in-process with Jazzer (including OpenFstHeader, the Java check that now runs first).
#
#   benchmarks/fuzz/openfst.sh              fuzz for 300 s with one worker
#   FUZZ_SECONDS=60 benchmarks/fuzz/openfst.sh
#
# Builds native/build/fst-fuzz/read_fuzzer (installing clang and libclang-rt-dev when missing),
# seeds it with real OpenFST files (native/fst/fuzz/make-seeds.sh) and runs it in fork mode, so
# one crash does not end the run. The corpus grows in native/build/fst-fuzz/corpus; every
# crashing, hanging or memory-hungry input is kept in native/build/fst-fuzz/findings/ (both
# ignored by git). A finding becomes a file under
# decoder/src/test/resources/dev/joule/decoder/fst/openfst-fuzz/ that OpenFstFuzzFindingsTest
# checks is refused with an FstFormatException.
set -euo pipefail
cd "$(dirname "$0")/../.."

missing=()
command -v clang++ >/dev/null 2>&1 || missing+=(clang)
compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null || missing+=(libclang-rt-dev)
native/install-deps.sh
native/apt-install.sh "fuzzing toolchain" "install clang and its libFuzzer runtime by hand" "${missing[@]}"

make -C native -s fst-fuzz
dir=native/build/fst-fuzz
mkdir -p "$dir/corpus" "$dir/findings"
native/fst/fuzz/make-seeds.sh "$dir/seeds"

# -rss_limit_mb: an input that makes the reader allocate more than this is a finding (OpenFST
# trusts the sizes in headers). -timeout: one file must read in well under a second.
"$dir/read_fuzzer" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
  -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=10 -max_len=4096 \
  -max_total_time="${FUZZ_SECONDS:-300}" -artifact_prefix="$dir/findings/" \
  "$dir/corpus" "$dir/seeds" >"$dir/last-run.log" 2>&1 || true
grep -E "^#[0-9]+: cov|INFO: fuzzed for|crash-|oom-|timeout-|leak-" "$dir/last-run.log" | tail -20 || true
echo "fuzz: log in $dir/last-run.log; findings in $dir/findings:"
ls -la "$dir/findings"
