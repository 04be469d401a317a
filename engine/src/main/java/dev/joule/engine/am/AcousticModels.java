package dev.joule.engine.am;

import dev.joule.engine.io.ParameterFile;
import dev.joule.engine.model.ModelDirectory;
import dev.joule.engine.model.ModelFormatException;
import dev.joule.engine.model.ModelLayout;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Makes acoustic models from configurations ({@code arch=NAME} plus that architecture's keys),
 * and saves and loads them in a model directory ({@code am.conf} + {@code am.jparams}).
 * Architectures register here by name; {@code linear}, {@code tdnn}, {@code blstm} and
 * {@code conformer} are built in (each class documents its settings).
 */
public final class AcousticModels {
  private static final Map<String, BiFunction<Properties, Random, AcousticModel>> ARCHITECTURES = new TreeMap<>();

  static {
    register("linear", LinearAcousticModel::new);
    register("tdnn", TdnnAcousticModel::new);
    register("blstm", BlstmAcousticModel::new);
    register("conformer", ConformerAcousticModel::new);
  }

  private AcousticModels() {}

  /** Adds an architecture under {@code name} (the value of {@code arch} in configurations). */
  public static synchronized void register(String name, BiFunction<Properties, Random, AcousticModel> factory) {
    ARCHITECTURES.put(name, factory);
  }

  /** A freshly initialised model (weights drawn from {@code random}). */
  public static synchronized AcousticModel create(Properties config, Random random) {
    String arch = config.getProperty("arch");
    BiFunction<Properties, Random, AcousticModel> factory = arch == null ? null : ARCHITECTURES.get(arch);
    if (factory == null) {
      throw new IllegalArgumentException("unknown acoustic model architecture '" + arch + "'; known: " + ARCHITECTURES.keySet());
    }
    return factory.apply(config, random);
  }

  /**
   * {@link #create}, refusing settings the architecture never reads: a misspelt key
   * ({@code tdnn.hidden} for {@code hidden}) or one meant for another architecture would
   * otherwise be ignored without a word. For new models (training); loading stays lenient.
   */
  public static synchronized AcousticModel createChecked(Properties config, Random random) {
    ReadTracking tracked = new ReadTracking(config);
    AcousticModel model = create(tracked, random);
    Set<String> unread = new TreeSet<>(config.stringPropertyNames());
    unread.removeAll(tracked.read);
    unread.remove("arch");
    if (!unread.isEmpty()) {
      Set<String> known = new TreeSet<>(tracked.read);
      known.remove("arch");
      throw new IllegalArgumentException("setting(s) " + unread + " are not used by arch=" + config.getProperty("arch")
          + " (its settings: " + known + ")");
    }
    return model;
  }

  /** Properties that remember which keys were asked for. */
  private static final class ReadTracking extends Properties {
    final Set<String> read = new HashSet<>();

    ReadTracking(Properties source) {
      source.stringPropertyNames().forEach(k -> super.setProperty(k, source.getProperty(k)));
    }

    @Override
    public String getProperty(String key) {
      read.add(key);
      return super.getProperty(key);
    }

    @Override
    public String getProperty(String key, String defaultValue) {
      read.add(key);
      return super.getProperty(key, defaultValue);
    }
  }

  /** Writes {@code am.conf} and {@code am.jparams} into a model being built. */
  public static void save(AcousticModel model, ModelDirectory.Builder builder) throws IOException {
    try (Writer w = Files.newBufferedWriter(builder.path(ModelLayout.AM_CONFIG), StandardCharsets.UTF_8)) {
      model.config().store(w, "Joule acoustic model");
    }
    ParameterFile.save(builder.path(ModelLayout.AM_PARAMS), model);
  }

  /** Loads the acoustic model of a verified model directory. */
  public static AcousticModel load(ModelDirectory dir) throws IOException {
    Properties config = new Properties();
    try (Reader r = Files.newBufferedReader(dir.file(ModelLayout.AM_CONFIG), StandardCharsets.UTF_8)) {
      config.load(r);
    }
    AcousticModel model;
    try {
      model = create(config, new Random(0));
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(dir.file(ModelLayout.AM_CONFIG) + ": " + e.getMessage(), e);
    }
    ParameterFile.load(dir.file(ModelLayout.AM_PARAMS), model);
    model.train(false);
    return model;
  }

  /** An integer setting of a configuration, with a clear error when absent or malformed. */
  public static int intProperty(Properties config, String key) {
    String v = config.getProperty(key);
    if (v == null) {
      throw new IllegalArgumentException("acoustic model setting '" + key + "' is missing");
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("acoustic model setting '" + key + "' is not an integer: " + v);
    }
  }
}
