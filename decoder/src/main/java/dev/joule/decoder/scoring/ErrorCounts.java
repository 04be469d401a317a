package dev.joule.decoder.scoring;

/**
 * Counts of an alignment (or a sum of alignments).
 *
 * @param sentences utterances counted
 * @param sentenceErrors utterances with at least one error
 */
public record ErrorCounts(int correct, int substitutions, int deletions, int insertions, int sentences, int sentenceErrors) {
  public static final ErrorCounts ZERO = new ErrorCounts(0, 0, 0, 0, 0, 0);

  /** Reference tokens: correct + substitutions + deletions. */
  public int referenceLength() {
    return correct + substitutions + deletions;
  }

  public int errors() {
    return substitutions + deletions + insertions;
  }

  /** Errors per reference token (0 when the reference is empty and there are no errors). */
  public double errorRate() {
    int n = referenceLength();
    return n == 0 ? (errors() == 0 ? 0 : Double.POSITIVE_INFINITY) : errors() / (double) n;
  }

  public ErrorCounts plus(ErrorCounts o) {
    return new ErrorCounts(correct + o.correct, substitutions + o.substitutions, deletions + o.deletions,
        insertions + o.insertions, sentences + o.sentences, sentenceErrors + o.sentenceErrors);
  }
}
