package dev.joule.decoder.fst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each algorithm against OpenFST's own command-line tool on the same random inputs: the results
 * must be equal up to state numbering ({@code Isomorphic}, weights within 1e-4).
 */
class OpenFstAlgorithmsTest {
  private static final int SEEDS = 4;
  @TempDir Path dir;

  @BeforeAll
  static void tools() {
    FstTools.assumeInstalled();
  }

  /** Writes {@code input}, runs the tool on it, and compares with {@code ours}. */
  private void compareUnary(OpenFst input, Function<OpenFst, OpenFst> ours, String tool, String... args)
      throws IOException, InterruptedException {
    Path in = dir.resolve("in.fst");
    Path out = dir.resolve("out.fst");
    input.write(in);
    String[] full = new String[args.length + 2];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = in.toString();
    full[args.length + 1] = out.toString();
    FstTools.run(tool, full);
    try (OpenFst expected = OpenFst.read(out); OpenFst actual = ours.apply(input)) {
      assertTrue(
          OpenFst.isomorphic(expected, actual, 1e-4f),
          tool + " differs: expected " + expected.info().numStates() + " states/" + expected.numArcs()
              + " arcs, got " + actual.numStates() + "/" + actual.numArcs());
    }
  }

  @Test
  void composeMatchesFstcompose() throws Exception {
    for (int seed = 0; seed < SEEDS; seed++) {
      Random rnd = new Random(seed);
      try (OpenFst a = RandomFsts.random(rnd, Semiring.TROPICAL, 8, 3, 4, false, false, 0.1);
          OpenFst b = RandomFsts.random(rnd, Semiring.TROPICAL, 8, 3, 4, false, false, 0.1)) {
        Path pa = dir.resolve("a.fst");
        Path pb = dir.resolve("b.fst");
        Path sorted = dir.resolve("a.sorted.fst");
        Path out = dir.resolve("c.fst");
        a.write(pa);
        b.write(pb);
        FstTools.run("fstarcsort", "--sort_type=olabel", pa.toString(), sorted.toString());
        FstTools.run("fstcompose", sorted.toString(), pb.toString(), out.toString());
        try (OpenFst expected = OpenFst.read(out); OpenFst actual = OpenFst.compose(a, b)) {
          assertTrue(expected.numStates() > 1, "seed " + seed + " gives a trivial composition");
          assertTrue(OpenFst.isomorphic(expected, actual, 1e-4f), "seed " + seed);
        }
      }
    }
  }

  @Test
  void determinizeMatchesFstdeterminize() throws Exception {
    for (int seed = 0; seed < SEEDS; seed++) {
      Random rnd = new Random(100 + seed);
      for (Semiring sr : Semiring.values()) {
        try (OpenFst a = RandomFsts.random(rnd, sr, 10, 3, 3, true, true, 0)) {
          compareUnary(a, f -> f.determinize(), "fstdeterminize");
          try (OpenFst d = a.determinize()) {
            assertTrue(d.info().has(FstProperty.INPUT_DETERMINISTIC));
          }
        }
      }
    }
  }

  @Test
  void determinizeFunctionalTransducerMatches() throws Exception {
    // Output labels are a function of the input labels, so the transducer is functional.
    Random rnd = new Random(7);
    try (OpenFst a = RandomFsts.random(rnd, Semiring.TROPICAL, 10, 3, 3, true, true, 0)) {
      a.relabel(Map.of(), Map.of(1, 11, 2, 12, 3, 13));
      compareUnary(a, f -> f.determinize(), "fstdeterminize");
    }
  }

  @Test
  void shortestPathMatchesFstshortestpath() throws Exception {
    for (int seed = 0; seed < SEEDS; seed++) {
      Random rnd = new Random(200 + seed);
      try (OpenFst a = RandomFsts.random(rnd, Semiring.TROPICAL, 12, 3, 5, false, false, 0.1)) {
        compareUnary(a, f -> f.shortestPath(), "fstshortestpath");
        compareUnary(a, f -> f.shortestPath(3, false), "fstshortestpath", "--nshortest=3");
      }
    }
  }

