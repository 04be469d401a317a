package dev.joule.bench;

import dev.joule.decoder.fst.Fst;
import dev.joule.decoder.fst.OpenFst;
import dev.joule.decoder.fst.SymbolTable;
import dev.joule.decoder.graph.CompiledGraph;
import dev.joule.decoder.graph.GraphCompiler;
import dev.joule.decoder.lexicon.Lexicon;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compiles TLG for a 20k-word trigram and times loading the compact graph.
 *
 * <p>The trigram comes from {@link TrigramEstimator} (absolute discounting, trigram cutoff 2) on the
 * text {@code benchmarks/graph/corpus.sh} writes; the vocabulary is the most frequent words of the
 * text that CMUdict pronounces; the tokens are blank + CMUdict's phones. Reports per-step sizes and
 * times, the process's peak resident memory (native OpenFST included) and the JVM's peak heap, then
 * the load time of {@code TLG.jfst} by memory map (first and median of repeats) next to reading
 * {@code TLG.fst} with OpenFST.
 *
 * <p>Usage (see {@code benchmarks/graph/run.sh}): {@code GraphCompileBenchmark estimate CORPUS CMUDICT ARPA
 * [VOCAB=20000] [TRIGRAM_CUTOFF=2]}, then, in a fresh JVM so that the peak memory is the
 * compiler's, {@code GraphCompileBenchmark compile CMUDICT ARPA OUTDIR}.
 */
public final class GraphCompileBenchmark {
  private GraphCompileBenchmark() {}

