package dev.joule.engine.am;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.joule.engine.autograd.GradMode;
import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.gpu.GpuProbe;
import dev.joule.engine.gpu.PtxModule;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GPU inference of each architecture that has one against the CPU model's eval-mode forward on a
 * random ragged batch: every log-probability of every real output frame.
 */
class GpuAcousticModelTest {
  private static GpuDevice gpu;

  @BeforeAll
  static void requireGpu() {
    GpuProbe.Result probe = GpuProbe.probe();
    assumeTrue(probe.available(), () -> "GPU test skipped: no usable GPU (" + probe.reason() + ")");
    assumeTrue(PtxModule.isBundled("ops"), "GPU test skipped: the build had no nvcc, so no PTX is bundled");
    gpu = GpuDevice.open(0);
  }

  @AfterAll
  static void release() {
    if (gpu != null) {
      gpu.close();
    }
  }

  private static Properties config(String arch) {
    Properties p = new Properties();
    p.setProperty("arch", arch);
    p.setProperty("input.dim", "13");
    p.setProperty("tokens", "9");
    p.setProperty("hidden", "16");
    if (arch.equals("tdnn")) {
      p.setProperty("dilations", "1,2,3");
    } else if (arch.equals("conformer")) {
      p.setProperty("dim", "16");
      p.setProperty("heads", "2");
      p.setProperty("layers", "2");
      p.setProperty("conv.kernel", "5");
    } else {
      p.setProperty("layers", "2");
    }
    return p;
  }

  @ParameterizedTest
  @ValueSource(strings = {"tdnn", "blstm", "conformer"})
  void matchesTheCpuModelOnARaggedBatch(String arch) {
    Random r = new Random(arch.hashCode());
    AcousticModel cpu = AcousticModels.create(config(arch), r);
    cpu.train(false);
    int batch = 4;
    int frames = 31;
    int[] lengths = {31, 17, 1, 24};
    Tensor x = Tensor.randn(r, DType.FLOAT32, 1, batch, frames, 13);
    Tensor want = GradMode.withoutGrad(() -> cpu.forward(x, lengths));
    int outFrames = (frames + 2) / 3;
    try (GpuAcousticModel model = GpuAcousticModel.of(cpu, gpu)) {
      float[] got = model.logProbs(x.toFloatArray(), batch, frames, lengths);
      double[] w = want.values();
      assertEquals(w.length, got.length);
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t < (lengths[b] + 2) / 3; t++) {
          for (int v = 0; v < 9; v++) {
            int i = (b * outFrames + t) * 9 + v;
            assertEquals(w[i], got[i], 2e-4 * (1 + Math.abs(w[i])), arch + " utterance " + b + " frame " + t + " token " + v);
          }
        }
      }
      // One utterance alone gives its rows of the batch.
      float[][] alone = model.logProbs(rows(x, 1, lengths[1]));
      for (int t = 0; t < alone.length; t++) {
        for (int v = 0; v < 9; v++) {
          assertEquals(got[(outFrames + t) * 9 + v], alone[t][v], 1e-4, arch + " alone, frame " + t);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tdnn", "conformer"})
  void refusesInputOfTheWrongShape(String arch) {
    AcousticModel cpu = AcousticModels.create(config(arch), new Random(1));
    try (GpuAcousticModel model = GpuAcousticModel.of(cpu, gpu)) {
      assertThrows(IllegalArgumentException.class, () -> model.logProbs(new float[10], 1, 1, new int[] {1}));
      assertThrows(IllegalArgumentException.class, () -> model.logProbs(new float[26], 1, 2, new int[] {3}));
    }
  }

  private static float[][] rows(Tensor x, int b, int length) {
    float[] all = x.toFloatArray();
    int dim = x.dim(2);
    int frames = x.dim(1);
    float[][] out = new float[length][dim];
    for (int t = 0; t < length; t++) {
      System.arraycopy(all, (b * frames + t) * dim, out[t], 0, dim);
    }
    return out;
  }
}
