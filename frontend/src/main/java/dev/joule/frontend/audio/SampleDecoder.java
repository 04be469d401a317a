package dev.joule.frontend.audio;

/**
 * Turns stored samples into floats in [-1, 1]: integers are divided by 2^(bits-1) (so 16-bit
 * 32767 becomes 32767/32768), 8-bit unsigned is offset by 128, G.711 codes go through the ITU
 * expansion to 16-bit values first.
 */
final class SampleDecoder {
  private static final float[] ULAW = new float[256];
  private static final float[] ALAW = new float[256];

  static {
    for (int i = 0; i < 256; i++) {
      ULAW[i] = ulawToLinear(i) / 32768f;
      ALAW[i] = alawToLinear(i) / 32768f;
    }
  }

  private SampleDecoder() {}

  /** ITU-T G.711 µ-law expansion to a 16-bit linear value (±32124 at most). */
  static int ulawToLinear(int code) {
    int u = ~code & 0xFF;
    int sign = u & 0x80;
    int exponent = (u >> 4) & 0x07;
    int mantissa = u & 0x0F;
    int magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
    return sign != 0 ? -magnitude : magnitude;
  }

  /** ITU-T G.711 A-law expansion to a 16-bit linear value (±32256 at most). */
  static int alawToLinear(int code) {
    int a = (code ^ 0x55) & 0xFF;
    int t = (a & 0x0F) << 4;
    int segment = (a & 0x70) >> 4;
    if (segment == 0) {
      t += 8;
    } else {
      t += 0x108;
      t <<= segment - 1;
    }
    return (a & 0x80) != 0 ? t : -t;
  }

  /**
   * Decodes {@code samples} interleaved samples from {@code src} starting at {@code srcOff} into
   * {@code dst} starting at {@code dstOff}.
   */
  static void decode(PcmFormat f, byte[] src, int srcOff, float[] dst, int dstOff, int samples) {
    int p = srcOff;
    boolean be = f.bigEndian();
    switch (f.encoding()) {
      case PCM_UNSIGNED -> {
        for (int i = 0; i < samples; i++) {
          dst[dstOff + i] = ((src[p++] & 0xFF) - 128) / 128f;
        }
      }
      case ULAW -> {
        for (int i = 0; i < samples; i++) {
          dst[dstOff + i] = ULAW[src[p++] & 0xFF];
        }
      }
      case ALAW -> {
        for (int i = 0; i < samples; i++) {
          dst[dstOff + i] = ALAW[src[p++] & 0xFF];
        }
      }
      case PCM_SIGNED -> {
        switch (f.bitsPerSample()) {
          case 8 -> {
            for (int i = 0; i < samples; i++) {
              dst[dstOff + i] = src[p++] / 128f;
            }
          }
          case 16 -> {
            for (int i = 0; i < samples; i++, p += 2) {
              int v = be ? (src[p] << 8) | (src[p + 1] & 0xFF) : (src[p + 1] << 8) | (src[p] & 0xFF);
              dst[dstOff + i] = v / 32768f;
            }
          }
          case 24 -> {
            for (int i = 0; i < samples; i++, p += 3) {
              int v = be
                  ? (src[p] << 16) | ((src[p + 1] & 0xFF) << 8) | (src[p + 2] & 0xFF)
                  : (src[p + 2] << 16) | ((src[p + 1] & 0xFF) << 8) | (src[p] & 0xFF);
              dst[dstOff + i] = v / 8388608f;
            }
          }
          default -> {
            for (int i = 0; i < samples; i++, p += 4) {
              int v = int32(src, p, be);
              dst[dstOff + i] = (float) (v / 2147483648.0);
            }
          }
        }
      }
      case FLOAT -> {
        if (f.bitsPerSample() == 32) {
          for (int i = 0; i < samples; i++, p += 4) {
            dst[dstOff + i] = Float.intBitsToFloat(int32(src, p, be));
          }
        } else {
          for (int i = 0; i < samples; i++, p += 8) {
            long hi = int32(src, be ? p : p + 4, be) & 0xFFFFFFFFL;
            long lo = int32(src, be ? p + 4 : p, be) & 0xFFFFFFFFL;
            dst[dstOff + i] = (float) Double.longBitsToDouble((hi << 32) | lo);
          }
        }
      }
    }
  }

  private static int int32(byte[] b, int p, boolean be) {
    return be
        ? (b[p] << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF)
        : (b[p + 3] << 24) | ((b[p + 2] & 0xFF) << 16) | ((b[p + 1] & 0xFF) << 8) | (b[p] & 0xFF);
  }
}
