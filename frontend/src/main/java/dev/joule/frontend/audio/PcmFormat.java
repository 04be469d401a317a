package dev.joule.frontend.audio;

/**
 * The layout of uncompressed (or G.711 companded) interleaved audio: what a WAV {@code fmt } chunk
 * says, or what a caller states for a headerless raw file.
 *
 * <p>The constructor rejects combinations no reader supports and rates or channel counts no real
 * recording has, so that a lying header is caught before any buffer is sized from it.
 *
 * @param sampleRate frames per second, {@value #MIN_RATE}..{@value #MAX_RATE}
 * @param channels interleaved channels, 1..{@value #MAX_CHANNELS}
 * @param bitsPerSample container bits of one sample
 * @param encoding how the bits encode a value
 * @param bigEndian byte order of multi-byte samples
 */
public record PcmFormat(
    int sampleRate, int channels, int bitsPerSample, SampleEncoding encoding, boolean bigEndian) {
  public static final int MIN_RATE = 1000;
  public static final int MAX_RATE = 768_000;
  public static final int MAX_CHANNELS = 64;

  public PcmFormat {
    if (encoding == null) {
      throw new IllegalArgumentException("no sample encoding");
    }
    if (sampleRate < MIN_RATE || sampleRate > MAX_RATE) {
      throw new IllegalArgumentException(
          "sample rate " + Integer.toUnsignedString(sampleRate) + " Hz is outside "
              + MIN_RATE + ".." + MAX_RATE);
    }
    if (channels < 1 || channels > MAX_CHANNELS) {
      throw new IllegalArgumentException(
          "channel count " + Integer.toUnsignedString(channels) + " is outside 1.." + MAX_CHANNELS);
    }
    boolean ok =
        switch (encoding) {
          case PCM_SIGNED -> bitsPerSample == 8 || bitsPerSample == 16 || bitsPerSample == 24
              || bitsPerSample == 32;
          case PCM_UNSIGNED, ALAW, ULAW -> bitsPerSample == 8;
          case FLOAT -> bitsPerSample == 32 || bitsPerSample == 64;
        };
    if (!ok) {
      throw new IllegalArgumentException(
          "unsupported sample format: " + bitsPerSample + "-bit " + encoding);
    }
  }

  /** 16-bit signed little-endian mono: the usual speech corpus layout. */
  public static PcmFormat s16le(int sampleRate) {
    return new PcmFormat(sampleRate, 1, 16, SampleEncoding.PCM_SIGNED, false);
  }

  public int bytesPerSample() {
    return bitsPerSample / 8;
  }

  /** Bytes of one frame (one sample of every channel). */
  public int bytesPerFrame() {
    return bytesPerSample() * channels;
  }

  @Override
  public String toString() {
    return sampleRate + " Hz, " + channels + " ch, " + bitsPerSample + "-bit " + encoding
        + (bytesPerSample() > 1 ? (bigEndian ? " BE" : " LE") : "");
  }
}
