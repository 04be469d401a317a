package dev.joule.bench.peers;

import edu.cmu.sphinx.api.Configuration;
import edu.cmu.sphinx.api.SpeechResult;
import edu.cmu.sphinx.api.StreamSpeechRecognizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Sphinx-4 ({@code net.sf.phat:sphinx4-core/-data:5prealpha}) with its bundled US English model. */
public final class Sphinx4Peer implements Peer {
  private static final int WAV_HEADER_BYTES = 44;
  private final StreamSpeechRecognizer recognizer;

  public Sphinx4Peer() throws IOException {
    Logger.getLogger("").setLevel(Level.OFF); // Sphinx-4 logs every stage at INFO
    Configuration c = new Configuration();
    c.setAcousticModelPath("resource:/edu/cmu/sphinx/models/en-us/en-us");
    c.setDictionaryPath("resource:/edu/cmu/sphinx/models/en-us/cmudict-en-us.dict");
    c.setLanguageModelPath("resource:/edu/cmu/sphinx/models/en-us/en-us.lm.bin");
    this.recognizer = new StreamSpeechRecognizer(c);
    // Sphinx-4 installs its own console handlers while configuring; quiet them afterwards.
    Logger.getLogger("").setLevel(Level.OFF);
    for (java.util.logging.Handler h : Logger.getLogger("").getHandlers()) {
      h.setLevel(Level.OFF);
    }
  }

  @Override
  public String name() {
    return "sphinx4";
  }

  @Override
  public String transcribe(Utterance u) throws IOException {
    StringBuilder text = new StringBuilder();
    try (InputStream in = Files.newInputStream(u.audio())) {
      if (!u.raw()) {
        in.skipNBytes(WAV_HEADER_BYTES); // the cards WAVs are canonical 44-byte-header PCM
      }
      recognizer.startRecognition(in);
      SpeechResult result;
      while ((result = recognizer.getResult()) != null) {
        text.append(result.getHypothesis()).append(' ');
      }
      recognizer.stopRecognition();
    }
    return RealSpeechSet.normalise(text.toString());
  }
}
