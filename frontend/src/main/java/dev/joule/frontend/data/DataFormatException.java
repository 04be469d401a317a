package dev.joule.frontend.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A malformed line in a text file the front end reads (a Kaldi data directory file, CMVN
 * statistics): the message is {@code file:line: problem}.
 */
public class DataFormatException extends IOException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  private final int line;

  /** @param line 1-based line number, or 0 when the problem is not on one line */
  public DataFormatException(Path file, int line, String problem) {
    super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    this.file = file;
    this.line = line;
  }

  public Path file() {
    return file;
  }

  /** 1-based line number, 0 for whole-file problems. */
  public int line() {
    return line;
  }
}
