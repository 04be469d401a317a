package dev.joule.decoder.lm;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Lines of a UTF-8 text file, each decoded on its own so that malformed bytes are reported on
 * the line that holds them ({@link LmFormatException}), not where a read-ahead buffer happened
 * to be. Names ending in {@code .gz} are decompressed. Line ends: {@code \n} or {@code \r\n}; a
 * byte-order mark at the start of the file is dropped.
 */
final class TextLines implements Closeable {
  private final Path path;
  private final InputStream in;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final byte[] buffer = new byte[1 << 16];
  private int position;
  private int limit;
  private byte[] line = new byte[256];
  private long number;

  private TextLines(Path path, InputStream in) {
    this.path = path;
    this.in = in;
  }

  /** Opens {@code path}; a missing file is an {@link LmException} naming it. */
  static TextLines open(Path path) {
    try {
      InputStream in = Files.newInputStream(path);
      if (path.toString().endsWith(".gz")) {
        in = new GZIPInputStream(in, 1 << 16);
      }
      return new TextLines(path, in);
    } catch (NoSuchFileException e) {
      throw new LmException(path + ": no such file");
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    }
  }

  /** Lines of an in-memory text; {@code name} is used in error messages. */
  static TextLines of(String text, Path name) {
    return new TextLines(name, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  Path path() {
    return path;
  }

  /** 1-based number of the line last returned (0 before the first). */
  long number() {
    return number;
  }

  /** The next line without its line end, or null at the end of the file. */
  String next() {
    int length = 0;
    boolean any = false;
    try {
      while (true) {
        if (position == limit) {
          limit = in.read(buffer);
          position = 0;
          if (limit <= 0) {
            limit = 0;
            if (!any) {
              return null;
            }
            break;
          }
        }
        any = true;
        byte b = buffer[position++];
        if (b == '\n') {
          break;
        }
        if (length == line.length) {
          line = Arrays.copyOf(line, length * 2);
        }
        line[length++] = b;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(path + ":" + (number + 1) + ": " + e.getMessage(), e);
    }
    number++;
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    try {
      String text = decoder.decode(ByteBuffer.wrap(line, 0, length)).toString();
      // A byte-order mark (some editors write one) is not part of the first word.
      return number == 1 && text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (CharacterCodingException e) {
      throw new LmFormatException(path, number, "not valid UTF-8 text");
    }
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    }
  }
}
