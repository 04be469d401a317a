package dev.joule.engine.recognizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.device.DeviceChoice;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streaming with the bundled model, a TDNN whose output frames depend on 0.27 s of audio either
 * side: the final transcript equals offline recognition's (words, times, confidences, n-best)
 * for any chunk size and any split of the samples, on one segment and on a recording cut at a
 * pause.
 */
class StreamingMatchesOfflineTest {
  static Path model;
  static float[] sample;

  @BeforeAll
  static void load() throws IOException {
    model = DefaultModelSamples.model();
    sample = DefaultModelSamples.sample();
  }

  private static Recognizer open(int chunkFrames) throws IOException {
    return Recognizer.open(model, RecognizerOptions.defaults().withDevice(DeviceChoice.CPU).withStreamChunkFrames(chunkFrames));
  }

  /** Streams {@code x} in pieces of the sizes {@code pieces} gives; returns the stream, finished, and its partials. */
  private static Streamed stream(Recognizer r, float[] x, IntSupplier pieces) {
    RecognizerStream s = r.stream();
    List<Transcript> partials = new ArrayList<>();
    List<Integer> segmentsSoFar = new ArrayList<>();
    for (int off = 0; off < x.length; ) {
      int n = Math.min(pieces.getAsInt(), x.length - off);
      partials.add(s.accept(x, off, n));
      segmentsSoFar.add(s.segments());
      off += n;
    }
    return new Streamed(s, s.finish(), partials, segmentsSoFar);
  }

  private record Streamed(RecognizerStream stream, Transcript result, List<Transcript> partials, List<Integer> segmentsSoFar) {}

  private static void assertSameTranscript(Transcript offline, Transcript streamed, String what) {
    assertEquals(offline.words(), streamed.words(), what);
    assertEquals(offline.alternatives(), streamed.alternatives(), what);
    assertEquals(offline.reachedFinal(), streamed.reachedFinal(), what);
  }

  @Test
  void theBundledTdnnStreamsToTheOfflineTranscriptWhateverTheChunks() throws IOException {
    for (int chunkFrames : new int[] {1, 7, 64}) {
      try (Recognizer r = open(chunkFrames)) {
        Transcript offline = r.transcribe(sample, 16000);
        assertTrue(offline.words().size() >= 3, "the sample is speech: " + offline.text());
        Random random = new Random(chunkFrames);
        String[] names = {"10 ms pieces", "1237-sample pieces", "random pieces"};
        IntSupplier[] splits = {() -> 160, () -> 1237, () -> 1 + random.nextInt(5000)};
        // A 1-frame chunk recomputes 19 times the frames it scores: one split is enough there.
        for (int i = chunkFrames == 1 ? splits.length - 1 : 0; i < splits.length; i++) {
          Streamed s = stream(r, sample, splits[i]);
          assertTrue(s.stream().matchesOffline());
          assertEquals(0.27, s.stream().lookaheadSeconds(), 1e-9);
          assertSameTranscript(offline, s.result(), "chunk of " + chunkFrames + " frames, " + names[i]);
        }
      }
    }
  }

  @Test
  void aRecordingCutAtAPauseStreamsToTheOfflineTranscript() throws IOException {
    // Speech, 0.8 s of silence (longer than the 0.6 s that cuts), speech again.
    float[] x = new float[2 * sample.length + 12800];
    System.arraycopy(sample, 0, x, 0, sample.length);
    System.arraycopy(sample, 0, x, sample.length + 12800, sample.length);
    double firstSpeechEnds = sample.length / 16000.0;
    try (Recognizer r = open(40)) {
      Transcript offline = r.transcribe(x, 16000);
      // Several segments: the joined best path is the one alternative.
      assertEquals(1, offline.alternatives().size());
      for (int piece : new int[] {160, 4801}) {
        Streamed s = stream(r, x, () -> piece);
        assertEquals(2, s.stream().segments(), "pieces of " + piece);
        assertSameTranscript(offline, s.result(), "pieces of " + piece);
        // Once the first segment is finished, every partial starts with its final words.
        List<Word> firstSegment = offline.words().stream().filter(w -> w.start() < firstSpeechEnds).toList();
        assertFalse(firstSegment.isEmpty());
        boolean sawCut = false;
        for (int i = 0; i < s.partials().size(); i++) {
          if (s.segmentsSoFar().get(i) >= 1) {
            sawCut = true;
            List<Word> words = s.partials().get(i).words();
            assertEquals(firstSegment, words.subList(0, Math.min(words.size(), firstSegment.size())), "partial " + i);
          }
        }
        assertTrue(sawCut, "the pause is cut before the audio ends");
      }
    }
  }
}
