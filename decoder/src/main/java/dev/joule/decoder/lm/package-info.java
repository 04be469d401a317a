/**
 * N-gram language models: counting over word or token-id sequences, interpolated modified
 * Kneser-Ney estimation, the backoff model in ARPA form, ARPA reading and writing, perplexity,
 * sampling and entropy pruning.
 *
 * <p>Conventions: {@code <s>}, {@code </s>} and {@code <unk>} are always in the vocabulary;
 * probabilities and backoff weights are log10, as in ARPA files. Everything works on int ids
 * from a {@link dev.joule.decoder.lm.Vocabulary}, so the same code serves words and phone tokens.
 */
package dev.joule.decoder.lm;
