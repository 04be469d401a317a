package dev.joule.engine.recognizer;

import dev.joule.engine.am.InputContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The acoustic model's output for the current segment of a stream, computed a window at a time
 * as feature frames arrive, with the values the model gives when run on the whole segment.
 *
 * <p>With a finite {@link InputContext} (left {@code L}, right {@code R} input frames; subsampling
 * {@code s}), output frame {@code j} depends on segment frames {@code s·j − L .. s·j+s−1 + R}
 * only. Output frames {@code j0 .. j1−1} are therefore computed by running the model on frames
 * {@code s·j0 − L .. s·j1 + R − 1} and keeping the outputs away from the window's edges: the
 * model pads a window's edges as an utterance's, which is wrong inside a segment but reaches no
 * further than the context into the window. Where a window starts at the segment's start, or
 * ends at its end, that padding is the padding of the whole segment, so edge frames come out as
 * offline too. Windows start on multiples of {@code s} from the segment's start, so output
 * frames lie on the offline subsampling grid. An output frame is given out once its right
 * context has arrived (the lookahead), or when the segment ends.
 *
 * <p>With unbounded context (recurrent or attention models) each window is just its own frames,
 * seen as if it were a whole utterance: the output differs from offline near every window edge.
 *
 * <p>Frame numbers here count from the start of the current segment.
 */
final class StreamedAcousticScores {
  private final Function<List<float[]>, float[][]> model;
  private final int sub;
  private final boolean exact;
  /** Input frames of context, rounded up to whole output frames; 0 when unbounded. */
  private final int left;
  private final int right;
  /** Frames of the current segment from {@link #first} on: left context and frames not yet scored. */
  private final List<float[]> held = new ArrayList<>();
  private int first;
  /** Output frames of the current segment given out so far. */
  private int emitted;

  /**
   * @param model the acoustic model's log-probabilities {@code [outFrames][tokens]} of a list of
   *     feature frames taken as one utterance
   */
  StreamedAcousticScores(InputContext context, int subsampling, Function<List<float[]>, float[][]> model) {
    this.model = model;
    this.sub = subsampling;
    this.exact = context.isFinite();
    this.left = exact ? roundUp(context.left()) : 0;
    this.right = exact ? roundUp(context.right()) : 0;
  }

  private int roundUp(int frames) {
    return (frames + sub - 1) / sub * sub;
  }

  /** Whether the scores equal the whole segment's (the model's context is finite). */
  boolean exact() {
    return exact;
  }

  /** Input frames past an output frame's own that must arrive before it is given out. */
  int lookaheadFrames() {
    return right;
  }

  /** Adds the segment's next feature frame. */
  void add(float[] frame) {
    held.add(frame);
  }

  /** Frames of the current segment added so far. */
  int added() {
    return first + held.size();
  }

  /** Frames of the current segment that the output frames given out cover. */
  int covered() {
    return emitted * sub;
  }

  /**
   * How many more output frames are final now, given that the segment will not end before frame
   * {@code limit}: those whose right context has arrived and lies before the limit.
   */
  int ready(int limit) {
    int known = Math.min(added(), limit) - right;
    return Math.max(0, known / sub - emitted);
  }

  /** The next {@code count} output frames, at most {@link #ready}. */
  float[][] next(int count) {
    int j1 = emitted + count;
    float[][] out = compute(j1, j1 * sub + right);
    dropBefore(Math.max(0, j1 * sub - left));
    return out;
  }

  /**
   * Ends the segment after frame {@code end} (at least {@link #covered}, at most {@link #added}):
   * returns its remaining output frames, computed with the model's handling of an utterance's
   * end there. The frames after {@code end} begin the next segment.
   */
  float[][] endSegment(int end) {
    if (end < covered() || end > added()) {
      throw new IllegalArgumentException("segment end " + end + " outside [" + covered() + ", " + added() + "]");
    }
    float[][] out = end == covered() ? new float[0][] : compute((end + sub - 1) / sub, end);
    dropBefore(end);
    first = 0;
    emitted = 0;
    return out;
  }

  /** Output frames {@link #emitted} .. {@code j1−1} from the window of frames ending before {@code windowEnd}. */
  private float[][] compute(int j1, int windowEnd) {
    int j0 = emitted;
    int windowStart = Math.max(0, j0 * sub - left);
    float[][] window = model.apply(held.subList(windowStart - first, windowEnd - first));
    int offset = windowStart / sub;
    float[][] out = Arrays.copyOfRange(window, j0 - offset, j1 - offset);
    emitted = j1;
    return out;
  }

  /** Forgets the frames before {@code frame}: no window will start before it. */
  private void dropBefore(int frame) {
    held.subList(0, frame - first).clear();
    first = frame;
  }
}
