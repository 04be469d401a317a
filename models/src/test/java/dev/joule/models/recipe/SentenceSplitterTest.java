package dev.joule.models.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceSplitterTest {
  @Test
  void splitsAtSentenceEnds() {
    assertEquals(List.of("Mr. Smith went to Washington.", "He liked it!", "Did he?", "\"Yes,\" she said."),
        SentenceSplitter.sentences("Mr. Smith went to\nWashington.  He liked it! Did he? \"Yes,\" she said."));
  }

  @Test
  void keepsAbbreviationsInitialsAndNumbers() {
    assertEquals(List.of("J. R. R. Tolkien wrote it, e.g. The Hobbit.", "It costs $3.50 today."),
        SentenceSplitter.sentences("J. R. R. Tolkien wrote it, e.g. The Hobbit. It costs $3.50 today."));
    assertEquals(List.of("The end... of it.", "Next one."), SentenceSplitter.sentences("The end... of it. Next one."));
    assertEquals(List.of("lower case. follows"), SentenceSplitter.sentences("lower case. follows"));
  }

  @Test
  void longSentencesAreCutAtClauses() {
    String s = "And God said, Let there be light: and there was light.";
    assertEquals(List.of(s), SentenceSplitter.clauses(s, 20));
    assertEquals(List.of("And God said, Let there be light:", "and there was light."), SentenceSplitter.clauses(s, 7));
    List<String> parts = SentenceSplitter.clauses("one two, three four, five six, seven eight", 4);
    assertEquals(List.of("one two, three four,", "five six, seven eight"), parts);
    for (String p : SentenceSplitter.clauses("a b c d e f g h i j k l m n o p, q r s", 5)) {
      assertTrue(!p.isBlank());
    }
  }
}
