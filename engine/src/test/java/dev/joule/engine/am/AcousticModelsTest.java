package dev.joule.engine.am;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.model.ModelDirectory;
import dev.joule.engine.model.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcousticModelsTest {
  @TempDir Path dir;

  static Properties linear(int inputDim, int tokens) {
    Properties p = new Properties();
    p.setProperty("arch", "linear");
    p.setProperty("input.dim", Integer.toString(inputDim));
    p.setProperty("tokens", Integer.toString(tokens));
    return p;
  }

  @Test
  void saveLoadGivesTheSameOutputs() throws IOException {
    AcousticModel model = AcousticModels.create(linear(6, 4), new Random(3));
    float[][] features = new float[5][6];
    Random r = new Random(1);
    for (float[] row : features) {
      for (int d = 0; d < row.length; d++) {
        row[d] = (float) r.nextGaussian();
      }
    }
    float[][] before = model.logProbs(features);
    Path m = dir.resolve("model");
    try (ModelDirectory.Builder b = ModelDirectory.create(m)) {
      AcousticModels.save(model, b);
      b.commit();
    }
    AcousticModel loaded = AcousticModels.load(ModelDirectory.open(m));
    float[][] after = loaded.logProbs(features);
    for (int t = 0; t < 5; t++) {
      assertArrayEquals(before[t], after[t], 0f);
      double sum = 0;
      for (float v : after[t]) {
        sum += Math.exp(v);
      }
      assertEquals(1.0, sum, 1e-5, "log-softmax rows sum to one");
    }
  }

  /** New models refuse settings their architecture never reads; every architecture's own settings pass. */
  @Test
  void settingsAnArchitectureDoesNotUseAreRefused() {
    for (String arch : new String[] {"tdnn", "blstm", "conformer"}) {
      AcousticModels.createChecked(ArchitecturesTest.config(arch), new Random(0));
    }
    Properties misspelt = ArchitecturesTest.config("tdnn");
    misspelt.setProperty("tdnn.hidden", "abc");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AcousticModels.createChecked(misspelt, new Random(0)));
    assertTrue(e.getMessage().contains("[tdnn.hidden] are not used by arch=tdnn")
        && e.getMessage().contains("dilations") && e.getMessage().contains("hidden"), e.getMessage());
    Properties otherArch = ArchitecturesTest.config("blstm");
    otherArch.setProperty("dilations", "1,2");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> AcousticModels.createChecked(otherArch, new Random(0)))
        .getMessage().contains("[dilations]"));
    // Loading stays lenient: a stored configuration with an extra key still opens.
    AcousticModels.create(misspelt, new Random(0));
  }

  @Test
  void unknownArchitectureAndBadSettingsAreClear() throws IOException {
    Properties p = linear(6, 4);
    p.setProperty("arch", "transformer-xxl");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AcousticModels.create(p, new Random(0)));
    assertTrue(e.getMessage().contains("transformer-xxl") && e.getMessage().contains("linear"), e.getMessage());
    Properties q = linear(6, 4);
    q.remove("tokens");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> AcousticModels.create(q, new Random(0)))
        .getMessage().contains("'tokens'"));
    Path m = dir.resolve("broken");
    try (ModelDirectory.Builder b = ModelDirectory.create(m)) {
      b.writeText("am.conf", "arch=nonsense\n").writeText("am.jparams", "");
      b.commit();
    }
    ModelFormatException f = assertThrows(ModelFormatException.class, () -> AcousticModels.load(ModelDirectory.open(m)));
    assertTrue(f.getMessage().contains("am.conf"), f.getMessage());
    assertTrue(Files.exists(m));
  }
}
