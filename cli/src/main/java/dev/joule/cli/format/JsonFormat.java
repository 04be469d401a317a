package dev.joule.cli.format;

import dev.joule.engine.recognizer.Alternative;
import dev.joule.engine.recognizer.Timing;
import dev.joule.engine.recognizer.Transcript;
import dev.joule.engine.recognizer.Word;
import java.util.Locale;

/**
 * One JSON object per utterance on one line (JSON Lines): id, text, words with start, end and
 * confidence, the n-best alternatives with their costs, and where the time went.
 */
final class JsonFormat implements TranscriptFormat {
  @Override
  public String extension() {
    return "json";
  }

  @Override
  public String format(String id, Transcript t) {
    StringBuilder sb = new StringBuilder("{\"id\":").append(quote(id)).append(",\"text\":").append(quote(t.text()));
    sb.append(",\"words\":[");
    for (int i = 0; i < t.words().size(); i++) {
      Word w = t.words().get(i);
      sb.append(i > 0 ? "," : "").append(String.format(Locale.ROOT,
          "{\"word\":%s,\"start\":%.2f,\"end\":%.2f,\"confidence\":%.4f}", quote(w.text()), w.start(), w.end(),
          w.confidence()));
    }
    sb.append("],\"alternatives\":[");
    for (int i = 0; i < t.alternatives().size(); i++) {
      Alternative a = t.alternatives().get(i);
      sb.append(i > 0 ? "," : "").append(String.format(Locale.ROOT,
          "{\"text\":%s,\"graph_cost\":%.4f,\"acoustic_cost\":%.4f}", quote(a.text()), a.graphCost(), a.acousticCost()));
    }
    Timing tm = t.timing();
    sb.append(String.format(Locale.ROOT, "],\"final\":%b,\"audio_seconds\":%.3f,\"processing_seconds\":%.4f,"
        + "\"feature_seconds\":%.4f,\"acoustic_seconds\":%.4f,\"decode_seconds\":%.4f}%n", t.reachedFinal(),
        tm.audioSeconds(), tm.totalSeconds(), tm.featureSeconds(), tm.acousticSeconds(), tm.decodeSeconds()));
    return sb.toString();
  }

  private static String quote(String s) {
    return JsonText.quote(s);
  }
}
