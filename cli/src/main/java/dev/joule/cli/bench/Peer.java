package dev.joule.cli.bench;

import java.io.IOException;

/**
 * Another recogniser measured beside Joule on the same audio and scored by the same scorer. Peers
 * are found with {@link java.util.ServiceLoader} through {@link PeerProvider}: the command-line
 * jar carries none (they bring large dependencies of their own); the benchmarks module provides
 * pocketsphinx and Sphinx-4.
 */
public interface Peer extends AutoCloseable {
  /** The sample rate {@link #transcribe} expects. */
  int SAMPLE_RATE = 16000;

  /** Short name used in reports and file names ({@code hyp-NAME.txt}). */
  String name();

  /** What exactly ran: program, version, model. */
  String description();

  /** Whether the peer runs in this JVM, so that heap and thread CPU time are its own to measure. */
  boolean inProcess();

  /**
   * Transcribes one utterance.
   *
   * @param samples mono samples in [-1, 1] at {@value #SAMPLE_RATE} Hz
   * @param id the utterance id, for error messages
   * @return lower-case words separated by single spaces
   */
  String transcribe(float[] samples, String id) throws IOException, InterruptedException;

  @Override
  default void close() throws IOException {}
}
