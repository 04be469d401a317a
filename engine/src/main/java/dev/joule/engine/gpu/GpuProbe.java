package dev.joule.engine.gpu;

import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuInit;

import com.sun.jna.NativeLibrary;
import java.util.Locale;
import jcuda.driver.CUresult;

/**
 * Finds out, once per process, whether a CUDA GPU can be used, and if not, why not.
 *
 * <p>Each step that can fail names its reason: the platform has no JCuda natives, no NVIDIA
 * driver is installed ({@code libcuda.so.1} absent), JCuda's native library will not load, the
 * driver will not initialise, or it reports no device. The probe never throws.
 */
public final class GpuProbe {

  /** The outcome: either {@code deviceCount > 0} or a reason there is no usable GPU. */
  public record Result(int deviceCount, String reason) {
    public boolean available() {
      return deviceCount > 0;
    }
  }

  /** Set the system property {@code joule.gpu=off} to act as if no GPU were present. */
  public static final String DISABLE_PROPERTY = "joule.gpu";

  private static Result cached;

  private GpuProbe() {}

  public static synchronized Result probe() {
    if (cached == null) {
      cached = run();
    }
    return cached;
  }

  private static Result run() {
    if ("off".equalsIgnoreCase(System.getProperty(DISABLE_PROPERTY, ""))) {
      return new Result(0, "GPU use disabled by -D" + DISABLE_PROPERTY + "=off");
    }
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "");
    if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      return new Result(0, "GPU support is built for Linux x86-64 only (this is " + os + "/" + arch + ")");
    }
    try {
      NativeLibrary.getInstance("libcuda.so.1");
    } catch (UnsatisfiedLinkError e) {
      return new Result(0, "no NVIDIA driver (libcuda.so.1 not found)");
    }
    try {
      int init = cuInit(0);
      if (init != CUresult.CUDA_SUCCESS) {
        return new Result(0, "the CUDA driver did not initialise: " + CUresult.stringFor(init));
      }
      int[] count = new int[1];
      int r = cuDeviceGetCount(count);
      if (r != CUresult.CUDA_SUCCESS) {
        return new Result(0, "cuDeviceGetCount failed: " + CUresult.stringFor(r));
      }
      if (count[0] == 0) {
        return new Result(0, "the CUDA driver reports no device");
      }
      return new Result(count[0], "");
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      return new Result(0, "cannot load JCuda's driver library: " + e.getMessage());
    }
  }
}
