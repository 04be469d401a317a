package dev.joule.engine.trf;

import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.io.ParameterFile;
import dev.joule.engine.optim.Adam;
import dev.joule.engine.optim.GradientClipping;
import dev.joule.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Trains a {@link TrfModel} by noise-contrastive estimation. Each step takes {@code batch}
 * training sentences (in shuffled passes over the data) and updates φ's parameters and ζ together
 * with Adam. A step whose gradient norm is not finite is skipped, not applied. Two objectives:
 *
 * <ul>
 *   <li>NCE ({@link NceLoss}) against a fixed noise (the n-gram {@link NoiseModel}), {@code ν·batch}
 *       fresh noise sentences per step;
 *   <li>dynamic NCE ({@link DnceLoss}, {@link DynamicNce}) against a trainable {@link LstmNoiseLm},
 *       which takes one maximum-likelihood step on the same batch after the TRF's step.
 * </ul>
 *
 * <p>Checkpoints (the model directory) carry a {@link TrainingRecord}: the settings, the
 * step, the optimiser moments and, for DNCE, the noise LSTM and its optimiser, so {@link #resume}
 * continues a run. The data order is replayed from the seed; DNCE reseeds the noise sampler from
 * the seed and the step, so a resumed DNCE run is the uninterrupted one exactly. The n-gram's
 * sampler of NCE keeps one generator for the whole run, so a resumed NCE run draws other noise.
 */
public final class TrfTrainer {
  /**
   * Settings.
   *
   * @param steps the TRF's optimiser steps (DNCE's noise warm-up steps come on top)
   * @param batch data sentences per step
   * @param noiseRatio ν, noise sentences per data sentence (per interpolated sentence in DNCE)
   * @param learningRate Adam's step size, for φ and ζ alike
   * @param clipNorm global gradient-norm limit
   * @param seed shuffling seed (the n-gram noise model has its own generator)
   * @param logEvery report progress every this many steps
   * @param checkpointEvery save the model every this many steps (0: only at the end)
   * @param checkpoint where checkpoints go (a model directory, replaced each time), or null
   */
  public record Options(
      int steps, int batch, int noiseRatio, double learningRate, double clipNorm, long seed,
      int logEvery, int checkpointEvery, Path checkpoint) {
    public Options {
      if (steps < 1 || batch < 1 || noiseRatio < 1 || !(learningRate > 0) || !(clipNorm > 0) || logEvery < 1 || checkpointEvery < 0) {
        throw new IllegalArgumentException("invalid TRF training settings: " + this);
      }
    }
  }

  /**
   * Progress after {@code step} steps (warm-up included): mean loss over the last report's TRF
   * steps (NaN when it had none), skipped steps so far, and for DNCE the noise LSTM's mean negative log-likelihood per training sentence over
   * the same steps (NaN for NCE).
   */
  public record Progress(int step, double meanLoss, int skipped, double seconds, double noiseNll) {}

  private static final String OPTIMIZER = "optimizer";
  private static final String NOISE = "noise";
  private static final String NOISE_OPTIMIZER = "noise-optimizer";

  private final TrfModel model;
  private final SentenceNoise fixedNoise;
  private final DynamicNce dynamic;
  private final Options options;
  private final List<Tensor> params;
  private final Adam adam;
  private final Map<String, String> runProperties = new LinkedHashMap<>();
  private int startStep;

  /** NCE against the fixed noise {@code noise}. */
  public TrfTrainer(TrfModel model, SentenceNoise noise, Options options) {
    this(model, noise, null, options);
  }

  /** Dynamic NCE: {@code dynamic}'s noise LSTM is trained along with the TRF. */
  public TrfTrainer(TrfModel model, DynamicNce dynamic, Options options) {
    this(model, null, dynamic, options);
  }

  private TrfTrainer(TrfModel model, SentenceNoise fixedNoise, DynamicNce dynamic, Options options) {
    int noiseLength = fixedNoise != null ? fixedNoise.maxLength() : dynamic.noise().maxLength();
    if (noiseLength != model.config().maxLength()) {
      throw new IllegalArgumentException("noise covers lengths 1.." + noiseLength + ", the model 1.." + model.config().maxLength());
    }
    if (dynamic != null && !dynamic.noise().vocabulary().words().equals(model.vocabulary().words())) {
      throw new IllegalArgumentException("the noise LSTM's vocabulary differs from the TRF's");
    }
    this.model = model;
    this.fixedNoise = fixedNoise;
    this.dynamic = dynamic;
    this.options = options;
    this.params = new ArrayList<>(model.parameters().values());
    this.adam = Adam.adam(params, options.learningRate());
  }

  /**
   * Extra {@code train.*} properties saved with every checkpoint (for example how the caller
   * built the model and the noise), so the run can be reproduced from the model directory.
   */
  public void describe(Map<String, String> properties) {
    runProperties.putAll(new TrainingRecord(properties, Map.of()).properties());
  }

  /** The training record a checkpoint saved now would carry (after {@code step} steps). */
  public TrainingRecord record(int step) {
    Map<String, String> p = new LinkedHashMap<>(runProperties);
    p.putAll(settings());
    p.put("train.step", Integer.toString(step));
    Map<String, Map<String, Tensor>> states = new LinkedHashMap<>();
    states.put(OPTIMIZER, adam.state());
    if (dynamic != null) {
      states.put(NOISE, dynamic.noise().state());
      states.put(NOISE_OPTIMIZER, dynamic.optimizer().state());
    }
    return new TrainingRecord(p, states);
  }

  /** The settings a resumed run must share with the one it continues. */
  private Map<String, String> settings() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("train.method", dynamic == null ? "nce" : "dnce");
    p.put("train.batch", Integer.toString(options.batch()));
    p.put("train.noise-ratio", Integer.toString(options.noiseRatio()));
    p.put("train.lr", Double.toString(options.learningRate()));
    p.put("train.clip", Double.toString(options.clipNorm()));
    p.put("train.seed", Long.toString(options.seed()));
    p.put("train.steps", Integer.toString(options.steps()));
    if (dynamic != null) {
      DynamicNce.Options d = dynamic.options();
      p.put("train.dnce.alpha", Double.toString(d.alpha()));
      p.put("train.dnce.effective-alpha", Double.toString(dynamic.effectiveAlpha(options.batch())));
      p.put("train.dnce.noise-embed", Integer.toString(d.noiseEmbed()));
      p.put("train.dnce.noise-hidden", Integer.toString(d.noiseHidden()));
      p.put("train.dnce.noise-lr", Double.toString(d.noiseLearningRate()));
      p.put("train.dnce.noise-warm-up", Integer.toString(d.warmUpSteps()));
    }
    return p;
  }

  /**
   * Continues from a checkpoint's record (the TRF's own parameters are already in the model it was
   * loaded into): restores the step, the optimiser moments and, for DNCE, the noise LSTM.
   *
   * @throws IllegalArgumentException when the record comes from other settings (all but the
   *     number of steps must agree) or lacks a state
   */
  public void resume(TrainingRecord record) {
    for (Map.Entry<String, String> e : settings().entrySet()) {
      if (e.getKey().equals("train.steps")) {
        continue;
      }
      String saved = record.properties().get(e.getKey());
      if (!e.getValue().equals(saved)) {
        throw new IllegalArgumentException("cannot resume: the checkpoint has " + e.getKey() + "=" + saved
            + ", this run " + e.getValue() + "; resume with the settings it was made with");
      }
    }
    int step = Integer.parseInt(record.property("train.step"));
    adam.loadState(record.state(OPTIMIZER));
    if (dynamic != null) {
      ParameterFile.assign("the checkpoint's noise LSTM", record.state(NOISE), dynamic.noise());
      dynamic.optimizer().loadState(record.state(NOISE_OPTIMIZER));
    }
    startStep = step;
  }

  /**
   * Runs the training from the first step (or the resumed one) to the last: for DNCE, first
   * {@link #warmUpSteps} steps of the noise alone, then {@code steps} steps of both; steps are
   * numbered through, warm-up included. Sentences the model cannot score (empty, too long) are
   * left out.
   *
   * @return the mean loss of the last reporting window (NaN when no step was left to run)
   * @throws IllegalArgumentException when no training sentence fits the model
   */
  public double train(List<int[]> sentences, Consumer<Progress> progress) throws IOException {
    List<int[]> data = new ArrayList<>();
    for (int[] s : sentences) {
      if (model.accepts(s)) {
        data.add(s);
      }
    }
    if (data.isEmpty()) {
      throw new IllegalArgumentException("no training sentence has 1.." + model.config().maxLength() + " words");
    }
    Random random = new Random(options.seed());
    model.train(true);
    int[] cursor = {data.size()};
    // Replays the data order of the steps already done, so a resumed run reads what it would have.
    for (long k = 0; k < (long) startStep * options.batch(); k++) {
      next(data, cursor, random);
    }
    double windowLoss = 0;
    double windowNll = 0;
    int windowSteps = 0;
    int windowNoise = 0;
    int skipped = 0;
    double lastLoss = Double.NaN;
    long t0 = System.nanoTime();
    int warmUp = warmUpSteps();
    int last = warmUp + options.steps();
    for (int step = startStep + 1; step <= last; step++) {
      List<int[]> batch = new ArrayList<>(options.batch());
      for (int k = 0; k < options.batch(); k++) {
        batch.add(next(data, cursor, random));
      }
      if (step > warmUp) {
        adam.zeroGrad();
        try (GpuTensors.Step onGpu = model.gpuStep()) {
          Tensor loss;
          if (dynamic == null) {
            loss = nceLoss(batch);
          } else {
            dynamic.noise().setSampler(new SplittableRandom(options.seed() * 0x9E3779B97F4A7C15L + step));
            loss = dynamic.trfLoss(model, batch, options.noiseRatio());
          }
          loss.backward();
          double norm = GradientClipping.clipByGlobalNorm(params, options.clipNorm());
          if (Double.isFinite(norm) && Double.isFinite(loss.item())) {
            adam.step();
            windowLoss += loss.item();
            windowSteps++;
          } else {
            skipped++;
          }
        }
      }
      if (dynamic != null) {
        double nll = dynamic.updateNoise(batch, options.clipNorm());
        if (Double.isFinite(nll)) {
          windowNll += nll;
          windowNoise++;
        }
      }
      if (step % options.logEvery() == 0 || step == last) {
        lastLoss = windowSteps == 0 ? Double.NaN : windowLoss / windowSteps;
        double nll = windowNoise == 0 ? Double.NaN : windowNll / windowNoise;
        progress.accept(new Progress(step, lastLoss, skipped, (System.nanoTime() - t0) / 1e9, nll));
        windowLoss = 0;
        windowSteps = 0;
        windowNll = 0;
        windowNoise = 0;
      }
      if (options.checkpoint() != null
          && ((options.checkpointEvery() > 0 && step % options.checkpointEvery() == 0) || step == last)) {
        TrfFiles.save(options.checkpoint(), model, null, record(step));
      }
    }
    model.train(false);
    return lastLoss;
  }

  /** The noise-only steps that come before the TRF's first (DNCE's warm-up; 0 for NCE). */
  public int warmUpSteps() {
    return dynamic == null ? 0 : dynamic.options().warmUpSteps();
  }

  private Tensor nceLoss(List<int[]> batch) {
    double[] batchLogQ = new double[batch.size()];
    for (int k = 0; k < batch.size(); k++) {
      batchLogQ[k] = fixedNoise.logProb(batch.get(k));
    }
    int m = options.batch() * options.noiseRatio();
    List<int[]> noiseBatch = new ArrayList<>(m);
    double[] noiseLogQ = new double[m];
    for (int k = 0; k < m; k++) {
      int[] s = fixedNoise.sample();
      noiseBatch.add(s);
      noiseLogQ[k] = fixedNoise.logProb(s);
    }
    return NceLoss.loss(model, batch, batchLogQ, noiseBatch, noiseLogQ);
  }

  /** The next training sentence: shuffled passes over {@code data}. */
  private static int[] next(List<int[]> data, int[] cursor, Random random) {
    if (cursor[0] == data.size()) {
      Collections.shuffle(data, random);
      cursor[0] = 0;
    }
    return data.get(cursor[0]++);
  }
}
