package dev.joule.frontend.data;

import dev.joule.frontend.audio.AudioSource;
import java.io.IOException;

/**
 * An utterance of a data directory: its audio (a whole recording, or a segment of one) and, where
 * the directory has them, its transcript and speaker.
 *
 * @param start seconds into the recording (0 for a whole recording)
 * @param end end in seconds, or -1 for the end of the recording
 * @param text transcript, or null
 * @param speaker speaker id, or null
 */
public record Utterance(
    String id, WavScpEntry recording, double start, double end, String text, String speaker) {
  /** The utterance's audio, mono at {@code rate}. */
  public AudioSource open(int rate) throws IOException {
    return recording.open(rate, start, end);
  }
}
