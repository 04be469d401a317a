package dev.joule.frontend.io;

import dev.joule.frontend.FloatMatrix;
import dev.joule.frontend.data.DataFormatException;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads Joule feature files written by {@link FeatureFileWriter}, one utterance at a time. Sizes
 * are checked against the bytes left in the file before anything is allocated.
 */
public final class FeatureFileReader implements Closeable {
  private final Path file;
  private final DataInputStream in;
  private final int dim;
  private final String description;
  private long left;

  public FeatureFileReader(Path file) throws IOException {
    this.file = file;
    if (!Files.isRegularFile(file)) {
      throw new DataFormatException(file, 0, Files.isDirectory(file) ? "is a directory" : "no such file");
    }
    this.left = Files.size(file);
    InputStream raw = Files.newInputStream(file);
    this.in = new DataInputStream(new BufferedInputStream(raw, 1 << 16));
    try {
      byte[] magic = bytes(8, "header");
      if (!Arrays.equals(magic, FeatureFileWriter.MAGIC)) {
        throw bad("not a Joule feature file");
      }
      int version = int32("header");
      if (version != FeatureFileWriter.VERSION) {
        throw bad("unsupported version " + version);
      }
      dim = int32("header");
      if (dim <= 0 || dim > 1 << 20) {
        throw bad("bad dimension " + dim);
      }
      int descLen = int32("header");
      if (descLen < 0 || descLen > FeatureFileWriter.MAX_DESCRIPTION_BYTES) {
        throw bad("bad description length " + descLen);
      }
      description = new String(bytes(descLen, "header"), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  public int dim() {
    return dim;
  }

  /** The header's free text (Joule writes the fbank options there). */
  public String description() {
    return description;
  }

  /** The next utterance, or null at the end of the file. */
  public FeatureEntry next() throws IOException {
    if (left == 0) {
      return null;
    }
    int idLen = int32("utterance header");
    if (idLen <= 0 || idLen > FeatureFileWriter.MAX_ID_BYTES) {
      throw bad("bad utterance id length " + idLen);
    }
    String id = new String(bytes(idLen, "utterance id"), StandardCharsets.UTF_8);
    long rows = int64("utterance header");
    if (rows == -1) {
      throw bad("utterance '" + id + "' was never finished (writer interrupted)");
    }
    long bytes = rows * dim * 4L;
    if (rows < 0 || rows > Integer.MAX_VALUE || bytes > left) {
      throw bad("utterance '" + id + "' claims " + rows + " rows but only " + left + " bytes remain");
    }
    float[] data = new float[(int) (rows * dim)];
    ByteBuffer b = ByteBuffer.wrap(bytes((int) bytes, "features")).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().get(data);
    return new FeatureEntry(id, new FloatMatrix((int) rows, dim, data));
  }

  private byte[] bytes(int n, String what) throws IOException {
    if (n > left) {
      throw bad("truncated " + what);
    }
    byte[] b = new byte[n];
    try {
      in.readFully(b);
    } catch (EOFException e) {
      throw bad("truncated " + what);
    }
    left -= n;
    return b;
  }

  private int int32(String what) throws IOException {
    return ByteBuffer.wrap(bytes(4, what)).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }

  private long int64(String what) throws IOException {
    return ByteBuffer.wrap(bytes(8, what)).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  private DataFormatException bad(String problem) {
    return new DataFormatException(file, 0, problem);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
