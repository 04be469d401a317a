package dev.joule.engine.train;

import dev.joule.decoder.lm.phone.PhoneLmEstimator;
import dev.joule.decoder.search.DecoderOptions;
import dev.joule.decoder.search.ScoreMatrix;
import dev.joule.engine.am.AcousticModel;
import dev.joule.engine.am.AcousticModels;
import dev.joule.engine.autograd.GradMode;
import dev.joule.engine.ctccrf.CtcCrfCriterion;
import dev.joule.engine.ctccrf.CtcCrfLoss;
import dev.joule.engine.ctccrf.DenGraph;
import dev.joule.engine.ctccrf.DenGraphBuilder;
import dev.joule.engine.ctccrf.Denominator;
import dev.joule.engine.ctccrf.GpuCtcCrfLoss;
import dev.joule.engine.ctccrf.GpuDenominator;
import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.ctccrf.LogProbBatch;
import dev.joule.engine.model.ModelDirectory;
import dev.joule.engine.model.ModelLayout;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.optim.Adam;
import dev.joule.engine.optim.GradientClipping;
import dev.joule.engine.optim.LrSchedule;
import dev.joule.engine.tensor.Tensor;
import dev.joule.frontend.features.Cmvn;
import java.awt.AWTError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;

/**
 * Trains a CTC-CRF acoustic model on the CPU or a GPU: features and CMVN from the training data, the den
 * graph from its phone transcripts, then epochs of length-bucketed batches with SpecAugment, the
 * CTC-CRF loss, global-norm clipping and Adam with warm-up. After every epoch the dev loss and
 * dev phone error rate are measured; the model with the best dev loss is written to the model
 * directory, and training stops early after {@code patience} epochs without improvement.
 *
 * <p>Checkpoints are written every {@code train.checkpoint.steps} updates and at every epoch's
 * end. Everything random is a function of the seed and the position (batches of the seed and
 * epoch, SpecAugment of the seed, step and utterance, dropout of the seed and step), so a run
 * resumed from a checkpoint reaches bit-for-bit the weights of a run that never stopped (on the
 * CPU; on a GPU the same data order, masks and optimiser state are restored, but the kernels'
 * float32 sums may round differently).
 *
 * <p>On a GPU ({@link #Trainer(TrainingConfig, Tokens, Paths, Listener, GpuDevice)}) the model's
 * parameters live on the device, each batch is copied there once, the network's forward and
 * backward and Adam run on GPU tensors, and the CTC-CRF denominator runs on the GPU's kernels;
 * the loss value and the log-softmax output come back to the host once per step for the
 * numerator and the report.
 */
public final class Trainer {
  /** Where training writes: the model, and next to it a checkpoint, the log and the plot. */
  public record Paths(Path model, Path checkpoint, Path log, Path plot) {
    /** {@code exp/am} gives {@code exp/am.ckpt}, {@code exp/am.train.log}, {@code exp/am.training.png}. */
    public static Paths nextTo(Path model) {
      Path m = model.toAbsolutePath().normalize();
      String name = m.getFileName().toString();
      return new Paths(m, m.resolveSibling(name + ".ckpt"), m.resolveSibling(name + ".train.log"),
          m.resolveSibling(name + ".training.png"));
    }
  }

  /**
   * One training step's figures for a progress display.
   *
   * @param loss this batch's loss per output frame
   * @param framesPerSecond input frames trained per second in this run
   * @param etaSeconds estimated time left for the remaining epochs' steps
   */
  public record Progress(int epoch, int epochs, int batch, int batches, long step, double loss,
      double learningRate, double framesPerSecond, double etaSeconds) {}

  /** Receives what training reports. */
  public interface Listener {
    /** A line worth keeping (also written to the log file). */
    void message(String line);

    /** After every step (not logged). */
    default void progress(Progress p) {}
  }

  private final TrainingConfig config;
  private final Tokens tokens;
  private final Paths paths;
  private final Listener listener;
  private final GpuDevice gpu;

  /** Training on the CPU. */
  public Trainer(TrainingConfig config, Tokens tokens, Paths paths, Listener listener) {
    this(config, tokens, paths, listener, null);
  }

  /** Training on {@code gpu} ({@code null}: on the CPU). */
  public Trainer(TrainingConfig config, Tokens tokens, Paths paths, Listener listener, GpuDevice gpu) {
    this.config = config;
    this.tokens = tokens;
    this.paths = paths;
    this.listener = listener;
    this.gpu = gpu;
  }