  @Test
  void minimizeRmEpsilonPushMatchTheTools() throws Exception {
    for (int seed = 0; seed < SEEDS; seed++) {
      Random rnd = new Random(300 + seed);
      try (OpenFst a = RandomFsts.random(rnd, Semiring.TROPICAL, 10, 3, 3, true, true, 0);
          OpenFst det = a.determinize()) {
        compareUnary(det, f -> f.copy().minimize(OpenFst.SHORTEST_DELTA), "fstminimize");
      }
      try (OpenFst a = RandomFsts.random(rnd, Semiring.TROPICAL, 10, 3, 3, false, false, 0.3)) {
        compareUnary(a, f -> f.copy().rmEpsilon(), "fstrmepsilon");
        compareUnary(a, f -> f.push(true, false, false, OpenFst.SHORTEST_DELTA), "fstpush", "--push_weights");
        compareUnary(a, f -> f.push(true, false, true, OpenFst.SHORTEST_DELTA), "fstpush", "--push_weights",
            "--to_final");
        compareUnary(a, f -> f.copy().connect(), "fstconnect");
        compareUnary(a, f -> f.copy().invert(), "fstinvert");
        compareUnary(a, f -> f.copy().project(LabelSide.OUTPUT), "fstproject", "--project_type=output");
        compareUnary(a, f -> f.copy().closure(false), "fstclosure");
      }
      try (OpenFst a = RandomFsts.random(rnd, Semiring.LOG, 10, 3, 3, true, true, 0.3)) {
        compareUnary(a, f -> f.copy().rmEpsilon(), "fstrmepsilon");
        compareUnary(a, f -> f.copy().arcSort(LabelSide.OUTPUT), "fstarcsort", "--sort_type=olabel");
      }
    }
  }

  @Test
  void unionAndConcatMatchTheTools() throws Exception {
    Random rnd = new Random(400);
    try (OpenFst a = RandomFsts.random(rnd, Semiring.TROPICAL, 6, 2, 3, false, false, 0);
        OpenFst b = RandomFsts.random(rnd, Semiring.TROPICAL, 6, 2, 3, false, false, 0)) {
      Path pa = dir.resolve("a.fst");
      Path pb = dir.resolve("b.fst");
      a.write(pa);
      b.write(pb);
      for (String tool : List.of("fstunion", "fstconcat")) {
        Path out = dir.resolve(tool + ".fst");
        FstTools.run(tool, pa.toString(), pb.toString(), out.toString());
        try (OpenFst expected = OpenFst.read(out); OpenFst actual = a.copy()) {
          if (tool.equals("fstunion")) {
            actual.union(b);
          } else {
            actual.concat(b);
          }
          assertTrue(OpenFst.isomorphic(expected, actual, 1e-4f), tool);
        }
      }
    }
  }

  @Test
  void infoMatchesFstinfo() throws Exception {
    Random rnd = new Random(500);
    try (OpenFst a = RandomFsts.random(rnd, Semiring.TROPICAL, 15, 3, 4, false, false, 0.2)) {
      Path p = dir.resolve("a.fst");
      a.write(p);
      String text = FstTools.run("fstinfo", p.toString());
      FstInfo info = a.info();
      assertEquals(field(text, "# of states"), info.numStates());
      assertEquals(field(text, "# of arcs"), info.numArcs());
      assertEquals(field(text, "# of final states"), info.numFinal());
      assertEquals(field(text, "# of input/output epsilons"), info.epsilonArcs());
      assertEquals(field(text, "# of input epsilons"), info.inputEpsilons());
      assertEquals(field(text, "# of output epsilons"), info.outputEpsilons());
      assertEquals(field(text, "# of accessible states"), info.accessible());
      assertEquals(field(text, "# of coaccessible states"), info.coaccessible());
      for (FstProperty prop : FstProperty.values()) {
        String line = text.lines().filter(l -> l.startsWith(prop.label() + " ")).findFirst().orElse(null);
        if (line != null) {
          assertEquals(line.strip().endsWith("y"), info.has(prop), prop.label());
        }
      }
    }
  }

  private static long field(String fstinfo, String name) {
    return fstinfo.lines().filter(l -> l.startsWith(name + " ")).map(l -> l.substring(name.length()).strip())
        .mapToLong(Long::parseLong).findFirst().orElseThrow(() -> new AssertionError(name + " missing"));
  }

  @Test
  void isomorphicSeesADifference() {
    Random rnd = new Random(600);
    try (OpenFst a = RandomFsts.random(rnd, Semiring.TROPICAL, 6, 2, 3, false, false, 0);
        OpenFst b = a.copy()) {
      assertTrue(OpenFst.isomorphic(a, b, 1e-4f));
      b.setFinal(0, 123f);
      assertFalse(OpenFst.isomorphic(a, b, 1e-4f));
    }
  }
}
