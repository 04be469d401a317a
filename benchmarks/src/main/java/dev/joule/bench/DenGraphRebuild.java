package dev.joule.bench;

import dev.joule.decoder.lm.phone.PhoneLm;
import dev.joule.decoder.lm.phone.PhoneLmEstimator;
import dev.joule.engine.ctccrf.DenGraph;
import dev.joule.engine.ctccrf.DenGraphBuilder;
import dev.joule.engine.ctccrf.Denominator;
import dev.joule.engine.ctccrf.LogProbBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Rebuilds the den-phone4g bench graph from its sources with Joule's own phone-LM estimator and
 * den-graph builder, following {@code shared/bench/den-phone4g/README.md} step by step, and
 * compares the result with the published {@code den.fst}: state and arc counts, and log Z of
 * the first utterances of the bench batch on both graphs.
 *
 * <p>Usage: {@code DenGraphRebuild FORTUNES_DIR CMUDICT DEN_FST} (Debian: /usr/share/games/fortunes,
 * /usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict).
 */
public final class DenGraphRebuild {
  private DenGraphRebuild() {}

  public static void main(String[] args) throws IOException {
    Path fortunes = Path.of(args[0]);
    Path dict = Path.of(args[1]);
    Path published = Path.of(args[2]);
    long t0 = System.nanoTime();
    Map<String, String[]> lexicon = firstPronunciations(dict);
    TreeSet<String> phoneSet = new TreeSet<>();
    lexicon.values().forEach(p -> phoneSet.addAll(List.of(p)));
    Map<String, Integer> phoneId = new HashMap<>();
    for (String p : phoneSet) {
      phoneId.put(p, phoneId.size() + 1);
    }
    PhoneLmEstimator estimator = new PhoneLmEstimator(4, 3, 70);
    int sentences = 0;
    int dropped = 0;
    long words = 0;
    long phones = 0;
    List<Path> files;
    try (Stream<Path> list = Files.list(fortunes)) {
      files = list.filter(p -> Files.isRegularFile(p) && !Files.isSymbolicLink(p))
          .filter(p -> !p.getFileName().toString().endsWith(".dat") && !p.getFileName().toString().endsWith(".u8"))
          .sorted().toList();
    }
    for (Path file : files) {
      String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      for (String fortune : text.split("(?m)^%$")) {
        for (String sentence : fortune.split("[.!?]+")) {
          List<String> tokens = normalise(sentence);
          if (tokens.isEmpty()) {
            continue;
          }
          List<Integer> ids = new ArrayList<>();
          boolean known = true;
          for (String w : tokens) {
            String[] pron = lexicon.get(w);
            if (pron == null) {
              known = false;
              break;
            }
            for (String p : pron) {
              ids.add(phoneId.get(p));
            }
          }
          if (!known) {
            dropped++;
            continue;
          }
          sentences++;
          words += tokens.size();
          phones += ids.size();
          estimator.add(ids.stream().mapToInt(Integer::intValue).toArray());
        }
      }
    }
    PhoneLm lm = estimator.estimate();
    DenGraph rebuilt = DenGraphBuilder.build(lm, phoneSet.size() + 1);
    double seconds = (System.nanoTime() - t0) / 1e9;
    DenGraph reference = DenGraph.read(published, phoneSet.size() + 1);
    System.out.printf("files %d; sentences %d kept, %d dropped; words %d; phones %d; phones in lexicon %d%n",
        files.size(), sentences, dropped, words, phones, phoneSet.size());
    System.out.printf("phone LM: %d states, %d arcs%n", lm.numStates(), lm.arcs().size());
    System.out.printf("den graph rebuilt in %.1f s: %d states, %d arcs; published: %d states, %d arcs%n",
        seconds, rebuilt.numStates(), rebuilt.numArcs(), reference.numStates(), reference.numArcs());
    int batch = 4;
    int[] lengths = new int[batch];
    java.util.Arrays.fill(lengths, DenBenchmark.FRAMES);
    float[] logits = java.util.Arrays.copyOf(DenBenchmark.catLogits(), batch * DenBenchmark.FRAMES * DenBenchmark.TOKENS);
    LogProbBatch x = new LogProbBatch(logits, batch, DenBenchmark.FRAMES, DenBenchmark.TOKENS, lengths);
    double[] a = new Denominator(rebuilt).compute(x).logLikelihood();
    double[] b = new Denominator(reference).compute(x).logLikelihood();
    for (int i = 0; i < batch; i++) {
      System.out.printf("utterance %d: logZ rebuilt %.6f, published %.6f, difference %.2e%n", i, a[i], b[i], a[i] - b[i]);
    }
  }

  /** Lower-case words of [a-z'], apostrophes stripped at both ends, as the recipe says. */
  static List<String> normalise(String sentence) {
    List<String> out = new ArrayList<>();
    for (String w : sentence.toLowerCase(java.util.Locale.ROOT).split("[^a-z']+")) {
      String t = w.replaceAll("^'+|'+$", "");
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  /** word → phones of its first pronunciation, stress digits removed; "word(2)" alternates skipped. */
  static Map<String, String[]> firstPronunciations(Path dict) throws IOException {
    Map<String, String[]> lexicon = new HashMap<>();
    for (String line : Files.readAllLines(dict, StandardCharsets.UTF_8)) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 2 || f[0].contains("(")) {
        continue;
      }
      String[] phones = new String[f.length - 1];
      for (int i = 1; i < f.length; i++) {
        phones[i - 1] = f[i].replaceAll("[0-9]", "");
      }
      lexicon.putIfAbsent(f[0], phones);
    }
    return lexicon;
  }
}
