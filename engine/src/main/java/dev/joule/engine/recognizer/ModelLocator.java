package dev.joule.engine.recognizer;

import dev.joule.engine.model.ModelDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Finds models: the default model, and models packaged as classpath resources (a model
 * artifact on the class path), which are copied to a temporary directory because the decoding
 * graph is memory-mapped from a file.
 */
public final class ModelLocator {
  /** System property naming the default model directory. */
  public static final String PROPERTY = "joule.model";
  /** Environment variable naming the default model directory. */
  public static final String ENVIRONMENT = "JOULE_MODEL";
  /** Classpath folder of a packaged default model. */
  public static final String DEFAULT_RESOURCE = "dev/joule/models/default";

  /** What {@link #defaultModel} tells a user who has none. */
  public static final String NO_MODEL_MESSAGE = "no speech model found: pass a model directory (--model DIR), "
      + "set " + ENVIRONMENT + " to one, or put the bundled English model (the joule-models jar) on the class path; "
      + "a model directory is made by training, see README 'Training a model'";

  private ModelLocator() {}

  /**
   * The default model's directory, first of: system property {@value #PROPERTY}, environment
   * variable {@value #ENVIRONMENT}, {@code $XDG_DATA_HOME/joule/models/default} (or
   * {@code ~/.local/share/joule/models/default}) when it exists. A model packaged on the class
   * path is found by {@link Recognizer#openDefault} after these.
   */
  public static Optional<Path> defaultDirectory() {
    String p = System.getProperty(PROPERTY);
    if (p != null && !p.isBlank()) {
      return Optional.of(Paths.get(p));
    }
    String e = System.getenv(ENVIRONMENT);
    if (e != null && !e.isBlank()) {
      return Optional.of(Paths.get(e));
    }
    String xdg = System.getenv("XDG_DATA_HOME");
    Path data = xdg != null && !xdg.isBlank()
        ? Paths.get(xdg) : Paths.get(System.getProperty("user.home"), ".local", "share");
    Path installed = data.resolve("joule").resolve("models").resolve("default");
    return Files.isDirectory(installed) ? Optional.of(installed) : Optional.empty();
  }

  /** Whether the bundled default model is on the class path (the joule-models jar, inside joule.jar). */
  public static boolean hasBundledDefault() {
    return onClasspath(DEFAULT_RESOURCE);
  }

  /**
   * Copies the bundled default model into a new temporary directory, for tools that read a model
   * directory; the caller removes it with {@link #deleteTree}.
   */
  public static Path extractBundledDefault() throws IOException {
    return extract(DEFAULT_RESOURCE);
  }

  /** Whether a model is packaged on the class path under {@code resourceDir}. */
  static boolean onClasspath(String resourceDir) {
    return loader().getResource(resourceDir + "/" + ModelDirectory.MANIFEST) != null;
  }

  /**
   * Copies the model packaged under {@code resourceDir} (its manifest and every file it lists)
   * into a new temporary directory and returns that directory.
   */
  static Path extract(String resourceDir) throws IOException {
    String manifest = resourceDir + "/" + ModelDirectory.MANIFEST;
    Properties p = new Properties();
    try (InputStream in = loader().getResourceAsStream(manifest)) {
      if (in == null) {
        throw new NoModelException("no model on the class path at " + resourceDir);
      }
      try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        p.load(r);
      }
    }
    List<String> names = new ArrayList<>();
    names.add(ModelDirectory.MANIFEST);
    for (String key : p.stringPropertyNames()) {
      if (key.startsWith("file.")) {
        names.add(key.substring(5));
      }
    }
    Path dir = Files.createTempDirectory(COPY_PREFIX + ProcessHandle.current().pid() + "-");
    TEMPORARY_COPIES.add(dir);
    removeAbandonedCopies(dir.getParent());
    try {
      for (String name : names) {
        Path target = dir.resolve(name).normalize();
        if (!target.startsWith(dir)) {
          throw new NoModelException(manifest + ": file name '" + name + "' leaves the model directory");
        }
        try (InputStream in = loader().getResourceAsStream(resourceDir + "/" + name)) {
          if (in == null) {
            throw new NoModelException(resourceDir + "/" + name + ": listed in the manifest but not on the class path");
          }
          Files.createDirectories(target.getParent());
          Files.copy(in, target);
        }
      }
    } catch (IOException | RuntimeException e) {
      deleteTree(dir);
      throw e;
    }
    return dir;
  }

  /** Temporary copies are named {@code joule-model-PID-RANDOM}: the process that owns each is known. */
  static final String COPY_PREFIX = "joule-model-";

  /**
   * Removes the copies in {@code tmp} left by processes that no longer run (killed with SIGKILL,
   * or by a power cut: the only ways to skip the shutdown hook below). Copies of running
   * processes, and directories of any other name, are left alone; so is whatever this user may not
   * delete. This assumes the processes sharing a temporary directory see each other's PIDs, as on
   * one machine or in one container.
   */
  static void removeAbandonedCopies(Path tmp) {
    try (Stream<Path> entries = Files.list(tmp)) {
      for (Path d : (Iterable<Path>) entries::iterator) {
        String name = d.getFileName().toString();
        if (!name.startsWith(COPY_PREFIX) || !Files.isDirectory(d)) {
          continue;
        }
        int dash = name.indexOf('-', COPY_PREFIX.length());
        long pid;
        try {
          pid = Long.parseLong(name.substring(COPY_PREFIX.length(), dash < 0 ? name.length() : dash));
        } catch (NumberFormatException e) {
          continue;
        }
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        deleteTree(d);
      }
    } catch (IOException | UncheckedIOException e) {
      // Tidying up after other processes is a courtesy; it never stops this one.
    }
  }

  /**
   * Temporary model copies not deleted yet. A process stopped by a signal (Ctrl-C, SIGTERM) never
   * closes its recognizer, so a shutdown hook removes what is left; only SIGKILL leaves a copy.
   */
  private static final Set<Path> TEMPORARY_COPIES = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(TEMPORARY_COPIES).forEach(ModelLocator::deleteTree),
        "joule-model-cleanup"));
  }

  /** Removes {@code dir} and everything under it, as far as it can (a temporary model copy). */
  public static void deleteTree(Path dir) {
    TEMPORARY_COPIES.remove(dir);
    try {
      ModelDirectory.deleteTree(dir);
    } catch (IOException | UncheckedIOException e) {
      // A temporary copy left behind costs disk space only; the recognizer is closed regardless.
    }
  }

  private static ClassLoader loader() {
    ClassLoader l = Thread.currentThread().getContextClassLoader();
    return l != null ? l : ModelLocator.class.getClassLoader();
  }
}
