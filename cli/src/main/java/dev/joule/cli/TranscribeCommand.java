package dev.joule.cli;

import dev.joule.cli.format.TranscriptFormat;
import dev.joule.engine.device.DeviceChoice;
import dev.joule.engine.io.AtomicFiles;
import dev.joule.engine.recognizer.Recognizer;
import dev.joule.engine.recognizer.RecognizerOptions;
import dev.joule.engine.recognizer.Transcript;
import dev.joule.frontend.audio.AudioSource;
import dev.joule.frontend.data.KaldiFiles;
import dev.joule.frontend.data.WavScpEntry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code joule transcribe}: audio files to text. One file goes to standard output (or
 * {@code --out FILE}); many (a directory, several files, a {@code wav.scp}) go to one file per
 * utterance in {@code --out DIR}, each written as soon as it is done, so a failing file is
 * reported and skipped while the rest continue and {@code --resume} skips finished ones.
 */
@Command(
    name = "transcribe",
    mixinStandardHelpOptions = true,
    description = {
      "Transcribes audio files (WAV, AIFF, AU) with a Joule model.",
      "One file: the transcript goes to standard output or --out FILE. Several files, a directory or "
          + "--scp: one file per utterance in --out DIR (ID.EXT; with --format kaldi also DIR/text, with nbest "
          + "DIR/nbest); "
          + "failing files are reported and skipped, --resume skips those already done."
    })
final class TranscribeCommand implements Callable<Integer> {
  private static final Set<String> AUDIO = Set.of("wav", "wave", "aif", "aiff", "aifc", "au", "snd");

