package dev.joule.bench.peers;

import dev.joule.cli.bench.Peer;
import edu.cmu.sphinx.api.Configuration;
import edu.cmu.sphinx.api.SpeechResult;
import edu.cmu.sphinx.api.StreamSpeechRecognizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/** Sphinx-4 ({@code net.sf.phat:sphinx4-core/-data:5prealpha}) with its bundled US English model. */
public final class Sphinx4Peer implements Peer {
  private final StreamSpeechRecognizer recognizer;

  public Sphinx4Peer() throws IOException {
    Configuration c = new Configuration();
    c.setAcousticModelPath("resource:/edu/cmu/sphinx/models/en-us/en-us");
    c.setDictionaryPath("resource:/edu/cmu/sphinx/models/en-us/cmudict-en-us.dict");
    c.setLanguageModelPath("resource:/edu/cmu/sphinx/models/en-us/en-us.lm.bin");
    PrintStream err = quietStandardError();
    try {
      this.recognizer = new StreamSpeechRecognizer(c);
    } finally {
      System.setErr(err);
    }
  }

  /**
   * Sphinx-4 logs every stage at INFO through console handlers it makes (and remakes at each
   * recognition) on a logger of its own, resetting that logger's level from its configuration each
   * time; a handler writes to the standard error of the moment it is made. So its calls run with a
   * discarding standard error, and its handlers stay silent; Joule's log handler and the progress bar
   * keep the stream they were made with.
   */
  private static PrintStream quietStandardError() {
    PrintStream err = System.err;
    System.setErr(new PrintStream(OutputStream.nullOutputStream()));
    return err;
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
    PrintStream err = quietStandardError();
    try {
      recognizer.startRecognition(new ByteArrayInputStream(pcm16(samples)));
      SpeechResult result;
      while ((result = recognizer.getResult()) != null) {
        text.append(result.getHypothesis()).append(' ');
      }
      recognizer.stopRecognition();
    } finally {
      System.setErr(err);
    }
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
