package dev.joule.decoder.fst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenFstFileCheck against files written by OpenFST's own tools: every layout OpenFST writes is
 * accepted and reads back the same graph, and damaged copies are refused before OpenFST sees them.
 */
class OpenFstFileCheckTest {
  @TempDir Path dir;

  private static final String TEXT = "0\t1\ta\tb\t0.5\n0\t2\t<eps>\tc\t1.25\n1\t1\tb\tb\t0.1\n1\t2\tc\t<eps>\n"
      + "2\t0\ta\ta\t2\n1\t0.3\n2\n";

  /** Compiles TEXT with OpenFST's tools into the given FST and arc type. */
  private Path compile(String name, String fstType, String arcType, boolean symbols, boolean align) throws Exception {
    Path syms = dir.resolve("syms.txt");
    Files.writeString(syms, "<eps>\t0\na\t1\nb\t2\nc\t3\n");
    Path text = dir.resolve("t.txt");
    Files.writeString(text, TEXT);
    Path vector = dir.resolve(name + ".vector");
    List<String> args = new java.util.ArrayList<>(List.of("--arc_type=" + arcType, "--isymbols=" + syms,
        "--osymbols=" + syms));
    if (symbols) {
      args.addAll(List.of("--keep_isymbols", "--keep_osymbols"));
    }
    args.addAll(List.of(text.toString(), vector.toString()));
    FstTools.run("fstcompile", args.toArray(new String[0]));
    Path out = dir.resolve(name + ".fst");
    if (fstType.equals("vector")) {
      Files.move(vector, out);
    } else {
      FstTools.run("fstconvert", "--fst_type=" + fstType, "--fst_align=" + align, vector.toString(), out.toString());
    }
    return out;
  }

  @Test
  void everyLayoutOpenFstWritesIsAcceptedAndReadsTheSameGraph() throws Exception {
    FstTools.assumeInstalled();
    for (String arcType : List.of("standard", "log")) {
      for (String fstType : List.of("vector", "const")) {
        for (boolean symbols : List.of(false, true)) {
          for (boolean align : fstType.equals("const") ? List.of(false, true) : List.of(false)) {
            Path f = compile(fstType + arcType + symbols + align, fstType, arcType, symbols, align);
            OpenFstHeader h = OpenFstFileCheck.check(f);
            assertEquals(fstType, h.fstType(), f.toString());
            assertEquals(arcType, h.arcType(), f.toString());
            assertEquals(0, h.start());
            assertEquals(3, h.numStates());
            try (OpenFst fst = OpenFst.read(f)) {
              assertEquals(3, fst.numStates(), f.toString());
              assertEquals(5L, fst.numArcs(), f.toString());
              assertEquals(new Arc(1, 2, 0.5f, 1), fst.arcs(0).get(0), f.toString());
            }
          }
        }
      }
    }
  }

  @Test
  void aVectorFstWithoutAStateCountIsReadToTheEnd() throws Exception {
    // OpenFST writes -1 states when it cannot count them first (a lazy FST written as vector
    // to a stream) and then reads states until the end of the file.
    try (OpenFst f = OpenFst.create(Semiring.LOG)) {
      f.addStates(2);
      f.setStart(0);
      f.addArc(0, new Arc(1, 2, 0.5f, 1));
      f.setFinal(1, 0f);
      Path file = dir.resolve("uncounted.fst");
      f.write(file);
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
      int numStates = bodyOffset("vector", "log") - 16;
      assertEquals(2L, b.getLong(numStates));
      b.putLong(numStates, -1L);
      Files.write(file, b.array());
      assertEquals(-1, OpenFstFileCheck.check(file).numStates());
      try (OpenFst back = OpenFst.read(file)) {
        assertEquals(2, back.numStates());
        assertEquals(new Arc(1, 2, 0.5f, 1), back.arcs(0).get(0));
      }
      // Without a count, an arc to a state past the last one is still found.
      b.putInt(bodyOffset("vector", "log") + 4 + 8 + 12, 2);
      Files.write(file, b.array());
      FstFormatException e = assertThrows(FstFormatException.class, () -> OpenFst.read(file));
      assertTrue(e.getMessage().contains("an arc leads to state 2 of 2"), e.getMessage());
    }
  }

  @Test
  void everyTruncationIsRefusedNamingTheFile() throws Exception {
    FstTools.assumeInstalled();
    for (String fstType : List.of("vector", "const")) {
      byte[] good = Files.readAllBytes(compile("cut" + fstType, fstType, "standard", true, fstType.equals("const")));
      Path cut = dir.resolve("cut.fst");
      for (int n = 0; n < good.length; n++) {
        Files.write(cut, Arrays.copyOf(good, n));
        FstFormatException e = assertThrows(FstFormatException.class, () -> OpenFst.read(cut), fstType + " cut to " + n);
        assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
      }
    }
  }

