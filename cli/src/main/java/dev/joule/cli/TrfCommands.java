package dev.joule.cli;

import dev.joule.decoder.lm.BackoffLm;
import dev.joule.decoder.lm.Perplexity;
import dev.joule.decoder.lm.TextCorpus;
import dev.joule.decoder.lm.Vocabulary;
import dev.joule.engine.device.ComputeDevice;
import dev.joule.engine.device.DeviceChoice;
import dev.joule.engine.device.Devices;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.model.ModelFormatException;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.trf.DynamicNce;
import dev.joule.engine.trf.ImportanceSampler;
import dev.joule.engine.trf.LengthPrior;
import dev.joule.engine.trf.LstmNoiseLm;
import dev.joule.engine.trf.NbestFiles;
import dev.joule.engine.trf.NbestRescorer;
import dev.joule.engine.trf.NoiseModel;
import dev.joule.engine.trf.RescoringWeights;
import dev.joule.engine.trf.TrfConfig;
import dev.joule.engine.trf.TrfFiles;
import dev.joule.engine.trf.TrfModel;
import dev.joule.engine.trf.TrfPerplexity;
import dev.joule.engine.trf.TrfTrainer;
import dev.joule.engine.trf.WeightTuner;
import dev.joule.engine.trf.WordErrors;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code joule lm trf-train|trf-ppl|rescore}: the TRF whole-sentence language model. */
final class TrfCommands {
  private TrfCommands() {}

  /**
   * Reads a TRF model directory with its training record (to resume it, or to save it again
   * whole); a missing or corrupt one is a model error (exit code 3).
   */
  static TrfFiles.Loaded readTrf(Path dir) throws IOException {
    try {
      return TrfFiles.loadWithTraining(dir);
    } catch (ModelFormatException e) {
      throw new LmCommand.ModelError(e.getMessage(), e);
    }
  }

  /** Sentences of {@code files} as ids of {@code vocab} ({@code <unk>} for other words). */
  static List<int[]> sentences(List<Path> files, Vocabulary vocab) {
    List<int[]> out = new ArrayList<>();
    for (Path f : files) {
      TextCorpus.forEachSentence(f, (w, line) -> out.add(TextCorpus.ids(vocab, w)));
    }
    return out;
  }

  @Command(
      name = "trf-train",
      mixinStandardHelpOptions = true,
      description = {
        "Trains a TRF language model by noise-contrastive estimation.",
        "Trains a TRF language model by noise-contrastive estimation, with an n-gram",
        "(ARPA) as the noise distribution and as the source of the vocabulary.",
        "With --dnce-alpha, dynamic NCE instead: the noise is a word LSTM language model",
        "trained on the text along with the TRF, and the TRF learns to tell noise from an",
        "interpolation of alpha data and 1-alpha noise (Wang and Ou, SLT 2018).",
        "The model directory is written at the end and at every checkpoint, with the",
        "settings (train.* properties) and the state --resume needs."
      })
  static final class Train implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TEXT", arity = "1..*", description = "training text files")
    List<Path> text;

