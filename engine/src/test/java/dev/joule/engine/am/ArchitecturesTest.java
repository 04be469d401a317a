package dev.joule.engine.am;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.model.ModelDirectory;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainable architectures: subsampling by 3, log-softmax output, batch independence, save/load. */
class ArchitecturesTest {
  static final int DIM = 6;
  private static final int TOKENS = 5;
  @TempDir Path dir;

  static Properties config(String arch) {
    Properties p = new Properties();
    p.setProperty("arch", arch);
    p.setProperty("input.dim", Integer.toString(DIM));
    p.setProperty("tokens", Integer.toString(TOKENS));
    switch (arch) {
      case "tdnn" -> {
        p.setProperty("hidden", "8");
        p.setProperty("dilations", "1,2");
      }
      case "blstm" -> {
        p.setProperty("hidden", "4");
        p.setProperty("layers", "2");
      }
      default -> {
        p.setProperty("dim", "8");
        p.setProperty("heads", "2");
        p.setProperty("layers", "1");
        p.setProperty("conv.kernel", "3");
        p.setProperty("dropout", "0");
      }
    }
    return p;
  }

  /** {@code frames} rows of {@link #DIM} standard normal features (seeded). */
  static float[][] features(int frames, long seed) {
    Random r = new Random(seed);
    float[][] f = new float[frames][DIM];
    for (float[] row : f) {
      for (int d = 0; d < DIM; d++) {
        row[d] = (float) r.nextGaussian();
      }
    }
    return f;
  }

  @ParameterizedTest
  @ValueSource(strings = {"tdnn", "blstm", "conformer"})
  void subsamplesByThreeAndEmitsLogSoftmax(String arch) {
    AcousticModel m = AcousticModels.create(config(arch), new Random(1));
    assertEquals(3, m.subsampling());
    for (int frames : new int[] {1, 2, 3, 7, 9}) {
      float[][] out = m.logProbs(features(frames, frames));
      assertEquals((frames + 2) / 3, out.length, frames + " frames");
      for (float[] row : out) {
        double sum = 0;
        for (float v : row) {
          sum += Math.exp(v);
        }
        assertEquals(1.0, sum, 1e-5);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tdnn", "blstm", "conformer"})
  void anUtteranceScoresTheSameAloneAndInAPaddedBatch(String arch) {
    AcousticModel m = AcousticModels.create(config(arch), new Random(2));
    m.train(false);
    float[][] shortUtt = features(7, 3);
    float[][] longUtt = features(13, 4);
    float[][] alone = m.logProbs(shortUtt);
    double[] x = new double[2 * 13 * DIM];
    for (int t = 0; t < 13; t++) {
      for (int d = 0; d < DIM; d++) {
        x[(13 + t) * DIM + d] = longUtt[t][d];
        // Garbage in the padding must not matter.
        x[t * DIM + d] = t < 7 ? shortUtt[t][d] : 1e3;
      }
    }
    Tensor out = m.forward(Tensor.wrap(x, Shape.of(2, 13, DIM), DType.FLOAT32), new int[] {7, 13});
    assertEquals(List.of(2, 5, TOKENS), List.of(out.dim(0), out.dim(1), out.dim(2)));
    for (int t = 0; t < alone.length; t++) {
      for (int v = 0; v < TOKENS; v++) {
        assertEquals(alone[t][v], out.get(0, t, v), 1e-5, "frame " + t + " token " + v);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tdnn", "blstm", "conformer"})
  void everyParameterGetsAGradientAndSaveLoadRoundTrips(String arch) throws IOException {
    AcousticModel m = AcousticModels.create(config(arch), new Random(5));
    float[][] f = features(10, 6);
    double[] x = new double[10 * DIM];
    for (int t = 0; t < 10; t++) {
      for (int d = 0; d < DIM; d++) {
        x[t * DIM + d] = f[t][d];
      }
    }
    Tensor out = m.forward(Tensor.wrap(x, Shape.of(1, 10, DIM), DType.FLOAT32), new int[] {10});
    Ops.sum(Ops.mul(out, Tensor.randn(new Random(7), DType.FLOAT64, 1, out.dim(0), out.dim(1), out.dim(2)))).backward();
    for (Map.Entry<String, Tensor> e : m.parameters().entrySet()) {
      assertNotNull(e.getValue().grad(), e.getKey());
    }
    m.train(false);
    float[][] before = m.logProbs(f);
    Path dirPath = dir.resolve(arch);
    try (ModelDirectory.Builder b = ModelDirectory.create(dirPath)) {
      AcousticModels.save(m, b);
      b.commit();
    }
    AcousticModel loaded = AcousticModels.load(ModelDirectory.open(dirPath));
    float[][] after = loaded.logProbs(f);
    for (int t = 0; t < before.length; t++) {
      assertArrayEquals(before[t], after[t], 0f);
    }
  }

  @Test
  void badSettingsAreNamed() {
    Properties p = config("tdnn");
    p.setProperty("dilations", "1,x");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> AcousticModels.create(p, new Random(0)))
        .getMessage().contains("'dilations' must be a comma-separated list of integers"));
    Properties q = config("blstm");
    q.setProperty("hidden", "big");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> AcousticModels.create(q, new Random(0)))
        .getMessage().contains("'hidden' is not an integer"));
    Properties c = config("conformer");
    c.setProperty("heads", "3");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> AcousticModels.create(c, new Random(0)))
        .getMessage().contains("dim a multiple of heads"));
  }
}
