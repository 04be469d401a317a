package dev.joule.bench.jmh;

import dev.joule.bench.DenBenchmark;
import dev.joule.engine.ctccrf.CtcNumerator;
import dev.joule.engine.ctccrf.LogProbBatch;
import dev.joule.engine.ctccrf.SequencePosteriors;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CTC numerator on the CPU (log p and occupancies of label sequences) for a batch of
 * log-softmax outputs made by {@link DenBenchmark}'s recipe and random labels (blank excluded).
 * The GPU kernel is timed beside torch's ctc_loss by {@code CtcNumeratorBenchmark gpu}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CtcNumeratorJmh {
  @Param("40")
  public int tokens;

  @Param("16")
  public int batch;

  @Param("400")
  public int frames;

  @Param("100")
  public int labels;

  private LogProbBatch input;
  private int[][] targets;

  @Setup
  public void setUp() {
    int[] lengths = new int[batch];
    Arrays.fill(lengths, frames);
    input = new LogProbBatch(DenBenchmark.logSoftmaxNormals(batch * frames, tokens, 20240601L), batch, frames, tokens,
        lengths);
    Random r = new Random(777);
    targets = new int[batch][labels];
    for (int[] row : targets) {
      for (int i = 0; i < labels; i++) {
        row[i] = 1 + r.nextInt(tokens - 1);
      }
    }
  }

  @Benchmark
  public SequencePosteriors numerator() {
    return CtcNumerator.compute(input, targets);
  }
}
