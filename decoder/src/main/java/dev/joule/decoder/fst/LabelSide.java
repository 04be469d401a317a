package dev.joule.decoder.fst;

/** Which tape of a transducer an operation looks at: input labels or output labels. */
public enum LabelSide {
  INPUT,
  OUTPUT
}
