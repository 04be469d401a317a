package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.joule.engine.recognizer.ModelLocator;
import dev.joule.engine.recognizer.ToneModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code joule transcribe} on the tone model and real WAV files: formats, batches, resume, errors. */
class TranscribeCommandTest {
  @TempDir static Path shared;
  static Path model;
  @TempDir Path dir;
  private final CliFixture cli = new CliFixture();

  @BeforeAll
  static void buildModel() throws IOException {
    model = CliFixture.model(shared);
  }

  @Test
  void oneFileGoesToStandardOutput() throws IOException {
    Path wav = ToneModel.wav(dir.resolve("hello.wav"), "yes", "no");
    assertEquals(ExitCodes.OK, cli.run("transcribe", "-m", model.toString(), "--device", "cpu", wav.toString()),
        cli.err.toString());
    assertEquals("yes no\n", cli.out.toString());
  }

  @Test
  void everyFormat() throws IOException {
    Path wav = ToneModel.wav(dir.resolve("u7.wav"), "maybe", "yes");
    String[][] expect = {
      {"kaldi", "u7 maybe yes\n"},
      {"srt", "1\n00:00:00,"},
      {"vtt", "WEBVTT\n\n1\n00:00:00."},
      {"ctm", "u7 1 0.1"},
      {"json", "{\"id\":\"u7\",\"text\":\"maybe yes\",\"words\":[{\"word\":\"maybe\",\"start\":0.1"},
    };
    for (String[] e : expect) {
      CliFixture c = new CliFixture();
      Path out = dir.resolve("out." + e[0]);
      assertEquals(ExitCodes.OK, c.run("transcribe", "-m", model.toString(), "-f", e[0], "-o", out.toString(),
          wav.toString()), c.err.toString());
      assertTrue(Files.readString(out).startsWith(e[1]), e[0] + ": " + Files.readString(out));
    }
  }

  @Test
  void aDirectoryWithABadFileSkipsItAndResumes() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    ToneModel.wav(in.resolve("a.wav"), "yes");
    ToneModel.wav(in.resolve("b.wav"), "no", "maybe");
    Files.writeString(in.resolve("c.wav"), "this is not a wav file");
    ToneModel.wav(in.resolve("d.wav"), "maybe", "maybe");
    Files.writeString(in.resolve("notes.txt"), "not audio, not an input");
    Path out = dir.resolve("out");
    assertEquals(ExitCodes.INPUT, cli.run("transcribe", "-m", model.toString(), "-f", "kaldi", "-j", "2", "-o",
        out.toString(), in.toString()));
    String err = cli.err.toString();
    assertTrue(err.contains("joule: " + in.resolve("c.wav")) && err.contains("(skipped)"), err);
    assertTrue(err.contains("transcribed 3 of 4 inputs"), err);
    assertEquals(List.of("a yes", "b no maybe", "d maybe maybe"), Files.readAllLines(out.resolve("text")));
    assertFalse(Files.exists(out.resolve("c.kaldi.txt")));

