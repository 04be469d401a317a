package dev.joule.decoder.fst;

import java.nio.file.Path;

/** A file that should hold an FST or a symbol table is malformed; the message names it and the problem. */
public class FstFormatException extends FstException {
  private static final long serialVersionUID = 1L;

  public FstFormatException(Path file, String problem) {
    super(file + ": " + problem);
  }

  public FstFormatException(Path file, long line, String problem) {
    super(file + ":" + line + ": " + problem);
  }
}
