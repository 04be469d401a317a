package dev.joule.bench.jmh;

import dev.joule.bench.DecoderBenchmark;
import dev.joule.decoder.fst.Fst;
import dev.joule.decoder.search.Decoder;
import dev.joule.decoder.search.DecoderOptions;
import dev.joule.decoder.search.DecodingResult;
import dev.joule.decoder.search.ScoreMatrix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Beam search per frame over the default model's TLG (6k-word trigram) with CAT's default beams,
 * on the random-but-peaked scores of {@link DecoderBenchmark} (one token at p=0.9 per frame,
 * blank on 60% of frames): a whole 300-frame utterance per call, lattice and n-best included,
 * reported per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecoderFrameJmh {
  static final int FRAMES = 300;

  @Param("models/src/main/resources/dev/joule/models/default/TLG.jfst")
  public String graph;

  /** Tokens including blank (the default model has 40). */
  @Param("40")
  public int tokens;

  private Decoder decoder;
  private ScoreMatrix scores;

  @Setup
  public void setUp() throws IOException {
    decoder = new Decoder(Fst.load(Path.of(graph)), DecoderOptions.DEFAULTS);
    scores = ScoreMatrix.of(DecoderBenchmark.peaked(new Random(1), FRAMES, tokens), FRAMES, tokens);
  }

  @Benchmark
  @OperationsPerInvocation(FRAMES)
  public DecodingResult perFrame() {
    return decoder.decode(scores);
  }
}
