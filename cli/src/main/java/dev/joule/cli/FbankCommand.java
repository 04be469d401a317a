package dev.joule.cli;

import dev.joule.frontend.FloatMatrix;
import dev.joule.frontend.audio.Audio;
import dev.joule.frontend.audio.AudioFiles;
import dev.joule.frontend.audio.AudioSource;
import dev.joule.frontend.audio.PcmFormat;
import dev.joule.frontend.audio.SampleEncoding;
import dev.joule.frontend.data.DataDir;
import dev.joule.frontend.data.Utterance;
import dev.joule.frontend.data.WavScpEntry;
import dev.joule.frontend.features.Cmvn;
import dev.joule.frontend.features.Fbank;
import dev.joule.frontend.features.FbankOptions;
import dev.joule.frontend.features.Features;
import dev.joule.frontend.features.WindowType;
import dev.joule.frontend.io.FeatureFileWriter;
import dev.joule.frontend.io.FeatureSink;
import dev.joule.frontend.io.KaldiTextWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code joule fbank}: Kaldi-compatible filter-bank features of a file or a data directory. */
@Command(
    name = "fbank",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Computes Kaldi-compatible log mel filter-bank features (compute-fbank-feats semantics) "
          + "for one audio file (WAV, AIFF, AU; raw PCM with --raw-format) or a Kaldi data "
          + "directory (wav.scp, optional segments). Audio is downmixed and resampled to "
          + "--sample-frequency. Output formats are described in frontend/FORMAT.md.",
      "Options have Kaldi's names and defaults (except 80 mel bins); a Kaldi config file such "
          + "as conf/fbank.conf is read with @conf/fbank.conf."
    })
