package dev.joule.models.recipe;

import dev.joule.engine.model.ModelDirectory;
import dev.joule.engine.model.ModelLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Joins a trained acoustic model (the directory {@code joule train} writes) and a compiled
 * decoding graph (the directory {@code joule compile-graph} writes) into one recognition model:
 * every file of the acoustic model, plus {@code TLG.jfst} and {@code words.txt}, and the
 * {@code lexicon.txt} and {@code lm.arpa} the graph was made from when the graph directory holds them. The acoustic
 * model's {@code tokens.txt} is kept: it is the table the network was trained on, and the graph
 * was compiled against the same one.
 *
 * <p>Usage: {@code ModelAssembler AM_DIR GRAPH_DIR OUT_DIR [key=value ...]} (extra manifest properties).
 */
public final class ModelAssembler {
  private ModelAssembler() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      System.err.println("usage: ModelAssembler AM_DIR GRAPH_DIR OUT_DIR [key=value ...]");
      System.exit(1);
    }
    assemble(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), java.util.Arrays.copyOfRange(args, 3, args.length));
  }

  /** Writes the joined model to {@code out} atomically and returns it, verified. */
  public static ModelDirectory assemble(Path amDir, Path graphDir, Path out, String... properties) throws IOException {
    return assemble(amDir, graphDir, null, null, out, properties);
  }

  /**
   * As {@link #assemble(Path, Path, Path, String...)}, with the n-gram LM and the lexicon the graph
   * was compiled from given as files ({@code null}: taken from the graph directory when there).
   */
  public static ModelDirectory assemble(Path amDir, Path graphDir, Path lm, Path lexicon, Path out, String... properties)
      throws IOException {
    for (Path given : new Path[] {lm, lexicon}) {
      if (given != null && !Files.isRegularFile(given)) {
        throw new java.nio.file.NoSuchFileException(given + ": no such file");
      }
    }
    ModelDirectory am = ModelDirectory.open(amDir);
    for (String name : new String[] {ModelLayout.GRAPH, ModelLayout.WORDS}) {
      if (!Files.isRegularFile(graphDir.resolve(name))) {
        throw new IOException(graphDir.resolve(name) + ": missing; run joule compile-graph first");
      }
    }
    try (ModelDirectory.Builder b = ModelDirectory.create(out)) {
      for (String name : am.files()) {
        b.copy(am.file(name), name);
      }
      b.copy(graphDir.resolve(ModelLayout.GRAPH), ModelLayout.GRAPH);
      b.copy(graphDir.resolve(ModelLayout.WORDS), ModelLayout.WORDS);
      copyOptional(b, lexicon, graphDir.resolve(ModelLayout.LEXICON), ModelLayout.LEXICON);
      copyOptional(b, lm, graphDir.resolve(ModelLayout.LM), ModelLayout.LM);
      for (Map.Entry<String, String> e : am.properties().entrySet()) {
        b.property(e.getKey(), e.getValue());
      }
      for (String kv : properties) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("property '" + kv + "' is not key=value");
        }
        b.property(kv.substring(0, eq), kv.substring(eq + 1));
      }
      b.commit();
    }
    return ModelDirectory.open(out);
  }

  /** Copies {@code given}, or else {@code inGraph} when it exists, as {@code name}. */
  private static void copyOptional(ModelDirectory.Builder b, Path given, Path inGraph, String name) throws IOException {
    Path source = given != null ? given : Files.isRegularFile(inGraph) ? inGraph : null;
    if (source != null) {
      b.copy(source, name);
    }
  }
}
