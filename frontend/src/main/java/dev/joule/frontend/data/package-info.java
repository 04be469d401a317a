/**
 * Kaldi data directories: {@code wav.scp}, {@code segments}, {@code text}, {@code utt2spk}
 * ({@link dev.joule.frontend.data.KaldiFiles}, {@link dev.joule.frontend.data.DataDir}). Errors
 * are {@link dev.joule.frontend.data.DataFormatException}s naming file and line.
 */
package dev.joule.frontend.data;
