package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.model.ModelLayout;
import dev.joule.engine.recognizer.ToneModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole TRF workflow on the command line, on the tone model: n-best lists from {@code
 * transcribe -f nbest}, {@code lm trf-train}, weights tuned by {@code lm rescore --tune}, {@code lm
 * trf-attach}, {@code info}, and {@code transcribe --rescore}, whose words must be what {@code lm
 * rescore} picks from the same n-best list.
 */
class TrfRescoringCommandTest {
  @TempDir Path dir;

  @Test
  void transcribeRescoreChoosesWhatLmRescoreChooses() throws IOException {
    Path model = CliFixture.model(dir);
    Path audio = Files.createDirectories(dir.resolve("audio"));
    ToneModel.wav(audio.resolve("u1.wav"), "yes", "no", "maybe", "no");
    ToneModel.wav(audio.resolve("u2.wav"), "maybe", "yes");
    CliFixture decode = new CliFixture();
    assertEquals(ExitCodes.OK, decode.run("transcribe", "-m", model.toString(), "--device", "cpu", "-f", "nbest",
        "-q", "-o", dir.resolve("decoded").toString(), audio.toString()), decode.err.toString());
    Path nbest = dir.resolve("decoded").resolve("nbest");
    List<String> lines = Files.readAllLines(nbest);
    assertTrue(lines.size() > 2 && lines.get(0).matches("u1 [0-9.]+ yes no maybe no")
        && lines.get(lines.size() - 1).startsWith("u2 "), lines.toString());

    Path text = dir.resolve("train.txt");
    Files.writeString(text, "yes no maybe no\nno maybe\nyes yes no\nmaybe no yes\nno\nyes maybe\n".repeat(5));
    Path trf = dir.resolve("trf");
    CliFixture train = new CliFixture();
    assertEquals(ExitCodes.OK, train.run("lm", "trf-train", "--lm", model.resolve(ModelLayout.LM).toString(),
        "-o", trf.toString(), "--max-length", "8", "--embed", "4", "--hidden", "4", "--steps", "4", "--batch", "4",
        "--mass-draws", "500", "--log-every", "2", text.toString()), train.err.toString());
    Path refs = dir.resolve("text");
    Files.writeString(refs, "u1 yes no maybe no\nu2 maybe yes\n");

    // A TRF without tuned weights cannot go in: the recognizer would not know how to use it.
    CliFixture early = new CliFixture();
    assertEquals(ExitCodes.MODEL, early.run("lm", "trf-attach", "-m", model.toString(), "--trf", trf.toString()));
    assertTrue(early.err.toString().contains("no rescoring weights"), early.err.toString());

    CliFixture tune = new CliFixture();
    assertEquals(ExitCodes.OK, tune.run("lm", "rescore", "--model", trf.toString(), "--lm",
        model.resolve(ModelLayout.LM).toString(), "--tune", refs.toString(), nbest.toString()), tune.err.toString());
    CliFixture attach = new CliFixture();
    assertEquals(ExitCodes.OK, attach.run("lm", "trf-attach", "-m", model.toString(), "--trf", trf.toString()),
        attach.err.toString());
    // The trained TRF carries its optimiser state for resuming; the speech model gets only what
    // rescoring reads.
    assertTrue(Files.exists(trf.resolve("train-optimizer.jparams")));
    try (var files = Files.list(model.resolve("trf"))) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("train")), "no training state in the model");
    }

    CliFixture info = new CliFixture();
    assertEquals(ExitCodes.OK, info.run("info", model.toString()), info.err.toString());
    assertTrue(info.out.toString().contains("TRF language model: yes (trf/"), info.out.toString());
    assertTrue(info.out.toString().contains("trf/trf.jparams"), info.out.toString());

    CliFixture chosen = new CliFixture();
    assertEquals(ExitCodes.OK, chosen.run("lm", "rescore", "--model", trf.toString(), "--lm",
        model.resolve(ModelLayout.LM).toString(), nbest.toString()), chosen.err.toString());
    CliFixture rescored = new CliFixture();
    assertEquals(ExitCodes.OK, rescored.run("transcribe", "-m", model.toString(), "--device", "cpu", "--rescore",
        "-f", "kaldi", "-q", "-o", dir.resolve("rescored").toString(), audio.toString()), rescored.err.toString());
    assertEquals(chosen.out.toString().strip(), Files.readString(dir.resolve("rescored").resolve("text")).strip());

    // Without either flag a model with a TRF is rescored; --no-rescore gives the decoder's 1-best.
    CliFixture byDefault = new CliFixture();
    assertEquals(ExitCodes.OK, byDefault.run("transcribe", "-m", model.toString(), "--device", "cpu",
        "-f", "kaldi", "-q", "-o", dir.resolve("default").toString(), audio.toString()), byDefault.err.toString());
    assertEquals(chosen.out.toString().strip(), Files.readString(dir.resolve("default").resolve("text")).strip());
    CliFixture off = new CliFixture();
    assertEquals(ExitCodes.OK, off.run("transcribe", "-m", model.toString(), "--device", "cpu", "--no-rescore",
        "-f", "kaldi", "-q", "-o", dir.resolve("off").toString(), audio.toString()), off.err.toString());
    Map<String, String> firstEntries = new LinkedHashMap<>(); // "id cost words", best first
    for (String line : lines) {
      String[] f = line.split(" ", 3);
      firstEntries.putIfAbsent(f[0], f[0] + " " + f[2]);
    }
    assertEquals(List.copyOf(firstEntries.values()), Files.readAllLines(dir.resolve("off").resolve("text")));
  }

  @Test
  void infoAndRescoreOnAModelWithoutATrf() throws IOException {
    Path model = CliFixture.model(dir);
    CliFixture info = new CliFixture();
    assertEquals(ExitCodes.OK, info.run("info", model.toString()));
    assertTrue(info.out.toString().contains("TRF language model: none"), info.out.toString());
    Path wav = ToneModel.wav(dir.resolve("u2.wav"), "yes");
    CliFixture refused = new CliFixture();
    assertEquals(ExitCodes.MODEL, refused.run("transcribe", "-m", model.toString(), "--device", "cpu", "--rescore",
        wav.toString()));
    assertTrue(refused.err.toString().contains("no TRF language model"), refused.err.toString());
  }
}
