package dev.joule.decoder.fst;

/**
 * The structural properties OpenFST computes for an FST (bit values of {@code fst/properties.h}),
 * as reported by {@link FstInfo}. Each is a yes/no question; {@code fstinfo} prints the same ones.
 */
public enum FstProperty {
  ACCEPTOR(0x10000L, "acceptor"),
  INPUT_DETERMINISTIC(0x40000L, "input deterministic"),
  OUTPUT_DETERMINISTIC(0x100000L, "output deterministic"),
  EPSILONS(0x400000L, "input/output epsilons"),
  INPUT_EPSILONS(0x1000000L, "input epsilons"),
  OUTPUT_EPSILONS(0x4000000L, "output epsilons"),
  INPUT_LABEL_SORTED(0x10000000L, "input label sorted"),
  OUTPUT_LABEL_SORTED(0x40000000L, "output label sorted"),
  WEIGHTED(0x100000000L, "weighted"),
  CYCLIC(0x400000000L, "cyclic"),
  INITIAL_CYCLIC(0x1000000000L, "cyclic at initial state"),
  TOP_SORTED(0x4000000000L, "top sorted"),
  ACCESSIBLE(0x10000000000L, "accessible"),
  COACCESSIBLE(0x40000000000L, "coaccessible"),
  STRING(0x100000000000L, "string"),
  WEIGHTED_CYCLES(0x400000000000L, "weighted cycles");

  final long bit;
  private final String label;

  FstProperty(long bit, String label) {
    this.bit = bit;
    this.label = label;
  }

  /** The name {@code fstinfo} prints for this property. */
  public String label() {
    return label;
  }
}
