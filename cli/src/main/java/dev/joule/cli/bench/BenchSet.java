package dev.joule.cli.bench;

import dev.joule.decoder.scoring.TranscriptFiles;
import dev.joule.frontend.audio.Audio;
import dev.joule.frontend.audio.AudioFormatException;
import dev.joule.frontend.audio.AudioSource;
import dev.joule.frontend.data.DataDir;
import dev.joule.frontend.data.DataFormatException;
import dev.joule.frontend.data.Utterance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The utterances of a Kaldi data directory with their reference words, every one read once
 * before anything is timed: a missing or unreadable file fails here, naming it, instead of
 * half-way through a long run, and peers get the same 16 kHz samples Joule reads.
 */
public final class BenchSet {
  /** One utterance, its reference words and its audio at {@link Peer#SAMPLE_RATE}. */
  public record Item(Utterance utterance, List<String> reference, float[] samples) {
    public String id() {
      return utterance.id();
    }

    public double audioSeconds() {
      return samples.length / (double) Peer.SAMPLE_RATE;
    }
  }

  private final Path dir;
  private final List<Item> items;
  private final Map<String, List<String>> references;
  private final Map<String, String> speakers;

  private BenchSet(Path dir, List<Item> items, Map<String, List<String>> references, Map<String, String> speakers) {
    this.dir = dir;
    this.items = Collections.unmodifiableList(items);
    this.references = Collections.unmodifiableMap(references);
    this.speakers = Collections.unmodifiableMap(speakers);
  }

  /**
   * Loads {@code dir} ({@code wav.scp} and {@code text} required, {@code segments} and
   * {@code utt2spk} optional).
   *
   * @throws DataFormatException naming the file of the first problem (missing {@code text}, an
   *     utterance without a reference, audio that cannot be decoded)
   */
  public static BenchSet load(Path dir, boolean allowCommands) throws IOException {
    DataDir data = DataDir.load(dir, allowCommands);
    Path textFile = dir.resolve("text");
    if (!Files.isRegularFile(textFile)) {
      throw new DataFormatException(textFile, 0, "no such file; benchmarking needs reference transcripts");
    }
    // Read references exactly as `joule score` does, so both give the same WER.
    Map<String, List<String>> refs = TranscriptFiles.readText(textFile);
    List<Item> items = new ArrayList<>();
    Map<String, List<String>> ordered = new LinkedHashMap<>();
    Map<String, String> speakers = new LinkedHashMap<>();
    for (Utterance u : data.utterances()) {
      List<String> ref = refs.get(u.id());
      if (ref == null) {
        throw new DataFormatException(textFile, 0, "no reference for utterance '" + u.id() + "'");
      }
      items.add(new Item(u, ref, read(u)));
      ordered.put(u.id(), ref);
      if (u.speaker() != null) {
        speakers.put(u.id(), u.speaker());
      }
    }
    if (items.isEmpty()) {
      throw new DataFormatException(dir.resolve("wav.scp"), 0, "no utterances");
    }
    return new BenchSet(dir, items, ordered, speakers);
  }

  private static float[] read(Utterance u) throws IOException {
    try (AudioSource src = u.open(Peer.SAMPLE_RATE)) {
      return Audio.readAll(src);
    } catch (DataFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Say which utterance the file belongs to; the file itself is named once, in front.
      String why = String.valueOf(e.getMessage());
      if (e instanceof AudioFormatException a && why.startsWith(a.file() + ": ")) {
        why = why.substring((a.file() + ": ").length());
      }
      throw new DataFormatException(Path.of(u.recording().location()), 0,
          "cannot read the audio of utterance '" + u.id() + "': " + why);
    }
  }

  public Path dir() {
    return dir;
  }

  public List<Item> items() {
    return items;
  }

  /** Utterance id to reference words, in data-directory order. */
  public Map<String, List<String>> references() {
    return references;
  }

  /** Utterance id to speaker where {@code utt2spk} says. */
  public Map<String, String> speakers() {
    return speakers;
  }

  /** Seconds of audio in the set. */
  public double audioSeconds() {
    double s = 0;
    for (Item i : items) {
      s += i.audioSeconds();
    }
    return s;
  }

  public int referenceWords() {
    int n = 0;
    for (Item i : items) {
      n += i.reference().size();
    }
    return n;
  }
}
