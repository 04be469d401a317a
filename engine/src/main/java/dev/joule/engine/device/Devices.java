package dev.joule.engine.device;

import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.gpu.GpuException;
import dev.joule.engine.gpu.GpuProbe;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/** Turns a {@link DeviceChoice} into a {@link ComputeDevice}. */
public final class Devices {
  private static final Logger LOG = System.getLogger(Devices.class.getName());
  private static final AtomicBoolean FALLBACK_REPORTED = new AtomicBoolean();

  private Devices() {}

  /**
   * Opens the chosen device. {@code auto} takes GPU 0 when it is usable and otherwise the CPU,
   * saying why once per process; {@code gpu} fails when no GPU can be used.
   *
   * @throws dev.joule.engine.gpu.GpuUnavailableException for {@code gpu} without a usable GPU
   */
  public static ComputeDevice open(DeviceChoice choice) {
    switch (choice.kind()) {
      case CPU:
        return ComputeDevice.cpu();
      case GPU:
        return ComputeDevice.gpu(GpuDevice.open(choice.gpuOrdinal()));
      case AUTO:
      default:
        GpuProbe.Result probe = GpuProbe.probe();
        if (!probe.available()) {
          reportFallback(probe.reason());
          return ComputeDevice.cpu();
        }
        try {
          return ComputeDevice.gpu(GpuDevice.open(0));
        } catch (GpuException e) {
          reportFallback(e.getMessage());
          return ComputeDevice.cpu();
        }
    }
  }

  private static void reportFallback(String reason) {
    if (FALLBACK_REPORTED.compareAndSet(false, true)) {
      LOG.log(Level.INFO, "no usable GPU (" + reason + "); running on the CPU");
    }
  }
}
