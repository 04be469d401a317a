package dev.joule.engine.recognizer;

import dev.joule.decoder.search.Decoder;
import dev.joule.decoder.search.DecodingResult;
import dev.joule.decoder.search.DecodingSession;
import dev.joule.frontend.FloatMatrix;
import dev.joule.frontend.audio.Resampler;
import dev.joule.frontend.features.FbankStream;
import java.util.List;
import java.util.Objects;

/**
 * Recognition of audio that arrives in pieces (a microphone, a network stream): each
 * {@link #accept} returns the best words so far, {@link #finish()} the final transcript (with
 * n-best rescoring when the recognizer does it; partial results are the decoder's best path).
 *
 * <p>Like offline recognition, a stream cuts the audio at pauses ({@link PauseSegmenter}),
 * finishes the decoding of what came before and starts afresh, keeping only the words: it runs
 * for hours in bounded memory. Features are computed as samples arrive ({@link FbankStream},
 * identical to offline features) and the acoustic model runs on
 * {@link RecognizerOptions#streamChunkFrames()} frames at a time (rounded up to a multiple of the
 * model's subsampling), the decoder continuing over each chunk.
 *
 * <p><b>Equal to offline recognition</b> for acoustic models whose {@link
 * dev.joule.engine.am.AcousticModel#inputContext() input context} is finite ({@code linear},
 * {@code tdnn}): each chunk is computed with the frames around it that its outputs depend on
 * ({@link StreamedAcousticScores}), an output frame is decoded once the frames to its right that
 * it depends on have arrived, and a segment's last frames are computed with the model's own
 * handling of an utterance's end. Segments end exactly where offline recognition ends them: in
 * a pause nothing past the earliest place the pause could still be cut is decoded. So
 * {@link #finish()} gives {@code transcribe}'s transcript (words, times, confidences, n-best),
 * however the samples are split across {@link #accept} calls and whatever the chunk size. The
 * cost is latency: a frame is decoded {@link #lookaheadSeconds()} after its audio arrived (0.27 s
 * for the bundled TDNN; 0 for {@code linear}), plus up to a chunk; inside a pause, decoding
 * waits until the pause is cut or speech resumes. Computing each chunk's context again costs
 * acoustic-model time, (chunk + both contexts) / chunk: 2.3 times for the bundled TDNN at the
 * default 40 frames; larger chunks cost less and wait longer. Two exceptions: a segment that reaches 30 s
 * without a pause is cut where the stream has decoded to when that lies past the segmenter's
 * cut (the cut is not foreseeable), and on a GPU the products of a window can differ from the
 * whole segment's in the last bits.
 *
 * <p><b>Not equal</b> for models with unbounded context ({@code blstm}, {@code conformer}, see
 * {@link #matchesOffline()}): each chunk is scored on its own, as if it were a whole utterance,
 * so the model sees no context past a chunk's edge; segments still end where offline ones do.
 *
 * <p>Not thread-safe: one stream per audio source.
 */
public final class RecognizerStream {
  private final RecognitionModel model;
  private final Decoder decoder;
  private DecodingSession session;
  /** Output frames the acoustic model computes at a time. */
  private final int chunkOutputs;
  private final FbankStream fbank;
  private final Resampler resampler;
  private final StreamedAcousticScores scores;
  private final PauseSegmenter segmenter;
  private final SegmentJoiner joiner;
  /** Frames (feature rows) counted from the start of the audio: where the pause segment began, */
  private long segmenterStart;
  /** and where the current decoding session (the stream's segment) began. */
  private long sessionStart;
  private int mostLatticeTokens;
  private long samples;
  private double featureSeconds;
  private double acousticSeconds;
  private double decodeSeconds;
  private boolean finished;

  RecognizerStream(RecognitionModel model, TranscriptBuilder transcripts, Decoder decoder, int chunkFrames, int rate) {
    if (rate <= 0) {
      throw new IllegalArgumentException("sample rate must be positive, not " + rate);
    }
    this.model = model;
    this.decoder = decoder;
    this.session = decoder.session();
    int sub = model.am.subsampling();
    this.chunkOutputs = (chunkFrames + sub - 1) / sub;
    this.scores = new StreamedAcousticScores(model.am.inputContext(), sub, model::logProbs);
    this.fbank = new FbankStream(model.fbank);
    int modelRate = (int) model.fbank.sampleRate();
    this.resampler = rate == modelRate ? null : new Resampler(rate, modelRate);
    this.segmenter = new PauseSegmenter(sub);
    this.joiner = new SegmentJoiner(model, transcripts);
  }

  /** The most tokens a decoding lattice held so far: bounded by the longest segment. */
  int mostLatticeTokens() {
    return mostLatticeTokens;
  }

  /** Segments finished so far. */
  int segments() {
    return joiner.segments();
  }

  /**
   * Seconds of audio past a frame that must arrive before the frame is decoded: the acoustic
   * model's right context (0.27 s for the bundled TDNN, 0 for a model that scores each frame
   * alone). Partial results lag the audio by this, plus up to one chunk
   * ({@link RecognizerOptions#streamChunkFrames()}); inside a pause, decoding waits until the
   * pause is cut or speech resumes. 0 for models with unbounded context, which are scored a
   * chunk at a time without looking ahead ({@link #matchesOffline()} is false for them).
   */
  public double lookaheadSeconds() {
    return seconds(scores.lookaheadFrames());
  }

