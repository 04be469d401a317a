package dev.joule.frontend.features;

import java.util.Locale;

/** Kaldi's analysis windows ({@code --window-type}), with Kaldi's exact formulas. */
public enum WindowType {
  /** Hann raised to 0.85: like Hamming but goes to zero at the edges (Kaldi's default). */
  POVEY,
  HAMMING,
  HANNING,
  RECTANGULAR,
  /** Blackman with Kaldi's default coefficient 0.42. */
  BLACKMAN;

  private static final double BLACKMAN_COEFF = 0.42;

  /** Window value at sample {@code i} of {@code n} (Kaldi's {@code FeatureWindowFunction}). */
  public double value(int i, int n) {
    double a = 2 * Math.PI / (n - 1);
    return switch (this) {
      case POVEY -> Math.pow(0.5 - 0.5 * Math.cos(a * i), 0.85);
      case HAMMING -> 0.54 - 0.46 * Math.cos(a * i);
      case HANNING -> 0.5 - 0.5 * Math.cos(a * i);
      case RECTANGULAR -> 1.0;
      case BLACKMAN -> BLACKMAN_COEFF - 0.5 * Math.cos(a * i)
          + (0.5 - BLACKMAN_COEFF) * Math.cos(2 * a * i);
    };
  }

  /** The Kaldi option spelling: {@code povey}, {@code hamming}, ... */
  public String kaldiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a Kaldi spelling ({@code povey}, {@code hamming}, {@code hanning}, ...). */
  public static WindowType parse(String name) {
    for (WindowType w : values()) {
      if (w.kaldiName().equals(name.toLowerCase(Locale.ROOT))) {
        return w;
      }
    }
    throw new IllegalArgumentException(
        "unknown window type '" + name + "' (povey, hamming, hanning, rectangular, blackman)");
  }
}
