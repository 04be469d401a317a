package dev.joule.engine.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.joule.engine.cpu.CpuDgemm;
import dev.joule.engine.testing.Matrices;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The transposing, offset form of {@link Cublas#sgemm} against the CPU float64 GEMM. */
class GpuSgemmOffsetsTest {
  private GpuDevice gpu;

  @BeforeEach
  void requireGpu() {
    gpu = Gpus.requireGpu();
  }

  @ParameterizedTest
  @CsvSource({"1,1,1,false,false", "32,1280,320,false,false", "33,17,65,true,false", "70,40,300,false,true", "320,1280,64,true,true"})
  void matchesTheCpu(int m, int n, int k, boolean ta, boolean tb) {
    Random r = new Random(m + 7L * n + 31L * k);
    int aOff = 5;
    int bOff = 3;
    int cOff = 11;
    float[] a = Matrices.gaussian(aOff + m * k, r);
    float[] b = Matrices.gaussian(bOff + k * n, r);
    float[] c = Matrices.gaussian(cOff + m * n, r);
    double[] want = new double[m * n];
    double[] ad = new double[a.length];
    double[] bd = new double[b.length];
    for (int i = 0; i < a.length; i++) {
      ad[i] = a[i];
    }
    for (int i = 0; i < b.length; i++) {
      bd[i] = b[i];
    }
    CpuDgemm.gemm(ta, tb, m, n, k, ad, aOff, bd, bOff, want, 0, false);
    try (DeviceBuffer da = gpu.upload(a);
        DeviceBuffer db = gpu.upload(b);
        DeviceBuffer dc = gpu.upload(c)) {
      gpu.defaultStream().cublas().sgemm(ta, tb, m, n, k, 0.5f, da, aOff, db, bOff, 2f, dc, cOff);
      gpu.defaultStream().synchronize();
      float[] got = new float[c.length];
      dc.copyTo(got);
      for (int i = 0; i < cOff; i++) {
        assertEquals(c[i], got[i], 0f, "element before the offset changed");
      }
      for (int i = 0; i < m * n; i++) {
        double expected = 0.5 * want[i] + 2.0 * c[cOff + i];
        assertEquals(expected, got[cOff + i], 1e-4 * Math.sqrt(k) * (1 + Math.abs(expected)), "element " + i);
      }
    }
  }
}
