package dev.joule.decoder.fst;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A bidirectional map between symbols and integer labels, in OpenFST's text format: one
 * {@code symbol id} pair per line, separated by whitespace ({@code fstcompile --isymbols} reads the
 * files {@link #write} produces). Ids need not be dense; new symbols get the largest id plus one.
 * Not thread-safe while being changed.
 */
public final class SymbolTable {
  private final Map<String, Integer> ids = new HashMap<>();
  private final List<String> byId = new ArrayList<>();
  private int nextId;

  public SymbolTable() {}

  /** Reads an OpenFST text symbol table; blank lines are skipped. */
  public static SymbolTable read(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new FstFormatException(path, "no such file");
    }
    SymbolTable table = new SymbolTable();
    long lineNo = 0;
    for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
      lineNo++;
      String trimmed = line.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      String[] fields = trimmed.split("\\s+");
      if (fields.length != 2) {
        throw new FstFormatException(path, lineNo, "expected 'symbol id', found '" + trimmed + "'");
      }
      int id;
      try {
        id = Integer.parseInt(fields[1]);
      } catch (NumberFormatException e) {
        throw new FstFormatException(path, lineNo, "id '" + fields[1] + "' is not an integer");
      }
      if (id < 0) {
        throw new FstFormatException(path, lineNo, "negative id " + id);
      }
      if (table.ids.containsKey(fields[0])) {
        throw new FstFormatException(path, lineNo, "symbol '" + fields[0] + "' appears twice");
      }
      if (table.symbol(id) != null) {
        throw new FstFormatException(path, lineNo, "id " + id + " appears twice");
      }
      try {
        table.put(fields[0], id);
      } catch (IllegalArgumentException e) {
        // e.g. a control character that Character.isWhitespace rejects but \s does not split on
        throw new FstFormatException(path, lineNo, e.getMessage());
      }
    }
    return table;
  }

  /** Writes the table in id order, tab-separated, as {@code fstprint} expects. */
  public void write(Path path) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (BufferedWriter w = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
      for (int id = 0; id < byId.size(); id++) {
        String s = byId.get(id);
        if (s != null) {
          w.write(s);
          w.write('\t');
          w.write(Integer.toString(id));
          w.write('\n');
        }
      }
    }
  }

  /** Adds {@code symbol} with the next free id, or returns its id when present. */
  public int add(String symbol) {
    Integer id = ids.get(symbol);
    return id != null ? id : put(symbol, nextId);
  }

  /**
   * Adds {@code symbol} with the given id.
   *
   * @throws IllegalArgumentException when the symbol or the id is already used differently
   */
  public int put(String symbol, int id) {
    if (id < 0) {
      throw new IllegalArgumentException("negative id " + id + " for '" + symbol + "'");
    }
    if (symbol.isEmpty() || symbol.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("symbol '" + symbol + "' is empty or contains whitespace");
    }
    Integer old = ids.get(symbol);
    String oldSymbol = symbol(id);
    if (old != null && old == id) {
      return id;
    }
    if (old != null || oldSymbol != null) {
      throw new IllegalArgumentException("cannot map '" + symbol + "' to " + id + ": already used");
    }
    ids.put(symbol, id);
    while (byId.size() <= id) {
      byId.add(null);
    }
    byId.set(id, symbol);
    nextId = Math.max(nextId, id + 1);
    return id;
  }

  /** The id of {@code symbol}, or -1 when absent. */
  public int id(String symbol) {
    Integer id = ids.get(symbol);
    return id == null ? -1 : id;
  }

  /** The symbol with this id, or {@code null} when none has it. */
  public String symbol(int id) {
    return id >= 0 && id < byId.size() ? byId.get(id) : null;
  }

  public boolean contains(String symbol) {
    return ids.containsKey(symbol);
  }

  /** How many symbols the table holds. */
  public int size() {
    return ids.size();
  }

  /** The largest id plus one (the id {@link #add} gives next). */
  public int availableId() {
    return nextId;
  }
}
