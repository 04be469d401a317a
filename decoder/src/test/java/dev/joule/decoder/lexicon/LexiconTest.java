package dev.joule.decoder.lexicon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CMUdict parsing, stress stripping, restriction to a vocabulary and disambiguation symbols. */
class LexiconTest {
  @TempDir Path dir;

  private Path dict(String text) throws IOException {
    Path p = dir.resolve("test.dict");
    Files.writeString(p, text);
    return p;
  }

  @Test
  void readsAlternatesAndStripsStress() throws IOException {
    Path p = dict(";;; comment line\nREAD R IY1 D\nread(2) R EH1 D  # past tense\nred R EH1 D\n\nread(3) R IY1 D\n");
    Lexicon lex = Lexicon.readCmudict(p, false);
    assertEquals(List.of(List.of("R", "IY", "D"), List.of("R", "EH", "D")), lex.pronunciations("read"));
    assertEquals(Set.of("read", "red"), lex.words());
    assertEquals(3, lex.size());
    Lexicon stressed = Lexicon.readCmudict(p, true);
    assertEquals(List.of("R", "IY1", "D"), stressed.pronunciations("read").get(0));
    assertEquals(Set.of("D", "EH1", "IY1", "R"), stressed.phones());
    assertEquals(List.of("blue"), lex.missing(List.of("red", "blue")));
    assertEquals(Set.of("red"), lex.restrictTo(List.of("red", "blue")).words());
  }

  @Test
  void malformedEntriesNameFileAndLine() throws IOException {
    assertBad("a AH\nb\n", ":2: word 'b' has no pronunciation");
    assertBad("a(x) AH\n", ":1: bad alternate-pronunciation marker");
    assertBad("a AH 1\n", ":1: bad phone '1'");
    LexiconException e = assertThrows(LexiconException.class, () -> Lexicon.readCmudict(dir.resolve("no.dict"), false));
    assertTrue(e.getMessage().contains("no.dict"), e.getMessage());
  }

  private void assertBad(String text, String message) throws IOException {
    Path p = dict(text);
    LexiconException e = assertThrows(LexiconException.class, () -> Lexicon.readCmudict(p, false));
    assertTrue(e.getMessage().contains(p + message), e.getMessage());
  }

  @Test
  void disambiguationFollowsKaldi() {
    // two/too/to are homophones (#1, #2, #3); "a" pronounced AE is a prefix of "at" (#1);
    // "at" and "cat" need nothing.
    Lexicon lex = Lexicon.of(Map.of(
        "two", List.of(List.of("T", "UW")),
        "too", List.of(List.of("T", "UW")),
        "to", List.of(List.of("T", "UW")),
        "a", List.of(List.of("AH"), List.of("AE")),
        "at", List.of(List.of("AE", "T")),
        "cat", List.of(List.of("K", "AE", "T"))));
    Disambiguation d = Disambiguation.assign(lex);
    assertEquals(3, d.maxSymbol());
    List<Integer> homophones = d.entries().stream().filter(e -> e.phones().equals(List.of("T", "UW")))
        .map(Disambiguation.Entry::symbol).sorted().toList();
    assertEquals(List.of(1, 2, 3), homophones);
    for (Disambiguation.Entry e : d.entries()) {
      if (e.phones().equals(List.of("AE"))) {
        assertEquals(1, e.symbol());
      } else if (!e.phones().equals(List.of("T", "UW"))) {
        assertEquals(0, e.symbol(), e.toString());
      }
    }
  }

  @Test
  void readsDebianCmudictWhenInstalled() throws IOException {
    Path p = Path.of("/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict");
    assumeTrue(Files.isRegularFile(p), "pocketsphinx-en-us not installed");
    Lexicon lex = Lexicon.readCmudict(p, false);
    assertTrue(lex.words().size() > 100_000, "words: " + lex.words().size());
    assertEquals(List.of(List.of("AH"), List.of("EY")), lex.pronunciations("a"));
    assertEquals(39, lex.phones().size(), lex.phones().toString());
  }
}
