package dev.joule.cli.format;

/** JSON text pieces shared by the commands that write JSON (transcripts, benchmark reports). */
public final class JsonText {
  private JsonText() {}

  /** A JSON string literal (RFC 8259 escapes). */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** A JSON number, or {@code null} for NaN and infinities (which JSON cannot hold). */
  public static String number(double x, int decimals) {
    return Double.isFinite(x) ? String.format(java.util.Locale.ROOT, "%." + decimals + "f", x) : "null";
  }
}
