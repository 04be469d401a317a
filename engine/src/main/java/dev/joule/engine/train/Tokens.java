package dev.joule.engine.train;

import dev.joule.decoder.fst.SymbolTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The acoustic model's token table ({@code tokens.txt}: {@code <blk> 0}, then one phone per id
 * 1..V−1 with no gaps), as training needs it: the vocabulary size and phone names to ids.
 */
public final class Tokens {
  /** The CTC blank's symbol, id 0. */
  public static final String BLANK = "<blk>";

  private final Path file;
  private final SymbolTable table;

  private Tokens(Path file, SymbolTable table) {
    this.file = file;
    this.table = table;
  }

  /**
   * Reads and checks a token table.
   *
   * @throws TrainingException when the file is missing, malformed, or not {@code <blk> 0} followed
   *     by ids 1..V−1
   */
  public static Tokens read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new TrainingException(file + ": no such token table (expected '<blk> 0', then one phone per line with ids 1, 2, ...)");
    }
    SymbolTable t;
    try {
      t = SymbolTable.read(file);
    } catch (IOException e) {
      throw new TrainingException(e.getMessage(), e);
    }
    if (t.id(BLANK) != 0) {
      throw new TrainingException(file + ": the blank '" + BLANK + "' must have id 0");
    }
    if (t.size() < 2 || t.availableId() != t.size()) {
      throw new TrainingException(file + ": token ids must be 0.." + (t.size() - 1) + " without gaps and hold at least one phone");
    }
    return new Tokens(file, t);
  }

  public Path file() {
    return file;
  }

  /** Vocabulary size V, blank included. */
  public int size() {
    return table.size();
  }

  /** The id (1..V−1) of a phone, or −1 when the table does not have it (or it is the blank). */
  public int phone(String name) {
    int id = table.id(name);
    return id > 0 ? id : -1;
  }

  /** The symbol of token {@code id}. */
  public String symbol(int id) {
    return table.symbol(id);
  }
}
