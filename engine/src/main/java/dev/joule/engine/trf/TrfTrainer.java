package dev.joule.engine.trf;

import dev.joule.engine.optim.Adam;
import dev.joule.engine.optim.GradientClipping;
import dev.joule.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains a {@link TrfModel} by noise-contrastive estimation ({@link NceLoss}): each step takes
 * {@code batch} training sentences (in shuffled passes over the data) and {@code ν·batch} fresh
 * noise sentences from the n-gram, and updates φ's parameters and ζ together with Adam. A step
 * whose gradient norm is not finite is skipped, not applied.
 */
public final class TrfTrainer {
  /**
   * Settings.
   *
   * @param steps optimiser steps
   * @param batch data sentences per step
   * @param noiseRatio ν, noise sentences per data sentence
   * @param learningRate Adam's step size, for φ and ζ alike
   * @param clipNorm global gradient-norm limit
   * @param seed shuffling seed (the noise model has its own generator)
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

  /** Progress after {@code step} steps: mean NCE loss over the last report's steps, skipped steps so far. */
  public record Progress(int step, double meanLoss, int skipped, double seconds) {}

  private final TrfModel model;
  private final NoiseModel noise;
  private final Options options;

  public TrfTrainer(TrfModel model, NoiseModel noise, Options options) {
    if (noise.maxLength() != model.config().maxLength()) {
      throw new IllegalArgumentException("noise covers lengths 1.." + noise.maxLength() + ", the model 1.." + model.config().maxLength());
    }
    this.model = model;
    this.noise = noise;
    this.options = options;
  }

  /**
   * Runs the training. Sentences the model cannot score (empty, too long) are left out.
   *
   * @return the mean loss of the last reporting window
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
    List<Tensor> params = new ArrayList<>(model.parameters().values());
    Adam adam = Adam.adam(params, options.learningRate());
    model.train(true);
    int cursor = data.size();
    double windowLoss = 0;
    int windowSteps = 0;
    int skipped = 0;
    double last = Double.NaN;
    long t0 = System.nanoTime();
    for (int step = 1; step <= options.steps(); step++) {
      List<int[]> batch = new ArrayList<>(options.batch());
      for (int k = 0; k < options.batch(); k++) {
        if (cursor == data.size()) {
          Collections.shuffle(data, random);
          cursor = 0;
        }
        batch.add(data.get(cursor++));
      }
      double[] batchLogQ = new double[batch.size()];
      for (int k = 0; k < batch.size(); k++) {
        batchLogQ[k] = noise.logProb(batch.get(k));
      }
      int m = options.batch() * options.noiseRatio();
      List<int[]> noiseBatch = new ArrayList<>(m);
      double[] noiseLogQ = new double[m];
      for (int k = 0; k < m; k++) {
        int[] s = noise.sample();
        noiseBatch.add(s);
        noiseLogQ[k] = noise.logProb(s);
      }
      adam.zeroGrad();
      Tensor loss = NceLoss.loss(model, batch, batchLogQ, noiseBatch, noiseLogQ);
      loss.backward();
      double norm = GradientClipping.clipByGlobalNorm(params, options.clipNorm());
      if (Double.isFinite(norm) && Double.isFinite(loss.item())) {
        adam.step();
        windowLoss += loss.item();
        windowSteps++;
      } else {
        skipped++;
      }
      if (step % options.logEvery() == 0 || step == options.steps()) {
        last = windowSteps == 0 ? Double.NaN : windowLoss / windowSteps;
        progress.accept(new Progress(step, last, skipped, (System.nanoTime() - t0) / 1e9));
        windowLoss = 0;
        windowSteps = 0;
      }
      if (options.checkpoint() != null
          && ((options.checkpointEvery() > 0 && step % options.checkpointEvery() == 0) || step == options.steps())) {
        TrfFiles.save(options.checkpoint(), model, null);
      }
    }
    model.train(false);
    return last;
  }
}
