package dev.joule.decoder.scoring;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Kaldi-style {@code text} files ({@code uttid word word ...}, one utterance per line; a
 * line with only the id is an empty transcript) and {@code utt2spk} files ({@code uttid spk}).
 */
public final class TranscriptFiles {
  private TranscriptFiles() {}

  /** Utterance id to words, in file order. */
  public static Map<String, List<String>> readText(Path file) throws IOException {
    Map<String, List<String>> out = new LinkedHashMap<>();
    forEachLine(file, (f, line) -> {
      if (out.put(f[0], List.of(Arrays.copyOfRange(f, 1, f.length))) != null) {
        throw new ScoringInputException(file, line, "utterance '" + f[0] + "' appears twice");
      }
    });
    return out;
  }

  /** Utterance id to speaker. */
  public static Map<String, String> readUtt2Spk(Path file) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    forEachLine(file, (f, line) -> {
      if (f.length != 2) {
        throw new ScoringInputException(file, line, "expected 'utterance speaker', found '" + String.join(" ", f) + "'");
      }
      if (out.put(f[0], f[1]) != null) {
        throw new ScoringInputException(file, line, "utterance '" + f[0] + "' appears twice");
      }
    });
    return out;
  }

  /** What to do with the fields of one non-blank line. */
  private interface LineHandler {
    void accept(String[] fields, int lineNumber) throws ScoringInputException;
  }

  private static void forEachLine(Path file, LineHandler handler) throws IOException {
    List<String> lines = lines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (!line.isEmpty()) {
        handler.accept(line.split("\\s+"), i + 1);
      }
    }
  }

  private static List<String> lines(Path file) throws IOException {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
        lines.set(0, lines.get(0).substring(1));
      }
      return lines;
    } catch (NoSuchFileException e) {
      throw new ScoringInputException(file, 0, Files.isDirectory(file) ? "is a directory" : "no such file");
    } catch (MalformedInputException e) {
      throw new ScoringInputException(file, 0, "not UTF-8 text");
    }
  }
}
