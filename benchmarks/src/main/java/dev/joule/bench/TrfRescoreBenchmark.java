package dev.joule.bench;

import dev.joule.decoder.lm.ArpaReader;
import dev.joule.decoder.lm.BackoffLm;
import dev.joule.decoder.lm.TextCorpus;
import dev.joule.engine.trf.NbestRescorer;
import dev.joule.engine.trf.RescoringWeights;
import dev.joule.engine.trf.TrfFiles;
import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.trf.TrfModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * N-best rescoring throughput on the CPU or the GPU: 16-best lists made from the sentences of a text file
 * (each sentence and 15 copies with one or two words replaced by random vocabulary words, as an
 * n-best list's near-duplicates are), scored by the n-gram and the TRF and the best one picked.
 * Reports hypotheses (sentences) rescored per second over all lists, after one warm-up pass over
 * the first 20 lists, as one JSON line.
 *
 * <p>Usage: {@code TrfRescoreBenchmark TRF-DIR ARPA TEXT [utterances] [cpu|gpu]} (default 200,
 * cpu). On {@code gpu} the TRF moves to GPU 0 (as float32) and each list is scored there in one
 * batch; the n-gram stays on the CPU.
 */
public final class TrfRescoreBenchmark {
  private static final int NBEST = 16;

  private TrfRescoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: TrfRescoreBenchmark TRF-DIR ARPA TEXT [utterances] [cpu|gpu]");
      System.exit(1);
    }
    TrfModel trf = TrfFiles.load(Path.of(args[0])).model();
    boolean onGpu = args.length > 4 && args[4].equals("gpu");
    GpuDevice device = onGpu ? GpuDevice.open(0) : null;
    if (onGpu) {
      trf.moveTo(GpuTensors.of(device));
    }
    BackoffLm lm = ArpaReader.read(Path.of(args[1]));
    int utterances = args.length > 3 ? Integer.parseInt(args[3]) : 200;
    List<String[]> sentences = new ArrayList<>();
    TextCorpus.forEachSentence(Path.of(args[2]), (w, line) -> {
      if (sentences.size() < utterances && w.length <= trf.config().maxLength()) {
        sentences.add(w);
      }
    });
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
}
