package dev.joule.decoder.fst;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Sequential little-endian reads from an OpenFST binary file, as OpenFST's {@code ReadType} does,
 * but bounds-checked: a read past the end of the file, or a length field larger than what is
 * left, is an {@link FstFormatException} naming the file, the byte offset and the field. Streams
 * through a small buffer, so files of any size are read in constant memory.
 */
final class OpenFstInput {
  private static final int BUFFER_BYTES = 1 << 16;

  private final Path file;
  private final FileChannel channel;
  private final long size;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  /** File offset of buffer position 0. */
  private long bufferStart;

  OpenFstInput(Path file, FileChannel channel) throws IOException {
    this.file = file;
    this.channel = channel;
    this.size = channel.size();
    buffer.limit(0);
  }

  Path file() {
    return file;
  }

  /** The offset of the next byte to read. */
  long position() {
    return bufferStart + buffer.position();
  }

  long remaining() {
    return size - position();
  }

  long size() {
    return size;
  }

  int int32(String field) throws IOException {
    need(4, field);
    return buffer.getInt();
  }

  long int64(String field) throws IOException {
    need(8, field);
    return buffer.getLong();
  }

  float float32(String field) throws IOException {
    need(4, field);
    return buffer.getFloat();
  }

  /**
   * An OpenFST string: an int32 length, then that many bytes. OpenFST would loop over any length
   * the file claims; here it must fit in {@code maxBytes} and in the rest of the file.
   */
  String string(String field, int maxBytes) throws IOException {
    long at = position();
    int n = int32(field + " length");
    if (n < 0 || n > maxBytes || n > remaining()) {
      throw problem(at, field + " claims " + n + " bytes (" + remaining() + " left in the file, at most "
          + maxBytes + " allowed)");
    }
    byte[] bytes = new byte[n];
    int done = 0;
    while (done < n) {
      need(1, field);
      int k = Math.min(n - done, buffer.remaining());
      buffer.get(bytes, done, k);
      done += k;
    }
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Skips to the next multiple of {@code alignment}, as OpenFST's {@code AlignInput} does. */
  void align(int alignment, String field) throws IOException {
    long pad = (alignment - position() % alignment) % alignment;
    if (pad > remaining()) {
      throw problem(position(), "file ends inside the padding before " + field);
    }
    seek(position() + pad);
  }

  /** A format error at {@code offset}, naming the file. */
  FstFormatException problem(long offset, String what) {
    return new FstFormatException(file, "byte " + offset + ": " + what);
  }

  private void seek(long offset) throws IOException {
    if (offset >= bufferStart && offset <= bufferStart + buffer.limit()) {
      buffer.position((int) (offset - bufferStart));
    } else {
      bufferStart = offset;
      buffer.clear().limit(0);
    }
  }

  private void need(int bytes, String field) throws IOException {
    if (buffer.remaining() >= bytes) {
      return;
    }
    if (remaining() < bytes) {
      throw problem(position(), "file ends while reading " + field + " (" + size + " bytes in all)");
    }
    long offset = position();
    buffer.compact();
    bufferStart = offset;
    while (buffer.position() < bytes) {
      if (channel.read(buffer, bufferStart + buffer.position()) < 0) {
        throw problem(offset, "file ends while reading " + field);
      }
    }
    buffer.flip();
  }
}
