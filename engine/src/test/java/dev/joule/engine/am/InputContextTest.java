package dev.joule.engine.am;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Each architecture's declared {@link InputContext} against brute force: changing an input frame
 * just outside an output frame's declared reach leaves it bit for bit unchanged, changing one
 * just inside changes it.
 */
class InputContextTest {
  private static final int DIM = ArchitecturesTest.DIM;

  private static AcousticModel model(String arch, String dilations) {
    Properties p = ArchitecturesTest.config(arch);
    if (dilations != null) {
      p.setProperty("dilations", dilations);
    }
    AcousticModel am = AcousticModels.create(p, new Random(5));
    am.train(false);
    return am;
  }


  /** Output frame {@code j} of {@code x} after adding 1 to every value of input frame {@code t}. */
  private static float[] withFrameChanged(AcousticModel am, float[][] x, int t, int j) {
    float[][] y = new float[x.length][];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i].clone();
    }
    for (int d = 0; d < DIM; d++) {
      y[t][d] += 1;
    }
    return am.logProbs(y)[j];
  }

  private static boolean same(float[] a, float[] b) {
    return java.util.Arrays.equals(a, b);
  }

  @Test
  void aTdnnReachesThreeTimesTheSumOfItsDilationsEitherSide() {
    for (String dilations : new String[] {"1,1,2,2,3", "1,2", "3"}) {
      AcousticModel am = model("tdnn", dilations);
      int sum = 0;
      for (String d : dilations.split(",")) {
        sum += Integer.parseInt(d);
      }
      InputContext c = am.inputContext();
      assertEquals(new InputContext(3 * sum, 3 * sum), c, dilations);
      assertTrue(c.isFinite());
      int s = am.subsampling();
      // An output frame well inside the input, so that its reach does not touch the edges.
      int j = c.left() / s + 3;
      int frames = s * j + s + c.right() + 10;
      float[][] x = ArchitecturesTest.features(frames, 1);
      float[] out = am.logProbs(x)[j];
      int firstOwn = s * j;
      int lastOwn = s * j + s - 1;
      assertTrue(same(out, withFrameChanged(am, x, firstOwn - c.left() - 1, j)), dilations + ": left of the context");
      assertFalse(same(out, withFrameChanged(am, x, firstOwn - c.left(), j)), dilations + ": first frame of the context");
      assertFalse(same(out, withFrameChanged(am, x, lastOwn + c.right(), j)), dilations + ": last frame of the context");
      assertTrue(same(out, withFrameChanged(am, x, lastOwn + c.right() + 1, j)), dilations + ": right of the context");
    }
  }

  @Test
  void aLinearModelSeesEachFrameAlone() {
    Properties p = new Properties();
    p.setProperty("arch", "linear");
    p.setProperty("input.dim", Integer.toString(DIM));
    p.setProperty("tokens", "4");
    AcousticModel am = AcousticModels.create(p, new Random(2));
    assertEquals(InputContext.NONE, am.inputContext());
    float[][] x = ArchitecturesTest.features(9, 3);
    float[] out = am.logProbs(x)[4];
    assertTrue(same(out, withFrameChanged(am, x, 3, 4)));
    assertTrue(same(out, withFrameChanged(am, x, 5, 4)));
    assertFalse(same(out, withFrameChanged(am, x, 4, 4)));
  }

  @Test
  void recurrentAndAttentionModelsReachTheWholeUtterance() {
    for (String arch : new String[] {"blstm", "conformer"}) {
      AcousticModel am = model(arch, null);
      assertEquals(InputContext.UNBOUNDED, am.inputContext(), arch);
      assertFalse(am.inputContext().isFinite());
      float[][] x = ArchitecturesTest.features(60, 4);
      float[][] out = am.logProbs(x);
      // The first frame reaches the last output, and the last frame the first output.
      assertFalse(same(out[out.length - 1], withFrameChanged(am, x, 0, out.length - 1)), arch);
      assertFalse(same(out[0], withFrameChanged(am, x, x.length - 1, 0)), arch);
    }
  }

  @Test
  void contextIsNeverNegative() {
    assertThrows(IllegalArgumentException.class, () -> new InputContext(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> new InputContext(0, -3));
  }
}
