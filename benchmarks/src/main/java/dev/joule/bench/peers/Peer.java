package dev.joule.bench.peers;

import java.io.IOException;

/** A recogniser measured beside Joule: transcribes one utterance to lower-case words. */
public interface Peer {
  String name();

  String transcribe(Utterance utterance) throws IOException, InterruptedException;
}
