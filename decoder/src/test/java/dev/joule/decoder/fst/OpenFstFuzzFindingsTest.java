package dev.joule.decoder.fst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every input with which the OpenFST read fuzzer (benchmarks/fuzz/openfst.sh) crashed, aborted,
 * hung or exhausted memory in OpenFST's reader is refused by {@link OpenFst#read} with an
 * {@link FstFormatException} naming the file, before native code sees it.
 *
 * <p>The files in openfst-fuzz/ are named {@code <what the fuzzer saw>-<problem>-<hash>.fst}: the
 * fuzzer's verdict (crash: a sanitizer report, SEGV or abort; oom: more than 1 GiB allocated or
 * 2 GiB resident; timeout: over 10 s) and the problem the Java check reports first. Some inputs
 * are damaged in several ways, so the problem named is not always the one that made OpenFST fail
 * (crash-contradictory-properties aborted on its property bits, which the shim no longer trusts;
 * see OpenFstFileCheckTest#contradictoryPropertyBitsAreIgnored).
 */
class OpenFstFuzzFindingsTest {
  /** What the check's message says for each problem in the file names. */
  private static final Map<String, String> MESSAGES = Map.ofEntries(
      Map.entry("arc-to-missing-state", "leads to state"),
      Map.entry("const-arc-range-past-end", "has arcs"),
      Map.entry("const-epsilon-counts", "counts more epsilon arcs"),
      Map.entry("const-huge-arc-count", "arcs; the file has room for at most"),
      Map.entry("contradictory-properties", "negative label"),
      Map.entry("huge-state-count", "states; the file has room for at most"),
      Map.entry("negative-label", "negative label"),
      Map.entry("start-state-out-of-range", "is not one of the"),
      Map.entry("symbol-length", "symbol table symbol"),
      Map.entry("symbol-table-magic", "symbol table has a bad magic number"),
      Map.entry("symbol-table-name-length", "symbol table name claims"),
      Map.entry("symbol-table-size", "symbols; the file has room for at most"),
      Map.entry("type-string-length", "type claims"),
      Map.entry("vector-huge-arc-count", "arcs; the file has room for at most"));

  static List<Path> findings() throws IOException, URISyntaxException {
    Path dir = Path.of(OpenFstFuzzFindingsTest.class.getResource("openfst-fuzz").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().collect(Collectors.toList());
    }
  }

  @ParameterizedTest
  @MethodSource("findings")
  void refusedWithATypedErrorNamingTheFile(Path file) {
    FstFormatException e = assertThrows(FstFormatException.class, () -> OpenFst.read(file));
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
    String name = file.getFileName().toString();
    String problem = name.substring(name.indexOf('-') + 1, name.lastIndexOf('-'));
    assertTrue(MESSAGES.containsKey(problem), "no expected message for " + name);
    assertTrue(e.getMessage().contains(MESSAGES.get(problem)), e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void everyKindOfFindingIsKept() throws Exception {
    // 95 inputs from the three 2026-11-22 runs (RELIABILITY.md); the set only grows.
    assertTrue(findings().size() >= 95, "findings: " + findings().size());
    assertEquals(MESSAGES.keySet(), findings().stream()
        .map(p -> p.getFileName().toString())
        .map(n -> n.substring(n.indexOf('-') + 1, n.lastIndexOf('-')))
        .collect(Collectors.toSet()));
  }
}
