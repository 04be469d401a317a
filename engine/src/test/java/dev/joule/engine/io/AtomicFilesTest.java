package dev.joule.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.joule.engine.model.ModelDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void writeReplacesTheFileAndLeavesNoSiblingEvenWhenWritingFails() throws IOException {
    Path target = dir.resolve("sub/out.txt");
    AtomicFiles.write(target, "one".getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(target, "two".getBytes(StandardCharsets.UTF_8));
    assertArrayEquals("two".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(target));

    IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, file -> {
      Files.writeString(file, "half");
      throw new IOException("disk full");
    }));
    assertEquals("disk full", e.getMessage());
    assertEquals("two", Files.readString(target), "the old content stays");
    String[] temporary = new String[1];
    AtomicFiles.write(target, file -> temporary[0] = file.getFileName().toString());
    assertTrue(AtomicFiles.isTemporaryFor(temporary[0], "out.txt"), temporary[0]);
    assertTrue(!AtomicFiles.isTemporaryFor(temporary[0], "out"), "another output's name");
    try (Stream<Path> files = Files.list(target.getParent())) {
      assertEquals(1, files.count(), "no temporary file left behind");
    }
  }

  /**
   * What is written gets the permissions of a file made plainly in the same place (the umask's),
   * not the owner-only ones of {@code Files.createTempFile}: a model or transcript written by one
   * account stays readable by others where the umask allows.
   */
  @Test
  void writtenFilesAndModelDirectoriesHaveTheUmasksPermissions() throws IOException {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
    Set<PosixFilePermission> plainFile = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain")));
    Set<PosixFilePermission> plainDir = Files.getPosixFilePermissions(Files.createDirectory(dir.resolve("plain-dir")));
    Path written = dir.resolve("written");
    AtomicFiles.write(written, new byte[] {1});
    assertEquals(plainFile, Files.getPosixFilePermissions(written));

    Path params = dir.resolve("p.jparams");
    ParameterFile.write(params, java.util.Map.of());
    assertEquals(plainFile, Files.getPosixFilePermissions(params));

    Path model = dir.resolve("model");
    try (ModelDirectory.Builder b = ModelDirectory.create(model)) {
      b.writeText("a.txt", "a\n");
      b.commit();
    }
    assertEquals(plainDir, Files.getPosixFilePermissions(model));
    assertEquals(plainFile, Files.getPosixFilePermissions(model.resolve("a.txt")));
    assertTrue(Files.isDirectory(AtomicFiles.siblingDirectory(model, "staging")));
  }
}
