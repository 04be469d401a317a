package dev.joule.engine.recognizer;

/**
 * Where the time of one recognition went, in seconds of wall-clock time.
 *
 * @param audioSeconds duration of the audio recognised
 * @param featureSeconds reading the audio and computing features
 * @param acousticSeconds running the acoustic model
 * @param decodeSeconds beam search, lattice and n-best
 */
public record Timing(double audioSeconds, double featureSeconds, double acousticSeconds, double decodeSeconds) {
  /** Total processing time. */
  public double totalSeconds() {
    return featureSeconds + acousticSeconds + decodeSeconds;
  }

  /** Processing time divided by audio duration (below 1 is faster than real time; 0 for empty audio). */
  public double realTimeFactor() {
    return audioSeconds > 0 ? totalSeconds() / audioSeconds : 0;
  }
}
