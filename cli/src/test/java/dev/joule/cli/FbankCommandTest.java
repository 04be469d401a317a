package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.frontend.FloatMatrix;
import dev.joule.frontend.audio.Audio;
import dev.joule.frontend.audio.WavWriter;
import dev.joule.frontend.features.Cmvn;
import dev.joule.frontend.features.Fbank;
import dev.joule.frontend.features.FbankOptions;
import dev.joule.frontend.io.FeatureEntry;
import dev.joule.frontend.io.FeatureFileReader;
import dev.joule.frontend.io.KaldiTextReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code joule fbank} on real files: formats, data directories, threads, CMVN, errors. */
class FbankCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Joule.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private Path wav(String name, double seconds, int rate, double freq) throws IOException {
    int n = (int) (seconds * rate);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (0.3 * Math.sin(2 * Math.PI * freq * i / rate) * (1 + Math.sin(i / 900.0)));
    }
    Path f = dir.resolve(name);
    WavWriter.write(f, x, rate);
    return f;
  }

  static List<FeatureEntry> read(Path f) throws IOException {
    List<FeatureEntry> all = new ArrayList<>();
    try (FeatureFileReader r = new FeatureFileReader(f)) {
      FeatureEntry e;
      while ((e = r.next()) != null) {
        all.add(e);
      }
    }
    return all;
  }

  @Test
  void oneFileInBothFormats() throws IOException {
    Path w = wav("hello.wav", 1.0, 16000, 440);
    Path o = dir.resolve("f.jfea");
    assertEquals(ExitCodes.OK, run("fbank", w.toString(), "-o", o.toString()), err.toString());
    List<FeatureEntry> e = read(o);
    assertEquals(1, e.size());
    assertEquals("hello", e.get(0).id());
    assertEquals(new Fbank(FbankOptions.defaults()).compute(Audio.readAll(w, 16000)), e.get(0).features());
    Path t = dir.resolve("f.txt");
    assertEquals(ExitCodes.OK, run("fbank", w.toString(), "-o", t.toString(), "--format", "text",
        "--num-mel-bins", "23", "--utt-id", "u1", "--dither", "0"));
    String text = Files.readString(t);
    assertTrue(text.startsWith("u1  [\n  "), text.substring(0, 40));
    assertTrue(text.endsWith(" ]\n"));
    assertEquals(98 + 1, text.lines().count());
    assertEquals(23, text.lines().skip(1).findFirst().orElseThrow().strip().split(" ").length);
    try (KaldiTextReader r = new KaldiTextReader(t)) {
      FbankOptions o23 = FbankOptions.builder().numMelBins(23).dither(0).build();
      assertEquals(new FeatureEntry("u1", new Fbank(o23).compute(Audio.readAll(w, 16000))), r.next());
    }
    assertEquals("", err.toString()); // no progress line for a single file
  }

  @Test
  void dataDirectoryWithThreadsAndGlobalCmvn() throws IOException {
    Path data = Files.createDirectory(dir.resolve("data"));
    StringBuilder scp = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      scp.append("u").append(i).append(' ').append(wav("r" + i + ".wav", 0.5 + 0.1 * i, i % 2 == 0 ? 16000 : 8000, 300 + 100 * i)).append('\n');
    }
    Files.writeString(data.resolve("wav.scp"), scp.toString());
    Path one = dir.resolve("one.jfea");
    Path four = dir.resolve("four.jfea");
    Path stats = dir.resolve("cmvn.txt");
    assertEquals(ExitCodes.OK, run("fbank", data.toString(), "-o", one.toString(), "--write-cmvn-stats", stats.toString()), err.toString());
    assertEquals(ExitCodes.OK, run("fbank", data.toString(), "-o", four.toString(), "--threads", "4"), err.toString());
    List<FeatureEntry> a = read(one);
    List<FeatureEntry> b = read(four);
    assertEquals(5, a.size());
    for (int i = 0; i < 5; i++) {
      assertEquals("u" + i, a.get(i).id());
      assertEquals(a.get(i), b.get(i));
    }
    assertTrue(err.toString().contains("joule: fbank 5/5 utterances"), err.toString());
    Cmvn expected = new Cmvn(80);
    a.forEach(e -> expected.accumulate(e.features()));
    Cmvn saved = Cmvn.load(stats);
    assertEquals(expected.count(), saved.count());
    Path normed = dir.resolve("normed.jfea");
    assertEquals(ExitCodes.OK, run("fbank", data.toString(), "-o", normed.toString(), "--cmvn", "global",
        "--cmvn-stats", stats.toString(), "--norm-vars", "-q"));
    Cmvn after = new Cmvn(80);
    read(normed).forEach(e -> after.accumulate(e.features()));
    for (int c = 0; c < 80; c++) {
      assertEquals(0, after.mean()[c], 1e-3);
      assertEquals(1, after.variance()[c], 1e-3);
    }
    Path perUtt = dir.resolve("utt.jfea");
    assertEquals(ExitCodes.OK, run("fbank", data.toString(), "-o", perUtt.toString(), "--cmvn", "utterance"));
    FloatMatrix first = read(perUtt).get(0).features();
    assertEquals(0, Cmvn.of(first).mean()[40], 1e-4);
  }

  @Test
  void kaldiConfigFilesWorkAsArgumentFiles() throws IOException {
    Path w = wav("c.wav", 0.3, 16000, 440);
    Path conf = dir.resolve("fbank.conf");
    Files.writeString(conf, "# Kaldi conf/fbank.conf\n--num-mel-bins=40\n--dither=0\n--use-energy=true\n");
    Path o = dir.resolve("c.jfea");
    assertEquals(ExitCodes.OK, run("fbank", "@" + conf, w.toString(), "-o", o.toString()), err.toString());
    FloatMatrix f = read(o).get(0).features();
    assertEquals(41, f.cols());
    FbankOptions expect = FbankOptions.builder().numMelBins(40).dither(0).useEnergy(true).build();
    assertEquals(new Fbank(expect).compute(Audio.readAll(w, 16000)), f);

    Path missing = dir.resolve("nosuch.conf");
    err.getBuffer().setLength(0);
    assertEquals(ExitCodes.INPUT, run("fbank", "@" + missing, w.toString(), "--out", o.toString()));
    assertEquals("joule: " + missing + ": no such options file (named by @" + missing + ")", err.toString().strip());
  }

  @Test
  void rawPcmInput() throws IOException {
    Path w = wav("x.wav", 0.5, 16000, 1000);
    byte[] bytes = Files.readAllBytes(w);
    Path raw = dir.resolve("x.raw");
    Files.write(raw, java.util.Arrays.copyOfRange(bytes, 44, bytes.length));
    Path o = dir.resolve("raw.jfea");
    assertEquals(ExitCodes.OK, run("fbank", raw.toString(), "--raw-format", "16000:s16le", "-o", o.toString()), err.toString());
    Path o2 = dir.resolve("wav.jfea");
    assertEquals(ExitCodes.OK, run("fbank", w.toString(), "-o", o2.toString(), "--utt-id", "x"));
    assertEquals(read(o2).get(0), read(o).get(0));
  }

  @Test
  void errorsAreOneLineWithTheRightExitCode() throws IOException {
    assertEquals(ExitCodes.INPUT, run("fbank", dir.resolve("missing.wav").toString(), "-o", dir.resolve("o").toString()));
    assertTrue(err.toString().startsWith("joule: ") && err.toString().contains("no such file"), err.toString());
    assertEquals(1, err.toString().strip().lines().count());
    err.getBuffer().setLength(0);
    Path w = wav("a.wav", 0.2, 16000, 440);
    assertEquals(ExitCodes.USAGE, run("fbank", w.toString(), "-o", dir.resolve("o").toString(), "--window-type", "kaiser"));
    assertTrue(err.toString().contains("unknown window type 'kaiser'"), err.toString());
    assertEquals(ExitCodes.USAGE, run("fbank", w.toString(), "-o", dir.resolve("o").toString(), "--high-freq", "9000"));
    Path data = Files.createDirectory(dir.resolve("cmd"));
    Files.writeString(data.resolve("wav.scp"), "a cat " + w + " |\n");
    err.getBuffer().setLength(0);
    assertEquals(ExitCodes.INPUT, run("fbank", data.toString(), "-o", dir.resolve("o").toString()));
    assertTrue(err.toString().contains("wav.scp:1:") && err.toString().contains("--allow-commands"), err.toString());
    assertEquals(ExitCodes.OK, run("fbank", data.toString(), "-o", dir.resolve("o").toString(), "--allow-commands"));
    assertEquals("a", read(dir.resolve("o")).get(0).id());
  }
}
