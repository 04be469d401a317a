#!/usr/bin/env bash
# The GPU test suite and GPU benchmarks in one call on a GPU machine that has no Java or Maven.
#
#   benchmarks/gpu/run.sh bundle   (here, on the build machine) builds Joule and packs
#                                  benchmarks/gpu/bundle/: a jlink Java runtime, the runtime jars,
#                                  the engine test jar, the JUnit console launcher, the three
#                                  JCuda native libraries Joule loads and libfst (~55 MB), and
#                                  packs it as benchmarks/gpu/bundle.tar.xz (~28 MB) to carry.
#   benchmarks/gpu/run.sh          (on the GPU machine, from the repository root, with
#                                  bundle.tar.xz carried along; it unpacks it) runs the GPU tests, the SGEMM benchmark beside
#                                  PyTorch's torch.matmul on the same card, the CTC-CRF den
#                                  benchmark on den-phone4g (GPU and the machine's CPU), the whole
#                                  CTC-CRF loss step on the device vs through the host, the CTC
#                                  numerator beside torch's ctc_loss, the BLSTM training step
#                                  beside PyTorch eager (cuDNN) and the Conformer step on GPU
#                                  tensors beside PyTorch eager, and TRF rescoring on the CPU and the GPU,
#                                  writing tests.txt, sgemm-*.jsonl, sgemm.md, den-*.jsonl,
#                                  ctccrf-step.jsonl, ctc-*.jsonl, blstm-*.jsonl, blstm.md, conformer-*.jsonl, conformer.md,
#                                  trf-rescore.jsonl and
#                                  env.txt to $OUT (or benchmarks/gpu/out when OUT is unset).
#   benchmarks/gpu/run.sh run tests conformer
#                                  runs only the named sections (tests sgemm den ctc batch blstm
#                                  conformer trf profile), so a long session can be split across calls.
#   LD_LIBRARY_PATH=native/build/gpu-emulation benchmarks/gpu/run.sh run tests
#                                  (here, without a GPU) runs the bundle's GPU suite on the emulated
#                                  CUDA driver (native/cuda/emulation/driver), to check the bundle.
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
  # Uncompressed modules: xz packs them to 17 MB, against 28 MB for jlink's zipped ones.
  # java.management, java.xml and jdk.zipfs serve the JUnit console launcher; java.desktop draws
  # the trainer's loss plot (ImageIO); the rest is what Joule uses.
  jlink --add-modules java.base,java.desktop,java.logging,java.management,java.xml,jdk.unsupported,jdk.zipfs \
    --strip-debug --no-man-pages --no-header-files --compress=0 --output "$BUNDLE/jre" 2>/dev/null
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
  # OpenFST for reading den graphs (DenGraph.read): the shim inside the decoder jar needs libfst.so.
  cp -L "$(ldconfig -p | awk '/libfst\.so\.[0-9]+ / {print $NF; exit}')" "$BUNDLE/natives/"
  ls "$BUNDLE/natives"
  du -sh "$BUNDLE"
  tar -C "$ROOT/benchmarks/gpu" -cJf "$BUNDLE.tar.xz" bundle
  du -sh "$BUNDLE.tar.xz"
}

