package dev.joule.frontend.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.frontend.FloatMatrix;
import dev.joule.frontend.audio.Audio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The float32 fbank against the float64 {@link ReferenceFbank} on speech, tones, noise and silence
 * under many option sets, plus tiny cases worked out by hand.
 *
 * <p>No lent GPU machine was available for reference values; {@link FbankTorchaudioTest} compares
 * against torchaudio's Kaldi-compliant fbank computed on the CPU instead (Debian's
 * {@code python3-torchaudio}). Kaldi itself is not packaged for Debian.
 */
class FbankTest {
  static final Path SPEECH = Path.of("/usr/share/pocketsphinx/test/data/cards/001.wav");

  /** Real speech when pocketsphinx-testdata is installed, else a voiced, gliding synthetic vowel. */
  static float[] speech(int rate, double seconds) throws IOException {
    int n = (int) (rate * seconds);
    if (Files.isRegularFile(SPEECH)) {
      float[] all = Audio.readAll(SPEECH, rate);
      if (all.length >= n + rate / 2) {
        return Arrays.copyOfRange(all, rate / 2, rate / 2 + n);
      }
    }
    float[] x = new float[n];
    Random r = new Random(7);
    double phase = 0;
    for (int i = 0; i < n; i++) {
      double f0 = 110 + 40 * Math.sin(2 * Math.PI * 2 * i / rate);
      phase += 2 * Math.PI * f0 / rate;
      double v = 0;
      for (int h = 1; h < 30 && h * f0 < rate / 2.0; h++) {
        v += Math.sin(h * phase) / h * (1 + Math.cos(2 * Math.PI * h * f0 / 1500));
      }
      x[i] = (float) (0.05 * v + 0.002 * r.nextGaussian());
    }
    return x;
  }

