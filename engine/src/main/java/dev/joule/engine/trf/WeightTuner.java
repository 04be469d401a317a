package dev.joule.engine.trf;

import java.util.List;

/**
 * Tunes {@link RescoringWeights} on a development set to minimise the word error rate of the
 * hypotheses rescoring picks. Each utterance brings its candidates' {@link
 * NbestRescorer.Features} and their word errors against the reference, computed once.
 *
 * <p>{@link #grid} tries every combination of the given values (exhaustive, the reference);
 * {@link #coordinate} starts from a point and repeatedly moves one weight at a time to its best
 * value on that weight's list, until no single move lowers the errors (cheaper for fine grids, a
 * local optimum). Ties keep the earlier or current point, so results are deterministic.
 */
public final class WeightTuner {
  /** One dev utterance: candidates' features, their word errors, and the reference length. */
  public record Utterance(List<NbestRescorer.Features> features, int[] errors, int referenceWords) {
    public Utterance {
      if (features.isEmpty() || features.size() != errors.length) {
        throw new IllegalArgumentException("each candidate needs features and an error count");
      }
    }
  }

  /** Tuned weights and the dev WER they reach. */
  public record Result(RescoringWeights weights, double wer) {}

  private WeightTuner() {}

  /** Word error rate on {@code dev} when rescoring with {@code w}. */
  public static double wer(List<Utterance> dev, RescoringWeights w) {
    long errors = 0;
    long words = 0;
    for (Utterance u : dev) {
      errors += u.errors()[NbestRescorer.best(u.features(), w)];
      words += u.referenceWords();
    }
    return words == 0 ? 0 : (double) errors / words;
  }

  /** Exhaustive search over {@code alphas × betas × gammas}. */
  public static Result grid(List<Utterance> dev, double[] alphas, double[] betas, double[] gammas) {
    Result best = null;
    for (double a : alphas) {
      for (double b : betas) {
        for (double g : gammas) {
          RescoringWeights w = new RescoringWeights(a, b, g);
          double e = wer(dev, w);
          if (best == null || e < best.wer()) {
            best = new Result(w, e);
          }
        }
      }
    }
    if (best == null) {
      throw new IllegalArgumentException("empty weight grid");
    }
    return best;
  }

  /** Coordinate search from {@code start}, each weight taking values from its list. */
  public static Result coordinate(
      List<Utterance> dev, RescoringWeights start, double[] alphas, double[] betas, double[] gammas) {
    double[] w = {start.alpha(), start.beta(), start.gamma()};
    double[][] values = {alphas, betas, gammas};
    double current = wer(dev, start);
    for (int round = 0; round < 100; round++) {
      boolean moved = false;
      for (int k = 0; k < 3; k++) {
        for (double v : values[k]) {
          double saved = w[k];
          w[k] = v;
          double e = wer(dev, new RescoringWeights(w[0], w[1], w[2]));
          if (e < current) {
            current = e;
            moved = true;
          } else {
            w[k] = saved;
          }
        }
      }
      if (!moved) {
        break;
      }
    }
    return new Result(new RescoringWeights(w[0], w[1], w[2]), current);
  }

  /** {@code count} evenly spaced values from {@code lo} to {@code hi}. */
  public static double[] range(double lo, double hi, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("a range needs at least one value");
    }
    double[] out = new double[count];
    for (int i = 0; i < count; i++) {
      out[i] = count == 1 ? lo : lo + (hi - lo) * i / (count - 1);
    }
    return out;
  }
}
