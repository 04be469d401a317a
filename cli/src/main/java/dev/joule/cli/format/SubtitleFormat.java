package dev.joule.cli.format;

import dev.joule.engine.recognizer.Transcript;
import java.util.List;
import java.util.Locale;

/** SubRip ({@code .srt}) or WebVTT ({@code .vtt}) subtitles, cues cut by {@link SubtitleCues}. */
final class SubtitleFormat implements TranscriptFormat {
  private final boolean vtt;

  SubtitleFormat(boolean vtt) {
    this.vtt = vtt;
  }

  @Override
  public String extension() {
    return vtt ? "vtt" : "srt";
  }

  @Override
  public String format(String id, Transcript t) {
    StringBuilder sb = new StringBuilder(vtt ? "WEBVTT\n\n" : "");
    List<SubtitleCues.Cue> cues = SubtitleCues.cut(t.words());
    for (int i = 0; i < cues.size(); i++) {
      SubtitleCues.Cue c = cues.get(i);
      sb.append(i + 1).append('\n');
      sb.append(time(c.start())).append(" --> ").append(time(c.end())).append('\n');
      sb.append(c.text()).append("\n\n");
    }
    return sb.toString();
  }

  /** {@code HH:MM:SS,mmm} (SRT) or {@code HH:MM:SS.mmm} (VTT). */
  String time(double seconds) {
    long ms = Math.round(seconds * 1000);
    return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60,
        vtt ? '.' : ',', ms % 1000);
  }
}