  /**
   * Trains (or resumes training) until all epochs are done, early stopping, or {@code maxSteps}
   * updates in this run (0: no limit; a checkpoint is written when it stops there).
   *
   * @return the state reached ({@link TrainingState#finished} unless stopped by {@code maxSteps})
   * @throws TrainingException for bad data, a missing or mismatched checkpoint
   */
  public TrainingState run(Path trainDir, Path devDir, boolean resume, long maxSteps) throws IOException {
    if (resume && !Files.isDirectory(paths.checkpoint())) {
      throw new TrainingException(paths.checkpoint() + ": no checkpoint to resume from (start without --resume)");
    }
    if (!resume && Files.exists(paths.checkpoint())) {
      throw new TrainingException(paths.checkpoint() + ": a checkpoint of an earlier run is there; "
          + "continue it with --resume, or remove it to start afresh");
    }
    Files.createDirectories(paths.model().getParent());
    log("training " + config.am().getProperty("arch") + " from " + config.source() + (resume ? " (resuming)" : ""));
    // The model first: a wrong architecture or setting fails before minutes of loading data.
    Properties amConfig = (Properties) config.am().clone();
    amConfig.setProperty("input.dim", Integer.toString(config.fbank().dim()));
    amConfig.setProperty("tokens", Integer.toString(tokens.size()));
    AcousticModel model;
    try {
      model = AcousticModels.createChecked(amConfig, new Random(config.seed()));
    } catch (IllegalArgumentException e) {
      throw new TrainingException(config.source() + ": " + e.getMessage(), e);
    }
    log(model.parameterCount() + " parameters");
    TrainingSet train = TrainingSet.load(trainDir, tokens, config.fbank(), config.maxFrames());
    TrainingSet dev = TrainingSet.load(devDir, tokens, config.fbank(), config.maxFrames());
    String fingerprint = train.fingerprint();
    Cmvn cmvn = train.statistics();
    train.normalise(cmvn);
    dev.normalise(cmvn);
    log(String.format(Locale.ROOT, "train: %d utterances, %.2f h (%d left out); dev: %d utterances",
        train.examples().size(), train.totalFrames() * config.fbank().frameShiftMs() / 3.6e6, train.leftOut(),
        dev.examples().size()));
    PhoneLmEstimator lm = new PhoneLmEstimator(config.denOrder(), config.denNoPruneOrder(), config.denMinCount());
    train.examples().forEach(e -> lm.add(e.labels()));
    DenGraph den = DenGraphBuilder.build(lm.estimate(), tokens.size());
    log("den graph: " + den.numStates() + " states, " + den.numArcs() + " arcs");

    Adam adam = Adam.adam(model.parameters().values(), config.lr());
    TrainingState state = resume ? Checkpoint.load(paths.checkpoint(), model, adam) : new TrainingState();
    if (!resume) {
      state.data = fingerprint;
    } else if (!state.data.equals(fingerprint)) {
      throw new TrainingException(paths.checkpoint() + ": trained on other data (" + state.data + ") than " + trainDir
          + " holds now (" + fingerprint + "); resume with the same data and feature settings");
    } else {
      log("resumed at step " + state.step + " (epoch " + (state.epoch + 1) + ", batch " + state.batch + ")");
    }
    GpuTensors tensors = null;
    if (gpu != null) {
      tensors = GpuTensors.of(gpu);
      model.moveTo(tensors);
      log("training on " + gpu);
    }
    try (Run run = new Run(model, adam, den, cmvn, train, dev, tensors)) {
      run.train(state, maxSteps);
    }
    return state;
  }

  /** One run of the loop with everything it needs. */
  private final class Run implements AutoCloseable {
    private final AcousticModel model;
    private final Adam adam;
    private final DenGraph den;
    private final Cmvn cmvn;
    private final TrainingSet train;
    private final TrainingSet dev;
    private final GpuTensors gpuTensors;
    private final GpuDenominator gpuDenominator;
    private final CtcCrfLoss loss;
    private final CtcCrfCriterion criterion;
    private final LrSchedule schedule;
    private final long started = System.nanoTime();
    private long stepsThisRun;
    private long framesThisRun;
    private boolean plotUnavailable;

    Run(AcousticModel model, Adam adam, DenGraph den, Cmvn cmvn, TrainingSet train, TrainingSet dev, GpuTensors gpuTensors) {
      this.model = model;
      this.adam = adam;
      this.den = den;
      this.cmvn = cmvn;
      this.train = train;
      this.dev = dev;
      this.gpuTensors = gpuTensors;
      this.gpuDenominator = gpuTensors == null ? null : new GpuDenominator(gpuTensors.device(), gpuTensors.stream(), den);
      this.loss = new CtcCrfLoss(gpuDenominator != null ? gpuDenominator : new Denominator(den), config.lambda());
      // On a GPU the step's loss stays on the device; dev-set evaluation reads the scores anyway.
      this.criterion = gpuDenominator != null
          ? new CtcCrfCriterion(new GpuCtcCrfLoss(gpuTensors, gpuDenominator, config.lambda()))
          : new CtcCrfCriterion(loss);
      this.schedule = LrSchedule.warmupExponentialDecay(config.lr(), config.warmupSteps(), config.lrDecayRate(),
          config.lrDecaySteps(), config.lrMin());
    }

