package dev.joule.engine.recognizer;

import dev.joule.decoder.search.Decoder;
import dev.joule.decoder.search.DecodingResult;
import dev.joule.decoder.search.DecodingSession;
import dev.joule.frontend.FloatMatrix;
import dev.joule.frontend.audio.Resampler;
import dev.joule.frontend.features.FbankStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Recognition of audio that arrives in pieces (a microphone, a network stream): each
 * {@link #accept} returns the best words so far, {@link #finish()} the final transcript (with
 * n-best rescoring when the recognizer does it; partial results are the decoder's best path).
 *
 * <p>Features are computed as samples arrive ({@link FbankStream}, identical to offline
 * features); the acoustic model runs on chunks of {@link RecognizerOptions#streamChunkFrames()}
 * frames (rounded up to a multiple of the model's subsampling) and the decoder continues over
 * each chunk. For acoustic models that see each frame on its own (such as {@code linear}) the
 * result equals offline recognition; models with context across frames see no context past a
 * chunk's edge. Not thread-safe: one stream per audio source.
 *
 * <p>A stream may run for hours in bounded memory: like offline recognition it cuts the audio
 * at pauses ({@link PauseSegmenter}), finishes the decoding of what came before and starts
 * afresh, keeping only the words. A cut falls in the pause, at the segmenter's point or, when
 * the acoustic model already ran a little past it, at the end of what it ran on.
 */
public final class RecognizerStream {
  private final RecognitionModel model;
  private final Decoder decoder;
  private DecodingSession session;
  private final int chunk;
  private final FbankStream fbank;
  private final Resampler resampler;
  private final List<float[]> pending = new ArrayList<>();
  private final PauseSegmenter segmenter;
  private final SegmentJoiner joiner;
  /** Frames (feature rows) counted from the start of the audio: where the pause segment began, */
  private long segmenterStart;
  /** where the current decoding session began, and how many frames have been decoded. */
  private long sessionStart;
  private long decoded;
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
    this.chunk = (chunkFrames + sub - 1) / sub * sub;
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
    while (pending.size() >= chunk) {
      decode(pending.subList(0, chunk));
    }
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
    while (!pending.isEmpty()) {
      decode(pending.subList(0, Math.min(chunk, pending.size())));
    }
    endSession(joiner.segments() == 0);
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
      pending.add(frames.row(r));
      int cut = segmenter.add(loudness[r]);
      if (cut > 0) {
        segmenterStart += cut;
        cutAt(segmenterStart);
      }
    }
  }

  /** Decodes up to frame {@code at} (unless already past it), then finishes the session there. */
  private void cutAt(long at) {
    for (long n = at - decoded; n > 0; ) {
      int k = (int) Math.min(chunk, n);
      decode(pending.subList(0, k));
      n -= k;
    }
    endSession(false);
    session = decoder.session();
    sessionStart = decoded;
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

  /** Runs the acoustic model and the decoder over {@code rows}, then drops them. */
  private void decode(List<float[]> rows) {
    long t0 = System.nanoTime();
    var scores = model.scores(rows);
    long t1 = System.nanoTime();
    session.accept(scores);
    mostLatticeTokens = Math.max(mostLatticeTokens, session.latticeTokens());
    decodeSeconds += (System.nanoTime() - t1) / 1e9;
    acousticSeconds += (t1 - t0) / 1e9;
    decoded += rows.size();
    rows.clear();
  }

  private Timing timing() {
    return new Timing(samples / model.fbank.sampleRate(), featureSeconds, acousticSeconds, decodeSeconds);
  }
}