  /**
   * Whether {@link #finish()} gives the transcript offline recognition gives for the same audio:
   * true for acoustic models with a finite input context ({@code linear}, {@code tdnn}), false
   * for those whose output frames depend on the whole utterance ({@code blstm},
   * {@code conformer}), which a stream scores a chunk at a time.
   */
  public boolean matchesOffline() {
    return scores.exact();
  }

  /** Adds samples (floats in [-1, 1], mono) and returns the best transcript so far. */
  public Transcript accept(float[] x) {
    return accept(x, 0, x.length);
  }

  /** Adds {@code len} samples of {@code x} from {@code off} and returns the best transcript so far. */
  public Transcript accept(float[] x, int off, int len) {
    if (finished) {
      throw new IllegalStateException("stream is finished");
    }
    Objects.checkFromIndexSize(off, len, x.length);
    Recognizer.checkFinite(x, off, len);
    long t0 = System.nanoTime();
    float[] in = resampler == null ? null : resampler.process(x, off, len);
    FloatMatrix frames = in == null ? fbank.accept(x, off, len) : fbank.accept(in, 0, in.length);
    samples += in == null ? len : in.length;
    addFeatures(frames, t0);
    long t1 = System.nanoTime();
    DecodingResult partial = session.partial();
    decodeSeconds += (System.nanoTime() - t1) / 1e9;
    return new Transcript(joiner.wordsWith(partial, seconds(sessionStart)), List.of(), partial.reachedFinal(), timing());
  }

  /** Ends the audio: decodes what is left and returns the final transcript with n-best list. */
  public Transcript finish() {
    if (finished) {
      throw new IllegalStateException("stream is finished");
    }
    finished = true;
    long t0 = System.nanoTime();
    if (resampler != null) {
      float[] tail = resampler.finish();
      samples += tail.length;
      addFeatures(fbank.accept(tail, 0, tail.length), t0);
      t0 = System.nanoTime();
    }
    addFeatures(fbank.finish(), t0);
    // As offline: a last segment without frames is no segment, unless it is the whole audio.
    if (scores.added() > 0 || joiner.segments() == 0) {
      long t1 = System.nanoTime();
      decode(scores.endSegment(scores.added()), t1);
      endSession(joiner.segments() == 0);
    }
    return joiner.transcript(timing());
  }

  private void addFeatures(FloatMatrix frames, long since) {
    float[] loudness = new float[frames.rows()];
    for (int r = 0; r < loudness.length; r++) {
      loudness[r] = SegmentedRecognition.loudness(frames.row(r));
    }
    model.normalise(frames);
    featureSeconds += (System.nanoTime() - since) / 1e9;
    for (int r = 0; r < loudness.length; r++) {
      scores.add(frames.row(r));
      int cut = segmenter.add(loudness[r]);
      if (cut > 0) {
        segmenterStart += cut;
        cutAt(segmenterStart);
      }
      decodeReady();
    }
  }

  /** Decodes whole chunks of output frames that no frame still to come can change. */
  private void decodeReady() {
    long limit = segmenterStart + segmenter.earliestPauseCut() - sessionStart;
    while (scores.ready((int) Math.min(Integer.MAX_VALUE, limit)) >= chunkOutputs) {
      long t0 = System.nanoTime();
      decode(scores.next(chunkOutputs), t0);
    }
  }

  /**
   * Decodes the rest of the segment up to frame {@code at}, then finishes the session there.
   * When frames past {@code at} were decoded already (only after a cut at the longest segment,
   * which is not foreseen) the segment ends after those instead.
   */
  private void cutAt(long at) {
    int end = (int) Math.max(at - sessionStart, scores.covered());
    if (end == 0) {
      return; // the stream's segment has no frames yet: nothing to end
    }
    long t0 = System.nanoTime();
    decode(scores.endSegment(end), t0);
    endSession(false);
    session = decoder.session();
    sessionStart += end;
  }

  /** Finishes the session ({@code whole}: it covered the whole stream). */
  private void endSession(boolean whole) {
    long t0 = System.nanoTime();
    joiner.add(session, whole, seconds(sessionStart));
    decodeSeconds += (System.nanoTime() - t0) / 1e9;
  }

  private double seconds(long frame) {
    return frame * model.fbank.frameShiftMs() / 1000.0;
  }

  /** Runs the decoder over acoustic-model output computed since {@code since}. */
  private void decode(float[][] logProbs, long since) {
    long t1 = System.nanoTime();
    acousticSeconds += (t1 - since) / 1e9;
    if (logProbs.length > 0) {
      session.accept(model.scores(logProbs));
      mostLatticeTokens = Math.max(mostLatticeTokens, session.latticeTokens());
    }
    decodeSeconds += (System.nanoTime() - t1) / 1e9;
  }

  private Timing timing() {
    return new Timing(samples / model.fbank.sampleRate(), featureSeconds, acousticSeconds, decodeSeconds);
  }
}
