package dev.joule.engine.io;

/** A parameter file is unreadable, corrupt, or does not fit the model it is loaded into. */
public final class ParameterFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ParameterFileException(String message) {
    super(message);
  }

  public ParameterFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
