package dev.joule.models.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.joule.frontend.data.DataDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KaldiDataWriterTest {
  @TempDir Path dir;

  private KaldiDataWriter.Entry entry(String spk, String sent, String text) {
    return new KaldiDataWriter.Entry(spk + "-" + sent, spk, dir.resolve(spk + "-" + sent + ".wav"), text,
        List.of("HH", "AY"), new int[] {16, 6}, 1.25, spk.substring(0, spk.lastIndexOf('-')), "rate=1.000 pitch=0");
  }

  @Test
  void writesSortedConsistentFilesThatTheFrontendLoads() throws IOException {
    Path data = dir.resolve("data");
    KaldiDataWriter.write(data, List.of(
        entry("flite-slt-p3", "bible-000002", "hi"),
        entry("espeak-en-gb-f1-p0", "wordnet-000009", "hi there"),
        entry("flite-slt-p3", "bible-000001", "hi")));
    assertEquals(List.of(
        "espeak-en-gb-f1-p0-wordnet-000009 espeak-en-gb-f1-p0",
        "flite-slt-p3-bible-000001 flite-slt-p3",
        "flite-slt-p3-bible-000002 flite-slt-p3"), Files.readAllLines(data.resolve("utt2spk")));
    assertEquals(List.of(
        "espeak-en-gb-f1-p0 espeak-en-gb-f1-p0-wordnet-000009",
        "flite-slt-p3 flite-slt-p3-bible-000001 flite-slt-p3-bible-000002"), Files.readAllLines(data.resolve("spk2utt")));
    assertEquals("espeak-en-gb-f1-p0-wordnet-000009 hi there", Files.readAllLines(data.resolve("text")).get(0));
    assertEquals("flite-slt-p3-bible-000001 HH AY", Files.readAllLines(data.resolve("text.phones")).get(1));
    assertEquals("flite-slt-p3-bible-000001 16 6", Files.readAllLines(data.resolve("text.phone_ids")).get(1));
    assertEquals("flite-slt-p3-bible-000001 1.250", Files.readAllLines(data.resolve("utt2dur")).get(1));
    assertEquals("flite-slt-p3-bible-000001 flite-slt rate=1.000 pitch=0", Files.readAllLines(data.resolve("utt2info")).get(1));
    DataDir d = DataDir.load(data, false);
    assertEquals(3, d.utterances().size());
    assertEquals("flite-slt-p3", d.utterances().get(1).speaker());
  }

  @Test
  void refusesDuplicateIdsAndUnprefixedUtterances() {
    assertThrows(IllegalArgumentException.class, () -> KaldiDataWriter.write(dir.resolve("a"),
        List.of(entry("s-p0", "x-1", "a"), entry("s-p0", "x-1", "b"))));
    assertThrows(IllegalArgumentException.class, () -> KaldiDataWriter.write(dir.resolve("b"),
        List.of(new KaldiDataWriter.Entry("u1", "spk", dir.resolve("u1.wav"), "a", List.of(), new int[0], 1, "v", ""))));
  }
}
