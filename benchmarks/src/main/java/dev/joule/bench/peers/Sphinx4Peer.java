package dev.joule.bench.peers;

import dev.joule.cli.bench.Peer;
import edu.cmu.sphinx.api.Configuration;
import edu.cmu.sphinx.api.SpeechResult;
import edu.cmu.sphinx.api.StreamSpeechRecognizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Sphinx-4 ({@code net.sf.phat:sphinx4-core/-data:5prealpha}) with its bundled US English model. */
public final class Sphinx4Peer implements Peer {
  private final StreamSpeechRecognizer recognizer;
  private final Logger root;
  private final Level rootLevel;

  public Sphinx4Peer() throws IOException {
    // Sphinx-4 logs every stage at INFO through loggers it makes as it goes (some only at the first
    // recognition), all inheriting the root level: hold the root at OFF while this peer is open.
    this.root = Logger.getLogger("");
    this.rootLevel = root.getLevel();
    root.setLevel(Level.OFF);
    Configuration c = new Configuration();
    c.setAcousticModelPath("resource:/edu/cmu/sphinx/models/en-us/en-us");
    c.setDictionaryPath("resource:/edu/cmu/sphinx/models/en-us/cmudict-en-us.dict");
    c.setLanguageModelPath("resource:/edu/cmu/sphinx/models/en-us/en-us.lm.bin");
    try {
      this.recognizer = new StreamSpeechRecognizer(c);
    } catch (IOException | RuntimeException e) {
      root.setLevel(rootLevel);
      throw e;
    }
  }

  /** Gives the root logger its level back (Joule's own log lines show again). */
  @Override
  public void close() {
    root.setLevel(rootLevel);
  }

  @Override
  public String name() {
    return "sphinx4";
  }

  @Override
  public String description() {
    return "Sphinx-4 5prealpha (bundled en-us model)";
  }

  @Override
  public boolean inProcess() {
    return true;
  }

  @Override
  public String transcribe(float[] samples, String id) {
    StringBuilder text = new StringBuilder();
    recognizer.startRecognition(new ByteArrayInputStream(pcm16(samples)));
    SpeechResult result;
    while ((result = recognizer.getResult()) != null) {
      text.append(result.getHypothesis()).append(' ');
    }
    recognizer.stopRecognition();
    return RealSpeechSet.normalise(text.toString());
  }

  /** 16-bit little-endian PCM, the stream format of Sphinx-4's 16 kHz model. */
  static byte[] pcm16(float[] samples) {
    byte[] b = new byte[2 * samples.length];
    for (int i = 0; i < samples.length; i++) {
      int s = (int) Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32768.0)));
      b[2 * i] = (byte) s;
      b[2 * i + 1] = (byte) (s >> 8);
    }
    return b;
  }
}
