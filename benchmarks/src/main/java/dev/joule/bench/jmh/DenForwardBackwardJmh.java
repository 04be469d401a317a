package dev.joule.bench.jmh;

import dev.joule.bench.DenBenchmark;
import dev.joule.engine.ctccrf.DenGraph;
import dev.joule.engine.ctccrf.Denominator;
import dev.joule.engine.ctccrf.LogProbBatch;
import dev.joule.engine.ctccrf.SequencePosteriors;
import java.nio.file.Path;
import java.util.Arrays;
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
 * The CTC-CRF denominator forward-backward on the CPU (log Z and occupancies) over the default
 * model's den graph, for a batch of log-softmax outputs made by {@link DenBenchmark}'s recipe.
 * For the den-phone4g graph and CAT's batch pass {@code -p graph=shared/bench/den-phone4g/den.fst
 * -p batch=64 -p frames=400} (about 20 s a call on 2 cores).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DenForwardBackwardJmh {
  @Param("models/src/main/resources/dev/joule/models/default/den.fst")
  public String graph;

  @Param("40")
  public int tokens;

  @Param("8")
  public int batch;

  @Param("200")
  public int frames;

  /** {@code auto}: the one-token-per-state form where the graph allows; {@code arcByArc}: the general form. */
  @Param({"auto", "arcByArc"})
  public String form;

  private Denominator denominator;
  private LogProbBatch input;

  @Setup
  public void setUp() {
    DenGraph g = DenGraph.read(Path.of(graph), tokens);
    denominator = form.equals("arcByArc") ? Denominator.arcByArc(g) : new Denominator(g);
    int[] lengths = new int[batch];
    Arrays.fill(lengths, frames);
    input = new LogProbBatch(DenBenchmark.logSoftmaxNormals(batch * frames, tokens, 20240601L), batch, frames, tokens,
        lengths);
  }

  @Benchmark
  public SequencePosteriors forwardBackward() {
    return denominator.compute(input);
  }
}
