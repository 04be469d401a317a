package dev.joule.engine.train;

import java.io.IOException;

/**
 * Training cannot start or go on because of its inputs: a malformed configuration, a data
 * directory without phone transcripts, an unknown phone, a checkpoint that does not fit. The
 * message names the file and the problem.
 */
public class TrainingException extends IOException {
  private static final long serialVersionUID = 1L;

  public TrainingException(String message) {
    super(message);
  }

  public TrainingException(String message, Throwable cause) {
    super(message, cause);
  }
}
