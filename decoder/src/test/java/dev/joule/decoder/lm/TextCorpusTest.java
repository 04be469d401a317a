package dev.joule.decoder.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextCorpusTest {
  @TempDir Path dir;

  @Test
  void sentencesSkipBlankLinesAndOptionalMarkers() throws IOException {
    Path f = dir.resolve("c.txt");
    Files.writeString(f, "a  b\tc\n\n   \n<s> d </s>\n<s> </s>\n");
    List<String> seen = new ArrayList<>();
    TextCorpus.forEachSentence(f, (words, line) -> seen.add(line + ":" + String.join(",", words)));
    assertEquals(List.of("1:a,b,c", "4:d", "5:"), seen);
  }

  @Test
  void windowsLineEndsAndAByteOrderMarkAreNotPartOfWords() throws IOException {
    Path f = dir.resolve("c.txt");
    Files.writeString(f, "\uFEFFa b\r\nc\r\n");
    List<String> seen = new ArrayList<>();
    TextCorpus.forEachSentence(f, (words, line) -> seen.add(String.join(",", words)));
    assertEquals(List.of("a,b", "c"), seen);
  }

  @Test
  void vocabularyLimitsMapTheRestToUnk() throws IOException {
    Path f = dir.resolve("c.txt");
    Files.writeString(f, "a a a b b c\nd a b\n");
    Vocabulary top2 = TextCorpus.vocabulary(List.of(f), 1, 2);
    assertEquals(List.of("<s>", "</s>", "<unk>", "a", "b"), top2.words());
    Vocabulary min2 = TextCorpus.vocabulary(List.of(f), 2, Integer.MAX_VALUE);
    assertEquals(top2.words(), min2.words());
    NgramCounts counts = TextCorpus.count(List.of(f), 2, top2);
    assertEquals(2, counts.count(1, counts.find(new int[] {Vocabulary.UNK})));
    assertEquals(1, counts.count(2, counts.find(new int[] {Vocabulary.BOS, Vocabulary.UNK})));
    // Ties are broken by first appearance, so the cut is reproducible.
    assertEquals(List.of("<s>", "</s>", "<unk>", "a", "b", "c"),
        TextCorpus.vocabulary(List.of(f), 1, 3).words());
  }

  @Test
  void markerInsideASentenceNamesFileAndLine() throws IOException {
    Path f = dir.resolve("c.txt");
    Files.writeString(f, "a\nb\nc <s> d\n");
    LmFormatException e = assertThrows(LmFormatException.class, () -> TextCorpus.count(List.of(f), 2,
        Vocabulary.of(List.of("a"))));
    assertEquals(3, e.line());
    assertEquals(f, e.file());
  }
}