    @Option(names = "--lm", required = true, paramLabel = "ARPA", description = "the n-gram: the vocabulary, and the noise of plain NCE")
    Path lm;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "model directory to write")
    Path out;

    @Option(names = "--max-length", defaultValue = "30", description = "longest sentence modelled, in words (default: ${DEFAULT-VALUE})")
    int maxLength;

    @Option(names = "--embed", defaultValue = "32", description = "word embedding size (default: ${DEFAULT-VALUE})")
    int embed;

    @Option(names = "--hidden", defaultValue = "32", description = "LSTM units per direction (default: ${DEFAULT-VALUE})")
    int hidden;

    @Option(names = "--layers", defaultValue = "1", description = "LSTM layers (default: ${DEFAULT-VALUE})")
    int layers;

    @Option(names = "--unidirectional", description = "forward LSTM only (default: bidirectional)")
    boolean unidirectional;

    @Option(names = "--ngram-base",
        description = "residual model: the potential is ln q_ngram(x) + the network's score (trains much faster)")
    boolean ngramBase;

    @Option(names = "--steps", defaultValue = "1000", description = "training steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--batch", defaultValue = "16", description = "data sentences per step (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--noise-ratio", defaultValue = "4", description = "noise sentences per data sentence, ν (per interpolated sentence with DNCE) (default: ${DEFAULT-VALUE})")
    int noiseRatio;

    @Option(names = "--lr", defaultValue = "0.003", description = "Adam learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--clip", defaultValue = "5", description = "gradient-norm limit (default: ${DEFAULT-VALUE})")
    double clip;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--log-every", defaultValue = "50", description = "progress every N steps (default: ${DEFAULT-VALUE})")
    int logEvery;

    @Option(names = "--checkpoint-every", defaultValue = "0", description = "save every N steps; 0 only at the end (default: ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(names = "--mass-draws", defaultValue = "20000",
        description = "n-gram draws estimating its mass on lengths 1..max (default: ${DEFAULT-VALUE})")
    int massDraws;

    @Option(names = "--dnce-alpha", paramLabel = "ALPHA",
        description = "dynamic NCE with this data share of the interpolated side, 0 < ALPHA <= 1 (default: plain NCE)")
    Double dnceAlpha;

    @Option(names = "--noise-embed", defaultValue = "32",
        description = "DNCE: the noise LSTM's embedding size (default: ${DEFAULT-VALUE})")
    int noiseEmbed;

    @Option(names = "--noise-hidden", defaultValue = "32",
        description = "DNCE: the noise LSTM's units (default: ${DEFAULT-VALUE})")
    int noiseHidden;

    @Option(names = "--noise-lr", defaultValue = "0.01",
        description = "DNCE: the noise LSTM's Adam learning rate (default: ${DEFAULT-VALUE})")
    double noiseLr;

    @Option(names = "--noise-warm-up", defaultValue = "0",
        description = "DNCE: maximum-likelihood steps of the noise LSTM alone before the TRF's first step (default: ${DEFAULT-VALUE})")
    int noiseWarmUp;

    @Option(names = "--resume",
        description = "continue the run saved in --out (same settings; --steps may be larger)")
    boolean resume;

    @Option(names = "--device", defaultValue = "cpu", converter = DeviceChoiceConverter.class,
        description = "cpu (float64, the default; auto is the same), or gpu / gpu:N: the TRF trains on GPU tensors in "
            + "float32 (exit code 4 when no GPU can be used)")
    DeviceChoice device;

    @Override
    public Integer call() throws Exception {
      if (massDraws < 1) {
        throw new IllegalArgumentException("--mass-draws must be >= 1");
      }
      TrfConfig config = new TrfConfig(maxLength, embed, hidden, layers, !unidirectional);
      TrfTrainer.Options options = new TrfTrainer.Options(
          steps, batch, noiseRatio, lr, clip, seed, logEvery, checkpointEvery, out);
      DynamicNce.Options dnce = dnceAlpha == null ? null : new DynamicNce.Options(dnceAlpha, noiseEmbed, noiseHidden, noiseLr, noiseWarmUp);
      // auto trains on the CPU, as joule train does: float64, the reference path.
      try (ComputeDevice compute = device.kind() == DeviceChoice.Kind.GPU ? Devices.open(device) : ComputeDevice.cpu()) {
        return train(compute, config, options, dnce);
      }
    }

    private int train(ComputeDevice compute, TrfConfig config, TrfTrainer.Options options, DynamicNce.Options dnce)
        throws Exception {
      return LmCommand.guarded(spec, () -> {
        PrintWriter log = spec.commandLine().getErr();
        BackoffLm noiseLm = LmCommand.readModel(lm);
        Vocabulary vocab = noiseLm.vocabulary();
        List<int[]> data = sentences(text, vocab);
        long[] counts = new long[maxLength + 1];
        long kept = 0;
        for (int[] s : data) {
          if (s.length >= 1 && s.length <= maxLength) {
            counts[s.length]++;
            kept++;
          }
        }
        TrfFiles.Loaded resumed = resume ? readTrf(out) : null;
        if (resume && resumed.training() == null) {
          throw new LmCommand.ModelError(out + ": no training record to resume from", null);
        }
        TrfModel model = resumed != null ? resumed.model()
            : new TrfModel(config, vocab, LengthPrior.fromCounts(counts, maxLength), ngramBase ? noiseLm : null,
                new Random(seed), DType.FLOAT64);
        if (!model.config().equals(config) || !model.vocabulary().words().equals(vocab.words()) || (model.base() != null) != ngramBase) {
          throw new IllegalArgumentException("cannot resume: " + out + " holds a model of other settings or vocabulary");
        }
        if (compute.isGpu()) {
          // Float32 on the GPU; the noise (n-gram or DNCE's LSTM) stays on the CPU.
          model.moveTo(GpuTensors.of(compute.gpu().orElseThrow()));
          log.printf("joule: training on %s%n", compute);
        }
        TrfTrainer trainer;
        String noiseLine;
        if (dnce == null) {
          NoiseModel noise = NoiseModel.estimate(noiseLm, maxLength, massDraws, new SplittableRandom(seed));
          trainer = new TrfTrainer(model, noise, options);
          noiseLine = String.format("noise log-mass %.4f", noise.logMass());
        } else {
          LstmNoiseLm noise = new LstmNoiseLm(vocab, maxLength, noiseEmbed, noiseHidden, new Random(seed + 1),
              new SplittableRandom(seed), DType.FLOAT64);
          DynamicNce dynamic = new DynamicNce(noise, dnce);
          trainer = new TrfTrainer(model, dynamic, options);
          noiseLine = String.format("DNCE noise LSTM %d parameters, alpha %.4g (%.4g realised with batch %d)",
              noise.parameterCount(), dnceAlpha, dynamic.effectiveAlpha(batch), batch);
        }
        // How the model and the noise were built, beside the trainer's own settings.
        Map<String, String> run = new LinkedHashMap<>();
        run.put("train.ngram-lm", lm.toAbsolutePath().toString());
        run.put("train.ngram-base", Boolean.toString(ngramBase));
        run.put("train.text", String.join(" ", text.stream().map(t -> t.toAbsolutePath().toString()).toList()));
        if (dnce == null) {
          run.put("train.mass-draws", Integer.toString(massDraws));
        }
        trainer.describe(run);
        if (resumed != null) {
          trainer.resume(resumed.training());
          log.printf("joule: resuming %s at step %s%n", out, resumed.training().property("train.step"));
        }
        log.printf("joule: %d sentences (%d of 1..%d words kept), vocabulary %d, %d parameters, %s%n",
            data.size(), kept, maxLength, vocab.size(), model.parameterCount(), noiseLine);
        String name = dnce == null ? "NCE" : "DNCE";
        trainer.train(data, p -> {
          String what = p.step() <= trainer.warmUpSteps() ? "noise warm-up" : String.format("%s loss %.4f", name, p.meanLoss());
          log.printf("joule: step %d: %s%s%s (%.1f s)%n", p.step(), what,
              Double.isNaN(p.noiseNll()) ? "" : String.format(", noise NLL %.4f per sentence", p.noiseNll()),
              p.skipped() > 0 ? ", " + p.skipped() + " steps skipped" : "", p.seconds());
          log.flush();
        });
        log.printf("joule: wrote %s%n", out);
        return ExitCodes.OK;
      });
    }
  }

  @Command(
      name = "trf-ppl",
      mixinStandardHelpOptions = true,
      description = {
        "Perplexity of a TRF model on text.",
        "Perplexity of a TRF model on text, with its learnt log-normalisers (zeta),",
        "beside the n-gram's perplexity on the same sentences when --lm is given.",
        "--is-draws also re-estimates each zeta by importance sampling from the n-gram.",
        "Sentences that are empty or longer than the model's maximum are skipped."
      })
  static final class Ppl implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "the TRF model")
    Path model;

    @Option(names = "--lm", paramLabel = "ARPA", description = "an n-gram to compare with (and the proposal for --is-draws)")
    Path lm;

    @Option(names = "--is-draws", defaultValue = "0", description = "importance-sampling draws (default: ${DEFAULT-VALUE}, off)")
    int isDraws;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Parameters(paramLabel = "TEXT", arity = "1..*", description = "text files")
    List<Path> text;

    @Override
    public Integer call() throws Exception {
      if (isDraws < 0) {
        throw new IllegalArgumentException("--is-draws must be >= 0");
      }
      if (isDraws > 0 && lm == null) {
        throw new IllegalArgumentException("--is-draws needs --lm (the proposal distribution)");
      }
      return LmCommand.guarded(spec, () -> {
        TrfModel trf = readTrf(model).model();
        BackoffLm ngram = lm == null ? null : LmCommand.readModel(lm);
        PrintWriter out = spec.commandLine().getOut();
        for (Path t : text) {
          List<int[]> s = sentences(List.of(t), trf.vocabulary());
          TrfPerplexity.Result r = TrfPerplexity.of(trf, s);
          out.printf("%s: %d sentences, %d words, %d skipped, TRF logprob %.4f, ppl %.4f",
              t, r.sentences(), r.words(), r.skipped(), r.logProb(), r.perplexity());
          if (ngram != null) {
            out.printf(", n-gram ppl %.4f", ngramPerplexity(ngram, t, trf));
          }
          out.println();
        }
        if (isDraws > 0) {
          NoiseModel noise = NoiseModel.estimate(ngram, trf.config().maxLength(), 20_000, new SplittableRandom(seed));
          ImportanceSampler.Estimate e = ImportanceSampler.estimate(trf, noise, isDraws);
          double shift = 0;
          for (int l = 1; l <= trf.config().maxLength(); l++) {
            if (e.samples()[l - 1] > 0) {
              out.printf("length %d: zeta %.4f, importance-sampled log Z %.4f ± %.4f (%d draws)%n",
                  l, trf.zeta(l), e.logZ()[l - 1], e.standardError()[l - 1], e.samples()[l - 1]);
              shift = Math.max(shift, Math.abs(trf.zeta(l) - e.logZ()[l - 1]));
              trf.setZeta(l, e.logZ()[l - 1]);
            }
          }
          for (Path t : text) {
            TrfPerplexity.Result r = TrfPerplexity.of(trf, sentences(List.of(t), trf.vocabulary()));
            out.printf("%s: TRF ppl %.4f with importance-sampled zeta (largest change %.4f)%n", t, r.perplexity(), shift);
          }
        }
        out.flush();
        return ExitCodes.OK;
      });
    }

    /** The n-gram's perplexity ({@code </s>} and OOVs counted) on the sentences the TRF scores. */
    private static double ngramPerplexity(BackoffLm ngram, Path text, TrfModel trf) {
      double[] acc = new double[2];
      TextCorpus.forEachSentence(text, (w, line) -> {
        if (trf.accepts(TextCorpus.ids(trf.vocabulary(), w))) {
          Perplexity.Result r = Perplexity.of(ngram, w);
          acc[0] += r.logProb();
          acc[1] += r.words() + r.sentences();
        }
      });
      return Math.pow(10, -acc[0] / acc[1]);
    }
  }

  @Command(
      name = "rescore",
      mixinStandardHelpOptions = true,
      description = {
        "Rescores n-best lists with a TRF and an n-gram; tunes the weights.",
        "Rescores n-best lists (lines: UTT-ID ACOUSTIC-COST words...) with",
        "total = -acoustic + alpha*n-gram + beta*TRF + gamma*words (natural logs).",
        "With --tune REFS the weights are tuned on these lists to minimise WER",
        "(grid over alpha, beta, gamma) and saved into the TRF model; otherwise the",
        "model's saved weights are applied and the best hypotheses printed."
      })
  static final class Rescore implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "the TRF model")
    Path model;

    @Option(names = "--lm", required = true, paramLabel = "ARPA", description = "the n-gram")
    Path lm;

    @Option(names = "--tune", paramLabel = "REFS", description = "reference text (UTT-ID words...): tune and save the weights")
    Path tune;

    @Option(names = "--weights", paramLabel = "ALPHA,BETA,GAMMA", split = ",",
        description = "apply these weights instead of the model's saved ones")
    double[] weights;

    @Option(names = "--refs", paramLabel = "REFS", description = "reference text: also print the WER of the chosen hypotheses")
    Path refsForWer;

    @Option(names = "--grid", defaultValue = "11", description = "values per weight when tuning (default: ${DEFAULT-VALUE})")
    int grid;

    @Parameters(index = "0", paramLabel = "NBEST", description = "n-best file")
    Path nbest;

    @Override
    public Integer call() throws Exception {
      if (grid < 1) {
        throw new IllegalArgumentException("--grid must be >= 1");
      }
      return LmCommand.guarded(spec, () -> {
        TrfFiles.Loaded loaded = readTrf(model);
        BackoffLm ngram = LmCommand.readModel(lm);
        Map<String, List<NbestRescorer.Candidate>> lists = NbestFiles.readNbest(nbest);
        NbestRescorer rescorer = new NbestRescorer(ngram, loaded.model());
        PrintWriter out = spec.commandLine().getOut();
        if (tune == null) {
          RescoringWeights w = loaded.weights();
          if (weights != null) {
            if (weights.length != 3) {
              throw new IllegalArgumentException("--weights needs three numbers: ALPHA,BETA,GAMMA");
            }
            w = new RescoringWeights(weights[0], weights[1], weights[2]);
          }
          if (w == null) {
            throw new LmCommand.ModelError(model + ": no rescoring weights (tune them with --tune REFS)", null);
          }
          Map<String, String[]> refs = refsForWer == null ? null : NbestFiles.readReferences(refsForWer);
          long errors = 0;
          long words = 0;
          for (Map.Entry<String, List<NbestRescorer.Candidate>> e : lists.entrySet()) {
            List<NbestRescorer.Candidate> c = e.getValue();
            int best = NbestRescorer.best(rescorer.features(c), w);
            out.println((e.getKey() + " " + String.join(" ", c.get(best).words())).trim());
            if (refs != null) {
              String[] ref = reference(refs, e.getKey(), refsForWer);
              errors += WordErrors.distance(ref, c.get(best).words());
              words += ref.length;
            }
          }
          if (refs != null) {
            spec.commandLine().getErr().printf("joule: WER %.2f%% (%d errors, %d reference words) with alpha %.3g beta %.3g gamma %.3g%n",
                words == 0 ? 0.0 : 100.0 * errors / words, errors, words, w.alpha(), w.beta(), w.gamma());
          }
          out.flush();
          return ExitCodes.OK;
        }
        Map<String, String[]> refs = NbestFiles.readReferences(tune);
        List<WeightTuner.Utterance> dev = new ArrayList<>();
        for (Map.Entry<String, List<NbestRescorer.Candidate>> e : lists.entrySet()) {
          String[] ref = reference(refs, e.getKey(), tune);
          int[] errors = new int[e.getValue().size()];
          for (int i = 0; i < errors.length; i++) {
            errors[i] = WordErrors.distance(ref, e.getValue().get(i).words());
          }
          dev.add(new WeightTuner.Utterance(rescorer.features(e.getValue()), errors, ref.length));
        }
        double[] lmWeights = WeightTuner.range(0, 2, grid);
        double[] lengthWeights = WeightTuner.range(-2, 2, grid);
        double[] zero = {0};
        double before = WeightTuner.wer(dev, new RescoringWeights(0, 0, 0));
        WeightTuner.Result ngramOnly = WeightTuner.grid(dev, lmWeights, zero, lengthWeights);
        WeightTuner.Result withTrf = WeightTuner.grid(dev, lmWeights, lmWeights, lengthWeights);
        out.printf("%d utterances: WER %.2f%% acoustic only, %.2f%% with the n-gram (alpha %.3g gamma %.3g),"
                + " %.2f%% with n-gram and TRF (alpha %.3g beta %.3g gamma %.3g)%n",
            dev.size(), 100 * before, 100 * ngramOnly.wer(), ngramOnly.weights().alpha(), ngramOnly.weights().gamma(),
            100 * withTrf.wer(), withTrf.weights().alpha(), withTrf.weights().beta(), withTrf.weights().gamma());
        TrfFiles.save(model, loaded.model(), withTrf.weights(), loaded.training());
        out.printf("saved the weights in %s%n", model);
        out.flush();
        return ExitCodes.OK;
      });
    }

    private static String[] reference(Map<String, String[]> refs, String utterance, Path file) {
      String[] ref = refs.get(utterance);
      if (ref == null) {
        throw new IllegalStateException(file + ": no reference for utterance " + utterance);
      }
      return ref;
    }
  }
}
