package dev.joule.bench.peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the peers on the real-speech set and writes, under OUT_DIR, {@code ref.txt} and
 * {@code hyp-PEER.txt} (Kaldi text: id then words) plus one JSON line per peer with its wall time
 * and real-time factor. Joule joins the table once a trained English model exists; the files
 * are scored by the project's scorer ({@code joule score}) so every system is scored alike.
 *
 * <p>Usage: {@code PeerBenchmark OUT_DIR [DATA_ROOT]}.
 */
public final class PeerBenchmark {
  private PeerBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "peers-out");
    Path root = args.length > 1 ? Path.of(args[1]) : RealSpeechSet.DEFAULT_ROOT;
    List<Utterance> set = RealSpeechSet.load(root);
    Files.createDirectories(out);
    List<String> ref = new ArrayList<>();
    double audioSeconds = 0;
    for (Utterance u : set) {
      ref.add(u.id() + " " + u.reference());
      long bytes = Files.size(u.audio()) - (u.raw() ? 0 : 44);
      audioSeconds += bytes / 2.0 / 16000;
    }
    Files.write(out.resolve("ref.txt"), ref, StandardCharsets.UTF_8);
    List<Peer> peers = new ArrayList<>();
    if (PocketsphinxPeer.available()) {
      peers.add(new PocketsphinxPeer());
    } else {
      System.err.println("pocketsphinx not installed (apt-get install pocketsphinx pocketsphinx-en-us): skipped");
    }
    peers.add(new Sphinx4Peer());
    for (Peer peer : peers) {
      List<String> hyp = new ArrayList<>();
      long t0 = System.nanoTime();
      for (Utterance u : set) {
        hyp.add(u.id() + " " + peer.transcribe(u));
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      Files.write(out.resolve("hyp-" + peer.name() + ".txt"), hyp, StandardCharsets.UTF_8);
      System.out.printf("{\"bench\":\"real-speech\",\"peer\":\"%s\",\"utterances\":%d,\"audio_s\":%.2f,\"wall_s\":%.2f,\"rtf\":%.3f}%n",
          peer.name(), set.size(), audioSeconds, seconds, seconds / audioSeconds);
    }
  }

}
