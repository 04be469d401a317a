package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.model.ModelLayout;
import dev.joule.engine.recognizer.ToneModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TRF workflow of the README through the script, with tiny settings: n-best lists from {@code
 * transcribe -f nbest}, {@code lm trf-train}, {@code lm trf-ppl}, weights tuned by {@code lm rescore
 * --tune}, {@code lm trf-attach}, and {@code transcribe --rescore}, whose words must be what {@code
 * lm rescore} picks from the same lists.
 */
class TrfIT {
  @TempDir Path dir;

  @Test
  void trainTuneAttachAndRescore() throws Exception {
    Path model = CliFixture.model(dir);
    Path lm = model.resolve(ModelLayout.LM);
    Path audio = Files.createDirectories(dir.resolve("audio"));
    ToneModel.wav(audio.resolve("u1.wav"), "yes", "no", "maybe", "no");
    ToneModel.wav(audio.resolve("u2.wav"), "maybe", "yes");
    Launcher joule = new Launcher(dir);

    joule.run("transcribe", "-m", model.toString(), "--device", "cpu", "-f", "nbest", "-q", "-o",
        dir.resolve("decoded").toString(), audio.toString()).ok();
    Path nbest = dir.resolve("decoded").resolve("nbest");
    List<String> lines = Files.readAllLines(nbest);
    assertTrue(lines.size() > 2 && lines.get(0).matches("u1 [0-9.]+ yes no maybe no")
        && lines.get(lines.size() - 1).startsWith("u2 "), lines.toString());

    Path text = Files.writeString(dir.resolve("train.txt"),
        "yes no maybe no\nno maybe\nyes yes no\nmaybe no yes\nno\nyes maybe\n".repeat(5));
    Path trf = dir.resolve("trf");
    Launcher.Result trained = joule.run("lm", "trf-train", "--lm", lm.toString(), "-o", trf.toString(),
        "--max-length", "8", "--embed", "4", "--hidden", "4", "--steps", "4", "--batch", "4", "--mass-draws", "500",
        "--log-every", "2", text.toString()).ok();
    assertTrue(trained.err().contains("step 4: NCE loss"), trained.err());

    String ppl = joule.run("lm", "trf-ppl", "--model", trf.toString(), "--lm", lm.toString(), text.toString()).ok().out();
    assertTrue(ppl.matches("(?s).*TRF logprob -[0-9.]+, ppl [0-9.]+.*") && ppl.contains("n-gram ppl "), ppl);

    // Without tuned weights the recognizer would not know how to use the TRF: refused.
    joule.run("lm", "trf-attach", "-m", model.toString(), "--trf", trf.toString())
        .failsWith(ExitCodes.MODEL, "no rescoring weights");
    Path refs = Files.writeString(dir.resolve("text"), "u1 yes no maybe no\nu2 maybe yes\n");
    joule.run("lm", "rescore", "--model", trf.toString(), "--lm", lm.toString(), "--tune", refs.toString(),
        nbest.toString()).ok();
    joule.run("lm", "trf-attach", "-m", model.toString(), "--trf", trf.toString()).ok();
    String info = joule.run("info", model.toString()).ok().out();
    assertTrue(info.contains("TRF language model: yes (trf/"), info);

    String chosen = joule.run("lm", "rescore", "--model", trf.toString(), "--lm", lm.toString(), nbest.toString())
        .ok().out();
    assertEquals(2, chosen.lines().count(), chosen);
    joule.run("transcribe", "-m", model.toString(), "--device", "cpu", "--rescore", "-f", "kaldi", "-q", "-o",
        dir.resolve("rescored").toString(), audio.toString()).ok();
    assertEquals(chosen.strip(), Files.readString(dir.resolve("rescored").resolve("text")).strip());
  }
}
