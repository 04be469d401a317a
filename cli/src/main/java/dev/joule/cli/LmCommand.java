package dev.joule.cli;

import dev.joule.decoder.lm.ArpaReader;
import dev.joule.decoder.lm.ArpaWriter;
import dev.joule.decoder.lm.BackoffLm;
import dev.joule.decoder.lm.Discounts;
import dev.joule.decoder.lm.EntropyPruner;
import dev.joule.decoder.lm.KneserNeyEstimator;
import dev.joule.decoder.lm.LmException;
import dev.joule.decoder.lm.NgramCounts;
import dev.joule.decoder.lm.NgramSampler;
import dev.joule.decoder.lm.Perplexity;
import dev.joule.decoder.lm.TextCorpus;
import dev.joule.decoder.lm.Vocabulary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code joule lm}: n-gram language models (train, perplexity, prune, sample) and the TRF ({@link TrfCommands}). */
@Command(
    name = "lm",
    mixinStandardHelpOptions = true,
    description = {
      "N-gram language models (ARPA) and TRF whole-sentence models.",
      "N-gram language models in ARPA format: interpolated modified Kneser-Ney",
      "estimation, perplexity, entropy pruning and sampling; TRF whole-sentence",
      "models trained on top of them (trf-train, trf-ppl, rescore).",
      "Text: one sentence per line, words separated by spaces; names ending in .gz",
      "are read and written compressed."
    },
    subcommands = {
      LmCommand.Train.class,
      LmCommand.Ppl.class,
      LmCommand.Prune.class,
      LmCommand.Sample.class,
      TrfCommands.Train.class,
      TrfCommands.Ppl.class,
      TrfCommands.Rescore.class,
      TrfAttachCommand.class,
    })
