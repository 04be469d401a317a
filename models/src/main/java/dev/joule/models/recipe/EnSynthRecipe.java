package dev.joule.models.recipe;

import dev.joule.decoder.lexicon.Lexicon;
import dev.joule.frontend.audio.AudioFiles;
import dev.joule.models.recipe.Corpus.Sentence;
import dev.joule.models.recipe.Corpus.SourceStats;
import dev.joule.models.recipe.Corpus.Split;
import dev.joule.models.recipe.SynthesisPlan.Utterance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The synthetic English corpus recipe ({@code models/recipes/en-synth/run.sh}): text from the
 * allowed Debian sources, normalised, de-duplicated and split; lexicon and phone transcripts;
 * a seeded synthesis plan over the allowed voices; parallel synthesis and augmentation; Kaldi data
 * directories; a report. Every stage reads what the earlier ones wrote under {@code --out}, so a
 * run can start again at any stage ({@code --from-stage}); synthesis and augmentation skip
 * utterances whose audio is already there.
 */
public final class EnSynthRecipe {
  /** The stages, in order. */
  public static final List<String> STAGES = List.of("text", "lexicon", "synthesis", "augmentation", "datadirs", "report");

  /** Per-source shares of the synthesised utterances. */
  static final Map<String, Double> SHARES = Map.of("fortunes", 0.3, "bible", 0.3, "wordnet", 0.3, "wamerican", 0.1);
  static final Path DEFAULT_CMUDICT = Path.of("/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict");
  static final String EVAL_SET = "eval_kal";

  private final Options o;

  /** Command-line settings. */
  static final class Options {
    boolean small;
    long seed = 1;
    Path out = Path.of("models/recipes/en-synth/work");
    int jobs = Runtime.getRuntime().availableProcessors();
    String fromStage = STAGES.get(0);
    String toStage = STAGES.get(STAGES.size() - 1);
    Path cmudict = DEFAULT_CMUDICT;
    int trainUtts = -1;
    int devUtts = -1;
    int testUtts = -1;
    int evalUtts = -1;
    boolean keepClean;

    int train() {
      return trainUtts >= 0 ? trainUtts : small ? 1500 : 60000;
    }

    int dev() {
      return devUtts >= 0 ? devUtts : small ? 150 : 1500;
    }

    int test() {
      return testUtts >= 0 ? testUtts : small ? 150 : 1500;
    }

    int eval() {
      return evalUtts >= 0 ? evalUtts : small ? 100 : 1000;
    }
  }

