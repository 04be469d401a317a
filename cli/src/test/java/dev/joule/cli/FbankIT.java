package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.recognizer.ToneModel;
import dev.joule.frontend.audio.Audio;
import dev.joule.frontend.features.Cmvn;
import dev.joule.frontend.features.Fbank;
import dev.joule.frontend.features.FbankOptions;
import dev.joule.frontend.io.FeatureEntry;
import dev.joule.frontend.io.KaldiTextReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code joule fbank} through the script: the features it writes for a data directory and for one
 * file are exactly those the library computes, and a missing file is a one-line input error.
 */
class FbankIT {
  @TempDir Path dir;

  @Test
  void featuresOfADataDirectoryAndOfOneFile() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path[] wavs = {
      ToneModel.wav(dir.resolve("a.wav"), "yes"), ToneModel.wav(dir.resolve("b.wav"), "no", "maybe"),
    };
    Files.writeString(data.resolve("wav.scp"), "u1 " + wavs[0] + "\nu2 " + wavs[1] + "\n");
    FbankOptions options = FbankOptions.builder().numMelBins(23).dither(0).build();
    Fbank fbank = new Fbank(options);

    Path feats = dir.resolve("feats.jfea");
    Path stats = dir.resolve("cmvn.stats");
    Launcher joule = new Launcher(dir);
    joule.run("fbank", data.toString(), "-o", feats.toString(), "--num-mel-bins", "23", "--dither", "0",
        "--write-cmvn-stats", stats.toString(), "-q").ok();
    List<FeatureEntry> written = FbankCommandTest.read(feats);
    assertEquals(2, written.size());
    Cmvn expected = new Cmvn(options.dim());
    for (int i = 0; i < wavs.length; i++) {
      FeatureEntry e = new FeatureEntry("u" + (i + 1), fbank.compute(Audio.readAll(wavs[i], 16000)));
      assertEquals(e, written.get(i));
      expected.accumulate(e.features());
    }
    assertEquals(expected.count(), Cmvn.load(stats).count());

    Path text = dir.resolve("one.txt");
    Launcher.Result one = joule.run("fbank", wavs[1].toString(), "-o", text.toString(), "--format", "text",
        "--utt-id", "x", "--num-mel-bins", "23", "--dither", "0").ok();
    assertEquals("", one.err());
    try (KaldiTextReader r = new KaldiTextReader(text)) {
      assertEquals(new FeatureEntry("x", written.get(1).features()), r.next());
    }

    joule.run("fbank", dir.resolve("missing.wav").toString(), "-o", dir.resolve("o").toString())
        .failsWith(ExitCodes.INPUT, "no such file");
    assertTrue(Files.notExists(dir.resolve("o")));
  }
}
