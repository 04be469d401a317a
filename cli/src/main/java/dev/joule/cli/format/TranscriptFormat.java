package dev.joule.cli.format;

import dev.joule.engine.recognizer.Transcript;
import java.util.Locale;

/** Writes one utterance's transcript in one output format. */
public interface TranscriptFormat {
  /** File name extension of this format (without the dot). */
  String extension();

  /** The transcript of utterance {@code id} as this format's text (ending with a newline). */
  String format(String id, Transcript transcript);

  /** The format called {@code name}: text, json, srt, vtt, ctm, kaldi or nbest. */
  static TranscriptFormat named(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "text" -> new TextFormat();
      case "json" -> new JsonFormat();
      case "srt" -> new SubtitleFormat(false);
      case "vtt" -> new SubtitleFormat(true);
      case "ctm" -> new CtmFormat();
      case "kaldi" -> new KaldiFormat();
      case "nbest" -> new NbestFormat();
      default -> throw new IllegalArgumentException(
          "unknown format '" + name + "'; use text, json, srt, vtt, ctm, kaldi or nbest");
    };
  }
}
