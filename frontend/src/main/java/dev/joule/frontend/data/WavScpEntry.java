package dev.joule.frontend.data;

import dev.joule.frontend.audio.Audio;
import dev.joule.frontend.audio.AudioFormatException;
import dev.joule.frontend.audio.AudioSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One {@code wav.scp} line: a recording id and either a file path or (only when the reader was
 * told to allow them) a shell command ending in {@code |} whose standard output is the audio.
 *
 * @param id recording id
 * @param location the path, or the command without its trailing {@code |}
 * @param command whether {@code location} is a command
 */
public record WavScpEntry(String id, String location, boolean command) {
  /** Longest a {@code wav.scp} command may run. */
  public static final long COMMAND_TIMEOUT_SECONDS = 600;

  /** The audio file (relative paths are relative to the working directory, as in Kaldi). */
  public Path path() {
    if (command) {
      throw new IllegalStateException(id + " is a command, not a file: " + location);
    }
    return Path.of(location);
  }

  /**
   * Opens the audio, mono at {@code rate}, from {@code startSeconds} to {@code endSeconds}
   * (negative: the whole recording / to its end). A command is run with {@code /bin/sh -c}, its
   * output kept in a temporary file that is deleted when the source is closed.
   */
  public AudioSource open(int rate, double startSeconds, double endSeconds) throws IOException {
    if (!command) {
      return startSeconds <= 0 && endSeconds < 0
          ? Audio.open(path(), rate)
          : Audio.open(path(), rate, Math.max(0, startSeconds), endSeconds);
    }
    Path tmp = Files.createTempFile("joule-wavscp-", ".wav");
    try {
      Process p = new ProcessBuilder("/bin/sh", "-c", location)
          .redirectOutput(tmp.toFile())
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AudioFormatException(Path.of(id), "command timed out: " + location);
      }
      if (p.exitValue() != 0) {
        throw new AudioFormatException(
            Path.of(id), "command exited with status " + p.exitValue() + ": " + location);
      }
      AudioSource src = startSeconds <= 0 && endSeconds < 0
          ? Audio.open(tmp, rate)
          : Audio.open(tmp, rate, Math.max(0, startSeconds), endSeconds);
      return new DeletingSource(src, tmp);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Files.deleteIfExists(tmp);
      throw new IOException("interrupted while running: " + location, e);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  /** Deletes the command's output when closed. */
  private record DeletingSource(AudioSource in, Path tmp) implements AudioSource {
    @Override
    public int sampleRate() {
      return in.sampleRate();
    }

    @Override
    public int read(float[] dst, int off, int len) throws IOException {
      return in.read(dst, off, len);
    }

    @Override
    public void close() throws IOException {
      try {
        in.close();
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
