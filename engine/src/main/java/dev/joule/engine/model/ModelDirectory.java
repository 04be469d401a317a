package dev.joule.engine.model;

import dev.joule.engine.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A Joule model: a directory of files plus a manifest, {@value #MANIFEST}, that records the
 * format version, free-form properties (architecture, feature settings, provenance) and the
 * SHA-256 of every file. Opening a model checks the version and every checksum, so a truncated
 * copy, a bit flip or a missing file is reported by name instead of surfacing later as garbage.
 *
 * <p>Manifest (Java properties, UTF-8): {@code format.version=1}, {@code file.NAME=SHA256HEX}
 * for each file (NAME is {@code dir/file} for a file of a sub-directory, such as the nested TRF
 * language model {@code trf/}), and {@code prop.KEY=VALUE} for each property.
 *
 * <p>Writing is atomic: files go to a hidden sibling directory, the manifest is written last,
 * and the directory is then moved into place, so a crash leaves either the old model or the new
 * one, never a mixture.
 */
public final class ModelDirectory {
  public static final String MANIFEST = "joule-model.properties";
  /** The newest model format this Joule reads and the one it writes. */
  public static final int FORMAT_VERSION = 1;

  private final Path dir;
  private final Map<String, String> checksums;
  private final Map<String, String> properties;

  private ModelDirectory(Path dir, Map<String, String> checksums, Map<String, String> properties) {
    this.dir = dir;
    this.checksums = checksums;
    this.properties = properties;
  }

  /**
   * Opens and verifies a model directory.
   *
   * @throws ModelFormatException naming the file and the problem
   */
  public static ModelDirectory open(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new ModelFormatException(dir + (Files.exists(dir) ? ": not a model directory (a file, not a directory)"
          : ": not a model directory (no such directory)"));
    }
    Path manifest = dir.resolve(MANIFEST);
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      throw new ModelFormatException(manifest + ": missing; " + dir + " is not a Joule model directory");
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(manifest + ": malformed (" + e.getMessage() + ")", e);
    }
    String version = p.getProperty("format.version");
    int v;
    try {
      v = Integer.parseInt(version == null ? "" : version.trim());
    } catch (NumberFormatException e) {
      throw new ModelFormatException(manifest + ": format.version is missing or not a number");
    }
    if (v > FORMAT_VERSION) {
      throw new ModelFormatException(dir + ": model format " + v + " was written by a newer Joule; this one reads up to format "
          + FORMAT_VERSION + " (upgrade Joule)");
    }
    if (v < 1) {
      throw new ModelFormatException(manifest + ": invalid format.version " + v);
    }
    Map<String, String> sums = new TreeMap<>();
    Map<String, String> props = new TreeMap<>();
    for (String key : p.stringPropertyNames()) {
      if (key.startsWith("file.")) {
        sums.put(key.substring(5), p.getProperty(key).trim());
      } else if (key.startsWith("prop.")) {
        props.put(key.substring(5), p.getProperty(key));
      }
    }
    for (Map.Entry<String, String> e : sums.entrySet()) {
      Path file = resolveInside(dir, e.getKey());
      if (!Files.isRegularFile(file)) {
        throw new ModelFormatException(file + ": listed in the manifest but missing");
      }
      String actual = sha256(file);
      if (!actual.equalsIgnoreCase(e.getValue())) {
        throw new ModelFormatException(file + ": checksum mismatch (the file is corrupt or was changed after the model was written)");
      }
    }
    return new ModelDirectory(dir, Collections.unmodifiableMap(sums), Collections.unmodifiableMap(props));
  }

  public Path directory() {
    return dir;
  }

  /** The verified file {@code name}. */
  public Path file(String name) throws ModelFormatException {
    if (!checksums.containsKey(name)) {
      throw new ModelFormatException(dir + ": the model has no file '" + name + "' (it has " + checksums.keySet() + ")");
    }
    return dir.resolve(name);
  }

  public boolean has(String name) {
    return checksums.containsKey(name);
  }

  /** File names in the model, sorted. */
  public java.util.Set<String> files() {
    return new TreeSet<>(checksums.keySet());
  }

  /** A property, or {@code fallback} when absent. */
  public String property(String key, String fallback) {
    return properties.getOrDefault(key, fallback);
  }

  /** A property that must be present. */
  public String property(String key) throws ModelFormatException {
    String v = properties.get(key);
    if (v == null) {
      throw new ModelFormatException(dir.resolve(MANIFEST) + ": property '" + key + "' is missing");
    }
    return v;
  }

  public Map<String, String> properties() {
    return properties;
  }

  private static Path resolveInside(Path dir, String name) throws ModelFormatException {
    Path file = dir.resolve(name).normalize();
    if (name.isEmpty() || !file.startsWith(dir.normalize()) || file.equals(dir.normalize())) {
      throw new ModelFormatException(dir.resolve(MANIFEST) + ": file name '" + name + "' points outside the model directory");
    }
    return file;
  }

  static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** Starts writing a model to {@code target} (replaced atomically on {@link Builder#commit()}). */
  public static Builder create(Path target) throws IOException {
    return new Builder(target);
  }

  /** Collects a model's files in a staging directory, then publishes them in one move. */
  public static final class Builder implements AutoCloseable {
    private final Path target;
    private final Path staging;
    private final Map<String, String> properties = new TreeMap<>();
    private boolean committed;

    private Builder(Path target) throws IOException {
      this.target = target.toAbsolutePath().normalize();
      Path parent = this.target.getParent();
      Files.createDirectories(parent);
      this.staging = AtomicFiles.siblingDirectory(this.target, "staging");
    }

    /**
     * Where to write file {@code name}: a plain name, or {@code dir/name} for a file of a
     * sub-directory (created here), which the manifest lists and checks like any other file.
     */
    public Path path(String name) throws ModelFormatException {
      String[] parts = name.split("/", -1);
      for (String part : parts) {
        if (part.isEmpty() || part.contains("\\") || part.startsWith(".")) {
          throw new ModelFormatException("invalid model file name '" + name + "'");
        }
      }
      if (name.equals(MANIFEST)) {
        throw new ModelFormatException("invalid model file name '" + name + "' (the manifest is written on commit)");
      }
      Path file = staging.resolve(name);
      if (parts.length > 1) {
        try {
          Files.createDirectories(file.getParent());
        } catch (IOException e) {
          throw new ModelFormatException(file.getParent() + ": cannot create (" + e.getMessage() + ")", e);
        }
      }
      return file;
    }

    /**
     * Copies every file of the directory {@code source} (sub-directories included) into the
     * model under {@code name/}; a nested model keeps its own manifest, which this model's
     * manifest then checksums like the rest.
     */
    public Builder copyDirectory(Path source, String name) throws IOException {
      if (!Files.isDirectory(source)) {
        throw new NoSuchFileException(source + ": not a directory");
      }
      try (var walk = Files.walk(source)) {
        for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
          copy(f, name + "/" + relativeName(source, f));
        }
      }
      return this;
    }

    /** Writes a text file into the model. */
    public Builder writeText(String name, String text) throws IOException {
      Files.writeString(path(name), text, StandardCharsets.UTF_8);
      return this;
    }

    /** Copies an existing file into the model under {@code name}. */
    public Builder copy(Path source, String name) throws IOException {
      Files.copy(source, path(name), StandardCopyOption.REPLACE_EXISTING);
      return this;
    }

    public Builder property(String key, String value) {
      properties.put(key, value);
      return this;
    }

    /** Checksums every staged file, writes the manifest, and moves the model into place. */
    public void commit() throws IOException {
      Properties p = new Properties() {
        private static final long serialVersionUID = 1L;

        @Override
        public synchronized java.util.Set<Map.Entry<Object, Object>> entrySet() {
          // Sorted keys make manifests easy to read and to diff.
          java.util.Set<Map.Entry<Object, Object>> sorted = new java.util.TreeSet<>(
              (a, b) -> a.getKey().toString().compareTo(b.getKey().toString()));
          sorted.addAll(super.entrySet());
          return sorted;
        }
      };
      p.setProperty("format.version", Integer.toString(FORMAT_VERSION));
      try (var walk = Files.walk(staging)) {
        for (Path f : walk.filter(Files::isRegularFile).toList()) {
          p.setProperty("file." + relativeName(staging, f), sha256(f));
        }
      }
      properties.forEach((k, v) -> p.setProperty("prop." + k, v));
      Path manifest = staging.resolve(MANIFEST);
      try (Writer w = Files.newBufferedWriter(manifest, StandardCharsets.UTF_8)) {
        p.store(w, "Joule model");
      }
      Path old = null;
      if (Files.exists(target)) {
        old = AtomicFiles.siblingDirectory(target, "old");
        Files.delete(old);
        move(target, old);
      }
      move(staging, target);
      committed = true;
      if (old != null) {
        deleteTree(old);
      }
    }

    private static void move(Path from, Path to) throws IOException {
      try {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(from, to);
      }
    }

    /** Discards the staging directory unless the model was committed. */
    @Override
    public void close() throws IOException {
      if (!committed) {
        deleteTree(staging);
      }
    }
  }

  /** {@code file}'s path below {@code dir} with {@code /} between names, as the manifest writes it. */
  private static String relativeName(Path dir, Path file) {
    Path rel = dir.relativize(file);
    StringBuilder sb = new StringBuilder();
    for (Path part : rel) {
      sb.append(sb.length() == 0 ? "" : "/").append(part);
    }
    return sb.toString();
  }

  /** Deletes {@code dir} and everything under it (nothing when it does not exist). */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
