#!/usr/bin/env bash
# The TRF figures on fortunes text (CPU): n-gram and TRF perplexity on dev/test, the
# importance-sampling check of the learnt zeta, rescoring of simulated 16-best lists (weights
# tuned on dev, WER on test beside the n-gram alone and acoustics alone) and rescoring throughput.
# Needs: apt-get install fortunes; the jars built (mvn -B -ntp -o package -pl cli,benchmarks -am -DskipTests).
# Usage: benchmarks/trf/run.sh [WORKDIR]   (about 15 minutes on 2 cores)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
W=${1:-/tmp/joule-trf}
J="java -jar $ROOT/cli/target/joule.jar"
BENCH_CP="$ROOT/benchmarks/target/joule-benchmarks-0.1.0-SNAPSHOT.jar:$ROOT/benchmarks/target/lib/*"

"$ROOT/benchmarks/trf/corpus.sh" "$W" 20
cd "$W"
$J lm train --order 3 --max-vocab 2000 -o lm3.arpa train.txt
$J lm trf-train --lm lm3.arpa -o trf-based --ngram-base --max-length 20 --embed 32 --hidden 32 \
  --steps 800 --batch 16 --noise-ratio 4 --lr 0.003 --log-every 50 --checkpoint-every 200 train.txt
$J lm trf-ppl --model trf-based --lm lm3.arpa --is-draws 4000 dev.txt test.txt

python3 "$ROOT/benchmarks/trf/nbest.py" dev.txt trf-based/vocab.txt dev.nbest dev.refs 300 1
python3 "$ROOT/benchmarks/trf/nbest.py" test.txt trf-based/vocab.txt test.nbest test.refs 300 2
$J lm rescore --model trf-based --lm lm3.arpa --tune dev.refs --grid 11 dev.nbest
$J lm rescore --model trf-based --lm lm3.arpa --refs test.refs test.nbest >/dev/null
$J lm rescore --model trf-based --lm lm3.arpa --weights 0,0,0 --refs test.refs test.nbest >/dev/null
echo "n-gram alone on test: rerun with --weights ALPHA,0,GAMMA from the tuning line above"

java -cp "$BENCH_CP" dev.joule.bench.TrfRescoreBenchmark trf-based lm3.arpa test.txt 200
