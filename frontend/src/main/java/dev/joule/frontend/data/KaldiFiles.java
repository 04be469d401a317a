package dev.joule.frontend.data;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Readers and writers for the files of a Kaldi data directory: {@code wav.scp}, {@code segments},
 * {@code text}, {@code utt2spk}. Each line is {@code <id> <rest>}; ids are unique within a file.
 * Every error is a {@link DataFormatException} naming the file and line. Writers sort lines by id
 * in byte order, as Kaldi's {@code LC_ALL=C sort} does.
 */
public final class KaldiFiles {
  private KaldiFiles() {}

  /** One parsed line: its number, the id and the rest (trimmed; may be empty). */
  record Line(int number, String id, String rest) {}

  /** Reads {@code <id> <rest>} lines; rejects blank lines, lines without an id, duplicates. */
  static List<Line> readLines(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new DataFormatException(file, 0, "is a directory");
    }
    if (!Files.isRegularFile(file)) {
      throw new DataFormatException(file, 0, "no such file");
    }
    List<Line> out = new ArrayList<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String s;
      int n = 0;
      while ((s = r.readLine()) != null) {
        n++;
        String t = s.strip();
        if (t.isEmpty()) {
          throw new DataFormatException(file, n, "empty line");
        }
        int sp = indexOfSpace(t);
        String id = sp < 0 ? t : t.substring(0, sp);
        String rest = sp < 0 ? "" : t.substring(sp + 1).strip();
        Integer prev = seen.put(id, n);
        if (prev != null) {
          throw new DataFormatException(file, n, "duplicate id '" + id + "' (first on line " + prev + ")");
        }
        out.add(new Line(n, id, rest));
      }
    } catch (CharacterCodingException e) {
      throw new DataFormatException(file, 0, "not UTF-8 text");
    }
    return out;
  }

  private static int indexOfSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Reads {@code wav.scp}. A location ending in {@code |} is a shell command: refused unless
   * {@code allowCommands}, because running commands from a data file is a decision for the user.
   */
  public static Map<String, WavScpEntry> readWavScp(Path file, boolean allowCommands)
      throws IOException {
    Map<String, WavScpEntry> out = new LinkedHashMap<>();
    for (Line l : readLines(file)) {
      if (l.rest.isEmpty()) {
        throw new DataFormatException(file, l.number, "no audio file for '" + l.id + "'");
      }
      boolean cmd = l.rest.endsWith("|");
      if (cmd && !allowCommands) {
        throw new DataFormatException(file, l.number,
            "'" + l.id + "' is a command ('" + l.rest + "'); commands in wav.scp are refused unless"
                + " explicitly allowed (--allow-commands)");
      }
      String loc = cmd ? l.rest.substring(0, l.rest.length() - 1).strip() : l.rest;
      out.put(l.id, new WavScpEntry(l.id, loc, cmd));
    }
    return out;
  }

  /** Reads {@code segments}: {@code <utt> <recording> <start> <end>} (end −1: to the end). */
  public static Map<String, Segment> readSegments(Path file) throws IOException {
    Map<String, Segment> out = new LinkedHashMap<>();
    for (Line l : readLines(file)) {
      String[] f = l.rest.split("\\s+");
      if (f.length != 3 && f.length != 4) {
        throw new DataFormatException(file, l.number, "expected '<utt> <recording> <start> <end>'");
      }
      double start = seconds(file, l.number, f[1]);
      double end = seconds(file, l.number, f[2]);
      if (start < 0) {
        throw new DataFormatException(file, l.number, "negative start time " + f[1]);
      }
      if (end != -1 && end <= start) {
        throw new DataFormatException(
            file, l.number, "end time " + f[2] + " is not after start time " + f[1]);
      }
      out.put(l.id, new Segment(l.id, f[0], start, end));
    }
    return out;
  }

  private static double seconds(Path file, int line, String s) throws DataFormatException {
    try {
      double v = Double.parseDouble(s);
      if (Double.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new DataFormatException(file, line, "bad time '" + s + "'");
  }

  /** Reads {@code text}: {@code <utt> <transcript>} (the transcript may be empty). */
  public static Map<String, String> readText(Path file) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (Line l : readLines(file)) {
      out.put(l.id, l.rest);
    }
    return out;
  }

  /** Reads {@code utt2spk}: {@code <utt> <speaker>}. */
  public static Map<String, String> readUtt2Spk(Path file) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (Line l : readLines(file)) {
      if (l.rest.isEmpty() || l.rest.split("\\s+").length != 1) {
        throw new DataFormatException(file, l.number, "expected '<utt> <speaker>'");
      }
      out.put(l.id, l.rest);
    }
    return out;
  }

  /** Writes {@code <id> <value>} lines sorted by id. */
  public static void writeMap(Path file, Map<String, String> entries) throws IOException {
    TreeMap<String, String> sorted = new TreeMap<>(KaldiFiles::compareBytes);
    sorted.putAll(entries);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Map.Entry<String, String> e : sorted.entrySet()) {
        checkId(e.getKey());
        w.write(e.getValue().isEmpty() ? e.getKey() : e.getKey() + " " + e.getValue());
        w.write('\n');
      }
    }
  }

  public static void writeWavScp(Path file, Map<String, WavScpEntry> entries) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    entries.forEach((k, v) -> m.put(k, v.command() ? v.location() + " |" : v.location()));
    writeMap(file, m);
  }

  public static void writeSegments(Path file, Map<String, Segment> entries) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    entries.forEach((k, v) -> m.put(k, v.recording() + " " + fmt(v.start()) + " " + fmt(v.end())));
    writeMap(file, m);
  }

  private static String fmt(double seconds) {
    return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
  }

  static void checkId(String id) {
    if (id.isEmpty() || id.codePoints().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("bad id '" + id + "': ids are non-empty, without spaces");
    }
  }

  /** Byte-wise UTF-8 order (Kaldi sorts with LC_ALL=C). */
  static int compareBytes(String a, String b) {
    byte[] x = a.getBytes(StandardCharsets.UTF_8);
    byte[] y = b.getBytes(StandardCharsets.UTF_8);
    return Arrays.compareUnsigned(x, y);
  }
}
