package dev.joule.engine.train;

import dev.joule.frontend.FloatMatrix;
import dev.joule.frontend.audio.AudioSource;
import dev.joule.frontend.data.DataDir;
import dev.joule.frontend.data.KaldiFiles;
import dev.joule.frontend.data.Utterance;
import dev.joule.frontend.features.Cmvn;
import dev.joule.frontend.features.Fbank;
import dev.joule.frontend.features.FbankOptions;
import dev.joule.frontend.features.Features;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.zip.CRC32C;

/**
 * The utterances of a Kaldi data directory ready for training: fbank features computed once and
 * kept in memory (epochs reuse them), and phone labels from {@code text.phones}
 * ({@code <utt> <phone> <phone> ...}, phone names from the token table).
 *
 * <p>Every utterance of {@code wav.scp} needs a phone transcript. Utterances with no frames or
 * more than {@code maxFrames} are left out and counted. Features are computed with a fresh
 * {@link Fbank} per utterance, so dither (when on) does not depend on the order or the number of
 * threads: the same data always gives the same features, which resuming relies on.
 */
public final class TrainingSet {
  /** The name of the phone transcript file in a data directory. */
  public static final String PHONE_TRANSCRIPTS = "text.phones";

  /** One utterance: its id, features {@code [frames][bins]} and token ids 1..V−1. */
  public record Example(String id, FloatMatrix features, int[] labels) {
    public int frames() {
      return features.rows();
    }
  }

  private final Path dir;
  private final List<Example> examples;
  private final int leftOut;

  private TrainingSet(Path dir, List<Example> examples, int leftOut) {
    this.dir = dir;
    this.examples = Collections.unmodifiableList(examples);
    this.leftOut = leftOut;
  }

  /**
   * Loads a data directory and computes its features.
   *
   * @throws TrainingException for a missing {@code text.phones}, an utterance without a phone
   *     transcript, or an unknown phone (naming the file, utterance and phone)
   * @throws IOException for unreadable audio (naming the file)
   */
  public static TrainingSet load(Path dir, Tokens tokens, FbankOptions fbank, int maxFrames) throws IOException {
    DataDir data = DataDir.load(dir, false);
    Path phonesFile = dir.resolve(PHONE_TRANSCRIPTS);
    if (!Files.isRegularFile(phonesFile)) {
      throw new TrainingException(phonesFile + ": missing; training needs phone transcripts "
          + "(one utterance per line: id, then phone names from " + tokens.file() + ")");
    }
    Map<String, String> phones = KaldiFiles.readText(phonesFile);
    List<Utterance> utts = data.utterances();
    List<int[]> labels = new ArrayList<>();
    for (Utterance u : utts) {
      String line = phones.get(u.id());
      if (line == null) {
        throw new TrainingException(phonesFile + ": no phone transcript for utterance '" + u.id() + "'");
      }
      labels.add(parse(phonesFile, u.id(), line, tokens));
    }
    for (String id : phones.keySet()) {
      if (utts.stream().noneMatch(u -> u.id().equals(id))) {
        throw new TrainingException(phonesFile + ": utterance '" + id + "' is not in " + dir.resolve("wav.scp"));
      }
    }
    FloatMatrix[] feats = new FloatMatrix[utts.size()];
    try {
      IntStream.range(0, utts.size()).parallel().forEach(i -> feats[i] = compute(utts.get(i), fbank));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    List<Example> examples = new ArrayList<>();
    int leftOut = 0;
    for (int i = 0; i < utts.size(); i++) {
      if (feats[i].rows() == 0 || feats[i].rows() > maxFrames) {
        leftOut++;
      } else {
        examples.add(new Example(utts.get(i).id(), feats[i], labels.get(i)));
      }
    }
    if (examples.isEmpty()) {
      throw new TrainingException(dir + ": no usable utterances (" + leftOut + " have no frames or more than " + maxFrames + ")");
    }
    return new TrainingSet(dir, examples, leftOut);
  }

  private static int[] parse(Path file, String id, String line, Tokens tokens) throws TrainingException {
    String[] names = line.isBlank() ? new String[0] : line.trim().split("\\s+");
    int[] out = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      out[i] = tokens.phone(names[i]);
      if (out[i] < 1) {
        throw new TrainingException(file + ": utterance '" + id + "' has phone '" + names[i] + "', which is not in " + tokens.file());
      }
    }
    return out;
  }

  private static FloatMatrix compute(Utterance u, FbankOptions opts) {
    try (AudioSource src = u.open((int) opts.sampleRate())) {
      return Features.compute(src, new Fbank(opts));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path dir() {
    return dir;
  }

  public List<Example> examples() {
    return examples;
  }

  /** Utterances left out for having no frames or too many. */
  public int leftOut() {
    return leftOut;
  }

  /** Input frames per utterance. */
  public int[] lengths() {
    return examples.stream().mapToInt(Example::frames).toArray();
  }

  public long totalFrames() {
    return examples.stream().mapToLong(Example::frames).sum();
  }

  /**
   * A checksum of the utterance ids, labels and features: a resumed run checks that it sees
   * the data the checkpoint was trained on.
   */
  public String fingerprint() {
    CRC32C crc = new CRC32C();
    ByteBuffer buf = ByteBuffer.allocate(4096);
    for (Example e : examples) {
      crc.update(e.id().getBytes(StandardCharsets.UTF_8));
      for (int l : e.labels()) {
        put(crc, buf).putInt(l);
      }
      for (float v : e.features().data()) {
        put(crc, buf).putFloat(v);
      }
    }
    crc.update(buf.flip());
    return examples.size() + " utterances, " + totalFrames() + " frames, crc " + Long.toHexString(crc.getValue());
  }

  /** {@code buf} with room for 4 bytes, its contents checksummed first when it is full. */
  private static ByteBuffer put(CRC32C crc, ByteBuffer buf) {
    if (buf.remaining() < 4) {
      crc.update(buf.flip());
      buf.clear();
    }
    return buf;
  }

  /** CMVN statistics of all features. */
  public Cmvn statistics() {
    Cmvn c = new Cmvn(examples.get(0).features().cols());
    examples.forEach(e -> c.accumulate(e.features()));
    return c;
  }

  /** Normalises every utterance's features in place (means and variances). */
  public void normalise(Cmvn cmvn) {
    examples.forEach(e -> cmvn.apply(e.features(), true));
  }
}
