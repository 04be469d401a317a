package dev.joule.cli.bench;

import dev.joule.decoder.scoring.Scoring;
import dev.joule.engine.recognizer.Timing;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one system over a {@link BenchSet}: warm-up passes first (not timed: class loading, JIT
 * compilation and caches would otherwise count), then timed passes, one utterance after another
 * on the calling thread, then scores the first timed pass's words with the project's scorer.
 */
public final class BenchHarness {
  /** One system's recognition of one utterance. */
  public interface Transcriber {
    Output transcribe(BenchSet.Item item) throws IOException, InterruptedException;
  }

  /**
   * The words recognised and, when the system reports it, where the time went.
   *
   * @param timing the engine's own stage timing, or null for a system that reports none
   */
  public record Output(String text, Timing timing) {}

  private final BenchSet set;
  private final int warmup;
  private final int repeat;
  private final Runnable onUtterance;

  /**
   * @param onUtterance called after every utterance of every pass (a progress bar's step)
   */
  public BenchHarness(BenchSet set, int warmup, int repeat, Runnable onUtterance) {
    if (warmup < 0 || repeat < 1) {
      throw new IllegalArgumentException("warm-up passes must be 0 or more and repetitions 1 or more");
    }
    this.set = set;
    this.warmup = warmup;
    this.repeat = repeat;
    this.onUtterance = onUtterance;
  }

  /** Passes over the set each system makes (warm-up and timed). */
  public int passes() {
    return warmup + repeat;
  }

  public SystemResult run(String name, String description, boolean inProcess, Transcriber system)
      throws IOException, InterruptedException {
    for (int i = 0; i < warmup; i++) {
      pass(system, null);
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    boolean cpuClock = inProcess && threads.isCurrentThreadCpuTimeSupported();
    HeapPeak.reset();
    List<Repetition> reps = new ArrayList<>();
    Map<String, String> hyps = new LinkedHashMap<>();
    for (int r = 0; r < repeat; r++) {
      long cpu0 = cpuClock ? threads.getCurrentThreadCpuTime() : 0;
      long t0 = System.nanoTime();
      double[] stages = pass(system, r == 0 ? hyps : null);
      double wall = (System.nanoTime() - t0) / 1e9;
      double cpu = cpuClock ? (threads.getCurrentThreadCpuTime() - cpu0) / 1e9 : Double.NaN;
      reps.add(new Repetition(wall, cpu, stages[0], stages[1], stages[2]));
    }
    long heap = inProcess ? HeapPeak.bytes() : -1;
    Map<String, List<String>> hypWords = new LinkedHashMap<>();
    // Split as TranscriptFiles does for `joule score`, so both give the same figures.
    hyps.forEach((id, text) -> hypWords.put(id, text.isBlank() ? List.of() : Arrays.asList(text.strip().split("\\s+"))));
    return new SystemResult(name, description, List.copyOf(reps), hyps,
        Scoring.score(set.references(), hypWords, set.speakers(), Scoring.Unit.WORDS),
        Scoring.score(set.references(), hypWords, set.speakers(), Scoring.Unit.CHARACTERS), heap);
  }

  /** One pass; returns the summed feature, acoustic and decoding seconds (NaN without timing). */
  private double[] pass(Transcriber system, Map<String, String> hyps) throws IOException, InterruptedException {
    double[] stages = new double[3];
    for (BenchSet.Item item : set.items()) {
      Output out = system.transcribe(item);
      if (out.timing() == null) {
        Arrays.fill(stages, Double.NaN);
      } else {
        stages[0] += out.timing().featureSeconds();
        stages[1] += out.timing().acousticSeconds();
        stages[2] += out.timing().decodeSeconds();
      }
      if (hyps != null) {
        hyps.put(item.id(), out.text());
      }
      onUtterance.run();
    }
    return stages;
  }
}
