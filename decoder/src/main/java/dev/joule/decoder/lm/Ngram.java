package dev.joule.decoder.lm;

/**
 * One entry of a backoff model: its words (ids, first word first), log10 probability of the last
 * word given the others, and the log10 backoff weight of the n-gram as a context (0 when none).
 * A log10 probability of {@code -Infinity} is written {@code -99} in ARPA files ({@code <s>}).
 */
public record Ngram(int[] words, double logProb, double logBackoff) {}
