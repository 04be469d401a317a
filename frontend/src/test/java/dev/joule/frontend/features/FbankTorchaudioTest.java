package dev.joule.frontend.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.frontend.FloatMatrix;
import dev.joule.frontend.audio.Audio;
import dev.joule.frontend.io.FeatureEntry;
import dev.joule.frontend.io.KaldiTextReader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Joule's fbank against {@code torchaudio.compliance.kaldi.fbank} (torchaudio 0.13.1 from Debian
 * 12's {@code python3-torchaudio}, run on the CPU of the development machine: no GPU machine was
 * lent for this work, and none is needed for these values), an independent reimplementation of
 * Kaldi's {@code compute-fbank-feats}. torchaudio ran in float64, so its values carry no float32
 * FFT rounding. The reference values, the two 16-bit WAVs they were computed from and the script
 * that made them are in {@code src/test/resources/dev/joule/frontend/features/torchaudio/}.
 */
class FbankTorchaudioTest {
  /** Must match OPTION_SETS in make_reference.py (dither 0 and energy-floor 0 everywhere). */
  static final Map<String, FbankOptions> OPTION_SETS = Map.of(
      "default", FbankOptions.builder().dither(0).build(),
      "centred", FbankOptions.builder().dither(0).snipEdges(false).window(WindowType.HAMMING)
          .useEnergy(true).build(),
      "narrow", FbankOptions.builder().dither(0).numMelBins(23).lowFreq(64).highFreq(-400)
          .preemphasis(0).removeDcOffset(false).window(WindowType.HANNING).build(),
      "nopow2", FbankOptions.builder().dither(0).numMelBins(40).roundToPowerOfTwo(false)
          .window(WindowType.BLACKMAN).useEnergy(true).rawEnergy(false).energyFloor(1.0).build(),
      "magnitude", FbankOptions.builder().dither(0).numMelBins(40).usePower(false)
          .window(WindowType.RECTANGULAR).frameLengthMs(20).frameShiftMs(12.5).build());

  static Path resource(String name) throws URISyntaxException {
    return Path.of(FbankTorchaudioTest.class.getResource("torchaudio/" + name).toURI());
  }

  @Test
  void matchesTorchaudioKaldiCompliance() throws IOException, URISyntaxException {
    int checked = 0;
    try (KaldiTextReader r = new KaldiTextReader(resource("reference.txt"))) {
      FeatureEntry e;
      while ((e = r.next()) != null) {
        String[] id = e.id().split("-");
        float[] audio = Audio.readAll(resource(id[0] + ".wav"), 16000);
        FbankOptions o = OPTION_SETS.get(id[1]);
        FloatMatrix ours = new Fbank(o).compute(audio);
        FloatMatrix ref = e.features();
        assertEquals(ref.rows(), ours.rows(), e.id() + " frames");
        assertEquals(ref.cols(), ours.cols(), e.id() + " dim");
        double max = 0;
        for (int i = 0; i < ref.data().length; i++) {
          max = Math.max(max, Math.abs(ref.data()[i] - ours.data()[i]));
        }
        // Measured: at most 7e-5, most of it the 7 significant digits of the reference file.
        assertTrue(max <= 2e-4, e.id() + ": max abs diff " + max);
        checked++;
      }
    }
    assertEquals(2 * OPTION_SETS.size(), checked);
  }
}
