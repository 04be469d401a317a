/**
 * N-gram language models: counting over word or token-id sequences, interpolated modified
 * Kneser-Ney estimation, the backoff model in ARPA form, ARPA reading and writing, perplexity,
 * sampling and entropy pruning.
 *
 * <p>Conventions: {@code <s>}, {@code </s>} and {@code <unk>} are always in the vocabulary;
 * probabilities and backoff weights are log10, as in ARPA files. Everything works on int ids
 * from a {@link dev.joule.decoder.lm.Vocabulary}, so the same code serves words and phone tokens.
 *
 * <p>Typical use: {@link dev.joule.decoder.lm.TextCorpus#count} (or {@link
 * dev.joule.decoder.lm.NgramCounts#addSentence} on id sequences), then {@link
 * dev.joule.decoder.lm.KneserNeyEstimator#estimate}, giving a {@link
 * dev.joule.decoder.lm.BackoffLm}; {@link dev.joule.decoder.lm.ArpaWriter} and {@link
 * dev.joule.decoder.lm.ArpaReader} move it to and from files. Graph compilers walk a model per
 * order with {@link dev.joule.decoder.lm.BackoffLm#ngrams(int)} (words, log10 probability, log10
 * backoff) or with the index accessors ({@code size}, {@code context}, {@code word}, {@code
 * firstChild}, {@code childCount}). Other estimators (a count-threshold phone LM for den graphs)
 * read raw counts from {@link dev.joule.decoder.lm.NgramCounts} and assemble their model with
 * {@link dev.joule.decoder.lm.BackoffLm.Builder}.
 */
package dev.joule.decoder.lm;
