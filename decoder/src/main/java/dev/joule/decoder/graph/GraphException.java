package dev.joule.decoder.graph;

/** A graph cannot be built from the given inputs (ARPA file, tokens, lexicon); the message says why. */
public class GraphException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GraphException(String message) {
    super(message);
  }
}
