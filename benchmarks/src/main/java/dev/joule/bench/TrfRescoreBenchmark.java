package dev.joule.bench;

import dev.joule.decoder.lm.ArpaReader;
import dev.joule.decoder.lm.BackoffLm;
import dev.joule.decoder.lm.NgramSampler;
import dev.joule.decoder.lm.TextCorpus;
import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.trf.LengthPrior;
import dev.joule.engine.trf.NbestRescorer;
import dev.joule.engine.trf.RescoringWeights;
import dev.joule.engine.trf.TrfConfig;
import dev.joule.engine.trf.TrfFiles;
import dev.joule.engine.trf.TrfModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * N-best rescoring throughput on the CPU or the GPU: 16-best lists made from the sentences of a text file
 * (each sentence and 15 copies with one or two words replaced by random vocabulary words, as an
 * n-best list's near-duplicates are), scored by the n-gram and the TRF and the best one picked.
 * Reports hypotheses (sentences) rescored per second over all lists, after one warm-up pass over
 * the first 20 lists, as one JSON line.
 *
 * <p>Usage: {@code TrfRescoreBenchmark TRF-DIR ARPA TEXT [utterances] [cpu|gpu]} (default 200,
 * cpu). On {@code gpu} the TRF moves to GPU 0 (as float32) and each list is scored there in one
 * batch; the n-gram stays on the CPU. {@code TRF-DIR} may be {@code untrained}: a TRF of the
 * default shape (embed 32, BLSTM 32, the n-gram as base, 24 words at most) with seeded random
 * weights, which costs the same to run as a trained one; {@code TEXT} may be {@code sample}:
 * sentences drawn from the n-gram (seed 1). Together they let a machine with nothing but the
 * n-gram measure throughput.
 */
public final class TrfRescoreBenchmark {
  private static final int NBEST = 16;

  private TrfRescoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: TrfRescoreBenchmark TRF-DIR ARPA TEXT [utterances] [cpu|gpu]");
      System.exit(1);
    }
    BackoffLm lm = ArpaReader.read(Path.of(args[1]));
    TrfModel trf = args[0].equals("untrained") ? untrained(lm) : TrfFiles.load(Path.of(args[0])).model();
    boolean onGpu = args.length > 4 && args[4].equals("gpu");
    GpuDevice device = onGpu ? GpuDevice.open(0) : null;
    if (onGpu) {
      trf.moveTo(GpuTensors.of(device));
    }
    int utterances = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    List<String[]> sentences = new ArrayList<>();
    if (args[2].equals("sample")) {
      NgramSampler sampler = new NgramSampler(lm, new SplittableRandom(1));
      while (sentences.size() < utterances) {
        String[] w = sampler.sentenceWords(trf.config().maxLength());
        if (w.length > 0) {
          sentences.add(w);
        }
      }
    } else {
      TextCorpus.forEachSentence(Path.of(args[2]), (w, line) -> {
        if (sentences.size() < utterances && w.length <= trf.config().maxLength()) {
          sentences.add(w);
        }
      });
    }
    List<String> vocab = trf.vocabulary().words().subList(3, trf.vocabulary().size());
    Random random = new Random(1);
    List<List<NbestRescorer.Candidate>> lists = new ArrayList<>();
    long words = 0;
    for (String[] s : sentences) {
      List<NbestRescorer.Candidate> nbest = new ArrayList<>();
      for (int k = 0; k < NBEST; k++) {
        String[] h = s.clone();
        for (int e = 0; k > 0 && e < 1 + k % 2; e++) {
          h[random.nextInt(h.length)] = vocab.get(random.nextInt(vocab.size()));
        }
        nbest.add(new NbestRescorer.Candidate(h, 100 + random.nextDouble()));
        words += h.length;
      }
      lists.add(nbest);
    }
    NbestRescorer rescorer = new NbestRescorer(lm, trf);
    RescoringWeights w = new RescoringWeights(0.5, 0.5, 0);
    for (List<NbestRescorer.Candidate> nbest : lists.subList(0, Math.min(20, lists.size()))) {
      NbestRescorer.best(rescorer.features(nbest), w);
    }
    long t0 = System.nanoTime();
    long checksum = 0;
    for (List<NbestRescorer.Candidate> nbest : lists) {
      checksum += NbestRescorer.best(rescorer.features(nbest), w);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    long hyps = (long) lists.size() * NBEST;
    System.out.printf(
        "{\"bench\":\"trf-rescore\",\"impl\":\"joule-%s\",\"threads\":%d,\"vocab\":%d,\"embed\":%d,\"hidden\":%d,"
            + "\"layers\":%d,\"bidirectional\":%b,\"utterances\":%d,\"nbest\":%d,\"mean_words\":%.1f,"
            + "\"seconds\":%.3f,\"sentences_per_s\":%.1f,\"checksum\":%d}%n",
        onGpu ? "gpu" : "cpu", Runtime.getRuntime().availableProcessors(), trf.vocabulary().size(), trf.config().embedDim(),
        trf.config().hidden(), trf.config().layers(), trf.config().bidirectional(), lists.size(), NBEST,
        (double) words / hyps, seconds, hyps / seconds, checksum);
    if (device != null) {
      device.close();
    }
  }

  /** The shape {@code benchmarks/trf/decoded-nbest.sh} trains, with seeded random weights. */
  private static TrfModel untrained(BackoffLm lm) {
    int maxLength = 24;
    long[] counts = new long[maxLength + 1];
    java.util.Arrays.fill(counts, 1, maxLength + 1, 1);
    return new TrfModel(new TrfConfig(maxLength, 32, 32, 1, true), lm.vocabulary(), LengthPrior.fromCounts(counts, maxLength),
        lm, new Random(1), DType.FLOAT64);
  }
}
