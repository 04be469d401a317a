package dev.joule.engine.recognizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.joule.engine.device.DeviceChoice;
import dev.joule.engine.model.ModelFormatException;
import dev.joule.frontend.audio.Audio;
import dev.joule.frontend.audio.AudioSource;
import dev.joule.frontend.audio.Resampler;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Recognizer} on a real tone model and real WAV files: every stage, known answers. */
class RecognizerTest {
  @TempDir static Path dir;
  static Path modelDir;
  static Recognizer recognizer;

  @BeforeAll
  static void load() throws IOException {
    modelDir = ToneModel.build(dir.resolve("model"), false);
    recognizer = Recognizer.open(modelDir, RecognizerOptions.defaults().withDevice(DeviceChoice.CPU).withThreads(3));
  }

  @AfterAll
  static void close() {
    recognizer.close();
  }

  private static String[] words(Transcript t) {
    return t.words().stream().map(Word::text).toArray(String[]::new);
  }

  @Test
  void transcribesAWavFileWithTimesConfidencesAndAlternatives() throws IOException {
    String[] said = {"yes", "no", "maybe", "no"};
    Path wav = ToneModel.wav(dir.resolve("u1.wav"), said);
    Transcript t = recognizer.transcribe(wav);
    assertEquals("yes no maybe no", t.text());
    assertTrue(t.reachedFinal());
    for (int i = 0; i < said.length; i++) {
      Word w = t.words().get(i);
      // A word starts with its first tone and ends with its second: 10 ms frames, 25 ms windows.
      assertEquals(ToneModel.wordStart(i), w.start(), 0.04, w.toString());
      assertEquals(ToneModel.wordStart(i) + 2 * ToneModel.TONE, w.end(), 0.04, w.toString());
      assertTrue(w.confidence() > 0.5 && w.confidence() <= 1 + 1e-9, w.toString());
    }
    assertEquals(t.text(), t.alternatives().get(0).text());
    assertTrue(t.alternatives().size() > 1, "a 16-best list over a 3-word unigram has more than one entry");
    for (int i = 1; i < t.alternatives().size(); i++) {
      assertTrue(t.alternatives().get(i).cost() >= t.alternatives().get(i - 1).cost() - 1e-6);
    }
    double duration = 2 * ToneModel.EDGE + 4 * 2 * ToneModel.TONE + 3 * ToneModel.GAP;
    assertEquals(duration, t.timing().audioSeconds(), 1e-3);
    assertTrue(t.timing().totalSeconds() > 0);
  }

  @Test
  void resamplesSamplesAtOtherRates() {
    float[] at16k = ToneModel.utterance("maybe", "yes");
    float[] at44k = Resampler.resample(at16k, 16000, 44100);
    assertEquals("maybe yes", recognizer.transcribe(at44k, 44100).text());
    assertEquals("maybe yes", recognizer.transcribe(at16k, 16000).text());
  }

  @Test
  void transcribesAudioSourcesSuchAsSegmentsAndOtherRates() throws IOException {
    Path wav = ToneModel.wav(dir.resolve("src.wav"), "yes", "no", "maybe");
    double second = ToneModel.wordStart(1);
    try (AudioSource seg = Audio.open(wav, 16000, second - 0.05, second + 2 * ToneModel.TONE + 0.05)) {
      assertEquals("no", recognizer.transcribe(seg).text());
    }
    try (AudioSource at8k = Audio.open(wav, 8000)) {
      assertEquals("yes no maybe", recognizer.transcribe(at8k).text());
    }
  }

  @Test
  void appliesGlobalCmvnWhenTheModelHasIt() throws IOException {
    try (Recognizer r = Recognizer.open(ToneModel.build(dir.resolve("cmvn-model"), true),
        RecognizerOptions.defaults().withDevice(DeviceChoice.CPU))) {
      assertEquals("no maybe yes", r.transcribe(ToneModel.utterance("no", "maybe", "yes"), 16000).text());
    }
  }

  @Test
  void streamingGivesTheOfflineResultWhateverTheChunks() {
    float[] x = ToneModel.utterance("no", "yes", "yes", "maybe");
    Transcript offline = recognizer.transcribe(x, 16000);
    assertEquals("no yes yes maybe", offline.text());
    for (int chunk : new int[] {37, 160, 1000, 4801, x.length}) {
      RecognizerStream s = recognizer.stream();
      List<String> partials = new ArrayList<>();
      for (int off = 0; off < x.length; off += chunk) {
        partials.add(s.accept(x, off, Math.min(chunk, x.length - off)).text());
      }
      Transcript streamed = s.finish();
      assertEquals(offline.words(), streamed.words(), "chunk " + chunk);
      assertEquals(offline.alternatives(), streamed.alternatives(), "chunk " + chunk);
      if (chunk == 1000) {
        // Partial results grow towards the final one as audio arrives.
        assertTrue(partials.contains("no yes"), partials.toString());
      }
    }
  }

  @Test
  void streamingResamplesToo() {
    float[] at8k = Resampler.resample(ToneModel.utterance("yes", "no"), 16000, 8000);
    RecognizerStream s = recognizer.stream(8000);
    for (int off = 0; off < at8k.length; off += 500) {
      s.accept(at8k, off, Math.min(500, at8k.length - off));
    }
    assertEquals("yes no", s.finish().text());
    assertThrows(IllegalStateException.class, s::finish);
  }

