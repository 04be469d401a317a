package dev.joule.decoder.fst;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A mutable OpenFST {@code VectorFst} held in native memory.
 *
 * <p>Use it for graph algebra (building, composing, reading and writing OpenFST files); search
 * runs on compact Java-side copies and never walks arcs through JNA. Close it to free the native
 * FST at once; an unclosed one is freed when it becomes unreachable. Not thread-safe: confine
 * each instance to one thread at a time.
 */
public final class OpenFst implements AutoCloseable {
  /** OpenFST's default quantization delta for determinization and minimization ({@code kDelta}). */
  public static final float DEFAULT_DELTA = 1f / 1024f;
  /** OpenFST's default convergence delta for shortest distances and pushing ({@code kShortestDelta}). */
  public static final float SHORTEST_DELTA = 1e-6f;

  private static final Cleaner CLEANER = Cleaner.create();

  private final FstNative lib;
  private final Pointer handle;
  private final Semiring semiring;
  private final Cleaner.Cleanable cleanable;
  private volatile boolean closed;

  private OpenFst(FstNative lib, Pointer handle) {
    this.lib = lib;
    this.handle = handle;
    this.semiring = Semiring.fromNative(lib.joule_fst_semiring(handle));
    this.cleanable = CLEANER.register(this, new Free(lib, handle));
  }

  /** An empty FST (no states) in the given semiring. */
  public static OpenFst create(Semiring semiring) {
    FstNative lib = FstNative.get();
    Pointer h = lib.joule_fst_new(semiring.nativeCode);
    if (h == null) {
      throw FstNative.error("create");
    }
    return new OpenFst(lib, h);
  }

  /**
   * Reads an OpenFST binary file ({@code vector} or {@code const} FST type, {@code standard} or
   * {@code log} arc type). The whole file is checked in Java first ({@link OpenFstFileCheck}),
   * because OpenFST's reader trusts it and a corrupt file could crash the JVM in native code.
   *
   * @throws FstFormatException naming the file and the problem when it is missing or malformed
   * @throws FstException naming the file when OpenFST cannot read it
   */
  public static OpenFst read(Path path) {
    try {
      OpenFstFileCheck.check(path);
    } catch (IOException e) {
      throw new FstException(path + ": cannot read: " + e.getMessage(), e);
    }
    FstNative lib = FstNative.get();
    Pointer h = lib.joule_fst_read(path.toString());
    if (h == null) {
      throw FstNative.error("read " + path);
    }
    return new OpenFst(lib, h);
  }

  /** Writes this FST in OpenFST binary format (readable by {@code fstprint}, {@code fstinfo}). */
  public void write(Path path) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      if (lib.joule_fst_write(live(), path.toString()) < 0) {
        throw new IOException(FstNative.error("write " + path).getMessage());
      }
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * {@code left ∘ right}; both must share a semiring. When neither {@code left} is sorted by output
   * label nor {@code right} by input label, a sorted copy of {@code right} is used.
   */
  public static OpenFst compose(OpenFst left, OpenFst right) {
    try {
      return wrap(left.lib, left.lib.joule_fst_compose(left.live(), right.live()), "compose");
    } finally {
      Reference.reachabilityFence(left);
      Reference.reachabilityFence(right);
    }
  }

  /**
   * {@code left ∘ right} without sorting, for graphs the caller already sorted (no copy).
   *
   * @throws FstException with OpenFST's message when neither operand is suitably sorted
   */
  public static OpenFst composePresorted(OpenFst left, OpenFst right) {
    try {
      return wrap(left.lib, left.lib.joule_fst_compose_presorted(left.live(), right.live()), "compose");
    } finally {
      Reference.reachabilityFence(left);
      Reference.reachabilityFence(right);
    }
  }

  /** {@code true} when {@code a} and {@code b} are equal up to state numbering (weights within delta). */
  public static boolean isomorphic(OpenFst a, OpenFst b, float delta) {
    try {
      return check(a.lib.joule_fst_isomorphic(a.live(), b.live(), delta), "isomorphic") == 1;
    } finally {
      Reference.reachabilityFence(a);
      Reference.reachabilityFence(b);
    }
  }

