package dev.joule.engine.recognizer;

/**
 * One recognised word.
 *
 * @param text the word as spelled in the model's {@code words.txt}
 * @param start start time in seconds from the beginning of the audio
 * @param end end time in seconds (after {@code start})
 * @param confidence posterior probability of the word in the lattice, 0..1
 */
public record Word(String text, double start, double end, double confidence) {}