  @Test
  void oneRecognizerServesManyThreads() throws Exception {
    String[][] utterances = {{"yes"}, {"no", "no"}, {"maybe", "yes", "no"}, {"yes", "maybe"}};
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (String[] u : utterances) {
          results.add(pool.submit(() -> recognizer.transcribe(ToneModel.utterance(u), 16000).text()));
        }
      }
      for (int i = 0; i < results.size(); i++) {
        assertEquals(String.join(" ", utterances[i % utterances.length]), results.get(i).get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void transcribesManyFilesInOrder() throws IOException {
    List<Path> files = new ArrayList<>();
    List<String> want = new ArrayList<>();
    String[] vocabulary = {"yes", "no", "maybe"};
    for (int i = 0; i < 6; i++) {
      String[] said = {vocabulary[i % 3], vocabulary[(i / 3 + 1) % 3]};
      files.add(ToneModel.wav(dir.resolve("many" + i + ".wav"), said));
      want.add(String.join(" ", said));
    }
    List<String> got = recognizer.transcribeAll(files).stream().map(Transcript::text).toList();
    assertEquals(want, got);
  }

  @Test
  void emptyAudioGivesNoWords() {
    Transcript t = recognizer.transcribe(new float[0], 16000);
    assertEquals("", t.text());
    assertEquals(0, t.timing().audioSeconds());
    RecognizerStream s = recognizer.stream();
    assertEquals("", s.finish().text());
  }

  @Test
  void nonFiniteSamplesAreRefused() {
    float[] x = ToneModel.utterance("yes");
    x[100] = Float.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> recognizer.transcribe(x, 16000));
    assertEquals("sample 100 is NaN; audio samples must be finite", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> recognizer.stream().accept(x));
  }

  @Test
  void missingAudioNamesTheFile() {
    Path none = dir.resolve("none.wav");
    IOException e = assertThrows(IOException.class, () -> recognizer.transcribe(none));
    assertTrue(e.getMessage().contains("none.wav"), e.getMessage());
  }

  @Test
  void loadsAModelPackagedOnTheClassPath() throws IOException {
    Path root = dir.resolve("cp");
    Path packaged = root.resolve("dev/joule/models/tones");
    Files.createDirectories(packaged.getParent());
    ToneModel.build(packaged, false);
    ClassLoader before = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader cl = new URLClassLoader(new URL[] {root.toUri().toURL()}, before)) {
      Thread.currentThread().setContextClassLoader(cl);
      Path copy;
      try (Recognizer r = Recognizer.openClasspath("dev/joule/models/tones", RecognizerOptions.defaults())) {
        copy = r.modelDirectory();
        assertFalse(copy.startsWith(root));
        assertEquals("maybe", r.transcribe(ToneModel.utterance("maybe"), 16000).text());
        assertEquals("tones", r.modelProperties().get("name"));
      }
      assertFalse(Files.exists(copy), "closing removes the temporary copy");
      assertThrows(NoModelException.class, () -> Recognizer.openClasspath("dev/joule/models/none", RecognizerOptions.defaults()));
    } finally {
      Thread.currentThread().setContextClassLoader(before);
    }
  }

  @Test
  void theDefaultModelMayComeFromTheClassPath() throws IOException {
    assumeTrue(ModelLocator.defaultDirectory().isEmpty(), "a default model directory is installed here");
    assertThrows(NoModelException.class, () -> Recognizer.openDefault(RecognizerOptions.defaults()));
    Path root = dir.resolve("default-cp");
    Files.createDirectories(root.resolve(ModelLocator.DEFAULT_RESOURCE).getParent());
    ToneModel.build(root.resolve(ModelLocator.DEFAULT_RESOURCE), false);
    ClassLoader before = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader cl = new URLClassLoader(new URL[] {root.toUri().toURL()}, before)) {
      Thread.currentThread().setContextClassLoader(cl);
      try (Recognizer r = Recognizer.openDefault(RecognizerOptions.defaults().withDevice(DeviceChoice.CPU))) {
        assertEquals("no", r.transcribe(ToneModel.utterance("no"), 16000).text());
      }
    } finally {
      Thread.currentThread().setContextClassLoader(before);
    }
  }

  @Test
  void refusesIncompleteOrInconsistentModels() throws IOException {
    Path bad = ToneModel.build(dir.resolve("bad"), false);
    Files.writeString(bad.resolve("fbank.conf"), "--num-mel-bins=40\n");
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> Recognizer.open(bad));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());

    ModelFormatException none = assertThrows(ModelFormatException.class, () -> Recognizer.open(dir.resolve("nothing")));
    assertTrue(none.getMessage().contains("nothing"), none.getMessage());

    ModelFormatException rescoring = assertThrows(ModelFormatException.class,
        () -> Recognizer.open(modelDir, RecognizerOptions.defaults().withRescoring(true)));
    assertTrue(rescoring.getMessage().contains("no TRF language model"), rescoring.getMessage());
  }

  @Test
  void closedRecognizerRefusesWork() throws IOException {
    Recognizer r = Recognizer.open(modelDir, RecognizerOptions.defaults().withDevice(DeviceChoice.CPU));
    r.close();
    r.close();
    assertThrows(IllegalStateException.class, () -> r.transcribe(new float[16000], 16000));
  }
}
