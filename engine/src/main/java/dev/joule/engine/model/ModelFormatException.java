package dev.joule.engine.model;

import java.io.IOException;

/** A model directory is missing, corrupt, incomplete or from an incompatible Joule; the message says which file and why. */
public class ModelFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public ModelFormatException(String message) {
    super(message);
  }

  public ModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
