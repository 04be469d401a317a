package dev.joule.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.recognizer.Alternative;
import dev.joule.engine.recognizer.Timing;
import dev.joule.engine.recognizer.Transcript;
import dev.joule.engine.recognizer.Word;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cue cutting and every format on a hand-made transcript. */
class SubtitleCuesTest {
  private static List<Word> evenly(int n, String text, double step) {
    List<Word> words = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      words.add(new Word(text, i * step, i * step + step * 0.8, 0.9));
    }
    return words;
  }

  @Test
  void cutsAt42CharactersSevenSecondsAndPauses() {
    // 20 five-letter words, 0.3 s apart: 7 words make 41 characters, the 8th would make 47.
    List<SubtitleCues.Cue> cues = SubtitleCues.cut(evenly(20, "hello", 0.3));
    assertEquals(List.of(41, 41, 35), cues.stream().map(c -> c.text().length()).toList());
    assertEquals(0, cues.get(0).start(), 1e-9);
    assertEquals(6 * 0.3 + 0.24, cues.get(0).end(), 1e-9);
    // Slow speech: two-letter words 1.2 s apart hit 7 s before 42 characters.
    for (SubtitleCues.Cue c : SubtitleCues.cut(evenly(30, "hi", 1.2))) {
      assertTrue(c.end() - c.start() <= SubtitleCues.MAX_SECONDS, c.toString());
    }
    // A pause of 2 s starts a new cue even when the line has room.
    List<Word> paused = List.of(new Word("a", 0, 0.5, 1), new Word("b", 2.5, 3, 1));
    assertEquals(2, SubtitleCues.cut(paused).size());
    // A word longer than a line is a cue of its own, not lost.
    assertEquals(List.of("x".repeat(50)), SubtitleCues.cut(List.of(new Word("x".repeat(50), 0, 1, 1))).stream()
        .map(SubtitleCues.Cue::text).toList());
  }

  @Test
  void formatsATranscript() {
    Transcript t = new Transcript(List.of(new Word("yes", 0.2, 0.44, 0.97), new Word("no", 3661.5, 3662.0, 0.5)),
        List.of(new Alternative(List.of("yes", "no"), 1.5, 2.25)), true, new Timing(3663, 0.1, 0.2, 0.3));
    assertEquals("yes no\n", TranscriptFormat.named("text").format("u1", t));
    assertEquals("u1 yes no\n", TranscriptFormat.named("kaldi").format("u1", t));
    assertEquals("u1 1 0.20 0.24 yes 0.970\nu1 1 3661.50 0.50 no 0.500\n", TranscriptFormat.named("ctm").format("u1", t));
    assertEquals("1\n00:00:00,200 --> 00:00:00,440\nyes\n\n2\n01:01:01,500 --> 01:01:02,000\nno\n\n",
        TranscriptFormat.named("srt").format("u1", t));
    assertTrue(TranscriptFormat.named("vtt").format("u1", t).startsWith("WEBVTT\n\n1\n00:00:00.200 --> 00:00:00.440\n"));
    String json = TranscriptFormat.named("JSON").format("u\"1", t);
    assertTrue(json.startsWith("{\"id\":\"u\\\"1\",\"text\":\"yes no\",\"words\":[{\"word\":\"yes\",\"start\":0.20,"), json);
    assertTrue(json.contains("\"alternatives\":[{\"text\":\"yes no\",\"graph_cost\":1.5000,\"acoustic_cost\":2.2500}]"), json);
    assertTrue(json.endsWith("\"final\":true,\"audio_seconds\":3663.000,\"processing_seconds\":0.6000,"
        + "\"feature_seconds\":0.1000,\"acoustic_seconds\":0.2000,\"decode_seconds\":0.3000}\n"), json);
    assertEquals(1, json.lines().count());
  }
}
