package dev.joule.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Where training stands between two steps: everything besides the weights and the optimiser
 * that a resumed run needs to continue exactly (data order is recomputed from the seed and the
 * epoch; augmentation and dropout seeds from the step).
 */
public final class TrainingState {
  /** Updates done since the start. */
  public long step;
  /** Current epoch, 0-based. */
  public int epoch;
  /** Batches of the current epoch already done. */
  public int batch;
  /** Loss and output frames accumulated over the current epoch so far. */
  public double epochLoss;
  public long epochFrames;
  public double bestDevLoss = Double.POSITIVE_INFINITY;
  /** 1-based epoch of the best dev loss, 0 before the first evaluation. */
  public int bestEpoch;
  /** Epochs since the dev loss last improved. */
  public int badEpochs;
  /** True once training has stopped for good (all epochs, or early stopping). */
  public boolean finished;
  public final List<EpochStats> history = new ArrayList<>();
  /** {@link TrainingSet#fingerprint()} of the training data (before CMVN). */
  public String data = "";

  Properties toProperties() {
    Properties p = new Properties();
    p.setProperty("step", Long.toString(step));
    p.setProperty("epoch", Integer.toString(epoch));
    p.setProperty("batch", Integer.toString(batch));
    p.setProperty("epoch.loss", Double.toString(epochLoss));
    p.setProperty("epoch.frames", Long.toString(epochFrames));
    p.setProperty("best.dev.loss", Double.toString(bestDevLoss));
    p.setProperty("best.epoch", Integer.toString(bestEpoch));
    p.setProperty("bad.epochs", Integer.toString(badEpochs));
    p.setProperty("finished", Boolean.toString(finished));
    p.setProperty("data", data);
    for (int i = 0; i < history.size(); i++) {
      p.setProperty("history." + i, history.get(i).format());
    }
    return p;
  }

  static TrainingState fromProperties(Properties p) {
    TrainingState s = new TrainingState();
    s.step = Long.parseLong(required(p, "step"));
    s.epoch = Integer.parseInt(required(p, "epoch"));
    s.batch = Integer.parseInt(required(p, "batch"));
    s.epochLoss = Double.parseDouble(required(p, "epoch.loss"));
    s.epochFrames = Long.parseLong(required(p, "epoch.frames"));
    s.bestDevLoss = Double.parseDouble(required(p, "best.dev.loss"));
    s.bestEpoch = Integer.parseInt(required(p, "best.epoch"));
    s.badEpochs = Integer.parseInt(required(p, "bad.epochs"));
    s.finished = Boolean.parseBoolean(required(p, "finished"));
    s.data = required(p, "data");
    for (int i = 0; p.getProperty("history." + i) != null; i++) {
      s.history.add(EpochStats.parse(p.getProperty("history." + i)));
    }
    return s;
  }

  private static String required(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null) {
      throw new IllegalArgumentException("'" + key + "' is missing");
    }
    return v.trim();
  }
}
