package dev.joule.frontend.audio;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Headerless interleaved PCM (e.g. {@code goforward.raw}: 16 kHz 16-bit little-endian mono). */
final class RawPcmReader {
  private RawPcmReader() {}

  static AudioInput open(Path file, PcmFormat format) throws IOException {
    long size = AudioFiles.checkReadableFile(file);
    if (size % format.bytesPerFrame() != 0) {
      throw new AudioFormatException(
          file, "size " + size + " bytes is not a whole number of " + format.bytesPerFrame()
              + "-byte frames (" + format + ")");
    }
    long frames = size / format.bytesPerFrame();
    if (frames == 0) {
      throw new AudioFormatException(file, "no samples (empty file)");
    }
    return new PcmAudioInput(
        file, format, frames, new BufferedInputStream(Files.newInputStream(file), 1 << 16));
  }
}
