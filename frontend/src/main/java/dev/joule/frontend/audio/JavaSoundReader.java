package dev.joule.frontend.audio;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * AIFF, AIFF-C and AU through {@code javax.sound.sampled}: the JDK parses the header, Joule decodes
 * the samples (so all formats share one decoder) after checking the stated length against the
 * file's size.
 */
final class JavaSoundReader {
  private JavaSoundReader() {}

  static AudioInput open(Path file) throws IOException {
    long fileSize = AudioFiles.checkReadableFile(file);
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    AudioInputStream ais;
    try {
      ais = AudioSystem.getAudioInputStream(raw);
    } catch (UnsupportedAudioFileException | IOException | RuntimeException e) {
      raw.close();
      throw new AudioFormatException(file, "unreadable AIFF/AU header (" + e.getMessage() + ")", e);
    }
    try {
      AudioFormat f = ais.getFormat();
      PcmFormat format = toPcmFormat(file, f);
      long frames = ais.getFrameLength();
      long dataBytes = frames * format.bytesPerFrame();
      if (frames == AudioSystem.NOT_SPECIFIED || frames < 0) {
        throw new AudioFormatException(file, "header states no length");
      }
      if (dataBytes > fileSize) {
        throw new AudioFormatException(
            file, "header says " + frames + " frames (" + dataBytes + " bytes) but the file has "
                + fileSize + " bytes");
      }
      if (frames == 0) {
        throw new AudioFormatException(file, "no samples");
      }
      return new PcmAudioInput(file, format, frames, ais);
    } catch (IOException | RuntimeException e) {
      ais.close();
      throw e;
    }
  }

  private static PcmFormat toPcmFormat(Path file, AudioFormat f) throws AudioFormatException {
    AudioFormat.Encoding e = f.getEncoding();
    SampleEncoding encoding;
    if (e.equals(AudioFormat.Encoding.PCM_SIGNED)) {
      encoding = SampleEncoding.PCM_SIGNED;
    } else if (e.equals(AudioFormat.Encoding.PCM_UNSIGNED)) {
      encoding = SampleEncoding.PCM_UNSIGNED;
    } else if (e.equals(AudioFormat.Encoding.PCM_FLOAT)) {
      encoding = SampleEncoding.FLOAT;
    } else if (e.equals(AudioFormat.Encoding.ULAW)) {
      encoding = SampleEncoding.ULAW;
    } else if (e.equals(AudioFormat.Encoding.ALAW)) {
      encoding = SampleEncoding.ALAW;
    } else {
      throw new AudioFormatException(file, "unsupported codec " + e);
    }
    float rate = f.getSampleRate();
    if (!(rate == Math.rint(rate))) {
      throw new AudioFormatException(file, "non-integer sample rate " + rate);
    }
    try {
      PcmFormat format = new PcmFormat(
          (int) rate, f.getChannels(), f.getSampleSizeInBits(), encoding, f.isBigEndian());
      if (f.getFrameSize() != format.bytesPerFrame()) {
        throw new AudioFormatException(file, "frame size " + f.getFrameSize() + " does not match " + format);
      }
      return format;
    } catch (IllegalArgumentException ex) {
      throw new AudioFormatException(file, ex.getMessage());
    }
  }
}
