package dev.joule.decoder.lm;

/** A language model cannot be estimated, read or used; the message says why. */
public class LmException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LmException(String message) {
    super(message);
  }

  public LmException(String message, Throwable cause) {
    super(message, cause);
  }
}
