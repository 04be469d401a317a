package dev.joule.bench.peers;

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
 * ("go forward ten meters", the grammar the package ships with it).
 */
public final class RealSpeechSet {
  /** Where the Debian package installs the data. */
  public static final Path DEFAULT_ROOT = Path.of("/usr/share/pocketsphinx/test/data");

  private static final Pattern TRANSCRIPTION = Pattern.compile("^\\s*(?:<s>)?(.*?)(?:</s>)?\\s*\\(([^)]+)\\)\\s*$");

  private RealSpeechSet() {}

  /** The utterances under {@code root}; fails naming the file when the data is not installed. */
  public static List<Utterance> load(Path root) throws IOException {
    Path cards = root.resolve("cards");
    Path transcription = cards.resolve("cards.transcription");
    if (!Files.isRegularFile(transcription)) {
      throw new IOException(transcription + ": not found; install Debian's pocketsphinx-testdata");
    }
    List<Utterance> out = new ArrayList<>();
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
      out.add(new Utterance("cards-" + id, cards.resolve(id + ".wav"), false, normalise(m.group(1))));
    }
    out.add(new Utterance("goforward", root.resolve("goforward.raw"), true, "go forward ten meters"));
    return out;
  }

  static String normalise(String words) {
    return String.join(" ", words.toLowerCase(Locale.ROOT).trim().split("\\s+"));
  }
}
