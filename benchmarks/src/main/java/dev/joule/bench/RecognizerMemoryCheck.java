package dev.joule.bench;

import dev.joule.engine.device.DeviceChoice;
import dev.joule.engine.recognizer.Recognizer;
import dev.joule.engine.recognizer.RecognizerOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Native and heap memory over many load-transcribe-close cycles of a {@link Recognizer}: the
 * process's resident size (which counts the memory-mapped decoding graph, the JVM's native
 * allocations and any native library's) and the heap in use after a full collection, printed
 * every tenth of the run. A leak shows as a steady climb; a bounded run levels off after warm-up.
 *
 * <pre>java -Xmx512m -cp "benchmarks/target/joule-benchmarks-*.jar:benchmarks/target/lib/*" \
 *   dev.joule.bench.RecognizerMemoryCheck MODEL_DIR AUDIO.wav ITERATIONS [TRANSCRIBE_EVERY]</pre>
 *
 * <p>Each iteration opens the model (manifest checksums, weights, graph mapping), and every
 * {@code TRANSCRIBE_EVERY}-th (default 1) transcribes the audio, then closes it.
 */
public final class RecognizerMemoryCheck {
  private RecognizerMemoryCheck() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      System.err.println("usage: RecognizerMemoryCheck MODEL_DIR AUDIO.wav ITERATIONS [TRANSCRIBE_EVERY]");
      System.exit(2);
    }
    Path model = Path.of(args[0]);
    Path audio = Path.of(args[1]);
    int iterations = Integer.parseInt(args[2]);
    int every = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    RecognizerOptions options = RecognizerOptions.defaults().withDevice(DeviceChoice.CPU).withRescoring(false);
    String first = null;
    long t0 = System.nanoTime();
    System.out.println("iteration  rss_MB  heap_after_gc_MB  seconds");
    for (int i = 1; i <= iterations; i++) {
      try (Recognizer r = Recognizer.open(model, options)) {
        if (i % every == 0 || i == 1) {
          String text = r.transcribe(audio).text();
          if (first == null) {
            first = text;
          } else if (!first.equals(text)) {
            throw new IllegalStateException("iteration " + i + " transcribed '" + text + "', the first gave '" + first + "'");
          }
        }
      }
      if (i == 1 || i % Math.max(1, iterations / 10) == 0) {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf("%9d  %6.1f  %16.1f  %7.1f%n", i, rssKb() / 1024.0, heap / 1048576.0, (System.nanoTime() - t0) / 1e9);
      }
    }
    System.out.println("every transcription gave: " + first);
  }

  static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS in /proc/self/status");
  }
}
