package dev.joule.decoder.fst;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A compact, immutable WFST for search, stored as CSR arrays: the arcs of state {@code s} are
 * {@code arcBegin(s) .. arcEnd(s)-1}, sorted by input label, and each arc is read field by field
 * ({@link #ilabel}, {@link #olabel}, {@link #weight}, {@link #nextState}). Walking arcs never calls
 * native code.
 *
 * <p>Files in Joule's own format ({@link #write}) load by memory map ({@link #load}) without copying
 * arcs onto the heap; {@link #fromOpenFst} and {@link #toOpenFst} convert from and to OpenFST.
 * Instances are safe to share between threads.
 *
 * <p>File format (little-endian): the 8 bytes {@code JOULEFST}, then int32 version (1), semiring
 * code, number of states {@code n}, number of arcs {@code m}, start state (-1: none), and a reserved
 * int32 (0); then int32 {@code arcStart[n+1]}, {@code ilabel[m]}, {@code olabel[m]},
 * {@code nextState[m]}, float32 {@code weight[m]} and {@code finalWeight[n]}.
 */
public final class Fst {
  private static final byte[] MAGIC = "JOULEFST".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;
  private static final int HEADER_BYTES = 32;

  private final Semiring semiring;
  private final int start;
  private final IntBuffer arcStart;
  private final IntBuffer ilabel;
  private final IntBuffer olabel;
  private final IntBuffer next;
  private final FloatBuffer weight;
  private final FloatBuffer finals;

  private Fst(
      Semiring semiring,
      int start,
      IntBuffer arcStart,
      IntBuffer ilabel,
      IntBuffer olabel,
      IntBuffer next,
      FloatBuffer weight,
      FloatBuffer finals) {
    this.semiring = semiring;
    this.start = start;
    this.arcStart = arcStart;
    this.ilabel = ilabel;
    this.olabel = olabel;
    this.next = next;
    this.weight = weight;
    this.finals = finals;
  }

  /**
   * An FST from CSR arrays; arcs within a state are sorted here by input label (stably), so they
   * may come in any order. The arrays are copied.
   *
   * @throws IllegalArgumentException when the arrays are inconsistent (lengths, state ids,
   *     negative labels, NaN weights)
   */
  public static Fst of(
      Semiring semiring,
      int start,
      int[] arcStart,
      int[] ilabel,
      int[] olabel,
      float[] weight,
      int[] next,
      float[] finals) {
    int n = finals.length;
    int m = ilabel.length;
    if (arcStart.length != n + 1 || olabel.length != m || weight.length != m || next.length != m) {
      throw new IllegalArgumentException("CSR arrays differ in length");
    }
    String problem = check(n, m, start, IntBuffer.wrap(arcStart), IntBuffer.wrap(ilabel),
        IntBuffer.wrap(olabel), IntBuffer.wrap(next), FloatBuffer.wrap(weight), FloatBuffer.wrap(finals), false);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    int[] order = sortedOrder(arcStart, ilabel, n);
    int[] il = new int[m];
    int[] ol = new int[m];
    int[] nx = new int[m];
    float[] w = new float[m];
    for (int k = 0; k < m; k++) {
      int src = order[k];
      il[k] = ilabel[src];
      ol[k] = olabel[src];
      nx[k] = next[src];
      w[k] = weight[src];
    }
    return new Fst(semiring, start, IntBuffer.wrap(arcStart.clone()), IntBuffer.wrap(il), IntBuffer.wrap(ol),
        IntBuffer.wrap(nx), FloatBuffer.wrap(w), FloatBuffer.wrap(finals.clone()));
  }

  /** A compact copy of an OpenFST graph (which is left unchanged). */
  public static Fst fromOpenFst(OpenFst fst) {
    OpenFst.Export e = fst.export();
    return of(fst.semiring(), fst.start(), e.arcStart(), e.ilabel(), e.olabel(), e.weight(), e.next(), e.finals());
  }

  /** An OpenFST copy of this graph, with the same state numbering and arc order. */
  public OpenFst toOpenFst() {
    OpenFst out = OpenFst.create(semiring);
    try {
      int n = numStates();
      int m = numArcs();
      if (n > 0) {
        out.addStates(n);
      }
      if (start >= 0) {
        out.setStart(start);
      }
      int[] src = new int[m];
      int[] il = new int[m];
      int[] ol = new int[m];
      int[] nx = new int[m];
      float[] w = new float[m];
      for (int s = 0; s < n; s++) {
        for (int a = arcBegin(s); a < arcEnd(s); a++) {
          src[a] = s;
          il[a] = ilabel(a);
          ol[a] = olabel(a);
          nx[a] = nextState(a);
          w[a] = weight(a);
        }
        float f = finalWeight(s);
        if (f != Float.POSITIVE_INFINITY) {
          out.setFinal(s, f);
        }
      }
      out.addArcs(src, il, ol, w, nx);
      return out;
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }

  public Semiring semiring() {
    return semiring;
  }

  /** The start state, or -1 for the empty FST. */
  public int start() {
    return start;
  }

  public int numStates() {
    return finals.limit();
  }

  public int numArcs() {
    return ilabel.limit();
  }

  /** Index of the first arc of {@code state}. */
  public int arcBegin(int state) {
    return arcStart.get(state);
  }

  /** One past the index of the last arc of {@code state}. */
  public int arcEnd(int state) {
    return arcStart.get(state + 1);
  }

  public int ilabel(int arc) {
    return ilabel.get(arc);
  }

  public int olabel(int arc) {
    return olabel.get(arc);
  }

  /** The arc's cost (−log p in the FST's semiring). */
  public float weight(int arc) {
    return weight.get(arc);
  }

  public int nextState(int arc) {
    return next.get(arc);
  }

  /** The final cost of {@code state}; {@code +Infinity} when it is not final. */
  public float finalWeight(int state) {
    return finals.get(state);
  }

  /**
   * The first arc of {@code state} with input label {@code label}, or -1; later arcs with the same
   * label follow it. Binary search, as arcs are sorted by input label.
   */
  public int findArc(int state, int label) {
    int lo = arcBegin(state);
    int hi = arcEnd(state);
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ilabel.get(mid) < label) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo < arcEnd(state) && ilabel.get(lo) == label ? lo : -1;
  }

  /** Writes this graph in Joule's compact format (see the class comment). */
  public void write(Path path) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      header.put(MAGIC).putInt(VERSION).putInt(semiring.nativeCode).putInt(numStates()).putInt(numArcs())
          .putInt(start).putInt(0).flip();
      writeFully(ch, header);
      writeInts(ch, arcStart);
      writeInts(ch, ilabel);
      writeInts(ch, olabel);
      writeInts(ch, next);
      writeFloats(ch, weight);
      writeFloats(ch, finals);
    }
    Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Maps a file written by {@link #write} into memory and checks it through (offsets, state ids,
   * label order, weights), so a corrupt file fails here rather than during search.
   *
   * @throws FstFormatException naming the file and the problem
   */
  public static Fst load(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new FstFormatException(path, "no such file");
    }
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < HEADER_BYTES) {
        throw new FstFormatException(path, "too short for a Joule FST (" + size + " bytes)");
      }
      ByteBuffer h = ch.map(FileChannel.MapMode.READ_ONLY, 0, HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      byte[] magic = new byte[MAGIC.length];
      h.get(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new FstFormatException(path, "not a Joule FST file (bad magic; OpenFST files load with OpenFst.read)");
      }
      int version = h.getInt();
      if (version != VERSION) {
        throw new FstFormatException(path, "unsupported format version " + version);
      }
      int code = h.getInt();
      Semiring semiring;
      try {
        semiring = Semiring.fromNative(code);
      } catch (IllegalStateException e) {
        throw new FstFormatException(path, "unknown semiring code " + code);
      }
      int n = h.getInt();
      int m = h.getInt();
      int start = h.getInt();
      if (n < 0 || m < 0) {
        throw new FstFormatException(path, "negative state or arc count");
      }
      long expected = HEADER_BYTES + 4L * ((n + 1L) + 4L * m + n);
      if (size != expected) {
        throw new FstFormatException(
            path, "size " + size + " bytes does not match " + n + " states and " + m + " arcs (" + expected + ")");
      }
      long pos = HEADER_BYTES;
      IntBuffer arcStart = mapInts(ch, pos, n + 1L);
      pos += 4L * (n + 1);
      IntBuffer il = mapInts(ch, pos, m);
      pos += 4L * m;
      IntBuffer ol = mapInts(ch, pos, m);
      pos += 4L * m;
      IntBuffer nx = mapInts(ch, pos, m);
      pos += 4L * m;
      FloatBuffer w = mapFloats(ch, pos, m);
      pos += 4L * m;
      FloatBuffer fin = mapFloats(ch, pos, n);
      String problem = check(n, m, start, arcStart, il, ol, nx, w, fin, true);
      if (problem != null) {
        throw new FstFormatException(path, problem);
      }
      return new Fst(semiring, start, arcStart, il, ol, nx, w, fin);
    }
  }

  /** The first inconsistency in the arrays, or null. */
  private static String check(
      int n, int m, int start, IntBuffer arcStart, IntBuffer il, IntBuffer ol, IntBuffer nx,
      FloatBuffer w, FloatBuffer fin, boolean requireSorted) {
    if (start < -1 || start >= n) {
      return "start state " + start + " out of range (" + n + " states)";
    }
    if (arcStart.get(0) != 0 || arcStart.get(n) != m) {
      return "arc offsets do not span the " + m + " arcs";
    }
    for (int s = 0; s < n; s++) {
      int b = arcStart.get(s);
      int e = arcStart.get(s + 1);
      if (e < b) {
        return "arc offsets of state " + s + " decrease";
      }
      float f = fin.get(s);
      if (Float.isNaN(f) || f == Float.NEGATIVE_INFINITY) {
        return "state " + s + " has final weight " + f;
      }
      int prev = Integer.MIN_VALUE;
      for (int a = b; a < e; a++) {
        int label = il.get(a);
        if (label < 0 || ol.get(a) < 0) {
          return "arc " + a + " of state " + s + " has a negative label";
        }
        if (requireSorted && label < prev) {
          return "arcs of state " + s + " are not sorted by input label";
        }
        prev = label;
        int d = nx.get(a);
        if (d < 0 || d >= n) {
          return "arc " + a + " of state " + s + " goes to missing state " + d;
        }
        float x = w.get(a);
        if (Float.isNaN(x) || x == Float.NEGATIVE_INFINITY) {
          return "arc " + a + " of state " + s + " has weight " + x;
        }
      }
    }
    return null;
  }

  /** Arc indices in CSR order with each state's arcs stably sorted by input label. */
  private static int[] sortedOrder(int[] arcStart, int[] ilabel, int n) {
    int[] order = new int[ilabel.length];
    long[] keys = new long[0];
    for (int s = 0; s < n; s++) {
      int b = arcStart[s];
      int e = arcStart[s + 1];
      boolean sorted = true;
      for (int a = b + 1; a < e && sorted; a++) {
        sorted = ilabel[a - 1] <= ilabel[a];
      }
      if (sorted) {
        for (int a = b; a < e; a++) {
          order[a] = a;
        }
        continue;
      }
      // Key: label in the high half, original position in the low half, so ties keep their order.
      if (keys.length < e - b) {
        keys = new long[e - b];
      }
      for (int a = b; a < e; a++) {
        keys[a - b] = ((long) ilabel[a] << 32) | (a - b);
      }
      Arrays.sort(keys, 0, e - b);
      for (int k = 0; k < e - b; k++) {
        order[b + k] = b + (int) (keys[k] & 0xffffffffL);
      }
    }
    return order;
  }

  private static IntBuffer mapInts(FileChannel ch, long pos, long count) throws IOException {
    return ch.map(FileChannel.MapMode.READ_ONLY, pos, 4 * count).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
  }

  private static FloatBuffer mapFloats(FileChannel ch, long pos, long count) throws IOException {
    return ch.map(FileChannel.MapMode.READ_ONLY, pos, 4 * count).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
  }

  private static final int CHUNK = 1 << 16;

  private static void writeInts(FileChannel ch, IntBuffer src) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(4 * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    int n = src.limit();
    for (int i = 0; i < n; i += CHUNK) {
      buf.clear();
      int end = Math.min(n, i + CHUNK);
      for (int k = i; k < end; k++) {
        buf.putInt(src.get(k));
      }
      buf.flip();
      writeFully(ch, buf);
    }
  }

  private static void writeFloats(FileChannel ch, FloatBuffer src) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(4 * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    int n = src.limit();
    for (int i = 0; i < n; i += CHUNK) {
      buf.clear();
      int end = Math.min(n, i + CHUNK);
      for (int k = i; k < end; k++) {
        buf.putFloat(src.get(k));
      }
      buf.flip();
      writeFully(ch, buf);
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }
}
