package dev.joule.cli;

import dev.joule.cli.bench.BenchHarness;
import dev.joule.cli.bench.BenchReport;
import dev.joule.cli.bench.BenchSet;
import dev.joule.cli.bench.Peer;
import dev.joule.cli.bench.PeerProvider;
import dev.joule.cli.bench.SystemResult;
import dev.joule.engine.device.DeviceChoice;
import dev.joule.engine.recognizer.Recognizer;
import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.recognizer.RecognizerOptions;
import dev.joule.engine.recognizer.Transcript;
import dev.joule.frontend.audio.AudioSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code joule bench}: accuracy and speed of Joule on a Kaldi data directory, and of the peers
 * on the same audio, scored by the same scorer.
 *
 * <p>Why the harness lives here and the peers do not: the command belongs with the others in the
 * {@code joule} tool, and Joule's own measurement needs nothing beyond the engine. The peers
 * (pocketsphinx through its Debian program, Sphinx-4 with its 30 MB model jar) belong in the
 * {@code benchmarks} module, which depends on this one and registers them as {@link PeerProvider}
 * services. The self-contained jar therefore benchmarks Joule alone; the {@code joule} launcher
 * in a source checkout puts the benchmarks module on the class path for {@code bench}, so
 * {@code --peers} finds them there.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmarks Joule (and, with --peers, other recognisers) on a Kaldi data directory with references "
          + "(wav.scp and text): WER, CER, real-time factor, time per stage and peak heap, over repeated "
          + "passes after warm-up.",
      "Prints a Markdown table (--json: the JSON report); --out DIR also writes bench.json, bench.md "
          + "and each system's hypotheses as hyp-NAME.txt (Kaldi text, for joule score)."
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DATA_DIR", description = "Kaldi data directory (wav.scp, text; segments, utt2spk optional)")
  Path data;

  @Option(names = {"-m", "--model"}, paramLabel = "DIR",
      description = "model directory (default: $JOULE_MODEL, then an installed default model, then the bundled English model)")
  Path model;

  @Mixin BeamOptions beams;

  @Option(names = "--rescore", negatable = true,
      description = "rescore n-best lists with the model's TRF language model (see joule lm trf-attach);"
          + " default: when the model has one")
  Boolean rescore;

  @Option(names = "--repeat", defaultValue = "3", paramLabel = "N", description = "timed passes (default: ${DEFAULT-VALUE})")
  int repeat;

  @Option(names = "--warmup", defaultValue = "1", paramLabel = "N",
      description = "untimed passes before them (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--peers", split = ",", paramLabel = "NAME",
      description = "peers to measure beside Joule (comma-separated; 'all' for every one on the class path)")
  List<String> peers = new ArrayList<>();

  @Option(names = "--device", defaultValue = "auto", converter = DeviceChoiceConverter.class,
      paramLabel = "auto|cpu|gpu[:N]", description = "where Joule computes (default: ${DEFAULT-VALUE})")
  DeviceChoice device;

  @Option(names = "--machine", paramLabel = "TEXT", description = "what to call this machine in the report (default: OS, architecture and CPU count)")
  String machine;

  @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "write bench.json, bench.md and hyp-NAME.txt here")
  Path out;

  @Option(names = "--json", description = "print the JSON report instead of the Markdown table")
  boolean json;

  @Option(names = "--allow-commands", description = "run wav.scp entries that are commands (ending in |)")
  boolean allowCommands;

  @Option(names = {"-q", "--quiet"}, description = "no progress bar")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    if (repeat < 1 || warmup < 0) {
      throw new ParameterException(spec.commandLine(), "--repeat must be at least 1 and --warmup at least 0");
    }
    List<PeerProvider> chosen = choosePeers();
    BenchSet set = BenchSet.load(data, allowCommands);
    PrintWriter err = spec.commandLine().getErr();
    List<String> skipped = new ArrayList<>();
    List<PeerProvider> runnable = new ArrayList<>();
    for (PeerProvider p : chosen) {
      Optional<String> why = p.unavailable();
      if (why.isPresent()) {
        skipped.add(p.name() + ": " + why.get());
        err.println("joule: peer " + p.name() + " skipped: " + why.get());
      } else {
        runnable.add(p);
      }
    }
    err.flush();
    int cpus = Runtime.getRuntime().availableProcessors();
    HarnessProgress progress = new HarnessProgress(quiet, (long) (1 + runnable.size()) * (warmup + repeat) * set.items().size());
    List<SystemResult> results = new ArrayList<>();
    Optional<GpuDevice> gpu;
    long gpuPeak = -1;
    boolean rescored = false;
    try {
      BenchHarness harness = new BenchHarness(set, warmup, repeat, progress::step);
      RecognizerOptions options = beams.applyTo(RecognizerOptions.defaults().withDevice(device)).withRescoring(RescoreOption.of(rescore));
      try (Recognizer r = model != null ? Recognizer.open(model, options) : Recognizer.openDefault(options)) {
        rescored = r.rescores();
        gpu = r.device().gpu();
        String description = "Joule " + version() + " (" + (model != null ? model.getFileName() : "default model")
            + ", " + r.device() + ", beam " + beams.beam + ")";
        results.add(harness.run("joule", description, true, item -> {
          try (AudioSource src = item.utterance().open(r.sampleRate())) {
            Transcript t = r.transcribe(src);
            return new BenchHarness.Output(t.text(), t.timing());
          }
        }));
        gpuPeak = gpu.map(GpuDevice::peakMemoryInUse).orElse(-1L);
      }
      for (PeerProvider p : runnable) {
        try (Peer peer = p.open()) {
          results.add(harness.run(peer.name(), peer.description(), peer.inProcess(),
              item -> new BenchHarness.Output(peer.transcribe(item.samples(), item.id()), null)));
        }
      }
    } finally {
      progress.close();
    }
    BenchReport report = new BenchReport(set, LocalDate.now(ZoneOffset.UTC).toString(),
        machine != null ? machine : defaultMachine(cpus), commandLine(),
        "Java " + Runtime.version(), cpus, warmup, repeat, rescored ? "on (the model's TRF; its time counts as decoding)" : "off", gpuPeak,
        results, skipped);
    if (out != null) {
      write(report, results);
    }
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.print(json ? report.json() : report.markdown());
    stdout.flush();
    return ExitCodes.OK;
  }

  /** The providers {@code --peers} names, in the order given; unknown names are a usage error. */
  private List<PeerProvider> choosePeers() {
    if (peers.isEmpty()) {
      return List.of();
    }
    Map<String, PeerProvider> known = new LinkedHashMap<>();
    for (PeerProvider p : PeerProvider.all()) {
      known.putIfAbsent(p.name(), p);
    }
    if (known.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "no peers on the class path: they come with the benchmarks "
          + "module; run ./joule bench from a source checkout (or benchmarks/bench.sh)");
    }
    if (peers.contains("all")) {
      return List.copyOf(known.values());
    }
    List<PeerProvider> out = new ArrayList<>();
    for (String name : peers) {
      PeerProvider p = known.get(name);
      if (p == null) {
        throw new ParameterException(spec.commandLine(), "unknown peer '" + name + "'; known: " + String.join(", ", known.keySet()));
      }
      out.add(p);
    }
    return out;
  }

  private void write(BenchReport report, List<SystemResult> results) throws IOException {
    Files.createDirectories(out);
    TranscribeCommand.writeAtomically(out.resolve("bench.json"), report.json());
    TranscribeCommand.writeAtomically(out.resolve("bench.md"), report.markdown());
    for (SystemResult s : results) {
      StringBuilder sb = new StringBuilder();
      s.hypotheses().forEach((id, text) -> sb.append(id).append(text.isEmpty() ? "" : " ").append(text).append('\n'));
      TranscribeCommand.writeAtomically(out.resolve("hyp-" + s.name() + ".txt"), sb.toString());
    }
  }

  /** The command as typed, arguments with spaces quoted so that it can be run again as it stands. */
  private String commandLine() {
    StringBuilder sb = new StringBuilder("joule");
    for (String arg : spec.commandLine().getParseResult().originalArgs()) {
      sb.append(' ').append(arg.matches("[A-Za-z0-9_./:=,@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
    }
    return sb.toString();
  }

  private static String version() {
    String v = Joule.class.getPackage().getImplementationVersion();
    return v == null ? "development build" : v;
  }

  private static String defaultMachine(int cpus) {
    return String.format(Locale.ROOT, "%s %s, %d CPUs", System.getProperty("os.name"), System.getProperty("os.arch"), cpus);
  }

  /** A progress bar over every pass of every system, on standard error; none with --quiet. */
  private static final class HarnessProgress implements AutoCloseable {
    private final ProgressBar bar;

    HarnessProgress(boolean quiet, long steps) {
      this.bar = quiet ? null : ProgressBars.of("bench", steps);
    }

    void step() {
      if (bar != null) {
        bar.step();
      }
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
      }
    }
  }
}
