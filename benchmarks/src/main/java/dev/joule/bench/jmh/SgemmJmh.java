package dev.joule.bench.jmh;

import dev.joule.engine.cpu.CpuSgemm;
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
 * The CPU single-precision matrix product ({@link CpuSgemm}) on random square matrices: the
 * CPU side of the SGEMM path (the GPU side is {@code SgemmBenchmark gpu} beside torch.matmul).
 * GFLOP/s = 2n³ / time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SgemmJmh {
  @Param({"256", "512"})
  public int n;

  private float[] a;
  private float[] b;
  private float[] c;

  @Setup
  public void setUp() {
    Random r = new Random(1);
    a = new float[n * n];
    b = new float[n * n];
    c = new float[n * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) r.nextGaussian();
      b[i] = (float) r.nextGaussian();
    }
  }

  @Benchmark
  public float[] sgemm() {
    CpuSgemm.sgemm(n, n, n, 1f, a, b, 0f, c);
    return c;
  }
}
