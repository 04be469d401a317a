package dev.joule.bench;

import dev.joule.engine.ctccrf.DenGraph;
import dev.joule.engine.ctccrf.LogProbBatch;
import dev.joule.engine.ctccrf.SequencePosteriors;
import dev.joule.engine.gpu.CudaStream;
import dev.joule.engine.gpu.DeviceBuffer;
import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.gpu.Kernel;
import dev.joule.engine.gpu.KernelArgs;
import dev.joule.engine.gpu.LaunchShape;
import dev.joule.engine.gpu.PtxModule;

/**
 * The benchmark baseline: the den forward-backward with CAT's kernel layout
 * ({@code native/cuda/bench_den_cat_layout.cu}: one 1024-thread block per utterance, 32-slot
 * atomic log-add gradient, three launches per frame). Same results as Joule's GpuDenominator.
 */
final class CatLayoutDenominator implements AutoCloseable {
  private static final int BLOCK = 1024;
  private static final int SLOTS = 32;

  private final GpuDevice gpu;
  private final CudaStream stream;
  private final DenGraph graph;
  private final DeviceBuffer[] graphBuffers;
  private final PtxModule module;
  private final Kernel fill;

  CatLayoutDenominator(GpuDevice gpu, CudaStream stream, DenGraph graph) {
    this.gpu = gpu;
    this.stream = stream;
    this.graph = graph;
    DenGraph.Csr in = graph.byDestination();
    DenGraph.Csr out = graph.bySource();
    this.graphBuffers = new DeviceBuffer[] {
      gpu.upload(in.start()), gpu.upload(in.other()), gpu.upload(in.token()), gpu.uploadAsFloat(in.logProb()),
      gpu.upload(out.start()), gpu.upload(out.other()), gpu.upload(out.token()), gpu.uploadAsFloat(out.logProb()),
      gpu.uploadAsFloat(graph.finalLogProbArray())
    };
    this.module = gpu.module("bench_den_cat_layout");
    this.fill = gpu.module("elementwise").kernel("joule_fill_f32");
  }

  SequencePosteriors compute(LogProbBatch x) {
    int batch = x.batch();
    int states = graph.numStates();
    int tokens = x.tokens();
    int frames = x.maxFrames();
    DeviceBuffer[] g = graphBuffers;
    try (DeviceBuffer dx = gpu.upload(x.data());
        DeviceBuffer lengths = gpu.upload(x.lengths());
        DeviceBuffer alpha = gpu.allocate((long) batch * (frames + 1) * states * Float.BYTES);
        DeviceBuffer beta = gpu.allocate(2L * batch * states * Float.BYTES);
        DeviceBuffer slots = gpu.allocate((long) batch * tokens * SLOTS * Float.BYTES);
        DeviceBuffer logz = gpu.allocate((long) batch * Float.BYTES);
        DeviceBuffer occ = gpu.allocate((long) x.data().length * Float.BYTES)) {
      LaunchShape perUtterance = new LaunchShape(batch, 1, 1, BLOCK, 1, 1, 0);
      long slotCount = (long) batch * tokens * SLOTS;
      fill.launch(LaunchShape.linear(slotCount), stream, KernelArgs.of().i64(slotCount).f32(Float.NEGATIVE_INFINITY).buffer(slots));
      occ.zero(stream);
      module.kernel("joule_catlayout_alpha_init").launch(perUtterance, stream,
          KernelArgs.of().i32(states).i32(frames).i32(graph.start()).buffer(alpha));
      Kernel alphaStep = module.kernel("joule_catlayout_alpha");
      for (int t = 1; t <= frames; t++) {
        alphaStep.launch(perUtterance, stream, KernelArgs.of().i32(t).i32(states).i32(tokens).i32(frames).buffer(lengths)
            .buffer(g[0]).buffer(g[1]).buffer(g[2]).buffer(g[3]).buffer(dx).buffer(alpha));
      }
      module.kernel("joule_catlayout_logz").launch(perUtterance, stream,
          KernelArgs.of().i32(states).i32(frames).buffer(lengths).buffer(alpha).buffer(g[8]).buffer(logz));
      Kernel betaStep = module.kernel("joule_catlayout_beta");
      Kernel fold = module.kernel("joule_catlayout_fold");
      for (int t = frames; t >= 1; t--) {
        betaStep.launch(perUtterance, stream, KernelArgs.of().i32(t).i32(states).i32(tokens).i32(frames).buffer(lengths)
            .buffer(g[4]).buffer(g[5]).buffer(g[6]).buffer(g[7]).buffer(g[8]).buffer(dx).buffer(alpha).buffer(beta).buffer(slots));
        fold.launch(new LaunchShape(batch, 1, 1, 64, 1, 1, 0), stream,
            KernelArgs.of().i32(t).i32(tokens).i32(frames).buffer(lengths).buffer(logz).buffer(slots).buffer(occ));
      }
      stream.synchronize();
      float[] z = new float[batch];
      logz.copyTo(z);
      float[] o = new float[x.data().length];
      occ.copyTo(o);
      double[] logZ = new double[batch];
      for (int b = 0; b < batch; b++) {
        logZ[b] = z[b];
      }
      return new SequencePosteriors(logZ, o);
    }
  }

  @Override
  public void close() {
    for (DeviceBuffer b : graphBuffers) {
      b.close();
    }
  }
}
