package dev.joule.engine.device;

import dev.joule.engine.gpu.GpuDevice;
import java.util.Optional;

/**
 * Where the engine computes: the CPU (the reference backend) or one GPU. Close it to release the
 * GPU's memory and context; closing the CPU device does nothing.
 */
public final class ComputeDevice implements AutoCloseable {
  private final GpuDevice gpu;
  private final int cpuThreads;

  private ComputeDevice(GpuDevice gpu, int cpuThreads) {
    this.gpu = gpu;
    this.cpuThreads = cpuThreads;
  }

  public static ComputeDevice cpu() {
    return new ComputeDevice(null, Runtime.getRuntime().availableProcessors());
  }

  static ComputeDevice gpu(GpuDevice gpu) {
    return new ComputeDevice(gpu, Runtime.getRuntime().availableProcessors());
  }

  public boolean isGpu() {
    return gpu != null;
  }

  /** The GPU, when this is one. */
  public Optional<GpuDevice> gpu() {
    return Optional.ofNullable(gpu);
  }

  /** Threads the CPU backend may use. */
  public int cpuThreads() {
    return cpuThreads;
  }

  @Override
  public void close() {
    if (gpu != null) {
      gpu.close();
    }
  }

  @Override
  public String toString() {
    return gpu != null ? gpu.toString() : "CPU (" + cpuThreads + " threads)";
  }
}
