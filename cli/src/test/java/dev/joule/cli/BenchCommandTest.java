package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code joule bench} end to end with the default model on a two-utterance data directory made
 * from the real sample recording: the report's figures, their agreement with {@code joule score}
 * and {@code joule transcribe}, and its errors.
 */
class BenchCommandTest {
  private static final Path SAMPLE = Path.of("..", "models", "samples", "kal-sample.wav").toAbsolutePath().normalize();
  private static final String REFERENCE = "dan shall judge his people as one of the tribes of israel";

  @TempDir static Path shared;
  static Path data;
  static Path out;
  static String json;
  @TempDir Path dir;

  @BeforeAll
  static void benchTheSample() throws IOException {
    assumeTrue(Files.isRegularFile(SAMPLE), "the sample is not in this checkout");
    data = Files.createDirectories(shared.resolve("data"));
    Path copy = Files.copy(SAMPLE, shared.resolve("copy.wav"));
    Files.writeString(data.resolve("wav.scp"), "kal-a " + SAMPLE + "\nkal-b " + copy + "\n");
    // The second reference is deliberately shorter, so the run has errors of every kind to count.
    Files.writeString(data.resolve("text"), "kal-a " + REFERENCE + "\nkal-b dan shall judge israel\n");
    out = shared.resolve("out");
    CliFixture cli = new CliFixture();
    assertEquals(ExitCodes.OK, cli.run("bench", data.toString(), "--repeat", "2", "--warmup", "1", "--device", "cpu",
        "-q", "--json", "-o", out.toString()), cli.err.toString());
    json = cli.out.toString();
  }

  @Test
  void theReportHasEveryFigureWithSaneValues() throws IOException {
    assertEquals(json, Files.readString(out.resolve("bench.json")));
    assertEquals(2, (int) number(json, "utterances"));
    assertEquals(2, (int) number(json, "repetitions"));
    assertEquals(1, (int) number(json, "warmup_passes"));
    assertEquals(REFERENCE.split(" ").length + 4, (int) number(json, "reference_words"));
    double audio = number(json, "audio_seconds");
    assertTrue(audio > 2 && audio < 20, "audio seconds " + audio);
    assertTrue(json.contains("\"name\": \"joule\""), json);
    double wer = number(json, "wer");
    assertTrue(wer > 0 && wer <= 2, "wer " + wer);
    double rtf = number(json, "rtf\": {\"median");
    assertTrue(rtf > 0 && rtf < 50, "rtf " + rtf);
    double wall = number(json, "wall_seconds\": {\"median");
    assertEquals(rtf, wall / audio, 1e-3 * Math.max(1, rtf));
    Matcher max = Pattern.compile("\"wall_seconds\": \\{[^}]*\"max\": ([0-9.]+)").matcher(json);
    assertTrue(max.find(), json);
    double wallMax = Double.parseDouble(max.group(1));
    double features = number(json, "features\": {\"median");
    double acoustic = number(json, "acoustic_model\": {\"median");
    double decoding = number(json, "decoding\": {\"median");
    assertTrue(features > 0 && acoustic > 0 && decoding > 0, json);
    // The stages happen inside the pass: together they cannot take longer than it (medians of two).
    assertTrue(features + acoustic + decoding <= wallMax * 1.01, json);
    assertTrue(number(json, "peak_heap_bytes") > 1e6, json);
    assertTrue(json.contains("\"repetition_wall_seconds\": ["), json);
    assertTrue(Files.readString(out.resolve("bench.md")).contains("| Joule development build (default model, "),
        Files.readString(out.resolve("bench.md")));
  }

  @Test
  void errorRatesEqualJouleScoreOnTheSameFiles() {
    Path hyp = out.resolve("hyp-joule.txt");
    CliFixture words = new CliFixture();
    assertEquals(ExitCodes.OK, words.run("score", "--ref", data.resolve("text").toString(), "--hyp", hyp.toString()));
    assertEquals(String.format(Locale.ROOT, "%.2f", 100 * number(json, "wer")), rate(words.out.toString(), "WER"));
    CliFixture chars = new CliFixture();
    assertEquals(ExitCodes.OK, chars.run("score", "--ref", data.resolve("text").toString(), "--hyp", hyp.toString(), "--cer"));
    assertEquals(String.format(Locale.ROOT, "%.2f", 100 * number(json, "cer")), rate(chars.out.toString(), "CER"));
  }

