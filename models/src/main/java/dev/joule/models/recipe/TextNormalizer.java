package dev.joule.models.recipe;

import java.text.Normalizer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a written English sentence into the words a speaker says: lower case, numbers and common
 * abbreviations spelled out, punctuation dropped. The result holds only {@code a-z}, apostrophes
 * inside words ({@code don't}) and single spaces, so it can be fed to a synthesiser as is and
 * looked up in CMUdict word by word.
 *
 * <p>Handled forms: cardinals with thousands separators ({@code 1,984}), years ({@code 1984 →
 * nineteen eighty four}), ordinals ({@code 3rd}), decades ({@code 1960s}, {@code '60s}), decimals,
 * simple fractions, percentages, money ({@code $5}, {@code $5.50}, {@code £3}, {@code $2 million}),
 * clock times, numbers stuck to letters ({@code MP3 → mp three}), dotted initialisms
 * ({@code U.S.A. → u s a}), titles and other abbreviations ({@code Mr.}, {@code Dr.}, {@code e.g.},
 * {@code etc.}), units after numbers ({@code 5 ft}), and the symbols {@code & + = @ %}.
 */
public final class TextNormalizer {
  /** Abbreviations that always end in a period; matched case-sensitively at a word start. */
  private static final Map<String, String> DOTTED = new LinkedHashMap<>();
  /** Abbreviations matched with or without the period, ignoring case. */
  private static final Map<String, String> LOOSE = new LinkedHashMap<>();
  /** Units read only after a number, with or without a period. */
  private static final Map<String, String> UNITS = new LinkedHashMap<>();

  static {
    String[][] dotted = {
      {"Mr", "mister"}, {"Mrs", "missus"}, {"Ms", "miz"}, {"Dr", "doctor"}, {"St", "saint"},
      {"Jr", "junior"}, {"Sr", "senior"}, {"Prof", "professor"}, {"Gen", "general"},
      {"Col", "colonel"}, {"Capt", "captain"}, {"Lt", "lieutenant"}, {"Sgt", "sergeant"},
      {"Gov", "governor"}, {"Sen", "senator"}, {"Rep", "representative"}, {"Rev", "reverend"},
      {"Hon", "honorable"}, {"Mt", "mount"}, {"Ave", "avenue"}, {"Blvd", "boulevard"},
      {"Rd", "road"}, {"Dept", "department"}, {"Univ", "university"}, {"Inc", "incorporated"},
      {"Ltd", "limited"}, {"Co", "company"}, {"Corp", "corporation"}, {"Bros", "brothers"},
      {"approx", "approximately"}, {"Jan", "january"}, {"Feb", "february"}, {"Mar", "march"},
      {"Apr", "april"}, {"Jun", "june"}, {"Jul", "july"}, {"Aug", "august"},
      {"Sep", "september"}, {"Sept", "september"}, {"Oct", "october"}, {"Nov", "november"},
      {"Dec", "december"}, {"cf", "compare"}, {"esp", "especially"}, {"fig", "figure"},
    };
    for (String[] d : dotted) {
      DOTTED.put(d[0], d[1]);
    }
    String[][] loose = {
      {"e.g.", "for example"}, {"i.e.", "that is"}, {"etc.", "et cetera"}, {"vs.", "versus"},
      {"vs", "versus"}, {"a.m.", "a m"}, {"p.m.", "p m"}, {"b.c.", "b c"}, {"a.d.", "a d"},
      {"mph", "miles per hour"}, {"w/", "with"},
    };
    for (String[] l : loose) {
      LOOSE.put(l[0], l[1]);
    }
    String[][] units = {
      {"ft", "feet"}, {"mi", "miles"}, {"km", "kilometers"},
      {"cm", "centimeters"}, {"mm", "millimeters"}, {"kg", "kilograms"},
      {"lb", "pounds"}, {"lbs", "pounds"}, {"oz", "ounces"}, {"yd", "yards"}, {"yds", "yards"},
      {"hrs", "hours"}, {"hr", "hours"}, {"min", "minutes"}, {"mins", "minutes"}, {"sec", "seconds"},
      {"kb", "kilobytes"}, {"mb", "megabytes"}, {"gb", "gigabytes"}, {"mhz", "megahertz"},
      {"khz", "kilohertz"}, {"ghz", "gigahertz"}, {"hz", "hertz"},
    };
    for (String[] u : units) {
      UNITS.put(u[0], u[1]);
    }
  }

  private static final Pattern DOTTED_ABBR = Pattern.compile(
      "(?<![\\w.])(" + String.join("|", DOTTED.keySet()) + ")\\.");
  private static final Pattern LOOSE_ABBR = Pattern.compile(
      "(?i)(?<![\\w.])(" + String.join("|", LOOSE.keySet().stream().map(Pattern::quote).toList())
          + ")(?![\\w])");
  private static final Pattern INITIALISM = Pattern.compile("(?<![\\w.])((?:[A-Za-z]\\.){2,})");
  private static final Pattern MONEY = Pattern.compile(
      "([$£])\\s?(\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.(\\d{1,2}))?(?:\\s+(thousand|million|billion|trillion)\\b)?");
  private static final Pattern PERCENT = Pattern.compile(
      "(\\d{1,3}(?:,\\d{3})+|\\d+(?:\\.\\d+)?)\\s?%");
  private static final Pattern ORDINAL = Pattern.compile(
      "(?i)(?<![\\w.])(\\d{1,3}(?:,\\d{3})+|\\d+)(st|nd|rd|th)\\b");
  private static final Pattern DECADE = Pattern.compile("(?<![\\w.])(\\d{1,3}0)'?s\\b");
  private static final Pattern SHORT_DECADE = Pattern.compile("(?<!\\w)['’](\\d0)s\\b");
  private static final Pattern TIME = Pattern.compile(
      "(?<![\\w.:])(\\d{1,2}):(\\d{2})(?![\\d:])");
  private static final Pattern NUMBER_UNIT = Pattern.compile(
      "(?i)(?<=\\d)\\s?(" + String.join("|", UNITS.keySet()) + ")\\b\\.?");
  private static final Pattern LETTER_DIGIT = Pattern.compile(
      "(?<=[A-Za-z])(?=\\d)|(?<=\\d)(?=[A-Za-z])");
  private static final Pattern GROUPED = Pattern.compile("(?<![\\w.,])(\\d{1,3}(?:,\\d{3})+)(?:\\.(\\d+))?(?![\\w,]|\\.\\d)");
  private static final Pattern DECIMAL = Pattern.compile("(?<![\\w.])(\\d*)\\.(\\d+)(?!\\w|\\.\\d|,\\d)");
  private static final Pattern FRACTION = Pattern.compile("(?<![\\w/])(\\d{1,3})/(\\d{1,3})(?![\\w/])");
  private static final Pattern INTEGER = Pattern.compile("\\d+");
  private static final Pattern NUMBER_SIGN = Pattern.compile("#\\s?(?=\\d)|(?<![\\w.])(?:No|no|NO)\\.\\s?(?=\\d)");

  private TextNormalizer() {}

  /** The spoken form of {@code text}; empty when nothing speakable is left. */
  public static String normalize(String text) {
    String s = Normalizer.normalize(text, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
    s = s.replace('\u2018', '\'').replace('\u2019', '\'').replace('`', '\'')
        .replace('\u201c', '"').replace('\u201d', '"')
        .replace("\u2013", " - ").replace("\u2014", " - ").replace("\u2026", "...");
    s = replace(LOOSE_ABBR, s, m -> LOOSE.get(m.group(1).toLowerCase(Locale.ROOT)));
    s = replace(DOTTED_ABBR, s, m -> DOTTED.get(m.group(1)));
    s = replace(INITIALISM, s, m -> m.group(1).replace('.', ' ').strip());
    s = replace(MONEY, s, TextNormalizer::money);
    s = replace(PERCENT, s, m -> number(m.group(1)) + " percent");
    s = replace(ORDINAL, s, m -> NumberWords.ordinal(parseGrouped(m.group(1))));
    s = replace(DECADE, s, m -> NumberWords.plural(integer(m.group(1))));
    s = replace(SHORT_DECADE, s, m -> NumberWords.plural(NumberWords.cardinal(Integer.parseInt(m.group(1)))));
    s = replace(TIME, s, TextNormalizer::time);
    s = replace(NUMBER_UNIT, s, m -> " " + UNITS.get(m.group(1).toLowerCase(Locale.ROOT)));
    s = replace(NUMBER_SIGN, s, m -> " number ");
    s = LETTER_DIGIT.matcher(s).replaceAll(" ");
    s = replace(GROUPED, s, m -> number(m.group(0)));
    s = replace(DECIMAL, s, m -> number(m.group(0)));
    s = replace(FRACTION, s, TextNormalizer::fraction);
    s = replace(INTEGER, s, m -> integer(m.group()));
    s = s.replace("&", " and ").replace("+", " plus ").replace("=", " equals ")
        .replace("@", " at ").replace("%", " percent ");
    return clean(s.toLowerCase(Locale.ROOT));
  }

  /** Keeps letters, spaces and apostrophes between letters; everything else becomes a space. */
  static String clean(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 'a' && c <= 'z') {
        out.append(c);
      } else if (c == '\'' && i > 0 && i + 1 < n && isLetter(s.charAt(i - 1)) && isLetter(s.charAt(i + 1))) {
        out.append(c);
      } else if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') {
        out.append(' ');
      }
    }
    int end = out.length();
    while (end > 0 && out.charAt(end - 1) == ' ') {
      end--;
    }
    return out.substring(0, end);
  }

  private static boolean isLetter(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static String replace(Pattern p, String s, Function<Matcher, String> f) {
    Matcher m = p.matcher(s);
    StringBuilder sb = new StringBuilder(s.length() + 16);
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(" " + f.apply(m) + " "));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private static long parseGrouped(String digits) {
    String d = digits.replace(",", "");
    if (d.length() > 18) {
      throw new NumberFormatException("too long: " + digits);
    }
    return Long.parseLong(d);
  }

  /** A plain integer as written: years read as years, leading zeros and long strings digit by digit. */
  static String integer(String digits) {
    if (digits.length() > 1 && digits.charAt(0) == '0' || digits.length() > 15) {
      return NumberWords.digits(digits);
    }
    long v = Long.parseLong(digits);
    if (digits.length() == 4 && v >= 1100 && v <= 2099) {
      return NumberWords.year((int) v);
    }
    return NumberWords.cardinal(v);
  }

  /** {@code 1,984}, {@code 3.14}, {@code .5}, {@code 12} (no year reading: used inside money and percentages). */
  static String number(String written) {
    String w = written.replace(",", "");
    int dot = w.indexOf('.');
    String whole = dot < 0 ? w : w.substring(0, dot);
    String head;
    if (whole.isEmpty()) {
      head = "point";
    } else if (whole.length() > 15) {
      head = NumberWords.digits(whole);
    } else {
      head = NumberWords.cardinal(Long.parseLong(whole));
      if (dot >= 0) {
        head += " point";
      }
    }
    return dot < 0 ? head : head + " " + NumberWords.digits(w.substring(dot + 1));
  }

  private static String money(Matcher m) {
    boolean dollars = m.group(1).equals("$");
    long whole = parseGrouped(m.group(2));
    String cents = m.group(3);
    String scale = m.group(4);
    String major = dollars ? "dollar" : "pound";
    String minor = dollars ? "cent" : "penny";
    if (scale != null) {
      String amount = cents == null ? NumberWords.cardinal(whole) : number(m.group(2) + "." + cents);
      return amount + " " + scale + " " + major + "s";
    }
    StringBuilder sb = new StringBuilder();
    if (whole > 0 || cents == null) {
      sb.append(NumberWords.cardinal(whole)).append(' ').append(major).append(whole == 1 ? "" : "s");
    }
    if (cents != null) {
      int c = Integer.parseInt(cents.length() == 1 ? cents + "0" : cents);
      if (c > 0) {
        if (sb.length() > 0) {
          sb.append(' ');
        }
        String plural = dollars ? "cents" : "pence";
        sb.append(NumberWords.cardinal(c)).append(' ').append(c == 1 ? minor : plural);
      } else if (sb.length() == 0) {
        sb.append("zero ").append(major).append('s');
      }
    }
    return sb.toString();
  }

  private static String time(Matcher m) {
    int h = Integer.parseInt(m.group(1));
    int min = Integer.parseInt(m.group(2));
    if (min >= 60) {
      return NumberWords.cardinal(h) + " " + NumberWords.cardinal(min);
    }
    String hour = NumberWords.cardinal(h);
    if (min == 0) {
      return h <= 12 ? hour + " o'clock" : hour + " hundred";
    }
    return min < 10 ? hour + " oh " + NumberWords.cardinal(min) : hour + " " + NumberWords.cardinal(min);
  }

  private static String fraction(Matcher m) {
    int num = Integer.parseInt(m.group(1));
    int den = Integer.parseInt(m.group(2));
    if (den == 0) {
      return NumberWords.cardinal(num) + " slash zero";
    }
    String n = NumberWords.cardinal(num);
    String d;
    if (den == 1) {
      return n + " over one";
    } else if (den == 2) {
      d = num == 1 ? "half" : "halves";
    } else if (den == 4) {
      d = num == 1 ? "quarter" : "quarters";
    } else {
      d = NumberWords.ordinal(den) + (num == 1 ? "" : "s");
    }
    return n + " " + d;
  }
}
