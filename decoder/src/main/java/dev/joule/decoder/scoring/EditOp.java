package dev.joule.decoder.scoring;

/** What an aligned pair of reference and hypothesis tokens is. */
public enum EditOp {
  CORRECT,
  SUBSTITUTION,
  /** A reference token missing from the hypothesis. */
  DELETION,
  /** A hypothesis token not in the reference. */
  INSERTION
}
