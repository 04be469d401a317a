package dev.joule.decoder.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scoring files, per speaker, the report, and the counts of sclite on the same files. */
class ScoringTest {
  @TempDir Path dir;

  @Test
  void scoresFilesPerUtteranceAndSpeaker() throws IOException {
    Path ref = Files.writeString(dir.resolve("ref"), "a-1 the cat sat on the mat\na-2 hello world\nb-3 x y z\n");
    Path hyp = Files.writeString(dir.resolve("hyp"), "a-1 the bat sat on mat\na-2 hello big world\nzz\n");
    Scoring.Result r = Scoring.score(TranscriptFiles.readText(ref), TranscriptFiles.readText(hyp), Map.of(),
        Scoring.Unit.WORDS);
    assertEquals(new ErrorCounts(6, 1, 4, 1, 3, 3), r.total());
    assertEquals(List.of("b-3"), r.missing());
    assertEquals(List.of("zz"), r.extra());
    assertEquals(new ErrorCounts(6, 1, 1, 1, 2, 2), r.bySpeaker().get("a"));
    StringBuilder out = new StringBuilder();
    ScoreReport.writeAlignments(r, out);
    assertTrue(out.toString().contains("REF:  the CAT sat on THE mat\nHYP:  the BAT sat on *** mat\nEval:     S          D"),
        out.toString());
    ScoreReport.writeSummary(r, out);
    assertTrue(out.toString().contains("WER: 54.55% (6 errors / 11 words"), out.toString());

    Path u2s = Files.writeString(dir.resolve("utt2spk"), "a-1 ann\na-2 bob\nb-3 bob\n");
    Scoring.Result bySpk = Scoring.score(TranscriptFiles.readText(ref), TranscriptFiles.readText(hyp),
        TranscriptFiles.readUtt2Spk(u2s), Scoring.Unit.WORDS);
    assertEquals(List.of("ann", "bob"), List.copyOf(bySpk.bySpeaker().keySet()));

    Scoring.Result cer = Scoring.score(Map.of("u", List.of("abc", "de")), Map.of("u", List.of("abd", "e")), Map.of(),
        Scoring.Unit.CHARACTERS);
    // "abcde" against "abde": one deleted character.
    assertEquals(new ErrorCounts(4, 0, 1, 0, 1, 1), cer.total());
  }

  @Test
  void badFilesNameTheFileAndLine() throws IOException {
    Path dup = Files.writeString(dir.resolve("text"), "u1 a\nu1 b\n");
    IOException e = assertThrows(ScoringInputException.class, () -> TranscriptFiles.readText(dup));
    assertEquals(dup + ":2: utterance 'u1' appears twice", e.getMessage());
    Path none = dir.resolve("none");
    e = assertThrows(ScoringInputException.class, () -> TranscriptFiles.readText(none));
    assertEquals(none + ": no such file", e.getMessage());
    Path u2s = Files.writeString(dir.resolve("utt2spk"), "u1 s1 extra\n");
    e = assertThrows(ScoringInputException.class, () -> TranscriptFiles.readUtt2Spk(u2s));
    assertTrue(e.getMessage().startsWith(u2s + ":1: expected 'utterance speaker'"), e.getMessage());
  }

  /** sclite from Debian sctk, when installed. */
  static Path sclite() {
    for (String p : new String[] {"/usr/lib/sctk/bin/sclite", "/usr/bin/sclite", "/usr/local/bin/sclite"}) {
      if (Files.isExecutable(Path.of(p))) {
        return Path.of(p);
      }
    }
    return null;
  }

  @Test
  void countsMatchScliteOnTheSameFiles() throws Exception {
    Path sclite = sclite();
    assumeTrue(sclite != null, "sclite not installed (Debian package sctk)");
    Random rnd = new Random(11);
    String[] vocabulary = {"a", "b", "c", "d", "the", "cat"};
    Map<String, List<String>> ref = new LinkedHashMap<>();
    Map<String, List<String>> hyp = new LinkedHashMap<>();
    StringBuilder refTrn = new StringBuilder();
    StringBuilder hypTrn = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      String id = "s" + (i % 4) + "-u" + i;
      List<String> r = new ArrayList<>();
      for (int k = rnd.nextInt(9) + 1; k > 0; k--) {
        r.add(vocabulary[rnd.nextInt(vocabulary.length)]);
      }
      List<String> h = new ArrayList<>();
      for (String w : r) { // a noisy copy: keep, drop, replace, or add
        int x = rnd.nextInt(10);
        if (x < 6) {
          h.add(w);
        } else if (x == 7) {
          h.add(vocabulary[rnd.nextInt(vocabulary.length)]);
        } else if (x == 8) {
          h.add(w);
          h.add(vocabulary[rnd.nextInt(vocabulary.length)]);
        }
      }
      ref.put(id, r);
      hyp.put(id, h);
      refTrn.append(String.join(" ", r)).append(" (").append(id).append(")\n");
      hypTrn.append(String.join(" ", h)).append(" (").append(id).append(")\n");
    }
    Path refFile = Files.writeString(dir.resolve("ref.trn"), refTrn);
    Path hypFile = Files.writeString(dir.resolve("hyp.trn"), hypTrn);
    Process p = new ProcessBuilder(sclite.toString(), "-r", refFile.toString(), "trn", "-h", hypFile.toString(), "trn",
        "-i", "rm", "-o", "pralign", "stdout").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    Map<String, ErrorCounts> theirs = new HashMap<>();
    Matcher m = Pattern.compile("id: \\((\\S+)\\)\\s*\\nScores: \\(#C #S #D #I\\) (\\d+) (\\d+) (\\d+) (\\d+)").matcher(out);
    while (m.find()) {
      int c = Integer.parseInt(m.group(2));
      int s = Integer.parseInt(m.group(3));
      int d = Integer.parseInt(m.group(4));
      int ins = Integer.parseInt(m.group(5));
      theirs.put(m.group(1), new ErrorCounts(c, s, d, ins, 1, s + d + ins > 0 ? 1 : 0));
    }
    assertEquals(ref.size(), theirs.size(), out);
    Scoring.Result ours = Scoring.score(ref, hyp, Map.of(), Scoring.Unit.WORDS);
    int agree = 0;
    for (Scoring.Utterance u : ours.utterances()) {
      assertEquals(theirs.get(u.id().toUpperCase()) != null ? theirs.get(u.id().toUpperCase()) : theirs.get(u.id()),
          u.alignment().counts(), u.id());
      agree++;
    }
    assertEquals(300, agree);
  }
}
