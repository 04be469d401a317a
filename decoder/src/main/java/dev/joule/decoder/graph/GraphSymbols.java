package dev.joule.decoder.graph;

import dev.joule.decoder.fst.SymbolTable;
import java.util.Collection;

/**
 * The label layout shared by T, L, G and TLG (the CTC conventions of DESIGN.md, Kaldi's for
 * disambiguation):
 *
 * <ul>
 *   <li>graph input labels: 0 is epsilon, token {@code t} (blank is token 0) is {@code t + 1}, and
 *       disambiguation symbol {@code #k} is {@code disambigBase() + k}, after the last token;
 *   <li>word labels: 0 is epsilon, words 1..N in the order given, then {@code #0}, which marks the
 *       grammar's backoff arcs on G's input side.
 * </ul>
 */
public final class GraphSymbols {
  private final SymbolTable tokens;
  private final SymbolTable inputs = new SymbolTable();
  private final SymbolTable words = new SymbolTable();
  private final int disambigBase;
  private final int maxDisambig;
  private final int wordBackoff;

  private GraphSymbols(SymbolTable table, Collection<String> vocabulary, int maxDisambig) {
    SymbolTable tokens = ctcTokens(table);
    this.tokens = tokens;
    this.maxDisambig = maxDisambig;
    if (tokens.symbol(0) == null) {
      throw new GraphException("the token table has no id 0 (the CTC blank)");
    }
    if (tokens.size() != tokens.availableId()) {
      throw new GraphException("token ids must be 0.." + (tokens.size() - 1) + " without gaps (the network's outputs)");
    }
    inputs.put("<eps>", 0);
    for (int t = 0; t < tokens.availableId(); t++) {
      String name = tokens.symbol(t);
      if (name == null) {
        continue;
      }
      if (name.equals("<eps>") || name.startsWith("#")) {
        throw new GraphException("token '" + name + "' (id " + t + ") clashes with the graph's epsilon or"
            + " disambiguation symbols");
      }
      inputs.put(name, t + 1);
    }
    disambigBase = tokens.availableId() + 1;
    for (int k = 0; k <= maxDisambig; k++) {
      inputs.put("#" + k, disambigBase + k);
    }
    words.put("<eps>", 0);
    for (String w : vocabulary) {
      if (w.equals("<eps>") || w.equals("#0")) {
        throw new GraphException("word '" + w + "' clashes with a reserved symbol");
      }
      words.add(w);
    }
    wordBackoff = words.add("#0");
  }

  /**
   * The CTC token table of {@code table}: the table itself when id 0 is the blank, or, for a graph
   * input table in EESEN's layout ({@code <eps>} 0, blank 1, tokens, {@code #k}) such as the
   * {@code tokens.txt} that {@link CompiledGraph#write} produces, its tokens shifted down by one.
   */
  public static SymbolTable ctcTokens(SymbolTable table) {
    if (!"<eps>".equals(table.symbol(0))) {
      return table;
    }
    SymbolTable tokens = new SymbolTable();
    for (int id = 1; id < table.availableId(); id++) {
      String name = table.symbol(id);
      if (name != null && !name.startsWith("#")) {
        tokens.put(name, id - 1);
      }
    }
    return tokens;
  }

  /**
   * The layout for a token table (id 0 the blank, or a graph input table, see {@link #ctcTokens}), a vocabulary (word labels follow its order),
   * and disambiguation symbols {@code #0..#maxDisambig}.
   */
  public static GraphSymbols create(SymbolTable tokens, Collection<String> vocabulary, int maxDisambig) {
    return new GraphSymbols(tokens, vocabulary, maxDisambig);
  }

  /** The CTC token table (id 0 the blank). */
  public SymbolTable tokens() {
    return tokens;
  }

  /** Names of the graph input labels (for {@code fstprint --isymbols}). */
  public SymbolTable inputSymbols() {
    return inputs;
  }

  /** Names of the word labels (for {@code fstprint --osymbols}). */
  public SymbolTable words() {
    return words;
  }

  /** Graph input label of a token name, or a {@link GraphException} when it is not a token. */
  public int tokenLabel(String token) {
    int id = tokens.id(token);
    if (id < 0) {
      throw new GraphException("'" + token + "' is not in the token table");
    }
    return id + 1;
  }

  /** Graph input label of the blank. */
  public int blankLabel() {
    return 1;
  }

  /** Number of tokens including the blank (labels 1..numTokens are token labels). */
  public int numTokenLabels() {
    return disambigBase - 1;
  }

  public int disambigLabel(int k) {
    if (k < 0 || k > maxDisambig) {
      throw new IllegalArgumentException("no disambiguation symbol #" + k);
    }
    return disambigBase + k;
  }

  public int maxDisambig() {
    return maxDisambig;
  }

  public boolean isDisambig(int inputLabel) {
    return inputLabel >= disambigBase && inputLabel <= disambigBase + maxDisambig;
  }

  /** Word label of {@code word}, or -1 when it is not in the vocabulary. */
  public int wordLabel(String word) {
    int id = words.id(word);
    return id == wordBackoff ? -1 : id;
  }

  /** The word-side {@code #0} label of the grammar's backoff arcs. */
  public int wordBackoffLabel() {
    return wordBackoff;
  }
}
