package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.recognizer.ToneModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code joule score} on what {@code joule transcribe} wrote, with speakers from the utterance ids
 * and from {@code utt2spk}, and {@code joule info} on the model, all through the script.
 */
class ScoreAndInfoIT {
  @TempDir Path dir;

  @Test
  void scoreTheTranscriptsOfADirectory() throws Exception {
    Path model = CliFixture.model(dir);
    Path in = Files.createDirectories(dir.resolve("in"));
    Path data = Files.createDirectories(dir.resolve("data"));
    StringBuilder ref = new StringBuilder();
    String[] ids = {"ann-1", "ann-2", "bob-1"};
    String[][] said = {{"yes"}, {"no", "yes"}, {"maybe", "maybe", "no"}};
    for (int i = 0; i < said.length; i++) {
      ToneModel.wav(in.resolve(ids[i] + ".wav"), said[i]);
      ref.append(ids[i]).append(' ').append(String.join(" ", said[i])).append('\n');
    }
    // The reference has one word the recogniser cannot know: WER is 1 of 7 words, all ann's.
    Path text = Files.writeString(data.resolve("text"), ref.toString().replace("ann-2 no yes", "ann-2 no yes please"));
    Path out = dir.resolve("out");
    Launcher joule = new Launcher(dir);
    joule.run("transcribe", "-m", model.toString(), "--device", "cpu", "-f", "kaldi", "-q", "-o", out.toString(),
        in.toString()).ok();

    // Without utt2spk the speaker is the utterance id up to its first '-'.
    String byId = joule.run("score", "--ref", text.toString(), "--hyp", out.resolve("text").toString()).ok().out();
    assertTrue(byId.contains("WER: 14.29% (1 errors / 7 words; 0 substitutions, 1 deletions, 0 insertions)"), byId);
    assertTrue(byId.contains("| ann ") && byId.contains("| bob "), byId);

    // utt2spk next to the reference names the speakers instead.
    Files.writeString(data.resolve("utt2spk"), "ann-1 carol\nann-2 dave\nbob-1 dave\n");
    String byMap = joule.run("score", "--ref", text.toString(), "--hyp", out.resolve("text").toString(), "-a").ok().out();
    assertTrue(byMap.contains("| carol ") && byMap.contains("| dave "), byMap);
    assertFalse(byMap.contains("| ann "), byMap);
    assertTrue(byMap.contains("REF:  no yes PLEASE\nHYP:  no yes ******"), byMap);
    assertTrue(byMap.contains("WER: 14.29% (1 errors / 7 words"), byMap);

    String info = joule.run("info", model.toString()).ok().out();
    assertTrue(info.contains("(verified)") && info.contains("name: tones"), info);
    assertTrue(info.contains("acoustic model: linear, 23 inputs, 4 tokens"), info);
    assertTrue(info.contains("TRF language model: none"), info);
  }
}
