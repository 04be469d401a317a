package dev.joule.engine.recognizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.model.ModelFormatException;
import dev.joule.frontend.features.FbankOptions;
import dev.joule.frontend.features.WindowType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fbank.conf}: Kaldi option lines to {@link FbankOptions}, and its errors. */
class FbankConfigTest {
  @TempDir Path dir;

  @Test
  void readsKaldiOptionLines() throws IOException {
    Path f = dir.resolve("fbank.conf");
    Files.writeString(f, "# features\n--num-mel-bins=40  # forty\n\n--dither=0\n--window-type=hamming\n"
        + "--snip-edges=false\n--sample-frequency=8000\n--high-freq=-200\n");
    FbankOptions o = FbankConfig.read(f);
    FbankOptions want = FbankOptions.defaults().toBuilder().numMelBins(40).dither(0).window(WindowType.HAMMING)
        .snipEdges(false).sampleRate(8000).highFreq(-200).build();
    assertEquals(want, o);
    assertEquals(FbankOptions.defaults(), FbankConfig.read(Files.writeString(dir.resolve("empty.conf"), "")));
  }

  @Test
  void badLinesNameFileAndLine() throws IOException {
    Path f = Files.writeString(dir.resolve("fbank.conf"), "--dither=0\n--num-mel-bins=lots\n");
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> FbankConfig.read(f));
    assertEquals(f + ":2: --num-mel-bins needs a number, not 'lots'", e.getMessage());
    Files.writeString(f, "--use-fft=true\n");
    e = assertThrows(ModelFormatException.class, () -> FbankConfig.read(f));
    assertTrue(e.getMessage().endsWith(":1: unknown fbank option --use-fft"), e.getMessage());
    Files.writeString(f, "num-mel-bins 40\n");
    e = assertThrows(ModelFormatException.class, () -> FbankConfig.read(f));
    assertTrue(e.getMessage().contains("expected --name=value"), e.getMessage());
  }
}
