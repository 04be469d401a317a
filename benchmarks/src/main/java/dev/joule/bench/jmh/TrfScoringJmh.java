package dev.joule.bench.jmh;

import dev.joule.decoder.lm.ArpaReader;
import dev.joule.decoder.lm.Vocabulary;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.trf.LengthPrior;
import dev.joule.engine.trf.TrfConfig;
import dev.joule.engine.trf.TrfModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * TRF scoring on the CPU: log p of a 16-best list's worth of sentences (random words of the
 * default model's vocabulary, 4–20 words) under a TRF of the shape {@code joule lm trf-train}
 * makes by default for rescoring (BLSTM potential, embedding and hidden 32). The weights are
 * random: the cost of scoring does not depend on them. Time per list; sentences/s = 16 / time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TrfScoringJmh {
  @Param("models/src/main/resources/dev/joule/models/default/lm.arpa")
  public String lm;

  @Param("32")
  public int width;

  private TrfModel trf;
  private final List<int[]> sentences = new ArrayList<>();

  @Setup
  public void setUp() throws IOException {
    Vocabulary vocab = ArpaReader.read(Path.of(lm)).vocabulary();
    int maxLength = 24;
    long[] counts = new long[maxLength + 1];
    java.util.Arrays.fill(counts, 1, maxLength + 1, 1);
    Random r = new Random(3);
    trf = new TrfModel(new TrfConfig(maxLength, width, width, 1, true), vocab, LengthPrior.fromCounts(counts, maxLength),
        r, DType.FLOAT32);
    for (int i = 0; i < 16; i++) {
      int[] s = new int[4 + r.nextInt(17)];
      for (int j = 0; j < s.length; j++) {
        s[j] = Vocabulary.UNK + 1 + r.nextInt(vocab.size() - Vocabulary.UNK - 1); // past <s>, </s>, <unk>
      }
      sentences.add(s);
    }
  }

  @Benchmark
  public double[] scoreList() {
    return trf.logProbs(sentences);
  }
}
