/**
 * Joule's acoustic front end: audio in, Kaldi-compatible filter-bank features out.
 *
 * <ul>
 *   <li>{@link dev.joule.frontend.audio}: WAV/AIFF/AU/raw PCM reading, downmixing, resampling;
 *   <li>{@link dev.joule.frontend.features}: fbank ({@code compute-fbank-feats} semantics),
 *       streaming extraction, CMVN;
 *   <li>{@link dev.joule.frontend.data}: Kaldi data directories;
 *   <li>{@link dev.joule.frontend.io}: feature files (Joule binary, Kaldi text);
 *   <li>{@link dev.joule.frontend.augment}: speed perturbation, SpecAugment, additive noise.
 * </ul>
 *
 * <p>This module knows nothing about tensors or models; it hands out plain {@code float} arrays
 * and {@link dev.joule.frontend.FloatMatrix}.
 */
package dev.joule.frontend;
