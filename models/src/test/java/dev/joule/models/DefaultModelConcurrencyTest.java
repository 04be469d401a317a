package dev.joule.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.joule.engine.device.DeviceChoice;
import dev.joule.engine.recognizer.Recognizer;
import dev.joule.engine.recognizer.RecognizerOptions;
import dev.joule.engine.recognizer.RecognizerStream;
import dev.joule.engine.recognizer.Transcript;
import dev.joule.frontend.audio.Audio;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One {@link Recognizer} over the bundled model shared by many threads, and many streaming
 * sessions interleaved on it, give exactly what one thread doing one thing at a time gives:
 * the same words, times, confidences and n-best lists, to the last bit.
 */
class DefaultModelConcurrencyTest {
  static final String[] SENTENCES = {
    "Buy the negatives at any price.",
    "You will be married within a year.",
    "Your lucky number has been disconnected.",
    "Keep it short and simple.",
  };
  static final int THREADS = 16;

  @TempDir static Path dir;
  static Recognizer recognizer;
  static List<Path> files = new ArrayList<>();
  static List<Transcript> alone = new ArrayList<>();

  @BeforeAll
  static void load() throws Exception {
    FliteSpeech.assumeFlite();
    recognizer = Recognizer.openDefault(RecognizerOptions.defaults().withDevice(DeviceChoice.CPU));
    for (int i = 0; i < SENTENCES.length; i++) {
      files.add(FliteSpeech.speak(SENTENCES[i], dir.resolve("s" + i + ".wav")));
    }
    for (Path f : files) {
      alone.add(recognizer.transcribe(f));
    }
  }

  @AfterAll
  static void close() {
    if (recognizer != null) {
      recognizer.close();
    }
  }

  /** What must not depend on threads: everything but the timing. */
  static void assertSame(Transcript expected, Transcript got, String what) {
    assertEquals(expected.words(), got.words(), what);
    assertEquals(expected.alternatives(), got.alternatives(), what);
    assertEquals(expected.reachedFinal(), got.reachedFinal(), what);
  }

  @Test
  void sixteenThreadsOnOneRecognizerGiveTheSingleThreadResults() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Transcript>> results = new ArrayList<>();
      for (int k = 0; k < THREADS; k++) {
        Path f = files.get(k % files.size());
        // All threads start together, so their recognitions overlap.
        results.add(pool.submit(() -> {
          start.await();
          return recognizer.transcribe(f);
        }));
      }
      start.countDown();
      for (int k = 0; k < THREADS; k++) {
        assertSame(alone.get(k % files.size()), results.get(k).get(), "thread " + k);
      }
    } finally {
      pool.shutdownNow();
    }
    assertFalse(alone.get(0).words().isEmpty(), "the sentences give words");
  }

  @Test
  void interleavedStreamsGiveTheSequentialResults() throws Exception {
    List<float[]> audio = new ArrayList<>();
    List<Transcript> sequential = new ArrayList<>();
    for (Path f : files) {
      float[] x = Audio.readAll(f, 16000);
      audio.add(x);
      RecognizerStream s = recognizer.stream();
      for (int off = 0; off < x.length; off += 1600) {
        s.accept(x, off, Math.min(1600, x.length - off));
      }
      sequential.add(s.finish());
    }
    // One stream per sentence, all open at once, fed 0.1 s at a time in turn.
    List<RecognizerStream> streams = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      streams.add(recognizer.stream());
    }
    boolean more = true;
    for (int off = 0; more; off += 1600) {
      more = false;
      for (int i = 0; i < streams.size(); i++) {
        float[] x = audio.get(i);
        if (off < x.length) {
          streams.get(i).accept(x, off, Math.min(1600, x.length - off));
          more |= off + 1600 < x.length;
        }
      }
    }
    for (int i = 0; i < streams.size(); i++) {
      assertSame(sequential.get(i), streams.get(i).finish(), "stream " + i);
    }
  }
}
