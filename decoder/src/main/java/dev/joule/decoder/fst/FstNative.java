package dev.joule.decoder.fst;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * JNA binding of {@code native/fst/joule_fst.h}. Package-private: callers use {@link OpenFst}.
 *
 * <p>The shim ({@code libjoulefst.so}) travels inside this module's jar; it links against the
 * system's OpenFST 1.7.9 ({@code libfst.so}, Debian {@code libfst-dev}).
 */
interface FstNative extends Library {

  Pointer joule_fst_last_error();

  Pointer joule_fst_new(int semiring);

  void joule_fst_free(Pointer fst);

  int joule_fst_semiring(Pointer fst);

  int joule_fst_add_states(Pointer fst, int n);

  int joule_fst_set_start(Pointer fst, int state);

  int joule_fst_set_final(Pointer fst, int state, float weight);

  int joule_fst_add_arcs(
      Pointer fst, int n, int[] src, int[] ilabel, int[] olabel, float[] weight, int[] dst);

  int joule_fst_start(Pointer fst);

  int joule_fst_num_states(Pointer fst);

  long joule_fst_num_arcs_total(Pointer fst);

  int joule_fst_num_arcs(Pointer fst, int state);

  float joule_fst_final(Pointer fst, int state);

  int joule_fst_arcs(
      Pointer fst, int state, int capacity, int[] ilabel, int[] olabel, float[] weight, int[] dst);

  Pointer joule_fst_compose(Pointer left, Pointer right);

  int joule_fst_export(
      Pointer fst, int[] arcStart, int[] ilabel, int[] olabel, float[] weight, int[] dst, float[] finals);

  Pointer joule_fst_copy(Pointer fst);

  int joule_fst_arcsort(Pointer fst, int byOutput);

  Pointer joule_fst_compose_presorted(Pointer left, Pointer right);

  Pointer joule_fst_determinize(Pointer fst, float delta, long maxStates);

  int joule_fst_minimize(Pointer fst, float delta, int encoded);

  int joule_fst_rmepsilon(Pointer fst);

  int joule_fst_connect(Pointer fst);

  int joule_fst_project(Pointer fst, int output);

  int joule_fst_invert(Pointer fst);

  Pointer joule_fst_push(Pointer fst, int weights, int labels, int toFinal, float delta);

  Pointer joule_fst_shortest_path(Pointer fst, int n, int unique, float delta);

  int joule_fst_union(Pointer fst, Pointer other);

  int joule_fst_concat(Pointer fst, Pointer other);

  int joule_fst_closure(Pointer fst, int plus);

  int joule_fst_relabel(
      Pointer fst, int nIn, int[] inFrom, int[] inTo, int nOut, int[] outFrom, int[] outTo);

  int joule_fst_info(Pointer fst, long[] out);

  int joule_fst_isomorphic(Pointer a, Pointer b, float delta);

  int joule_fst_write(Pointer fst, String path);

  Pointer joule_fst_read(String path);

  /** The loaded library, or an {@link FstException} explaining why it cannot be loaded. */
  static FstNative get() {
    return Holder.load();
  }

  /** Throws an {@link FstException} carrying the shim's message for the failed call. */
  static FstException error(String operation) {
    Pointer message = get().joule_fst_last_error();
    String text = message == null ? "unknown OpenFST error" : message.getString(0);
    return new FstException(operation + ": " + text);
  }

  /** Lazy, thread-safe one-time load that remembers a failure instead of retrying it. */
  final class Holder {
    private static FstNative instance;
    private static FstException failure;

    private Holder() {}

    static synchronized FstNative load() {
      if (instance != null) {
        return instance;
      }
      if (failure == null) {
        try {
          instance = Native.load("joulefst", FstNative.class);
          return instance;
        } catch (UnsatisfiedLinkError e) {
          failure =
              new FstException(
                  "cannot load the OpenFST shim (libjoulefst.so, which needs OpenFST 1.7.9's libfst.so;"
                      + " install it with: apt-get install libfst-dev): "
                      + e.getMessage(),
                  e);
        }
      }
      throw failure;
    }
  }
}
