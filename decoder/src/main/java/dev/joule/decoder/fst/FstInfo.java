package dev.joule.decoder.fst;

import java.util.EnumSet;
import java.util.Set;

/**
 * {@code fstinfo}-style figures of an {@link OpenFst}, computed (not cached) when asked.
 *
 * @param numStates states
 * @param numArcs arcs
 * @param start start state, or -1 when there is none
 * @param numFinal final states
 * @param inputEpsilons arcs with input label 0
 * @param outputEpsilons arcs with output label 0
 * @param epsilonArcs arcs with both labels 0
 * @param accessible states reachable from the start
 * @param coaccessible states from which a final state is reachable
 * @param properties the properties that hold
 */
public record FstInfo(
    int numStates,
    long numArcs,
    int start,
    long numFinal,
    long inputEpsilons,
    long outputEpsilons,
    long epsilonArcs,
    long accessible,
    long coaccessible,
    Set<FstProperty> properties) {

  public FstInfo {
    properties = Set.copyOf(properties);
  }

  static FstInfo fromNative(long[] v) {
    Set<FstProperty> props = EnumSet.noneOf(FstProperty.class);
    for (FstProperty p : FstProperty.values()) {
      if ((v[9] & p.bit) != 0) {
        props.add(p);
      }
    }
    return new FstInfo((int) v[0], v[1], (int) v[2], v[3], v[4], v[5], v[6], v[7], v[8], props);
  }

  public boolean has(FstProperty property) {
    return properties.contains(property);
  }

  /** Multi-line text in the spirit of {@code fstinfo}. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    b.append(String.format("%-40s%d%n", "# of states", numStates));
    b.append(String.format("%-40s%d%n", "# of arcs", numArcs));
    b.append(String.format("%-40s%d%n", "initial state", start));
    b.append(String.format("%-40s%d%n", "# of final states", numFinal));
    b.append(String.format("%-40s%d%n", "# of input/output epsilons", epsilonArcs));
    b.append(String.format("%-40s%d%n", "# of input epsilons", inputEpsilons));
    b.append(String.format("%-40s%d%n", "# of output epsilons", outputEpsilons));
    b.append(String.format("%-40s%d%n", "# of accessible states", accessible));
    b.append(String.format("%-40s%d%n", "# of coaccessible states", coaccessible));
    for (FstProperty p : FstProperty.values()) {
      b.append(String.format("%-40s%c%n", p.label(), has(p) ? 'y' : 'n'));
    }
    return b.toString();
  }
}
