package dev.joule.bench.peers;

import dev.joule.cli.bench.Peer;
import dev.joule.frontend.audio.WavWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * pocketsphinx (Debian {@code pocketsphinx}) with its US English model ({@code pocketsphinx-en-us}):
 * {@code pocketsphinx_continuous -infile FILE} with the generic 3-gram LM and CMUdict, one process
 * per utterance (the program has no batch mode for separate files), so its time includes loading
 * the model each time.
 */
public final class PocketsphinxPeer implements Peer {
  static final Path MODEL = Path.of("/usr/share/pocketsphinx/model/en-us");
  static final Path BINARY = Path.of("/usr/bin/pocketsphinx_continuous");

  private final Path scratch;

  PocketsphinxPeer() throws IOException {
    this.scratch = Files.createTempDirectory("joule-pocketsphinx");
  }

  /** Whether pocketsphinx and its English model are installed. */
  public static boolean available() {
    return Files.isExecutable(BINARY) && Files.isDirectory(MODEL.resolve("en-us"));
  }

  @Override
  public String name() {
    return "pocketsphinx";
  }

  @Override
  public String description() {
    return "pocketsphinx 5prealpha (Debian, en-us 3-gram)";
  }

  @Override
  public boolean inProcess() {
    return false;
  }

  @Override
  public String transcribe(float[] samples, String id) throws IOException, InterruptedException {
    // The program reads files: hand it the same 16 kHz samples Joule gets, as a 16-bit WAV.
    Path wav = scratch.resolve("utterance.wav");
    WavWriter.write(wav, samples, SAMPLE_RATE);
    List<String> command = List.of(BINARY.toString(), "-infile", wav.toString(),
        "-hmm", MODEL.resolve("en-us").toString(), "-lm", MODEL.resolve("en-us.lm.bin").toString(),
        "-dict", MODEL.resolve("cmudict-en-us.dict").toString(), "-logfn", "/dev/null");
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("pocketsphinx timed out on utterance " + id);
    }
    if (p.exitValue() != 0) {
      throw new IOException("pocketsphinx failed (exit " + p.exitValue() + ") on utterance " + id);
    }
    // One line per detected utterance segment; join them.
    String text = new String(out, StandardCharsets.UTF_8).replace('\n', ' ');
    return RealSpeechSet.normalise(text);
  }

  @Override
  public void close() throws IOException {
    Files.deleteIfExists(scratch.resolve("utterance.wav"));
    Files.deleteIfExists(scratch);
  }
}