  public static void main(String[] args) throws IOException {
    if (args.length >= 4 && args[0].equals("estimate")) {
      estimate(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]),
          args.length > 4 ? Integer.parseInt(args[4]) : 20_000, args.length > 5 ? Integer.parseInt(args[5]) : 2);
    } else if (args.length == 4 && args[0].equals("compile")) {
      compile(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]));
    } else {
      System.err.println("usage: GraphCompileBenchmark estimate CORPUS CMUDICT ARPA [VOCAB] [TRIGRAM_CUTOFF]");
      System.err.println("       GraphCompileBenchmark compile CMUDICT ARPA OUTDIR");
      System.exit(1);
    }
  }

  /** Writes the benchmark's trigram ARPA file. */
  private static void estimate(Path corpus, Path dict, Path arpa, int vocabSize, int cutoff) throws IOException {
    long t0 = System.nanoTime();
    Lexicon lexicon = Lexicon.readCmudict(dict, false);
    List<int[]> sentences = new ArrayList<>();
    List<String> words = vocabulary(corpus, lexicon, vocabSize, sentences);
    TrigramEstimator lm = new TrigramEstimator(words, cutoff);
    sentences.forEach(lm::add);
    int[] counts = lm.writeArpa(arpa);
    System.out.printf(Locale.ROOT, "trigram: %d words + <s> </s> <unk>, %,d 2-grams, %,d 3-grams (cutoff %d);"
        + " estimated in %.1f s%n", counts[0] - 3, counts[1], counts[2], cutoff, (System.nanoTime() - t0) / 1e9);
  }

  /** Compiles TLG from the ARPA file, then times loading it. Run in a fresh JVM for the peak memory. */
  private static void compile(Path dict, Path arpa, Path out) throws IOException {
    Lexicon lexicon = Lexicon.readCmudict(dict, false);
    SymbolTable tokens = new SymbolTable();
    tokens.add("<blk>");
    lexicon.phones().forEach(tokens::add);

    long t0 = System.nanoTime();
    double compileSeconds;
    int states;
    long arcs;
    try (CompiledGraph g = GraphCompiler.compile(lexicon, arpa, tokens, GraphCompiler.Options.defaults())) {
      compileSeconds = (System.nanoTime() - t0) / 1e9;
      g.stages().forEach(System.out::println);
      states = g.tlg().numStates();
      arcs = g.tlg().numArcs();
      g.write(out);
      System.out.printf(Locale.ROOT, "out-of-lexicon LM words: %d%n", g.outOfLexicon().size());
    }
    long peakRssMb = procStatusKb("VmHWM") / 1024;
    long peakHeapMb = peakHeapBytes() / (1 << 20);
    System.out.printf(Locale.ROOT, "compile (lexicon and tokens read, ARPA read, TLG built): %.1f s;"
        + " peak resident %d MB (JVM heap peak %d MB)%n", compileSeconds, peakRssMb, peakHeapMb);

    Path jfst = out.resolve("TLG.jfst");
    double[] loads = new double[9];
    double[] full = new double[3];
    for (int i = 0; i < loads.length; i++) {
      long s = System.nanoTime();
      Fst f = Fst.load(jfst);
      loads[i] = (System.nanoTime() - s) / 1e6;
      if (f.numStates() != states) {
        throw new IllegalStateException("loaded graph differs");
      }
    }
    for (int i = 0; i < full.length; i++) {
      long s = System.nanoTime();
      Fst.load(jfst, true);
      full[i] = (System.nanoTime() - s) / 1e6;
    }
    long s = System.nanoTime();
    try (OpenFst f = OpenFst.read(out.resolve("TLG.fst"))) {
      if (f.numStates() != states) {
        throw new IllegalStateException("OpenFST graph differs");
      }
    }
    double openFstMs = (System.nanoTime() - s) / 1e6;
    double firstLoad = loads[0];
    Arrays.sort(loads);
    Arrays.sort(full);
    System.out.printf(Locale.ROOT, "load TLG.jfst (%d MB, mmap + checksum): first %.1f ms, median %.1f ms;"
        + " with full structural check %.1f ms; OpenFST read of TLG.fst %.0f ms%n",
        Files.size(jfst) >> 20, firstLoad, loads[loads.length / 2], full[1], openFstMs);
    System.out.printf(Locale.ROOT, "{\"bench\":\"compile-graph\",\"tlg_states\":%d,\"tlg_arcs\":%d,\"compile_s\":%.2f,"
        + "\"peak_rss_mb\":%d,\"peak_heap_mb\":%d,\"load_first_ms\":%.2f,\"load_median_ms\":%.2f,"
        + "\"load_full_check_ms\":%.1f,\"openfst_read_ms\":%.1f}%n", states, arcs, compileSeconds, peakRssMb,
        peakHeapMb, firstLoad, loads[loads.length / 2], full[1], openFstMs);
  }

  /**
   * Reads the corpus (lower-cased words of letters and apostrophes), picks the {@code size} most
   * frequent words CMUdict pronounces, and fills {@code sentences} with ids (others become {@code <unk>}).
   * Returns the word list: {@code <s>}, {@code </s>}, {@code <unk>}, then the vocabulary.
   */
  private static List<String> vocabulary(Path corpus, Lexicon lexicon, int size, List<int[]> sentences)
      throws IOException {
    List<String[]> lines = new ArrayList<>();
    Map<String, Integer> freq = new HashMap<>();
    try (BufferedReader r = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        String[] ws = Arrays.stream(line.toLowerCase(Locale.ROOT).split("[^a-z']+"))
            .map(w -> w.replaceAll("^'+|'+$", "")).filter(w -> !w.isEmpty()).toArray(String[]::new);
        if (ws.length > 0) {
          lines.add(ws);
          for (String w : ws) {
            freq.merge(w, 1, Integer::sum);
          }
        }
      }
    }
    List<String> ranked = freq.keySet().stream().filter(lexicon::contains)
        .sorted((a, b) -> freq.get(b).equals(freq.get(a)) ? a.compareTo(b) : freq.get(b) - freq.get(a))
        .limit(size).toList();
    List<String> words = new ArrayList<>(List.of("<s>", "</s>", "<unk>"));
    words.addAll(ranked);
    Map<String, Integer> ids = new HashMap<>();
    for (int i = 0; i < words.size(); i++) {
      ids.put(words.get(i), i);
    }
    for (String[] ws : lines) {
      int[] s = new int[ws.length];
      for (int i = 0; i < ws.length; i++) {
        s[i] = ids.getOrDefault(ws[i], 2);
      }
      sentences.add(s);
    }
    return words;
  }

  private static long procStatusKb(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
