package dev.joule.decoder.lm;

import java.nio.file.Path;

/**
 * A text corpus or ARPA file is malformed. The message names the file and the 1-based line
 * ({@code file:line: problem}); both are also available as fields.
 */
public class LmFormatException extends LmException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long line;

  public LmFormatException(Path file, long line, String problem) {
    super(file + ":" + line + ": " + problem);
    this.file = file;
    this.line = line;
  }

  /** The file that is malformed (a placeholder name for streams that are not files). */
  public Path file() {
    return file;
  }

  /** The 1-based line number of the problem. */
  public long line() {
    return line;
  }
}
