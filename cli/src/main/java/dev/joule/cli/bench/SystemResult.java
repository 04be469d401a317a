package dev.joule.cli.bench;

import dev.joule.decoder.scoring.Scoring;
import java.util.List;
import java.util.Map;

/**
 * What the harness measured for one system.
 *
 * @param name short name ({@code joule}, {@code pocketsphinx}, ...)
 * @param description what ran: program, version, model, device
 * @param repetitions the timed passes over the set (warm-up passes excluded)
 * @param hypotheses utterance id to the words recognised (first timed pass), in set order
 * @param words word error counts against the references
 * @param characters character error counts against the references
 * @param peakHeapBytes peak JVM heap during the timed passes, or -1 when the system runs in another process
 */
public record SystemResult(String name, String description, List<Repetition> repetitions,
    Map<String, String> hypotheses, Scoring.Result words, Scoring.Result characters, long peakHeapBytes) {

  /** Wall-clock seconds per pass. */
  public Spread wallSeconds() {
    return Spread.of(repetitions, Repetition::wallSeconds);
  }

  /** Whether the system reported where its time went (features, acoustic model, decoding). */
  public boolean hasStages() {
    return !Double.isNaN(repetitions.get(0).featureSeconds());
  }

  /** Whether CPU time was measured (the system ran on the measuring thread). */
  public boolean hasCpuTime() {
    return !Double.isNaN(repetitions.get(0).cpuSeconds());
  }
}
