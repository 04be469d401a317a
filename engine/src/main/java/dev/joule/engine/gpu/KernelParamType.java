package dev.joule.engine.gpu;

/**
 * The C type class of one kernel parameter, as far as a launch can tell it: what its bytes mean
 * and how many there are. PTX declares a pointer and a {@code long long} alike ({@code .u64}), so
 * they share a class; an {@code int} and a {@code float} are both four bytes but differ here.
 */
enum KernelParamType {
  /** {@code long long} or a pointer ({@code .u64}, {@code .s64}, {@code .b64}). */
  WORD64("64-bit integer or pointer"),
  /** {@code int} or {@code unsigned} ({@code .u32}, {@code .s32}, {@code .b32}). */
  INT32("32-bit integer"),
  FLOAT32("float"),
  FLOAT64("double");

  private final String description;

  KernelParamType(String description) {
    this.description = description;
  }

  /** The class of a PTX parameter type such as {@code u64} (without the dot), or null if none fits. */
  static KernelParamType ofPtx(String ptxType) {
    return switch (ptxType) {
      case "u64", "s64", "b64" -> WORD64;
      case "u32", "s32", "b32" -> INT32;
      case "f32" -> FLOAT32;
      case "f64" -> FLOAT64;
      default -> null;
    };
  }

  @Override
  public String toString() {
    return description;
  }
}
