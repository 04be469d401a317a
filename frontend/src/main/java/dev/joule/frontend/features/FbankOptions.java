package dev.joule.frontend.features;

/**
 * The options of Kaldi's {@code compute-fbank-feats}, with Kaldi's names, meanings and defaults,
 * except {@code num-mel-bins} (80 here, 23 in Kaldi) and an explicit dither {@code seed} so that
 * features are reproducible.
 *
 * <p>Samples are taken at Kaldi's scale: Kaldi reads 16-bit WAVs as raw integers, so input in
 * [-1, 1] is multiplied by {@link #inputScale()} (32768) before anything else; dither, energies and
 * log filter-bank values are then exactly on Kaldi's scale.
 *
 * <p>Immutable; build with {@link #builder()} or {@link #defaults()}.
 */
public final class FbankOptions {
  private final double sampleRate;
  private final double frameLengthMs;
  private final double frameShiftMs;
  private final double dither;
  private final long seed;
  private final double preemphasis;
  private final boolean removeDcOffset;
  private final WindowType window;
  private final boolean roundToPowerOfTwo;
  private final boolean snipEdges;
  private final int numMelBins;
  private final double lowFreq;
  private final double highFreq;
  private final boolean useEnergy;
  private final boolean rawEnergy;
  private final double energyFloor;
  private final boolean useLogFbank;
  private final boolean usePower;
  private final double inputScale;

  private FbankOptions(Builder b) {
    sampleRate = b.sampleRate;
    frameLengthMs = b.frameLengthMs;
    frameShiftMs = b.frameShiftMs;
    dither = b.dither;
    seed = b.seed;
    preemphasis = b.preemphasis;
    removeDcOffset = b.removeDcOffset;
    window = b.window;
    roundToPowerOfTwo = b.roundToPowerOfTwo;
    snipEdges = b.snipEdges;
    numMelBins = b.numMelBins;
    lowFreq = b.lowFreq;
    highFreq = b.highFreq;
    useEnergy = b.useEnergy;
    rawEnergy = b.rawEnergy;
    energyFloor = b.energyFloor;
    useLogFbank = b.useLogFbank;
    usePower = b.usePower;
    inputScale = b.inputScale;
    validate();
  }

  private void validate() {
    require(sampleRate >= 1000 && sampleRate <= 768_000 && Double.isFinite(sampleRate),
        "sample-frequency " + sampleRate + " Hz is outside 1000..768000");
    require(frameShiftMs > 0 && Double.isFinite(frameShiftMs), "frame-shift must be > 0 ms");
    require(frameLengthMs > 0 && Double.isFinite(frameLengthMs), "frame-length must be > 0 ms");
    require(windowSize() >= 2, "frame-length " + frameLengthMs + " ms is under 2 samples");
    require(windowShift() >= 1, "frame-shift " + frameShiftMs + " ms is under 1 sample");
    require(paddedWindowSize() <= (1 << 16), "frame-length " + frameLengthMs + " ms is too long");
    require(dither >= 0 && Double.isFinite(dither), "dither must be >= 0");
    require(preemphasis >= 0 && preemphasis <= 1, "preemphasis-coefficient must be in [0, 1]");
    require(numMelBins >= 3 && numMelBins <= 1024, "num-mel-bins must be in 3..1024");
    require(energyFloor >= 0 && Double.isFinite(energyFloor), "energy-floor must be >= 0");
    require(inputScale > 0 && Double.isFinite(inputScale), "input scale must be > 0");
    double nyquist = sampleRate / 2;
    double high = effectiveHighFreq();
    require(lowFreq >= 0 && lowFreq < nyquist,
        "low-freq " + lowFreq + " must be in [0, Nyquist " + nyquist + ")");
    require(high > 0 && high <= nyquist && high > lowFreq,
        "high-freq " + highFreq + " gives " + high + " Hz, which must be in (low-freq, Nyquist "
            + nyquist + "]");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Kaldi's defaults with 80 mel bins at 16 kHz. */
  public static FbankOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.sampleRate = sampleRate;
    b.frameLengthMs = frameLengthMs;
    b.frameShiftMs = frameShiftMs;
    b.dither = dither;
    b.seed = seed;
    b.preemphasis = preemphasis;
    b.removeDcOffset = removeDcOffset;
    b.window = window;
    b.roundToPowerOfTwo = roundToPowerOfTwo;
    b.snipEdges = snipEdges;
    b.numMelBins = numMelBins;
    b.lowFreq = lowFreq;
    b.highFreq = highFreq;
    b.useEnergy = useEnergy;
    b.rawEnergy = rawEnergy;
    b.energyFloor = energyFloor;
    b.useLogFbank = useLogFbank;
    b.usePower = usePower;
    b.inputScale = inputScale;
    return b;
  }

