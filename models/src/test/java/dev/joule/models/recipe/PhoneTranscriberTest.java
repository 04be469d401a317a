package dev.joule.models.recipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.decoder.lexicon.Lexicon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhoneTranscriberTest {
  /** The 39 CMUdict phones without stress, as in shared/bench/den-phone4g/tokens.txt (ids 1..39). */
  static final List<String> ARPABET = List.of("AA", "AE", "AH", "AO", "AW", "AY", "B", "CH", "D", "DH", "EH", "ER",
      "EY", "F", "G", "HH", "IH", "IY", "JH", "K", "L", "M", "N", "NG", "OW", "OY", "P", "R", "S", "SH", "T", "TH",
      "UH", "UW", "V", "W", "Y", "Z", "ZH");

  @TempDir Path dir;

  private Lexicon cmudict() throws IOException {
    Path p = dir.resolve("test.dict");
    Files.writeString(p, "hello HH AH0 L OW1\nhello(2) HH EH0 L OW1\nworld W ER1 L D\nread R IY1 D\nread(2) R EH1 D\n");
    return Lexicon.readCmudict(p, false);
  }

  @Test
  void tokensFollowTheDenGraphConvention() throws IOException {
    PhoneTranscriber t = new PhoneTranscriber(cmudict(), ARPABET);
    assertEquals(40, t.tokens().size());
    assertEquals(0, t.tokens().get("<blk>"));
    for (int i = 0; i < ARPABET.size(); i++) {
      assertEquals(i + 1, t.tokens().get(ARPABET.get(i)));
    }
    Path f = dir.resolve("tokens.txt");
    t.writeTokens(f);
    List<String> lines = Files.readAllLines(f);
    assertEquals("<blk> 0", lines.get(0));
    assertEquals("AA 1", lines.get(1));
    assertEquals("ZH 39", lines.get(39));
  }

  @Test
  void transcribesWithFirstPronunciationStressStripped() throws IOException {
    PhoneTranscriber t = new PhoneTranscriber(cmudict(), ARPABET);
    List<String> p = t.phones("hello world").orElseThrow();
    assertEquals(List.of("HH", "AH", "L", "OW", "W", "ER", "L", "D"), p);
    assertArrayEquals(new int[] {16, 3, 21, 25, 36, 12, 21, 9}, t.ids(p));
    assertEquals(List.of("R", "IY", "D"), t.phones("read").orElseThrow());
  }

  @Test
  void outOfLexiconSentencesHaveNoTranscript() throws IOException {
    PhoneTranscriber t = new PhoneTranscriber(cmudict(), ARPABET);
    assertEquals(Optional.empty(), t.phones("hello zorblat world"));
    assertEquals(List.of("zorblat"), t.oov("hello zorblat world"));
    assertThrows(IllegalArgumentException.class, () -> t.ids(List.of("XX")));
  }

  @Test
  void phonesDefaultToTheLexiconsOwnAndMustCoverIt() throws IOException {
    PhoneTranscriber t = new PhoneTranscriber(cmudict());
    assertEquals(List.of("<blk>", "AH", "D", "EH", "ER", "HH", "IY", "L", "OW", "R", "W"), List.copyOf(t.tokens().keySet()));
    assertThrows(IllegalArgumentException.class, () -> new PhoneTranscriber(cmudict(), List.of("AH")));
  }

  @Test
  void lexiconFileListsEveryPronunciationOfTheWords() throws IOException {
    PhoneTranscriber t = new PhoneTranscriber(cmudict(), ARPABET);
    Path f = dir.resolve("lexicon.txt");
    t.writeLexicon(f, List.of("read", "hello", "nothere"));
    assertEquals(List.of("read R IY D", "read R EH D", "hello HH AH L OW", "hello HH EH L OW"), Files.readAllLines(f));
  }

  @Test
  void realCmudictGivesTheSharedTokenSet() throws IOException {
    Path dict = EnSynthRecipe.DEFAULT_CMUDICT;
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(dict), "pocketsphinx-en-us not installed");
    PhoneTranscriber t = new PhoneTranscriber(Lexicon.readCmudict(dict, false));
    assertEquals(ARPABET, t.tokens().keySet().stream().skip(1).toList());
    assertTrue(t.phones("one thousand nine hundred eighty four").isPresent());
    assertTrue(Map.of().isEmpty());
  }
}
