package dev.joule.models.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextSourcesTest {
  @TempDir Path dir;

  @Test
  void fortuneEntriesDropAttributionsAndFlagAusten() {
    String file = "Fortune one, line one\nline two.\n\t\t-- Some Author,\n\t\t   \"A Book\"\n%\n"
        + "A woman, especially if she have the misfortune of knowing anything,\nshould conceal it.\n"
        + "\t\t-- Jane Austen\n%\n%\nBold\b\b\b\bBold text here.\n";
    List<TextSources.Fortune> f = TextSources.fortunes(file);
    assertEquals(3, f.size());
    assertEquals("Fortune one, line one line two.", f.get(0).text());
    assertFalse(f.get(0).austen());
    assertTrue(f.get(1).austen());
    assertEquals("Bold text here.", f.get(2).text());
  }

  @Test
  void dictionaryHeadwordsLoseTheirPartOfSpeech() {
    List<TextSources.Fortune> f = TextSources.fortunes(
        "Molecule, n.:\n\tThe ultimate, indivisible unit of matter.\n%\nAbsent, adj.: Exposed to attack.\n%\nNo, n. here\n%\nQ: Why?\nA:  Because.\n");
    assertEquals("Molecule: The ultimate, indivisible unit of matter.", f.get(0).text());
    assertEquals("Absent: Exposed to attack.", f.get(1).text());
    assertEquals("No, n. here", f.get(2).text());
    assertEquals("Why? Because.", f.get(3).text());
  }

  @Test
  void fortuneFilesSkipIndexesLinksAndArt() throws IOException {
    Files.writeString(dir.resolve("people"), "x\n");
    Files.writeString(dir.resolve("people.dat"), "x");
    Files.createSymbolicLink(dir.resolve("people.u8"), dir.resolve("people"));
    Files.writeString(dir.resolve("art"), "x\n");
    assertEquals(List.of(dir.resolve("people")), TextSources.fortuneFiles(dir));
  }

  @Test
  void bibleVersesFromTheReadersOutput() throws IOException {
    String printed = "\nGenesis 1\n\n  1 In the beginning God created the heaven and the earth.\n"
        + "  2 And the earth was without form.\n\n1 Kings 3\n\n  100 A long chapter's verse.\n";
    assertEquals(List.of("In the beginning God created the heaven and the earth.",
        "And the earth was without form.", "A long chapter's verse."),
        TextSources.bibleVerses(new StringReader(printed)));
  }

  @Test
  void wordnetGlossesSplitDefinitionsAndExamples() {
    TextSources.Gloss g = TextSources.wordnetGloss(
        "00033599 29 v 01 look 0 004 @ 02604760 v 0000 | have a certain outward expression; \"How does she look?\"; "
            + "\"The child looks unhappy\"  ");
    assertEquals(List.of("have a certain outward expression"), g.definitions());
    assertEquals(List.of("How does she look?", "The child looks unhappy"), g.examples());
    TextSources.Gloss a = TextSources.wordnetGloss(
        "01 n | a thing; a second sense; \"a quote\" - Shakespeare; \"another\"");
    assertEquals(List.of("a thing", "a second sense"), a.definitions());
    assertEquals(List.of("a quote", "another"), a.examples());
    assertNull(TextSources.wordnetGloss("  1 This software and database is being provided"));
    assertNull(TextSources.wordnetGloss("00001 03 n 01 entity 0 000"));
  }

  @Test
  void wordListKeepsPlainWordsOnce() {
    assertEquals(List.of("apple", "zebra", "boston"),
        TextSources.words(List.of("apple", "apple's", "Zebra", "zebra", "Boston", "ångström", "x-ray", "")));
  }
}
