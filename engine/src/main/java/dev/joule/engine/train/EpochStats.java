package dev.joule.engine.train;

import java.util.Locale;

/**
 * What one epoch gave.
 *
 * @param epoch 1-based
 * @param trainLoss mean CTC-CRF loss per output frame over the epoch's training batches
 * @param devLoss the same on the dev set after the epoch (no augmentation)
 * @param devPer dev phone error rate (edit distance / reference phones)
 * @param learningRate the learning rate at the epoch's last step
 * @param seconds wall time of the epoch's training steps and evaluation
 */
public record EpochStats(int epoch, double trainLoss, double devLoss, double devPer, double learningRate, double seconds) {

  /** One line: the form checkpoints store and {@link #parse} reads. */
  public String format() {
    return epoch + " " + trainLoss + " " + devLoss + " " + devPer + " " + learningRate + " " + seconds;
  }

  public static EpochStats parse(String line) {
    String[] f = line.trim().split("\\s+");
    if (f.length != 6) {
      throw new IllegalArgumentException("epoch record needs 6 fields: '" + line + "'");
    }
    return new EpochStats(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
        Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]));
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "epoch %d: train loss %.4f, dev loss %.4f, dev PER %.2f%%, lr %.3g, %.1f s",
        epoch, trainLoss, devLoss, 100 * devPer, learningRate, seconds);
  }
}