  EnSynthRecipe(Options o) {
    this.o = o;
  }

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("en-synth: " + e.getMessage());
      System.err.println(usage());
      System.exit(1);
      return;
    }
    if (o == null) {
      System.out.println(usage());
      return;
    }
    new EnSynthRecipe(o).run();
  }

  static String usage() {
    return String.join("\n",
        "usage: run.sh [--small] [--seed N] [--out DIR] [--jobs N] [--from-stage S] [--to-stage S]",
        "              [--train-utts N] [--dev-utts N] [--test-utts N] [--eval-utts N]",
        "              [--cmudict FILE] [--keep-clean]",
        "stages: " + String.join(", ", STAGES),
        "--small: 1500 train, 150 dev, 150 test, 100 eval utterances (default 60000/1500/1500/1000)");
  }

  static Options parse(String[] args) {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "-h", "--help" -> {
          return null;
        }
        case "--small" -> o.small = true;
        case "--keep-clean" -> o.keepClean = true;
        case "--seed" -> o.seed = Long.parseLong(value(args, ++i, a));
        case "--out" -> o.out = Path.of(value(args, ++i, a));
        case "--jobs" -> o.jobs = positive(value(args, ++i, a), a);
        case "--from-stage" -> o.fromStage = stage(value(args, ++i, a));
        case "--to-stage" -> o.toStage = stage(value(args, ++i, a));
        case "--cmudict" -> o.cmudict = Path.of(value(args, ++i, a));
        case "--train-utts" -> o.trainUtts = count(value(args, ++i, a), a);
        case "--dev-utts" -> o.devUtts = count(value(args, ++i, a), a);
        case "--test-utts" -> o.testUtts = count(value(args, ++i, a), a);
        case "--eval-utts" -> o.evalUtts = count(value(args, ++i, a), a);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (STAGES.indexOf(o.fromStage) > STAGES.indexOf(o.toStage)) {
      throw new IllegalArgumentException("--from-stage " + o.fromStage + " comes after --to-stage " + o.toStage);
    }
    return o;
  }

  private static String value(String[] args, int i, String opt) {
    if (i >= args.length) {
      throw new IllegalArgumentException(opt + " needs a value");
    }
    return args[i];
  }

  private static int positive(String v, String opt) {
    int n = count(v, opt);
    if (n == 0) {
      throw new IllegalArgumentException(opt + " must be at least 1");
    }
    return n;
  }

  private static int count(String v, String opt) {
    try {
      int n = Integer.parseInt(v);
      if (n < 0) {
        throw new IllegalArgumentException(opt + " must not be negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(opt + " needs a number, not '" + v + "'");
    }
  }

  private static String stage(String s) {
    if (!STAGES.contains(s)) {
      throw new IllegalArgumentException("unknown stage '" + s + "' (stages: " + String.join(", ", STAGES) + ")");
    }
    return s;
  }

  static void log(String msg) {
    System.err.println(LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + " en-synth: " + msg);
  }

  void run() throws IOException {
    Files.createDirectories(o.out);
    int from = STAGES.indexOf(o.fromStage);
    int to = STAGES.indexOf(o.toStage);
    Map<String, Double> timing = readTiming();
    for (int s = from; s <= to; s++) {
      String name = STAGES.get(s);
      long t0 = System.nanoTime();
      log("stage " + name);
      switch (name) {
        case "text" -> textStage();
        case "lexicon" -> lexiconStage();
        case "synthesis" -> synthesisStage();
        case "augmentation" -> augmentationStage();
        case "datadirs" -> dataDirStage();
        case "report" -> { }
        default -> throw new IllegalStateException(name);
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      timing.put(name, secs);
      writeTiming(timing);
      if (name.equals("report")) {
        reportStage(timing);
      }
      log(String.format(Locale.ROOT, "stage %s done in %.1f s", name, secs));
    }
  }

  // ---------------------------------------------------------------- text

  private Lexicon lexicon;

  private Lexicon lexicon() throws IOException {
    if (lexicon == null) {
      lexicon = Lexicon.readCmudict(o.cmudict, false);
    }
    return lexicon;
  }

  void textStage() throws IOException {
    Corpus.Builder b = new Corpus.Builder(lexicon(), Corpus.Options.defaults(o.seed));
    // fortunes
    Path fdir = TextSources.FORTUNES_DIR;
    if (Files.isDirectory(fdir)) {
      SourceStats st = b.stats("fortunes");
      for (Path f : TextSources.fortuneFiles(fdir)) {
        for (TextSources.Fortune fo : TextSources.fortunes(TextSources.readLenient(f))) {
          if (fo.austen()) {
            st.units++;
            st.excluded++;
          } else {
            b.addText("fortunes", fo.text());
          }
        }
      }
    } else {
      log("warning: " + fdir + " missing (apt-get install fortunes): no fortunes text");
    }
    // bible
    try {
      List<String> verses = TextSources.bibleVerses();
      for (String v : verses) {
        b.addText("bible", v);
      }
    } catch (IOException e) {
      log("warning: " + e.getMessage() + " (apt-get install bible-kjv): no bible text");
    }
    // wordnet
    if (Files.isRegularFile(TextSources.WORDNET_DIR.resolve("data.noun"))) {
      for (TextSources.Gloss g : TextSources.wordnetGlosses(TextSources.WORDNET_DIR)) {
        for (String d : g.definitions()) {
          b.addSentence("wordnet", d);
        }
        for (String ex : g.examples()) {
          b.addText("wordnet", ex);
        }
      }
    } else {
      log("warning: " + TextSources.WORDNET_DIR + " missing (apt-get install wordnet-base): no wordnet text");
    }
    // wamerican
    if (Files.isRegularFile(TextSources.WORD_LIST)) {
      b.trainOnly("wamerican");
      List<String> lines = Arrays.asList(TextSources.readLenient(TextSources.WORD_LIST).split("\n"));
      b.addWordList("wamerican", TextSources.words(lines), 4, 8);
    } else {
      log("warning: " + TextSources.WORD_LIST + " missing (apt-get install wamerican): no word-list text");
    }
    Corpus c = b.build();
    Path dir = Files.createDirectories(o.out.resolve("text"));
    for (Split s : Split.values()) {
      StringBuilder sb = new StringBuilder();
      for (Sentence x : c.split(s)) {
        sb.append(x.id()).append(' ').append(x.text()).append('\n');
      }
      Files.writeString(dir.resolve(s.dirName() + ".txt"), sb, StandardCharsets.UTF_8);
    }
    StringBuilder st = new StringBuilder("# source units excluded candidates not_prose bad_length duplicates oov train dev test\n");
    for (SourceStats x : c.stats().values()) {
      st.append(String.join(" ", x.source, Long.toString(x.units), Long.toString(x.excluded),
          Long.toString(x.candidates), Long.toString(x.notProse), Long.toString(x.badLength),
          Long.toString(x.duplicates), Long.toString(x.oov), x.perSplit.get(Split.TRAIN).toString(),
          x.perSplit.get(Split.DEV).toString(), x.perSplit.get(Split.TEST).toString())).append('\n');
    }
    Files.writeString(dir.resolve("stats.txt"), st, StandardCharsets.UTF_8);
    StringBuilder oov = new StringBuilder();
    c.oovWords().forEach((w, n) -> oov.append(w).append(' ').append(n).append('\n'));
    Files.writeString(dir.resolve("oov_words.txt"), oov, StandardCharsets.UTF_8);
    log(String.format("text: %d train, %d dev, %d test sentences", c.split(Split.TRAIN).size(),
        c.split(Split.DEV).size(), c.split(Split.TEST).size()));
  }

  /** The sentences of a split as written by the text stage. */
  List<Sentence> readSplit(Split s) throws IOException {
    List<Sentence> out = new ArrayList<>();
    Path f = o.out.resolve("text").resolve(s.dirName() + ".txt");
    if (!Files.isRegularFile(f)) {
      throw new IOException(f + " missing: run the text stage first");
    }
    for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
      int sp = line.indexOf(' ');
      if (sp > 0) {
        String id = line.substring(0, sp);
        out.add(new Sentence(id, id.substring(0, id.lastIndexOf('-')), line.substring(sp + 1)));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- lexicon

  void lexiconStage() throws IOException {
    PhoneTranscriber tr = new PhoneTranscriber(lexicon());
    Path lang = Files.createDirectories(o.out.resolve("lang"));
    tr.writeTokens(lang.resolve("tokens.txt"));
    Map<String, Long> vocab = new TreeMap<>();
    List<Sentence> train = readSplit(Split.TRAIN);
    for (Sentence s : train) {
      for (String w : s.words()) {
        vocab.merge(w, 1L, Long::sum);
      }
    }
    StringBuilder v = new StringBuilder();
    vocab.forEach((w, n) -> v.append(w).append(' ').append(n).append('\n'));
    Files.writeString(lang.resolve("vocab.txt"), v, StandardCharsets.UTF_8);
    tr.writeLexicon(lang.resolve("lexicon.txt"), vocab.keySet());
    for (Split s : Split.values()) {
      StringBuilder sb = new StringBuilder();
      for (Sentence x : s == Split.TRAIN ? train : readSplit(s)) {
        List<String> p = tr.phones(x.text())
            .orElseThrow(() -> new IOException("sentence " + x.id() + " has out-of-lexicon words " + tr.oov(x.text())));
        sb.append(x.id()).append(' ').append(String.join(" ", p)).append('\n');
      }
      Files.writeString(o.out.resolve("text").resolve(s.dirName() + ".phones"), sb, StandardCharsets.UTF_8);
    }
    log(String.format("lexicon: %d train words, %d tokens", vocab.size(), tr.tokens().size()));
  }

  // ---------------------------------------------------------------- synthesis

  /** The data sets to synthesise: name → plan. */
  Map<String, List<Utterance>> makePlans() throws IOException {
    List<Voice> train = Synthesizer.available(Voice.training());
    List<Voice> eval = Synthesizer.available(Voice.evaluation());
    Map<String, List<Utterance>> plans = new LinkedHashMap<>();
    if (train.isEmpty()) {
      log("warning: no training voice is available (apt-get install flite espeak-ng festival festvox-us-slt-hts sox)");
    } else {
      log("training voices: " + train.size() + " (" + String.join(", ", train.stream().map(Voice::id).limit(6).toList())
          + (train.size() > 6 ? ", ..." : "") + ")");
      int[] sizes = {o.train(), o.dev(), o.test()};
      for (Split s : Split.values()) {
        List<Sentence> chosen = SynthesisPlan.select(readSplit(s), sizes[s.ordinal()], SHARES, o.seed);
        plans.put(s.dirName(), SynthesisPlan.plan(s.dirName(), chosen, train, SynthesisPlan.Augmentation.training(), o.seed));
      }
    }
    if (!eval.isEmpty() && o.eval() > 0) {
      log("evaluation voices: " + String.join(", ", eval.stream().map(Voice::id).toList()));
      List<Sentence> chosen = SynthesisPlan.select(readSplit(Split.TEST), o.eval(), SHARES, o.seed + 1);
      plans.put(EVAL_SET, SynthesisPlan.plan(EVAL_SET, chosen, eval, SynthesisPlan.Augmentation.none(), o.seed));
    }
    return plans;
  }

  Map<String, List<Utterance>> readPlans() throws IOException {
    Map<String, List<Utterance>> plans = new LinkedHashMap<>();
    Path dir = o.out.resolve("plan");
    for (String set : List.of("train", "dev", "test", EVAL_SET)) {
      Path f = dir.resolve(set + ".tsv");
      if (Files.isRegularFile(f)) {
        plans.put(set, SynthesisPlan.read(f));
      }
    }
    if (plans.isEmpty()) {
      throw new IOException(dir + " has no plans: run the synthesis stage first");
    }
    return plans;
  }

  void synthesisStage() throws IOException {
    Map<String, List<Utterance>> plans = makePlans();
    Path planDir = Files.createDirectories(o.out.resolve("plan"));
    for (Map.Entry<String, List<Utterance>> e : plans.entrySet()) {
      SynthesisPlan.write(planDir.resolve(e.getKey() + ".tsv"), e.getValue());
    }
    List<Voice> all = new ArrayList<>(Voice.training());
    all.addAll(Voice.evaluation());
    Path tmp = Files.createDirectories(o.out.resolve("tmp"));
    List<Task> tasks = new ArrayList<>();
    int utts = 0;
    for (Map.Entry<String, List<Utterance>> e : plans.entrySet()) {
      Path dir = Files.createDirectories(o.out.resolve("clean").resolve(e.getKey()));
      Map<Voice, List<Utterance>> festival = new LinkedHashMap<>();
      for (Utterance u : e.getValue()) {
        Path clean = dir.resolve(u.uttId() + ".wav");
        Path fin = o.out.resolve("wav").resolve(e.getKey()).resolve(u.uttId() + ".wav");
        if (Files.isRegularFile(clean) || Files.isRegularFile(fin)) {
          continue;
        }
        Voice v = Voice.byId(all, u.voiceId());
        utts++;
        if (v.engine() == Voice.Engine.FESTIVAL) {
          festival.computeIfAbsent(v, k -> new ArrayList<>()).add(u);
        } else {
          tasks.add(new Task(u.uttId(), 1, () -> Synthesizer.synthesize(v, u, tmp, clean)));
        }
      }
      // festival loads its voice slowly: one process per batch of utterances
      for (Map.Entry<Voice, List<Utterance>> f : festival.entrySet()) {
        List<Utterance> us = f.getValue();
        for (int i = 0; i < us.size(); i += FESTIVAL_BATCH) {
          List<Utterance> batch = us.subList(i, Math.min(us.size(), i + FESTIVAL_BATCH));
          List<Path> cleans = batch.stream().map(u -> dir.resolve(u.uttId() + ".wav")).toList();
          tasks.add(new Task(batch.get(0).uttId() + " (festival batch)", batch.size(), () -> {
            failures.addAll(Synthesizer.synthesizeFestival(f.getKey(), batch, tmp, cleans));
          }));
        }
      }
    }
    runParallel("synthesis", tasks, utts, "synthesis_failed.txt");
  }

  void augmentationStage() throws IOException {
    Map<String, List<Utterance>> plans = readPlans();
    Path tmp = Files.createDirectories(o.out.resolve("tmp"));
    List<Task> tasks = new ArrayList<>();
    for (Map.Entry<String, List<Utterance>> e : plans.entrySet()) {
      Path cleanDir = o.out.resolve("clean").resolve(e.getKey());
      Path dir = Files.createDirectories(o.out.resolve("wav").resolve(e.getKey()));
      for (Utterance u : e.getValue()) {
        Path clean = cleanDir.resolve(u.uttId() + ".wav");
        Path out = dir.resolve(u.uttId() + ".wav");
        if (Files.isRegularFile(out)) {
          continue;
        }
        if (!Files.isRegularFile(clean)) {
          continue; // synthesis failed; counted there
        }
        tasks.add(new Task(u.uttId(), 1, () -> {
          Synthesizer.augment(u, clean, tmp, out);
          if (!o.keepClean) {
            Files.deleteIfExists(clean);
          }
        }));
      }
    }
    runParallel("augmentation", tasks, tasks.size(), "augmentation_failed.txt");
  }

  @FunctionalInterface
  interface Work {
    void run() throws IOException;
  }

  /** A unit of parallel work: {@code size} utterances, named by {@code label} when it fails. */
  record Task(String label, int size, Work work) {}

  static final int FESTIVAL_BATCH = 20;

  private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

  private void runParallel(String what, List<Task> tasks, int utts, String failFile) throws IOException {
    log(what + ": " + utts + " utterances on " + o.jobs + " threads");
    failures.clear();
    // the largest tasks first, so that a festival batch does not finish last
    List<Task> order = new ArrayList<>(tasks);
    order.sort(java.util.Comparator.comparingInt(Task::size).reversed());
    ExecutorService pool = Executors.newFixedThreadPool(o.jobs);
    AtomicInteger done = new AtomicInteger();
    AtomicInteger reported = new AtomicInteger();
    int step = Math.max(1, utts / 10);
    List<Future<?>> fs = new ArrayList<>();
    for (Task t : order) {
      fs.add(pool.submit(() -> {
        try {
          t.work().run();
        } catch (IOException | RuntimeException e) {
          failures.add(t.label() + " " + e.getMessage());
        }
        int d = done.addAndGet(t.size());
        int r = reported.get();
        if ((d / step > r / step || d == utts) && reported.compareAndSet(r, d)) {
          log(String.format("%s: %d/%d", what, d, utts));
        }
      }));
    }
    pool.shutdown();
    for (Future<?> f : fs) {
      try {
        f.get();
      } catch (Exception e) {
        throw new IOException(e);
      }
    }
    List<String> sorted = new ArrayList<>(failures);
    java.util.Collections.sort(sorted);
    Path ff = o.out.resolve(failFile);
    if (sorted.isEmpty()) {
      Files.deleteIfExists(ff);
    } else {
      Files.write(ff, sorted, StandardCharsets.UTF_8);
      log("warning: " + sorted.size() + " utterances failed in " + what + " (see " + ff + "), first: " + sorted.get(0));
    }
  }

  // ---------------------------------------------------------------- data dirs

  void dataDirStage() throws IOException {
    PhoneTranscriber tr = new PhoneTranscriber(lexicon());
    for (Map.Entry<String, List<Utterance>> e : readPlans().entrySet()) {
      List<KaldiDataWriter.Entry> entries = new ArrayList<>();
      Path wavDir = o.out.resolve("wav").resolve(e.getKey());
      for (Utterance u : e.getValue()) {
        Path wav = wavDir.resolve(u.uttId() + ".wav");
        if (!Files.isRegularFile(wav)) {
          continue;
        }
        Optional<List<String>> phones = tr.phones(u.text());
        if (phones.isEmpty()) {
          throw new IOException(u.uttId() + ": out-of-lexicon words " + tr.oov(u.text()));
        }
        double secs = AudioFiles.info(wav).durationSeconds();
        entries.add(new KaldiDataWriter.Entry(u.uttId(), u.speaker(), wav, u.text(), phones.get(),
            tr.ids(phones.get()), secs, u.voiceId(), u.describe()));
      }
      KaldiDataWriter.write(o.out.resolve("data").resolve(e.getKey()), entries);
      log("data/" + e.getKey() + ": " + entries.size() + " utterances");
    }
  }

  // ---------------------------------------------------------------- report

  private Map<String, Double> readTiming() throws IOException {
    Map<String, Double> t = new LinkedHashMap<>();
    Path f = o.out.resolve("timing.txt");
    if (Files.isRegularFile(f)) {
      for (String line : Files.readAllLines(f)) {
        String[] p = line.strip().split("\\s+");
        if (p.length == 2 && STAGES.contains(p[0])) {
          t.put(p[0], Double.parseDouble(p[1]));
        }
      }
    }
    return t;
  }

  private void writeTiming(Map<String, Double> t) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String s : STAGES) {
      if (t.containsKey(s)) {
        sb.append(s).append(' ').append(String.format(Locale.ROOT, "%.1f", t.get(s))).append('\n');
      }
    }
    Files.writeString(o.out.resolve("timing.txt"), sb);
  }

  void reportStage(Map<String, Double> timing) throws IOException {
    Report r = new Report();
    r.title("en-synth corpus report");
    r.line("seed %d, %s setting, output %s", o.seed, o.small ? "--small" : "full", o.out.toAbsolutePath().normalize());
    r.line("");
    r.title("Text (sentences after normalisation, filtering, de-duplication)");
    List<String> stats = Files.readAllLines(o.out.resolve("text").resolve("stats.txt"));
    r.table(List.of("source", "units", "excluded", "candidates", "not prose", "bad length", "duplicates",
        "OOV dropped", "train", "dev", "test"), stats.stream().filter(l -> !l.startsWith("#"))
        .map(l -> Arrays.asList(l.split(" "))).toList(), true);
    r.line("excluded: fortunes by or quoting Jane Austen; wamerican words without a pronunciation.");
    r.line("OOV dropped: sentences with a word missing from CMUdict (%s).", o.cmudict);
    List<String> oov = Files.readAllLines(o.out.resolve("text").resolve("oov_words.txt"));
    r.line("most frequent OOV words: %s", String.join(", ", oov.stream().limit(15).map(l -> l.replace(' ', ':')).toList()));
    Path vocab = o.out.resolve("lang").resolve("vocab.txt");
    if (Files.isRegularFile(vocab)) {
      try (Stream<String> s = Files.lines(vocab)) {
        r.line("train vocabulary: %d words", s.count());
      }
    }
    r.line("");
    Map<String, List<String[]>> sets = new LinkedHashMap<>();
    Path data = o.out.resolve("data");
    for (String set : List.of("train", "dev", "test", EVAL_SET)) {
      Path info = data.resolve(set).resolve("utt2info");
      Path dur = data.resolve(set).resolve("utt2dur");
      if (!Files.isRegularFile(info)) {
        continue;
      }
      Map<String, Double> d = new LinkedHashMap<>();
      for (String l : Files.readAllLines(dur)) {
        String[] p = l.split(" ");
        d.put(p[0], Double.parseDouble(p[1]));
      }
      List<String[]> rows = new ArrayList<>();
      for (String l : Files.readAllLines(info)) {
        String[] p = l.split(" ", 3);
        rows.add(new String[] {p[0], p[1], Double.toString(d.getOrDefault(p[0], 0.0)), p.length > 2 ? p[2] : ""});
      }
      sets.put(set, rows);
    }
    r.title("Speech (utterances and hours per data set)");
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<String, List<String[]>> e : sets.entrySet()) {
      double h = e.getValue().stream().mapToDouble(x -> Double.parseDouble(x[2])).sum() / 3600;
      long spk = e.getValue().stream().map(x -> x[0].substring(0, x[0].lastIndexOf('-', x[0].lastIndexOf('-') - 1)))
          .distinct().count();
      long noisy = e.getValue().stream().filter(x -> x[3].contains("dB")).count();
      long tel = e.getValue().stream().filter(x -> x[3].contains("telephone")).count();
      long rev = e.getValue().stream().filter(x -> x[3].contains("reverb")).count();
      long spd = e.getValue().stream().filter(x -> x[3].contains("speed")).count();
      rows.add(List.of(e.getKey(), Integer.toString(e.getValue().size()), fmt2(h), Long.toString(spk),
          Long.toString(noisy), Long.toString(rev), Long.toString(spd), Long.toString(tel)));
    }
    r.table(List.of("set", "utterances", "hours", "speakers", "noise", "reverb", "speed", "telephone"), rows, true);
    for (String f : List.of("synthesis_failed.txt", "augmentation_failed.txt")) {
      Path p = o.out.resolve(f);
      if (Files.isRegularFile(p)) {
        r.line("%s: %d utterances failed (%s)", f.substring(0, f.indexOf('_')), Files.readAllLines(p).size(), p);
      }
    }
    r.line("");
    r.title("Speech per voice (utterances / hours; espeak-ng variants m1-m7, f1-f5 counted under their voice)");
    List<Voice> known = new ArrayList<>(Voice.training());
    known.addAll(Voice.evaluation());
    Map<String, Map<String, double[]>> perVoice = new TreeMap<>();
    for (Map.Entry<String, List<String[]>> e : sets.entrySet()) {
      for (String[] x : e.getValue()) {
        String group = x[1];
        for (Voice kv : known) {
          if (kv.id().equals(x[1]) && !kv.variant().isEmpty()) {
            group = kv.engine().prefix() + "-" + kv.name();
          }
        }
        double[] v = perVoice.computeIfAbsent(group, k -> new TreeMap<>()).computeIfAbsent(e.getKey(), k -> new double[2]);
        v[0]++;
        v[1] += Double.parseDouble(x[2]) / 3600;
      }
    }
    List<String> header = new ArrayList<>(List.of("voice"));
    header.addAll(sets.keySet());
    header.add("total h");
    List<List<String>> vrows = new ArrayList<>();
    for (Map.Entry<String, Map<String, double[]>> e : perVoice.entrySet()) {
      List<String> row = new ArrayList<>(List.of(e.getKey()));
      double total = 0;
      for (String set : sets.keySet()) {
        double[] v = e.getValue().get(set);
        row.add(v == null ? "-" : String.format(Locale.ROOT, "%d / %.3f", (long) v[0], v[1]));
        total += v == null ? 0 : v[1];
      }
      row.add(String.format(Locale.ROOT, "%.3f", total));
      vrows.add(row);
    }
    r.table(header, vrows, false);
    r.line("");
    r.title("Wall time (seconds, %d threads)", o.jobs);
    List<List<String>> trows = new ArrayList<>();
    double total = 0;
    for (String s : STAGES) {
      if (timing.containsKey(s)) {
        trows.add(List.of(s, String.format(Locale.ROOT, "%.1f", timing.get(s))));
        total += timing.get(s);
      }
    }
    trows.add(List.of("total", String.format(Locale.ROOT, "%.1f", total)));
    r.table(List.of("stage", "seconds"), trows, false);
    Files.writeString(o.out.resolve("report.txt"), r.toString(), StandardCharsets.UTF_8);
    System.out.print(r);
  }

  private static String fmt2(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  /** Plain-text report with aligned tables. */
  static final class Report {
    private final StringBuilder sb = new StringBuilder();

    void title(String fmt, Object... args) {
      String t = String.format(Locale.ROOT, fmt, args);
      sb.append(t).append('\n').append("-".repeat(t.length())).append('\n');
    }

    void line(String fmt, Object... args) {
      sb.append(String.format(Locale.ROOT, fmt, args)).append('\n');
    }

    void table(List<String> header, List<List<String>> rows, boolean totals) {
      List<List<String>> all = new ArrayList<>();
      all.add(header);
      all.addAll(rows);
      if (totals && !rows.isEmpty()) {
        List<String> t = new ArrayList<>(List.of("total"));
        for (int c = 1; c < header.size(); c++) {
          double sum = 0;
          boolean numeric = true;
          boolean integral = true;
          for (List<String> r : rows) {
            try {
              sum += Double.parseDouble(r.get(c));
              integral &= !r.get(c).contains(".");
            } catch (NumberFormatException e) {
              numeric = false;
            }
          }
          t.add(!numeric ? "" : integral ? Long.toString((long) sum) : String.format(Locale.ROOT, "%.3f", sum));
        }
        all.add(t);
      }
      int[] w = new int[header.size()];
      for (List<String> r : all) {
        for (int c = 0; c < r.size(); c++) {
          w[c] = Math.max(w[c], r.get(c).length());
        }
      }
      for (List<String> r : all) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < r.size(); c++) {
          String cell = r.get(c);
          line.append(c == 0 ? String.format("%-" + w[c] + "s", cell) : String.format("  %" + w[c] + "s", cell));
        }
        sb.append(line.toString().stripTrailing()).append('\n');
      }
    }

    @Override
    public String toString() {
      return sb.toString();
    }
  }
}
