/**
 * Audio files to mono float samples at the rate the features need, in bounded memory.
 *
 * <p>{@link dev.joule.frontend.audio.Audio#open(java.nio.file.Path, int)} is the usual entry:
 * WAV (RIFF/RIFX, {@code WAVE_FORMAT_EXTENSIBLE}; PCM 8/16/24/32, float 32/64, A-law, µ-law) is
 * read by {@link dev.joule.frontend.audio.WavReader}, AIFF and AU through
 * {@code javax.sound.sampled}, headerless PCM with a stated
 * {@link dev.joule.frontend.audio.PcmFormat}. Channels are averaged and the rate converted by the
 * band-limited {@link dev.joule.frontend.audio.Resampler}. Every problem with a file is an
 * {@link dev.joule.frontend.audio.AudioFormatException} naming it.
 */
package dev.joule.frontend.audio;
