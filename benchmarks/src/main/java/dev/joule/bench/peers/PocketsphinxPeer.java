package dev.joule.bench.peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * pocketsphinx (Debian {@code pocketsphinx}) with its US English model ({@code pocketsphinx-en-us}):
 * {@code pocketsphinx_continuous -infile FILE} with the generic 3-gram LM and CMUdict.
 */
public final class PocketsphinxPeer implements Peer {
  static final Path MODEL = Path.of("/usr/share/pocketsphinx/model/en-us");
  static final Path BINARY = Path.of("/usr/bin/pocketsphinx_continuous");

  /** Whether pocketsphinx and its English model are installed. */
  public static boolean available() {
    return Files.isExecutable(BINARY) && Files.isDirectory(MODEL.resolve("en-us"));
  }

  @Override
  public String name() {
    return "pocketsphinx";
  }

  @Override
  public String transcribe(Utterance u) throws IOException, InterruptedException {
    List<String> command = List.of(BINARY.toString(), "-infile", u.audio().toString(),
        "-hmm", MODEL.resolve("en-us").toString(), "-lm", MODEL.resolve("en-us.lm.bin").toString(),
        "-dict", MODEL.resolve("cmudict-en-us.dict").toString(), "-logfn", "/dev/null");
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("pocketsphinx timed out on " + u.audio());
    }
    if (p.exitValue() != 0) {
      throw new IOException("pocketsphinx failed (exit " + p.exitValue() + ") on " + u.audio());
    }
    // One line per detected utterance segment; join them.
    String text = new String(out, StandardCharsets.UTF_8).replace('\n', ' ');
    return RealSpeechSet.normalise(text);
  }
}
