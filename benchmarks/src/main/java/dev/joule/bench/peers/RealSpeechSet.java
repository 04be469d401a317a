package dev.joule.bench.peers;

import dev.joule.frontend.audio.Audio;
import dev.joule.frontend.audio.AudioSource;
import dev.joule.frontend.audio.PcmFormat;
import dev.joule.frontend.audio.WavWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real speech for accuracy checks, from Debian's {@code pocketsphinx-testdata}: the five
 * {@code cards/} recordings with their transcription file, and {@code goforward.raw}
 * ("go forward ten meters", the grammar the package ships with it), written as a Kaldi data
 * directory that {@code joule bench} reads.
 *
 * <p>Usage: {@code RealSpeechSet OUT_DIR [DATA_ROOT]}.
 */
public final class RealSpeechSet {
  /** Where the Debian package installs the data. */
  public static final Path DEFAULT_ROOT = Path.of("/usr/share/pocketsphinx/test/data");

  private static final Pattern TRANSCRIPTION = Pattern.compile("^\\s*(?:<s>)?(.*?)(?:</s>)?\\s*\\(([^)]+)\\)\\s*$");

  private RealSpeechSet() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: RealSpeechSet OUT_DIR [DATA_ROOT]");
      System.exit(1);
    }
    writeDataDir(args.length > 1 ? Path.of(args[1]) : DEFAULT_ROOT, Path.of(args[0]));
  }

  /**
   * Writes {@code out/wav.scp} and {@code out/text} for the recordings under {@code root}; the
   * headerless {@code goforward.raw} becomes {@code out/goforward.wav}. Fails naming the file when
   * the data is not installed.
   */
  public static void writeDataDir(Path root, Path out) throws IOException {
    Path cards = root.resolve("cards");
    Path transcription = cards.resolve("cards.transcription");
    if (!Files.isRegularFile(transcription)) {
      throw new IOException(transcription + ": not found; run benchmarks/install-peers.sh "
          + "(apt-get install pocketsphinx-testdata)");
    }
    Files.createDirectories(out);
    List<String> wavScp = new ArrayList<>();
    List<String> text = new ArrayList<>();
    int lineNo = 0;
    for (String line : Files.readAllLines(transcription, StandardCharsets.UTF_8)) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      Matcher m = TRANSCRIPTION.matcher(line);
      if (!m.matches()) {
        throw new IOException(transcription + ":" + lineNo + ": expected '<s> words </s> (id)'");
      }
      String id = m.group(2).trim();
      wavScp.add("cards-" + id + " " + cards.resolve(id + ".wav").toAbsolutePath());
      text.add("cards-" + id + " " + normalise(m.group(1)));
    }
    // 16 kHz 16-bit little-endian mono without a header, as the package's tests read it.
    Path goforward = out.resolve("goforward.wav").toAbsolutePath();
    try (AudioSource src = Audio.openRaw(root.resolve("goforward.raw"), PcmFormat.s16le(16000), 16000)) {
      WavWriter.write(goforward, Audio.readAll(src), 16000);
    }
    wavScp.add("goforward " + goforward);
    text.add("goforward go forward ten meters");
    Files.write(out.resolve("wav.scp"), wavScp, StandardCharsets.UTF_8);
    Files.write(out.resolve("text"), text, StandardCharsets.UTF_8);
  }

  static String normalise(String words) {
    String s = words.toLowerCase(Locale.ROOT).trim();
    return s.isEmpty() ? "" : String.join(" ", s.split("\\s+"));
  }
}
