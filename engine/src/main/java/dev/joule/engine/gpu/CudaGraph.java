package dev.joule.engine.gpu;

import static jcuda.driver.JCudaDriver.cuGraphDestroy;
import static jcuda.driver.JCudaDriver.cuGraphExecDestroy;
import static jcuda.driver.JCudaDriver.cuGraphInstantiate;
import static jcuda.driver.JCudaDriver.cuGraphLaunch;
import static jcuda.driver.JCudaDriver.cuStreamBeginCapture;
import static jcuda.driver.JCudaDriver.cuStreamEndCapture;

import jcuda.driver.CUgraph;
import jcuda.driver.CUgraphExec;
import jcuda.driver.CUstreamCaptureMode;

/**
 * A recorded sequence of GPU work replayed with one launch: what a recurrent network's thousands
 * of small per-step launches need, since queueing each one from the host costs more than running
 * it.
 *
 * <p>{@link #capture} runs {@code work} with the stream in capture mode: the kernels and cuBLAS
 * calls it queues (on that stream, or on other streams forked from it with
 * {@link CudaStream#waitFor} and joined back before it returns) are recorded, not run. The graph
 * replays exactly those launches with the same arguments and the same device addresses, so every
 * buffer the work touches must stay allocated, untouched by other work, for as long as the graph
 * is replayed; new inputs are written into the same buffers before a {@link #launch}. Host-side
 * values read during capture (scalars, shapes) are frozen. Device memory may be allocated inside
 * the work (capture runs in relaxed mode), and is then owned by whoever allocated it.
 */
public final class CudaGraph implements AutoCloseable {
  private final GpuDevice device;
  private final CUgraph graph;
  private final CUgraphExec exec;
  private boolean closed;

  private CudaGraph(GpuDevice device, CUgraph graph, CUgraphExec exec) {
    this.device = device;
    this.graph = graph;
    this.exec = exec;
  }

  /** Records what {@code work} queues on {@code stream}; nothing runs until {@link #launch}. */
  public static CudaGraph capture(CudaStream stream, Runnable work) {
    GpuDevice device = stream.device();
    device.makeCurrent();
    CudaCheck.driver(
        cuStreamBeginCapture(stream.handle(), CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_RELAXED),
        "cuStreamBeginCapture");
    CUgraph graph = new CUgraph();
    try {
      work.run();
    } catch (RuntimeException | Error e) {
      // End the capture so that the stream is usable again, then drop the partial graph.
      if (cuStreamEndCapture(stream.handle(), graph) == 0) {
        cuGraphDestroy(graph);
      }
      throw e;
    }
    CudaCheck.driver(cuStreamEndCapture(stream.handle(), graph), "cuStreamEndCapture");
    CUgraphExec exec = new CUgraphExec();
    int result = cuGraphInstantiate(exec, graph, 0);
    if (result != 0) {
      cuGraphDestroy(graph);
      CudaCheck.driver(result, "cuGraphInstantiate");
    }
    return new CudaGraph(device, graph, exec);
  }

  /** Queues one replay of the recorded work on {@code stream}. */
  public void launch(CudaStream stream) {
    if (closed) {
      throw new IllegalStateException("CUDA graph is closed");
    }
    device.makeCurrent();
    CudaCheck.driver(cuGraphLaunch(exec, stream.handle()), "cuGraphLaunch");
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      device.makeCurrent();
      CudaCheck.driver(cuGraphExecDestroy(exec), "cuGraphExecDestroy");
      CudaCheck.driver(cuGraphDestroy(graph), "cuGraphDestroy");
    }
  }
}
