package dev.joule.engine.recognizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.device.DeviceChoice;
import dev.joule.engine.model.ModelLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory outside the Java heap is given back after {@link Recognizer#close()}. The recognizer's
 * only off-heap resource on the CPU is its memory-mapped decoding graph (it makes no OpenFST
 * objects): once closed recognizers are collected, no mapping of the graph may remain, however
 * many were opened. The process's resident size is not asserted here, because the heap's own
 * growing and shrinking swamps it; the 10,000-cycle resident-size run with the bundled model and
 * a fixed, pre-touched heap is a documented command (RELIABILITY.md).
 */
class RecognizerNativeMemoryTest {
  @TempDir Path dir;

  /** Mappings of {@code file} in this process, from /proc/self/maps. */
  private static long mappings(Path file) throws IOException {
    String name = file.toRealPath().toString();
    return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.endsWith(name)).count();
  }

  private static void cycles(Path model, float[] audio, int n) throws IOException {
    for (int i = 0; i < n; i++) {
      try (Recognizer r = Recognizer.open(model, RecognizerOptions.defaults().withDevice(DeviceChoice.CPU))) {
        assertEquals("yes maybe", r.transcribe(audio, ToneModel.RATE).text());
      }
    }
  }

  /** Collects garbage until the graph's mappings are released (the cleaner runs after collection). */
  private static long mappingsAfterCollection(Path graph) throws Exception {
    long left = mappings(graph);
    for (int i = 0; i < 50 && left > 0; i++) {
      System.gc();
      Thread.sleep(20);
      left = mappings(graph);
    }
    return left;
  }

  /** In its own method, so no local variable of the test keeps the recognizer reachable. */
  private static void assertAnOpenRecognizerMaps(Path model, Path graph) throws IOException {
    try (Recognizer open = Recognizer.open(model, RecognizerOptions.defaults().withDevice(DeviceChoice.CPU))) {
      assertTrue(mappings(graph) >= 1, "an open recognizer maps its graph (the check sees mappings)");
    }
  }

  @Test
  void closedRecognizersLeaveNoMappingOfTheirGraph() throws Exception {
    Path model = ToneModel.build(dir.resolve("model"), false);
    Path graph = model.resolve(ModelLayout.GRAPH);
    float[] audio = ToneModel.utterance("yes", "maybe");
    assertAnOpenRecognizerMaps(model, graph);
    cycles(model, audio, 50);
    assertEquals(0, mappingsAfterCollection(graph), "mappings of the graph left after 50 closed recognizers");
    cycles(model, audio, 150);
    assertEquals(0, mappingsAfterCollection(graph), "mappings of the graph left after 200 closed recognizers");
  }
}
