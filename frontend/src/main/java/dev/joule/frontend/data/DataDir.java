package dev.joule.frontend.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Kaldi data directory: {@code wav.scp} (required), and optionally {@code segments},
 * {@code text} and {@code utt2spk}. With {@code segments} the utterances are its entries (each a
 * piece of a {@code wav.scp} recording); without, every recording is one utterance.
 *
 * <p>Cross-file consistency is checked on loading: a segment's recording must be in
 * {@code wav.scp}; {@code text} and {@code utt2spk} may only name known utterances.
 */
public final class DataDir {
  private final Path dir;
  private final List<Utterance> utterances;

  private DataDir(Path dir, List<Utterance> utterances) {
    this.dir = dir;
    this.utterances = Collections.unmodifiableList(utterances);
  }

  /** True when {@code dir} is a directory with a {@code wav.scp}. */
  public static boolean isDataDir(Path dir) {
    return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve("wav.scp"));
  }

  /**
   * Loads {@code dir}.
   *
   * @param allowCommands accept {@code cmd |} entries in {@code wav.scp} (they run a shell)
   * @throws DataFormatException naming the file and line of the first problem
   */
  public static DataDir load(Path dir, boolean allowCommands) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new DataFormatException(dir, 0, Files.exists(dir) ? "not a directory" : "no such directory");
    }
    Path wavScp = dir.resolve("wav.scp");
    Map<String, WavScpEntry> wavs = KaldiFiles.readWavScp(wavScp, allowCommands);
    Path segFile = dir.resolve("segments");
    Map<String, String> text = optional(dir.resolve("text")) ? KaldiFiles.readText(dir.resolve("text")) : Map.of();
    Map<String, String> spk = optional(dir.resolve("utt2spk")) ? KaldiFiles.readUtt2Spk(dir.resolve("utt2spk")) : Map.of();
    List<Utterance> utts = new ArrayList<>();
    if (optional(segFile)) {
      List<KaldiFiles.Line> lines = KaldiFiles.readLines(segFile);
      Map<String, Segment> segs = KaldiFiles.readSegments(segFile);
      int i = 0;
      for (Segment s : segs.values()) {
        WavScpEntry rec = wavs.get(s.recording());
        if (rec == null) {
          throw new DataFormatException(segFile, lines.get(i).number(),
              "recording '" + s.recording() + "' is not in " + wavScp);
        }
        utts.add(new Utterance(s.id(), rec, s.start(), s.end(), text.get(s.id()), spk.get(s.id())));
        i++;
      }
    } else {
      for (WavScpEntry w : wavs.values()) {
        utts.add(new Utterance(w.id(), w, 0, -1, text.get(w.id()), spk.get(w.id())));
      }
    }
    checkKnown(dir.resolve("text"), text, utts);
    checkKnown(dir.resolve("utt2spk"), spk, utts);
    return new DataDir(dir, utts);
  }

  private static boolean optional(Path file) {
    return Files.exists(file);
  }

  private static void checkKnown(Path file, Map<String, String> m, List<Utterance> utts)
      throws IOException {
    if (m.isEmpty()) {
      return;
    }
    Set<String> ids = new HashSet<>();
    for (Utterance u : utts) {
      ids.add(u.id());
    }
    for (KaldiFiles.Line l : KaldiFiles.readLines(file)) {
      if (!ids.contains(l.id())) {
        throw new DataFormatException(file, l.number(), "unknown utterance '" + l.id() + "'");
      }
    }
  }

  public Path dir() {
    return dir;
  }

  /** Utterances in file order. */
  public List<Utterance> utterances() {
    return utterances;
  }
}
