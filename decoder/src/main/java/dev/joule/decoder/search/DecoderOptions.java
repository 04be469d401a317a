package dev.joule.decoder.search;

/**
 * Beam-search settings. Defaults are CAT's (DESIGN.md): beam 17, lattice beam 8, max-active
 * 7000, min-active 200, acoustic scale 1.0, 16-best.
 *
 * @param beam tokens whose cost exceeds the frame's best by more than this are dropped
 * @param latticeBeam lattice arcs on paths worse than the best by more than this are dropped
 * @param maxActive at most this many tokens are expanded per frame (the beam tightens)
 * @param minActive at least this many tokens are expanded per frame when they exist (the beam widens)
 * @param acousticScale weight of the acoustic log-probabilities against the graph costs
 * @param wordPenalty cost added for every output word (positive: fewer words)
 * @param nbest how many distinct word sequences {@link DecodingResult#nbest()} holds
 */
public record DecoderOptions(
    float beam, float latticeBeam, int maxActive, int minActive, float acousticScale, float wordPenalty, int nbest) {

  public static final DecoderOptions DEFAULTS = new DecoderOptions(17f, 8f, 7000, 200, 1f, 0f, 16);

  public DecoderOptions {
    if (!(beam > 0) || !(latticeBeam >= 0) || maxActive < 1 || minActive < 0 || minActive > maxActive
        || !(acousticScale > 0) || Float.isNaN(wordPenalty) || nbest < 1) {
      throw new IllegalArgumentException(
          "invalid decoder options: beam " + beam + ", lattice beam " + latticeBeam + ", max-active " + maxActive
              + ", min-active " + minActive + ", acoustic scale " + acousticScale + ", word penalty " + wordPenalty
              + ", n-best " + nbest);
    }
  }

  public DecoderOptions withBeam(float b, float lattice) {
    return new DecoderOptions(b, lattice, maxActive, minActive, acousticScale, wordPenalty, nbest);
  }

  public DecoderOptions withMaxActive(int max, int min) {
    return new DecoderOptions(beam, latticeBeam, max, min, acousticScale, wordPenalty, nbest);
  }

  public DecoderOptions withNbest(int n) {
    return new DecoderOptions(beam, latticeBeam, maxActive, minActive, acousticScale, wordPenalty, n);
  }
}
