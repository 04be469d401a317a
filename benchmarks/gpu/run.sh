#!/usr/bin/env bash
# The GPU test suite and GPU benchmarks in one call on a GPU machine that has no Java or Maven.
#
#   benchmarks/gpu/run.sh bundle   (here, on the build machine) builds Joule and packs
#                                  benchmarks/gpu/bundle/: a jlink Java runtime, the runtime jars,
#                                  the engine test jar, the JUnit console launcher and the three
#                                  JCuda native libraries Joule loads (~50 MB in all).
#   benchmarks/gpu/run.sh          (on the GPU machine, from the repository root, with the bundle
#                                  carried along) runs the GPU tests, the SGEMM benchmark beside
#                                  PyTorch's torch.matmul on the same card, the CTC-CRF den
#                                  benchmark on den-phone4g (GPU and the machine's CPU), the CTC
#                                  numerator beside torch's ctc_loss, the BLSTM training step
#                                  beside PyTorch eager (cuDNN) and PyTorch's Conformer step,
#                                  writing tests.txt, sgemm-*.jsonl, sgemm.md, den-*.jsonl,
#                                  ctc-*.jsonl, blstm-*.jsonl, blstm.md, conformer-torch.jsonl and
#                                  env.txt to $OUT (or benchmarks/gpu/out when OUT is unset).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUNDLE="$ROOT/benchmarks/gpu/bundle"
SIZES=(1024 2048 4096 8192)

