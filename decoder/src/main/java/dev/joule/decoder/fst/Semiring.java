package dev.joule.decoder.fst;

/** The weight semirings Joule's WFSTs use. Weights are stored as costs (−log p) in both. */
public enum Semiring {
  /** min / +: Viterbi search and shortest paths (OpenFST arc type {@code standard}). */
  TROPICAL(0),
  /** −log(e^−a + e^−b) / +: sums over paths, as in denominator graphs (arc type {@code log}). */
  LOG(1);

  final int nativeCode;

  Semiring(int nativeCode) {
    this.nativeCode = nativeCode;
  }

  static Semiring fromNative(int code) {
    for (Semiring s : values()) {
      if (s.nativeCode == code) {
        return s;
      }
    }
    throw new IllegalStateException("unknown native semiring code " + code);
  }
}
