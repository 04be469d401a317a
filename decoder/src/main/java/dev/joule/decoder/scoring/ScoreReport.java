package dev.joule.decoder.scoring;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * Writes scores the way sclite shows them: per utterance its counts and the aligned REF/HYP/Eval
 * lines (errors upper-cased, {@code ***} for the missing side), then a table per speaker and in
 * total with percentages of the reference length.
 */
public final class ScoreReport {
  private ScoreReport() {}

  /** The alignment of every utterance (as {@code sclite -o pralign}). */
  public static void writeAlignments(Scoring.Result result, Appendable out) throws IOException {
    for (Scoring.Utterance u : result.utterances()) {
      ErrorCounts c = u.alignment().counts();
      out.append("id: (").append(u.id()).append(")\n");
      out.append(String.format(Locale.ROOT, "Scores: (#C #S #D #I) %d %d %d %d%n",
          c.correct(), c.substitutions(), c.deletions(), c.insertions()));
      StringBuilder ref = new StringBuilder("REF:  ");
      StringBuilder hyp = new StringBuilder("HYP:  ");
      StringBuilder eval = new StringBuilder("Eval: ");
      for (Alignment.Pair p : u.alignment().pairs()) {
        boolean error = p.op() != EditOp.CORRECT;
        String r = p.ref() == null ? null : error ? p.ref().toUpperCase(Locale.ROOT) : p.ref();
        String h = p.hyp() == null ? null : error ? p.hyp().toUpperCase(Locale.ROOT) : p.hyp();
        int width = Math.max(r == null ? 0 : r.length(), h == null ? 0 : h.length());
        ref.append(pad(r == null ? "*".repeat(width) : r, width)).append(' ');
        hyp.append(pad(h == null ? "*".repeat(width) : h, width)).append(' ');
        String e = switch (p.op()) {
          case CORRECT -> "";
          case SUBSTITUTION -> "S";
          case DELETION -> "D";
          case INSERTION -> "I";
        };
        eval.append(pad(e, width)).append(' ');
      }
      out.append(ref.toString().stripTrailing()).append('\n');
      out.append(hyp.toString().stripTrailing()).append('\n');
      out.append(eval.toString().stripTrailing()).append("\n\n");
    }
  }

  /** The summary table: one row per speaker and a total row. */
  public static void writeSummary(Scoring.Result result, Appendable out) throws IOException {
    String unit = result.unit() == Scoring.Unit.WORDS ? "#Wrd" : "#Chr";
    String head = String.format(Locale.ROOT, "| %-12s | %5s %7s | %6s %6s %6s %6s %6s %6s |%n",
        "SPKR", "#Snt", unit, "Corr", "Sub", "Del", "Ins", "Err", "S.Err");
    String rule = "|" + "-".repeat(head.length() - 3) + "|\n";
    out.append(rule).append(head).append(rule);
    for (Map.Entry<String, ErrorCounts> e : result.bySpeaker().entrySet()) {
      out.append(row(e.getKey(), e.getValue()));
    }
    out.append(rule).append(row("Sum/Avg", result.total())).append(rule);
    ErrorCounts t = result.total();
    out.append(String.format(Locale.ROOT, "%s: %.2f%% (%d errors / %d %s; %d substitutions, %d deletions, %d insertions)%n",
        result.unit() == Scoring.Unit.WORDS ? "WER" : "CER", 100 * t.errorRate(), t.errors(), t.referenceLength(),
        result.unit() == Scoring.Unit.WORDS ? "words" : "characters", t.substitutions(), t.deletions(), t.insertions()));
  }

  private static String row(String name, ErrorCounts c) {
    double n = Math.max(1, c.referenceLength());
    return String.format(Locale.ROOT, "| %-12s | %5d %7d | %6.1f %6.1f %6.1f %6.1f %6.1f %6.1f |%n", name,
        c.sentences(), c.referenceLength(), 100 * c.correct() / n, 100 * c.substitutions() / n,
        100 * c.deletions() / n, 100 * c.insertions() / n, 100 * c.errors() / n,
        100.0 * c.sentenceErrors() / Math.max(1, c.sentences()));
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
