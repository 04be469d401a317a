package dev.joule.engine.recognizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.decoder.lm.ArpaReader;
import dev.joule.decoder.lm.BackoffLm;
import dev.joule.engine.device.DeviceChoice;
import dev.joule.engine.model.ModelDirectory;
import dev.joule.engine.model.ModelFormatException;
import dev.joule.engine.model.ModelLayout;
import dev.joule.engine.recognizer.RecognizerOptions.Rescoring;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.trf.LengthPrior;
import dev.joule.engine.trf.ModelTrf;
import dev.joule.engine.trf.TrfConfig;
import dev.joule.engine.trf.TrfFiles;
import dev.joule.engine.trf.TrfModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a TRF goes into a recognition model (float32 weights, the n-gram held once when the TRF's
 * base is the model's own) and when the recognizer rescores by itself: on the real tone model.
 */
class CompactTrfTest {
  @TempDir static Path dir;
  static Path plain;
  static Path trfDir;
  static TrfModel trf;

  @BeforeAll
  static void build() throws IOException {
    plain = ToneModel.build(dir.resolve("plain"), false);
    BackoffLm lm = ArpaReader.read(plain.resolve(ModelLayout.LM));
    long[] counts = {0, 2, 3, 1, 2, 1};
    trf = new TrfModel(new TrfConfig(5, 4, 4, 1, true), lm.vocabulary(), LengthPrior.fromCounts(counts, 5), lm,
        new Random(11), DType.FLOAT64);
    trfDir = dir.resolve("trf");
    TrfFiles.save(trfDir, trf, RecognizerRescoringTest.WEIGHTS);
  }

  /** A copy of the tone model whose lm.arpa is {@code arpa}, byte for byte. */
  static Path modelWithLm(String name, Path arpa) throws IOException {
    Path out = dir.resolve(name);
    ModelDirectory m = ModelDirectory.open(plain);
    try (ModelDirectory.Builder b = ModelDirectory.create(out)) {
      for (String f : m.files()) {
        b.copy(f.equals(ModelLayout.LM) ? arpa : m.file(f), f);
      }
      m.properties().forEach(b::property);
      b.commit();
    }
    return out;
  }

  @Test
  void aTrfOnTheModelsOwnNgramGoesInAsFloat32WithoutASecondCopy() throws IOException {
    Path model = modelWithLm("shared", trfDir.resolve(TrfFiles.BASE));
    ModelTrf.attach(model, trfDir);
    Path nested = model.resolve(ModelLayout.TRF);
    assertFalse(Files.exists(nested.resolve(TrfFiles.BASE)), "the n-gram is held once, as lm.arpa");
    assertEquals(TrfFiles.BASE_IN_ENCLOSING_MODEL, ModelDirectory.open(nested).property(TrfFiles.BASE_PROPERTY));
    long full = Files.size(trfDir.resolve(TrfFiles.PARAMS));
    long compact = Files.size(nested.resolve(TrfFiles.PARAMS));
    assertTrue(compact < 0.55 * full, "float32 weights: " + compact + " bytes against " + full);

    ModelTrf.Rescoring r = ModelTrf.load(ModelDirectory.open(model));
    assertTrue(r.trf().base() == r.ngram(), "the TRF's base is the model's n-gram object");
    assertEquals(RecognizerRescoringTest.WEIGHTS, r.weights());
    List<int[]> sentences = List.of(new int[] {3}, new int[] {4, 5, 3}, new int[] {5, 5, 4, 3, 4});
    double[] want = trf.logProbs(sentences);
    double[] got = r.trf().logProbs(sentences);
    for (int i = 0; i < want.length; i++) {
      // Only the weights' float32 rounding separates them (the base is the same n-gram).
      assertEquals(want[i], got[i], 1e-5 * Math.max(1, Math.abs(want[i])), "sentence " + i);
      assertNotEquals(want[i], got[i], "the weights really are float32");
    }

    // Opened alone by its path (as joule lm trf-ppl does), it reads the model's lm.arpa as its base.
    double[] alone = TrfFiles.load(nested).model().logProbs(sentences);
    for (int i = 0; i < want.length; i++) {
      assertEquals(got[i], alone[i], 0, "sentence " + i);
    }
    Path moved = dir.resolve("moved-trf");
    Files.createDirectories(moved);
    try (var files = Files.list(nested)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, moved.resolve(f.getFileName()));
      }
    }
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> TrfFiles.load(moved));
    assertTrue(e.getMessage().contains("of the recognition model it belongs in"), e.getMessage());
  }

  @Test
  void aTrfOnAnotherNgramKeepsItsOwn() throws IOException {
    // The tone model's hand-written lm.arpa holds the same n-gram in other bytes: kept apart.
    Path model = ToneModel.build(dir.resolve("apart"), false);
    ModelTrf.attach(model, trfDir);
    Path nested = model.resolve(ModelLayout.TRF);
    assertTrue(Files.exists(nested.resolve(TrfFiles.BASE)));
    assertEquals("", ModelDirectory.open(nested).property(TrfFiles.BASE_PROPERTY, ""));
    List<int[]> sentences = List.of(new int[] {4, 5}, new int[] {3, 5, 5});
    double[] want = trf.logProbs(sentences);
    double[] got = TrfFiles.load(nested).model().logProbs(sentences);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 1e-4 * Math.max(1, Math.abs(want[i])), "sentence " + i);
    }
  }

  @Test
  void theRecognizerRescoresByDefaultExactlyWhenTheModelHasATrf() throws IOException {
    Path model = modelWithLm("auto", trfDir.resolve(TrfFiles.BASE));
    ModelTrf.attach(model, trfDir);
    Path wav = ToneModel.wav(dir.resolve("auto.wav"), RecognizerRescoringTest.SAID);
    RecognizerOptions cpu = RecognizerOptions.defaults().withDevice(DeviceChoice.CPU);
    assertEquals(Rescoring.AUTO, cpu.rescoring());
    try (Recognizer byDefault = Recognizer.open(model, cpu);
        Recognizer on = Recognizer.open(model, cpu.withRescoring(true));
        Recognizer off = Recognizer.open(model, cpu.withRescoring(Rescoring.OFF));
        Recognizer withoutTrf = Recognizer.open(plain, cpu)) {
      assertTrue(byDefault.rescores() && on.rescores());
      assertFalse(off.rescores() || withoutTrf.rescores());
      Transcript rescored = on.transcribe(wav);
      Transcript decoded = off.transcribe(wav);
      assertNotEquals(decoded.text(), rescored.text(), "the weights make rescoring change the 1-best");
      assertEquals(rescored.words(), byDefault.transcribe(wav).words());
      assertEquals(decoded.words(), withoutTrf.transcribe(wav).words());
    }
    // Asking for rescoring explicitly still refuses a model without a TRF.
    assertThrows(ModelFormatException.class, () -> Recognizer.open(plain, cpu.withRescoring(Rescoring.ON)));
  }
}
