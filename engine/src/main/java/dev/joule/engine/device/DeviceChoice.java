package dev.joule.engine.device;

import java.util.Locale;

/**
 * What the user asked to run on: {@code auto} (a GPU when one is usable, else the CPU),
 * {@code cpu}, {@code gpu} (GPU 0) or {@code gpu:N}.
 *
 * @param kind the requested kind
 * @param gpuOrdinal which GPU for {@link Kind#GPU}; 0 otherwise
 */
public record DeviceChoice(Kind kind, int gpuOrdinal) {
  /** Where to compute. */
  public enum Kind {
    /** A GPU when one works, otherwise the CPU (saying so once). */
    AUTO,
    /** The CPU only. */
    CPU,
    /** The GPU numbered {@code gpuOrdinal}; failing when it cannot be used. */
    GPU
  }

  public static final DeviceChoice AUTO = new DeviceChoice(Kind.AUTO, 0);
  public static final DeviceChoice CPU = new DeviceChoice(Kind.CPU, 0);

  public DeviceChoice {
    if (gpuOrdinal < 0) {
      throw new IllegalArgumentException("GPU number must be >= 0, got " + gpuOrdinal);
    }
  }

  /**
   * Parses {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static DeviceChoice parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    switch (t) {
      case "auto":
        return AUTO;
      case "cpu":
        return CPU;
      case "gpu":
      case "cuda":
        return new DeviceChoice(Kind.GPU, 0);
      default:
        break;
    }
    if (t.startsWith("gpu:") || t.startsWith("cuda:")) {
      String n = t.substring(t.indexOf(':') + 1);
      try {
        return new DeviceChoice(Kind.GPU, Integer.parseInt(n));
      } catch (IllegalArgumentException e) {
        // falls through to the error below
      }
    }
    throw new IllegalArgumentException(
        "unknown device '" + text + "': use auto, cpu, gpu or gpu:N (N = 0, 1, ...)");
  }

  @Override
  public String toString() {
    return kind == Kind.GPU ? "gpu:" + gpuOrdinal : kind.name().toLowerCase(Locale.ROOT);
  }
}