  /** Samples per frame: {@code (int) (rate · 0.001 · frame-length)} as Kaldi truncates it. */
  public int windowSize() {
    return (int) (sampleRate * 0.001 * frameLengthMs);
  }

  /** Samples between frame starts. */
  public int windowShift() {
    return (int) (sampleRate * 0.001 * frameShiftMs);
  }

  /** FFT length: the window size, rounded up to a power of two unless told not to. */
  public int paddedWindowSize() {
    int n = windowSize();
    return roundToPowerOfTwo ? Integer.highestOneBit(Math.max(1, n - 1)) << 1 : n;
  }

  /** Output columns: the mel bins, plus one for log energy (first) with {@code use-energy}. */
  public int dim() {
    return numMelBins + (useEnergy ? 1 : 0);
  }

  /** {@code high-freq} resolved: values <= 0 are an offset from the Nyquist frequency. */
  public double effectiveHighFreq() {
    return highFreq > 0 ? highFreq : sampleRate / 2 + highFreq;
  }

  /**
   * Kaldi's {@code NumFrames}: with snip-edges {@code 1 + (n − length)/shift} (0 when shorter than
   * one frame), without it {@code (n + shift/2)/shift}, integer division.
   */
  public long numFrames(long numSamples) {
    long shift = windowShift();
    long length = windowSize();
    if (snipEdges) {
      return numSamples < length ? 0 : 1 + (numSamples - length) / shift;
    }
    return (numSamples + shift / 2) / shift;
  }

  /**
   * Index of the first sample of {@code frame}: {@code frame·shift} with snip-edges, otherwise the
   * frame is centred on {@code frame·shift + shift/2} (and may start before sample 0).
   */
  public long firstSampleOfFrame(long frame) {
    long shift = windowShift();
    if (snipEdges) {
      return frame * shift;
    }
    return frame * shift + shift / 2 - windowSize() / 2;
  }

  public double sampleRate() {
    return sampleRate;
  }

  public double frameLengthMs() {
    return frameLengthMs;
  }

  public double frameShiftMs() {
    return frameShiftMs;
  }

  public double dither() {
    return dither;
  }

  public long seed() {
    return seed;
  }

  public double preemphasis() {
    return preemphasis;
  }

  public boolean removeDcOffset() {
    return removeDcOffset;
  }

  public WindowType window() {
    return window;
  }

  public boolean roundToPowerOfTwo() {
    return roundToPowerOfTwo;
  }

  public boolean snipEdges() {
    return snipEdges;
  }

  public int numMelBins() {
    return numMelBins;
  }

  public double lowFreq() {
    return lowFreq;
  }

  public double highFreq() {
    return highFreq;
  }

  public boolean useEnergy() {
    return useEnergy;
  }

  public boolean rawEnergy() {
    return rawEnergy;
  }

  public double energyFloor() {
    return energyFloor;
  }

  public boolean useLogFbank() {
    return useLogFbank;
  }

  public boolean usePower() {
    return usePower;
  }

  public double inputScale() {
    return inputScale;
  }

