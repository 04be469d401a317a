package dev.joule.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.joule.cli.Joule;
import dev.joule.cli.bench.PeerProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The peers as {@code joule bench} finds and runs them, on two recordings of Debian's
 * pocketsphinx-testdata (skipped where that package is not installed).
 */
class PeersInBenchTest {
  @TempDir Path dir;

  @Test
  void bothPeersAreServices() {
    List<String> names = PeerProvider.all().stream().map(PeerProvider::name).toList();
    assertEquals(List.of("pocketsphinx", "sphinx4"), names);
  }

  @Test
  void theRealSpeechSetIsADataDirectory() throws IOException {
    assumeTrue(Files.isDirectory(RealSpeechSet.DEFAULT_ROOT), "pocketsphinx-testdata is not installed");
    Path data = dir.resolve("data");
    RealSpeechSet.writeDataDir(RealSpeechSet.DEFAULT_ROOT, data);
    List<String> text = Files.readAllLines(data.resolve("text"));
    assertEquals(6, text.size(), text.toString());
    assertEquals("goforward go forward ten meters", text.get(5));
    assertTrue(text.get(0).startsWith("cards-001 "), text.get(0));
    // goforward.raw is headerless 16 kHz 16-bit PCM: 2 bytes a sample, 44 bytes of WAV header added.
    assertEquals(Files.size(RealSpeechSet.DEFAULT_ROOT.resolve("goforward.raw")) + 44, Files.size(data.resolve("goforward.wav")));
  }

  @Test
  void jouleAndThePeersOnTheSameAudioWithTheSameScorer() throws IOException {
    assumeTrue(Files.isDirectory(RealSpeechSet.DEFAULT_ROOT), "pocketsphinx-testdata is not installed");
    Path all = dir.resolve("all");
    RealSpeechSet.writeDataDir(RealSpeechSet.DEFAULT_ROOT, all);
    // Two short recordings keep the test short (Sphinx-4 runs at several times real time here).
    Path data = Files.createDirectories(dir.resolve("two"));
    for (String file : new String[] {"wav.scp", "text"}) {
      List<String> lines = Files.readAllLines(all.resolve(file));
      Files.write(data.resolve(file), List.of(lines.get(0), lines.get(2)));
    }
    Path out = dir.resolve("out");
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    CommandLine cli = Joule.commandLine();
    cli.setOut(new PrintWriter(stdout, true));
    cli.setErr(new PrintWriter(stderr, true));
    int code = cli.execute("bench", data.toString(), "--peers", "all", "--warmup", "0", "--repeat", "1", "--device", "cpu",
        "-q", "--json", "-o", out.toString());
    assertEquals(0, code, stderr.toString());
    String json = stdout.toString();
    boolean pocketsphinx = PocketsphinxPeer.available();
    assertTrue(json.contains(pocketsphinx ? "\"skipped\": []" : "\"skipped\": [\"pocketsphinx: "), json);
    Map<String, Double> wer = werBySystem(json);
    assertEquals(pocketsphinx ? List.of("joule", "pocketsphinx", "sphinx4") : List.of("joule", "sphinx4"),
        List.copyOf(wer.keySet()));
    // Sphinx-4 gets 1 word of 25 wrong on the whole set; two clean recordings it gets (nearly) right.
    assertTrue(wer.get("sphinx4") <= 0.25, json);
    for (String system : wer.keySet()) {
      assertEquals(2, Files.readAllLines(out.resolve("hyp-" + system + ".txt")).size(), system);
    }
    assertFalse(Files.readString(out.resolve("hyp-sphinx4.txt")).isBlank());
    // Peers report no stage split and, when in another process, no heap or CPU time.
    assertTrue(json.contains("\"stage_seconds\": null"), json);
  }

  /** System name to WER, in report order. */
  private static Map<String, Double> werBySystem(String json) {
    Matcher m = Pattern.compile("\"name\": \"([a-z0-9]+)\",\\s*\"description\": \"[^\"]*\",\\s*\"wer\": ([0-9.]+)").matcher(json);
    Map<String, Double> out = new LinkedHashMap<>();
    while (m.find()) {
      out.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return out;
  }
}
