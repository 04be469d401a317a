package dev.joule.engine.recognizer;

import dev.joule.decoder.search.Decoder;
import dev.joule.decoder.search.DecodingSession;
import dev.joule.decoder.search.ScoreMatrix;
import dev.joule.frontend.FloatMatrix;
import dev.joule.frontend.features.FbankStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Offline recognition of audio of any length in bounded memory. Samples are turned into features
 * as they arrive ({@link FbankStream}); {@link PauseSegmenter} cuts the frames into segments at
 * pauses; each segment runs through the acoustic model and the decoder whole, exactly as a
 * recording of just that segment would, and only its words are kept.
 *
 * <p>What is held at any time, whatever the input's length: the features of one segment (at
 * most {@link PauseSegmenter#MAX_SEGMENT_FRAMES} frames), the acoustic model's activations and
 * the decoder's lattice for that segment, and the words recognised so far. Audio without a
 * pause of {@link PauseSegmenter#MIN_PAUSE_FRAMES} frames after speech and shorter than the
 * longest segment is one segment: its result equals recognising it in one piece.
 *
 * <p>A transcript of several segments joins their words ({@link SegmentJoiner}). Not
 * thread-safe: one instance per recognition.
 */
final class SegmentedRecognition {
  private final RecognitionModel model;
  private final Decoder decoder;
  private final FbankStream fbank;
  private final PauseSegmenter segmenter;
  private final List<float[]> segment = new ArrayList<>();
  private final SegmentJoiner joiner;
  private long segmentStartFrame;
  private long samples;
  private int mostFramesHeld;
  private int mostLatticeTokens;
  private double featureSeconds;
  private double acousticSeconds;
  private double decodeSeconds;

  SegmentedRecognition(RecognitionModel model, Decoder decoder, TranscriptBuilder transcripts) {
    this.model = model;
    this.decoder = decoder;
    this.fbank = new FbankStream(model.fbank);
    this.segmenter = new PauseSegmenter(model.am.subsampling());
    this.joiner = new SegmentJoiner(model, transcripts);
  }

  /** Adds samples at the model's rate (finite floats in [-1, 1], mono). */
  void accept(float[] x, int off, int len) {
    long t0 = System.nanoTime();
    Recognizer.checkFinite(x, off, len);
    samples += len;
    addFrames(fbank.accept(x, off, len), t0);
  }

  /** Ends the audio and returns the transcript of all of it. */
  Transcript finish() {
    addFrames(fbank.finish(), System.nanoTime());
    if (!segment.isEmpty() || joiner.segments() == 0) {
      recognise(segment.size(), joiner.segments() == 0);
    }
    return joiner.transcript(new Timing(samples / model.fbank.sampleRate(), featureSeconds, acousticSeconds, decodeSeconds));
  }

  /** Segments recognised so far. */
  int segments() {
    return joiner.segments();
  }

  /** The most feature frames held at once: what bounds the features' and activations' memory. */
  int mostFramesHeld() {
    return mostFramesHeld;
  }

  /** The most tokens a segment's decoding lattice held: what bounds the decoder's memory. */
  int mostLatticeTokens() {
    return mostLatticeTokens;
  }

  private void addFrames(FloatMatrix frames, long since) {
    // Loudness is measured on the raw log mel energies, before normalisation.
    float[] loudness = new float[frames.rows()];
    for (int r = 0; r < loudness.length; r++) {
      loudness[r] = loudness(frames.row(r));
    }
    model.normalise(frames);
    featureSeconds += (System.nanoTime() - since) / 1e9;
    for (int r = 0; r < loudness.length; r++) {
      segment.add(frames.row(r));
      mostFramesHeld = Math.max(mostFramesHeld, segment.size());
      int cut = segmenter.add(loudness[r]);
      if (cut > 0) {
        recognise(cut, false);
      }
    }
  }

  /** Log of a frame's total mel power, from its log mel energies (before normalisation). */
  static float loudness(float[] logMel) {
    float max = Float.NEGATIVE_INFINITY;
    for (float v : logMel) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : logMel) {
      sum += Math.exp(v - max);
    }
    return (float) (max + Math.log(sum));
  }

  /** Recognises the first {@code frames} frames held and drops them. */
  private void recognise(int frames, boolean whole) {
    List<float[]> rows = segment.subList(0, frames);
    long t0 = System.nanoTime();
    ScoreMatrix scores = model.scores(rows);
    long t1 = System.nanoTime();
    DecodingSession session = decoder.session();
    session.accept(scores);
    mostLatticeTokens = Math.max(mostLatticeTokens, session.latticeTokens());
    joiner.add(session, whole, segmentStartFrame * model.fbank.frameShiftMs() / 1000.0);
    long t2 = System.nanoTime();
    acousticSeconds += (t1 - t0) / 1e9;
    decodeSeconds += (t2 - t1) / 1e9;
    segmentStartFrame += frames;
    rows.clear();
  }
}
