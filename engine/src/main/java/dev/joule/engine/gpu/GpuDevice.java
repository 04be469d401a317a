package dev.joule.engine.gpu;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;

/**
 * One CUDA device, used through its primary context (the context the CUDA runtime and cuBLAS
 * share). Owns the device-memory cache, the loaded PTX modules and a default stream.
 *
 * <p>Thread-safe: every operation first makes the primary context current on the calling
 * thread. Close it to release the streams, cached memory and the context reference.
 */
public final class GpuDevice implements AutoCloseable {
  private final int ordinal;
  private final CUdevice device = new CUdevice();
  private final CUcontext context = new CUcontext();
  private final String name;
  private final int computeMajor;
  private final int computeMinor;
  private final long totalMemory;
  private final CachingAllocator<CUdeviceptr> memory;
  private final ConcurrentHashMap<String, PtxModule> modules = new ConcurrentHashMap<>();
  private final CudaStream defaultStream;
  private final List<Runnable> reclaimers = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private GpuDevice(int ordinal) {
    this.ordinal = ordinal;
    CudaCheck.driver(cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
    CudaCheck.driver(cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
    makeCurrent();
    byte[] raw = new byte[256];
    CudaCheck.driver(cuDeviceGetName(raw, raw.length, device), "cuDeviceGetName");
    this.name = cString(raw);
    this.computeMajor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
    this.computeMinor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
    long[] total = new long[1];
    CudaCheck.driver(cuDeviceTotalMem(total, device), "cuDeviceTotalMem");
    this.totalMemory = total[0];
    this.memory = new CachingAllocator<>(new DriverAllocator());
    this.defaultStream = new CudaStream(this);
  }

  /**
   * Opens device {@code ordinal}.
   *
   * @throws GpuUnavailableException when there is no usable GPU (the message says why)
   */
  public static GpuDevice open(int ordinal) {
    GpuProbe.Result probe = GpuProbe.probe();
    if (!probe.available()) {
      throw new GpuUnavailableException(probe.reason());
    }
    if (ordinal < 0 || ordinal >= probe.deviceCount()) {
      throw new GpuUnavailableException(
          "no GPU " + ordinal + ": this machine has " + probe.deviceCount() + " (numbered from 0)");
    }
    return new GpuDevice(ordinal);
  }

  /** Makes this device's primary context current on the calling thread. */
  public void makeCurrent() {
    if (closed) {
      throw new IllegalStateException("GPU " + ordinal + " has been closed");
    }
    CudaCheck.driver(cuCtxSetCurrent(context), "cuCtxSetCurrent");
  }

  public int ordinal() {
    return ordinal;
  }

  public String name() {
    return name;
  }

  /** Compute capability, e.g. "9.0" for an H100. */
  public String computeCapability() {
    return computeMajor + "." + computeMinor;
  }

  /** Streaming multiprocessors on the device. */
  public int multiprocessorCount() {
    return attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
  }

  /** Peak SM clock in kHz. */
  public int clockRateKHz() {
    return attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_CLOCK_RATE);
  }

  public long totalMemoryBytes() {
    return totalMemory;
  }

  /** Device memory free now, as the driver reports it (all processes' allocations counted). */
  public long freeMemoryBytes() {
    makeCurrent();
    long[] free = new long[1];
    long[] total = new long[1];
    CudaCheck.driver(jcuda.driver.JCudaDriver.cuMemGetInfo(free, total), "cuMemGetInfo");
    return free[0];
  }

  /** Device memory Joule has lent out of its cache right now, in bytes. */
  public long memoryInUse() {
    return memory.bytesInUse();
  }

  /**
   * A device buffer of at least {@code bytes}, from the caching allocator. When the device is
   * full, the registered {@linkplain #onOutOfMemory reclaimers} run and the allocation is tried
   * once more, so memory held by unreachable GPU tensors is given back to every user of the
   * device (the CTC-CRF denominator's scratch as well as tensors), not only to tensor allocations.
   */
  public DeviceBuffer allocate(long bytes) {
    makeCurrent();
    try {
      return new DeviceBuffer(this, memory.allocate(bytes), bytes);
    } catch (GpuOutOfMemoryException full) {
      if (reclaimers.isEmpty()) {
        throw full;
      }
      reclaimers.forEach(Runnable::run);
      makeCurrent();
      return new DeviceBuffer(this, memory.allocate(bytes), bytes);
    }
  }

  /**
   * Registers {@code reclaimer}, run by {@link #allocate} when the device is full, to give back
   * memory that is no longer needed ({@link GpuTensors} collects its unreachable tensors).
   */
  void onOutOfMemory(Runnable reclaimer) {
    reclaimers.add(reclaimer);
  }

  /** A device buffer holding a copy of {@code host}. */
  public DeviceBuffer upload(float[] host) {
    DeviceBuffer b = allocate((long) host.length * Float.BYTES);
    b.copyFrom(host);
    return b;
  }

  /** A float32 device buffer holding {@code host} rounded to float (the kernels compute in float32). */
  public DeviceBuffer uploadAsFloat(double[] host) {
    float[] rounded = new float[host.length];
    for (int i = 0; i < host.length; i++) {
      rounded[i] = (float) host[i];
    }
    return upload(rounded);
  }

  /** A device buffer holding a copy of {@code host}. */
  public DeviceBuffer upload(int[] host) {
    DeviceBuffer b = allocate((long) host.length * Integer.BYTES);
    b.copyFrom(host);
    return b;
  }

  CachingAllocator<CUdeviceptr> memory() {
    return memory;
  }

  /**
   * Caps the device memory Joule takes from this GPU at once ({@code 0}: no cap but the card's),
   * for sharing a card; a request past it fails with {@link GpuOutOfMemoryException}.
   */
  public void limitMemory(long bytes) {
    memory.limit(bytes);
  }

  /** The most device memory Joule has held at once on this GPU, in bytes. */
  public long peakMemoryInUse() {
    return memory.peakBytesInUse();
  }

  /** Allocator statistics: bytes lent out, cached for reuse, and the peak lent. */
  public String memoryReport() {
    return String.format(
        "in use %,d B, cached %,d B, peak %,d B, driver allocations %d",
        memory.bytesInUse(), memory.bytesCached(), memory.peakBytesInUse(), memory.rawAllocations());
  }

  /** The stream used when a caller names none. */
  public CudaStream defaultStream() {
    return defaultStream;
  }

  public CudaStream newStream() {
    return new CudaStream(this);
  }

  /** The bundled PTX module {@code name} (from {@code native/cuda/NAME.cu}), loaded once. */
  public PtxModule module(String name) {
    return modules.computeIfAbsent(name, n -> PtxModule.load(this, n));
  }

  /** Waits for all work on the device. */
  public void synchronize() {
    makeCurrent();
    CudaCheck.driver(jcuda.driver.JCudaDriver.cuCtxSynchronize(), "cuCtxSynchronize");
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    makeCurrent();
    defaultStream.close();
    memory.trim();
    closed = true;
    CudaCheck.driver(cuDevicePrimaryCtxRelease(device), "cuDevicePrimaryCtxRelease");
  }

  @Override
  public String toString() {
    return String.format(
        "GPU %d: %s (compute %s, %.1f GiB)", ordinal, name, computeCapability(), totalMemory / (double) (1L << 30));
  }

  private int attribute(int attribute) {
    int[] value = new int[1];
    CudaCheck.driver(cuDeviceGetAttribute(value, attribute, device), "cuDeviceGetAttribute");
    return value[0];
  }

  private static String cString(byte[] raw) {
    int n = 0;
    while (n < raw.length && raw[n] != 0) {
      n++;
    }
    return new String(raw, 0, n, StandardCharsets.US_ASCII);
  }

  /** cuMemAlloc/cuMemFree, the slow path behind the cache. */
  private final class DriverAllocator implements CachingAllocator.Backend<CUdeviceptr> {
    @Override
    public CUdeviceptr allocate(long bytes) {
      CUdeviceptr p = new CUdeviceptr();
      CudaCheck.driver(cuMemAlloc(p, bytes), "cuMemAlloc(" + bytes + " bytes)");
      return p;
    }

    @Override
    public void free(CUdeviceptr block) {
      CudaCheck.driver(cuMemFree(block), "cuMemFree");
    }
  }
}
