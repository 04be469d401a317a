package dev.joule.frontend.io;

import dev.joule.frontend.FloatMatrix;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * Kaldi's text archive format for matrices ({@code copy-feats ark:- ark,t:-}), for interchange:
 *
 * <pre>
 * utt1  [
 *   1.5 -2.25 3.0
 *   4.0 5.0 6.0 ]
 * </pre>
 *
 * An empty matrix is {@code utt  [ ]}. Values are written with {@link Float#toString} (shortest
 * form that reads back to the same float). Rows stream out; the last row is held back until
 * {@link #end()} so the closing bracket lands on it.
 */
public final class KaldiTextWriter implements FeatureSink {
  private final Writer out;
  private float[] pending;
  private boolean inUtterance;

  public KaldiTextWriter(Writer out) {
    this.out = out instanceof BufferedWriter ? out : new BufferedWriter(out, 1 << 16);
  }

  @Override
  public void begin(String utteranceId) throws IOException {
    if (inUtterance) {
      throw new IllegalStateException("begin() before end() of the previous utterance");
    }
    out.write(utteranceId);
    out.write("  [");
    inUtterance = true;
    pending = null;
  }

  @Override
  public void rows(FloatMatrix m) throws IOException {
    for (int r = 0; r < m.rows(); r++) {
      if (pending != null) {
        writeRow(pending);
      }
      pending = m.row(r);
    }
  }

  private void writeRow(float[] row) throws IOException {
    out.write("\n ");
    for (float v : row) {
      out.write(' ');
      out.write(Float.toString(v));
    }
  }

  @Override
  public void end() throws IOException {
    if (pending != null) {
      writeRow(pending);
    }
    out.write(" ]\n");
    pending = null;
    inUtterance = false;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
