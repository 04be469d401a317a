package dev.joule.decoder.fst;

/** An OpenFST operation failed, or the OpenFST library could not be used; the message says why. */
public class FstException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FstException(String message) {
    super(message);
  }

  public FstException(String message, Throwable cause) {
    super(message, cause);
  }
}
