package dev.joule.bench;

import dev.joule.decoder.lm.ArpaReader;
import dev.joule.decoder.lm.ArpaWriter;
import dev.joule.decoder.lm.BackoffLm;
import dev.joule.decoder.lm.Discounts;
import dev.joule.decoder.lm.EntropyPruner;
import dev.joule.decoder.lm.KneserNeyEstimator;
import dev.joule.decoder.lm.NgramCounts;
import dev.joule.decoder.lm.NgramSampler;
import dev.joule.decoder.lm.Perplexity;
import dev.joule.decoder.lm.TextCorpus;
import dev.joule.decoder.lm.Vocabulary;
import java.io.IOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * N-gram LM estimation cost: time of each stage (vocabulary pass, counting, modified Kneser-Ney,
 * ARPA write and read, perplexity, entropy pruning, sampling) and peak Java heap, on text files
 * or on a synthetic corpus.
 *
 * <p>The synthetic corpus has Zipf-distributed words over a 50,000-word vocabulary with a
 * first-order Markov flavour (each word shifts the next one's distribution), so it has many
 * distinct n-grams, like real text and unlike a repeated file. Each stage runs once: estimation is
 * a batch job, and its seconds-long stages dwarf JIT warm-up. Output: one JSON object per line.
 *
 * <p>Usage: {@code NgramBenchmark ORDER FILE...} or {@code NgramBenchmark ORDER --synthetic WORDS}
 */
public final class NgramBenchmark {
  private NgramBenchmark() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: NgramBenchmark ORDER FILE... | NgramBenchmark ORDER --synthetic WORDS");
      System.exit(1);
    }
    int order = Integer.parseInt(args[0]);
    List<Path> files = new ArrayList<>();
    Path work = Files.createTempDirectory("joule-ngram-bench");
    String corpus;
    if (args[1].equals("--synthetic")) {
      long words = Long.parseLong(args[2]);
      Path text = work.resolve("synthetic.txt");
      synthesise(text, words, 50_000, 1);
      files.add(text);
      corpus = "synthetic-" + words;
    } else {
      for (int i = 1; i < args.length; i++) {
        files.add(Path.of(args[i]));
      }
      corpus = files.toString();
    }

    resetPeaks();
    long t0 = System.nanoTime();
    Vocabulary vocab = TextCorpus.vocabulary(files, 1, Integer.MAX_VALUE);
    double vocabSeconds = seconds(t0);
    t0 = System.nanoTime();
    NgramCounts counts = TextCorpus.count(files, order, vocab);
    double countSeconds = seconds(t0);
    t0 = System.nanoTime();
    BackoffLm lm = new KneserNeyEstimator(Discounts.FALLBACK).estimate(counts);
    double estimateSeconds = seconds(t0);
    long estimationPeak = peakHeapBytes();
    long ngrams = 0;
    for (int n = 1; n <= order; n++) {
      ngrams += lm.size(n);
    }
    counts = null;

    Path arpa = work.resolve("lm.arpa");
    t0 = System.nanoTime();
    ArpaWriter.write(lm, arpa);
    double writeSeconds = seconds(t0);
    long arpaBytes = Files.size(arpa);
    t0 = System.nanoTime();
    BackoffLm back = ArpaReader.read(arpa);
    double readSeconds = seconds(t0);
    back = null;

    t0 = System.nanoTime();
    Perplexity.Result ppl = Perplexity.of(lm, files.get(0));
    double pplSeconds = seconds(t0);

    t0 = System.nanoTime();
    BackoffLm pruned = new EntropyPruner(1e-8, 2).prune(lm);
    double pruneSeconds = seconds(t0);
    long prunedNgrams = 0;
    for (int n = 1; n <= order; n++) {
      prunedNgrams += pruned.size(n);
    }

    NgramSampler sampler = new NgramSampler(lm, new SplittableRandom(1));
    long sampledWords = 0;
    t0 = System.nanoTime();
    for (int i = 0; i < 100_000; i++) {
      sampledWords += sampler.sentence(200).length + 1;
    }
    double sampleSeconds = seconds(t0);

    System.out.printf(
        "{\"bench\":\"ngram\",\"corpus\":\"%s\",\"order\":%d,\"sentences\":%d,\"tokens\":%d,"
            + "\"vocabulary\":%d,\"ngrams\":%d,\"vocab_pass_s\":%.2f,\"count_s\":%.2f,"
            + "\"kneser_ney_s\":%.2f,\"peak_heap_mb\":%.0f,\"arpa_write_s\":%.2f,\"arpa_mb\":%.1f,"
            + "\"arpa_read_s\":%.2f,\"ppl_words_per_s\":%.0f,\"prune_1e-8_s\":%.2f,"
            + "\"pruned_ngrams\":%d,\"sample_words_per_s\":%.0f,\"java\":\"%s\",\"cpus\":%d}%n",
        corpus.replace("\\", "/").replace("\"", "'"), order, ppl.sentences(),
        ppl.words() + ppl.sentences(), vocab.size(), ngrams, vocabSeconds, countSeconds,
        estimateSeconds, estimationPeak / 1e6, writeSeconds, arpaBytes / 1e6, readSeconds,
        (ppl.words() + ppl.sentences()) / pplSeconds, pruneSeconds, prunedNgrams,
        sampledWords / sampleSeconds, Runtime.version(), Runtime.getRuntime().availableProcessors());
    Files.deleteIfExists(arpa);
    for (Path f : files) {
      if (f.startsWith(work)) {
        Files.delete(f);
      }
    }
    Files.delete(work);
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** Sum of the heap pools' peak use since {@link #resetPeaks()}: an upper bound on live data. */
  private static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /** Writes a synthetic corpus of about {@code words} words, sentences of 1 to 30 words. */
  static void synthesise(Path file, long words, int vocabulary, long seed) throws IOException {
    Random r = new Random(seed);
    double logV = Math.log(vocabulary + 1.0);
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      StringBuilder line = new StringBuilder();
      long written = 0;
      while (written < words) {
        int length = 1 + r.nextInt(30);
        line.setLength(0);
        int prev = 0;
        for (int i = 0; i < length; i++) {
          int rank = (int) Math.exp(r.nextDouble() * logV) - 1;
          // Mostly frequent words; a word shifts the ranks of the next, giving n-gram structure.
          int w = r.nextInt(4) == 0 ? (rank + prev * 7) % vocabulary : rank;
          line.append(i > 0 ? " " : "").append('w').append(w);
          prev = w;
        }
        out.append(line).append('\n');
        written += length;
      }
    }
  }
}