  @Spec CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "FILE|DIR", description = "audio files, or directories of them")
  List<Path> inputs = new ArrayList<>();

  @Option(names = "--scp", paramLabel = "FILE", description = "a Kaldi wav.scp (ID PATH per line) listing the inputs")
  Path scp;

  @Option(names = {"-m", "--model"}, paramLabel = "DIR",
      description = "model directory (default: $JOULE_MODEL, then an installed default model, then the bundled English model)")
  Path model;

  @Option(names = {"-f", "--format"}, defaultValue = "text", paramLabel = "FORMAT",
      description = "text, json, srt, vtt, ctm, kaldi or nbest (default: ${DEFAULT-VALUE})")
  String format;

  @Option(names = {"-o", "--out"}, paramLabel = "FILE|DIR",
      description = "output file (one input) or directory (several inputs)")
  Path out;

  @Option(names = "--device", defaultValue = "auto", converter = DeviceChoiceConverter.class,
      paramLabel = "auto|cpu|gpu[:N]", description = "where to compute (default: ${DEFAULT-VALUE})")
  DeviceChoice device;

  @Option(names = {"-j", "--jobs"}, defaultValue = "1", paramLabel = "N",
      description = "files transcribed at the same time (default: ${DEFAULT-VALUE})")
  int jobs;

  @Option(names = "--allow-commands", description = "run wav.scp entries that are commands (ending in |)")
  boolean allowCommands;

  @Option(names = "--resume", description = "skip inputs whose output file already exists in --out DIR")
  boolean resume;

  @Mixin BeamOptions beams;

  @Option(names = "--rescore", negatable = true,
      description = "rescore each n-best list with the model's TRF language model (see joule lm trf-attach);"
          + " default: when the model has one. --rescore refuses a model without one")
  Boolean rescore;

  @Option(names = {"-q", "--quiet"}, description = "no progress bar or summary")
  boolean quiet;

  /** One input: an utterance id and its audio file, or a {@code wav.scp} entry (file or command). */
  record Input(String id, Path path, WavScpEntry entry) {
    Input(String id, Path path) {
      this(id, path, null);
    }

    Transcript transcribe(Recognizer r) throws IOException {
      if (entry == null) {
        return r.transcribe(path);
      }
      try (AudioSource src = entry.open(r.sampleRate(), -1, -1)) {
        return r.transcribe(src);
      }
    }

    /** What error messages call this input. */
    String name() {
      return entry == null ? path.toString() : entry.location();
    }
  }

  @Override
  public Integer call() throws Exception {
    TranscriptFormat fmt = TranscriptFormat.named(format);
    if (jobs < 1) {
      throw new ParameterException(spec.commandLine(), "--jobs must be at least 1");
    }
    if (inputs.isEmpty() && scp == null) {
      throw new ParameterException(spec.commandLine(), "give audio files, a directory, or --scp wav.scp");
    }
    boolean single = scp == null && inputs.size() == 1 && !Files.isDirectory(inputs.get(0));
    if (resume && single) {
      throw new ParameterException(spec.commandLine(), "--resume needs several inputs and --out DIR");
    }
    List<Input> work = collect();
    if (!single && out == null) {
      throw new ParameterException(spec.commandLine(), "several inputs need --out DIR (one output file per input)");
    }
    RecognizerOptions options = beams.applyTo(RecognizerOptions.defaults().withDevice(device))
        .withThreads(jobs).withRescoring(RescoreOption.of(rescore));
    try (Recognizer recognizer = model != null ? Recognizer.open(model, options) : Recognizer.openDefault(options)) {
      if (single) {
        String text = fmt.format(work.get(0).id(), work.get(0).transcribe(recognizer));
        if (out == null) {
          spec.commandLine().getOut().print(text);
          spec.commandLine().getOut().flush();
        } else {
          writeAtomically(out, text);
        }
        return ExitCodes.OK;
      }
      return batch(recognizer, fmt, work);
    }
  }

  private int batch(Recognizer recognizer, TranscriptFormat fmt, List<Input> work) throws IOException, InterruptedException {
    Files.createDirectories(out);
    PrintWriter err = spec.commandLine().getErr();
    List<Input> todo = new ArrayList<>();
    for (Input in : work) {
      if (!(resume && Files.exists(target(in, fmt)))) {
        todo.add(in);
      }
    }
    int skipped = work.size() - todo.size();
    Set<String> written = new HashSet<>(List.of("text"));
    for (Input in : todo) {
      written.add(target(in, fmt).getFileName().toString());
    }
    deleteAbandonedWrites(out, written);
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, Math.max(1, todo.size())));
    ProgressBar bar = quiet || todo.size() < 2 ? null : ProgressBars.of("transcribe", todo.size());
    try {
      for (Input in : todo) {
        pool.execute(() -> {
          try {
            Transcript t = in.transcribe(recognizer);
            writeAtomically(target(in, fmt), fmt.format(in.id(), t));
            done.incrementAndGet();
          } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            // One bad file must not cost the others: say which and why, and go on. Running out of
            // memory on one input is that input's failure too (its allocations are gone once it
            // is abandoned); left uncaught it ended the worker silently and the batch reported
            // success with an output missing.
            failed.incrementAndGet();
            synchronized (err) {
              String why = message(e);
              // Most errors already begin with the file's name; say it once.
              err.println("joule: " + (why.startsWith(in.name() + ": ") ? why : in.name() + ": " + why) + " (skipped)");
              err.flush();
            }
          } finally {
            if (bar != null) {
              bar.step();
            }
          }
        });
      }
      pool.shutdown();
      while (!pool.awaitTermination(1, TimeUnit.HOURS)) {
        // keep waiting: a batch may be long
      }
    } finally {
      pool.shutdownNow();
      if (bar != null) {
        bar.close();
      }
    }
    if (fmt.extension().equals("kaldi.txt")) {
      writeJoined(work, fmt, "text");
    } else if (fmt.extension().equals("nbest")) {
      writeJoined(work, fmt, "nbest");
    }
    if (!quiet) {
      err.printf(Locale.ROOT, "joule: transcribed %d of %d inputs into %s; %d already done, %d failed%n",
          done.get(), work.size(), out, skipped, failed.get());
      err.flush();
    }
    return failed.get() > 0 ? ExitCodes.INPUT : ExitCodes.OK;
  }

  /**
   * {@code OUT/name}: every finished utterance's lines, in input order: {@code text} for
   * {@code joule score}, {@code nbest} for {@code joule lm rescore}.
   */
  private void writeJoined(List<Input> work, TranscriptFormat fmt, String name) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Input in : work) {
      Path f = target(in, fmt);
      if (Files.exists(f)) {
        sb.append(Files.readString(f, StandardCharsets.UTF_8));
      }
    }
    writeAtomically(out.resolve(name), sb.toString());
  }

  private Path target(Input in, TranscriptFormat fmt) {
    return out.resolve(in.id() + "." + fmt.extension());
  }

  private List<Input> collect() throws IOException {
    List<Input> work = new ArrayList<>();
    for (Path p : inputs) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> files = Files.list(p)) {
          files.filter(f -> Files.isRegularFile(f) && AUDIO.contains(extension(f))).sorted()
              .forEach(f -> work.add(new Input(id(f), f)));
        }
      } else if (Files.exists(p)) {
        work.add(new Input(id(p), p));
      } else {
        throw new NoSuchFileException(p + ": no such file or directory");
      }
    }
    if (scp != null) {
      for (WavScpEntry e : KaldiFiles.readWavScp(scp, allowCommands).values()) {
        work.add(new Input(e.id(), null, e));
      }
    }
    if (work.isEmpty()) {
      throw new NoSuchFileException("no audio files (" + String.join(", ", AUDIO) + ") in " + inputs);
    }
    Set<String> ids = new HashSet<>();
    for (Input in : work) {
      if (!ids.add(in.id())) {
        throw new IllegalArgumentException("two inputs have the id '" + in.id() + "'; give each file a distinct name");
      }
    }
    return work;
  }

  private static String id(Path f) {
    String name = f.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private static String extension(Path f) {
    String name = f.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static String message(Throwable e) {
    if (e instanceof OutOfMemoryError) {
      return "out of memory (" + e.getMessage() + "); give Java more heap, e.g. JOULE_JAVA_OPTS=-Xmx2g";
    }
    // The command-line's wording, so a skipped file reads like any other error (path and reason).
    String m = Joule.message(e);
    return m == null ? e.getClass().getSimpleName() : m;
  }

  /**
   * Removes the temporary files {@link #writeAtomically} leaves in {@code dir} when a run is killed
   * mid-write, for the outputs named in {@code names} (which this run writes anew): they are never
   * outputs, and would otherwise pile up over repeated kills.
   */
  static void deleteAbandonedWrites(Path dir, Set<String> names) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        int dot = name.lastIndexOf(".tmp");
        // Earlier versions named them "." + output name + random digits + ".tmp".
        boolean earlier = name.startsWith(".") && dot > 0 && name.endsWith(".tmp")
            && names.contains(name.substring(1, dot).replaceAll("\\d+$", ""));
        if (earlier || names.stream().anyMatch(output -> AtomicFiles.isTemporaryFor(name, output))) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  /** Writes through a temporary file and a move, so an interrupted batch leaves no half files. */
  static void writeAtomically(Path file, String text) throws IOException {
    AtomicFiles.write(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
  }
}
