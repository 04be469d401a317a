/**
 * Kaldi-compatible log mel filter-bank features ({@link dev.joule.frontend.features.Fbank},
 * options in {@link dev.joule.frontend.features.FbankOptions}), their streaming form
 * ({@link dev.joule.frontend.features.FbankStream}, identical frames for any chunking) and CMVN
 * ({@link dev.joule.frontend.features.Cmvn}).
 */
package dev.joule.frontend.features;