  @Test
  void hypothesesAreWhatTranscribeGives() throws IOException {
    CliFixture cli = new CliFixture();
    assertEquals(ExitCodes.OK, cli.run("transcribe", "--device", "cpu", SAMPLE.toString()), cli.err.toString());
    String words = cli.out.toString().strip();
    assertEquals(List.of("kal-a " + words, "kal-b " + words), Files.readAllLines(out.resolve("hyp-joule.txt")));
  }

  @Test
  void theMarkdownTableHasOneRowForJoule() {
    CliFixture cli = new CliFixture();
    assertEquals(ExitCodes.OK, cli.run("bench", data.toString(), "--repeat", "1", "--warmup", "0", "--device", "cpu",
        "-q", "--machine", "test machine"), cli.err.toString());
    List<String> rows = cli.out.toString().lines().filter(l -> l.startsWith("| 20")).toList();
    assertEquals(1, rows.size(), cli.out.toString());
    assertTrue(rows.get(0).contains("| test machine | data (2 utts, "), rows.get(0));
    assertTrue(cli.out.toString().startsWith("Command: `joule bench "), cli.out.toString());
    assertTrue(cli.out.toString().contains(" --machine 'test machine'`"), cli.out.toString());
  }

  @Test
  void aMissingWavScpIsAnInputError() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Files.writeString(empty.resolve("text"), "a hello\n");
    CliFixture cli = new CliFixture();
    assertEquals(ExitCodes.INPUT, cli.run("bench", empty.toString(), "-q"));
    assertOneLine(cli, empty.resolve("wav.scp") + ": no such file");
  }

  @Test
  void audioThatCannotBeReadIsAnInputErrorNamingTheFile() throws IOException {
    Path bad = Files.createDirectories(dir.resolve("bad"));
    Path notAudio = Files.writeString(dir.resolve("notes.wav"), "this is not a wav file");
    Files.writeString(bad.resolve("wav.scp"), "a " + SAMPLE + "\nb " + notAudio + "\n");
    Files.writeString(bad.resolve("text"), "a hello\nb world\n");
    CliFixture cli = new CliFixture();
    assertEquals(ExitCodes.INPUT, cli.run("bench", bad.toString(), "-q"));
    assertOneLine(cli, notAudio.toString());
    String message = cli.err.toString();
    assertTrue(message.contains("utterance 'b'"), message);
    assertEquals(message.indexOf(notAudio.toString()), message.lastIndexOf(notAudio.toString()), "the file is named once: " + message);
  }

  @Test
  void referencesAreRequired() throws IOException {
    Path noText = Files.createDirectories(dir.resolve("no-text"));
    Files.writeString(noText.resolve("wav.scp"), "a " + SAMPLE + "\n");
    CliFixture cli = new CliFixture();
    assertEquals(ExitCodes.INPUT, cli.run("bench", noText.toString(), "-q"));
    assertOneLine(cli, noText.resolve("text") + ": no such file");

    Files.writeString(noText.resolve("wav.scp"), "a " + SAMPLE + "\nb " + SAMPLE + "\n");
    Files.writeString(noText.resolve("text"), "a hello\n");
    CliFixture missing = new CliFixture();
    assertEquals(ExitCodes.INPUT, missing.run("bench", noText.toString(), "-q"));
    assertOneLine(missing, "no reference for utterance 'b'");
  }

  @Test
  void peersNeedTheBenchmarksModule() {
    // The command-line module's own class path has no peers; the benchmarks module provides them.
    CliFixture cli = new CliFixture();
    assertEquals(ExitCodes.USAGE, cli.run("bench", data.toString(), "--peers", "sphinx4"));
    assertOneLine(cli, "no peers on the class path");
    CliFixture repeat = new CliFixture();
    assertEquals(ExitCodes.USAGE, repeat.run("bench", data.toString(), "--repeat", "0"));
    assertOneLine(repeat, "--repeat must be at least 1");
  }

  /** The first number after {@code "key": } in the JSON text. */
  static double number(String json, String key) {
    Matcher m = Pattern.compile(Pattern.quote("\"" + key + "\": ") + "(-?[0-9.eE+-]+)").matcher(json);
    assertTrue(m.find(), key + " not in " + json);
    return Double.parseDouble(m.group(1));
  }

  private static String rate(String scoreOutput, String unit) {
    Matcher m = Pattern.compile(unit + ": ([0-9.]+)%").matcher(scoreOutput);
    assertTrue(m.find(), scoreOutput);
    return m.group(1);
  }

  private static void assertOneLine(CliFixture c, String part) {
    String message = c.err.toString().strip();
    assertEquals(1, message.lines().count(), message);
    assertTrue(message.startsWith("joule: ") && message.contains(part), message);
  }
}
