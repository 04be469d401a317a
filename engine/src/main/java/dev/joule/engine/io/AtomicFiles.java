package dev.joule.engine.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writing files and directories so that a crash never leaves half of one under its real name:
 * the content goes to a hidden sibling ({@code .NAME.PURPOSE-RANDOM}) that is then moved into
 * place.
 *
 * <p>The siblings are made with {@link Files#createFile} and {@link Files#createDirectory}, not
 * {@code Files.createTemp*}: those are owner-only (mode 600/700) whatever the umask, which would
 * leave every model, parameter file and transcript unreadable to anyone but its writer (a model
 * built by one account and served by another, say). Made plainly, they get the permissions any
 * new file would.
 */
public final class AtomicFiles {
  /** Writes the content of a file, given its path. */
  @FunctionalInterface
  public interface Content {
    void writeTo(Path file) throws IOException;
  }

  private static final String TEMPORARY = "tmp";

  private AtomicFiles() {}

  /**
   * Writes {@code target} through a sibling file and an atomic move, replacing what was there;
   * the sibling is removed if writing fails. Creates the parent directories.
   */
  public static void write(Path target, Content content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path tmp = sibling(absolute, TEMPORARY, false);
    try {
      content.writeTo(tmp);
      Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Whether {@code fileName} is a temporary sibling {@link #write} makes for a file named
   * {@code targetName} (left behind only when the process died mid-write), so it can be cleared.
   */
  public static boolean isTemporaryFor(String fileName, String targetName) {
    return fileName.startsWith("." + targetName + "." + TEMPORARY + "-");
  }

  /** {@link #write} of bytes. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, file -> Files.write(file, bytes));
  }

  /**
   * A new empty directory beside {@code target} ({@code .NAME.PURPOSE-RANDOM}), for building
   * what will be moved to {@code target}; its parent must exist.
   */
  public static Path siblingDirectory(Path target, String purpose) throws IOException {
    return sibling(target.toAbsolutePath(), purpose, true);
  }

  private static Path sibling(Path target, String purpose, boolean directory) throws IOException {
    Path parent = target.getParent();
    for (int attempt = 0; ; attempt++) {
      String name = "." + target.getFileName() + "." + purpose + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
      Path p = parent.resolve(name);
      try {
        return directory ? Files.createDirectory(p) : Files.createFile(p);
      } catch (FileAlreadyExistsException e) {
        if (attempt == 100) {
          throw e;
        }
      }
    }
  }
}
