package dev.joule.engine.gpu;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;

import java.util.List;
import jcuda.driver.CUfunction;

/** One {@code __global__} function of a loaded {@link PtxModule}. */
public final class Kernel {
  private final GpuDevice device;
  private final CUfunction function;
  private final String name;
  // The parameter types its PTX declares; null where the PTX has a type launches cannot pass.
  private final List<KernelParamType> params;

  Kernel(GpuDevice device, CUfunction function, String name, List<KernelParamType> params) {
    this.device = device;
    this.function = function;
    this.name = name;
    this.params = params;
  }

  public String name() {
    return name;
  }

  /**
   * Queues the kernel on {@code stream}; returns without waiting for it to run.
   *
   * @throws IllegalArgumentException when {@code args} do not match the kernel's parameters in
   *     count and types, before anything is queued
   */
  public void launch(LaunchShape shape, CudaStream stream, KernelArgs args) {
    if (params != null) {
      args.requireMatches(name, params);
    }
    device.makeCurrent();
    CudaCheck.driver(
        cuLaunchKernel(
            function,
            shape.gridX(), shape.gridY(), shape.gridZ(),
            shape.blockX(), shape.blockY(), shape.blockZ(),
            shape.sharedBytes(),
            stream.handle(),
            args.toKernelParams(),
            null),
        "cuLaunchKernel(" + name + ")");
  }
}
