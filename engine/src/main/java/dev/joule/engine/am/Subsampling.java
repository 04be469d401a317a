package dev.joule.engine.am;

import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.Tensor;

/**
 * Frame subsampling by 3 for the acoustic models: padding frames are zeroed, then every three
 * consecutive frames are stacked into one ({@code [B, T, D] → [B, ⌈T/3⌉, 3D]}). The last output
 * frame of an utterance whose length is not a multiple of 3 sees zeros after its end, exactly as
 * when the utterance is run alone, so results do not depend on what else is in the batch.
 */
final class Subsampling {
  static final int FACTOR = 3;

  private Subsampling() {}

  static Tensor stack(Tensor features, Tensor lengths) {
    int frames = features.dim(1);
    int out = (frames + FACTOR - 1) / FACTOR;
    Tensor x = Ops.maskByLengths(features, lengths);
    return Ops.unfold(x, FACTOR, FACTOR, 1, 0, out * FACTOR - frames);
  }

  /** INT32 output lengths {@code ⌈T/3⌉} of input lengths {@code T}. */
  static Tensor lengths(int[] inputLengths) {
    return Tensor.ofInts(outputLengths(inputLengths), inputLengths.length);
  }

  /** Output lengths {@code ⌈T/3⌉} of input lengths {@code T}. */
  static int[] outputLengths(int[] inputLengths) {
    int[] out = new int[inputLengths.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = outputFrames(inputLengths[i]);
    }
    return out;
  }

  /** Output frames {@code ⌈T/3⌉} of {@code T} input frames. */
  static int outputFrames(int inputFrames) {
    return (inputFrames + FACTOR - 1) / FACTOR;
  }

  /** Parses a comma-separated list of positive integers ({@code key} names it in errors). */
  static int[] intList(java.util.Properties config, String key, String fallback) {
    String v = config.getProperty(key, fallback).trim();
    String[] parts = v.split("\\s*,\\s*");
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("acoustic model setting '" + key + "' must be a comma-separated list of integers, not '" + v + "'");
      }
      if (out[i] < 1) {
        throw new IllegalArgumentException("acoustic model setting '" + key + "' must hold integers >= 1, not '" + v + "'");
      }
    }
    return out;
  }

  /** An integer setting with a default; a malformed value is reported by key. */
  static int intSetting(java.util.Properties config, String key, int fallback) {
    String v = config.getProperty(key);
    return v == null ? fallback : AcousticModels.intProperty(config, key);
  }

  /** A decimal setting with a default; a malformed value is reported by key. */
  static double doubleSetting(java.util.Properties config, String key, double fallback) {
    String v = config.getProperty(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("acoustic model setting '" + key + "' is not a number: " + v);
    }
  }
}