    // Fix the bad file; --resume transcribes only it and keeps the finished ones as they are.
    ToneModel.wav(in.resolve("c.wav"), "yes", "yes");
    Files.writeString(out.resolve("a.kaldi.txt"), "a kept\n");
    CliFixture again = new CliFixture();
    assertEquals(ExitCodes.OK, again.run("transcribe", "-m", model.toString(), "-f", "kaldi", "--resume", "-q", "-o",
        out.toString(), in.toString()), again.err.toString());
    assertEquals(List.of("a kept", "b no maybe", "c yes yes", "d maybe maybe"), Files.readAllLines(out.resolve("text")));
  }

  @Test
  void aWavScpListsTheInputs() throws IOException {
    Path a = ToneModel.wav(dir.resolve("x.wav"), "no");
    Path b = ToneModel.wav(dir.resolve("y.wav"), "yes", "maybe");
    Path scp = Files.writeString(dir.resolve("wav.scp"), "utt1 " + a + "\nutt2 " + b + "\n");
    Path out = dir.resolve("subs");
    assertEquals(ExitCodes.OK, cli.run("transcribe", "-m", model.toString(), "--scp", scp.toString(), "-f", "vtt",
        "-q", "-o", out.toString()), cli.err.toString());
    assertTrue(Files.readString(out.resolve("utt2.vtt")).contains("\nyes maybe\n"), Files.readString(out.resolve("utt2.vtt")));
    assertTrue(Files.readString(out.resolve("utt1.vtt")).contains("\nno\n"));

    // Commands in wav.scp run only when allowed; a failing one is skipped like a bad file.
    Files.writeString(scp, "utt3 cat " + a + " |\nutt4 false |\n");
    Path piped = dir.resolve("piped");
    CliFixture refused = new CliFixture();
    assertEquals(ExitCodes.INPUT, refused.run("transcribe", "-m", model.toString(), "--scp", scp.toString(), "-o",
        piped.toString()));
    assertTrue(refused.err.toString().contains("commands in wav.scp are refused unless explicitly allowed"),
        refused.err.toString());
    CliFixture allowed = new CliFixture();
    assertEquals(ExitCodes.INPUT, allowed.run("transcribe", "-m", model.toString(), "--scp", scp.toString(),
        "--allow-commands", "-f", "kaldi", "-q", "-o", piped.toString()));
    assertEquals("utt3 no\n", Files.readString(piped.resolve("text")));
    assertTrue(allowed.err.toString().contains("joule: false: ") && allowed.err.toString().contains("(skipped)"),
        allowed.err.toString());
  }

  @Test
  void errorsAreOneLineWithTheRightExitCode() throws IOException {
    Path wav = ToneModel.wav(dir.resolve("e.wav"), "yes");
    CliFixture c = new CliFixture();
    assertEquals(ExitCodes.INPUT, c.run("transcribe", "-m", model.toString(), dir.resolve("none.wav").toString()));
    assertOneLine(c, "none.wav: no such file");

    c = new CliFixture();
    assertEquals(ExitCodes.MODEL, c.run("transcribe", "-m", dir.resolve("nomodel").toString(), wav.toString()));
    assertOneLine(c, "not a model directory");

    c = new CliFixture();
    assertEquals(ExitCodes.USAGE, c.run("transcribe", "-m", model.toString(), "-f", "docx", wav.toString()));
    assertOneLine(c, "unknown format 'docx'");

    c = new CliFixture();
    assertEquals(ExitCodes.USAGE, c.run("transcribe", "-m", model.toString(), dir.toString()));
    assertOneLine(c, "several inputs need --out DIR");

    c = new CliFixture();
    assertEquals(ExitCodes.USAGE, c.run("transcribe", "-m", model.toString()));
    assertOneLine(c, "give audio files");
  }

  @Test
  void withoutAModelTheBundledDefaultModelTranscribes() {
    assumeTrue(ModelLocator.defaultDirectory().isEmpty(), "a default model is installed here");
    Path sample = Path.of("..", "models", "samples", "kal-sample.wav");
    assumeTrue(java.nio.file.Files.isRegularFile(sample), "the sample is not in this checkout");
    assertEquals(ExitCodes.OK, cli.run("transcribe", sample.toString()));
    // "dan shall judge his people as one of the tribes of israel": the small model gets the end right.
    assertTrue(cli.out.toString().contains("tribes of israel"), cli.out.toString());
  }

  @Test
  void aDirectoryThatIsNotAModelIsAModelError() throws IOException {
    Path wav = ToneModel.wav(dir.resolve("n.wav"), "yes");
    Path notAModel = java.nio.file.Files.createDirectories(dir.resolve("not-a-model"));
    assertEquals(ExitCodes.MODEL, cli.run("transcribe", "-m", notAModel.toString(), wav.toString()));
    assertOneLine(cli, "not-a-model");
  }

  private static void assertOneLine(CliFixture c, String part) {
    String message = c.err.toString().strip();
    assertEquals(1, message.lines().count(), message);
    assertTrue(message.startsWith("joule: ") && message.contains(part), message);
  }

  /** Output paths that cannot be written: the error names the user's path and what is wrong. */
  @Test
  void unwritableOutputsAreNamedWithTheReason() throws IOException {
    Path wav = ToneModel.wav(dir.resolve("a.wav"), "yes");
    Path file = Files.writeString(dir.resolve("plain-file"), "x");
    CliFixture underFile = new CliFixture();
    assertEquals(ExitCodes.INPUT, underFile.run("transcribe", "-m", model.toString(), "--device", "cpu", "-f", "kaldi",
        "-o", file.resolve("out").toString(), wav.toString()));
    String message = underFile.err.toString().strip();
    assertTrue(message.startsWith("joule: " + file) && message.matches("joule: \\S+: \\p{Lower}.*"), message);

    Path existingDir = Files.createDirectories(dir.resolve("a-directory"));
    CliFixture ontoDir = new CliFixture();
    ontoDir.run("transcribe", "-m", model.toString(), "--device", "cpu", "-o", existingDir.toString(), wav.toString());
    String onto = ontoDir.err.toString().strip();
    assertTrue(onto.isEmpty() || (onto.startsWith("joule: " + existingDir) && !onto.contains(".tmp")), onto);
  }

  @Test
  void fileSystemErrorsReadAsPathAndReason() {
    assertEquals("/d/out/text: no such file or directory",
        Joule.message(new java.nio.file.NoSuchFileException("/d/out/text")));
    assertEquals("/d/out: already exists", Joule.message(new java.nio.file.FileAlreadyExistsException("/d/out")));
    assertEquals("/d/out: is a directory",
        Joule.message(new java.nio.file.FileSystemException("/d/.out.tmp-1", "/d/out", "Is a directory")));
    assertEquals("/d/x: permission denied", Joule.message(new java.nio.file.AccessDeniedException("/d/x")));
    assertEquals("/d/a.wav: no such file or directory",
        Joule.message(new java.nio.file.NoSuchFileException("/d/a.wav: no such file or directory")));
    assertEquals("plain message", Joule.message(new IllegalArgumentException("plain message")));
  }
}