final class LmCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reads an ARPA model; a missing file is an input error (exit code 2), a malformed one a model error (3). */
  static BackoffLm readModel(Path path) {
    if (!Files.exists(path)) {
      throw new LmException(path + ": no such file");
    }
    try {
      return ArpaReader.read(path);
    } catch (LmException e) {
      throw new ModelError(e.getMessage(), e);
    }
  }

  /** A model that cannot be read: exit code 3. */
  static final class ModelError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ModelError(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Runs {@code body}, turning model errors into "joule: ..." and exit code 3, and running out
   * of heap (large corpora, high orders) into an input error that says how to get more.
   */
  static int guarded(CommandSpec spec, Callable<Integer> body) throws Exception {
    try {
      return body.call();
    } catch (ModelError e) {
      spec.commandLine().getErr().println("joule: " + e.getMessage());
      return ExitCodes.MODEL;
    } catch (OutOfMemoryError e) {
      throw new LmException(String.format(
          "out of memory with a %d MB Java heap; the model is too large for it: allow more with "
              + "JOULE_JAVA_OPTS=-Xmx<size> (e.g. -Xmx8g), or lower the order or the vocabulary",
          Runtime.getRuntime().maxMemory() >> 20));
    }
  }

  @Command(
      name = "train",
      mixinStandardHelpOptions = true,
      description = {
        "Estimates an interpolated modified Kneser-Ney model from text (ARPA out).",
        "Words outside the vocabulary limits become <unk>."
      })
  static final class Train implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TEXT", arity = "1..*", description = "training text files")
    List<Path> text;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "ARPA", description = "model to write")
    Path out;

    @Option(names = "--order", defaultValue = "3", paramLabel = "N", description = "n-gram order, 1 to 9 (default: ${DEFAULT-VALUE})")
    int order;

    @Option(names = "--vocab", paramLabel = "FILE",
        description = "closed vocabulary, words separated by spaces or newlines; other words become <unk>")
    Path vocab;

    @Option(names = "--max-vocab", paramLabel = "K", description = "keep only the K most frequent words")
    Integer maxVocab;

    @Option(names = "--min-count", paramLabel = "C", defaultValue = "1",
        description = "keep only words seen at least C times (default: ${DEFAULT-VALUE})")
    long minCount;

    @Option(names = "--discount-fallback",
        description = "use discounts 0.5 1 1.5 for orders whose count-of-counts do not define them (tiny corpora)")
    boolean discountFallback;

    @Option(names = "--prune", paramLabel = "THRESHOLD",
        description = "entropy-prune the model: remove n-grams raising perplexity by less than this ratio (e.g. 1e-8)")
    Double prune;

    @Option(names = "--prune-min-order", defaultValue = "2", paramLabel = "N",
        description = "lowest order pruned (default: ${DEFAULT-VALUE})")
    int pruneMinOrder;

    @Override
    public Integer call() throws Exception {
      if (order < 1 || order > NgramCounts.MAX_ORDER) {
        throw new IllegalArgumentException("--order must be 1.." + NgramCounts.MAX_ORDER + ", got " + order);
      }
      return guarded(spec, this::train);
    }

    private int train() throws IOException {
      PrintWriter log = spec.commandLine().getErr();
      long t0 = System.nanoTime();
      Vocabulary v;
      if (vocab != null) {
        List<String> words = new ArrayList<>();
        TextCorpus.forEachSentence(vocab, (ws, line) -> words.addAll(List.of(ws)));
        Vocabulary closed = Vocabulary.of(words);
        v = maxVocab == null && minCount <= 1
            ? closed
            : limited(closed, TextCorpus.vocabulary(text, minCount, maxVocab == null ? Integer.MAX_VALUE : maxVocab));
      } else {
        v = TextCorpus.vocabulary(text, minCount, maxVocab == null ? Integer.MAX_VALUE : maxVocab);
      }
      NgramCounts counts = TextCorpus.count(text, order, v);
      KneserNeyEstimator kn = new KneserNeyEstimator(discountFallback ? Discounts.FALLBACK : null);
      Discounts[] d = kn.discounts(counts);
      BackoffLm lm = kn.estimate(counts);
      log.printf("joule: %d sentences, %d words (</s> included), vocabulary %d%n",
          counts.sentences(), counts.tokens(), v.size());
      for (int n = 1; n <= order; n++) {
        log.printf("joule: order %d: %d n-grams, discounts %.4f %.4f %.4f%n",
            n, lm.size(n), d[n].d1(), d[n].d2(), d[n].d3plus());
      }
      if (prune != null) {
        lm = new EntropyPruner(prune, pruneMinOrder).prune(lm);
        log.println("joule: pruned to " + sizes(lm));
      }
      ArpaWriter.write(lm, out);
      log.printf("joule: wrote %s (%s) in %.1f s%n", out, sizes(lm), (System.nanoTime() - t0) / 1e9);
      return ExitCodes.OK;
    }

    /** Words of {@code closed} that the frequency limits also keep. */
    private static Vocabulary limited(Vocabulary closed, Vocabulary frequent) {
      List<String> words = new ArrayList<>();
      for (String w : closed.words()) {
        if (frequent.id(w) >= 0) {
          words.add(w);
        }
      }
      return Vocabulary.of(words);
    }
  }

  static String sizes(BackoffLm lm) {
    StringBuilder s = new StringBuilder();
    for (int n = 1; n <= lm.order(); n++) {
      s.append(n > 1 ? ", " : "").append(lm.size(n)).append(' ').append(n).append("-grams");
    }
    return s.toString();
  }

  @Command(
      name = "ppl",
      mixinStandardHelpOptions = true,
      description = {
        "Perplexity of a model on text.",
        "OOVs (words not in the model) are scored as <unk> in 'ppl';",
        "'ppl-no-oov' leaves them out, as SRILM's ngram -ppl does."
      })
  static final class Ppl implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--lm", required = true, paramLabel = "ARPA", description = "the model")
    Path model;

    @Parameters(paramLabel = "TEXT", arity = "1..*", description = "text files")
    List<Path> text;

    @Override
    public Integer call() throws Exception {
      return guarded(spec, () -> {
        BackoffLm lm = readModel(model);
        PrintWriter out = spec.commandLine().getOut();
        for (Path t : text) {
          Perplexity.Result r = Perplexity.of(lm, t);
          out.printf("%s: %d sentences, %d words, %d OOVs, logprob %.4f, ppl %.4f, ppl-no-oov %.4f%n",
              t, r.sentences(), r.words(), r.oovs(), r.logProb(), r.perplexity(), r.perplexityWithoutOovs());
        }
        out.flush();
        return ExitCodes.OK;
      });
    }
  }

  @Command(
      name = "prune",
      mixinStandardHelpOptions = true,
      description = "Relative-entropy pruning (Stolcke 1998) of an ARPA model.")
  static final class Prune implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--lm", required = true, paramLabel = "ARPA", description = "model to prune")
    Path model;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "ARPA", description = "pruned model to write")
    Path out;

    @Option(names = "--threshold", required = true,
        description = "remove n-grams whose removal raises perplexity by less than this ratio (e.g. 1e-8)")
    double threshold;

    @Option(names = "--min-order", defaultValue = "2", paramLabel = "N", description = "lowest order pruned (default: ${DEFAULT-VALUE})")
    int minOrder;

    @Override
    public Integer call() throws Exception {
      return guarded(spec, () -> {
        EntropyPruner pruner = new EntropyPruner(threshold, minOrder);
        BackoffLm lm = readModel(model);
        BackoffLm pruned = pruner.prune(lm);
        ArpaWriter.write(pruned, out);
        spec.commandLine().getErr().println("joule: " + sizes(lm) + " -> " + sizes(pruned));
        return ExitCodes.OK;
      });
    }
  }

  @Command(
      name = "sample",
      mixinStandardHelpOptions = true,
      description = "Draws sentences from a model, one per line.")
  static final class Sample implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--lm", required = true, paramLabel = "ARPA", description = "the model")
    Path model;

    @Option(names = {"-n", "--count"}, defaultValue = "10", description = "sentences (default: ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--max-words", defaultValue = "100",
        description = "longest sentence; longer draws are redrawn (default: ${DEFAULT-VALUE})")
    int maxWords;

    @Override
    public Integer call() throws Exception {
      if (count < 0 || maxWords < 0) {
        throw new IllegalArgumentException("--count and --max-words must be >= 0");
      }
      return guarded(spec, () -> {
        BackoffLm lm = readModel(model);
        NgramSampler sampler = new NgramSampler(lm, new SplittableRandom(seed));
        PrintWriter out = spec.commandLine().getOut();
        for (int i = 0; i < count; i++) {
          out.println(String.join(" ", sampler.sentenceWords(maxWords)));
        }
        out.flush();
        return ExitCodes.OK;
      });
    }
  }
}
