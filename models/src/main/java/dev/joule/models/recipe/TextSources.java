package dev.joule.models.recipe;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the raw text of the training-text sources that DESIGN.md allows, all from Debian packages:
 * {@code fortunes}, {@code bible-kjv-text} (through the {@code bible} reader of {@code bible-kjv}),
 * {@code wordnet-base} (glosses and examples) and {@code wamerican}. Each method returns written
 * text units (fortune entries, verses, glosses, words) before sentence splitting and normalisation.
 */
public final class TextSources {
  /** Default locations on Debian. */
  public static final Path FORTUNES_DIR = Path.of("/usr/share/games/fortunes");
  public static final Path WORDNET_DIR = Path.of("/usr/share/wordnet");
  public static final Path WORD_LIST = Path.of("/usr/share/dict/american-english");

  /** Fortune files that are pictures or not prose. */
  private static final Set<String> FORTUNE_SKIP = Set.of("art", "ascii-art");
  /** Jane Austen is never training text (DESIGN.md): entries by her or quoting her novels are dropped. */
  private static final Pattern AUSTEN = Pattern.compile(
      "(?i)\\baust[e]n\\b|pride and prejudice|sense and sensibility|mansfield park|northanger abbey");
  private static final Pattern ATTRIBUTION = Pattern.compile("^\\s*--\\s*\\S.*|^\\s+-\\s+[A-Z].*");
  /** A dictionary-style headword's part of speech: {@code Molecule, n.:} → {@code Molecule:}. */
  private static final Pattern PART_OF_SPEECH = Pattern.compile(
      "^([A-Za-z][A-Za-z' -]*),?\\s+(?:n|v|vt|vi|adj|adv|pp|prep|interj|conj|pron|n\\.\\s?pl)\\.\\s*:");
  private static final Pattern VERSE = Pattern.compile("^\\s+\\d+\\s+(.*\\S)\\s*$");
  private static final Pattern WORD = Pattern.compile("[A-Za-z]+");

  private TextSources() {}

  /** One fortune: its text and whether it was dropped as Jane Austen's. */
  public record Fortune(String text, boolean austen) {}

