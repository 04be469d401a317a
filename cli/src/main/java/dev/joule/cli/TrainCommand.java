package dev.joule.cli;

import dev.joule.engine.device.ComputeDevice;
import dev.joule.engine.device.DeviceChoice;
import dev.joule.engine.device.Devices;
import dev.joule.engine.gpu.GpuUnavailableException;
import dev.joule.engine.train.Tokens;
import dev.joule.engine.train.Trainer;
import dev.joule.engine.train.TrainingConfig;
import dev.joule.engine.train.TrainingException;
import dev.joule.engine.train.TrainingState;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code joule train}: trains a CTC-CRF acoustic model from Kaldi data directories. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Trains a CTC-CRF acoustic model (TDNN, BLSTM or Conformer, subsampling by 3) on the phone "
          + "transcripts (text.phones) of Kaldi data directories, and writes the model with the best "
          + "dev loss to --out (am.conf, am.jparams, fbank.conf, cmvn.stats, tokens.txt, den.fst).",
      "Next to it: OUT.ckpt (checkpoint, written every train.checkpoint.steps and at every epoch's end), "
          + "OUT.train.log and OUT.training.png (train/dev loss and dev phone error rate per epoch).",
      "Settings (architecture, features, batches, learning rate, SpecAugment, den graph) come from --config "
          + "(Java properties; keys and defaults below)."
    },
    footerHeading = "%nConfiguration keys (defaults):%n",
    footer = {
      "  arch=tdnn|blstm|conformer",
      "    tdnn: hidden=256 dilations=1,1,2,2,3",
      "    blstm: hidden=320 layers=3 dropout=0",
      "    conformer: dim=144 heads=4 layers=4 conv.kernel=15 dropout=0.1",
      "  fbank.num-mel-bins=80 fbank.dither=1 fbank.sample-frequency=16000",
      "  fbank.frame-length=25 fbank.frame-shift=10 fbank.low-freq=20 fbank.high-freq=0",
      "  train.epochs=20 train.seed=1 train.patience=3 train.max.frames=3000",
      "  train.batch.frames=4000 train.batch.utterances=32",
      "  train.lr=0.001 train.warmup.steps=200 train.lr.min=0",
      "  train.lr.decay.rate=1 train.lr.decay.steps=1000",
      "  train.clip.norm=5 train.lambda=0.01 train.checkpoint.steps=200",
      "  specaugment=true specaugment.freq.masks=2",
      "  specaugment.freq.width=min(27, bins/3)",
      "  specaugment.time.masks=2 specaugment.time.width=40 specaugment.time.ratio=0.05",
      "  specaugment.warp=0",
      "  den.order=4 den.no.prune.order=3 den.min.count=70"
    })
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "training configuration (Java properties)")
  Path config;

  @Option(names = "--train", required = true, paramLabel = "DIR",
      description = "training data: wav.scp, text.phones (utterance id, then phone names)")
  Path train;

  @Option(names = "--dev", required = true, paramLabel = "DIR", description = "dev data, same layout")
  Path dev;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "model directory to write")
  Path out;

  @Option(names = "--tokens", paramLabel = "FILE",
      description = "token table ('<blk> 0', then phones 1..N; default: tokens.txt in --train, in its parent,"
          + " or in lang/ beside either)")
  Path tokens;

  @Option(names = "--device", defaultValue = "auto", converter = DeviceChoiceConverter.class,
      description = "cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}: the CPU); gpu trains on GPU tensors, exit code 4 when no GPU can be used")
  DeviceChoice device;

  @Option(names = "--resume", description = "continue from OUT.ckpt exactly where it stopped")
  boolean resume;

  @Option(names = "--max-steps", defaultValue = "0", paramLabel = "N",
      description = "stop after N updates in this run, writing a checkpoint (default: 0, no limit)")
  long maxSteps;

  @Option(names = {"-q", "--quiet"}, description = "no progress line")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (maxSteps < 0) {
      throw new IllegalArgumentException("--max-steps must be >= 0");
    }
    Path tokenFile = tokens != null ? tokens : defaultTokens(train);
    TrainingConfig cfg = TrainingConfig.load(config);
    // auto stays on the CPU: GPU training is chosen explicitly until it has a track record.
    if (device.kind() == DeviceChoice.Kind.AUTO) {
      err.println("joule: training on the CPU (--device gpu trains on the GPU)");
    }
    Progress progress = new Progress(err, quiet);
    ComputeDevice compute;
    try {
      compute = device.kind() == DeviceChoice.Kind.GPU ? Devices.open(device) : ComputeDevice.cpu();
    } catch (GpuUnavailableException e) {
      err.println("joule: cannot train on the GPU: " + e.getMessage());
      err.flush();
      return ExitCodes.DEVICE;
    }
    TrainingState state;
    try (compute) {
      Trainer trainer = new Trainer(cfg, Tokens.read(tokenFile), Trainer.Paths.nextTo(out), progress,
          compute.gpu().orElse(null));
      state = trainer.run(train, dev, resume, maxSteps);
    }
    progress.clear();
    if (state.finished) {
      err.printf(Locale.ROOT, "joule: model with the best dev loss (epoch %d) in %s%n", state.bestEpoch, out);
    } else {
      err.printf(Locale.ROOT, "joule: stopped at step %d; continue with --resume%n", state.step);
    }
    err.flush();
    return ExitCodes.OK;
  }

  /**
   * The token table next to {@code train}: {@code tokens.txt} in it, in its parent, or in a
   * {@code lang/} directory beside it or beside its parent (Kaldi's {@code data/lang}; the en-synth
   * recipe's {@code work/lang} next to {@code work/data/train}), the first that exists.
   *
   * @throws TrainingException naming every place looked in, when none has it
   */
  static Path defaultTokens(Path train) throws TrainingException {
    Path dir = train.toAbsolutePath().normalize();
    Path parent = dir.getParent();
    List<Path> candidates = new ArrayList<>(List.of(dir.resolve("tokens.txt")));
    if (parent != null) {
      candidates.add(parent.resolve("tokens.txt"));
      candidates.add(parent.resolve("lang").resolve("tokens.txt"));
      if (parent.getParent() != null) {
        candidates.add(parent.getParent().resolve("lang").resolve("tokens.txt"));
      }
    }
    return candidates.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() -> new TrainingException(
        "no token table found (looked for " + candidates.stream().map(Path::toString).collect(Collectors.joining(", "))
            + "); give one with --tokens"));
  }

  /** Messages as "joule: ..." lines; a progress line redrawn in place on a terminal, every 30 s otherwise. */
  private static final class Progress implements Trainer.Listener {
    private final PrintWriter err;
    private final boolean quiet;
    private final boolean terminal = System.console() != null;
    private boolean lineOpen;
    private long lastPrint;

    Progress(PrintWriter err, boolean quiet) {
      this.err = err;
      this.quiet = quiet;
    }

    @Override
    public void message(String line) {
      clear();
      err.println("joule: " + line);
      err.flush();
    }

    @Override
    public void progress(Trainer.Progress p) {
      long now = System.nanoTime();
      if (quiet || (!terminal && now - lastPrint < 30_000_000_000L)) {
        return;
      }
      lastPrint = now;
      String line = String.format(Locale.ROOT, "epoch %d/%d batch %d/%d loss %.4f lr %.2e %.0f frames/s ETA %s",
          p.epoch(), p.epochs(), p.batch(), p.batches(), p.loss(), p.learningRate(), p.framesPerSecond(),
          duration(p.etaSeconds()));
      if (terminal) {
        err.print("\r" + line + "\033[K");
        lineOpen = true;
      } else {
        err.println("joule: " + line);
      }
      err.flush();
    }

    void clear() {
      if (lineOpen) {
        err.print("\r\033[K");
        lineOpen = false;
      }
    }

    private static String duration(double seconds) {
      long s = Math.round(seconds);
      return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
          : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
  }
}
