package dev.joule.engine.gpu;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jcuda.Pointer;

/**
 * Where GPU tensors of one device live: the device, the one stream every tensor op is queued on,
 * the op kernels, the cuBLAS handle, and the memory of tensors.
 *
 * <h2>Ordering</h2>
 * Every tensor op of a device is queued on {@link #stream()}, so ops run in the order the program
 * issued them, and copies from the host are queued there too. Nothing waits for the GPU except a
 * read of values back to the host ({@link GpuStorage#downloadFloats}).
 *
 * <h2>Memory</h2>
 * A tensor's memory is given back to the caching allocator when the {@link GpuStorage} behind it
 * becomes unreachable (a phantom reference, drained on every allocation). That can happen while
 * kernels that read it are still queued; it is safe because the only way the block is used again
 * is by a later op on the same stream, which runs after them. When the driver reports the device
 * full, any allocation on the device (a tensor's or another user's, such as the CTC-CRF
 * denominator's scratch) first asks the JVM to collect, gives back what became unreachable, and
 * tries again ({@link GpuDevice#allocate}), so garbage that the Java heap does not feel (it is
 * small on the heap) cannot exhaust the GPU.
 *
 * <p>Garbage collection alone frees late: a training step allocates gigabytes of device memory
 * but little Java heap, so the collector may not run for many steps. {@link #step()} bounds this:
 * memory allocated by the thread while a step is open is given back when the step closes, except
 * memory {@linkplain GpuStorage#pin() pinned} to outlive it (parameters and buffers moved with
 * {@code Tensor.moveTo}, optimiser state). A tensor of the step that is still used afterwards
 * (a gradient not zeroed, an activation kept) then fails with an exception naming the cause,
 * never reads memory that has been handed out again.
 *
 * <p>Issue the tensor ops of one device from one thread at a time: ops from two threads would
 * interleave on the one stream in an unspecified order.
 */
public final class GpuTensors {
  private static final Map<GpuDevice, GpuTensors> CONTEXTS = new ConcurrentHashMap<>();
  private static final long OUT_OF_MEMORY_WAIT_MS = 2_000;

  private final GpuDevice device;
  private final CudaStream stream;
  private final GpuOps ops;
  private final ReferenceQueue<GpuStorage> unreachable = new ReferenceQueue<>();
  private final Set<Reclaim> live = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
  private final ThreadLocal<Step> openStep = new ThreadLocal<>();

  private GpuTensors(GpuDevice device) {
    this.device = device;
    this.stream = device.newStream();
    this.ops = new GpuOps(device, stream);
    // Any allocation on the device that finds it full collects unreachable tensors first.
    device.onOutOfMemory(this::collectGarbage);
  }

  /** The tensor context of {@code device}, made on first use. */
  public static GpuTensors of(GpuDevice device) {
    return CONTEXTS.computeIfAbsent(device, GpuTensors::new);
  }

  public GpuDevice device() {
    return device;
  }

  public CudaStream stream() {
    return stream;
  }

  /** The launchers of the op kernels, on this context's stream. */
  public GpuOps ops() {
    return ops;
  }

  public Cublas cublas() {
    return stream.cublas();
  }

  /** A kernel of the bundled module {@code module} ({@code native/cuda/MODULE.cu}). */
  public Kernel kernel(String module, String name) {
    return device.module(module).kernel(name);
  }

  /** Queues {@code kernel} on this context's stream with one thread per element of {@code n}. */
  public void launchLinear(Kernel kernel, long n, KernelArgs args) {
    if (n > 0) {
      kernel.launch(LaunchShape.linear(n), stream, args);
    }
  }

  /** Uninitialised memory for {@code length} elements. */
  public GpuStorage allocate(GpuStorage.Kind kind, long length) {
    reclaimUnreachable();
    long bytes = Math.max(1, length) * 4;
    // When the device is full, GpuDevice.allocate runs collectGarbage and tries again.
    DeviceBuffer buffer = device.allocate(bytes);
    GpuStorage storage = new GpuStorage(this, buffer, kind, length);
    Reclaim reclaim = new Reclaim(storage, buffer, unreachable);
    storage.reclaim = reclaim;
    live.add(reclaim);
    Step step = openStep.get();
    if (step != null) {
      step.allocated.add(reclaim);
    }
    return storage;
  }

  /**
   * Opens a step on this thread: until {@link Step#close()}, the memory this thread allocates is
   * given back at the close unless pinned. Steps do not nest.
   */
  public Step step() {
    if (openStep.get() != null) {
      throw new IllegalStateException("a GPU tensor step is already open on this thread");
    }
    Step step = new Step();
    openStep.set(step);
    return step;
  }

  /** A training or inference step whose unpinned GPU memory is given back when it closes. */
  public final class Step implements AutoCloseable {
    private final List<Reclaim> allocated = new ArrayList<>();
    private boolean closed;

    private Step() {}

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      openStep.remove();
      for (Reclaim r : allocated) {
        if (!r.pinned) {
          r.releasedByStep = true;
          release(r);
        }
      }
      allocated.clear();
    }
  }

  /** Zero-filled memory for {@code length} elements. */
  public GpuStorage zeros(GpuStorage.Kind kind, long length) {
    GpuStorage s = allocate(kind, length);
    s.buffer().zero(stream);
    return s;
  }

  /** A copy of {@code host} on the device. */
  public GpuStorage upload(float[] host) {
    GpuStorage s = allocate(GpuStorage.Kind.FLOAT32, host.length);
    s.buffer().copyFromAsync(Pointer.to(host), 0, host.length, stream);
    return s;
  }

  /** A copy of {@code host} on the device. */
  public GpuStorage upload(int[] host) {
    GpuStorage s = allocate(GpuStorage.Kind.INT32, host.length);
    s.buffer().copyFromAsync(Pointer.to(host), 0, host.length, stream);
    return s;
  }

  /** Waits for every op queued so far; reports errors they raised. */
  public void synchronize() {
    stream.synchronize();
  }

  /** Bytes of tensor memory still reachable from Java, after giving back what is not. */
  public long bytesInUse() {
    reclaimUnreachable();
    return device.memoryInUse();
  }

  private void reclaimUnreachable() {
    Reference<? extends GpuStorage> r;
    while ((r = unreachable.poll()) != null) {
      release((Reclaim) r);
    }
  }

  /** Collects, then gives back what arrives on the queue until it stays quiet for a moment. */
  private void collectGarbage() {
    System.gc();
    long deadline = System.currentTimeMillis() + OUT_OF_MEMORY_WAIT_MS;
    try {
      while (System.currentTimeMillis() < deadline) {
        Reference<? extends GpuStorage> r = unreachable.remove(100);
        if (r == null) {
          break;
        }
        release((Reclaim) r);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reclaimUnreachable();
    // Blocks just given back may still be read by kernels queued on the stream: let them finish
    // before the cache hands its blocks back to the driver.
    stream.synchronize();
    device.memory().trim();
  }

  private void release(Reclaim r) {
    if (live.remove(r)) {
      r.buffer.close();
    }
  }

  /** Gives a storage's buffer back once the storage is unreachable (or its step has closed). */
  static final class Reclaim extends PhantomReference<GpuStorage> {
    final DeviceBuffer buffer;
    volatile boolean pinned;
    volatile boolean releasedByStep;

    Reclaim(GpuStorage storage, DeviceBuffer buffer, ReferenceQueue<GpuStorage> queue) {
      super(storage, queue);
      this.buffer = buffer;
    }
  }
}
