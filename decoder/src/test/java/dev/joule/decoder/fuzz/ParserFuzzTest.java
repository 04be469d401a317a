package dev.joule.decoder.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.joule.decoder.fst.Fst;
import dev.joule.decoder.fst.FstException;
import dev.joule.decoder.fst.OpenFst;
import dev.joule.decoder.fst.SymbolTable;
import dev.joule.decoder.lexicon.Lexicon;
import dev.joule.decoder.lexicon.LexiconException;
import dev.joule.decoder.lm.ArpaReader;
import dev.joule.decoder.lm.LmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the decoder's file readers: ARPA, OpenFST symbol tables, CMUdict,
 * Joule's compact FST files and OpenFST binary files. Replays saved inputs in a normal test run; fuzzes with
 * {@code JAZZER_FUZZ=1} (benchmarks/fuzz/run.sh). Only the readers' typed exceptions may escape.
 */
class ParserFuzzTest {

  private static Path write(byte[] data) throws IOException {
    Path file = Files.createTempFile("joule-fuzz", ".bin");
    file.toFile().deleteOnExit();
    Files.write(file, data);
    return file;
  }

  @FuzzTest(maxDuration = "20s")
  void arpa(byte[] data) {
    try {
      ArpaReader.parse(new String(data, StandardCharsets.UTF_8), Path.of("fuzz.arpa"));
    } catch (LmException expected) {
      // file:line: problem
    }
  }

  @FuzzTest(maxDuration = "20s")
  void symbolTableAndLexicon(byte[] data) throws IOException {
    Path file = write(data);
    try {
      SymbolTable.read(file);
    } catch (IOException | FstException expected) {
      // typed rejection
    }
    try {
      Lexicon.readCmudict(file, false);
    } catch (IOException | LexiconException expected) {
      // typed rejection
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @FuzzTest(maxDuration = "20s")
  void compactFst(byte[] data) throws IOException {
    Path file = write(data);
    try {
      Fst.load(file, true);
    } catch (IOException | FstException expected) {
      // a corrupt file is named and refused
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * OpenFST binary files through {@link OpenFst#read}: the Java check (OpenFstFileCheck) first,
   * then OpenFST itself on what the check accepts. A file the check lets through that OpenFST
   * cannot handle safely would crash this JVM, which is a finding too. OpenFST's reader alone is
   * fuzzed out of process by benchmarks/fuzz/openfst.sh.
   */
  @FuzzTest(maxDuration = "20s")
  void openFstFile(byte[] data) throws IOException {
    Path file = write(data);
    try (OpenFst fst = OpenFst.read(file)) {
      // What the decoder does next with a graph it read: copy it out.
      Fst.fromOpenFst(fst);
    } catch (FstException expected) {
      // a malformed file is named and refused
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
