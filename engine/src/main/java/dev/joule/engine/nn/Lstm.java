package dev.joule.engine.nn;

import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A stack of (optionally bidirectional) LSTM layers over padded batches {@code [B, T, in]} with
 * sequence lengths; output {@code [B, T, hidden·directions]}, zero past each sequence's end.
 *
 * <p>Each direction projects all frames at once ({@code x·W_ih + b}, one large product) and then
 * runs the fused recurrence of {@link Ops#lstm}. The backward direction starts at each sequence's
 * own last frame (packed by lengths), so padding never enters it. Dropout, when set, applies
 * between layers as in PyTorch.
 */
public final class Lstm extends Module {
  private final List<Direction> directions = new ArrayList<>();
  private final int layers;
  private final boolean bidirectional;
  private final Dropout dropout;

  public Lstm(int in, int hidden, int layers, boolean bidirectional, double dropout, Random random, DType dtype) {
    this.layers = layers;
    this.bidirectional = bidirectional;
    int dirs = bidirectional ? 2 : 1;
    for (int l = 0; l < layers; l++) {
      int layerIn = l == 0 ? in : hidden * dirs;
      for (int d = 0; d < dirs; d++) {
        String name = "layer" + l + (d == 0 ? "" : "_reverse");
        directions.add(child(name, new Direction(layerIn, hidden, d == 1, random, dtype)));
      }
    }
    this.dropout = child("dropout", new Dropout(dropout, random.nextLong()));
  }

  /** {@code x [B, T, in]}, INT32 {@code lengths [B]} → {@code [B, T, hidden·directions]}. */
  public Tensor forward(Tensor x, Tensor lengths) {
    int dirs = bidirectional ? 2 : 1;
    Tensor h = x;
    for (int l = 0; l < layers; l++) {
      if (l > 0) {
        h = dropout.forward(h);
      }
      if (dirs == 1) {
        h = directions.get(l).forward(h, lengths);
      } else {
        Tensor fwd = directions.get(2 * l).forward(h, lengths);
        Tensor bwd = directions.get(2 * l + 1).forward(h, lengths);
        h = Ops.concat(List.of(fwd, bwd), 2);
      }
    }
    return h;
  }

  /** One direction of one layer: {@code W_ih [in, 4H]}, {@code W_hh [H, 4H]}, bias {@code [4H]}. */
  static final class Direction extends Module {
    private final Tensor wih;
    private final Tensor whh;
    private final Tensor bias;
    private final boolean reverse;

    Direction(int in, int hidden, boolean reverse, Random random, DType dtype) {
      this.wih = param("weight_ih", Init.fanIn(random, dtype, hidden, in, 4 * hidden));
      this.whh = param("weight_hh", Init.fanIn(random, dtype, hidden, hidden, 4 * hidden));
      this.bias = param("bias", Init.fanIn(random, dtype, hidden, 4 * hidden));
      this.reverse = reverse;
    }

    Tensor forward(Tensor x, Tensor lengths) {
      Tensor proj = Ops.biasAdd(Ops.matmul(x, wih), bias);
      return Ops.lstm(proj, whh, lengths, reverse);
    }
  }
}
