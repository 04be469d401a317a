package dev.joule.frontend.audio;

import java.nio.file.Path;

/**
 * What an audio file's header says.
 *
 * @param file the file
 * @param format its stored layout
 * @param frames samples per channel
 */
public record AudioInfo(Path file, PcmFormat format, long frames) {
  /** Duration in seconds. */
  public double durationSeconds() {
    return frames / (double) format.sampleRate();
  }
}