  /** The options as Kaldi command-line flags (for logs and feature file headers). */
  @Override
  public String toString() {
    return "--sample-frequency=" + fmt(sampleRate) + " --frame-length=" + fmt(frameLengthMs)
        + " --frame-shift=" + fmt(frameShiftMs) + " --dither=" + fmt(dither) + " --seed=" + seed
        + " --preemphasis-coefficient=" + fmt(preemphasis) + " --remove-dc-offset=" + removeDcOffset
        + " --window-type=" + window.kaldiName() + " --round-to-power-of-two=" + roundToPowerOfTwo
        + " --snip-edges=" + snipEdges + " --num-mel-bins=" + numMelBins
        + " --low-freq=" + fmt(lowFreq) + " --high-freq=" + fmt(highFreq)
        + " --use-energy=" + useEnergy + " --raw-energy=" + rawEnergy
        + " --energy-floor=" + fmt(energyFloor) + " --use-log-fbank=" + useLogFbank
        + " --use-power=" + usePower;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FbankOptions other && other.toString().equals(toString())
        && other.inputScale == inputScale;
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private double sampleRate = 16000;
    private double frameLengthMs = 25;
    private double frameShiftMs = 10;
    private double dither = 1.0;
    private long seed = 0;
    private double preemphasis = 0.97;
    private boolean removeDcOffset = true;
    private WindowType window = WindowType.POVEY;
    private boolean roundToPowerOfTwo = true;
    private boolean snipEdges = true;
    private int numMelBins = 80;
    private double lowFreq = 20;
    private double highFreq = 0;
    private boolean useEnergy = false;
    private boolean rawEnergy = true;
    private double energyFloor = 0;
    private boolean useLogFbank = true;
    private boolean usePower = true;
    private double inputScale = 32768;

    private Builder() {}

    public Builder sampleRate(double v) {
      sampleRate = v;
      return this;
    }

    public Builder frameLengthMs(double v) {
      frameLengthMs = v;
      return this;
    }

    public Builder frameShiftMs(double v) {
      frameShiftMs = v;
      return this;
    }

    /** Standard deviation of Gaussian noise added to each sample (Kaldi scale); 0 turns it off. */
    public Builder dither(double v) {
      dither = v;
      return this;
    }

    /** Seed of the dither noise; frame {@code t} always gets the same noise for the same seed. */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder preemphasis(double v) {
      preemphasis = v;
      return this;
    }

    public Builder removeDcOffset(boolean v) {
      removeDcOffset = v;
      return this;
    }

    public Builder window(WindowType v) {
      window = v;
      return this;
    }

    public Builder roundToPowerOfTwo(boolean v) {
      roundToPowerOfTwo = v;
      return this;
    }

    public Builder snipEdges(boolean v) {
      snipEdges = v;
      return this;
    }

    public Builder numMelBins(int v) {
      numMelBins = v;
      return this;
    }

    public Builder lowFreq(double v) {
      lowFreq = v;
      return this;
    }

    /** Upper edge of the mel bins in Hz; 0 or negative means that far below the Nyquist frequency. */
    public Builder highFreq(double v) {
      highFreq = v;
      return this;
    }

    public Builder useEnergy(boolean v) {
      useEnergy = v;
      return this;
    }

    public Builder rawEnergy(boolean v) {
      rawEnergy = v;
      return this;
    }

    public Builder energyFloor(double v) {
      energyFloor = v;
      return this;
    }

    public Builder useLogFbank(boolean v) {
      useLogFbank = v;
      return this;
    }

    public Builder usePower(boolean v) {
      usePower = v;
      return this;
    }

    /** Factor applied to input samples first (32768: [-1, 1] floats to Kaldi's 16-bit scale). */
    public Builder inputScale(double v) {
      inputScale = v;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first bad option
     */
    public FbankOptions build() {
      return new FbankOptions(this);
    }
  }
}
