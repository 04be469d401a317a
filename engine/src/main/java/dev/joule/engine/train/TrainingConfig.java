package dev.joule.engine.train;

import dev.joule.frontend.augment.SpecAugment;
import dev.joule.frontend.features.FbankOptions;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * A training configuration ({@code model.conf}, Java properties). Keys without one of the
 * prefixes below describe the acoustic model ({@code arch=tdnn|blstm|conformer|linear} and that
 * architecture's settings; {@code input.dim} and {@code tokens} are filled in by training).
 *
 * <pre>
 * fbank.num-mel-bins=80        fbank.dither=1          fbank.sample-frequency=16000
 * fbank.frame-length=25        fbank.frame-shift=10    fbank.low-freq=20   fbank.high-freq=0
 * train.epochs=20              train.seed=1            train.patience=3 (epochs without a better dev loss)
 * train.batch.frames=4000      train.batch.utterances=32   (padded input frames / utterances per batch)
 * train.lr=0.001               train.warmup.steps=200  train.lr.decay.rate=1   train.lr.decay.steps=1000
 * train.lr.min=0               train.clip.norm=5       train.lambda=0.01 (extra CTC weight)
 * train.checkpoint.steps=200   train.max.frames=3000 (longer utterances are left out)
 * specaugment=true             specaugment.freq.masks=2    specaugment.freq.width=min(27, bins/3)
 * specaugment.time.masks=2     specaugment.time.width=40   specaugment.time.ratio=0.05
 * specaugment.warp=0
 * den.order=4                  den.no.prune.order=3    den.min.count=70
 * </pre>
 *
 * @param source where the configuration came from (named in errors)
 */
public record TrainingConfig(
    Path source, Properties am, FbankOptions fbank, int epochs, long seed, int patience,
    int batchFrames, int batchUtterances, double lr, int warmupSteps, double lrDecayRate, int lrDecaySteps,
    double lrMin, double clipNorm, double lambda, int checkpointSteps, int maxFrames,
    SpecAugment specAugment, int denOrder, int denNoPruneOrder, long denMinCount) {

  private static final Set<String> KNOWN = Set.of(
      "fbank.num-mel-bins", "fbank.dither", "fbank.sample-frequency", "fbank.frame-length", "fbank.frame-shift",
      "fbank.low-freq", "fbank.high-freq",
      "train.epochs", "train.seed", "train.patience", "train.batch.frames", "train.batch.utterances", "train.lr",
      "train.warmup.steps", "train.lr.decay.rate", "train.lr.decay.steps", "train.lr.min", "train.clip.norm",
      "train.lambda", "train.checkpoint.steps", "train.max.frames",
      "specaugment", "specaugment.freq.masks", "specaugment.freq.width", "specaugment.time.masks",
      "specaugment.time.width", "specaugment.time.ratio", "specaugment.warp",
      "den.order", "den.no.prune.order", "den.min.count");

  /**
   * Reads and checks a configuration file.
   *
   * @throws TrainingException naming the file and the first bad key
   */
  public static TrainingConfig load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      throw new TrainingException(file + ": no such configuration file");
    } catch (IllegalArgumentException e) {
      throw new TrainingException(file + ": malformed properties (" + e.getMessage() + ")", e);
    }
    return of(p, file);
  }

  /** Checks a configuration given as properties; {@code source} is named in errors. */
  public static TrainingConfig of(Properties p, Path source) throws TrainingException {
    Settings r = new Settings(p, source);
    Properties am = new Properties();
    Set<String> unknown = new TreeSet<>();
    for (String key : p.stringPropertyNames()) {
      boolean reserved = key.startsWith("fbank.") || key.startsWith("train.") || key.startsWith("den.")
          || key.equals("specaugment") || key.startsWith("specaugment.");
      if (!reserved) {
        am.setProperty(key, p.getProperty(key).trim());
      } else if (!KNOWN.contains(key)) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      throw new TrainingException(source + ": unknown setting(s) " + unknown + " (joule train --help lists the settings)");
    }
    if (am.getProperty("arch") == null) {
      throw new TrainingException(source + ": 'arch' is missing (tdnn, blstm, conformer or linear)");
    }
    if (am.containsKey("input.dim") || am.containsKey("tokens")) {
      throw new TrainingException(source + ": 'input.dim' and 'tokens' are set by training (from the features and --tokens)");
    }
    FbankOptions fbank;
    try {
      fbank = FbankOptions.builder()
          .numMelBins(r.integer("fbank.num-mel-bins", 80, 1))
          .dither(r.decimal("fbank.dither", 1.0, 0))
          .sampleRate(r.decimal("fbank.sample-frequency", 16000, 1))
          .frameLengthMs(r.decimal("fbank.frame-length", 25, 0))
          .frameShiftMs(r.decimal("fbank.frame-shift", 10, 0))
          .lowFreq(r.decimal("fbank.low-freq", 20, 0))
          .highFreq(r.decimal("fbank.high-freq", 0, Double.NEGATIVE_INFINITY))
          .build();
    } catch (IllegalArgumentException e) {
      throw new TrainingException(source + ": bad fbank settings: " + e.getMessage(), e);
    }
    SpecAugment spec = null;
    if (r.bool("specaugment", true)) {
      int bins = fbank.numMelBins();
      spec = new SpecAugment(
          r.integer("specaugment.freq.masks", 2, 0), r.integer("specaugment.freq.width", Math.min(27, bins / 3), 0),
          r.integer("specaugment.time.masks", 2, 0), r.integer("specaugment.time.width", 40, 0),
          r.decimal("specaugment.time.ratio", 0.05, 0), r.integer("specaugment.warp", 0, 0), 0f);
      if (spec.maxTimeRatio() > 1) {
        throw new TrainingException(source + ": specaugment.time.ratio must be <= 1");
      }
    }
    int denOrder = r.integer("den.order", 4, 1);
    int noPrune = r.integer("den.no.prune.order", 3, 1);
    if (noPrune > denOrder) {
      throw new TrainingException(source + ": den.no.prune.order (" + noPrune + ") exceeds den.order (" + denOrder + ")");
    }
    double decayRate = r.decimal("train.lr.decay.rate", 1, 0);
    if (decayRate <= 0 || decayRate > 1) {
      throw new TrainingException(source + ": train.lr.decay.rate must be in (0, 1], got " + decayRate);
    }
    return new TrainingConfig(source, am, fbank,
        r.integer("train.epochs", 20, 1), r.integer("train.seed", 1, 0), r.integer("train.patience", 3, 1),
        r.integer("train.batch.frames", 4000, 1), r.integer("train.batch.utterances", 32, 1),
        r.positive("train.lr", 1e-3), r.integer("train.warmup.steps", 200, 0), decayRate,
        r.integer("train.lr.decay.steps", 1000, 1), r.decimal("train.lr.min", 0, 0),
        r.positive("train.clip.norm", 5), r.decimal("train.lambda", 0.01, 0),
        r.integer("train.checkpoint.steps", 200, 1), r.integer("train.max.frames", 3000, 3),
        spec, denOrder, noPrune, r.integer("den.min.count", 70, 0));
  }

  /** Typed lookups that name the file and key in every error. */
  private record Settings(Properties p, Path source) {
    int integer(String key, int fallback, int min) throws TrainingException {
      String v = p.getProperty(key);
      if (v == null) {
        return fallback;
      }
      try {
        int x = Integer.parseInt(v.trim());
        if (x >= min) {
          return x;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new TrainingException(source + ": " + key + " must be an integer >= " + min + ", not '" + v + "'");
    }

    double decimal(String key, double fallback, double min) throws TrainingException {
      String v = p.getProperty(key);
      if (v == null) {
        return fallback;
      }
      try {
        double x = Double.parseDouble(v.trim());
        if (Double.isFinite(x) && x >= min) {
          return x;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new TrainingException(source + ": " + key + " must be a number >= " + (min == (long) min ? Long.toString((long) min) : Double.toString(min))
          + ", not '" + v + "'");
    }

    double positive(String key, double fallback) throws TrainingException {
      String v = p.getProperty(key);
      if (v == null) {
        return fallback;
      }
      try {
        double x = Double.parseDouble(v.trim());
        if (Double.isFinite(x) && x > 0) {
          return x;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new TrainingException(source + ": " + key + " must be a number > 0, not '" + v + "'");
    }

    boolean bool(String key, boolean fallback) throws TrainingException {
      String v = p.getProperty(key);
      if (v == null) {
        return fallback;
      }
      return switch (v.trim()) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new TrainingException(source + ": " + key + " must be true or false, not '" + v + "'");
      };
    }
  }
}
