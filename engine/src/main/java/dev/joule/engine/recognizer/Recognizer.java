package dev.joule.engine.recognizer;

import dev.joule.decoder.search.Decoder;
import dev.joule.decoder.search.DecodingResult;
import dev.joule.decoder.search.ScoreMatrix;
import dev.joule.engine.am.GpuAcousticModel;
import dev.joule.engine.device.ComputeDevice;
import dev.joule.engine.device.Devices;
import dev.joule.engine.gpu.GpuOutOfMemoryException;
import dev.joule.engine.model.ModelDirectory;
import dev.joule.engine.model.ModelFormatException;
import dev.joule.frontend.FloatMatrix;
import dev.joule.frontend.audio.Audio;
import dev.joule.frontend.audio.AudioSource;
import dev.joule.frontend.audio.Resampler;
import dev.joule.frontend.features.Fbank;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;

/**
 * Speech recognition from a Joule model: audio in, words with times, confidences and
 * alternatives out.
 *
 * <pre>{@code
 * try (Recognizer r = Recognizer.open(Path.of("model"), RecognizerOptions.defaults())) {
 *   Transcript t = r.transcribe(Path.of("hello.wav"));
 *   System.out.println(t.text());
 *   for (Word w : t.words()) System.out.printf("%s %.2f-%.2f%n", w.text(), w.start(), w.end());
 * }
 * }</pre>
 *
 * <p>The pipeline: audio (any supported file, downmixed and resampled to the model's rate) →
 * Kaldi fbank with the model's {@code fbank.conf} → global CMVN when the model has
 * {@code cmvn.stats} → acoustic model (per-frame log-softmax) → WFST beam search over
 * {@code TLG.jfst} → words from {@code words.txt}, timed at frame shift × subsampling → when the
 * model has a TRF language model ({@code trf/}; see {@link RecognizerOptions#rescoring()}), the
 * n-best list rescored with it and the n-gram ({@code lm.arpa}), the best rescored entry becoming
 * the transcript (see {@link TranscriptBuilder}).
 *
 * <p>Input of any length is recognised in bounded memory: it is read a block at a time and cut
 * into segments at pauses of 0.6 s or more (at most 30 s each), each recognised whole and then
 * dropped (see {@link SegmentedRecognition}). Audio without such a pause is one segment.
 *
 * <p>A recognizer is safe to share between threads: the loaded model is read-only and every call
 * uses its own feature extractor and decoding session. {@link #close()} releases the device
 * (GPU memory) and any temporary copy of a packaged model; calls after it fail.
 *
 * <p>On a GPU device the acoustic model runs on the GPU ({@link GpuAcousticModel}: TDNN and BLSTM
 * models; other architectures stay on the CPU, said in one logged line); features and decoding
 * stay on the CPU. Choosing {@code gpu} fails when no GPU can be used.
 */
