package dev.joule.engine.gpu;

import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Makes JCublas 12.6 loadable where only CUDA 13's {@code libcublas.so.13} is installed.
 *
 * <p>JCublas's native library needs {@code libcublas.so.12}. Where the dynamic loader cannot find
 * one, this loads the bundled shim ({@code native/cublas-compat}): a library with that soname
 * whose functions jump to {@code libcublas.so.13}. Once a library with soname
 * {@code libcublas.so.12} is loaded, the loader uses it to satisfy JCublas's dependency. Must run
 * before the first JCublas2 call.
 */
public final class CublasCompat {
  static final String RESOURCE = "/dev/joule/engine/gpu/native/libcublas.so.12";

  private static String outcome;

  private CublasCompat() {}

  /**
   * Ensures a {@code libcublas.so.12} is loaded; returns a short description of which one.
   *
   * @throws GpuException when neither a system libcublas.so.12 nor the shim can be loaded
   */
  public static synchronized String ensureLoaded() {
    if (outcome != null) {
      return outcome;
    }
    if (systemHas("libcublas.so.12")) {
      outcome = "system libcublas.so.12";
      return outcome;
    }
    Path shim = extractShim();
    System.load(shim.toString());
    outcome = "libcublas.so.12 shim over libcublas.so.13 (" + shim + ")";
    return outcome;
  }

  /** Copies the bundled shim to a private temporary file (the loader needs a real file). */
  static Path extractShim() {
    try (InputStream in = CublasCompat.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new GpuException(
            "no libcublas.so.12 on this machine and the compatibility shim is not bundled"
                + " (build native/ with `make -C native cublas-compat`)");
      }
      Path dir = Files.createTempDirectory("joule-cublas");
      Path file = dir.resolve("libcublas.so.12");
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      file.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the cuBLAS compatibility shim", e);
    }
  }

  private static boolean systemHas(String soname) {
    try {
      NativeLibrary.getInstance(soname);
      return true;
    } catch (UnsatisfiedLinkError e) {
      return false;
    }
  }
}
