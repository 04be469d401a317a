package dev.joule.decoder.graph;

import dev.joule.decoder.fst.Fst;
import dev.joule.decoder.fst.OpenFst;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A compiled TLG with its symbol tables, the LM words that had no pronunciation, and the size and
 * time of each compilation step. Owns the OpenFST graph: close it when done.
 */
public final class CompiledGraph implements AutoCloseable {
  private final OpenFst tlg;
  private final Fst compact;
  private final GraphSymbols symbols;
  private final List<String> outOfLexicon;
  private final List<GraphCompiler.Stage> stages;

  CompiledGraph(
      OpenFst tlg, Fst compact, GraphSymbols symbols, List<String> outOfLexicon, List<GraphCompiler.Stage> stages) {
    this.tlg = tlg;
    this.compact = compact;
    this.symbols = symbols;
    this.outOfLexicon = List.copyOf(outOfLexicon);
    this.stages = List.copyOf(stages);
  }

  /** The graph (OpenFST, tropical, input labels = token + 1, output labels = words). */
  public OpenFst tlg() {
    return tlg;
  }

  /** The same graph as a compact {@link Fst} for search (arcs sorted by input label). */
  public Fst compact() {
    return compact;
  }

  public GraphSymbols symbols() {
    return symbols;
  }

  /** Words of the language model without a pronunciation; the graph cannot produce them. */
  public List<String> outOfLexicon() {
    return outOfLexicon;
  }

  public List<GraphCompiler.Stage> stages() {
    return stages;
  }

  /**
   * Writes {@code TLG.fst} (OpenFST), {@code TLG.jfst} (compact, memory-mappable),
   * {@code words.txt}, {@code tokens.txt} (graph input labels incl. {@code <eps>} and {@code #k})
   * and {@code oov.txt} (the out-of-lexicon words, one per line) into {@code dir}.
   */
  public void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    tlg.write(dir.resolve("TLG.fst"));
    compact.write(dir.resolve("TLG.jfst"));
    symbols.words().write(dir.resolve("words.txt"));
    symbols.inputSymbols().write(dir.resolve("tokens.txt"));
    Files.write(dir.resolve("oov.txt"), outOfLexicon);
  }

  @Override
  public void close() {
    tlg.close();
  }
}
