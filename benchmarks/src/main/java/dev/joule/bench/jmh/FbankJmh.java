package dev.joule.bench.jmh;

import dev.joule.bench.FbankBenchmark;
import dev.joule.frontend.FloatMatrix;
import dev.joule.frontend.features.Fbank;
import dev.joule.frontend.features.FbankOptions;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Kaldi fbank (80 bins, default options) of 10 s of speech-like 16 kHz audio already in memory. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FbankJmh {
  private float[] audio;
  private Fbank fbank;

  @Setup
  public void setUp() {
    audio = FbankBenchmark.speechLike(10 * 16000, 1);
    fbank = new Fbank(FbankOptions.defaults());
  }

  /** Milliseconds per 10 s of audio (1000 frames). */
  @Benchmark
  public FloatMatrix tenSeconds() {
    return fbank.compute(audio);
  }
}
