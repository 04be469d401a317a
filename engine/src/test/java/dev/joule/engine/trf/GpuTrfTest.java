package dev.joule.engine.trf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.GpuParity;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The TRF on GPU tensors: a model moved to the GPU (FLOAT64 parameters become FLOAT32 there)
 * gives the CPU model's log-probabilities and NCE gradients to float32 precision, and its ζ can
 * be set in place.
 */
class GpuTrfTest {
  private static final double TOLERANCE = 1e-4;

  @Test
  void logProbabilitiesAndNceGradientsMatchTheCpu() {
    GpuTensors gpu = GpuParity.requireGpu();
    for (boolean based : new boolean[] {false, true}) {
      TrfModel cpu = based ? TinyModels.basedModel(4, 3) : TinyModels.model(4, true, 3);
      TrfModel onGpu = based ? TinyModels.basedModel(4, 3) : TinyModels.model(4, true, 3);
      onGpu.moveTo(gpu);
      assertTrue(onGpu.parameters().values().stream().allMatch(t -> t.isGpu() && t.dtype() == DType.FLOAT32));
      List<int[]> data = TinyModels.sentences();
      GpuParity.assertClose("log p", cpu.logProbs(data), onGpu.logProbs(data), TOLERANCE);

      List<int[]> noise = List.of(new int[] {3, 3}, new int[] {4}, new int[] {5, 3, 4});
      double[] dataLogQ = new double[data.size()];
      double[] noiseLogQ = new double[noise.size()];
      SplittableRandom r = new SplittableRandom(5);
      for (int i = 0; i < dataLogQ.length; i++) {
        dataLogQ[i] = -1 - r.nextDouble();
      }
      for (int i = 0; i < noiseLogQ.length; i++) {
        noiseLogQ[i] = -1 - r.nextDouble();
      }
      Tensor lc = NceLoss.loss(cpu, data, dataLogQ, noise, noiseLogQ);
      Tensor lg = NceLoss.loss(onGpu, data, dataLogQ, noise, noiseLogQ);
      assertEquals(lc.item(), lg.item(), TOLERANCE * (1 + Math.abs(lc.item())));
      lc.backward();
      lg.backward();
      Map<String, Tensor> want = cpu.parameters();
      Map<String, Tensor> got = onGpu.parameters();
      for (String name : want.keySet()) {
        Tensor g = got.get(name).grad();
        assertTrue(g != null && g.isGpu(), name + " gradient on the GPU");
        GpuParity.assertClose("gradient of " + name, want.get(name).grad().values(), g.values(), TOLERANCE);
      }
    }
  }

  @Test
  void zetaIsSetOnTheGpu() {
    GpuTensors gpu = GpuParity.requireGpu();
    TrfModel model = TinyModels.model(4, true, 3);
    model.moveTo(gpu);
    model.setZeta(2, 1.25);
    assertEquals(1.25, model.zeta(2), 1e-7);
  }
}
