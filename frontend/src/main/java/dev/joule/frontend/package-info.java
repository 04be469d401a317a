/**
 * Joule's acoustic front end: audio in, Kaldi-compatible filter-bank features out.
 *
 * <p>This module knows nothing about tensors or models; it hands plain {@code float} matrices to
 * the engine. It is filled in by the front-end work (audio readers, resampling, fbank, CMVN).
 */
package dev.joule.frontend;
