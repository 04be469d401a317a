package dev.joule.frontend.audio;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An audio file that cannot be read: missing, a directory, a malformed or lying header, an
 * unsupported codec, or no samples. The message always starts with the file name.
 */
public class AudioFormatException extends IOException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;

  public AudioFormatException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public AudioFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The file that could not be read. */
  public Path file() {
    return file;
  }
}
