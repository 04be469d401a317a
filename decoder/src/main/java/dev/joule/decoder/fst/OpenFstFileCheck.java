package dev.joule.decoder.fst;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Checks an OpenFST binary file before OpenFST reads it. OpenFST's reader trusts the file: it
 * reserves memory for whatever state and arc counts the header claims, reads strings of any
 * claimed length, and keeps arcs to states that do not exist and const-FST arc ranges that run
 * past the arc array, so a corrupt file can exhaust memory or crash the JVM in native code
 * (benchmarks/fuzz/openfst.sh found all of these). This check walks the whole file in Java and
 * accepts only what OpenFST reads safely: the {@code vector} and {@code const} FST types with
 * {@code standard} or {@code log} arcs, every size within the file, every state id (start and arc
 * targets) in range, a start state unless there are no states, non-negative labels, weights that are weights (no NaN, no -infinity), no
 * kError property, and nothing after the body. The property bits are otherwise not checked: the
 * shim makes OpenFST recompute them (joule_fst.cc).
 */
public final class OpenFstFileCheck {
  /** The FST types whose bodies this class checks; OpenFST's other types are refused. */
  private static final Set<String> FST_TYPES = Set.of("vector", "const");
  private static final Set<String> ARC_TYPES = Set.of("standard", "log");
  /** OpenFST's VectorFstImpl::kMinFileVersion and ConstFstImpl::kMinFileVersion. */
  private static final int VECTOR_MIN_VERSION = 2;
  private static final int CONST_MIN_VERSION = 1;
  /** ConstFstImpl::kAlignedFileVersion: always aligned. */
  private static final int CONST_ALIGNED_VERSION = 1;
  /** OpenFST's kError property bit: the FST that was written had failed. */
  private static final long KERROR = 0x4L;
  /** MappedFile::kArchAlignment. */
  private static final int ALIGNMENT = 16;
  /** An arc: int32 ilabel, int32 olabel, float weight, int32 nextstate. */
  private static final int ARC_BYTES = 16;
  /** A const state: float final weight, uint32 arc position, arc count, input and output epsilons. */
  private static final int CONST_STATE_BYTES = 20;
  /** A vector state before its arcs: float final weight, int64 arc count. */
  private static final int VECTOR_STATE_BYTES = 12;

  private OpenFstFileCheck() {}

