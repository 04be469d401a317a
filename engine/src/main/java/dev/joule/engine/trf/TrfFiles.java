package dev.joule.engine.trf;

import dev.joule.decoder.lm.ArpaReader;
import dev.joule.decoder.lm.ArpaWriter;
import dev.joule.decoder.lm.BackoffLm;
import dev.joule.decoder.lm.LmException;
import dev.joule.decoder.lm.Vocabulary;
import dev.joule.engine.io.ParameterFile;
import dev.joule.engine.io.ParameterFileException;
import dev.joule.engine.model.ModelDirectory;
import dev.joule.engine.model.ModelFormatException;
import dev.joule.engine.model.ModelLayout;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A TRF language model on disk: a {@link ModelDirectory} with
 *
 * <ul>
 *   <li>{@value #PARAMS}: every parameter ({@link ParameterFile}), ζ included as {@code zeta}
 *       (entry l−1 is ζ_l);
 *   <li>{@value #VOCAB}: the vocabulary, one word per line in id order, the first three being
 *       {@code <s> </s> <unk>};
 *   <li>{@value #BASE}: the n-gram base of φ (ARPA), only for models that have one;
 *   <li>manifest properties {@code kind=trf-lm}, {@code trf.max-length}, {@code trf.embed-dim},
 *       {@code trf.hidden}, {@code trf.layers}, {@code trf.bidirectional}, {@code
 *       trf.length-prior} (natural-log π_1 … π_L, space separated) and, once tuned, {@code
 *       rescore.alpha}, {@code rescore.beta}, {@code rescore.gamma} ({@link RescoringWeights});
 *   <li>for a model saved by training, its {@link TrainingRecord}: the settings as {@code train.*}
 *       properties, and the state a resumed run needs (optimiser moments, the DNCE noise LSTM and
 *       its optimiser) as {@code train-NAME.jparams} files. {@link #load} skips them (scoring
 *       has no use for them); {@link #loadWithTraining} reads them.
 * </ul>
 *
 * <p>A TRF inside a speech recognition model ({@link ModelTrf}) is saved for scoring only
 * ({@link #saveForScoring}): float32 parameters (half the size; scores move by float32 rounding
 * only) and, when its n-gram base is the recognition model's own {@code lm.arpa}, no copy of it:
 * the property {@value #BASE_PROPERTY}{@code =}{@value #BASE_IN_ENCLOSING_MODEL} says so, and
 * such a directory takes its base from {@link #load(Path, BackoffLm)}'s n-gram or, opened alone,
 * from the {@code lm.arpa} of its parent directory.
 */
public final class TrfFiles {
  public static final String PARAMS = "trf.jparams";
  public static final String VOCAB = "vocab.txt";
  public static final String BASE = "base.arpa";
  public static final String KIND = "trf-lm";
  /** Prefix of training-record properties. */
  public static final String TRAIN_PREFIX = "train.";
  /** Property saying where the n-gram base is when {@value #BASE} is not in the directory. */
  public static final String BASE_PROPERTY = "trf.base";
  /** {@value #BASE_PROPERTY} value: the base is the enclosing recognition model's n-gram. */
  public static final String BASE_IN_ENCLOSING_MODEL = "enclosing-model-lm";
  private static final String STATE_PREFIX = "train-";
  private static final String STATE_SUFFIX = ".jparams";

  /**
   * A loaded model with its rescoring weights ({@code null} when none were tuned) and its training
   * record ({@code null} when it has none).
   */
  public record Loaded(TrfModel model, RescoringWeights weights, TrainingRecord training) {}

  private TrfFiles() {}

  /** Writes {@code model} (and {@code weights} when not null) to {@code dir}, replacing it atomically. */
  public static void save(Path dir, TrfModel model, RescoringWeights weights) throws IOException {
    save(dir, model, weights, null);
  }

  /** {@link #save(Path, TrfModel, RescoringWeights)} with a training record (when not null). */
  public static void save(Path dir, TrfModel model, RescoringWeights weights, TrainingRecord training) throws IOException {
    write(dir, model, weights, training, DType.FLOAT64, false);
  }

  /**
   * Writes what scoring needs of {@code model} and its tuned {@code weights}: float32
   * parameters, no training record, and the n-gram base only when {@code baseInEnclosingModel} is
   * false (when true, the directory relies on the recognition model it is put in for the base).
   */
  public static void saveForScoring(Path dir, TrfModel model, RescoringWeights weights, boolean baseInEnclosingModel)
      throws IOException {
    if (baseInEnclosingModel && model.base() == null) {
      throw new IllegalArgumentException("the TRF has no n-gram base to leave to the enclosing model");
    }
    write(dir, model, weights, null, DType.FLOAT32, baseInEnclosingModel);
  }

  private static void write(Path dir, TrfModel model, RescoringWeights weights, TrainingRecord training,
      DType parameterType, boolean baseInEnclosingModel) throws IOException {
    try (ModelDirectory.Builder b = ModelDirectory.create(dir)) {
      ParameterFile.save(b.path(PARAMS), model, parameterType);
      b.writeText(VOCAB, String.join("\n", model.vocabulary().words()) + "\n");
      if (baseInEnclosingModel) {
        b.property(BASE_PROPERTY, BASE_IN_ENCLOSING_MODEL);
      } else if (model.base() != null) {
        ArpaWriter.write(model.base(), b.path(BASE));
      }
      TrfConfig c = model.config();
      b.property("kind", KIND)
          .property("trf.max-length", Integer.toString(c.maxLength()))
          .property("trf.embed-dim", Integer.toString(c.embedDim()))
          .property("trf.hidden", Integer.toString(c.hidden()))
          .property("trf.layers", Integer.toString(c.layers()))
          .property("trf.bidirectional", Boolean.toString(c.bidirectional()));
      StringBuilder pi = new StringBuilder();
      for (double v : model.prior().logProbs()) {
        pi.append(pi.length() == 0 ? "" : " ").append(v);
      }
      b.property("trf.length-prior", pi.toString());
      if (weights != null) {
        b.property("rescore.alpha", Double.toString(weights.alpha()))
            .property("rescore.beta", Double.toString(weights.beta()))
            .property("rescore.gamma", Double.toString(weights.gamma()));
      }
      if (training != null) {
        training.properties().forEach(b::property);
        for (Map.Entry<String, Map<String, Tensor>> e : training.states().entrySet()) {
          ParameterFile.write(b.path(STATE_PREFIX + e.getKey() + STATE_SUFFIX), e.getValue());
        }
      }
      b.commit();
    }
  }

  /**
   * Reads a model written by {@link #save}, without its training record ({@code training()} is
   * null): what scoring and rescoring need.
   *
   * @throws ModelFormatException naming the directory or file and what is wrong with it
   */
  public static Loaded load(Path dir) throws IOException {
    return load(dir, false, null);
  }

  /**
   * {@link #load(Path)} for a TRF inside a recognition model whose n-gram is {@code enclosingLm}:
   * a TRF saved with its base in the enclosing model ({@link #saveForScoring}) takes that n-gram
   * as its base. ({@link #load(Path)} reads it from the parent directory's {@code lm.arpa}.)
   */
  public static Loaded load(Path dir, BackoffLm enclosingLm) throws IOException {
    return load(dir, false, enclosingLm);
  }

  /**
   * {@link #load} with the training record, when the model has one: for resuming its training
   * or saving it again without losing the record.
   */
  public static Loaded loadWithTraining(Path dir) throws IOException {
    return load(dir, true, null);
  }

  private static Loaded load(Path dir, boolean withTraining, BackoffLm enclosingLm) throws IOException {
    ModelDirectory m = ModelDirectory.open(dir);
    if (!KIND.equals(m.property("kind", ""))) {
      throw new ModelFormatException(dir + ": not a TRF language model (kind '" + m.property("kind", "") + "')");
    }
    try {
      TrfConfig config = new TrfConfig(
          intProperty(m, "trf.max-length"), intProperty(m, "trf.embed-dim"),
          intProperty(m, "trf.hidden"), intProperty(m, "trf.layers"),
          Boolean.parseBoolean(m.property("trf.bidirectional")));
      String[] parts = m.property("trf.length-prior").trim().split(" +");
      double[] logPi = new double[parts.length];
      for (int i = 0; i < parts.length; i++) {
        logPi[i] = Double.parseDouble(parts[i]);
      }
      LengthPrior prior = LengthPrior.ofLogProbs(logPi);
      List<String> words = new ArrayList<>(Files.readAllLines(m.file(VOCAB), StandardCharsets.UTF_8));
      if (words.size() < 4 || !words.get(0).equals(Vocabulary.BOS_WORD) || !words.get(1).equals(Vocabulary.EOS_WORD)
          || !words.get(2).equals(Vocabulary.UNK_WORD)) {
        throw new ModelFormatException(m.file(VOCAB) + ": must list <s>, </s>, <unk> and at least one word, one per line");
      }
      Vocabulary vocab = Vocabulary.of(words);
      if (vocab.size() != words.size()) {
        throw new ModelFormatException(m.file(VOCAB) + ": repeated words");
      }
      BackoffLm base = null;
      String baseAt = m.property(BASE_PROPERTY, "");
      if (baseAt.equals(BASE_IN_ENCLOSING_MODEL)) {
        if (enclosingLm == null) {
          enclosingLm = enclosingModelLm(dir);
        }
        if (!enclosingLm.vocabulary().words().equals(vocab.words())) {
          throw new ModelFormatException(m.file(VOCAB) + ": the enclosing model's n-gram, its base, has another vocabulary");
        }
        base = enclosingLm;
        vocab = base.vocabulary();
      } else if (!baseAt.isEmpty()) {
        throw new ModelFormatException(dir + ": unknown " + BASE_PROPERTY + " '" + baseAt + "'");
      } else if (m.has(BASE)) {
        try {
          base = ArpaReader.read(m.file(BASE));
        } catch (LmException e) {
          throw new ModelFormatException(m.file(BASE) + ": " + e.getMessage(), e);
        }
        if (!base.vocabulary().words().equals(vocab.words())) {
          throw new ModelFormatException(m.file(BASE) + ": its vocabulary differs from " + VOCAB);
        }
        vocab = base.vocabulary();
      }
      TrfModel model = new TrfModel(config, vocab, prior, base, new Random(0), DType.FLOAT64);
      ParameterFile.load(m.file(PARAMS), model);
      RescoringWeights w = null;
      if (m.properties().containsKey("rescore.alpha")) {
        w = new RescoringWeights(
            Double.parseDouble(m.property("rescore.alpha")), Double.parseDouble(m.property("rescore.beta")),
            Double.parseDouble(m.property("rescore.gamma")));
      }
      return new Loaded(model, w, withTraining ? training(m) : null);
    } catch (IllegalArgumentException | ParameterFileException e) {
      throw new ModelFormatException(dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The n-gram of the recognition model that holds the TRF directory {@code dir} (its parent's
   * {@code lm.arpa}), for a TRF opened on its own by path, as {@code joule lm trf-ppl} does.
   */
  private static BackoffLm enclosingModelLm(Path dir) throws IOException {
    Path parent = dir.toAbsolutePath().normalize().getParent();
    Path lm = parent == null ? null : parent.resolve(ModelLayout.LM);
    if (lm == null || !Files.isRegularFile(lm)) {
      throw new ModelFormatException(dir + ": its n-gram base is the " + ModelLayout.LM
          + " of the recognition model it belongs in, and " + (parent == null ? "it has no parent directory" : parent + " has none"));
    }
    try {
      return ArpaReader.read(lm);
    } catch (LmException e) {
      throw new ModelFormatException(lm + ": " + e.getMessage(), e);
    }
  }

  private static TrainingRecord training(ModelDirectory m) throws IOException {
    Map<String, String> props = new TreeMap<>();
    m.properties().forEach((k, v) -> {
      if (k.startsWith(TRAIN_PREFIX)) {
        props.put(k, v);
      }
    });
    Map<String, Map<String, Tensor>> states = new TreeMap<>();
    for (String name : m.files()) {
      if (name.startsWith(STATE_PREFIX) && name.endsWith(STATE_SUFFIX)) {
        String key = name.substring(STATE_PREFIX.length(), name.length() - STATE_SUFFIX.length());
        states.put(key, ParameterFile.read(m.file(name)));
      }
    }
    return props.isEmpty() && states.isEmpty() ? null : new TrainingRecord(props, states);
  }

  private static int intProperty(ModelDirectory m, String key) throws ModelFormatException {
    String v = m.property(key);
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new ModelFormatException(m.directory() + ": property " + key + " is not an integer: '" + v + "'");
    }
  }
}
