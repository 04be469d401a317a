package dev.joule.engine.gpu;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;

import jcuda.driver.CUfunction;

/** One {@code __global__} function of a loaded {@link PtxModule}. */
public final class Kernel {
  private final GpuDevice device;
  private final CUfunction function;
  private final String name;

  Kernel(GpuDevice device, CUfunction function, String name) {
    this.device = device;
    this.function = function;
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** Queues the kernel on {@code stream}; returns without waiting for it to run. */
  public void launch(LaunchShape shape, CudaStream stream, KernelArgs args) {
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
