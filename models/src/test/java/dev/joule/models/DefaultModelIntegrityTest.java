package dev.joule.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.device.DeviceChoice;
import dev.joule.engine.model.ModelDirectory;
import dev.joule.engine.model.ModelFormatException;
import dev.joule.engine.model.ModelLayout;
import dev.joule.engine.recognizer.Recognizer;
import dev.joule.engine.recognizer.RecognizerOptions;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled model's integrity checks, end to end through {@link Recognizer#open}: a changed
 * weight file is caught by the manifest's SHA-256; if the manifest is made to agree, the weight
 * file's own CRC still catches it, and so does the decoding graph's; a model from a newer format
 * is refused saying so. Every refusal names the file.
 */
class DefaultModelIntegrityTest {
  static final RecognizerOptions CPU = RecognizerOptions.defaults().withDevice(DeviceChoice.CPU);

  @TempDir Path dir;

  /** A plain copy of the bundled model's files. */
  private Path copy() throws IOException, URISyntaxException {
    Path bundled = Path.of(getClass().getClassLoader()
        .getResource("dev/joule/models/default/" + ModelDirectory.MANIFEST).toURI()).getParent();
    Path model = Files.createDirectories(dir.resolve("model"));
    try (var files = Files.list(bundled)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, model.resolve(f.getFileName()));
      }
    }
    return model;
  }

  private static void flipByte(Path file, long at) throws IOException {
    byte[] b = Files.readAllBytes(file);
    b[(int) at] ^= 0x10;
    Files.write(file, b);
  }

  /** Rewrites the manifest's checksum of {@code name} to match the file as it now is. */
  private static void reseal(Path model, String name) throws Exception {
    String sum = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(model.resolve(name))));
    Path manifest = model.resolve(ModelDirectory.MANIFEST);
    Files.writeString(manifest, Files.readString(manifest).replaceAll("(?m)^file\\." + name.replace(".", "\\.") + "=.*$",
        "file." + name + "=" + sum));
  }

  private static String refusal(Path model) {
    // One typed error for every kind of damage: the command line maps it to its "bad model" exit code.
    return assertThrows(ModelFormatException.class, () -> Recognizer.open(model, CPU)).getMessage();
  }

  @Test
  void theIntactCopyLoads() throws Exception {
    try (Recognizer r = Recognizer.open(copy(), CPU)) {
      assertEquals(16000, r.sampleRate());
    }
  }

  @Test
  void corruptWeightsAreCaughtByTheManifestChecksum() throws Exception {
    Path model = copy();
    Path weights = model.resolve(ModelLayout.AM_PARAMS);
    flipByte(weights, Files.size(weights) / 2);
    String msg = refusal(model);
    assertTrue(msg.contains(weights.toString()) && msg.contains("checksum mismatch"), msg);
  }

  @Test
  void corruptWeightsWithAMatchingManifestAreCaughtByTheirOwnChecksum() throws Exception {
    Path model = copy();
    Path weights = model.resolve(ModelLayout.AM_PARAMS);
    flipByte(weights, Files.size(weights) / 2);
    reseal(model, ModelLayout.AM_PARAMS);
    String msg = refusal(model);
    assertTrue(msg.contains(ModelLayout.AM_PARAMS) && msg.toLowerCase().contains("checksum"), msg);
  }

  @Test
  void aCorruptGraphWithAMatchingManifestIsCaughtByItsOwnChecksum() throws Exception {
    Path model = copy();
    Path graph = model.resolve(ModelLayout.GRAPH);
    flipByte(graph, Files.size(graph) - 100);
    reseal(model, ModelLayout.GRAPH);
    String msg = refusal(model);
    assertTrue(msg.contains(ModelLayout.GRAPH) && msg.toLowerCase().contains("checksum"), msg);
  }

  @Test
  void aModelFromANewerFormatIsRefusedSayingSo() throws Exception {
    Path model = copy();
    Path manifest = model.resolve(ModelDirectory.MANIFEST);
    Files.writeString(manifest, Files.readString(manifest).replace("format.version=1", "format.version=2"));
    String msg = refusal(model);
    assertTrue(msg.contains(model.toString()) && msg.contains("model format 2 was written by a newer Joule")
        && msg.contains("reads up to format 1"), msg);
  }
}