final class FbankCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "INPUT", description = "an audio file, or a data directory with wav.scp")
  Path input;

  @Option(names = {"-o", "--out", "--output"}, required = true, paramLabel = "FILE",
      description = "where to write the features ('-' with --format text: standard output)")
  Path output;

  @Option(names = "--format", defaultValue = "joule", paramLabel = "joule|text",
      description = "joule (binary, default) or text (Kaldi text archive)")
  String format;

  @Option(names = "--utt-id", paramLabel = "ID",
      description = "utterance id for a single file (default: file name without extension)")
  String uttId;

  @Option(names = "--raw-format", paramLabel = "RATE:ENCODING[:CHANNELS]",
      description = "read INPUT as headerless PCM, e.g. 16000:s16le or 8000:ulaw:2 "
          + "(encodings: u8, s8, s16le, s16be, s24le, s24be, s32le, s32be, f32le, f32be, f64le, f64be, alaw, ulaw)")
  String rawFormat;

  @Option(names = "--allow-commands",
      description = "run 'command |' entries of wav.scp with /bin/sh (refused by default)")
  boolean allowCommands;

  @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
      description = "utterances computed in parallel for a data directory (default: ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--cmvn", defaultValue = "none", paramLabel = "none|utterance|global",
      description = "mean normalisation: per utterance, or global with --cmvn-stats (default: ${DEFAULT-VALUE})")
  String cmvn;

  @Option(names = "--norm-vars", description = "also normalise variances (with --cmvn)")
  boolean normVars;

  @Option(names = "--cmvn-stats", paramLabel = "FILE", description = "global CMVN statistics to apply")
  Path cmvnStats;

  @Option(names = "--write-cmvn-stats", paramLabel = "FILE",
      description = "accumulate CMVN statistics of the (un-normalised) features and write them here")
  Path writeCmvnStats;

  @Option(names = {"-q", "--quiet"}, description = "no progress lines")
  boolean quiet;

  @Option(names = "--sample-frequency", defaultValue = "16000", description = "Hz (default: ${DEFAULT-VALUE})")
  double sampleFrequency;

  @Option(names = "--num-mel-bins", defaultValue = "80", description = "default: ${DEFAULT-VALUE}")
  int numMelBins;

  @Option(names = "--frame-length", defaultValue = "25", description = "ms (default: ${DEFAULT-VALUE})")
  double frameLength;

  @Option(names = "--frame-shift", defaultValue = "10", description = "ms (default: ${DEFAULT-VALUE})")
  double frameShift;

  @Option(names = "--dither", defaultValue = "1.0", description = "default: ${DEFAULT-VALUE}; 0 turns it off")
  double dither;

  @Option(names = "--seed", defaultValue = "0", description = "dither seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--preemphasis-coefficient", defaultValue = "0.97", description = "default: ${DEFAULT-VALUE}")
  double preemphasis;

  @Option(names = "--window-type", defaultValue = "povey",
      description = "povey, hamming, hanning, rectangular, blackman (default: ${DEFAULT-VALUE})")
  String windowType;

  @Option(names = "--remove-dc-offset", defaultValue = "true", arity = "1", description = "default: ${DEFAULT-VALUE}")
  boolean removeDcOffset;

  @Option(names = "--round-to-power-of-two", defaultValue = "true", arity = "1", description = "default: ${DEFAULT-VALUE}")
  boolean roundToPowerOfTwo;

  @Option(names = "--snip-edges", defaultValue = "true", arity = "1", description = "default: ${DEFAULT-VALUE}")
  boolean snipEdges;

  @Option(names = "--low-freq", defaultValue = "20", description = "Hz (default: ${DEFAULT-VALUE})")
  double lowFreq;

  @Option(names = "--high-freq", defaultValue = "0",
      description = "Hz; 0 or negative: offset from Nyquist (default: ${DEFAULT-VALUE})")
  double highFreq;

  @Option(names = "--use-energy", defaultValue = "false", arity = "1", description = "add log energy as column 0 (default: ${DEFAULT-VALUE})")
  boolean useEnergy;

  @Option(names = "--raw-energy", defaultValue = "true", arity = "1", description = "default: ${DEFAULT-VALUE}")
  boolean rawEnergy;

  @Option(names = "--energy-floor", defaultValue = "0", description = "default: ${DEFAULT-VALUE}")
  double energyFloor;

  @Option(names = "--use-log-fbank", defaultValue = "true", arity = "1", description = "default: ${DEFAULT-VALUE}")
  boolean useLogFbank;

  @Option(names = "--use-power", defaultValue = "true", arity = "1", description = "default: ${DEFAULT-VALUE}")
  boolean usePower;

  private PrintWriter err;

  @Override
  public Integer call() throws Exception {
    err = spec.commandLine().getErr();
    FbankOptions opts = options();
    String mode = cmvn.toLowerCase(Locale.ROOT);
    if (!List.of("none", "utterance", "global").contains(mode)) {
      throw new IllegalArgumentException("--cmvn must be none, utterance or global, not '" + cmvn + "'");
    }
    if (mode.equals("global") != (cmvnStats != null)) {
      throw new IllegalArgumentException("--cmvn global and --cmvn-stats FILE go together");
    }
    if (threads < 1 || threads > 1024) {
      throw new IllegalArgumentException("--threads must be in 1..1024");
    }
    Cmvn global = cmvnStats != null ? Cmvn.load(cmvnStats) : null;
    if (global != null && global.dim() != opts.dim()) {
      throw new IllegalArgumentException(
          cmvnStats + " has dimension " + global.dim() + " but the features have " + opts.dim());
    }
    Cmvn accumulated = writeCmvnStats != null ? new Cmvn(opts.dim()) : null;
    String description = opts + (mode.equals("none") ? "" : " cmvn=" + mode + (normVars ? "+vars" : ""));
    List<Utterance> utts = utterances(); // input problems are reported before output is created
    Job job = new Job(opts, mode, global, accumulated);
    try (FeatureSink sink = sink(opts, description)) {
      job.run(utts, sink);
    }
    if (accumulated != null) {
      accumulated.save(writeCmvnStats);
    }
    return ExitCodes.OK;
  }

  private FbankOptions options() {
    return FbankOptions.builder()
        .sampleRate(sampleFrequency).numMelBins(numMelBins).frameLengthMs(frameLength)
        .frameShiftMs(frameShift).dither(dither).seed(seed).preemphasis(preemphasis)
        .window(WindowType.parse(windowType)).removeDcOffset(removeDcOffset)
        .roundToPowerOfTwo(roundToPowerOfTwo).snipEdges(snipEdges).lowFreq(lowFreq)
        .highFreq(highFreq).useEnergy(useEnergy).rawEnergy(rawEnergy).energyFloor(energyFloor)
        .useLogFbank(useLogFbank).usePower(usePower).build();
  }

  private FeatureSink sink(FbankOptions opts, String description) throws IOException {
    switch (format.toLowerCase(Locale.ROOT)) {
      case "joule":
        if (output.toString().equals("-")) {
          throw new IllegalArgumentException("--format joule needs a file (it seeks back to write row counts)");
        }
        return new FeatureFileWriter(output, opts.dim(), description);
      case "text":
        return new KaldiTextWriter(output.toString().equals("-")
            ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8)
            : Files.newBufferedWriter(output, StandardCharsets.UTF_8));
      default:
        throw new IllegalArgumentException("--format must be joule or text, not '" + format + "'");
    }
  }

  private List<Utterance> utterances() throws IOException {
    if (Files.isDirectory(input)) {
      if (rawFormat != null || uttId != null) {
        throw new IllegalArgumentException("--raw-format and --utt-id apply to a single file, not a directory");
      }
      return DataDir.load(input, allowCommands).utterances();
    }
    String id = uttId;
    if (id == null) {
      String name = input.getFileName() == null ? "utt" : input.getFileName().toString();
      int dot = name.lastIndexOf('.');
      id = (dot > 0 ? name.substring(0, dot) : name).replaceAll("\\s", "_");
    }
    if (rawFormat == null) {
      AudioFiles.info(input); // checks that the file exists and its header is sound
    }
    return List.of(new Utterance(id, new WavScpEntry(id, input.toString(), false), 0, -1, null, null));
  }

  /** Opens an utterance's audio at the feature rate (raw PCM when --raw-format says so). */
  private AudioSource open(Utterance u, int rate) throws IOException {
    if (rawFormat != null) {
      return Audio.openRaw(u.recording().path(), parseRawFormat(rawFormat), rate);
    }
    return u.open(rate);
  }

  static PcmFormat parseRawFormat(String s) {
    String[] f = s.split(":");
    if (f.length < 2 || f.length > 3) {
      throw new IllegalArgumentException("--raw-format is RATE:ENCODING[:CHANNELS], not '" + s + "'");
    }
    int rate;
    int channels;
    try {
      rate = Integer.parseInt(f[0]);
      channels = f.length == 3 ? Integer.parseInt(f[2]) : 1;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--raw-format: bad number in '" + s + "'");
    }
    String e = f[1].toLowerCase(Locale.ROOT);
    boolean be = e.endsWith("be");
    return switch (e) {
      case "u8" -> new PcmFormat(rate, channels, 8, SampleEncoding.PCM_UNSIGNED, false);
      case "s8" -> new PcmFormat(rate, channels, 8, SampleEncoding.PCM_SIGNED, false);
      case "s16le", "s16be" -> new PcmFormat(rate, channels, 16, SampleEncoding.PCM_SIGNED, be);
      case "s24le", "s24be" -> new PcmFormat(rate, channels, 24, SampleEncoding.PCM_SIGNED, be);
      case "s32le", "s32be" -> new PcmFormat(rate, channels, 32, SampleEncoding.PCM_SIGNED, be);
      case "f32le", "f32be" -> new PcmFormat(rate, channels, 32, SampleEncoding.FLOAT, be);
      case "f64le", "f64be" -> new PcmFormat(rate, channels, 64, SampleEncoding.FLOAT, be);
      case "alaw" -> new PcmFormat(rate, channels, 8, SampleEncoding.ALAW, false);
      case "ulaw" -> new PcmFormat(rate, channels, 8, SampleEncoding.ULAW, false);
      default -> throw new IllegalArgumentException("--raw-format: unknown encoding '" + f[1] + "'");
    };
  }

  /** One run over the utterances: features, optional CMVN, statistics, progress. */
  private final class Job {
    private final FbankOptions opts;
    private final String mode;
    private final Cmvn global;
    private final Cmvn accumulated;
    private final ThreadLocal<Fbank> fbanks;
    private final long t0 = System.nanoTime();
    private long lastReport = t0;
    private double audioSeconds;
    private int done;

    Job(FbankOptions opts, String mode, Cmvn global, Cmvn accumulated) {
      this.opts = opts;
      this.mode = mode;
      this.global = global;
      this.accumulated = accumulated;
      this.fbanks = ThreadLocal.withInitial(() -> new Fbank(opts));
    }

    void run(List<Utterance> utts, FeatureSink sink) throws Exception {
      if (threads == 1) {
        for (Utterance u : utts) {
          if (mode.equals("utterance")) {
            sink.write(u.id(), compute(u));
          } else {
            stream(u, sink);
          }
          progress(utts.size(), false);
        }
      } else {
        // Whole utterances in memory, at most 2 × threads in flight, written in input order.
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
          ArrayDeque<Future<FloatMatrix>> inFlight = new ArrayDeque<>();
          int next = 0;
          for (Utterance u : utts) {
            inFlight.add(pool.submit(() -> compute(u)));
            if (inFlight.size() >= 2 * threads) {
              sink.write(utts.get(next++).id(), take(inFlight));
              progress(utts.size(), false);
            }
          }
          while (!inFlight.isEmpty()) {
            sink.write(utts.get(next++).id(), take(inFlight));
            progress(utts.size(), false);
          }
        } finally {
          pool.shutdownNow();
        }
      }
      progress(utts.size(), true);
    }

    private FloatMatrix take(ArrayDeque<Future<FloatMatrix>> q) throws Exception {
      try {
        return q.poll().get();
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception c ? c : e;
      }
    }

    /** Streams one utterance (no per-utterance CMVN): memory stays bounded for any length. */
    private void stream(Utterance u, FeatureSink sink) throws IOException {
      sink.begin(u.id());
      long frames;
      try (AudioSource src = open(u, (int) opts.sampleRate())) {
        frames = Features.stream(src, fbanks.get(), rows -> {
          account(rows);
          if (global != null) {
            global.apply(rows, normVars);
          }
          sink.rows(rows);
        });
      }
      sink.end();
      synchronized (this) {
        audioSeconds += frames * opts.frameShiftMs() / 1000;
      }
    }

    /** One utterance's features, CMVN applied (the statistics are accumulated first). */
    private FloatMatrix compute(Utterance u) throws IOException {
      FloatMatrix f;
      try (AudioSource src = open(u, (int) opts.sampleRate())) {
        f = Features.compute(src, fbanks.get());
      }
      account(f);
      if (mode.equals("utterance")) {
        Cmvn.perUtterance(f, normVars);
      } else if (global != null) {
        global.apply(f, normVars);
      }
      synchronized (this) {
        audioSeconds += f.rows() * opts.frameShiftMs() / 1000;
      }
      return f;
    }

    private void account(FloatMatrix rows) {
      if (accumulated != null) {
        synchronized (accumulated) {
          accumulated.accumulate(rows);
        }
      }
    }

    private void progress(int total, boolean last) {
      done += last ? 0 : 1;
      long now = System.nanoTime();
      if (quiet || total < 2 || (!last && now - lastReport < 2_000_000_000L)) {
        return;
      }
      lastReport = now;
      double secs = (now - t0) / 1e9;
      double audio;
      synchronized (this) {
        audio = audioSeconds;
      }
      err.printf(Locale.ROOT, "joule: fbank %d/%d utterances, %.1f s of audio in %.1f s (%.0fx real time)%s%n",
          done, total, audio, secs, audio / Math.max(secs, 1e-9), last ? ", done" : "");
      err.flush();
    }
  }
}
