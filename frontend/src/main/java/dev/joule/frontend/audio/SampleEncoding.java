package dev.joule.frontend.audio;

/** How one sample is stored in a PCM byte stream. */
public enum SampleEncoding {
  /** Two's-complement integers of 8, 16, 24 or 32 bits. */
  PCM_SIGNED,
  /** Offset-binary integers (WAV's 8-bit PCM: 128 is zero). */
  PCM_UNSIGNED,
  /** IEEE 754 floats of 32 or 64 bits, nominally in [-1, 1]. */
  FLOAT,
  /** ITU-T G.711 A-law, 8 bits. */
  ALAW,
  /** ITU-T G.711 µ-law, 8 bits. */
  ULAW
}