    void train(TrainingState state, long maxSteps) throws IOException {
      int[] lengths = train.lengths();
      long epochStart = System.nanoTime();
      while (!state.finished) {
        List<int[]> batches = Batching.epoch(lengths, config.batchFrames(), config.batchUtterances(), config.seed(), state.epoch);
        while (state.batch < batches.size()) {
          if (maxSteps > 0 && stepsThisRun >= maxSteps) {
            Checkpoint.save(paths.checkpoint(), model, adam, state);
            log("stopped after " + stepsThisRun + " steps (step " + state.step + "); checkpoint written");
            return;
          }
          double batchLoss = step(state, batches.get(state.batch));
          state.batch++;
          state.step++;
          stepsThisRun++;
          long remaining = (batches.size() - state.batch) + (long) (config.epochs() - state.epoch - 1) * batches.size();
          double elapsed = (System.nanoTime() - started) / 1e9;
          listener.progress(new Progress(state.epoch + 1, config.epochs(), state.batch, batches.size(), state.step,
              batchLoss, adam.learningRate(), framesThisRun / elapsed, remaining * elapsed / stepsThisRun));
          if (state.step % config.checkpointSteps() == 0) {
            Checkpoint.save(paths.checkpoint(), model, adam, state);
          }
        }
        endEpoch(state, (System.nanoTime() - epochStart) / 1e9);
        epochStart = System.nanoTime();
      }
    }

    /** One update; returns the batch's loss per output frame. */
    private double step(TrainingState state, int[] batch) {
      List<TrainingSet.Example> examples = train.examples();
      Minibatch mb = Minibatch.of(examples, batch, i -> config.specAugment() == null ? examples.get(batch[i]).features()
          : config.specAugment().apply(examples.get(batch[i]).features(), seed(config.seed(), state.step, batch[i])));
      int b = mb.size();
      int[] lens = mb.lengths();
      model.train(true);
      model.reseed(seed(config.seed(), state.step, -1));
      CtcCrfLoss.Summary loss;
      // On a GPU, the step's activations and gradients go back to the device's memory at its end.
      try (GpuTensors.Step onGpu = model.gpuStep()) {
        Tensor out = model.forward(onDevice(mb.input()), lens);
        int[] outLens = outputLengths(lens);
        CtcCrfCriterion.Output o = criterion.forward(out, outLens, mb.labels(), mb.ids());
        Ops.scale(o.total(), 1.0 / b).backward();
        // Read inside the step (the device path's values live in it), and before the update, so
        // log-probs the loss refuses stop training before they change the weights.
        loss = o.details();
        double norm = GradientClipping.clipByGlobalNorm(model.parameters().values(), config.clipNorm());
        if (Double.isFinite(norm)) {
          adam.setLearningRate(schedule.at(Math.toIntExact(state.step + 1)));
          adam.step();
        } else {
          log("step " + (state.step + 1) + ": gradient norm " + norm + "; update skipped");
        }
        adam.zeroGrad();
      }
      state.epochLoss += loss.total();
      state.epochFrames += loss.frames();
      for (int len : lens) {
        framesThisRun += len;
      }
      return loss.frames() == 0 ? Double.NaN : loss.total() / loss.frames();
    }

    /** The batch on the training device (a copy off the tape on a GPU). */
    private Tensor onDevice(Tensor input) {
      return gpuTensors == null ? input : GradMode.withoutGrad(() -> input.toGpu(gpuTensors));
    }

    @Override
    public void close() {
      if (gpuDenominator != null) {
        gpuDenominator.close();
      }
    }

    private int[] outputLengths(int[] lens) {
      int[] out = new int[lens.length];
      for (int i = 0; i < lens.length; i++) {
        out[i] = model.outputLength(lens[i]);
      }
      return out;
    }

