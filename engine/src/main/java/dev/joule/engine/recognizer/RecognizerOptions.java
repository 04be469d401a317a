package dev.joule.engine.recognizer;

import dev.joule.decoder.search.DecoderOptions;
import dev.joule.engine.device.DeviceChoice;

/**
 * How a {@link Recognizer} runs. Start from {@link #defaults()} and change what you need:
 * {@code RecognizerOptions.defaults().withBeam(12, 6).withThreads(4)}.
 *
 * @param device where to compute ({@code auto}: a GPU when usable, otherwise the CPU)
 * @param decoder beam-search settings (CAT's by default)
 * @param threads worker threads for {@link Recognizer#transcribeAll}
 * @param rescoring whether each utterance's n-best list is rescored with the model's TRF language
 *     model and n-gram, with the weights saved with the TRF, the best rescored entry becoming the
 *     transcript: {@link Rescoring#AUTO} (the default) when the model has a TRF
 * @param streamChunkFrames feature frames the acoustic model scores at a time when streaming
 *     (with the frames around them that their scores depend on); a stream's partial results lag
 *     the audio by up to this plus {@link RecognizerStream#lookaheadSeconds()}
 */
public record RecognizerOptions(
    DeviceChoice device, DecoderOptions decoder, int threads, Rescoring rescoring, int streamChunkFrames) {

  public RecognizerOptions {
    if (device == null || decoder == null || rescoring == null) {
      throw new IllegalArgumentException("device, decoder and rescoring options are required");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, not " + threads);
    }
    if (streamChunkFrames < 1) {
      throw new IllegalArgumentException("stream chunk must be at least 1 frame, not " + streamChunkFrames);
    }
  }

  /** When n-best lists are rescored with the model's TRF language model. */
  public enum Rescoring {
    /** When the model has a TRF language model; otherwise the decoder's 1-best stands. */
    AUTO,
    /** Always; opening a model without a TRF fails (refusing beats silently not rescoring). */
    ON,
    /** Never: the decoder's 1-best stands. */
    OFF
  }

  /**
   * Automatic device, CAT's decoding defaults, one thread, rescoring when the model has a TRF,
   * 0.4 s stream chunks.
   */
  public static RecognizerOptions defaults() {
    return new RecognizerOptions(DeviceChoice.AUTO, DecoderOptions.DEFAULTS, 1, Rescoring.AUTO, 40);
  }

  public RecognizerOptions withDevice(DeviceChoice d) {
    return new RecognizerOptions(d, decoder, threads, rescoring, streamChunkFrames);
  }

  public RecognizerOptions withDecoder(DecoderOptions d) {
    return new RecognizerOptions(device, d, threads, rescoring, streamChunkFrames);
  }

  /** Beam and lattice beam of the decoder. */
  public RecognizerOptions withBeam(float beam, float latticeBeam) {
    return withDecoder(decoder.withBeam(beam, latticeBeam));
  }

  public RecognizerOptions withThreads(int n) {
    return new RecognizerOptions(device, decoder, n, rescoring, streamChunkFrames);
  }

  public RecognizerOptions withRescoring(Rescoring r) {
    return new RecognizerOptions(device, decoder, threads, r, streamChunkFrames);
  }

  /** {@link Rescoring#ON} or {@link Rescoring#OFF}. */
  public RecognizerOptions withRescoring(boolean on) {
    return withRescoring(on ? Rescoring.ON : Rescoring.OFF);
  }

  public RecognizerOptions withStreamChunkFrames(int frames) {
    return new RecognizerOptions(device, decoder, threads, rescoring, frames);
  }
}