  @Test
  void bytesAfterTheBodyAreRefused() throws Exception {
    FstTools.assumeInstalled();
    Path f = compile("tail", "vector", "standard", false, false);
    Files.write(f, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
    FstFormatException e = assertThrows(FstFormatException.class, () -> OpenFst.read(f));
    assertTrue(e.getMessage().contains("1 bytes after the end"), e.getMessage());
  }

  @Test
  void otherFstTypesAreRefusedWithAHint() throws Exception {
    FstTools.assumeInstalled();
    Path text = dir.resolve("acceptor.txt");
    Files.writeString(text, "0\t1\t1\n1\n");
    Path vector = dir.resolve("acceptor.fst");
    FstTools.run("fstcompile", "--acceptor", text.toString(), vector.toString());
    Path compact = dir.resolve("compact.fst");
    FstTools.run("fstconvert", "--fst_type=compact_unweighted_acceptor", vector.toString(), compact.toString());
    FstFormatException e = assertThrows(FstFormatException.class, () -> OpenFst.read(compact));
    assertTrue(e.getMessage().contains("'compact_unweighted_acceptor' is not supported"), e.getMessage());
    assertTrue(e.getMessage().contains("fstconvert --fst_type=vector"), e.getMessage());
  }

  /** Byte offset of the body of a vector FST with no symbol tables and the given type strings. */
  private static int bodyOffset(String fstType, String arcType) {
    return 4 + 4 + fstType.length() + 4 + arcType.length() + 4 + 4 + 8 + 8 + 8 + 8;
  }

  @Test
  void anArcToAMissingStateIsRefusedBeforeOpenFstKeepsIt() throws Exception {
    try (OpenFst f = OpenFst.create(Semiring.TROPICAL)) {
      f.addStates(2);
      f.setStart(0);
      f.addArc(0, new Arc(1, 1, 0f, 1));
      f.setFinal(1, 0f);
      Path good = dir.resolve("two.fst");
      f.write(good);
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(good)).order(ByteOrder.LITTLE_ENDIAN);
      // State 0: final weight, arc count, then the arc: ilabel, olabel, weight, nextstate.
      int nextState = bodyOffset("vector", "standard") + 4 + 8 + 12;
      assertEquals(1, b.getInt(nextState));
      b.putInt(nextState, 7);
      Path bad = dir.resolve("missing-state.fst");
      Files.write(bad, b.array());
      FstFormatException e = assertThrows(FstFormatException.class, () -> OpenFst.read(bad));
      assertTrue(e.getMessage().contains("leads to state 7"), e.getMessage());
    }
  }

  @Test
  void contradictoryPropertyBitsAreIgnored() throws Exception {
    // A transducer whose header claims it is an acceptor, input-sorted and unweighted. OpenFST
    // kept such claims: computing properties then failed an assertion and aborted the JVM
    // (found by the fuzzer), and compose trusted the false "sorted".
    try (OpenFst f = OpenFst.create(Semiring.TROPICAL)) {
      f.addStates(2);
      f.setStart(0);
      f.addArc(0, new Arc(2, 5, 1f, 1));
      f.addArc(0, new Arc(1, 6, 1f, 1));
      f.setFinal(1, 0f);
      Path file = dir.resolve("lying.fst");
      f.write(file);
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
      int properties = bodyOffset("vector", "standard") - 32;
      // Each property has a "yes" bit and, one above it, a "no" bit (kAcceptor, kNotAcceptor).
      long claims = FstProperty.ACCEPTOR.bit | FstProperty.INPUT_LABEL_SORTED.bit | FstProperty.WEIGHTED.bit << 1;
      long touched = (FstProperty.ACCEPTOR.bit | FstProperty.INPUT_LABEL_SORTED.bit | FstProperty.WEIGHTED.bit) * 3;
      b.putLong(properties, b.getLong(properties) & ~touched | claims);
      Files.write(file, b.array());
      try (OpenFst back = OpenFst.read(file)) {
        FstInfo info = back.info();
        assertTrue(!info.has(FstProperty.ACCEPTOR) && !info.has(FstProperty.INPUT_LABEL_SORTED)
            && info.has(FstProperty.WEIGHTED), info.describe());
      }
    }
  }

  @Test
  void aMissingFileIsNamed() {
    Path none = dir.resolve("none.fst");
    FstFormatException e = assertThrows(FstFormatException.class, () -> OpenFstFileCheck.check(none));
    assertEquals(none + ": no such file", e.getMessage());
  }

  @Test
  void aHugeStateCountIsRefusedWithoutAllocating() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(bodyOffset("vector", "standard")).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(OpenFstHeader.FST_MAGIC);
    b.putInt(6).put("vector".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    b.putInt(8).put("standard".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    b.putInt(2).putInt(0).putLong(0).putLong(0).putLong(Long.MAX_VALUE).putLong(0);
    Path f = dir.resolve("huge.fst");
    Files.write(f, b.array());
    FstFormatException e = assertThrows(FstFormatException.class, () -> OpenFst.read(f));
    assertTrue(e.getMessage().contains("claims " + Long.MAX_VALUE + " states"), e.getMessage());
  }
}
