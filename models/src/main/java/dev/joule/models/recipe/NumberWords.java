package dev.joule.models.recipe;

import java.util.ArrayList;
import java.util.List;

/**
 * English number words, lower case and space-separated (no hyphens, no "and"), in the forms a
 * speaker reads aloud: cardinals ({@code 1984 → one thousand nine hundred eighty four}), ordinals
 * ({@code 3 → third}), years ({@code 1984 → nineteen eighty four}) and digit strings.
 */
public final class NumberWords {
  private static final String[] ONES = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"
  };
  private static final String[] TENS = {
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"
  };
  private static final String[] SCALES = {"", "thousand", "million", "billion", "trillion", "quadrillion"};

  private NumberWords() {}

  /** {@code n} read as a cardinal number; negative numbers start with "minus". */
  public static String cardinal(long n) {
    if (n == Long.MIN_VALUE) {
      throw new IllegalArgumentException("out of range: " + n);
    }
    if (n < 0) {
      return "minus " + cardinal(-n);
    }
    if (n == 0) {
      return "zero";
    }
    List<String> groups = new ArrayList<>();
    int scale = 0;
    while (n > 0) {
      int g = (int) (n % 1000);
      if (g > 0) {
        String words = below1000(g);
        groups.add(0, SCALES[scale].isEmpty() ? words : words + " " + SCALES[scale]);
      }
      n /= 1000;
      scale++;
    }
    return String.join(" ", groups);
  }

  /** {@code 1 ≤ n ≤ 999}. */
  private static String below1000(int n) {
    StringBuilder sb = new StringBuilder();
    if (n >= 100) {
      sb.append(ONES[n / 100]).append(" hundred");
      n %= 100;
      if (n > 0) {
        sb.append(' ');
      }
    }
    if (n > 0) {
      sb.append(below100(n));
    }
    return sb.toString();
  }

  private static String below100(int n) {
    if (n < 20) {
      return ONES[n];
    }
    return n % 10 == 0 ? TENS[n / 10] : TENS[n / 10] + " " + ONES[n % 10];
  }

  /** {@code n ≥ 0} read as an ordinal: 1 → first, 21 → twenty first, 100 → one hundredth. */
  public static String ordinal(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative ordinal: " + n);
    }
    String c = cardinal(n);
    int space = c.lastIndexOf(' ');
    String head = space < 0 ? "" : c.substring(0, space + 1);
    return head + ordinalWord(c.substring(space + 1));
  }

  private static String ordinalWord(String w) {
    switch (w) {
      case "one": return "first";
      case "two": return "second";
      case "three": return "third";
      case "five": return "fifth";
      case "eight": return "eighth";
      case "nine": return "ninth";
      case "twelve": return "twelfth";
      default:
        if (w.endsWith("y")) {
          return w.substring(0, w.length() - 1) + "ieth";
        }
        return w + "th";
    }
  }

  /**
   * {@code n} read as a year: 1984 → nineteen eighty four, 1900 → nineteen hundred, 1905 →
   * nineteen oh five, 2000 → two thousand, 2007 → two thousand seven, 2019 → twenty nineteen.
   * Numbers outside 1000..9999 are read as cardinals.
   */
  public static String year(int n) {
    if (n < 1000 || n > 9999) {
      return cardinal(n);
    }
    int hi = n / 100;
    int lo = n % 100;
    if (n % 1000 < 10 && (n / 1000) % 10 != 0 && hi % 10 == 0) {
      // 2000..2009, 3005: "two thousand seven"
      return cardinal(n);
    }
    if (lo == 0) {
      return below100(hi) + " hundred";
    }
    if (lo < 10) {
      return below100(hi) + " oh " + ONES[lo];
    }
    return below100(hi) + " " + below100(lo);
  }

  /** Each digit of {@code digits} as a word: "0451" → zero four five one. */
  public static String digits(String digits) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("not a digit string: " + digits);
      }
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(ONES[c - '0']);
    }
    return sb.toString();
  }

  /** The plural of a number word, for decades: "sixty" → "sixties", "hundred" → "hundreds". */
  public static String plural(String words) {
    int space = words.lastIndexOf(' ');
    String head = space < 0 ? "" : words.substring(0, space + 1);
    String w = words.substring(space + 1);
    if (w.endsWith("y")) {
      return head + w.substring(0, w.length() - 1) + "ies";
    }
    if (w.equals("six")) {
      return head + "sixes";
    }
    return head + w + "s";
  }
}