run_on_gpu() {
  # Sections to run (all when none are named): a device call has a time limit, so the suite and
  # the benchmarks can go in separate calls.
  local sections=" $* "
  want() { [ "$sections" = "  " ] || [[ "$sections" == *" $1 "* ]]; }
  local tests_rc=0
  local out=${OUT:-$ROOT/benchmarks/gpu/out}
  mkdir -p "$out"
  if [ ! -x "$BUNDLE/jre/bin/java" ] && [ -f "$BUNDLE.tar.xz" ]; then
    tar -C "$ROOT/benchmarks/gpu" -xJf "$BUNDLE.tar.xz"
  fi
  [ -x "$BUNDLE/jre/bin/java" ] || { echo "no bundle: run 'benchmarks/gpu/run.sh bundle' first and carry benchmarks/gpu/bundle.tar.xz" >&2; exit 1; }
  local java="$BUNDLE/jre/bin/java"
  local cp
  cp=$(ls "$BUNDLE"/lib/*.jar | tr '\n' ':' || true)
  local jvm=(-Xmx16g "-Djava.library.path=$BUNDLE/natives")
  # JCublas 12.6 reaches cuBLAS 13 through Joule's libcublas.so.12 shim, which opens
  # libcublas.so.13 by name: put the CUDA toolkit's and PyTorch's copies on the loader path.
  local cuda_libs
  cuda_libs=$( { ls -d /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib 2>/dev/null
    python3 -c 'import nvidia, os; [print(os.path.join(p, d, "lib")) for p in nvidia.__path__ for d in os.listdir(p)]' 2>/dev/null
  } | while read -r d; do if [ -e "$d/libcublas.so.13" ]; then echo "$d"; fi; done | tr '\n' ':' || true)
  export LD_LIBRARY_PATH="${cuda_libs}$BUNDLE/natives:${LD_LIBRARY_PATH:-}"
  # A step that hangs must not take the whole call with it.
  local step_timeout=${STEP_TIMEOUT:-100}

  {
    date -u +"date: %Y-%m-%dT%H:%M:%SZ"
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "nvidia-smi: not available"
    "$java" -version 2>&1 | head -1
    echo "libcublas.so.13 from: ${cuda_libs:-none found}"
  } > "$out/env.txt"
  cat "$out/env.txt"

  if want tests; then
  echo "== GPU test suite (engine)"
  set +e
  # Only the classes that touch the device: the rest of the suite runs in CI.
  timeout "${TEST_TIMEOUT:-300}" "$java" "${jvm[@]}" -jar "$BUNDLE/junit/console.jar" execute \
    --class-path "$cp$(ls "$BUNDLE"/tests/*.jar)" --scan-class-path "$(ls "$BUNDLE"/tests/*.jar)" \
    --include-classname '.*(Gpu|Cuda|Device|CachingAllocator|BundledNative).*Test' \
    --config=junit.jupiter.execution.timeout.default=120s \
    --details=tree --disable-banner --disable-ansi-colors > "$out/tests.txt" 2>&1
  tests_rc=$?
  set -e
  tail -25 "$out/tests.txt"

  fi
  if want sgemm; then
  echo "== SGEMM: Joule (JCublas2) and torch.matmul on the same card"
  timeout "$step_timeout" "$java" "${jvm[@]}" -cp "$cp" dev.joule.bench.SgemmBenchmark gpu "${SIZES[@]}" | tee "$out/sgemm-joule.jsonl" || true
  if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
    timeout "$step_timeout" python3 "$ROOT/benchmarks/gpu/torch_matmul.py" "${SIZES[@]}" | tee "$out/sgemm-torch.jsonl" || true
  else
    echo "PyTorch with CUDA not available: no peer figures" | tee "$out/sgemm-torch.jsonl"
  fi
  timeout "$step_timeout" python3 "$ROOT/benchmarks/gpu/sgemm_table.py" "$out/sgemm-joule.jsonl" "$out/sgemm-torch.jsonl" | tee "$out/sgemm.md" || true

  fi
  if want den; then
  if [ -f "$BUNDLE/data/den-phone4g.fst" ]; then
    echo "== CTC-CRF denominator on den-phone4g (CAT's H100 figures: 1337 ms full, 1293 ms ragged, fwd+bwd)"
    timeout "$step_timeout" "$java" "${jvm[@]}" -cp "$cp" dev.joule.bench.DenBenchmark gpu "$BUNDLE/data/den-phone4g.fst" 20 | tee "$out/den-gpu.jsonl" || true
    timeout "$step_timeout" "$java" "${jvm[@]}" -cp "$cp" dev.joule.bench.DenBenchmark cpu "$BUNDLE/data/den-phone4g.fst" 3 | tee "$out/den-cpu.jsonl" || true
    echo "== CTC-CRF loss step (log-softmax, loss, backward, value read): host path vs device-resident path"
    timeout "$step_timeout" "$java" "${jvm[@]}" -cp "$cp" dev.joule.bench.CtcCrfLossBenchmark "$BUNDLE/data/den-phone4g.fst" 20 | tee "$out/ctccrf-step.jsonl" || true
  fi

  fi
  if want ctc; then
  echo "== CTC numerator: Joule's kernel and torch.nn.functional.ctc_loss on the same batch"
  timeout "$step_timeout" "$java" "${jvm[@]}" -cp "$cp" dev.joule.bench.CtcNumeratorBenchmark gpu 20 | tee "$out/ctc-joule.jsonl" || true
  timeout "$step_timeout" python3 "$ROOT/benchmarks/gpu/ctc_torch.py" 20 | tee "$out/ctc-torch.jsonl" || true

  fi
  if want batch; then
  echo "== Batch transcription with the default model: acoustic model batched on the GPU vs all on the CPU"
  timeout 300 "$java" "${jvm[@]}" -cp "$cp" dev.joule.bench.GpuBatchBenchmark \
    "$ROOT/models/src/main/resources/dev/joule/models/default" "$ROOT/models/samples/kal-sample.wav" 256 16 1 8 32 128 256 \
    | tee "$out/batch-transcription.jsonl" || true

  fi
  if want blstm; then
  echo "== BLSTM training step (6 x 320 per direction, 80-dim input, batch 32 x 500): Joule and PyTorch eager"
  # Not fatal: the PyTorch figures are still worth having when Joule's step fails.
  timeout "$step_timeout" "$java" "${jvm[@]}" -cp "$cp" dev.joule.bench.BlstmGpuBenchmark 32 500 10 6 2>&1 | tee "$out/blstm-joule.jsonl" || true
  if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
    timeout "$step_timeout" python3 "$ROOT/benchmarks/gpu/torch_blstm.py" 32 500 10 6 | tee "$out/blstm-torch.jsonl" || true
  else
    echo "PyTorch with CUDA not available: no peer figures" | tee "$out/blstm-torch.jsonl" || true
  fi
  timeout "$step_timeout" python3 "$ROOT/benchmarks/gpu/step_table.py" "$out/blstm-joule.jsonl" "$out/blstm-torch.jsonl" | tee "$out/blstm.md" || true

  fi
  if want conformer; then
  echo "== Conformer training step (12 blocks, d = 256, batch 32 x 500): Joule's GPU tensors and PyTorch eager"
  # A small step first, so a failure or a slow full-size step still leaves a figure and a trace.
  timeout "$step_timeout" "$java" "${jvm[@]}" -cp "$cp" dev.joule.bench.ConformerGpuBenchmark 4 100 2 2 2>&1 | tee "$out/conformer-joule-small.jsonl" || true
  timeout "$step_timeout" "$java" "${jvm[@]}" -cp "$cp" dev.joule.bench.ConformerGpuBenchmark 32 500 10 12 2>&1 | tee "$out/conformer-joule.jsonl" || true
  if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
    timeout "$step_timeout" python3 "$ROOT/benchmarks/gpu/torch_conformer.py" 32 500 10 12 | tee "$out/conformer-torch.jsonl" || true
  else
    echo "PyTorch with CUDA not available: no peer figures" | tee "$out/conformer-torch.jsonl" || true
  fi
  timeout "$step_timeout" python3 "$ROOT/benchmarks/gpu/step_table.py" "$out/conformer-joule.jsonl" "$out/conformer-torch.jsonl" | tee "$out/conformer.md" || true

  fi
  if want trf; then
  echo "== TRF n-best rescoring throughput, CPU and GPU (a TRF of the default shape, 16-best lists from the default model's n-gram)"
  for device in cpu gpu; do
    timeout "$step_timeout" "$java" "${jvm[@]}" -cp "$cp" dev.joule.bench.TrfRescoreBenchmark untrained \
      "$ROOT/models/src/main/resources/dev/joule/models/default/lm.arpa" sample 400 "$device" 2>&1 | tee -a "$out/trf-rescore.jsonl" || true
  done
  fi
  if want profile; then
  echo "== Kernel times of a 2-block Conformer step (batch 32 x 500), Joule and PyTorch, under Nsight Compute"
  # One metric (the kernel's duration) needs no replay; ncu serialises the kernels, so the sums
  # say where the GPU time goes, not how long a step takes.
  local ncu
  ncu=$(command -v ncu || ls /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1 || true)
  if [ -n "$ncu" ]; then
    timeout 200 "$ncu" --metrics gpu__time_duration.sum --print-summary per-kernel --csv --log-file "$out/ncu-joule.csv" \
      "$java" "${jvm[@]}" -cp "$cp" dev.joule.bench.ConformerGpuBenchmark 32 500 1 2 > /dev/null 2>&1 || echo "ncu on Joule failed"
    timeout 200 "$ncu" --metrics gpu__time_duration.sum --print-summary per-kernel --csv --log-file "$out/ncu-torch.csv" \
      python3 "$ROOT/benchmarks/gpu/torch_conformer.py" 32 500 1 2 > /dev/null 2>&1 || echo "ncu on PyTorch failed"
    python3 "$ROOT/benchmarks/gpu/kernel_table.py" "$out/ncu-joule.csv" "$out/ncu-torch.csv" | tee "$out/kernels.md" || true
  else
    echo "Nsight Compute (ncu) not found: no kernel profile"
  fi
  fi
  return $tests_rc
}

case "${1:-run}" in
  bundle) bundle ;;
  run) shift || true; run_on_gpu "$@" ;;
  *) echo "usage: benchmarks/gpu/run.sh [bundle | run [tests sgemm den ctc batch blstm conformer trf profile]]" >&2; exit 1 ;;
esac
