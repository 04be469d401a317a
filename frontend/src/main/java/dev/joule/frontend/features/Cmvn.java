package dev.joule.frontend.features;

import dev.joule.frontend.FloatMatrix;
import dev.joule.frontend.data.DataFormatException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Cepstral mean (and variance) normalisation statistics: frame count, per-dimension sums and sums
 * of squares, in float64. Accumulate over one utterance for per-utterance CMVN, or over a whole
 * data set for global CMVN, then {@link #apply} them: {@code (x − mean)} or
 * {@code (x − mean)/stddev}.
 *
 * <p>A dimension whose variance is below {@value #VARIANCE_FLOOR} (a constant feature) is only
 * mean-normalised, as Kaldi does, instead of being blown up.
 *
 * <p><b>File format</b> ({@link #save}/{@link #load}), UTF-8 text, one item per line:
 *
 * <pre>
 * joule-cmvn 1
 * dim D
 * count N
 * sum s_0 s_1 ... s_{D-1}
 * sumsq q_0 q_1 ... q_{D-1}
 * </pre>
 *
 * Numbers are decimal ({@link Double#toString}, so a save/load round trip is exact); lines
 * starting with {@code #} are comments.
 */
public final class Cmvn {
  static final double VARIANCE_FLOOR = 1e-10;
  private static final String MAGIC = "joule-cmvn 1";

  private final int dim;
  private long count;
  private final double[] sum;
  private final double[] sumSq;

  public Cmvn(int dim) {
    if (dim <= 0) {
      throw new IllegalArgumentException("dim " + dim);
    }
    this.dim = dim;
    this.sum = new double[dim];
    this.sumSq = new double[dim];
  }

  /** Statistics of {@code feats}. */
  public static Cmvn of(FloatMatrix feats) {
    Cmvn c = new Cmvn(feats.cols());
    c.accumulate(feats);
    return c;
  }

  /** Per-utterance CMVN: normalises {@code feats} in place by its own statistics; returns it. */
  public static FloatMatrix perUtterance(FloatMatrix feats, boolean normVars) {
    if (feats.rows() > 0) {
      of(feats).apply(feats, normVars);
    }
    return feats;
  }

  public int dim() {
    return dim;
  }

  public long count() {
    return count;
  }

  /** Adds every row of {@code feats}. */
  public void accumulate(FloatMatrix feats) {
    checkDim(feats.cols());
    float[] d = feats.data();
    for (int r = 0; r < feats.rows(); r++) {
      int o = r * dim;
      for (int c = 0; c < dim; c++) {
        double v = d[o + c];
        sum[c] += v;
        sumSq[c] += v * v;
      }
    }
    count += feats.rows();
  }

  /** Adds another set of statistics (e.g. from another thread or shard). */
  public void merge(Cmvn other) {
    checkDim(other.dim);
    for (int c = 0; c < dim; c++) {
      sum[c] += other.sum[c];
      sumSq[c] += other.sumSq[c];
    }
    count += other.count;
  }

  public double[] mean() {
    requireFrames();
    double[] m = new double[dim];
    for (int c = 0; c < dim; c++) {
      m[c] = sum[c] / count;
    }
    return m;
  }

  /** Population variance per dimension (never negative). */
  public double[] variance() {
    double[] m = mean();
    double[] v = new double[dim];
    for (int c = 0; c < dim; c++) {
      v[c] = Math.max(0, sumSq[c] / count - m[c] * m[c]);
    }
    return v;
  }

  /** Normalises {@code feats} in place. */
  public void apply(FloatMatrix feats, boolean normVars) {
    checkDim(feats.cols());
    double[] m = mean();
    double[] v = variance();
    float[] shift = new float[dim];
    float[] scale = new float[dim];
    for (int c = 0; c < dim; c++) {
      scale[c] = normVars && v[c] >= VARIANCE_FLOOR ? (float) (1 / Math.sqrt(v[c])) : 1f;
      shift[c] = (float) m[c];
    }
    float[] d = feats.data();
    for (int r = 0; r < feats.rows(); r++) {
      int o = r * dim;
      for (int c = 0; c < dim; c++) {
        d[o + c] = (d[o + c] - shift[c]) * scale[c];
      }
    }
  }

  private void requireFrames() {
    if (count == 0) {
      throw new IllegalStateException("CMVN statistics of zero frames");
    }
  }

  private void checkDim(int d) {
    if (d != dim) {
      throw new IllegalArgumentException("feature dimension " + d + " != CMVN dimension " + dim);
    }
  }

  /** Writes the statistics in the text format above. */
  public void save(Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(MAGIC + "\n");
      w.write("dim " + dim + "\n");
      w.write("count " + count + "\n");
      w.write("sum" + join(sum) + "\n");
      w.write("sumsq" + join(sumSq) + "\n");
    }
  }

  private static String join(double[] v) {
    StringBuilder sb = new StringBuilder();
    for (double x : v) {
      sb.append(' ').append(x);
    }
    return sb.toString();
  }

  /**
   * Reads statistics written by {@link #save}.
   *
   * @throws DataFormatException naming the file and line of the first problem
   */
  public static Cmvn load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new DataFormatException(file, 0, Files.isDirectory(file) ? "is a directory" : "no such file");
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    int lineNo = 0;
    int found = 0;
    Cmvn c = null;
    for (String raw : lines) {
      lineNo++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\\s+");
      switch (found) {
        case 0 -> {
          if (!line.equals(MAGIC)) {
            throw new DataFormatException(file, lineNo, "not a Joule CMVN file (expected '" + MAGIC + "')");
          }
        }
        case 1 -> {
          int dim = (int) number(file, lineNo, f, "dim", 2);
          if (dim <= 0 || dim > 100_000) {
            throw new DataFormatException(file, lineNo, "bad dim " + dim);
          }
          c = new Cmvn(dim);
        }
        case 2 -> {
          long n = (long) number(file, lineNo, f, "count", 2);
          if (n < 0) {
            throw new DataFormatException(file, lineNo, "negative count");
          }
          c.count = n;
        }
        case 3 -> vector(file, lineNo, f, "sum", c.sum);
        case 4 -> vector(file, lineNo, f, "sumsq", c.sumSq);
        default -> throw new DataFormatException(file, lineNo, "unexpected extra line");
      }
      found++;
    }
    if (found < 5) {
      throw new DataFormatException(file, 0, "truncated: " + found + " of 5 lines");
    }
    return c;
  }

  private static double number(Path file, int line, String[] f, String key, int fields)
      throws DataFormatException {
    if (f.length != fields || !f[0].equals(key)) {
      throw new DataFormatException(file, line, "expected '" + key + " <number>'");
    }
    try {
      return Long.parseLong(f[1]);
    } catch (NumberFormatException e) {
      throw new DataFormatException(file, line, "bad " + key + " '" + f[1] + "'");
    }
  }

  private static void vector(Path file, int line, String[] f, String key, double[] into)
      throws DataFormatException {
    if (!f[0].equals(key)) {
      throw new DataFormatException(file, line, "expected '" + key + "'");
    }
    if (f.length - 1 != into.length) {
      throw new DataFormatException(
          file, line, key + " has " + (f.length - 1) + " values, dim is " + into.length);
    }
    for (int i = 0; i < into.length; i++) {
      try {
        into[i] = Double.parseDouble(f[i + 1]);
      } catch (NumberFormatException e) {
        throw new DataFormatException(file, line, "bad number '" + f[i + 1] + "'");
      }
      if (!Double.isFinite(into[i])) {
        throw new DataFormatException(file, line, "non-finite value '" + f[i + 1] + "'");
      }
    }
  }
}
