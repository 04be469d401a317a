package dev.joule.engine.gpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.cpu.CpuSgemm;
import dev.joule.engine.testing.Matrices;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** cuBLAS SGEMM through JCublas2 (and, on CUDA 13, the compatibility shim) against the CPU. */
class GpuSgemmTest {
  private GpuDevice gpu;

  @BeforeEach
  void requireGpu() {
    gpu = Gpus.requireGpu();
  }

  @ParameterizedTest
  @CsvSource({"1,1,1", "2,3,4", "17,33,65", "128,256,64", "300,200,100", "1024,512,768"})
  void matchesTheCpuOnRandomInputs(int m, int n, int k) {
    Random r = new Random(31L * m + 17L * n + k);
    float[] a = Matrices.gaussian(m * k, r);
    float[] b = Matrices.gaussian(k * n, r);
    float[] c0 = Matrices.gaussian(m * n, r);
    double[] want = Matrices.gemmFloat64(m, n, k, 1.5, a, b, 0.5, c0);

    float[] cpu = c0.clone();
    CpuSgemm.sgemm(m, n, k, 1.5f, a, b, 0.5f, cpu);
    float[] got = new float[m * n];
    try (DeviceBuffer da = gpu.upload(a);
        DeviceBuffer db = gpu.upload(b);
        DeviceBuffer dc = gpu.upload(c0)) {
      gpu.defaultStream().cublas().sgemm(m, n, k, 1.5f, da, db, 0.5f, dc);
      gpu.defaultStream().synchronize();
      dc.copyTo(got);
    }
    double tolerance = 1e-5 * Math.sqrt(k) + 1e-6;
    double gpuErr = Matrices.maxRelativeError(got, want);
    double cpuErr = Matrices.maxRelativeError(cpu, want);
    assertTrue(gpuErr < tolerance, "GPU max relative error " + gpuErr + " vs float64");
    assertTrue(cpuErr < tolerance, "CPU max relative error " + cpuErr + " vs float64");
  }
}
