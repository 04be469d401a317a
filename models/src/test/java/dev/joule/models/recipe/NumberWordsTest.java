package dev.joule.models.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NumberWordsTest {
  @Test
  void cardinals() {
    assertEquals("zero", NumberWords.cardinal(0));
    assertEquals("thirteen", NumberWords.cardinal(13));
    assertEquals("twenty one", NumberWords.cardinal(21));
    assertEquals("one hundred", NumberWords.cardinal(100));
    assertEquals("one hundred five", NumberWords.cardinal(105));
    assertEquals("one thousand nine hundred eighty four", NumberWords.cardinal(1984));
    assertEquals("one million", NumberWords.cardinal(1_000_000));
    assertEquals("two billion three thousand", NumberWords.cardinal(2_000_003_000L));
    assertEquals("minus seven", NumberWords.cardinal(-7));
  }

  @Test
  void ordinals() {
    assertEquals("first", NumberWords.ordinal(1));
    assertEquals("second", NumberWords.ordinal(2));
    assertEquals("third", NumberWords.ordinal(3));
    assertEquals("twelfth", NumberWords.ordinal(12));
    assertEquals("twentieth", NumberWords.ordinal(20));
    assertEquals("twenty first", NumberWords.ordinal(21));
    assertEquals("one hundredth", NumberWords.ordinal(100));
    assertEquals("one thousand nine hundred eighty fourth", NumberWords.ordinal(1984));
    assertThrows(IllegalArgumentException.class, () -> NumberWords.ordinal(-1));
  }

  @Test
  void years() {
    assertEquals("nineteen eighty four", NumberWords.year(1984));
    assertEquals("nineteen hundred", NumberWords.year(1900));
    assertEquals("nineteen oh five", NumberWords.year(1905));
    assertEquals("two thousand", NumberWords.year(2000));
    assertEquals("two thousand seven", NumberWords.year(2007));
    assertEquals("twenty nineteen", NumberWords.year(2019));
    assertEquals("ten sixty six", NumberWords.year(1066));
    assertEquals("nine hundred", NumberWords.year(900));
  }

  @Test
  void digitsAndPlurals() {
    assertEquals("zero four five one", NumberWords.digits("0451"));
    assertEquals("nineteen sixties", NumberWords.plural("nineteen sixty"));
    assertEquals("sixes", NumberWords.plural("six"));
    assertEquals("nineteen hundreds", NumberWords.plural("nineteen hundred"));
    assertThrows(IllegalArgumentException.class, () -> NumberWords.digits("12a"));
  }
}
