package dev.joule.models.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnSynthRecipeTest {
  @Test
  void parsesOptions() {
    EnSynthRecipe.Options o = EnSynthRecipe.parse(new String[] {"--out", "a", "--small", "--seed", "7", "--out", "b",
        "--jobs", "3", "--from-stage", "synthesis", "--dev-utts", "10"});
    assertTrue(o.small);
    assertEquals(7, o.seed);
    assertEquals(Path.of("b"), o.out);
    assertEquals(3, o.jobs);
    assertEquals("synthesis", o.fromStage);
    assertEquals(1500, o.train());
    assertEquals(10, o.dev());
    assertEquals(60000, EnSynthRecipe.parse(new String[0]).train());
    assertNull(EnSynthRecipe.parse(new String[] {"--help"}));
  }

  @Test
  void rejectsBadOptions() {
    for (List<String> bad : List.of(List.of("--stage", "x"), List.of("--from-stage", "nope"), List.of("--seed"),
        List.of("--jobs", "0"), List.of("--train-utts", "-1"), List.of("--from-stage", "report", "--to-stage", "text"))) {
      assertThrows(IllegalArgumentException.class, () -> EnSynthRecipe.parse(bad.toArray(String[]::new)), bad.toString());
    }
  }

  @Test
  void stagesAreTheDocumentedOnes() {
    assertEquals(List.of("text", "lexicon", "synthesis", "augmentation", "datadirs", "report"), EnSynthRecipe.STAGES);
    assertEquals(1.0, EnSynthRecipe.SHARES.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
  }
}
