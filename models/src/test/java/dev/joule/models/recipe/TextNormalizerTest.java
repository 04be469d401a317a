package dev.joule.models.recipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextNormalizerTest {
  private static void check(String expected, String written) {
    assertEquals(expected, TextNormalizer.normalize(written), written);
  }

  @Test
  void numbersWithSeparatorsAreCardinals() {
    check("one thousand nine hundred eighty four", "1,984");
    check("there were one million two hundred thousand people", "There were 1,200,000 people.");
    check("one thousand two hundred thirty four point five", "1,234.5");
  }

  @Test
  void plainFourDigitNumbersReadAsYears() {
    check("in nineteen eighty four", "In 1984.");
    check("the year two thousand seven", "the year 2007");
    check("forty two", "42");
    check("twelve thousand", "12000");
    check("zero zero seven", "007");
  }

  @Test
  void ordinalsAndDecades() {
    check("the third man", "The 3rd man");
    check("twenty first century", "21st century");
    check("on the one hundredth day", "on the 100th day");
    check("the nineteen sixties", "the 1960s");
    check("back in the sixties", "back in the '60s");
    check("the eighties", "the 80s");
  }

  @Test
  void money() {
    check("it costs five dollars", "It costs $5.");
    check("one dollar", "$1");
    check("five dollars fifty cents", "$5.50");
    check("ninety nine cents", "$0.99");
    check("one thousand dollars", "$1,000");
    check("two million dollars", "$2 million");
    check("two point five billion dollars", "$2.5 billion");
    check("three pounds", "£3");
  }

  @Test
  void percentagesDecimalsFractionsTimes() {
    check("fifty percent", "50%");
    check("twelve point five percent", "12.5 %");
    check("pi is three point one four", "Pi is 3.14.");
    check("point five", ".5");
    check("one half", "1/2");
    check("three quarters", "3/4");
    check("two thirds", "2/3");
    check("at ten thirty", "at 10:30");
    check("at nine oh five", "at 9:05");
    check("at six o'clock", "at 6:00");
  }

  @Test
  void abbreviations() {
    check("mister smith and missus jones met doctor who", "Mr. Smith and Mrs. Jones met Dr. Who.");
    check("saint paul", "St. Paul");
    check("apples oranges et cetera", "apples, oranges, etc.");
    check("fruit for example apples", "fruit, e.g. apples");
    check("that is no", "i.e. no");
    check("cats versus dogs", "cats vs. dogs");
    check("the u s a and the u k", "the U.S.A. and the U.K.");
    check("at five p m", "at 5 p.m.");
    check("number five", "No. 5");
    check("number one", "#1");
    check("six feet tall", "6 ft tall");
    check("ten kilometers", "10km");
  }

  @Test
  void punctuationCaseAndSymbols() {
    check("hello world", "  Hello,   WORLD!!! ");
    check("don't stop rock n roll", "\"Don't stop\" -- rock 'n' roll");
    check("well known", "well-known");
    check("salt and pepper", "salt & pepper");
    check("two plus two equals four", "2+2=4");
    check("the dogs bones", "the dogs' bones");
    check("mp three player", "MP3 player");
    check("cafe naive", "café naïve");
    check("and or", "and/or");
    check("", "!!! ... ???");
  }

  @Test
  void outputHasOnlyLettersApostrophesAndSingleSpaces() {
    String s = TextNormalizer.normalize("Q: What's 2+2?\tA: It's 4 (or $4.00) -- \"duh\"; 100% sure, #1 [ok]");
    assertTrue(s.matches("[a-z' ]*") && !s.contains("  ") && !s.startsWith(" ") && !s.endsWith(" "), s);
  }
}
