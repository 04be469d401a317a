package dev.joule.engine.recognizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.device.DeviceChoice;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long input on the tone model: minutes of utterances separated by pauses give the words of the
 * utterances recognised one by one, and what recognition holds does not grow with the length.
 * (The full hour with the default model is a documented command: RELIABILITY.md.)
 */
class LongAudioTest {
  static final String[] WORDS = {"yes", "no", "maybe"};
  /** Near-silence between utterances, on top of their own 0.2 s edges: a 1 s pause in all. */
  static final double PAUSE = 0.6;

  @TempDir static Path dir;
  static Recognizer recognizer;

  @BeforeAll
  static void load() throws IOException {
    recognizer = Recognizer.open(ToneModel.build(dir.resolve("model"), false),
        RecognizerOptions.defaults().withDevice(DeviceChoice.CPU));
  }

  @AfterAll
  static void close() {
    recognizer.close();
  }

  /** {@code n} utterances of 1-4 random words (seeded). */
  static List<float[]> pieces(int n) {
    Random random = new Random(7);
    List<float[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String[] said = new String[1 + random.nextInt(4)];
      for (int w = 0; w < said.length; w++) {
        said[w] = WORDS[random.nextInt(WORDS.length)];
      }
      out.add(ToneModel.utterance(said));
    }
    return out;
  }

  /** The pieces joined with {@link #PAUSE} of near-silence after each, repeated {@code times} times. */
  static float[] join(List<float[]> pieces, int times) {
    float[] pause = ToneModel.sound(0, PAUSE, new Random(3));
    int n = times * pieces.stream().mapToInt(p -> p.length + pause.length).sum();
    float[] out = new float[n];
    int o = 0;
    for (int k = 0; k < times; k++) {
      for (float[] p : pieces) {
        System.arraycopy(p, 0, out, o, p.length);
        o += p.length;
        System.arraycopy(pause, 0, out, o, pause.length);
        o += pause.length;
      }
    }
    return out;
  }

  static SegmentedRecognition recognise(float[] x) {
    SegmentedRecognition r = new SegmentedRecognition(recognizer.model(), recognizer.decoder(), recognizer.transcripts());
    for (int off = 0; off < x.length; off += 16_000) {
      r.accept(x, off, Math.min(16_000, x.length - off));
    }
    return r;
  }

  @Test
  void minutesOfSpeechGiveTheWordsOfTheirPiecesWithTheirTimes() {
    List<float[]> pieces = pieces(40);
    float[] whole = join(pieces, 3); // 120 utterances, about 3.5 minutes
    assertTrue(whole.length > 180 * ToneModel.RATE, "at least 3 minutes: " + whole.length / ToneModel.RATE + " s");
    Transcript long_ = recognizer.transcribe(whole, ToneModel.RATE);

    List<Word> expected = new ArrayList<>();
    double offset = 0;
    for (int k = 0; k < 3; k++) {
      for (float[] p : pieces) {
        for (Word w : recognizer.transcribe(p, ToneModel.RATE).words()) {
          expected.add(new Word(w.text(), w.start() + offset, w.end() + offset, w.confidence()));
        }
        offset += (p.length + Math.round(PAUSE * ToneModel.RATE)) / (double) ToneModel.RATE;
      }
    }
    assertEquals(expected.stream().map(Word::text).toList(), long_.words().stream().map(Word::text).toList());
    for (int i = 0; i < expected.size(); i++) {
      // Pieces start anywhere in the long file's 10 ms frame grid: times agree to a 30 ms output frame.
      assertEquals(expected.get(i).start(), long_.words().get(i).start(), 0.031, "word " + i);
      assertEquals(expected.get(i).end(), long_.words().get(i).end(), 0.031, "word " + i);
    }
    assertEquals(whole.length / (double) ToneModel.RATE, long_.timing().audioSeconds(), 1e-9);
    assertTrue(long_.reachedFinal());
    assertEquals(1, long_.alternatives().size(), "a long transcript's n-best is its joined best path");
    assertEquals(long_.text(), long_.alternatives().get(0).text());
  }

  @Test
  void whatIsHeldDoesNotGrowWithTheLength() {
    List<float[]> pieces = pieces(10);
    SegmentedRecognition once = recognise(join(pieces, 1));
    once.finish();
    SegmentedRecognition often = recognise(join(pieces, 8));
    often.finish();
    // One segment per utterance (each 1 s pause cuts once), plus the final pause's remainder.
    assertEquals(11, once.segments());
    assertEquals(81, often.segments());
    // Eight times the audio, the same features and lattice held at most: bounded by a segment.
    assertEquals(once.mostFramesHeld(), often.mostFramesHeld());
    assertEquals(once.mostLatticeTokens(), often.mostLatticeTokens());
    assertTrue(once.mostFramesHeld() < 400, "an utterance and a pause, not the input: " + once.mostFramesHeld());
  }

  static RecognizerStream stream(float[] x) {
    RecognizerStream s = recognizer.stream();
    for (int off = 0; off < x.length; off += 1000) {
      s.accept(x, off, Math.min(1000, x.length - off));
    }
    return s;
  }

  @Test
  void aLongStreamIsCutAtPausesToo() {
    List<float[]> pieces = pieces(10);
    float[] often = join(pieces, 8);
    RecognizerStream once = stream(join(pieces, 1));
    once.finish();
    RecognizerStream s = stream(often);
    Transcript streamed = s.finish();
    // The tone model sees each frame alone, so streaming gives the offline words and times.
    Transcript offline = recognizer.transcribe(often, ToneModel.RATE);
    assertEquals(offline.text(), streamed.text());
    for (int i = 0; i < offline.words().size(); i++) {
      assertEquals(offline.words().get(i).start(), streamed.words().get(i).start(), 1e-9, "word " + i);
    }
    assertEquals(81, s.segments());
    assertEquals(once.mostLatticeTokens(), s.mostLatticeTokens(), "the lattice held does not grow with the length");
  }

  @Test
  void speechWithoutPausesIsCutAtTheLongestSegment() {
    String[] said = new String[120]; // 120 words with 0.15 s gaps: 46 s without a pause
    for (int i = 0; i < said.length; i++) {
      said[i] = WORDS[i % 3];
    }
    float[] x = ToneModel.utterance(said);
    SegmentedRecognition r = recognise(x);
    Transcript t = r.finish();
    assertTrue(r.segments() >= 2, r.segments() + " segments");
    assertTrue(r.mostFramesHeld() <= PauseSegmenter.MAX_SEGMENT_FRAMES, "held " + r.mostFramesHeld());
    // The cut falls in a gap between words (the quietest frames), so no word is lost or split.
    assertEquals(String.join(" ", said), t.text());
  }
}
