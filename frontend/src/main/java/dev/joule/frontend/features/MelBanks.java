package dev.joule.frontend.features;

import java.util.Arrays;

/**
 * Kaldi's triangular mel filter bank ({@code MelBanks}, without VTLN), stored sparsely: bin
 * {@code b} covers FFT bins {@code offset[b] .. offset[b] + weights[b].length - 1}.
 *
 * <p>Bins are spaced evenly on the mel scale {@code 1127·ln(1 + f/700)} between
 * {@code low-freq} and the resolved {@code high-freq}; FFT bin {@code i} (centre frequency
 * {@code i·rate/N}, {@code i < N/2}, so the Nyquist bin never contributes) gets weight
 * {@code (mel − left)/(centre − left)} on the rising edge and {@code (right − mel)/(right − centre)}
 * on the falling edge, strictly inside {@code (left, right)}.
 */
public final class MelBanks {
  private final int[] offset;
  private final float[][] weights;

  public MelBanks(FbankOptions o) {
    int numBins = o.numMelBins();
    int fftBins = o.paddedWindowSize() / 2;
    double binWidth = o.sampleRate() / o.paddedWindowSize();
    double melLow = melScale(o.lowFreq());
    double melHigh = melScale(o.effectiveHighFreq());
    double delta = (melHigh - melLow) / (numBins + 1);
    offset = new int[numBins];
    weights = new float[numBins][];
    for (int b = 0; b < numBins; b++) {
      double left = melLow + b * delta;
      double centre = melLow + (b + 1) * delta;
      double right = melLow + (b + 2) * delta;
      int first = -1;
      int last = -1;
      float[] w = new float[fftBins];
      for (int i = 0; i < fftBins; i++) {
        double mel = melScale(binWidth * i);
        if (mel > left && mel < right) {
          w[i] = (float) (mel <= centre ? (mel - left) / (centre - left) : (right - mel) / (right - centre));
          if (first < 0) {
            first = i;
          }
          last = i;
        }
      }
      if (first < 0) {
        // Kaldi refuses this too: a bin narrower than one FFT bin would always be empty.
        throw new IllegalArgumentException(
            "mel bin " + b + " contains no FFT bin: too many mel bins (" + numBins
                + ") for an FFT of " + o.paddedWindowSize() + " points");
      }
      offset[b] = first;
      weights[b] = Arrays.copyOfRange(w, first, last + 1);
    }
  }

  /** Kaldi's mel scale: {@code 1127·ln(1 + f/700)}. */
  public static double melScale(double hz) {
    return 1127.0 * Math.log(1.0 + hz / 700.0);
  }

  /** Inverse of {@link #melScale}. */
  public static double inverseMelScale(double mel) {
    return 700.0 * (Math.exp(mel / 1127.0) - 1.0);
  }

  public int numBins() {
    return offset.length;
  }

  /** First FFT bin of mel bin {@code b}. */
  public int offset(int b) {
    return offset[b];
  }

  /** Weights of mel bin {@code b} (a copy), starting at FFT bin {@link #offset(int)}. */
  public float[] weights(int b) {
    return weights[b].clone();
  }

  /** {@code out[outOff + b] = Σ_i weights[b][i] · spectrum[offset[b] + i]}. */
  public void apply(float[] spectrum, float[] out, int outOff) {
    for (int b = 0; b < offset.length; b++) {
      float[] w = weights[b];
      int o = offset[b];
      float sum = 0;
      for (int i = 0; i < w.length; i++) {
        sum += w[i] * spectrum[o + i];
      }
      out[outOff + b] = sum;
    }
  }
}
