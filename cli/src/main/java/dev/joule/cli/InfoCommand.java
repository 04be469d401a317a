package dev.joule.cli;

import dev.joule.decoder.fst.Fst;
import dev.joule.decoder.fst.SymbolTable;
import dev.joule.engine.am.AcousticModel;
import dev.joule.engine.am.AcousticModels;
import dev.joule.engine.model.ModelDirectory;
import dev.joule.engine.model.ModelLayout;
import dev.joule.engine.recognizer.ModelLocator;
import dev.joule.engine.recognizer.NoModelException;
import dev.joule.engine.trf.ModelTrf;
import dev.joule.engine.trf.RescoringWeights;
import dev.joule.engine.trf.TrfConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code joule info}: what a model directory holds, verified. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = "Verifies a model directory (checksums) and shows its properties, files, acoustic model, "
        + "features, decoding graph and TRF language model.")
final class InfoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "MODEL", description = "model directory (default: the default model)")
  Path model;

  @Override
  public Integer call() throws Exception {
    if (model != null) {
      return describe(model, model.toAbsolutePath().toString());
    }
    var installed = ModelLocator.defaultDirectory();
    if (installed.isPresent()) {
      return describe(installed.get(), installed.get().toAbsolutePath().toString());
    }
    if (!ModelLocator.hasBundledDefault()) {
      throw new NoModelException(ModelLocator.NO_MODEL_MESSAGE);
    }
    // The model transcribe uses without --model: verified from a temporary copy, like Recognizer.openDefault.
    Path copy = ModelLocator.extractBundledDefault();
    try {
      return describe(copy, "the bundled default model (in joule.jar)");
    } finally {
      ModelLocator.deleteTree(copy);
    }
  }

  private Integer describe(Path dir, String name) throws IOException {
    ModelDirectory m = ModelDirectory.open(dir);
    PrintWriter out = spec.commandLine().getOut();
    out.println("model: " + name + " (verified)");
    for (Map.Entry<String, String> e : m.properties().entrySet()) {
      out.println("  " + e.getKey() + ": " + e.getValue());
    }
    out.println("files:");
    for (String f : m.files()) {
      out.printf(Locale.ROOT, "  %-16s %,14d bytes%n", f, Files.size(m.file(f)));
    }
    if (m.has(ModelLayout.AM_CONFIG) && m.has(ModelLayout.AM_PARAMS)) {
      AcousticModel am = AcousticModels.load(m);
      out.printf(Locale.ROOT, "acoustic model: %s, %d inputs, %d tokens, subsampling %d, %,d parameters%n",
          am.config().getProperty("arch"), am.inputDim(), am.numTokens(), am.subsampling(), am.parameterCount());
    }
    if (m.has(ModelLayout.FBANK_CONFIG)) {
      String conf = Files.readString(m.file(ModelLayout.FBANK_CONFIG), StandardCharsets.UTF_8)
          .replaceAll("#[^\n]*", "").strip().replaceAll("\\s+", " ");
      out.println("features: fbank " + (conf.isEmpty() ? "(defaults)" : conf)
          + (m.has(ModelLayout.CMVN) ? ", global CMVN" : ", no CMVN"));
    }
    if (m.has(ModelLayout.GRAPH)) {
      Fst g = Fst.load(m.file(ModelLayout.GRAPH));
      out.printf(Locale.ROOT, "decoding graph: %,d states, %,d arcs%n", g.numStates(), g.numArcs());
    }
    if (m.has(ModelLayout.WORDS)) {
      out.printf(Locale.ROOT, "words: %,d%n", SymbolTable.read(m.file(ModelLayout.WORDS)).size());
    }
    out.println("TRF language model: " + trf(m));
    out.flush();
    return ExitCodes.OK;
  }

  /** Whether the model can rescore with a TRF, and with what. */
  private static String trf(ModelDirectory m) throws IOException {
    if (!ModelTrf.present(m)) {
      return "none (n-best lists are not rescored; see joule lm trf-attach)";
    }
    ModelTrf.Rescoring r = ModelTrf.load(m);
    TrfConfig c = r.trf().config();
    RescoringWeights w = r.weights();
    return String.format(Locale.ROOT, "yes (%s/: vocabulary of %,d, sentences up to %d words, %s LSTM %d×%d,%s %,d parameters;"
            + " rescoring weights alpha %.4g beta %.4g gamma %.4g with %s; transcribe rescores with it unless --no-rescore)",
        ModelLayout.TRF, r.trf().vocabulary().size(), c.maxLength(), c.bidirectional() ? "bidirectional" : "forward",
        c.layers(), c.hidden(), r.trf().base() != null ? " n-gram base," : "", r.trf().parameterCount(),
        w.alpha(), w.beta(), w.gamma(), ModelLayout.LM);
  }
}
