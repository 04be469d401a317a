package dev.joule.engine.recognizer;

/**
 * Decides where long audio is cut into segments that are recognised one at a time, so that the
 * memory recognition holds is bounded by the longest segment instead of growing with the input.
 *
 * <p>Fed one feature frame's loudness at a time (log of its total mel power), it cuts in the
 * middle of the first pause of at least {@link #MIN_PAUSE_FRAMES} quiet frames that follows
 * speech; a frame is quiet when it is more than {@link #QUIET_BELOW_PEAK} (30 dB) below the
 * loudest frame of its segment so far. The reference is the segment's, not the whole input's,
 * so a sentence is cut the same way wherever it sits in a recording: against the loudest frame
 * of the whole input, a quiet sentence after a loud one had its own pauses taken for the end of
 * it. A pause is where a speaker ends a sentence, so each segment starts the
 * language model afresh just as a separately recorded utterance would. A segment that reaches
 * {@link #MAX_SEGMENT_FRAMES} without such a pause is cut at its quietest frame in its second
 * half. Cuts fall on multiples of the acoustic model's subsampling so that segments tile the
 * model's output frames exactly.
 *
 * <p>Pauses shorter than {@link #MIN_PAUSE_FRAMES} (within sentences) never cut, so an utterance
 * without a long pause is recognised whole, exactly as before long input was segmented.
 */
final class PauseSegmenter {
  /** 0.6 s at a 10 ms frame shift: longer than pauses within a sentence. */
  static final int MIN_PAUSE_FRAMES = 60;

  /** 30 s at a 10 ms frame shift: the longest segment, which bounds memory. */
  static final int MAX_SEGMENT_FRAMES = 3000;

  /** ln(1000): 30 dB below the loudest frame counts as quiet. */
  static final double QUIET_BELOW_PEAK = Math.log(1000);

  private final int minPause;
  private final int maxSegment;
  private final int align;
  private final float[] level;
  private final boolean[] quiet;
  private int frames;
  private int quietRun;
  private boolean speechInSegment;
  private double peak = Double.NEGATIVE_INFINITY;

  PauseSegmenter(int align) {
    this(MIN_PAUSE_FRAMES, MAX_SEGMENT_FRAMES, align);
  }

  PauseSegmenter(int minPause, int maxSegment, int align) {
    if (align < 1 || minPause < 2 * align || maxSegment < 2 * minPause) {
      throw new IllegalArgumentException(
          "segmenting needs align >= 1, a pause of at least 2 aligns and a segment of at least 2 pauses");
    }
    this.minPause = minPause;
    this.maxSegment = maxSegment;
    this.align = align;
    this.level = new float[maxSegment];
    this.quiet = new boolean[maxSegment];
  }

  /** Frames in the current segment so far (at most {@link #MAX_SEGMENT_FRAMES}). */
  int frames() {
    return frames;
  }

  /**
   * The earliest frame (counted from the start of the current segment) at which a pause can
   * still cut it, whatever frames come next: a stream decodes no further than this, so that its
   * segments end where offline recognition's do. A pause cut falls {@code minPause/2} frames into
   * a run of {@code minPause} quiet frames after speech, and that run must hold the next frame:
   * it is the quiet run going on now (if it follows speech), or one that starts after a loud
   * frame still to come. During speech this lies {@code minPause/2} frames ahead, so only the
   * inside of a pause waits. The cut of a segment that reaches {@link #MAX_SEGMENT_FRAMES}
   * without a pause is not foreseen (it may fall anywhere in the segment's second half).
   */
  int earliestPauseCut() {
    boolean runCanCut = speechInSegment && quietRun < minPause;
    int pauseEnd = runCanCut ? frames - quietRun + minPause : frames + 1 + minPause;
    return Math.max(align, (pauseEnd - minPause / 2) / align * align);
  }

  /**
   * Adds the next frame's loudness; returns 0, or the number of frames from the start of the
   * current segment that form a finished segment (the caller recognises them; the rest begin
   * the next segment).
   */
  int add(float loudness) {
    peak = Math.max(peak, loudness);
    boolean isQuiet = loudness < peak - QUIET_BELOW_PEAK;
    level[frames] = loudness;
    quiet[frames] = isQuiet;
    frames++;
    if (!isQuiet) {
      quietRun = 0;
      speechInSegment = true;
      return frames == maxSegment ? cut(quietestInSecondHalf()) : 0;
    }
    quietRun++;
    if (quietRun == minPause && speechInSegment) {
      int middle = frames - minPause / 2;
      return cut(Math.max(align, middle / align * align));
    }
    return frames == maxSegment ? cut(quietestInSecondHalf()) : 0;
  }

  /** Where to cut a segment that found no pause: after its quietest frame of the second half. */
  private int quietestInSecondHalf() {
    int best = frames - 1;
    for (int t = frames / 2; t < frames; t++) {
      if (level[t] < level[best]) {
        best = t;
      }
    }
    return Math.max(align, (best + 1) / align * align);
  }

  private int cut(int at) {
    int rest = frames - at;
    System.arraycopy(level, at, level, 0, rest);
    System.arraycopy(quiet, at, quiet, 0, rest);
    frames = rest;
    speechInSegment = false;
    quietRun = 0;
    peak = Double.NEGATIVE_INFINITY;
    for (int t = 0; t < rest; t++) {
      peak = Math.max(peak, level[t]);
      if (quiet[t]) {
        quietRun++;
      } else {
        quietRun = 0;
        speechInSegment = true;
      }
    }
    return at;
  }
}
