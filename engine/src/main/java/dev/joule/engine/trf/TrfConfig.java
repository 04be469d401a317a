package dev.joule.engine.trf;

/**
 * Shape of a TRF language model's neural potential: word embeddings of size {@code embedDim},
 * {@code layers} LSTM layers of {@code hidden} units (both directions when {@code
 * bidirectional}), and sentences of 1 to {@code maxLength} words.
 */
public record TrfConfig(int maxLength, int embedDim, int hidden, int layers, boolean bidirectional) {
  public TrfConfig {
    if (maxLength < 1 || maxLength > 1000) {
      throw new IllegalArgumentException("TRF maximum length must be 1..1000, got " + maxLength);
    }
    if (embedDim < 1 || hidden < 1 || layers < 1) {
      throw new IllegalArgumentException(
          "TRF sizes must be positive: embed " + embedDim + ", hidden " + hidden + ", layers " + layers);
    }
  }
}
