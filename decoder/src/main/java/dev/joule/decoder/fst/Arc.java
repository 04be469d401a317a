package dev.joule.decoder.fst;

/**
 * One transition of a WFST.
 *
 * @param ilabel input label (0 is epsilon)
 * @param olabel output label (0 is epsilon)
 * @param weight cost in the FST's semiring (−log p)
 * @param nextState destination state id
 */
public record Arc(int ilabel, int olabel, float weight, int nextState) {}
