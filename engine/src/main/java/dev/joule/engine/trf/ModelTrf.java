package dev.joule.engine.trf;

import dev.joule.decoder.lm.ArpaReader;
import dev.joule.decoder.lm.BackoffLm;
import dev.joule.decoder.lm.LmException;
import dev.joule.engine.model.ModelDirectory;
import dev.joule.engine.model.ModelFormatException;
import dev.joule.engine.model.ModelLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The TRF language model inside a speech recognition model: the sub-directory {@value
 * ModelLayout#TRF} (a whole {@link TrfFiles} model, weights included) plus the model's n-gram
 * {@value ModelLayout#LM}, which rescoring combines with it.
 */
public final class ModelTrf {
  /** What rescoring a model's n-best lists needs: the n-gram, the TRF and the tuned weights. */
  public record Rescoring(BackoffLm ngram, TrfModel trf, RescoringWeights weights) {
    public NbestRescorer rescorer() {
      return new NbestRescorer(ngram, trf);
    }
  }

  private ModelTrf() {}

  /** Whether {@code model} holds a TRF language model. */
  public static boolean present(ModelDirectory model) {
    return model.has(ModelLayout.TRF_MANIFEST);
  }

  /**
   * Loads the model's TRF, its weights and the n-gram.
   *
   * @throws ModelFormatException naming the file when the model has no TRF, no weights, no
   *     n-gram, or one of them is corrupt
   */
  public static Rescoring load(ModelDirectory model) throws IOException {
    if (!present(model)) {
      throw new ModelFormatException(model.directory() + ": the model has no TRF language model (no "
          + ModelLayout.TRF_MANIFEST + "; add one with joule lm trf-attach)");
    }
    // The outer manifest has checked every file of trf/ already; loading checks them again
    // against the nested manifest and reads the TRF's own properties.
    BackoffLm ngram = ngram(model);
    TrfFiles.Loaded loaded = TrfFiles.load(model.directory().resolve(ModelLayout.TRF), ngram);
    if (loaded.weights() == null) {
      throw new ModelFormatException(model.file(ModelLayout.TRF_MANIFEST)
          + ": the TRF has no rescoring weights (tune them with joule lm rescore --tune before attaching it)");
    }
    return new Rescoring(ngram, loaded.model(), loaded.weights());
  }

  /**
   * Puts the TRF model directory {@code trf} into the model {@code model} as {@value
   * ModelLayout#TRF}/, replacing any TRF it had; the model is rewritten atomically, its other
   * files and properties unchanged. The TRF goes in as {@link TrfFiles#saveForScoring} writes it:
   * without its training record (optimiser state and the like, of use only for resuming its
   * training), with float32 parameters, and without its n-gram base when that file is the
   * model's {@code lm.arpa} byte for byte (a TRF trained on the model's n-gram), so the model
   * holds that n-gram once.
   *
   * @throws ModelFormatException when either directory is not intact, the TRF has no tuned
   *     weights, or the model has no n-gram to rescore with
   */
  public static void attach(Path model, Path trf) throws IOException {
    ModelDirectory m = ModelDirectory.open(model);
    TrfFiles.Loaded loaded = TrfFiles.load(trf);
    if (loaded.weights() == null) {
      throw new ModelFormatException(trf + ": the TRF has no rescoring weights (tune them first: joule lm rescore --tune REFS)");
    }
    ngram(m);
    try (ModelDirectory.Builder b = ModelDirectory.create(model)) {
      for (String name : m.files()) {
        if (!name.startsWith(ModelLayout.TRF + "/")) {
          b.copy(m.file(name), name);
        }
      }
      for (Map.Entry<String, String> e : m.properties().entrySet()) {
        b.property(e.getKey(), e.getValue());
      }
      Path scoringOnly = Files.createTempDirectory("joule-trf-");
      try {
        boolean baseIsModelLm = loaded.model().base() != null
            && Files.mismatch(trf.resolve(TrfFiles.BASE), m.file(ModelLayout.LM)) == -1;
        TrfFiles.saveForScoring(scoringOnly.resolve("trf"), loaded.model(), loaded.weights(), baseIsModelLm);
        b.copyDirectory(scoringOnly.resolve("trf"), ModelLayout.TRF);
        b.commit();
      } finally {
        ModelDirectory.deleteTree(scoringOnly);
      }
    }
  }

  private static BackoffLm ngram(ModelDirectory model) throws IOException {
    if (!model.has(ModelLayout.LM)) {
      throw new ModelFormatException(model.directory() + ": rescoring needs the model's n-gram " + ModelLayout.LM
          + ", which the model does not have");
    }
    try {
      return ArpaReader.read(model.file(ModelLayout.LM));
    } catch (LmException e) {
      throw new ModelFormatException(model.file(ModelLayout.LM) + ": " + e.getMessage(), e);
    }
  }
}
