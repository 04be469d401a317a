package dev.joule.engine.train;

import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;
import dev.joule.frontend.FloatMatrix;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The utterances of one batch as the network and the loss take them: features zero-padded to
 * the longest into one FLOAT32 tensor {@code [batch, frames, bins]}, with lengths, labels and ids.
 */
record Minibatch(Tensor input, int[] lengths, int[][] labels, String[] ids) {

  /**
   * @param indices utterances of {@code examples} in this batch
   * @param features the features to use for the i-th utterance of the batch (e.g. augmented)
   */
  static Minibatch of(List<TrainingSet.Example> examples, int[] indices, IntFunction<FloatMatrix> features) {
    int b = indices.length;
    int[] lens = new int[b];
    int[][] labels = new int[b][];
    String[] ids = new String[b];
    FloatMatrix[] feats = new FloatMatrix[b];
    int maxLen = 0;
    for (int i = 0; i < b; i++) {
      TrainingSet.Example e = examples.get(indices[i]);
      feats[i] = features.apply(i);
      lens[i] = e.frames();
      labels[i] = e.labels();
      ids[i] = e.id();
      maxLen = Math.max(maxLen, lens[i]);
    }
    int dim = feats[0].cols();
    double[] x = new double[b * maxLen * dim];
    for (int i = 0; i < b; i++) {
      float[] d = feats[i].data();
      int base = i * maxLen * dim;
      for (int k = 0; k < lens[i] * dim; k++) {
        x[base + k] = d[k];
      }
    }
    return new Minibatch(Tensor.wrap(x, Shape.of(b, maxLen, dim), DType.FLOAT32), lens, labels, ids);
  }

  int size() {
    return lengths.length;
  }
}
