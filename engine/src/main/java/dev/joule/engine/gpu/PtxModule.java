package dev.joule.engine.gpu;

import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;

/**
 * A CUDA module loaded from the PTX the build made of {@code native/cuda/NAME.cu} (packaged at
 * {@code dev/joule/engine/gpu/ptx/NAME.ptx}). The driver JIT-compiles it for the device on load.
 */
public final class PtxModule {
  static final String RESOURCE_DIR = "/dev/joule/engine/gpu/ptx/";

  private final GpuDevice device;
  private final CUmodule module;
  private final String name;
  private final Map<String, List<KernelParamType>> signatures;
  private final ConcurrentHashMap<String, Kernel> kernels = new ConcurrentHashMap<>();

  private PtxModule(GpuDevice device, CUmodule module, String name, Map<String, List<KernelParamType>> signatures) {
    this.device = device;
    this.module = module;
    this.name = name;
    this.signatures = signatures;
  }

  static PtxModule load(GpuDevice device, String name) {
    byte[] ptx = readPtx(name);
    device.makeCurrent();
    CUmodule module = new CUmodule();
    CudaCheck.driver(cuModuleLoadData(module, ptx), "cuModuleLoadData(" + name + ".ptx)");
    return new PtxModule(device, module, name, PtxSignatures.parse(ptx));
  }

  /** The PTX text of a bundled module, NUL-terminated as cuModuleLoadData expects. */
  static byte[] readPtx(String name) {
    try (InputStream in = PtxModule.class.getResourceAsStream(RESOURCE_DIR + name + ".ptx")) {
      if (in == null) {
        throw new GpuException(
            "PTX module '" + name + "' is not bundled: the build ran without nvcc;"
                + " install the CUDA toolkit and rebuild to use the GPU");
      }
      byte[] text = in.readAllBytes();
      return Arrays.copyOf(text, text.length + 1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read PTX module " + name, e);
    }
  }

  /** Whether the build bundled the PTX for module {@code name}. */
  public static boolean isBundled(String name) {
    return PtxModule.class.getResource(RESOURCE_DIR + name + ".ptx") != null;
  }

  /** The kernel named {@code kernelName} (its extern "C" name); looked up once and cached. */
  public Kernel kernel(String kernelName) {
    return kernels.computeIfAbsent(
        kernelName,
        k -> {
          device.makeCurrent();
          CUfunction f = new CUfunction();
          CudaCheck.driver(cuModuleGetFunction(f, module, k), "cuModuleGetFunction(" + name + "." + k + ")");
          return new Kernel(device, f, k, signatures.get(k));
        });
  }
}
