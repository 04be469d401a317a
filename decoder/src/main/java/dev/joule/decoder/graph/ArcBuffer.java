package dev.joule.decoder.graph;

import dev.joule.decoder.fst.OpenFst;
import dev.joule.decoder.fst.Semiring;
import java.util.Arrays;

/** Arcs collected in Java and handed to OpenFST in one call (one JNA crossing per graph). */
final class ArcBuffer {
  private int n;
  private int[] src = new int[1024];
  private int[] il = new int[1024];
  private int[] ol = new int[1024];
  private float[] w = new float[1024];
  private int[] dst = new int[1024];

  void add(int from, int ilabel, int olabel, float weight, int to) {
    if (n == src.length) {
      int cap = n * 2;
      src = Arrays.copyOf(src, cap);
      il = Arrays.copyOf(il, cap);
      ol = Arrays.copyOf(ol, cap);
      w = Arrays.copyOf(w, cap);
      dst = Arrays.copyOf(dst, cap);
    }
    src[n] = from;
    il[n] = ilabel;
    ol[n] = olabel;
    w[n] = weight;
    dst[n] = to;
    n++;
  }

  int size() {
    return n;
  }

  /** An FST with {@code states} states, the given start, and these arcs (no final states yet). */
  OpenFst toFst(int states, int start, Semiring semiring) {
    OpenFst f = OpenFst.create(semiring);
    try {
      f.addStates(states);
      f.setStart(start);
      f.addArcs(Arrays.copyOf(src, n), Arrays.copyOf(il, n), Arrays.copyOf(ol, n),
          Arrays.copyOf(w, n), Arrays.copyOf(dst, n));
      return f;
    } catch (RuntimeException e) {
      f.close();
      throw e;
    }
  }
}
