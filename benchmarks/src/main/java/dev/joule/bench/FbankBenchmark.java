package dev.joule.bench;

import dev.joule.frontend.audio.Audio;
import dev.joule.frontend.audio.AudioSource;
import dev.joule.frontend.audio.WavWriter;
import dev.joule.frontend.data.DataDir;
import dev.joule.frontend.data.Utterance;
import dev.joule.frontend.features.Fbank;
import dev.joule.frontend.features.FbankOptions;
import dev.joule.frontend.features.Features;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Fbank throughput in multiples of real time (seconds of audio per second of compute).
 *
 * <ul>
 *   <li>{@code single}: one thread, {@link Fbank#compute} on 60 s of 16 kHz audio already in
 *       memory, default options (80 bins, dither 1) and with dither 0; {@code single-cputime} is
 *       the same runs measured by the thread's CPU time instead of the wall clock;
 *   <li>{@code datadir}: a Kaldi data directory end to end (WAV decoding, resampling where needed,
 *       fbank) with 1, 2, ... threads; without {@code --data}, 64 ten-second 16 kHz WAVs are
 *       written to a temporary directory first.
 * </ul>
 *
 * <p>Each measurement is warmed up, then repeated; the median and the spread are reported, one
 * JSON object per line.
 *
 * <p>Usage: {@code FbankBenchmark [--data DIR] [--threads N] [--repetitions R]}
 */
public final class FbankBenchmark {
  private FbankBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path data = null;
    int maxThreads = Runtime.getRuntime().availableProcessors();
    int reps = 7;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--data" -> data = Path.of(args[++i]);
        case "--threads" -> maxThreads = Integer.parseInt(args[++i]);
        case "--repetitions" -> reps = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    String cpu = Runtime.getRuntime().availableProcessors() + "-thread CPU, " + Runtime.version();
    float[] audio = speechLike(60 * 16000, 1);
    for (double dither : new double[] {1.0, 0.0}) {
      Fbank fbank = new Fbank(FbankOptions.builder().dither(dither).build());
      for (int w = 0; w < 5; w++) {
        fbank.compute(audio);
      }
      double[] x = new double[reps];
      double[] cpuTime = new double[reps];
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      for (int r = 0; r < reps; r++) {
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        fbank.compute(audio);
        x[r] = 60.0 / ((System.nanoTime() - t0) / 1e9);
        cpuTime[r] = 60.0 / ((mx.getCurrentThreadCpuTime() - c0) / 1e9);
      }
      report("single", 1, dither, x, cpu);
      // The same runs timed by the thread's CPU time: what the code costs when the machine is
      // shared (wall-clock figures then include time spent waiting for a core).
      report("single-cputime", 1, dither, cpuTime, cpu);
    }
    Path tmp = null;
    if (data == null) {
      tmp = Files.createTempDirectory("joule-fbank-bench");
      data = makeDataDir(tmp, 64, 10);
    }
    try {
      List<Utterance> utts = DataDir.load(data, false).utterances();
      double audioSeconds = 0;
      for (Utterance u : utts) {
        try (AudioSource src = u.open(16000)) {
          audioSeconds += Audio.readAll(src).length / 16000.0;
        }
      }
      for (int threads = 1; threads <= maxThreads; threads *= 2) {
        runDataDir(utts, threads, audioSeconds); // warm-up
        double[] x = new double[Math.max(3, reps / 2)];
        for (int r = 0; r < x.length; r++) {
          x[r] = runDataDir(utts, threads, audioSeconds);
        }
        report("datadir", threads, 1.0, x, cpu + ", " + utts.size() + " utterances, "
            + String.format("%.0f", audioSeconds) + " s");
      }
    } finally {
      if (tmp != null) {
        try (Stream<Path> s = Files.walk(tmp)) {
          for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    }
  }

  private static double runDataDir(List<Utterance> utts, int threads, double audioSeconds)
      throws Exception {
    ThreadLocal<Fbank> fbanks = ThreadLocal.withInitial(() -> new Fbank(FbankOptions.defaults()));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long t0 = System.nanoTime();
      List<Future<Integer>> futures = new ArrayList<>();
      for (Utterance u : utts) {
        futures.add(pool.submit(() -> {
          try (AudioSource src = u.open(16000)) {
            return Features.compute(src, fbanks.get()).rows();
          }
        }));
      }
      for (Future<Integer> f : futures) {
        f.get();
      }
      return audioSeconds / ((System.nanoTime() - t0) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Path makeDataDir(Path dir, int files, int seconds) throws IOException {
    StringBuilder scp = new StringBuilder();
    for (int i = 0; i < files; i++) {
      Path f = dir.resolve(String.format("utt%03d.wav", i));
      WavWriter.write(f, speechLike(seconds * 16000, i), 16000);
      scp.append(String.format("utt%03d %s%n", i, f));
    }
    Files.writeString(dir.resolve("wav.scp"), scp.toString());
    return dir;
  }

  /** A voiced, gliding harmonic signal with noise: speech-like spectra, no silence. */
  public static float[] speechLike(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n];
    double phase = 0;
    for (int i = 0; i < n; i++) {
      double f0 = 120 + 50 * Math.sin(2 * Math.PI * 1.5 * i / 16000);
      phase += 2 * Math.PI * f0 / 16000;
      x[i] = (float) (0.1 * Math.sin(phase) + 0.05 * Math.sin(3 * phase) + 0.02 * Math.sin(7 * phase)
          + 0.01 * r.nextGaussian());
    }
    return x;
  }

  private static void report(String mode, int threads, double dither, double[] x, String machine) {
    double[] v = x.clone();
    Arrays.sort(v);
    System.out.printf(Locale.ROOT,
        "{\"bench\":\"fbank\",\"mode\":\"%s\",\"threads\":%d,\"dither\":%.1f,\"xrt_median\":%.0f,"
            + "\"xrt_min\":%.0f,\"xrt_max\":%.0f,\"repetitions\":%d,\"machine\":\"%s\"}%n",
        mode, threads, dither, v[v.length / 2], v[0], v[v.length - 1], v.length, machine);
  }
}
