package dev.joule.decoder.lm;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Opens UTF-8 text files for the LM readers and writers; names ending in {@code .gz} are gzip. */
final class LmFiles {
  private LmFiles() {}

  /** A reader that fails on malformed UTF-8 instead of replacing it silently. */
  static BufferedReader reader(Path path) {
    try {
      InputStream in = Files.newInputStream(path);
      if (path.toString().endsWith(".gz")) {
        in = new GZIPInputStream(in, 1 << 16);
      }
      return new BufferedReader(
          new InputStreamReader(
              in,
              StandardCharsets.UTF_8
                  .newDecoder()
                  .onMalformedInput(CodingErrorAction.REPORT)
                  .onUnmappableCharacter(CodingErrorAction.REPORT)),
          1 << 16);
    } catch (NoSuchFileException e) {
      throw new LmException(path + ": no such file");
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    }
  }

  static BufferedWriter writer(Path path) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    OutputStream out = Files.newOutputStream(path);
    if (path.toString().endsWith(".gz")) {
      out = new GZIPOutputStream(out, 1 << 16);
    }
    return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
  }

  /** Reads a line, turning a decoding failure into a format error at {@code lineNumber}. */
  static String readLine(BufferedReader in, Path path, long lineNumber) {
    try {
      return in.readLine();
    } catch (CharacterCodingException e) {
      throw new LmFormatException(path, lineNumber, "not valid UTF-8 text");
    } catch (IOException e) {
      throw new UncheckedIOException(path + ":" + lineNumber + ": " + e.getMessage(), e);
    }
  }
}
