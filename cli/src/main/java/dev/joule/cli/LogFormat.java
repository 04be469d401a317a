package dev.joule.cli;

/** One-line log messages on standard error ("joule: message"), set before any logger exists. */
final class LogFormat {
  private LogFormat() {}

  static void install() {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "joule: %5$s%6$s%n");
    }
  }
}
