package dev.joule.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDirectoryTest {
  @TempDir Path root;

  private Path writeModel(String tokens) throws IOException {
    Path model = root.resolve("model");
    try (ModelDirectory.Builder b = ModelDirectory.create(model)) {
      b.writeText("tokens.txt", tokens).writeText("am.conf", "arch=tdnn\n").property("features", "fbank80");
      b.commit();
    }
    return model;
  }

  @Test
  void roundTripVerifiesEveryFile() throws IOException {
    Path model = writeModel("<blk> 0\nAA 1\n");
    ModelDirectory m = ModelDirectory.open(model);
    assertEquals(Set.of("tokens.txt", "am.conf"), m.files());
    assertEquals("fbank80", m.property("features"));
    assertEquals("<blk> 0\nAA 1\n", Files.readString(m.file("tokens.txt")));
    ModelFormatException missing = assertThrows(ModelFormatException.class, () -> m.file("den.fst"));
    assertTrue(missing.getMessage().contains("den.fst"), missing.getMessage());
    try (Stream<Path> siblings = Files.list(root)) {
      assertEquals(1, siblings.count(), "no staging directories left behind");
    }
  }

  @Test
  void aChangedFileIsReportedByName() throws IOException {
    Path model = writeModel("<blk> 0\n");
    Files.writeString(model.resolve("tokens.txt"), "<blk> 1\n");
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelDirectory.open(model));
    assertTrue(e.getMessage().contains("tokens.txt") && e.getMessage().contains("checksum"), e.getMessage());
  }

  @Test
  void aMissingFileIsReportedByName() throws IOException {
    Path model = writeModel("x");
    Files.delete(model.resolve("am.conf"));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelDirectory.open(model));
    assertTrue(e.getMessage().contains("am.conf") && e.getMessage().contains("missing"), e.getMessage());
  }

  @Test
  void aNewerFormatIsRefusedClearly() throws IOException {
    Path model = writeModel("x");
    Path manifest = model.resolve(ModelDirectory.MANIFEST);
    Files.writeString(manifest, Files.readString(manifest).replace("format.version=1", "format.version=7"));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelDirectory.open(model));
    assertTrue(e.getMessage().contains("newer Joule") && e.getMessage().contains("format 7"), e.getMessage());
  }

  @Test
  void notAModelDirectory() throws IOException {
    Path empty = Files.createDirectories(root.resolve("empty"));
    assertTrue(assertThrows(ModelFormatException.class, () -> ModelDirectory.open(empty)).getMessage().contains("missing"));
    assertThrows(ModelFormatException.class, () -> ModelDirectory.open(root.resolve("nowhere")));
    Path evil = Files.createDirectories(root.resolve("evil"));
    Files.writeString(evil.resolve(ModelDirectory.MANIFEST), "format.version=1\nfile.../x=00\n", StandardCharsets.UTF_8);
    assertTrue(assertThrows(ModelFormatException.class, () -> ModelDirectory.open(evil)).getMessage().contains("outside"));
  }

  @Test
  void rewritingReplacesTheWholeModelAtomically() throws IOException {
    Path model = writeModel("old");
    try (ModelDirectory.Builder b = ModelDirectory.create(model)) {
      b.writeText("tokens.txt", "new");
      b.commit();
    }
    ModelDirectory m = ModelDirectory.open(model);
    assertEquals(Set.of("tokens.txt"), m.files());
    assertEquals("new", Files.readString(m.file("tokens.txt")));
  }

  @Test
  void anAbandonedWriteLeavesTheOldModelUntouched() throws IOException {
    Path model = writeModel("old");
    try (ModelDirectory.Builder b = ModelDirectory.create(model)) {
      b.writeText("tokens.txt", "half-written");
      // no commit: as if training died here
    }
    assertEquals("old", Files.readString(ModelDirectory.open(model).file("tokens.txt")));
    try (Stream<Path> siblings = Files.list(root)) {
      assertFalse(siblings.anyMatch(p -> p.getFileName().toString().contains("staging")));
    }
  }

  @Test
  void filesOfSubDirectoriesAreListedAndChecked() throws IOException {
    Path nested = root.resolve("nested");
    try (ModelDirectory.Builder b = ModelDirectory.create(nested)) {
      b.writeText("inner.txt", "inner\n").writeText("deeper/leaf.txt", "leaf\n").property("kind", "inner");
      b.commit();
    }
    Path model = root.resolve("outer");
    try (ModelDirectory.Builder b = ModelDirectory.create(model)) {
      b.writeText("tokens.txt", "<blk> 0\n").copyDirectory(nested, "sub");
      assertThrows(ModelFormatException.class, () -> b.path("../escape.txt"));
      assertThrows(ModelFormatException.class, () -> b.path("sub//x"));
      assertThrows(ModelFormatException.class, () -> b.path("sub/.hidden"));
      b.commit();
    }
    ModelDirectory m = ModelDirectory.open(model);
    assertEquals(Set.of("tokens.txt", "sub/inner.txt", "sub/deeper/leaf.txt", "sub/" + ModelDirectory.MANIFEST), m.files());
    assertEquals("inner", ModelDirectory.open(model.resolve("sub")).property("kind"));
    Files.writeString(model.resolve("sub/deeper/leaf.txt"), "changed\n");
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelDirectory.open(model));
    assertTrue(e.getMessage().contains("leaf.txt") && e.getMessage().contains("checksum mismatch"), e.getMessage());
  }
}
