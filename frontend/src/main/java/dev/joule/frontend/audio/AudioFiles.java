package dev.joule.frontend.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Opens an audio file by its content: WAV (RIFF/RIFX) with Joule's own reader, AIFF/AIFF-C and
 * Sun/NeXT AU through {@code javax.sound.sampled}. Headerless raw PCM needs its layout stated
 * ({@link #openRaw}).
 */
public final class AudioFiles {
  private AudioFiles() {}

  /** Opens {@code file}; the caller closes the result. */
  public static AudioInput open(Path file) throws IOException {
    checkReadableFile(file);
    byte[] magic = new byte[12];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(magic, 0, magic.length);
    }
    String head = new String(magic, 0, Math.min(n, 4), StandardCharsets.ISO_8859_1);
    if (head.equals("RIFF") || head.equals("RIFX")) {
      return WavReader.open(file);
    }
    if (head.equals("FORM") || head.equals(".snd")) {
      return JavaSoundReader.open(file);
    }
    String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".raw") || name.endsWith(".pcm")) {
      throw new AudioFormatException(file, "raw PCM has no header: state its sample format (joule fbank --raw-format), "
          + "or convert it to WAV (sox -t raw -r 16000 -e signed -b 16 -c 1 IN.raw OUT.wav)");
    }
    if (n == 0) {
      throw new AudioFormatException(file, "empty file");
    }
    throw new AudioFormatException(
        file, "unrecognised audio format (supported: WAV, AIFF, AU; headerless PCM named .raw or .pcm with its format stated)");
  }

  /** Opens a headerless file of interleaved samples laid out as {@code format}. */
  public static AudioInput openRaw(Path file, PcmFormat format) throws IOException {
    return RawPcmReader.open(file, format);
  }

  /** Format, length and duration of {@code file}, read from its header. */
  public static AudioInfo info(Path file) throws IOException {
    try (AudioInput in = open(file)) {
      return new AudioInfo(file, in.format(), in.frames());
    }
  }

  /**
   * Checks that {@code file} exists, is a regular file and is readable; returns its size.
   *
   * @throws AudioFormatException naming the problem otherwise
   */
  static long checkReadableFile(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new AudioFormatException(file, "is a directory, not an audio file");
    }
    if (!Files.exists(file)) {
      throw new AudioFormatException(file, "no such file", new NoSuchFileException(file.toString()));
    }
    if (!Files.isRegularFile(file)) {
      throw new AudioFormatException(file, "not a regular file");
    }
    if (!Files.isReadable(file)) {
      throw new AudioFormatException(file, "not readable (permission denied)");
    }
    return Files.size(file);
  }
}
