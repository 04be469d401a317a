package dev.joule.models.recipe;

import dev.joule.decoder.lexicon.Lexicon;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Phone transcripts through a lexicon (stress stripped): each word takes its first pronunciation
 * (CMUdict's primary one). Phone ids follow the token convention of the den graph and models:
 * {@code <blk>} is 0, then the phones sorted alphabetically from 1 (as in
 * {@code shared/bench/den-phone4g/tokens.txt}).
 */
public final class PhoneTranscriber {
  public static final String BLANK = "<blk>";

  private final Lexicon lexicon;
  private final Map<String, Integer> ids;

  /** Phone ids from all phones of {@code lexicon}. */
  public PhoneTranscriber(Lexicon lexicon) {
    this(lexicon, lexicon.phones());
  }

  /** Phone ids from {@code phones} (sorted here; every phone of the lexicon must be among them). */
  public PhoneTranscriber(Lexicon lexicon, Collection<String> phones) {
    this.lexicon = lexicon;
    this.ids = new LinkedHashMap<>();
    ids.put(BLANK, 0);
    for (String p : new TreeSet<>(phones)) {
      ids.put(p, ids.size());
    }
    for (String p : lexicon.phones()) {
      if (!ids.containsKey(p)) {
        throw new IllegalArgumentException("lexicon phone '" + p + "' is not in the token set");
      }
    }
  }

  /** Token → id, {@code <blk>} first. */
  public Map<String, Integer> tokens() {
    return java.util.Collections.unmodifiableMap(ids);
  }

  /** The phones of {@code sentence} (space-separated words), or empty when a word has no pronunciation. */
  public Optional<List<String>> phones(String sentence) {
    List<String> out = new ArrayList<>();
    for (String w : sentence.split(" ")) {
      if (w.isEmpty()) {
        continue;
      }
      List<List<String>> prons = lexicon.pronunciations(w);
      if (prons.isEmpty()) {
        return Optional.empty();
      }
      out.addAll(prons.get(0));
    }
    return Optional.of(out);
  }

  /** The words of {@code sentence} that have no pronunciation. */
  public List<String> oov(String sentence) {
    List<String> out = new ArrayList<>();
    for (String w : sentence.split(" ")) {
      if (!w.isEmpty() && !lexicon.contains(w)) {
        out.add(w);
      }
    }
    return out;
  }

  /** Phone names → ids. */
  public int[] ids(List<String> phones) {
    int[] out = new int[phones.size()];
    for (int i = 0; i < out.length; i++) {
      Integer id = ids.get(phones.get(i));
      if (id == null) {
        throw new IllegalArgumentException("unknown phone '" + phones.get(i) + "'");
      }
      out[i] = id;
    }
    return out;
  }

  /** Writes {@code tokens.txt}: {@code symbol id} per line. */
  public void writeTokens(Path file) throws IOException {
    StringBuilder sb = new StringBuilder();
    ids.forEach((p, i) -> sb.append(p).append(' ').append(i).append('\n'));
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  /**
   * Writes {@code lexicon.txt}: {@code word PH1 PH2 ...} per line for every pronunciation of each
   * word of {@code words} (in their order) that the lexicon has.
   */
  public void writeLexicon(Path file, Collection<String> words) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String w : words) {
      for (List<String> p : lexicon.pronunciations(w)) {
        sb.append(w).append(' ').append(String.join(" ", p)).append('\n');
      }
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }
}
