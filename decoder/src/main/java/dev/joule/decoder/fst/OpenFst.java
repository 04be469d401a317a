package dev.joule.decoder.fst;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A mutable OpenFST {@code VectorFst} held in native memory.
 *
 * <p>Use it for graph algebra (building, composing, reading and writing OpenFST files); search
 * runs on compact Java-side copies and never walks arcs through JNA. Close it to free the native
 * FST at once; an unclosed one is freed when it becomes unreachable. Not thread-safe: confine
 * each instance to one thread at a time.
 */
public final class OpenFst implements AutoCloseable {
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
   * Reads an OpenFST binary file ({@code standard} or {@code log} arc type, any FST type).
   *
   * @throws FstException naming the file when it is missing, unreadable or not an FST
   */
  public static OpenFst read(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new FstException(path + ": no such file");
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
    if (lib.joule_fst_write(live(), path.toString()) < 0) {
      throw new IOException(FstNative.error("write " + path).getMessage());
    }
  }

  /** {@code left ∘ right}; both must share a semiring. Sorting for composition is done here. */
  public static OpenFst compose(OpenFst left, OpenFst right) {
    Pointer h = left.lib.joule_fst_compose(left.live(), right.live());
    if (h == null) {
      throw FstNative.error("compose");
    }
    return new OpenFst(left.lib, h);
  }

  public Semiring semiring() {
    return semiring;
  }

  /** Adds {@code count} states and returns the id of the first. */
  public int addStates(int count) {
    return check(lib.joule_fst_add_states(live(), count), "add states");
  }

  public void setStart(int state) {
    check(lib.joule_fst_set_start(live(), state), "set start");
  }

  /** Makes {@code state} final with the given cost ({@code +Infinity} makes it non-final). */
  public void setFinal(int state, float weight) {
    check(lib.joule_fst_set_final(live(), state, weight), "set final");
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
    check(lib.joule_fst_add_arcs(live(), n, from, ilabel, olabel, weight, to), "add arcs");
  }

  /** The start state, or -1 when none is set. */
  public int start() {
    return lib.joule_fst_start(live());
  }

  public int numStates() {
    return lib.joule_fst_num_states(live());
  }

  public long numArcs() {
    return lib.joule_fst_num_arcs_total(live());
  }

  /** The final cost of {@code state}; {@code +Infinity} when it is not final. */
  public float finalWeight(int state) {
    float w = lib.joule_fst_final(live(), state);
    if (Float.isNaN(w)) {
      throw FstNative.error("final weight");
    }
    return w;
  }

  /** The arcs leaving {@code state}, in stored order. */
  public List<Arc> arcs(int state) {
    int n = check(lib.joule_fst_num_arcs(live(), state), "arcs");
    int[] il = new int[n];
    int[] ol = new int[n];
    float[] w = new float[n];
    int[] dst = new int[n];
    lib.joule_fst_arcs(live(), state, n, il, ol, w, dst);
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

  private Pointer live() {
    if (closed) {
      throw new IllegalStateException("this OpenFst has been closed");
    }
    return handle;
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