public final class Recognizer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Recognizer.class.getName());

  private final RecognitionModel model;
  private final RecognizerOptions options;
  private final ComputeDevice device;
  private final Decoder decoder;
  private final TranscriptBuilder transcripts;
  private final Path temporaryCopy;
  private volatile boolean closed;

  /** Samples read from an audio source at a time (1 s at 16 kHz). */
  private static final int READ_BLOCK_SAMPLES = 16_000;

  private Recognizer(RecognitionModel model, TranscriptBuilder transcripts, RecognizerOptions options, ComputeDevice device,
      Path temporaryCopy) {
    this.model = model;
    this.transcripts = transcripts;
    this.options = options;
    this.device = device;
    this.decoder = new Decoder(model.graph, options.decoder());
    this.temporaryCopy = temporaryCopy;
    device.gpu().flatMap(model::useGpu).ifPresent(why -> LOG.warning("acoustic model stays on the CPU: " + why));
  }

  /** Loads the model directory {@code dir} with default options. */
  public static Recognizer open(Path dir) throws IOException {
    return open(dir, RecognizerOptions.defaults());
  }

  /**
   * Loads the model directory {@code dir}.
   *
   * @throws ModelFormatException when the directory is not a complete, intact model
   * @throws dev.joule.engine.gpu.GpuException when {@code options} asks for a GPU that cannot be used
   */
  public static Recognizer open(Path dir, RecognizerOptions options) throws IOException {
    return open(dir, options, null);
  }

  /**
   * Loads a model packaged on the class path under {@code resourceDir} (for example a model
   * artifact added as a Maven dependency), copying it to a temporary directory first.
   */
  public static Recognizer openClasspath(String resourceDir, RecognizerOptions options) throws IOException {
    Path copy = ModelLocator.extract(resourceDir);
    try {
      return open(copy, options, copy);
    } catch (ModelFormatException e) {
      ModelLocator.deleteTree(copy);
      // Name the model as the user knows it, not by its temporary copy.
      String name = resourceDir.equals(ModelLocator.DEFAULT_RESOURCE)
          ? "the bundled default model" : "the model on the class path at " + resourceDir;
      throw new ModelFormatException(e.getMessage().replace(copy.toString(), name), e);
    } catch (IOException | RuntimeException e) {
      ModelLocator.deleteTree(copy);
      throw e;
    }
  }

  /**
   * Loads the default model: the directory {@link ModelLocator#defaultDirectory()} names, or else
   * one packaged on the class path at {@value ModelLocator#DEFAULT_RESOURCE}.
   *
   * @throws NoModelException when there is none, saying how to get one
   */
  public static Recognizer openDefault(RecognizerOptions options) throws IOException {
    Optional<Path> dir = ModelLocator.defaultDirectory();
    if (dir.isPresent()) {
      return open(dir.get(), options);
    }
    if (ModelLocator.onClasspath(ModelLocator.DEFAULT_RESOURCE)) {
      return openClasspath(ModelLocator.DEFAULT_RESOURCE, options);
    }
    throw new NoModelException(ModelLocator.NO_MODEL_MESSAGE);
  }

  private static Recognizer open(Path dir, RecognizerOptions options, Path temporaryCopy) throws IOException {
    RecognitionModel model = RecognitionModel.load(ModelDirectory.open(dir));
    TranscriptBuilder transcripts = TranscriptBuilder.of(model, options.rescoring());
    ComputeDevice device = Devices.open(options.device());
    return new Recognizer(model, transcripts, options, device, temporaryCopy);
  }

  /** The loaded model (for recognitions made inside this package). */
  RecognitionModel model() {
    return model;
  }

  /** The shared decoder (for recognitions made inside this package). */
  Decoder decoder() {
    return decoder;
  }

  /** The options this recognizer was made with. */
  public RecognizerOptions options() {
    return options;
  }

  /**
   * Whether transcripts come from rescoring n-best lists with the model's TRF language model
   * ({@link RecognizerOptions#rescoring()} {@code ON}, or {@code AUTO} and the model has a TRF).
   */
  public boolean rescores() {
    return transcripts.rescores();
  }

  /** The device chosen for this recognizer. */
  public ComputeDevice device() {
    return device;
  }

  /** The model's directory. */
  public Path modelDirectory() {
    return model.dir.directory();
  }

  /** The model's manifest properties (name, language, description, ... as the model sets them). */
  public Map<String, String> modelProperties() {
    return model.dir.properties();
  }

  /** The sample rate the model's features are computed at; other rates are resampled to it. */
  public int sampleRate() {
    return (int) model.fbank.sampleRate();
  }

  /** Recognises an audio file (WAV, AIFF or AU; any rate and channel count). */
  public Transcript transcribe(Path audio) throws IOException {
    checkOpen();
    try (AudioSource src = Audio.open(audio, sampleRate())) {
      return transcribe(src);
    }
  }

  /**
   * Recognises everything {@code source} holds (mono, read to its end and resampled to the
   * model's rate when needed); the caller closes it. This is how a part of a file, a Kaldi
   * {@code wav.scp} entry or a custom decoder's output is recognised.
   */
  public Transcript transcribe(AudioSource source) throws IOException {
    checkOpen();
    AudioSource src = source.sampleRate() == sampleRate() ? source
        : Audio.resampled(source, source.sampleRate(), sampleRate());
    SegmentedRecognition recognition = new SegmentedRecognition(model, decoder, transcripts);
    // Read a block at a time: the audio is never held whole, however long it is.
    float[] block = new float[READ_BLOCK_SAMPLES];
    for (int n; (n = src.read(block, 0, block.length)) >= 0; ) {
      recognition.accept(block, 0, n);
    }
    return recognition.finish();
  }

  /** Recognises samples (floats in [-1, 1], mono) taken at {@code rate} Hz. */
  public Transcript transcribe(float[] samples, int rate) {
    checkOpen();
    if (rate <= 0) {
      throw new IllegalArgumentException("sample rate must be positive, not " + rate);
    }
    checkFinite(samples, 0, samples.length);
    float[] x = rate == sampleRate() ? samples : Resampler.resample(samples, rate, sampleRate());
    SegmentedRecognition recognition = new SegmentedRecognition(model, decoder, transcripts);
    recognition.accept(x, 0, x.length);
    return recognition.finish();
  }

  /**
   * Recognises files on {@link RecognizerOptions#threads()} threads; results in input order.
   *
   * @throws IOException the first file that cannot be read (naming it); the others are abandoned
   */
  public List<Transcript> transcribeAll(List<Path> files) throws IOException {
    checkOpen();
    return onPool(Math.min(options.threads(), Math.max(1, files.size())), pool -> {
      List<Future<Transcript>> futures = new ArrayList<>();
      for (Path f : files) {
        futures.add(pool.submit(() -> transcribe(f)));
      }
      return futures;
    });
  }

  /**
   * Recognises files with the acoustic model batched on the GPU, {@code acousticBatch} utterances
   * per batch (in input order), overlapped with the CPU work: features are computed and decoding
   * runs on {@link RecognizerOptions#threads()} threads while the GPU scores the next batch.
   * Meant for utterance-length files: each file of up to 30 s is recognised as one segment (not
   * cut at pauses as {@link #transcribe(Path)} cuts it, so a file with a long pause inside can
   * come out slightly differently); a longer file is recognised by {@link #transcribe(Path)}.
   * Results are in input order. On the CPU this is {@link #transcribeAll(List)}. Each
   * transcript's acoustic time is its share (by frames) of its batch's time.
   *
   * @throws IOException the first file that cannot be read (naming it); the others are abandoned
   */
  public List<Transcript> transcribeAll(List<Path> files, int acousticBatch) throws IOException {
    checkOpen();
    if (acousticBatch < 1) {
      throw new IllegalArgumentException("acoustic batch must be at least 1, not " + acousticBatch);
    }
    return model.onGpu() ? transcribeBatched(files, acousticBatch) : transcribeAll(files);
  }

  /** The pipeline of {@link #transcribeAll(List, int)}; on the CPU its batches are scored one by one. */
  List<Transcript> transcribeBatched(List<Path> files, int acousticBatch) throws IOException {
    return onPool(Math.max(1, options.threads()), pool -> {
      List<Future<TimedFeatures>> features = new ArrayList<>();
      for (Path f : files) {
        features.add(pool.submit(() -> features(f)));
      }
      List<Future<Transcript>> results = new ArrayList<>(java.util.Collections.nCopies(files.size(), null));
      for (int first = 0; first < files.size(); first += acousticBatch) {
        List<Integer> members = new ArrayList<>();
        List<TimedFeatures> batch = new ArrayList<>();
        for (int i = first; i < Math.min(files.size(), first + acousticBatch); i++) {
          TimedFeatures u = features.get(i).get();
          if (u == null) {
            Path tooLong = files.get(i);
            results.set(i, pool.submit(() -> transcribe(tooLong)));
          } else {
            members.add(i);
            batch.add(u);
          }
        }
        if (batch.isEmpty()) {
          continue;
        }
        long t0 = System.nanoTime();
        List<ScoreMatrix> scores = scoresSplittingOnOutOfMemory(batch.stream().map(TimedFeatures::features).toList());
        double batchSeconds = (System.nanoTime() - t0) / 1e9;
        long batchFrames = Math.max(1, batch.stream().mapToLong(u -> u.features().rows()).sum());
        for (int k = 0; k < batch.size(); k++) {
          TimedFeatures u = batch.get(k);
          ScoreMatrix s = scores.get(k);
          double acoustic = batchSeconds * u.features().rows() / batchFrames;
          results.set(members.get(k), pool.submit(() -> decode(s, u.audioSeconds(), u.seconds(), acoustic)));
        }
      }
      return results;
    });
  }

  /** Work that queues transcriptions on a pool (and may wait for earlier pooled work itself). */
  private interface PooledWork {
    List<Future<Transcript>> submit(ExecutorService pool) throws InterruptedException, ExecutionException;
  }

  /**
   * Runs {@code work} on a pool of {@code threads} threads and returns its transcripts in the
   * order it queued them; the first failure is rethrown as it was and abandons the rest.
   */
  private static List<Transcript> onPool(int threads, PooledWork work) throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Transcript> out = new ArrayList<>();
      for (Future<Transcript> f : work.submit(pool)) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while transcribing", e);
    } catch (ExecutionException e) {
      throw rethrow(e);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Scores a batch on the GPU; when the device runs out of memory the batch is split in halves
   * and each half retried, down to single utterances (whose failure is then reported).
   */
  private List<ScoreMatrix> scoresSplittingOnOutOfMemory(List<FloatMatrix> batch) {
    try {
      return model.scoresBatch(batch);
    } catch (GpuOutOfMemoryException e) {
      if (batch.size() == 1) {
        throw e;
      }
      LOG.warning("GPU out of memory scoring " + batch.size() + " utterances; retrying in two halves ("
          + e.getMessage() + ")");
      int half = batch.size() / 2;
      List<ScoreMatrix> out = new ArrayList<>(scoresSplittingOnOutOfMemory(batch.subList(0, half)));
      out.addAll(scoresSplittingOnOutOfMemory(batch.subList(half, batch.size())));
      return out;
    }
  }

  /** The exception a pooled task failed with: its IOException or RuntimeException as it was. */
  private static IOException rethrow(ExecutionException e) throws IOException {
    if (e.getCause() instanceof IOException io) {
      throw io;
    }
    if (e.getCause() instanceof RuntimeException r) {
      throw r;
    }
    throw new IllegalStateException(e.getCause());
  }

  /** Features of one file with the seconds it took to read and compute them. */
  private record TimedFeatures(FloatMatrix features, double audioSeconds, double seconds) {}

  /** Features of a file for batching, or null when it is longer than one segment. */
  private TimedFeatures features(Path file) throws IOException {
    long t0 = System.nanoTime();
    float[] samples;
    try (AudioSource src = Audio.open(file, sampleRate())) {
      // Read at most one segment's worth (and a sample more, to know whether there is more).
      int limit = (int) (PauseSegmenter.MAX_SEGMENT_FRAMES * model.fbank.frameShiftMs() / 1000.0 * sampleRate());
      float[] buffer = new float[limit + 1];
      int n = 0;
      for (int r; n < buffer.length && (r = src.read(buffer, n, buffer.length - n)) >= 0; ) {
        n += r;
      }
      if (n > limit) {
        return null;
      }
      samples = java.util.Arrays.copyOf(buffer, n);
    }
    checkFinite(samples, 0, samples.length);
    FloatMatrix features = new Fbank(model.fbank).compute(samples);
    model.normalise(features);
    return new TimedFeatures(features, samples.length / (double) sampleRate(), (System.nanoTime() - t0) / 1e9);
  }

  private Transcript decode(ScoreMatrix scores, double audioSeconds, double featureSeconds, double acousticSeconds) {
    long t0 = System.nanoTime();
    DecodingResult result = decoder.decode(scores);
    return transcripts.build(result, new Timing(audioSeconds, featureSeconds, acousticSeconds, (System.nanoTime() - t0) / 1e9));
  }

  /** A streaming session for audio at the model's rate. */
  public RecognizerStream stream() {
    return stream(sampleRate());
  }

  /** A streaming session for audio at {@code rate} Hz (resampled as it arrives). */
  public RecognizerStream stream(int rate) {
    checkOpen();
    return new RecognizerStream(model, transcripts, decoder, options.streamChunkFrames(), rate);
  }

  /** How a decoding result becomes a transcript (rescored when asked for), for this package. */
  TranscriptBuilder transcripts() {
    return transcripts;
  }

  /** Rejects NaN and infinite samples, which would otherwise surface as NaN scores deep in the decoder. */
  static void checkFinite(float[] x, int off, int len) {
    for (int i = off; i < off + len; i++) {
      if (!Float.isFinite(x[i])) {
        throw new IllegalArgumentException("sample " + i + " is " + x[i] + "; audio samples must be finite");
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("recognizer is closed");
    }
  }

  /** Releases the device and any temporary copy of a packaged model. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    model.releaseGpu();
    device.close();
    if (temporaryCopy != null) {
      ModelLocator.deleteTree(temporaryCopy);
    }
  }
}
