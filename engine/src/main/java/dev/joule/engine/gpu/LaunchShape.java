package dev.joule.engine.gpu;

/** Grid and block dimensions plus dynamic shared memory for one kernel launch. */
public record LaunchShape(
    int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ, int sharedBytes) {

  /** Default threads per block for 1-D element-wise kernels. */
  // A whole number of warps: the warp-per-row kernels launched linearly rely on it.
  public static final int DEFAULT_BLOCK = 256;

  /** Grid cap for grid-stride kernels: enough blocks to fill any current GPU many times over. */
  static final int MAX_LINEAR_GRID = 65_535;

  public LaunchShape {
    if (gridX < 1 || gridY < 1 || gridZ < 1 || blockX < 1 || blockY < 1 || blockZ < 1) {
      throw new IllegalArgumentException("launch dimensions must be positive");
    }
    if ((long) blockX * blockY * blockZ > 1024) {
      throw new IllegalArgumentException("a block holds at most 1024 threads");
    }
    if (sharedBytes < 0) {
      throw new IllegalArgumentException("negative shared memory size");
    }
  }

  /**
   * {@code blocks} blocks of {@code blockX × blockY} threads for a kernel that loops over its
   * blocks' work grid-stride, the grid capped as in {@link #linear}.
   */
  public static LaunchShape gridStride(long blocks, int blockX, int blockY) {
    return new LaunchShape((int) Math.max(1, Math.min(blocks, MAX_LINEAR_GRID)), 1, 1, blockX, blockY, 1, 0);
  }

  /** A 1-D launch covering {@code n} elements with a grid-stride loop. */
  public static LaunchShape linear(long n) {
    long blocks = Math.max(1, (n + DEFAULT_BLOCK - 1) / DEFAULT_BLOCK);
    return new LaunchShape((int) Math.min(blocks, MAX_LINEAR_GRID), 1, 1, DEFAULT_BLOCK, 1, 1, 0);
  }
}