  /** A deep copy. */
  public OpenFst copy() {
    try {
      return wrap(lib, lib.joule_fst_copy(live()), "copy");
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Sorts the arcs of every state by the given side's label (in place); returns this. */
  public OpenFst arcSort(LabelSide side) {
    try {
      check(lib.joule_fst_arcsort(live(), side == LabelSide.OUTPUT ? 1 : 0), "arcsort");
    } finally {
      Reference.reachabilityFence(this);
    }
    return this;
  }

  /** The determinized FST with OpenFST's default delta and no state limit. */
  public OpenFst determinize() {
    return determinize(DEFAULT_DELTA, 0);
  }

  /**
   * The determinized FST (a transducer must be functional).
   *
   * @param delta quantization delta for comparing subset weights
   * @param maxStates give up with an {@link FstException} past this many output states (0: no
   *     limit); non-determinizable inputs otherwise run until memory is exhausted
   */
  public OpenFst determinize(float delta, long maxStates) {
    try {
      return wrap(lib, lib.joule_fst_determinize(live(), delta, maxStates), "determinize");
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Minimizes in place (input-deterministic FSTs only; transducers via OpenFST's pushing); returns this. */
  public OpenFst minimize(float delta) {
    try {
      check(lib.joule_fst_minimize(live(), delta, 0), "minimize");
    } finally {
      Reference.reachabilityFence(this);
    }
    return this;
  }

  /**
   * Minimizes in place with each (input, output, weight) triple encoded as one label, as Kaldi's
   * {@code fstminimizeencoded}: no weights or labels move. Input-deterministic FSTs only; returns this.
   */
  public OpenFst minimizeEncoded() {
    try {
      check(lib.joule_fst_minimize(live(), DEFAULT_DELTA, 1), "minimize");
    } finally {
      Reference.reachabilityFence(this);
    }
    return this;
  }

  /** Removes epsilon:epsilon arcs in place; returns this. */
  public OpenFst rmEpsilon() {
    try {
      check(lib.joule_fst_rmepsilon(live()), "rmepsilon");
    } finally {
      Reference.reachabilityFence(this);
    }
    return this;
  }

  /** Removes states not on a path from the start to a final state, in place; returns this. */
  public OpenFst connect() {
    try {
      check(lib.joule_fst_connect(live()), "connect");
    } finally {
      Reference.reachabilityFence(this);
    }
    return this;
  }

  /** Copies the given side's labels onto both sides (an acceptor), in place; returns this. */
  public OpenFst project(LabelSide side) {
    try {
      check(lib.joule_fst_project(live(), side == LabelSide.OUTPUT ? 1 : 0), "project");
    } finally {
      Reference.reachabilityFence(this);
    }
    return this;
  }

  /** Swaps input and output labels in place; returns this. */
  public OpenFst invert() {
    try {
      check(lib.joule_fst_invert(live()), "invert");
    } finally {
      Reference.reachabilityFence(this);
    }
    return this;
  }

  /**
   * A copy with weights and/or labels pushed towards the start ({@code toFinal == false}) or the
   * final states.
   */
  public OpenFst push(boolean weights, boolean labels, boolean toFinal, float delta) {
    try {
      return wrap(
          lib, lib.joule_fst_push(live(), weights ? 1 : 0, labels ? 1 : 0, toFinal ? 1 : 0, delta), "push");
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The single best path (tropical semiring only). */
  public OpenFst shortestPath() {
    return shortestPath(1, false);
  }

  /**
   * The {@code n} best paths as one FST whose start state has one arc per path, best first
   * (tropical semiring only). With {@code unique}, paths with equal strings count once (acceptors only).
   */
  public OpenFst shortestPath(int n, boolean unique) {
    try {
      return wrap(lib, lib.joule_fst_shortest_path(live(), n, unique ? 1 : 0, SHORTEST_DELTA), "shortest path");
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** {@code this := this | other}, in place; returns this. */
  public OpenFst union(OpenFst other) {
    try {
      check(lib.joule_fst_union(live(), other.live()), "union");
    } finally {
      Reference.reachabilityFence(this);
      Reference.reachabilityFence(other);
    }
    return this;
  }

  /** {@code this := this · other}, in place; returns this. */
  public OpenFst concat(OpenFst other) {
    try {
      check(lib.joule_fst_concat(live(), other.live()), "concat");
    } finally {
      Reference.reachabilityFence(this);
      Reference.reachabilityFence(other);
    }
    return this;
  }

  /** {@code this := this*} (or {@code this+} when {@code plus}), in place; returns this. */
  public OpenFst closure(boolean plus) {
    try {
      check(lib.joule_fst_closure(live(), plus ? 1 : 0), "closure");
    } finally {
      Reference.reachabilityFence(this);
    }
    return this;
  }

  /** Replaces labels by the maps' values (labels not in a map stay), in place; returns this. */
  public OpenFst relabel(Map<Integer, Integer> input, Map<Integer, Integer> output) {
    int[][] in = pairs(input);
    int[][] out = pairs(output);
    try {
      check(lib.joule_fst_relabel(live(), in[0].length, in[0], in[1], out[0].length, out[0], out[1]), "relabel");
    } finally {
      Reference.reachabilityFence(this);
    }
    return this;
  }

  /** {@code fstinfo}-style statistics, computed now. */
  public FstInfo info() {
    long[] v = new long[10];
    try {
      check(lib.joule_fst_info(live(), v), "info");
    } finally {
      Reference.reachabilityFence(this);
    }
    return FstInfo.fromNative(v);
  }

  /**
   * Copies every state and arc into Java arrays in one native call, in stored arc order.
   * {@code arcStart} has {@code numStates + 1} entries.
   */
  Export export() {
    int n = numStates();
    long total = numArcs();
    if (total > Integer.MAX_VALUE - 8) {
      throw new FstException("export: " + total + " arcs do not fit in Java arrays");
    }
    int m = (int) total;
    Export e = new Export(new int[n + 1], new int[m], new int[m], new float[m], new int[m], new float[n]);
    try {
      check(lib.joule_fst_export(live(), e.arcStart, e.ilabel, e.olabel, e.weight, e.next, e.finals), "export");
    } finally {
      Reference.reachabilityFence(this);
    }
    return e;
  }

  /** The arrays {@link #export()} fills. */
  record Export(int[] arcStart, int[] ilabel, int[] olabel, float[] weight, int[] next, float[] finals) {}

  public Semiring semiring() {
    return semiring;
  }

  /** Adds {@code count} states and returns the id of the first. */
  public int addStates(int count) {
    try {
      return check(lib.joule_fst_add_states(live(), count), "add states");
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  public void setStart(int state) {
    try {
      check(lib.joule_fst_set_start(live(), state), "set start");
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Makes {@code state} final with the given cost ({@code +Infinity} makes it non-final). */
  public void setFinal(int state, float weight) {
    try {
      check(lib.joule_fst_set_final(live(), state, weight), "set final");
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  public void addArc(int from, Arc arc) {
    addArcs(
        new int[] {from},
        new int[] {arc.ilabel()},
        new int[] {arc.olabel()},
        new float[] {arc.weight()},
        new int[] {arc.nextState()});
  }

  /** Adds arcs in bulk: arc {@code i} leaves {@code from[i]}. Arrays must have equal length. */
  public void addArcs(int[] from, int[] ilabel, int[] olabel, float[] weight, int[] to) {
    int n = from.length;
    if (ilabel.length != n || olabel.length != n || weight.length != n || to.length != n) {
      throw new IllegalArgumentException("arc arrays differ in length");
    }
    try {
      check(lib.joule_fst_add_arcs(live(), n, from, ilabel, olabel, weight, to), "add arcs");
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The start state, or -1 when none is set. */
  public int start() {
    try {
      return lib.joule_fst_start(live());
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  public int numStates() {
    try {
      return lib.joule_fst_num_states(live());
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  public long numArcs() {
    try {
      return lib.joule_fst_num_arcs_total(live());
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The final cost of {@code state}; {@code +Infinity} when it is not final. */
  public float finalWeight(int state) {
    try {
      float w = lib.joule_fst_final(live(), state);
      if (Float.isNaN(w)) {
        throw FstNative.error("final weight");
      }
      return w;
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The arcs leaving {@code state}, in stored order. */
  public List<Arc> arcs(int state) {
    int n;
    int[] il;
    int[] ol;
    float[] w;
    int[] dst;
    try {
      n = check(lib.joule_fst_num_arcs(live(), state), "arcs");
      il = new int[n];
      ol = new int[n];
      w = new float[n];
      dst = new int[n];
      lib.joule_fst_arcs(live(), state, n, il, ol, w, dst);
    } finally {
      Reference.reachabilityFence(this);
    }
    List<Arc> arcs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      arcs.add(new Arc(il[i], ol[i], w[i], dst[i]));
    }
    return arcs;
  }

  @Override
  public void close() {
    closed = true;
    cleanable.clean();
  }

  /**
   * The native handle. Every caller keeps its OpenFst objects reachable until the native call
   * returns ({@link Reference#reachabilityFence}), or the cleaner could free the FST during it.
   */
  private Pointer live() {
    if (closed) {
      throw new IllegalStateException("this OpenFst has been closed");
    }
    return handle;
  }

  private static OpenFst wrap(FstNative lib, Pointer handle, String operation) {
    if (handle == null) {
      throw FstNative.error(operation);
    }
    return new OpenFst(lib, handle);
  }

  private static int[][] pairs(Map<Integer, Integer> map) {
    int[][] p = new int[2][map.size()];
    int i = 0;
    for (Map.Entry<Integer, Integer> e : map.entrySet()) {
      p[0][i] = e.getKey();
      p[1][i] = e.getValue();
      i++;
    }
    return p;
  }

  private static int check(int result, String operation) {
    if (result < 0) {
      throw FstNative.error(operation);
    }
    return result;
  }

  /** Frees the native FST exactly once, from close() or from the cleaner. */
  private static final class Free implements Runnable {
    private final FstNative lib;
    private Pointer handle;

    Free(FstNative lib, Pointer handle) {
      this.lib = lib;
      this.handle = handle;
    }

    @Override
    public synchronized void run() {
      if (handle != null) {
        lib.joule_fst_free(handle);
        handle = null;
      }
    }
  }
}