bundle() {
  cd "$ROOT"
  native/install-deps.sh
  mvn -B -q -ntp -DskipTests package
  rm -rf "$BUNDLE"
  mkdir -p "$BUNDLE"/{lib,natives,tests,junit}
  # java.management, java.xml and jdk.zipfs serve the JUnit console launcher; the rest is what Joule uses.
  jlink --add-modules java.base,java.logging,java.management,java.xml,jdk.unsupported,jdk.zipfs \
    --strip-debug --no-man-pages --no-header-files --compress=2 --output "$BUNDLE/jre" 2>/dev/null
  for jar in benchmarks/target/lib/*.jar; do
    case "$(basename "$jar")" in
      sphinx4-*) ;; # CPU peers, not needed on the GPU machine (and 40+ MB)
      *-natives-*) (cd "$BUNDLE/natives" && unzip -q -o -j "$ROOT/$jar" 'lib/libJCudaDriver-*' 'lib/libJCudaRuntime-*' 'lib/libJCublas2-*' 2>/dev/null || true) ;;
      *) cp "$jar" "$BUNDLE/lib/" ;;
    esac
  done
  cp benchmarks/target/joule-benchmarks-*.jar "$BUNDLE/lib/"
  cp engine/target/joule-engine-*-tests.jar "$BUNDLE/tests/"
  cp benchmarks/target/junit/*.jar "$BUNDLE/junit/console.jar"
  # The den-graph bench graph (shared/bench/den-phone4g), when this checkout has it beside it.
  for den in "$ROOT/shared/bench/den-phone4g/den.fst" "$ROOT/../shared/bench/den-phone4g/den.fst"; do
    if [ -f "$den" ]; then mkdir -p "$BUNDLE/data" && cp "$den" "$BUNDLE/data/den-phone4g.fst"; break; fi
  done
  ls "$BUNDLE/natives"
  du -sh "$BUNDLE"
}

run_on_gpu() {
  local out=${OUT:-$ROOT/benchmarks/gpu/out}
  mkdir -p "$out"
  [ -x "$BUNDLE/jre/bin/java" ] || { echo "no bundle: run 'benchmarks/gpu/run.sh bundle' first and carry benchmarks/gpu/bundle" >&2; exit 1; }
  local java="$BUNDLE/jre/bin/java"
  local cp
  cp=$(ls "$BUNDLE"/lib/*.jar | tr '\n' ':')
  local jvm=(-Xmx16g "-Djava.library.path=$BUNDLE/natives")

  {
    date -u +"date: %Y-%m-%dT%H:%M:%SZ"
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "nvidia-smi: not available"
    "$java" -version 2>&1 | head -1
  } > "$out/env.txt"
  cat "$out/env.txt"

  echo "== GPU test suite (engine)"
  set +e
  "$java" "${jvm[@]}" -jar "$BUNDLE/junit/console.jar" execute \
    --class-path "$cp$(ls "$BUNDLE"/tests/*.jar)" --scan-class-path "$(ls "$BUNDLE"/tests/*.jar)" \
    --details=tree --disable-banner --disable-ansi-colors > "$out/tests.txt" 2>&1
  local tests_rc=$?
  set -e
  tail -25 "$out/tests.txt"

  echo "== SGEMM: Joule (JCublas2) and torch.matmul on the same card"
  "$java" "${jvm[@]}" -cp "$cp" dev.joule.bench.SgemmBenchmark gpu "${SIZES[@]}" | tee "$out/sgemm-joule.jsonl" || true
  if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
    python3 "$ROOT/benchmarks/gpu/torch_matmul.py" "${SIZES[@]}" | tee "$out/sgemm-torch.jsonl"
  else
    echo "PyTorch with CUDA not available: no peer figures" | tee "$out/sgemm-torch.jsonl"
  fi
  python3 "$ROOT/benchmarks/gpu/sgemm_table.py" "$out/sgemm-joule.jsonl" "$out/sgemm-torch.jsonl" | tee "$out/sgemm.md"

  if [ -f "$BUNDLE/data/den-phone4g.fst" ]; then
    echo "== CTC-CRF denominator on den-phone4g (CAT's H100 figures: 1337 ms full, 1293 ms ragged, fwd+bwd)"
    "$java" "${jvm[@]}" -cp "$cp" dev.joule.bench.DenBenchmark gpu "$BUNDLE/data/den-phone4g.fst" 20 | tee "$out/den-gpu.jsonl"
    "$java" "${jvm[@]}" -cp "$cp" dev.joule.bench.DenBenchmark cpu "$BUNDLE/data/den-phone4g.fst" 3 | tee "$out/den-cpu.jsonl"
  fi

  echo "== CTC numerator: Joule's kernel and torch.nn.functional.ctc_loss on the same batch"
  "$java" "${jvm[@]}" -cp "$cp" dev.joule.bench.CtcNumeratorBenchmark gpu 20 | tee "$out/ctc-joule.jsonl" || true
  python3 "$ROOT/benchmarks/gpu/ctc_torch.py" 20 | tee "$out/ctc-torch.jsonl" || true

  echo "== BLSTM training step (6 x 320 per direction, 80-dim input, batch 32 x 500): Joule and PyTorch eager"
  # Not fatal: the PyTorch figures are still worth having when Joule's step fails.
  "$java" "${jvm[@]}" -cp "$cp" dev.joule.bench.BlstmGpuBenchmark 32 500 10 6 2>&1 | tee "$out/blstm-joule.jsonl" || true
  if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
    python3 "$ROOT/benchmarks/gpu/torch_blstm.py" 32 500 10 6 | tee "$out/blstm-torch.jsonl"
    echo "== Conformer training step (12 blocks, d = 256, batch 32 x 500): PyTorch eager only (no Joule GPU Conformer yet)"
    python3 "$ROOT/benchmarks/gpu/torch_conformer.py" 32 500 10 12 | tee "$out/conformer-torch.jsonl"
  else
    echo "PyTorch with CUDA not available: no peer figures" | tee "$out/blstm-torch.jsonl"
  fi
  python3 "$ROOT/benchmarks/gpu/step_table.py" "$out/blstm-joule.jsonl" "$out/blstm-torch.jsonl" | tee "$out/blstm.md"
  return $tests_rc
}

case "${1:-run}" in
  bundle) bundle ;;
  run) run_on_gpu ;;
  *) echo "usage: benchmarks/gpu/run.sh [bundle|run]" >&2; exit 1 ;;
esac
