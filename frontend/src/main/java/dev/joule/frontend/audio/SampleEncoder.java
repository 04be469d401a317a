package dev.joule.frontend.audio;

/** The inverse of {@link SampleDecoder}: floats in [-1, 1] to stored samples (clipping). */
final class SampleEncoder {
  private SampleEncoder() {}

  /** ITU-T G.711 µ-law compression of a 16-bit linear value. */
  static int linearToUlaw(int pcm) {
    int sign = (pcm >> 8) & 0x80;
    if (sign != 0) {
      pcm = -pcm;
    }
    pcm = Math.min(pcm, 32635) + 0x84;
    int exponent = 7;
    for (int mask = 0x4000; (pcm & mask) == 0 && exponent > 0; mask >>= 1) {
      exponent--;
    }
    int mantissa = (pcm >> (exponent + 3)) & 0x0F;
    return ~(sign | (exponent << 4) | mantissa) & 0xFF;
  }

  /** ITU-T G.711 A-law compression of a 16-bit linear value. */
  static int linearToAlaw(int pcm) {
    int v = pcm >> 3;
    int mask;
    if (v >= 0) {
      mask = 0xD5;
    } else {
      mask = 0x55;
      v = -v - 1;
    }
    int seg = 0;
    while (seg < 8 && v > (0x20 << seg) - 1) {
      seg++;
    }
    if (seg >= 8) {
      return 0x7F ^ mask;
    }
    int aval = seg << 4;
    aval |= seg < 2 ? (v >> 1) & 0x0F : (v >> seg) & 0x0F;
    return aval ^ mask;
  }

  /** Encodes {@code samples} floats from {@code src[srcOff]} into {@code dst[dstOff]}. */
  static void encode(PcmFormat f, float[] src, int srcOff, byte[] dst, int dstOff, int samples) {
    int p = dstOff;
    boolean be = f.bigEndian();
    int bytes = f.bytesPerSample();
    for (int i = 0; i < samples; i++) {
      float x = src[srcOff + i];
      switch (f.encoding()) {
        case PCM_UNSIGNED -> dst[p] = (byte) (clip(x, 8) + 128);
        case ULAW -> dst[p] = (byte) linearToUlaw(clip(x, 16));
        case ALAW -> dst[p] = (byte) linearToAlaw(clip(x, 16));
        case PCM_SIGNED -> put(dst, p, bytes, clip(x, f.bitsPerSample()), be);
        case FLOAT -> {
          if (bytes == 4) {
            put(dst, p, 4, Float.floatToIntBits(x), be);
          } else {
            long bits = Double.doubleToLongBits(x);
            put(dst, be ? p : p + 4, 4, (int) (bits >>> 32), be);
            put(dst, be ? p + 4 : p, 4, (int) bits, be);
          }
        }
      }
      p += bytes;
    }
  }

  private static int clip(float x, int bits) {
    double full = Math.scalb(1.0, bits - 1);
    return (int) Math.max(-full, Math.min(full - 1, Math.rint(x * full)));
  }

  private static void put(byte[] b, int p, int bytes, int v, boolean be) {
    for (int k = 0; k < bytes; k++) {
      int shift = 8 * (be ? bytes - 1 - k : k);
      b[p + k] = (byte) (v >> shift);
    }
  }
}