  /**
   * Reads the whole file and returns its header when OpenFST can read it safely.
   *
   * @throws FstFormatException naming the file and the problem otherwise
   */
  public static OpenFstHeader check(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new FstFormatException(file, "no such file");
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      OpenFstInput in = new OpenFstInput(file, channel);
      OpenFstHeader h = OpenFstHeader.read(in);
      if (!FST_TYPES.contains(h.fstType())) {
        throw new FstFormatException(file, "FST type '" + h.fstType() + "' is not supported (Joule reads vector and "
            + "const FSTs; convert with fstconvert --fst_type=vector)");
      }
      if (!ARC_TYPES.contains(h.arcType())) {
        throw new FstFormatException(file, "arc type '" + h.arcType()
            + "'; only standard (tropical) and log are supported");
      }
      long states = h.fstType().equals("vector") ? checkVectorBody(in, h) : checkConstBody(in, h);
      if ((h.properties() & KERROR) != 0) {
        throw new FstFormatException(file, "the header marks the FST as broken (OpenFST's kError property)");
      }
      if (h.start() < -1 || h.start() >= states) {
        throw new FstFormatException(file, "start state " + h.start() + " is not one of the " + states + " states");
      }
      // Such an FST accepts nothing, and OpenFST 1.7.9 dereferences an empty vector computing the
      // cycle properties of one with a weighted arc (ComputeProperties; SEGV in OpenFst.info();
      // found by OpenFstHostileFilesTest).
      if (h.start() == -1 && states > 0) {
        throw new FstFormatException(file, "no start state but " + states + " states");
      }
      if (in.remaining() != 0) {
        throw in.problem(in.position(), in.remaining() + " bytes after the end of the FST");
      }
      return h;
    }
  }

  /** VectorFstImpl::Read's layout: per state a final weight, an int64 arc count and the arcs. */
  private static long checkVectorBody(OpenFstInput in, OpenFstHeader h) throws IOException {
    requireVersion(in, h, VECTOR_MIN_VERSION);
    long declared = h.numStates();
    if (declared < -1 || declared > Integer.MAX_VALUE || declared > in.remaining() / VECTOR_STATE_BYTES) {
      throw new FstFormatException(in.file(), "header claims " + declared + " states; the file has room for at most "
          + in.remaining() / VECTOR_STATE_BYTES);
    }
    // With an unknown count (-1) OpenFST reads states until the end of the file; the arcs' target
    // states are checked once the count is known.
    long maxTarget = -1;
    long s = 0;
    for (; declared == -1 ? in.remaining() > 0 : s < declared; s++) {
      if (s == Integer.MAX_VALUE) {
        throw in.problem(in.position(), "more than " + Integer.MAX_VALUE + " states");
      }
      finalWeight(in, s);
      long at = in.position();
      long narcs = in.int64("an arc count");
      if (narcs < 0 || narcs > in.remaining() / ARC_BYTES) {
        throw in.problem(at, "state " + s + " claims " + narcs + " arcs; the file has room for at most "
            + in.remaining() / ARC_BYTES);
      }
      for (long a = 0; a < narcs; a++) {
        long target = arc(in, s, a, declared);
        maxTarget = Math.max(maxTarget, target);
      }
    }
    if (maxTarget >= s) {
      throw new FstFormatException(in.file(), "an arc leads to state " + maxTarget + " of " + s);
    }
    return s;
  }

  /** ConstFstImpl::Read's layout (32-bit arc indices): all states, then all arcs. */
  private static long checkConstBody(OpenFstInput in, OpenFstHeader h) throws IOException {
    requireVersion(in, h, CONST_MIN_VERSION);
    boolean aligned = h.version() == CONST_ALIGNED_VERSION || (h.flags() & OpenFstHeader.IS_ALIGNED) != 0;
    long states = h.numStates();
    long arcs = h.numArcs();
    if (aligned) {
      in.align(ALIGNMENT, "the states");
    }
    if (states < 0 || states > Integer.MAX_VALUE || states > in.remaining() / CONST_STATE_BYTES) {
      throw new FstFormatException(in.file(), "header claims " + states + " states; the file has room for at most "
          + in.remaining() / CONST_STATE_BYTES);
    }
    long statesEnd = in.position() + states * CONST_STATE_BYTES;
    long arcRoom = (in.size() - statesEnd) / ARC_BYTES;
    if (arcs < 0 || arcs > 0xFFFFFFFFL || arcs > arcRoom) {
      throw new FstFormatException(in.file(), "header claims " + arcs + " arcs; the file has room for at most "
          + Math.max(0, arcRoom));
    }
    for (long s = 0; s < states; s++) {
      finalWeight(in, s);
      long at = in.position();
      long pos = Integer.toUnsignedLong(in.int32("an arc position"));
      long narcs = Integer.toUnsignedLong(in.int32("an arc count"));
      long ieps = Integer.toUnsignedLong(in.int32("an input-epsilon count"));
      long oeps = Integer.toUnsignedLong(in.int32("an output-epsilon count"));
      if (pos + narcs > arcs) {
        throw in.problem(at, "state " + s + " has arcs " + pos + " to " + (pos + narcs) + " of " + arcs);
      }
      if (ieps > narcs || oeps > narcs) {
        throw in.problem(at, "state " + s + " counts more epsilon arcs than its " + narcs + " arcs");
      }
    }
    if (aligned) {
      in.align(ALIGNMENT, "the arcs");
    }
    for (long a = 0; a < arcs; a++) {
      arc(in, -1, a, states);
    }
    return states;
  }

  private static void requireVersion(OpenFstInput in, OpenFstHeader h, int min) {
    if (h.version() < min) {
      throw new FstFormatException(in.file(), "obsolete " + h.fstType() + " FST version " + h.version()
          + " (OpenFST reads " + min + " and later)");
    }
  }

  private static void finalWeight(OpenFstInput in, long state) throws IOException {
    long at = in.position();
    float w = in.float32("a final weight");
    if (!isWeight(w)) {
      throw in.problem(at, "final weight of state " + state + " is " + w + ", not a weight");
    }
  }

  /** OpenFST's Member() test for tropical and log weights: -infinity and NaN are not weights. */
  private static boolean isWeight(float w) {
    return !Float.isNaN(w) && w != Float.NEGATIVE_INFINITY;
  }

  private static String arcName(long state, long index) {
    return state >= 0 ? "arc " + index + " of state " + state : "arc " + index;
  }

  /**
   * Checks one arc; returns its target state. {@code states} is the number of states when known
   * (-1 when the caller checks targets later); {@code state} is the source (-1 in a const FST,
   * whose arcs are stored apart from their states).
   */
  private static long arc(OpenFstInput in, long state, long index, long states) throws IOException {
    // Messages are built only on failure: this runs once per arc of graphs with millions.
    long at = in.position();
    int ilabel = in.int32("an input label");
    int olabel = in.int32("an output label");
    float w = in.float32("an arc weight");
    int next = in.int32("a next state");
    if (ilabel < 0 || olabel < 0) {
      throw in.problem(at, arcName(state, index) + " has a negative label (" + ilabel + ":" + olabel + ")");
    }
    if (!isWeight(w)) {
      throw in.problem(at, "weight of " + arcName(state, index) + " is " + w + ", not a weight");
    }
    if (next < 0 || (states >= 0 && next >= states)) {
      throw in.problem(at, arcName(state, index) + " leads to state " + next + (states >= 0 ? " of " + states : ""));
    }
    return next;
  }
}
