package dev.joule.engine.ctccrf;

import dev.joule.engine.gpu.DeviceBuffer;

/** Argument checks of the forward-backwards' device-resident entry points. */
final class DeviceBuffers {
  private DeviceBuffers() {}

  /** Refuses {@code buffer} when it is smaller than the {@code bytes} a kernel will touch. */
  static void requireBytes(String what, DeviceBuffer buffer, long bytes) {
    if (buffer.bytes() < bytes) {
      throw new IllegalArgumentException(what + ": device buffer of " + buffer.bytes() + " bytes; the batch needs " + bytes);
    }
  }
}
