package dev.joule.cli.bench;

import dev.joule.cli.format.JsonText;
import dev.joule.decoder.scoring.ErrorCounts;
import java.util.List;
import java.util.Locale;

/**
 * The results of one {@code joule bench} run, as JSON (every figure, for tools) and as a Markdown
 * table (the rows {@code benchmarks/RESULTS.md} keeps).
 *
 * @param date ISO date of the run
 * @param machine what the run was on, as the user describes it
 * @param command the command line that produced it
 * @param rescoring whether n-best lists were rescored with the model's TRF
 * @param gpuPeakBytes the most GPU memory Joule held at once (model and timed passes), or -1 on the CPU
 * @param skipped peers asked for that could not run, each with the reason
 */
public record BenchReport(BenchSet set, String date, String machine, String command, String java, int cpus,
    int warmup, int repeat, String rescoring, long gpuPeakBytes, List<SystemResult> systems, List<String> skipped) {

  public String json() {
    StringBuilder sb = new StringBuilder("{\n");
    sb.append("  \"date\": ").append(q(date)).append(",\n");
    sb.append("  \"machine\": ").append(q(machine)).append(",\n");
    sb.append("  \"command\": ").append(q(command)).append(",\n");
    sb.append("  \"java\": ").append(q(java)).append(",\n");
    sb.append("  \"cpus\": ").append(cpus).append(",\n");
    sb.append("  \"data\": ").append(q(set.dir().toString())).append(",\n");
    sb.append("  \"utterances\": ").append(set.items().size()).append(",\n");
    sb.append("  \"audio_seconds\": ").append(n(set.audioSeconds(), 3)).append(",\n");
    sb.append("  \"reference_words\": ").append(set.referenceWords()).append(",\n");
    sb.append("  \"warmup_passes\": ").append(warmup).append(",\n");
    sb.append("  \"repetitions\": ").append(repeat).append(",\n");
    sb.append("  \"rescoring\": ").append(q(rescoring)).append(",\n");
    sb.append("  \"gpu_peak_bytes\": ").append(gpuPeakBytes >= 0 ? Long.toString(gpuPeakBytes) : "null").append(",\n");
    sb.append("  \"systems\": [");
    for (int i = 0; i < systems.size(); i++) {
      sb.append(i > 0 ? "," : "").append("\n");
      system(sb, systems.get(i));
    }
    sb.append("\n  ],\n  \"skipped\": [");
    for (int i = 0; i < skipped.size(); i++) {
      sb.append(i > 0 ? ", " : "").append(q(skipped.get(i)));
    }
    return sb.append("]\n}\n").toString();
  }

  private void system(StringBuilder sb, SystemResult s) {
    double audio = set.audioSeconds();
    ErrorCounts w = s.words().total();
    ErrorCounts c = s.characters().total();
    sb.append("    {\n");
    sb.append("      \"name\": ").append(q(s.name())).append(",\n");
    sb.append("      \"description\": ").append(q(s.description())).append(",\n");
    sb.append("      \"wer\": ").append(n(w.errorRate(), 6)).append(",\n");
    sb.append("      \"word_errors\": ").append(counts(w)).append(",\n");
    sb.append("      \"cer\": ").append(n(c.errorRate(), 6)).append(",\n");
    sb.append("      \"character_errors\": ").append(counts(c)).append(",\n");
    sb.append("      \"wall_seconds\": ").append(spread(s.wallSeconds())).append(",\n");
    sb.append("      \"rtf\": ").append(spread(s.wallSeconds().dividedBy(audio))).append(",\n");
    sb.append("      \"cpu_rtf\": ")
        .append(s.hasCpuTime() ? spread(Spread.of(s.repetitions(), Repetition::cpuSeconds).dividedBy(audio)) : "null")
        .append(",\n");
    sb.append("      \"stage_seconds\": ");
    if (s.hasStages()) {
      sb.append("{\"features\": ").append(spread(Spread.of(s.repetitions(), Repetition::featureSeconds)))
          .append(", \"acoustic_model\": ").append(spread(Spread.of(s.repetitions(), Repetition::acousticSeconds)))
          .append(", \"decoding\": ").append(spread(Spread.of(s.repetitions(), Repetition::decodeSeconds)))
          .append(", \"rescoring\": null}");
    } else {
      sb.append("null");
    }
    sb.append(",\n      \"peak_heap_bytes\": ").append(s.peakHeapBytes() >= 0 ? Long.toString(s.peakHeapBytes()) : "null");
    sb.append(",\n      \"repetition_wall_seconds\": [");
    for (int i = 0; i < s.repetitions().size(); i++) {
      sb.append(i > 0 ? ", " : "").append(n(s.repetitions().get(i).wallSeconds(), 4));
    }
    sb.append("]\n    }");
  }

  /** The header of {@link #markdownRows()}. */
  public static String markdownHeader() {
    return "| date | machine | data | system | WER | CER | RTF median (min–max) | CPU RTF | "
        + "features / AM / decoding s | peak heap MB |\n"
        + "|---|---|---|---|---|---|---|---|---|---|\n";
  }

  /** One row per system. */
  public String markdownRows() {
    StringBuilder sb = new StringBuilder();
    String data = String.format(Locale.ROOT, "%s (%d utts, %.1f s)", set.dir().getFileName(), set.items().size(),
        set.audioSeconds());
    double audio = set.audioSeconds();
    for (SystemResult s : systems) {
      Spread rtf = s.wallSeconds().dividedBy(audio);
      String cpuRtf = s.hasCpuTime()
          ? String.format(Locale.ROOT, "%.3f", Spread.of(s.repetitions(), Repetition::cpuSeconds).dividedBy(audio).median())
          : "—";
      String stages = s.hasStages()
          ? String.format(Locale.ROOT, "%.2f / %.2f / %.2f", Spread.of(s.repetitions(), Repetition::featureSeconds).median(),
              Spread.of(s.repetitions(), Repetition::acousticSeconds).median(),
              Spread.of(s.repetitions(), Repetition::decodeSeconds).median())
          : "—";
      String heap = s.peakHeapBytes() >= 0 ? String.format(Locale.ROOT, "%.0f", s.peakHeapBytes() / 1048576.0) : "—";
      sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.1f%% | %.1f%% | %.3f (%.3f–%.3f) | %s | %s | %s |%n",
          date, machine, data, s.description(), 100 * s.words().total().errorRate(),
          100 * s.characters().total().errorRate(), rtf.median(), rtf.min(), rtf.max(), cpuRtf, stages, heap));
    }
    return sb.toString();
  }

  /** The Markdown report: the command, the table, and what was skipped. */
  public String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("Command: `").append(command).append("` (").append(warmup).append(" warm-up pass(es) excluded, ")
        .append(repeat).append(" timed; ").append(java).append(", ").append(cpus).append(" CPUs; rescoring: ")
        .append(rescoring)
        .append(gpuPeakBytes >= 0 ? String.format(Locale.ROOT, "; GPU peak memory %.1f MB", gpuPeakBytes / 1048576.0) : "")
        .append(")\n\n");
    sb.append(markdownHeader()).append(markdownRows());
    for (String s : skipped) {
      sb.append("\nSkipped: ").append(s).append('\n');
    }
    return sb.toString();
  }

  private static String counts(ErrorCounts c) {
    return String.format(Locale.ROOT,
        "{\"reference\": %d, \"substitutions\": %d, \"deletions\": %d, \"insertions\": %d, \"errors\": %d}",
        c.referenceLength(), c.substitutions(), c.deletions(), c.insertions(), c.errors());
  }

  private static String spread(Spread s) {
    return "{\"median\": " + n(s.median(), 4) + ", \"min\": " + n(s.min(), 4) + ", \"max\": " + n(s.max(), 4) + "}";
  }

  private static String n(double x, int decimals) {
    return JsonText.number(x, decimals);
  }

  private static String q(String s) {
    return JsonText.quote(s);
  }
}
