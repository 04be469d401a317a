package dev.joule.decoder.fst;

import java.io.IOException;

/**
 * The header of an OpenFST binary file ({@code FstHeader::Read} in OpenFST's fst.cc) and the
 * binary symbol tables that may follow it, parsed without trusting any size in them.
 *
 * <p>Layout, little-endian: int32 magic 2125659606; string FST type ("vector", "const", ...);
 * string arc type ("standard", "log", ...); int32 version; uint32 flags (1: input symbols
 * follow, 2: output symbols follow, 4: aligned body); uint64 properties; int64 start; int64
 * number of states (-1 in a vector FST written to a stream: read until the end); int64 number of
 * arcs. A string is an int32 length and that many bytes. A symbol table
 * ({@code SymbolTable::Read}) is int32 magic 2125658996, string name, int64 available key,
 * int64 size, then size pairs of string symbol and int64 key.
 */
public final class OpenFstHeader {
  static final int FST_MAGIC = 2125659606;
  static final int SYMBOL_TABLE_MAGIC = 2125658996;
  static final int HAS_ISYMBOLS = 0x1;
  static final int HAS_OSYMBOLS = 0x2;
  static final int IS_ALIGNED = 0x4;
  /** Longer type names than this are not OpenFST's (the longest it registers is 27 bytes). */
  private static final int MAX_TYPE_BYTES = 64;
  /** A symbol table's name is usually the text file it was compiled from. */
  private static final int MAX_NAME_BYTES = 1 << 16;
  private static final int MAX_SYMBOL_BYTES = 1 << 16;

  private final String fstType;
  private final String arcType;
  private final int version;
  private final int flags;
  private final long properties;
  private final long start;
  private final long numStates;
  private final long numArcs;

  private OpenFstHeader(String fstType, String arcType, int version, int flags, long properties, long start,
      long numStates, long numArcs) {
    this.fstType = fstType;
    this.arcType = arcType;
    this.version = version;
    this.flags = flags;
    this.properties = properties;
    this.start = start;
    this.numStates = numStates;
    this.numArcs = numArcs;
  }

  /** Reads the header and skips the symbol tables it announces; {@code in} is left at the body. */
  static OpenFstHeader read(OpenFstInput in) throws IOException {
    if (in.size() < 4 || in.int32("magic number") != FST_MAGIC) {
      throw new FstFormatException(in.file(), "not an OpenFST binary file (bad magic number)");
    }
    String fstType = in.string("FST type", MAX_TYPE_BYTES);
    String arcType = in.string("arc type", MAX_TYPE_BYTES);
    int version = in.int32("version");
    int flags = in.int32("flags");
    long properties = in.int64("properties");
    long start = in.int64("start state");
    long numStates = in.int64("number of states");
    long numArcs = in.int64("number of arcs");
    OpenFstHeader h = new OpenFstHeader(fstType, arcType, version, flags, properties, start, numStates, numArcs);
    if ((flags & HAS_ISYMBOLS) != 0) {
      skipSymbolTable(in, "input symbol table");
    }
    if ((flags & HAS_OSYMBOLS) != 0) {
      skipSymbolTable(in, "output symbol table");
    }
    return h;
  }

  private static void skipSymbolTable(OpenFstInput in, String which) throws IOException {
    long at = in.position();
    if (in.int32(which + " magic number") != SYMBOL_TABLE_MAGIC) {
      throw in.problem(at, which + " has a bad magic number");
    }
    in.string(which + " name", MAX_NAME_BYTES);
    in.int64(which + " available key");
    long sizeAt = in.position();
    long size = in.int64(which + " size");
    // Each entry takes at least 12 bytes (an empty symbol and its key).
    if (size < 0 || size > in.remaining() / 12) {
      throw in.problem(sizeAt, which + " claims " + size + " symbols; the file has room for at most "
          + in.remaining() / 12);
    }
    String symbolField = which + " symbol";
    String keyField = which + " key";
    for (long i = 0; i < size; i++) {
      in.string(symbolField, MAX_SYMBOL_BYTES);
      long keyAt = in.position();
      long key = in.int64(keyField);
      if (key < 0) {
        throw in.problem(keyAt, which + " has negative key " + key);
      }
    }
  }

  /** "vector", "const", ... */
  public String fstType() {
    return fstType;
  }

  /** "standard" (tropical), "log", ... */
  public String arcType() {
    return arcType;
  }

  public int version() {
    return version;
  }

  public int flags() {
    return flags;
  }

  /** OpenFST's property bits as stored; OpenFST trusts them, Joule does not check them. */
  public long properties() {
    return properties;
  }

  /** The start state, or -1 for none. */
  public long start() {
    return start;
  }

  /** The number of states, or -1 when a vector FST was written without it. */
  public long numStates() {
    return numStates;
  }

  /** The number of arcs stored in the header (set by const FSTs; vector FSTs leave it 0). */
  public long numArcs() {
    return numArcs;
  }
}
