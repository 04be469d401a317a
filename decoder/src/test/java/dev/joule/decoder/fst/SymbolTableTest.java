package dev.joule.decoder.fst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenFST text symbol tables: round trip, use by fstcompile/fstprint, and malformed files. */
class SymbolTableTest {
  @TempDir Path dir;

  @Test
  void roundTripsAndAssignsIds() throws IOException {
    SymbolTable t = new SymbolTable();
    assertEquals(0, t.add("<eps>"));
    assertEquals(1, t.add("hello"));
    assertEquals(5, t.put("world", 5));
    assertEquals(6, t.add("again"));
    assertEquals(1, t.add("hello"));
    Path file = dir.resolve("words.txt");
    t.write(file);
    assertEquals("<eps>\t0\nhello\t1\nworld\t5\nagain\t6\n", Files.readString(file));
    SymbolTable back = SymbolTable.read(file);
    assertEquals(4, back.size());
    assertEquals(5, back.id("world"));
    assertEquals("again", back.symbol(6));
    assertNull(back.symbol(3));
    assertEquals(-1, back.id("nope"));
    assertThrows(IllegalArgumentException.class, () -> back.put("hello", 9));
    assertThrows(IllegalArgumentException.class, () -> back.put("a b", 9));
  }

  @Test
  void openFstToolsReadWhatWeWrite() throws Exception {
    FstTools.assumeInstalled();
    SymbolTable t = new SymbolTable();
    t.add("<eps>");
    t.add("a");
    t.add("b");
    Path syms = dir.resolve("syms.txt");
    t.write(syms);
    Path text = dir.resolve("f.txt");
    Files.writeString(text, "0 1 a b 0.5\n1\n");
    Path bin = dir.resolve("f.fst");
    FstTools.run("fstcompile", "--isymbols=" + syms, "--osymbols=" + syms, text.toString(), bin.toString());
    try (OpenFst f = OpenFst.read(bin)) {
      assertEquals(new Arc(1, 2, 0.5f, 1), f.arcs(0).get(0));
    }
    String printed = FstTools.run("fstprint", "--isymbols=" + syms, "--osymbols=" + syms, bin.toString());
    assertEquals("0\t1\ta\tb\t0.5\n1\n", printed);
  }

  @Test
  void malformedFilesNameTheFileAndLine() throws IOException {
    assertBad("a 0\nb x\n", ":2: id 'x' is not an integer");
    assertBad("a 0\nb 0\n", ":2: id 0 appears twice");
    assertBad("a 0\na 1\n", ":2: symbol 'a' appears twice");
    assertBad("a 0 extra\n", ":1: expected 'symbol id'");
    assertBad("a -3\n", ":1: negative id -3");
    FstFormatException e = assertThrows(FstFormatException.class, () -> SymbolTable.read(dir.resolve("none.txt")));
    assertTrue(e.getMessage().contains("none.txt"), e.getMessage());
  }

  private void assertBad(String content, String message) throws IOException {
    Path file = dir.resolve("bad.txt");
    Files.writeString(file, content);
    FstFormatException e = assertThrows(FstFormatException.class, () -> SymbolTable.read(file));
    assertTrue(e.getMessage().contains(file + message), e.getMessage());
  }
}
