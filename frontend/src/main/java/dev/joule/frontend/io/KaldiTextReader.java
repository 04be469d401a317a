package dev.joule.frontend.io;

import dev.joule.frontend.FloatMatrix;
import dev.joule.frontend.data.DataFormatException;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads Kaldi text archives of matrices ({@code copy-feats ark:x.ark ark,t:-} output, or what
 * {@link KaldiTextWriter} writes): {@code <id>  [}, one row per line, the last row ending in
 * {@code ]}; {@code <id>  [ ]} is an empty matrix. Rows may also start on the header line. Every
 * error names the file and line.
 */
public final class KaldiTextReader implements Closeable {
  private final Path file;
  private final BufferedReader in;
  private int lineNo;

  public KaldiTextReader(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new DataFormatException(file, 0, Files.isDirectory(file) ? "is a directory" : "no such file");
    }
    this.file = file;
    this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
  }

  /** The next matrix, or null at the end of the file. */
  public FeatureEntry next() throws IOException {
    String line;
    do {
      line = in.readLine();
      lineNo++;
      if (line == null) {
        return null;
      }
    } while (line.isBlank());
    String[] head = line.strip().split("\\s+");
    if (head.length < 2 || !head[1].equals("[")) {
      throw bad("expected '<id>  [' (a Kaldi text matrix)");
    }
    String id = head[0];
    List<float[]> rows = new ArrayList<>();
    int dim = -1;
    String[] tokens = Arrays.copyOfRange(head, 2, head.length);
    while (true) {
      boolean last = tokens.length > 0 && tokens[tokens.length - 1].equals("]");
      int n = last ? tokens.length - 1 : tokens.length;
      if (n > 0) {
        if (dim >= 0 && n != dim) {
          throw bad("row of " + n + " values in a matrix of " + dim + " columns");
        }
        dim = n;
        float[] row = new float[n];
        for (int i = 0; i < n; i++) {
          try {
            row[i] = Float.parseFloat(tokens[i]);
          } catch (NumberFormatException e) {
            throw bad("bad number '" + tokens[i] + "'");
          }
        }
        rows.add(row);
      }
      if (last) {
        break;
      }
      line = in.readLine();
      lineNo++;
      if (line == null) {
        throw bad("file ends inside matrix '" + id + "' (no closing ']')");
      }
      tokens = line.isBlank() ? new String[0] : line.strip().split("\\s+");
    }
    int cols = Math.max(dim, 0);
    FloatMatrix m = new FloatMatrix(rows.size(), cols);
    for (int r = 0; r < rows.size(); r++) {
      System.arraycopy(rows.get(r), 0, m.data(), r * cols, cols);
    }
    return new FeatureEntry(id, m);
  }

  private DataFormatException bad(String problem) {
    return new DataFormatException(file, lineNo, problem);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
