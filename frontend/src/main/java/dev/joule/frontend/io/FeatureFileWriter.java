package dev.joule.frontend.io;

import dev.joule.frontend.FloatMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes Joule feature files ({@code frontend/FORMAT.md}): a header with the dimension and a
 * description, then one record per utterance whose row count is patched in when the utterance
 * ends, so rows stream to disk without being held in memory.
 */
public final class FeatureFileWriter implements FeatureSink {
  static final byte[] MAGIC = {'J', 'O', 'U', 'L', 'E', 'F', 'E', 'A'};
  static final int VERSION = 1;
  static final int MAX_ID_BYTES = 4096;
  static final int MAX_DESCRIPTION_BYTES = 1 << 20;

  private final FileChannel ch;
  private final int dim;
  private ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
  private long rowsPos = -1;
  private long rows;

  /**
   * Creates (or replaces) {@code file}.
   *
   * @param description free text stored in the header (e.g. the fbank options)
   */
  public FeatureFileWriter(Path file, int dim, String description) throws IOException {
    if (dim <= 0) {
      throw new IllegalArgumentException("dim " + dim);
    }
    byte[] desc = description.getBytes(StandardCharsets.UTF_8);
    if (desc.length > MAX_DESCRIPTION_BYTES) {
      throw new IllegalArgumentException("description longer than " + MAX_DESCRIPTION_BYTES + " bytes");
    }
    this.dim = dim;
    this.ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
    ByteBuffer h = ByteBuffer.allocate(20 + desc.length).order(ByteOrder.LITTLE_ENDIAN);
    h.put(MAGIC).putInt(VERSION).putInt(dim).putInt(desc.length).put(desc).flip();
    writeFully(h);
  }

  @Override
  public void begin(String utteranceId) throws IOException {
    if (rowsPos >= 0) {
      throw new IllegalStateException("begin() before end() of the previous utterance");
    }
    byte[] id = utteranceId.getBytes(StandardCharsets.UTF_8);
    if (id.length == 0 || id.length > MAX_ID_BYTES) {
      throw new IllegalArgumentException("utterance id of " + id.length + " bytes");
    }
    flush();
    ByteBuffer h = ByteBuffer.allocate(12 + id.length).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(id.length).put(id);
    rowsPos = ch.position() + 4 + id.length;
    h.putLong(-1L).flip(); // patched by end(): -1 marks an utterance that was never finished
    writeFully(h);
    rows = 0;
  }

  @Override
  public void rows(FloatMatrix m) throws IOException {
    if (rowsPos < 0) {
      throw new IllegalStateException("rows() outside begin()/end()");
    }
    if (m.cols() != dim) {
      throw new IllegalArgumentException("rows of dimension " + m.cols() + ", file has " + dim);
    }
    for (float v : m.data()) {
      if (buf.remaining() < 4) {
        flush();
      }
      buf.putFloat(v);
    }
    rows += m.rows();
  }

  @Override
  public void end() throws IOException {
    if (rowsPos < 0) {
      throw new IllegalStateException("end() without begin()");
    }
    flush();
    ByteBuffer r = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(rows);
    r.flip();
    while (r.hasRemaining()) {
      ch.write(r, rowsPos + r.position());
    }
    rowsPos = -1;
  }

  private void flush() throws IOException {
    buf.flip();
    writeFully(buf);
    buf.clear();
  }

  private void writeFully(ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      ch.close();
    }
  }
}
