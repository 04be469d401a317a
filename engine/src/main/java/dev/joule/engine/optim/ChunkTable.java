package dev.joule.engine.optim;

import dev.joule.engine.gpu.DeviceBuffer;
import dev.joule.engine.gpu.KernelArgs;

/**
 * The int32 table a many-tensor kernel of {@code native/cuda/nn.cu} reads, in one array so one
 * copy carries it: how tensors of the given sizes are cut into blocks' work, their sizes, and any
 * per-tensor constants, laid out as
 * <pre>  [chunk → tensor | chunk → first element | sizes | column 0 | column 1 | ...]</pre>
 * Chunk c covers elements [first, first + {@link #CHUNK}) of its tensor, clipped to the size.
 *
 * @param chunks the number of chunks (blocks' work items)
 * @param tensors the number of tensors
 * @param ints the table
 */
record ChunkTable(int chunks, int tensors, int[] ints) {
  /** Elements of one tensor that one block takes at a time. */
  static final int CHUNK = 16_384;

  /** The table for tensors of {@code sizes}, with {@code columns} per-tensor columns left at 0. */
  static ChunkTable of(int[] sizes, int columns) {
    long chunks = 0;
    for (int n : sizes) {
      chunks += (n + (long) CHUNK - 1) / CHUNK;
    }
    int c = Math.toIntExact(chunks);
    int[] ints = new int[Math.toIntExact(2 * chunks + (long) sizes.length * (1 + columns))];
    int at = 0;
    for (int p = 0; p < sizes.length; p++) {
      for (long s = 0; s < sizes[p]; s += CHUNK, at++) {
        ints[at] = p;
        ints[c + at] = (int) s;
      }
      ints[2 * c + p] = sizes[p];
    }
    return new ChunkTable(c, sizes.length, ints);
  }

  /** Sets column {@code column}'s value for {@code tensor}. */
  void set(int column, int tensor, int value) {
    ints[2 * chunks + tensors * (1 + column) + tensor] = value;
  }

  /** Sets column {@code column}'s value for {@code tensor} to a float's bits. */
  void set(int column, int tensor, float value) {
    set(column, tensor, Float.floatToRawIntBits(value));
  }

  /**
   * Appends the kernels' common leading arguments {@code (chunks, chunk, tensor[], first[], sizes[])}
   * read from {@code table}, a device copy of {@link #ints}.
   */
  KernelArgs appendHead(KernelArgs args, DeviceBuffer table) {
    return args.i32(chunks).i32(CHUNK).bufferAt(table, 0).bufferAt(table, 4L * chunks).bufferAt(table, 8L * chunks);
  }

  /** Appends a pointer to column {@code column} of {@code table}, a device copy of {@link #ints}. */
  KernelArgs appendColumn(KernelArgs args, DeviceBuffer table, int column) {
    return args.bufferAt(table, 4L * (2L * chunks + (long) tensors * (1 + column)));
  }
}
