package dev.joule.engine.recognizer;

import dev.joule.engine.model.ModelFormatException;

/** No model was given and no default model is installed; the message says how to get one. */
public final class NoModelException extends ModelFormatException {
  public NoModelException(String message) {
    super(message);
  }
}
