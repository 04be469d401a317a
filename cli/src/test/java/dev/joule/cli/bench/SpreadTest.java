package dev.joule.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Median and spread of repeated measurements. */
class SpreadTest {
  @Test
  void oddCountsTakeTheMiddleValue() {
    assertEquals(new Spread(2, 1, 9), Spread.of(new double[] {9, 1, 2}));
  }

  @Test
  void evenCountsTakeTheMeanOfTheMiddleTwo() {
    assertEquals(new Spread(2.5, 1, 9), Spread.of(new double[] {3, 9, 1, 2}));
  }

  @Test
  void aFigureOfEachRepetitionAndScaling() {
    List<Repetition> reps = List.of(new Repetition(2, 1, 0.1, 0.2, 0.3), new Repetition(4, 3, 0.1, 0.2, 0.3),
        new Repetition(3, 2, 0.1, 0.2, 0.3));
    Spread wall = Spread.of(reps, Repetition::wallSeconds);
    assertEquals(new Spread(3, 2, 4), wall);
    assertEquals(new Spread(0.3, 0.2, 0.4), wall.dividedBy(10));
  }

  @Test
  void noMeasurementsIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> Spread.of(new double[0]));
  }
}
