package dev.joule.decoder.search;

/**
 * One recognised word.
 *
 * @param word output label (word id in the graph's output symbol table)
 * @param startFrame first frame of the word (frame index of the decoder's input)
 * @param endFrame last frame of the word, inclusive
 * @param confidence posterior probability of the word at that time in the lattice, 0..1
 */
public record WordHypothesis(int word, int startFrame, int endFrame, double confidence) {}