  static float[] tone(double freq, int rate, int n, double amp) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (amp * Math.sin(2 * Math.PI * freq * i / rate));
    }
    return x;
  }

  static double maxDiff(FloatMatrix fast, double[][] ref) {
    assertEquals(ref.length, fast.rows());
    double max = 0;
    for (int r = 0; r < ref.length; r++) {
      assertEquals(ref[r].length, fast.cols());
      for (int c = 0; c < ref[r].length; c++) {
        assertTrue(Float.isFinite(fast.get(r, c)), "non-finite at " + r + "," + c);
        max = Math.max(max, Math.abs(fast.get(r, c) - ref[r][c]));
      }
    }
    return max;
  }

  static List<FbankOptions> optionSets() {
    FbankOptions d = FbankOptions.builder().dither(0).build();
    List<FbankOptions> list = new ArrayList<>();
    list.add(d);
    list.add(FbankOptions.defaults()); // dither 1.0, seed 0
    for (WindowType w : WindowType.values()) {
      list.add(d.toBuilder().window(w).build());
    }
    list.add(d.toBuilder().snipEdges(false).build());
    list.add(d.toBuilder().roundToPowerOfTwo(false).build());
    list.add(d.toBuilder().useEnergy(true).build());
    list.add(d.toBuilder().useEnergy(true).rawEnergy(false).energyFloor(1.0).build());
    list.add(d.toBuilder().useLogFbank(false).numMelBins(23).build());
    list.add(d.toBuilder().usePower(false).numMelBins(40).build());
    list.add(d.toBuilder().lowFreq(64).highFreq(-400).preemphasis(0).removeDcOffset(false).build());
    list.add(d.toBuilder().lowFreq(100).highFreq(7000).frameLengthMs(20).frameShiftMs(12.5).build());
    list.add(d.toBuilder().sampleRate(8000).numMelBins(40).build());
    return list;
  }

  @Test
  void fastPathMatchesReferenceOnSpeechTonesNoiseAndSilence() throws IOException {
    for (FbankOptions o : optionSets()) {
      int rate = (int) o.sampleRate();
      Random r = new Random(3);
      float[] noise = new float[rate / 4];
      for (int i = 0; i < noise.length; i++) {
        noise[i] = (float) (0.1 * r.nextGaussian());
      }
      float[][] signals = {
        speech(rate, 0.4),
        tone(1000, rate, rate / 4, 0.5),
        tone(3150.7, rate, rate / 4, 0.01),
        noise,
        new float[rate / 5],
      };
      Fbank fbank = new Fbank(o);
      for (int s = 0; s < signals.length; s++) {
        double diff = maxDiff(fbank.compute(signals[s]), ReferenceFbank.compute(signals[s], o));
        // Log-domain values: the issue asks for 1e-3; the fast path is within about 1.2e-6, so
        // 1e-4 leaves room for JIT differences and still catches real errors. Linear values
        // (use-log-fbank=false) are compared relative to the largest one.
        double tol = o.useLogFbank() ? 1e-4 : 1e-4 * maxAbs(ReferenceFbank.compute(signals[s], o));
        assertTrue(diff <= tol, "signal " + s + " options " + o + ": max diff " + diff);
      }
    }
  }

  static double maxAbs(double[][] m) {
    double max = 1e-30;
    for (double[] row : m) {
      for (double v : row) {
        max = Math.max(max, Math.abs(v));
      }
    }
    return max;
  }

  @Test
  void frameCountsFollowKaldisFormulas() {
    FbankOptions snip = FbankOptions.defaults(); // 400-sample frames, 160-sample shift
    assertEquals(0, snip.numFrames(0));
    assertEquals(0, snip.numFrames(399));
    assertEquals(1, snip.numFrames(400));
    assertEquals(1, snip.numFrames(559));
    assertEquals(2, snip.numFrames(560));
    assertEquals(98, snip.numFrames(16000)); // 1 + (16000 - 400) / 160
    assertEquals(320, snip.firstSampleOfFrame(2));
    FbankOptions centred = snip.toBuilder().snipEdges(false).build();
    assertEquals(0, centred.numFrames(79));
    assertEquals(1, centred.numFrames(80));
    assertEquals(1, centred.numFrames(239));
    assertEquals(2, centred.numFrames(240));
    assertEquals(100, centred.numFrames(16000));
    assertEquals(-120, centred.firstSampleOfFrame(0)); // 0·160 + 80 − 200
    assertEquals(400, snip.windowSize());
    assertEquals(512, snip.paddedWindowSize());
    assertEquals(400, snip.toBuilder().roundToPowerOfTwo(false).build().paddedWindowSize());
    assertEquals(98, new Fbank(snip).compute(new float[16000]).rows());
    assertEquals(100, new Fbank(centred).compute(new float[16000]).rows());
  }

  @Test
  void melScaleAndBinsByHand() {
    assertEquals(0.0, MelBanks.melScale(0), 0);
    assertEquals(1127 * Math.log(2), MelBanks.melScale(700), 1e-12);
    assertEquals(2840.0377, MelBanks.melScale(8000), 1e-4);
    assertEquals(1234.5, MelBanks.inverseMelScale(MelBanks.melScale(1234.5)), 1e-9);
    // Defaults: mel(20) = 31.75, mel(8000) = 2840.04, 81 steps of 34.67 mel. Bin 0 spans
    // (31.75, 101.09) mel = (20, 65.9) Hz: FFT bins 1 (31.25 Hz) and 2 (62.5 Hz) of width 31.25.
    MelBanks mel = new MelBanks(FbankOptions.defaults());
    assertEquals(80, mel.numBins());
    assertEquals(1, mel.offset(0));
    assertEquals(2, mel.weights(0).length);
    double m1 = MelBanks.melScale(31.25);
    double low = MelBanks.melScale(20);
    double delta = (MelBanks.melScale(8000) - low) / 81;
    assertEquals((m1 - low) / delta, mel.weights(0)[0], 1e-6);
    // The last bin ends at 8000 Hz = FFT bin 256, which Kaldi never includes.
    assertTrue(mel.offset(79) + mel.weights(79).length <= 256);
  }

  @Test
  void windowsHaveKaldisShapes() {
    assertEquals(0.0, WindowType.POVEY.value(0, 400), 0);
    assertEquals(0.08, WindowType.HAMMING.value(0, 400), 1e-15);
    assertEquals(1.0, WindowType.HANNING.value(200, 401), 1e-15);
    assertEquals(0.0, WindowType.BLACKMAN.value(0, 400), 1e-15);
    assertEquals(1.0, WindowType.RECTANGULAR.value(17, 400), 0);
    assertEquals(Math.pow(0.5, 0.85), WindowType.POVEY.value(100, 401), 1e-12);
    assertEquals(WindowType.HANNING, WindowType.parse("hanning"));
    assertThrows(IllegalArgumentException.class, () -> WindowType.parse("kaiser"));
  }

  @Test
  void cosineOnAnFftBinByHand() {
    // 512-sample frames (32 ms at 16 kHz) with a rectangular window and no pre-processing: a cosine
    // at exactly FFT bin 64 (2000 Hz) of amplitude a has |X[64]|² = (512·a·32768/2)² and nothing
    // elsewhere, so mel bin b holds weight_b(64)·P and log energy is ln(512·(a·32768)²/2).
    FbankOptions o = FbankOptions.builder().frameLengthMs(32).frameShiftMs(32).dither(0)
        .window(WindowType.RECTANGULAR).preemphasis(0).removeDcOffset(false).useEnergy(true).build();
    double a = 0.25;
    float[] x = new float[512];
    for (int t = 0; t < 512; t++) {
      x[t] = (float) (a * Math.cos(2 * Math.PI * 64 * t / 512));
    }
    FloatMatrix f = new Fbank(o).compute(x);
    assertEquals(1, f.rows());
    double amp = a * 32768;
    assertEquals(Math.log(512 * amp * amp / 2), f.get(0, 0), 1e-5);
    double power = Math.pow(512 * amp / 2, 2);
    MelBanks mel = new MelBanks(o);
    double floor = Math.log(Math.ulp(1f));
    int hit = 0;
    for (int b = 0; b < 80; b++) {
      int i = 64 - mel.offset(b);
      double w = i >= 0 && i < mel.weights(b).length ? mel.weights(b)[i] : 0;
      double expect = w > 0 ? Math.log(w * power) : floor;
      hit += w > 0 ? 1 : 0;
      // The float FFT's rounding leaves ~1e-7 of the peak in other bins: compare above the floor.
      if (w > 0) {
        assertEquals(expect, f.get(0, b + 1), 1e-4, "bin " + b);
      } else {
        assertTrue(f.get(0, b + 1) < Math.log(power) - 25, "bin " + b + " = " + f.get(0, b + 1));
      }
    }
    assertEquals(2, hit); // a frequency lies in the rising edge of one bin and the falling of the next
  }

  @Test
  void silenceWithoutDitherIsTheLogFloorAndWithDitherIsFiniteNoise() {
    FloatMatrix quiet = new Fbank(FbankOptions.builder().dither(0).build()).compute(new float[4000]);
    for (float v : quiet.data()) {
      assertEquals((float) Math.log(Math.ulp(1f)), v);
    }
    FloatMatrix dithered = new Fbank(FbankOptions.defaults()).compute(new float[4000]);
    for (float v : dithered.data()) {
      assertTrue(Float.isFinite(v) && v > Math.log(Math.ulp(1f)) + 5, "dithered silence: " + v);
    }
  }

  @Test
  void ditherIsDeterministicPerSeed() {
    float[] x = tone(440, 16000, 8000, 0.001);
    FloatMatrix a = new Fbank(FbankOptions.defaults()).compute(x);
    FloatMatrix b = new Fbank(FbankOptions.defaults()).compute(x);
    FloatMatrix c = new Fbank(FbankOptions.builder().seed(1).build()).compute(x);
    assertEquals(a, b);
    assertFalse(a.equals(c));
  }

  @Test
  void badOptionsAreRejectedWithTheirNames() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> FbankOptions.builder().highFreq(9000).build()).getMessage().contains("high-freq"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> FbankOptions.builder().lowFreq(8000).build()).getMessage().contains("low-freq"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> FbankOptions.builder().numMelBins(2).build()).getMessage().contains("num-mel-bins"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> FbankOptions.builder().frameShiftMs(0).build()).getMessage().contains("frame-shift"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> FbankOptions.builder().dither(-1).build()).getMessage().contains("dither"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new MelBanks(FbankOptions.builder().numMelBins(200).build())).getMessage().contains("no FFT bin"));
    assertEquals(7600, FbankOptions.builder().highFreq(-400).build().effectiveHighFreq(), 0);
  }

  @Test
  void fftMatchesTheDirectDftOnRandomFrames() {
    Random r = new Random(11);
    for (int n : new int[] {4, 8, 64, 512, 1024, 400, 6}) {
      RealFft fft = new RealFft(n);
      double[] xd = new double[n];
      for (int i = 0; i < n; i++) {
        xd[i] = r.nextGaussian();
      }
      float[] power = new float[n / 2 + 1];
      fft.powerSpectrum(xd.clone(), power);
      for (int k = 0; k <= n / 2; k++) {
        double re = 0;
        double im = 0;
        for (int t = 0; t < n; t++) {
          re += xd[t] * Math.cos(2 * Math.PI * k * t / n);
          im -= xd[t] * Math.sin(2 * Math.PI * k * t / n);
        }
        assertEquals(re * re + im * im, power[k], 1e-4 * n, "n=" + n + " k=" + k);
      }
    }
  }

  @Test
  void featuresOfFloatMatrixAreNeverNaNForLoudClippedInput() {
    float[] x = new float[8000];
    Arrays.fill(x, 1f);
    for (int i = 0; i < x.length; i += 2) {
      x[i] = -1f;
    }
    for (float v : new Fbank(FbankOptions.defaults()).compute(x).data()) {
      assertTrue(Float.isFinite(v));
    }
    assertArrayEquals(new float[0], new Fbank(FbankOptions.defaults()).compute(new float[10]).data());
    // Float WAVs can hold any finite value: absurdly loud input still gives finite features.
    float[] huge = FbankTest.tone(500, 16000, 4000, 1e30);
    for (FbankOptions o : new FbankOptions[] {FbankOptions.builder().useEnergy(true).build(),
        FbankOptions.builder().useLogFbank(false).build()}) {
      for (float v : new Fbank(o).compute(huge).data()) {
        assertTrue(Float.isFinite(v), "loud input gave " + v);
      }
    }
  }
}