  /**
   * The fortune files of {@code dir} (regular files without an extension, not the {@code .dat}
   * indexes or {@code .u8} links; not the ASCII-art files), in name order.
   */
  public static List<Path> fortuneFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .filter(p -> !p.getFileName().toString().contains("."))
          .filter(p -> !FORTUNE_SKIP.contains(p.getFileName().toString()))
          .sorted()
          .toList();
    }
  }

  /**
   * The entries of a fortune file ({@code %} lines separate them), lines joined with spaces,
   * attribution lines ({@code -- Author}) and everything after them removed, overstrikes
   * ({@code x\bx}) undone, a dictionary headword's part of speech ({@code Molecule, n.:}) and riddle
   * markers ({@code Q:}, {@code A:}) dropped.
   */
  public static List<Fortune> fortunes(String fileText) {
    List<Fortune> out = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    StringBuilder whole = new StringBuilder();
    boolean inAttribution = false;
    for (String raw : (fileText + "\n%\n").split("\n", -1)) {
      String line = undoOverstrike(raw.replace("\r", ""));
      if (line.strip().equals("%")) {
        String t = text.toString().strip();
        if (!t.isEmpty()) {
          String joined = PART_OF_SPEECH.matcher(t.replaceAll("\\s+", " ")).replaceFirst("$1:")
              .replaceAll("(^|\\s)[QA]:\\s+", "$1");
          out.add(new Fortune(joined, AUSTEN.matcher(whole).find()));
        }
        text.setLength(0);
        whole.setLength(0);
        inAttribution = false;
        continue;
      }
      whole.append(line).append('\n');
      if (inAttribution || ATTRIBUTION.matcher(line).matches()) {
        inAttribution = true;
        continue;
      }
      text.append(line).append('\n');
    }
    return out;
  }

  /** Reads {@code file} as UTF-8, replacing malformed bytes. */
  public static String readLenient(Path file) throws IOException {
    CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try (Reader r = new InputStreamReader(Files.newInputStream(file), dec)) {
      StringBuilder sb = new StringBuilder();
      char[] buf = new char[1 << 14];
      int n;
      while ((n = r.read(buf)) > 0) {
        sb.append(buf, 0, n);
      }
      return sb.toString();
    }
  }

  static String undoOverstrike(String s) {
    if (s.indexOf('\b') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\b') {
        if (sb.length() > 0) {
          sb.setLength(sb.length() - 1);
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * The verses of the King James Bible as printed by {@code bible -l100000 Gen1:1-Rev22:21}
   * (chapter headings at the line start, verses indented after their number).
   */
  public static List<String> bibleVerses(Reader printed) throws IOException {
    List<String> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(printed)) {
      String line;
      while ((line = r.readLine()) != null) {
        Matcher m = VERSE.matcher(line);
        if (m.matches()) {
          out.add(m.group(1));
        }
      }
    }
    return out;
  }

  /**
   * Runs Debian's {@code bible} reader (package {@code bible-kjv}, text from {@code bible-kjv-text})
   * over the whole book and returns the verses.
   *
   * @throws IOException when the program is missing or fails
   */
  public static List<String> bibleVerses() throws IOException {
    ProcessBuilder pb = new ProcessBuilder("bible", "-l100000", "Gen1:1-Rev22:21")
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String text;
    try (InputStream in = p.getInputStream()) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("bible (package bible-kjv) failed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running bible", e);
    }
    return bibleVerses(new StringReader(text));
  }

  /** A WordNet gloss split into its definitions and its quoted examples. */
  public record Gloss(List<String> definitions, List<String> examples) {}

  /**
   * The gloss of one {@code data.*} line ({@code ... | definition; "example"; "example"}); null
   * for licence lines (which start with spaces) and lines without a gloss.
   */
  public static Gloss wordnetGloss(String dataLine) {
    if (dataLine.startsWith(" ")) {
      return null;
    }
    int bar = dataLine.indexOf(" | ");
    if (bar < 0) {
      return null;
    }
    String gloss = dataLine.substring(bar + 3).strip();
    List<String> defs = new ArrayList<>();
    List<String> examples = new ArrayList<>();
    int i = 0;
    int n = gloss.length();
    StringBuilder cur = new StringBuilder();
    boolean inQuote = false;
    while (i < n) {
      char c = gloss.charAt(i);
      if (c == '"') {
        if (inQuote) {
          addPart(examples, cur.toString());
          cur.setLength(0);
          // skip an attribution after the closing quote: "..." - Author
          int semi = gloss.indexOf(';', i);
          i = semi < 0 ? n : semi + 1;
          inQuote = false;
          continue;
        }
        addPart(defs, cur.toString());
        cur.setLength(0);
        inQuote = true;
      } else if (c == ';' && !inQuote) {
        addPart(defs, cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
      i++;
    }
    if (inQuote) {
      addPart(examples, cur.toString());
    } else {
      addPart(defs, cur.toString());
    }
    return new Gloss(defs, examples);
  }

  private static void addPart(List<String> out, String s) {
    String t = s.strip();
    if (!t.isEmpty()) {
      out.add(t);
    }
  }

  /** The glosses of WordNet's {@code data.noun}, {@code data.verb}, {@code data.adj}, {@code data.adv}. */
  public static List<Gloss> wordnetGlosses(Path dir) throws IOException {
    List<Gloss> out = new ArrayList<>();
    for (String pos : List.of("noun", "verb", "adj", "adv")) {
      Path f = dir.resolve("data." + pos);
      try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.ISO_8859_1)) {
        String line;
        while ((line = r.readLine()) != null) {
          Gloss g = wordnetGloss(line);
          if (g != null) {
            out.add(g);
          }
        }
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
    return out;
  }

  /**
   * The plain words of a word list (one per line): letters only (possessives and words with other
   * characters skipped), lower-cased, first occurrence kept.
   */
  public static List<String> words(List<String> lines) {
    Set<String> out = new LinkedHashSet<>();
    for (String line : lines) {
      String w = line.strip();
      if (WORD.matcher(w).matches()) {
        out.add(w.toLowerCase(Locale.ROOT));
      }
    }
    return new ArrayList<>(out);
  }

  /** {@link #words(List)} of a word-list file. */
  public static List<String> words(Path file) throws IOException {
    return words(Files.readAllLines(file, StandardCharsets.UTF_8));
  }
}
