package dev.joule.engine.recognizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.decoder.lm.ArpaReader;
import dev.joule.decoder.lm.Vocabulary;
import dev.joule.engine.device.DeviceChoice;
import dev.joule.engine.model.ModelDirectory;
import dev.joule.engine.model.ModelFormatException;
import dev.joule.engine.model.ModelLayout;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.trf.LengthPrior;
import dev.joule.engine.trf.ModelTrf;
import dev.joule.engine.trf.NbestRescorer;
import dev.joule.engine.trf.RescoringWeights;
import dev.joule.engine.trf.TrfConfig;
import dev.joule.engine.trf.TrfFiles;
import dev.joule.engine.trf.TrfModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TRF rescoring inside the {@link Recognizer}, on the real tone model with a small TRF attached:
 * the transcript is the n-best entry {@link NbestRescorer#best} picks on the same list, on every
 * recognition path; without rescoring nothing changes; damaged TRF files are refused by name.
 */
class RecognizerRescoringTest {
  /**
   * A large word bonus: the longest hypothesis of the list wins, unlike the decoder's 1-best. (The
   * tone model's 16-best list for {@link #SAID} holds "yes no maybe no" and, with the same tokens,
   * "yes no maybe yes no".)
   */
  static final RescoringWeights WEIGHTS = new RescoringWeights(0.5, 1.0, 40.0);
  static final String[] SAID = {"yes", "no", "maybe", "no"};

  @TempDir static Path dir;
  static Path plain;
  static Path withTrf;
  static Path trf;

  @BeforeAll
  static void build() throws IOException {
    plain = ToneModel.build(dir.resolve("plain"), false);
    trf = trf(dir.resolve("trf"), plain, WEIGHTS);
    withTrf = ToneModel.build(dir.resolve("with-trf"), false);
    ModelTrf.attach(withTrf, trf);
  }

  /** A randomly initialised TRF over the model's n-gram vocabulary, saved with {@code weights}. */
  static Path trf(Path out, Path model, RescoringWeights weights) throws IOException {
    Vocabulary vocab = ArpaReader.read(model.resolve(ModelLayout.LM)).vocabulary();
    int maxLength = 8;
    long[] counts = new long[maxLength + 1];
    for (int l = 1; l <= maxLength; l++) {
      counts[l] = 1 + (l % 3);
    }
    TrfModel m = new TrfModel(new TrfConfig(maxLength, 4, 4, 1, true), vocab, LengthPrior.fromCounts(counts, maxLength),
        new Random(7), DType.FLOAT64);
    TrfFiles.save(out, m, weights);
    return out;
  }

  static Recognizer open(Path model, boolean rescoring) throws IOException {
    return Recognizer.open(model, RecognizerOptions.defaults().withDevice(DeviceChoice.CPU).withThreads(2)
        .withRescoring(rescoring));
  }

  @Test
  void theTranscriptIsTheEntryNbestRescorerPicksOnEveryPath() throws IOException {
    Path wav = ToneModel.wav(dir.resolve("said.wav"), SAID);
    Transcript decoded;
    try (Recognizer off = open(withTrf, false)) {
      decoded = off.transcribe(wav);
    }
    assertEquals("yes no maybe no", decoded.text());
    ModelTrf.Rescoring loaded = ModelTrf.load(ModelDirectory.open(withTrf));
    assertEquals(WEIGHTS, loaded.weights());
    List<NbestRescorer.Candidate> candidates = new ArrayList<>();
    for (Alternative a : decoded.alternatives()) {
      candidates.add(new NbestRescorer.Candidate(a.words().toArray(new String[0]), a.acousticCost()));
    }
    List<NbestRescorer.Features> features = loaded.rescorer().features(candidates);
    int best = NbestRescorer.best(features, WEIGHTS);
    String expected = decoded.alternatives().get(best).text();
    assertNotEquals(decoded.text(), expected, "the weights are chosen so that rescoring changes the 1-best");

    try (Recognizer on = open(withTrf, true)) {
      Transcript t = on.transcribe(wav);
      assertEquals(expected, t.text());
      assertEquals(expected, t.alternatives().get(0).text());
      // The same entries, now in order of rescored total.
      List<String> before = new ArrayList<>(decoded.alternatives().stream().map(Alternative::text).toList());
      List<String> after = new ArrayList<>(t.alternatives().stream().map(Alternative::text).toList());
      for (int i = 1; i < after.size(); i++) {
        double previous = features.get(before.indexOf(after.get(i - 1))).total(WEIGHTS);
        assertTrue(previous >= features.get(before.indexOf(after.get(i))).total(WEIGHTS), "rescored order at " + i);
      }
      before.sort(Comparator.naturalOrder());
      after.sort(Comparator.naturalOrder());
      assertEquals(before, after);
      // The winner's words carry times from its own lattice path: inside the audio, in order.
      double duration = t.timing().audioSeconds();
      for (int i = 0; i < t.words().size(); i++) {
        Word w = t.words().get(i);
        assertTrue(w.start() >= 0 && w.start() < w.end() && w.end() <= duration + 0.05, w.toString());
        assertTrue(i == 0 || t.words().get(i - 1).start() <= w.start(), "word times in order");
        assertTrue(w.confidence() >= 0 && w.confidence() <= 1 + 1e-9, w.toString());
      }

      // Samples, batches and streams end in the same rescoring step. (Samples skip the WAV file's
      // 16-bit rounding, so their costs differ in the last digits: compare the words.)
      float[] samples = ToneModel.utterance(SAID);
      Transcript fromSamples = on.transcribe(samples, ToneModel.RATE);
      assertEquals(t.text(), fromSamples.text());
      assertEquals(texts(t), texts(fromSamples));
      for (Transcript each : on.transcribeAll(List.of(wav, wav))) {
        assertEquals(t, withoutTiming(each, t));
      }
      for (Transcript each : on.transcribeAll(List.of(wav, wav), 2)) {
        assertEquals(t, withoutTiming(each, t));
      }
      RecognizerStream stream = on.stream();
      for (int off = 0; off < samples.length; off += 1600) {
        stream.accept(samples, off, Math.min(1600, samples.length - off));
      }
      Transcript streamed = stream.finish();
      assertEquals(fromSamples.words(), streamed.words());
      assertEquals(fromSamples.alternatives(), streamed.alternatives());
    }
  }

  /**
   * A recording cut at a pause into two segments: with rescoring each segment is rescored on its
   * own n-best list, so both halves become the rescored choice; offline, stream and samples agree.
   */
  @Test
  void everySegmentOfALongerRecordingIsRescored() throws IOException {
    float[] one = ToneModel.utterance(SAID);
    float[] two = LongAudioTest.join(List.of(one), 2);
    String expected;
    try (Recognizer on = open(withTrf, true)) {
      expected = on.transcribe(one, ToneModel.RATE).text();
    }
    try (Recognizer off = open(withTrf, false)) {
      Transcript plainTwo = off.transcribe(two, ToneModel.RATE);
      assertEquals("yes no maybe no yes no maybe no", plainTwo.text());
      assertNotEquals(plainTwo.text(), expected + " " + expected);
    }
    try (Recognizer on = open(withTrf, true)) {
      Transcript t = on.transcribe(two, ToneModel.RATE);
      assertEquals(expected + " " + expected, t.text());
      // The joined list is the one joined winner, with its costs.
      assertEquals(1, t.alternatives().size());
      assertEquals(t.text(), t.alternatives().get(0).text());
      for (int i = 1; i < t.words().size(); i++) {
        assertTrue(t.words().get(i - 1).start() <= t.words().get(i).start(), "word times in order");
      }
      assertTrue(t.words().get(t.words().size() - 1).end() <= t.timing().audioSeconds() + 0.05);
      RecognizerStream stream = on.stream();
      for (int off = 0; off < two.length; off += 1600) {
        stream.accept(two, off, Math.min(1600, two.length - off));
      }
      Transcript streamed = stream.finish();
      assertEquals(t.words(), streamed.words());
      assertEquals(t.alternatives(), streamed.alternatives());
    }
  }

  private static List<String> texts(Transcript t) {
    return t.alternatives().stream().map(Alternative::text).toList();
  }

  /** {@code t} with {@code reference}'s timing, so transcripts compare on their content. */
  private static Transcript withoutTiming(Transcript t, Transcript reference) {
    return new Transcript(t.words(), t.alternatives(), t.reachedFinal(), reference.timing());
  }

  @Test
  void withoutRescoringAModelWithATrfRecognisesAsBefore() throws IOException {
    Path wav = ToneModel.wav(dir.resolve("plain.wav"), SAID);
    try (Recognizer a = open(plain, false); Recognizer b = open(withTrf, false)) {
      Transcript x = a.transcribe(wav);
      Transcript y = b.transcribe(wav);
      assertEquals(x.words(), y.words());
      assertEquals(x.alternatives(), y.alternatives());
    }
  }

  @Test
  void aDamagedTrfIsRefusedByName() throws IOException {
    // A bit flip after the model was written: the model's own manifest catches it.
    Path flipped = ToneModel.build(dir.resolve("flipped"), false);
    ModelTrf.attach(flipped, trf);
    Path params = flipped.resolve(ModelLayout.TRF).resolve(TrfFiles.PARAMS);
    byte[] bytes = Files.readAllBytes(params);
    bytes[bytes.length / 2] ^= 1;
    Files.write(params, bytes);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> open(flipped, true));
    assertTrue(e.getMessage().contains(params.toString()) && e.getMessage().contains("checksum mismatch"), e.getMessage());

    // A TRF damaged before it went in (its own manifest disagrees with its files): refused on load.
    Path damagedTrf = dir.resolve("damaged-trf");
    trf(damagedTrf, plain, WEIGHTS);
    Files.writeString(damagedTrf.resolve(TrfFiles.VOCAB), "<s>\n</s>\n<unk>\nyes\n");
    Path model = ToneModel.build(dir.resolve("damaged"), false);
    Path staged = dir.resolve("damaged-copy");
    try (ModelDirectory.Builder b = ModelDirectory.create(staged)) {
      ModelDirectory m = ModelDirectory.open(model);
      for (String f : m.files()) {
        b.copy(m.file(f), f);
      }
      m.properties().forEach(b::property);
      b.copyDirectory(damagedTrf, ModelLayout.TRF);
      b.commit();
    }
    ModelFormatException nested = assertThrows(ModelFormatException.class, () -> open(staged, true));
    assertTrue(nested.getMessage().contains(ModelLayout.TRF + "/" + TrfFiles.VOCAB), nested.getMessage());
  }

  @Test
  void attachingRefusesATrfWithoutWeights() throws IOException {
    Path unweighted = dir.resolve("unweighted-trf");
    trf(unweighted, plain, null);
    Path model = ToneModel.build(dir.resolve("unweighted"), false);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelTrf.attach(model, unweighted));
    assertTrue(e.getMessage().contains("no rescoring weights"), e.getMessage());
    assertTrue(!ModelTrf.present(ModelDirectory.open(model)), "the model is left as it was");
  }
}
