package dev.joule.decoder.graph;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.joule.decoder.fst.LabelSide;
import dev.joule.decoder.fst.OpenFst;
import dev.joule.decoder.lexicon.Disambiguation;
import dev.joule.decoder.lexicon.Lexicon;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * min(det(rmeps(L ∘ G))) built through the bindings equals the same pipeline run with OpenFST's
 * command-line tools on the same L and G files (Kaldi's fstminimizeencoded spelled as
 * fstencode / fstminimize / fstencode --decode).
 */
class LgAgainstToolsTest {
  @TempDir Path dir;

  @Test
  void lgMatchesTheToolPipeline() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/fstcompose")), "OpenFST tools not installed (libfst-tools)");
    Lexicon lex = GraphTestData.lexicon();
    Disambiguation d = Disambiguation.assign(lex);
    GraphSymbols sym = GraphSymbols.create(GraphTestData.tokens(), lex.words(), d.maxSymbol());
    Path lFile = dir.resolve("L.fst");
    Path gFile = dir.resolve("G.fst");
    try (OpenFst l = LexiconFst.build(d, sym, 0.3, "SIL");
        OpenFst g = GrammarFst.fromArpa(GraphTestData.resource("toy.arpa"), sym).fst()) {
      l.arcSort(LabelSide.OUTPUT);
      l.write(lFile);
      g.write(gFile);
      try (OpenFst composed = OpenFst.compose(l, g)) {
        composed.rmEpsilon();
        try (OpenFst ours = composed.determinize()) {
          ours.minimizeEncoded();
          Path codex = dir.resolve("codex");
          String script = String.join(" | ",
              "fstcompose " + lFile + " " + gFile,
              "fstrmepsilon",
              "fstdeterminize",
              "fstencode --encode_labels --encode_weights - " + codex,
              "fstminimize",
              "fstencode --decode - " + codex + " " + dir.resolve("LG.fst"));
          Process p = new ProcessBuilder("bash", "-c", "set -o pipefail; " + script).redirectErrorStream(true).start();
          String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, log);
          try (OpenFst tools = OpenFst.read(dir.resolve("LG.fst"))) {
            assertTrue(ours.numStates() > 10);
            assertTrue(OpenFst.isomorphic(tools, ours, 1e-4f),
                "tools: " + tools.numStates() + "/" + tools.numArcs() + ", ours: " + ours.numStates() + "/"
                    + ours.numArcs());
          }
        }
      }
    }
  }
}