    private void endEpoch(TrainingState state, double trainSeconds) throws IOException {
      long t0 = System.nanoTime();
      double[] devResult = evaluate();
      double trainLoss = state.epochFrames == 0 ? Double.NaN : state.epochLoss / state.epochFrames;
      EpochStats stats = new EpochStats(state.epoch + 1, trainLoss, devResult[0], devResult[1], adam.learningRate(),
          trainSeconds + (System.nanoTime() - t0) / 1e9);
      state.history.add(stats);
      log(stats.toString());
      if (devResult[0] < state.bestDevLoss) {
        state.bestDevLoss = devResult[0];
        state.bestEpoch = stats.epoch();
        state.badEpochs = 0;
        writeModel(stats);
        log("best dev loss so far: model written to " + paths.model());
      } else {
        state.badEpochs++;
      }
      state.epoch++;
      state.batch = 0;
      state.epochLoss = 0;
      state.epochFrames = 0;
      if (state.badEpochs >= config.patience()) {
        state.finished = true;
        log("early stop: no better dev loss for " + state.badEpochs + " epochs; best was epoch " + state.bestEpoch);
      } else if (state.epoch >= config.epochs()) {
        state.finished = true;
        log("done: " + config.epochs() + " epochs; best dev loss at epoch " + state.bestEpoch);
      }
      Checkpoint.save(paths.checkpoint(), model, adam, state);
      writePlot(state.history);
    }

    /**
     * Draws the loss plot, unless this Java runtime cannot: a headless server without the font
     * libraries AWT loads (libfreetype, libharfbuzz) fails on the first text drawn. The plot only
     * repeats what the log holds, so training goes on without it, and says so once.
     */
    private void writePlot(List<EpochStats> history) throws IOException {
      if (plotUnavailable) {
        return;
      }
      try {
        TrainingPlot.write(history, paths.plot());
      } catch (LinkageError | AWTError | InternalError e) {
        plotUnavailable = true;
        log("loss plot not drawn: this Java runtime cannot draw text (" + e + "); the figures are in this log");
      }
    }

    /** Dev loss per output frame and dev phone error rate. */
    private double[] evaluate() {
      model.train(false);
      List<TrainingSet.Example> examples = dev.examples();
      ScoreMatrix[] scores = new ScoreMatrix[examples.size()];
      double total = 0;
      long frames = 0;
      for (int[] batch : Batching.epoch(dev.lengths(), config.batchFrames(), config.batchUtterances(), 0, 0)) {
        Minibatch mb = Minibatch.of(examples, batch, i -> examples.get(batch[i]).features());
        int b = mb.size();
        int[] lens = mb.lengths();
        float[] flat;
        int v;
        int t;
        try (GpuTensors.Step onGpu = model.gpuStep()) {
          Tensor out = GradMode.withoutGrad(() -> model.forward(onDevice(mb.input()), lens));
          v = out.dim(2);
          t = out.dim(1);
          flat = out.toFloatArray();
        }
        int[] outLens = outputLengths(lens);
        CtcCrfLoss.Result r = loss.compute(new LogProbBatch(flat, b, t, v, outLens), mb.labels(), mb.ids());
        total += r.total();
        frames += r.frames();
        for (int i = 0; i < b; i++) {
          float[] one = Arrays.copyOfRange(flat, i * t * v, (i * t + outLens[i]) * v);
          scores[batch[i]] = ScoreMatrix.of(one, outLens[i], v);
        }
      }
      PhoneRecognizer recognizer = new PhoneRecognizer(den, DecoderOptions.DEFAULTS.withNbest(1));
      List<int[]> hyps = recognizer.recognise(List.of(scores), Runtime.getRuntime().availableProcessors());
      long edits = 0;
      long refs = 0;
      for (int i = 0; i < examples.size(); i++) {
        edits += EditDistance.between(examples.get(i).labels(), hyps.get(i));
        refs += examples.get(i).labels().length;
      }
      model.train(true);
      return new double[] {frames == 0 ? Double.NaN : total / frames, refs == 0 ? 0 : (double) edits / refs};
    }

    private void writeModel(EpochStats stats) throws IOException {
      try (ModelDirectory.Builder b = ModelDirectory.create(paths.model())) {
        AcousticModels.save(model, b);
        b.writeText(ModelLayout.FBANK_CONFIG, config.fbank().toString().replace(" --", "\n--") + "\n");
        cmvn.save(b.path(ModelLayout.CMVN));
        b.copy(tokens.file(), ModelLayout.TOKENS);
        den.write(b.path(ModelLayout.DEN_GRAPH));
        b.property("arch", model.config().getProperty("arch"));
        b.property("cmvn", "global, means and variances");
        b.property("trained.epoch", Integer.toString(stats.epoch()));
        b.property("dev.loss", Double.toString(stats.devLoss()));
        b.property("dev.per", Double.toString(stats.devPer()));
        b.commit();
      }
    }
  }

  /** A seed for (run seed, step, utterance): distinct streams for each, reproducible on resume. */
  static long seed(long seed, long step, long utterance) {
    long h = seed * 0x9E3779B97F4A7C15L + step;
    h = h * 0xC2B2AE3D27D4EB4FL + utterance;
    return h ^ (h >>> 31);
  }

  private void log(String line) {
    listener.message(line);
    try {
      Files.writeString(paths.log(), Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + line + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      listener.message("cannot write " + paths.log() + ": " + e.getMessage());
    }
  }
}
