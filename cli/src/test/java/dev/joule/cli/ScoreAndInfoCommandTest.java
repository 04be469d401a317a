package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.joule.engine.recognizer.ModelLocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code joule score} and {@code joule info} in process, with their errors. */
class ScoreAndInfoCommandTest {
  @TempDir Path dir;
  private final CliFixture cli = new CliFixture();

  @Test
  void scoresWithSpeakersFromUtt2SpkNextToTheReference() throws IOException {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path ref = Files.writeString(data.resolve("text"), "u1 the cat sat on the mat\nu2 hello world\nu3 x y z\n");
    Files.writeString(data.resolve("utt2spk"), "u1 ann\nu2 ann\nu3 bob\n");
    Path hyp = Files.writeString(dir.resolve("hyp"), "u1 the bat sat on mat\nu2 hello big world\nu3 x y z\n");
    assertEquals(ExitCodes.OK, cli.run("score", "--ref", ref.toString(), "--hyp", hyp.toString(), "-a"), cli.err.toString());
    String out = cli.out.toString();
    assertTrue(out.contains("REF:  hello *** world\nHYP:  hello BIG world\nEval:       I"), out);
    assertTrue(out.contains("| ann          |     2       8 |   75.0   12.5   12.5   12.5   37.5  100.0 |"), out);
    assertTrue(out.contains("| bob          |     1       3 |  100.0"), out);
    assertTrue(out.contains("WER: 27.27% (3 errors / 11 words"), out);

    CliFixture cer = new CliFixture();
    assertEquals(ExitCodes.OK, cer.run("score", "--ref", ref.toString(), "--hyp", hyp.toString(), "--cer"));
    assertTrue(cer.out.toString().contains("CER: "), cer.out.toString());
  }

  @Test
  void scoreErrors() throws IOException {
    Path ref = Files.writeString(dir.resolve("ref"), "u1 a\nu1 b\n");
    assertEquals(ExitCodes.INPUT, cli.run("score", "--ref", ref.toString(), "--hyp", ref.toString()));
    assertEquals("joule: " + ref + ":2: utterance 'u1' appears twice", cli.err.toString().strip());
    CliFixture c = new CliFixture();
    assertEquals(ExitCodes.USAGE, c.run("score", "--ref", ref.toString()));
    assertTrue(c.err.toString().startsWith("joule: Missing required option: '--hyp=FILE'"), c.err.toString());
  }

  @Test
  void infoShowsTheModel() throws IOException {
    Path model = CliFixture.model(dir);
    assertEquals(ExitCodes.OK, cli.run("info", model.toString()), cli.err.toString());
    String out = cli.out.toString();
    assertTrue(out.contains("(verified)"), out);
    assertTrue(out.contains("name: tones"), out);
    assertTrue(out.contains("acoustic model: linear, 23 inputs, 4 tokens, subsampling 1, 96 parameters"), out);
    assertTrue(out.contains("features: fbank --dither=0 --num-mel-bins=23, no CMVN"), out);
    assertTrue(out.contains("words: "), out);

    Files.writeString(model.resolve("am.conf"), "arch=linear\n");
    CliFixture c = new CliFixture();
    assertEquals(ExitCodes.MODEL, c.run("info", model.toString()));
    assertTrue(c.err.toString().startsWith("joule: ") && c.err.toString().contains("checksum mismatch"), c.err.toString());
  }

  /** Without a directory, info describes the model transcribe would use: the bundled one. */
  @Test
  void infoWithoutAModelDescribesTheBundledOne() {
    assumeTrue(ModelLocator.defaultDirectory().isEmpty(), "a default model directory is installed here");
    assertEquals(ExitCodes.OK, cli.run("info"), cli.err.toString());
    String out = cli.out.toString();
    assertTrue(out.startsWith("model: the bundled default model (in joule.jar) (verified)"), out);
    assertTrue(out.contains("acoustic model: tdnn, "), out);
    assertTrue(out.contains("features: fbank") && out.contains("global CMVN"), out);
    assertTrue(out.contains("words: 20,"), out);
  }
}
