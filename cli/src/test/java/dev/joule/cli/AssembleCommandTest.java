package dev.joule.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.model.ModelDirectory;
import dev.joule.engine.model.ModelLayout;
import dev.joule.engine.recognizer.ToneModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code joule assemble}: training's parts joined into a model that transcribes. */
class AssembleCommandTest {
  @TempDir Path dir;

  /** An acoustic model directory (as joule train writes) and a graph directory (as compile-graph writes). */
  private Path[] parts() throws IOException {
    ModelDirectory whole = ModelDirectory.open(CliFixture.model(dir.resolve("tones")));
    Path graph = Files.createDirectories(dir.resolve("graph"));
    Path lm = Files.writeString(dir.resolve("lm.arpa"), "\\data\\\nngram 1=1\n\n\\1-grams:\n-1 yes\n\n\\end\\\n");
    try (ModelDirectory.Builder b = ModelDirectory.create(dir.resolve("am"))) {
      for (String f : whole.files()) {
        if (f.equals(ModelLayout.GRAPH) || f.equals(ModelLayout.WORDS)) {
          Files.copy(whole.file(f), graph.resolve(f));
        } else {
          b.copy(whole.file(f), f);
        }
      }
      whole.properties().forEach(b::property);
      b.commit();
    }
    return new Path[] {dir.resolve("am"), graph, lm};
  }

  @Test
  void theAssembledModelTranscribes() throws IOException {
    Path[] p = parts();
    Path model = dir.resolve("model");
    CliFixture cli = new CliFixture();
    assertEquals(ExitCodes.OK, cli.run("assemble", "--am", p[0].toString(), "--graph", p[1].toString(), "--lm",
        p[2].toString(), "--property", "name=assembled", "--out", model.toString()), cli.err.toString());
    assertTrue(cli.out.toString().contains("verified"), cli.out.toString());
    ModelDirectory m = ModelDirectory.open(model);
    assertTrue(m.has(ModelLayout.GRAPH) && m.has(ModelLayout.WORDS) && m.has(ModelLayout.LM));
    assertFalse(m.has(ModelLayout.LEXICON));
    assertEquals("assembled", m.properties().get("name"));
    Path wav = ToneModel.wav(dir.resolve("a.wav"), "yes", "no");
    CliFixture t = new CliFixture();
    assertEquals(ExitCodes.OK, t.run("transcribe", "-m", model.toString(), "--device", "cpu", wav.toString()), t.err.toString());
    assertEquals("yes no\n", t.out.toString());
  }

  @Test
  void refusesMissingPartsAndAnOutputThatIsNotAModel() throws IOException {
    Path[] p = parts();
    Files.delete(p[1].resolve(ModelLayout.GRAPH));
    CliFixture noGraph = new CliFixture();
    assertEquals(ExitCodes.INPUT, noGraph.run("assemble", "--am", p[0].toString(), "--graph", p[1].toString(), "--out",
        dir.resolve("m").toString()));
    assertTrue(noGraph.err.toString().contains("TLG.jfst: missing; run joule compile-graph first"), noGraph.err.toString());

    CliFixture ontoInput = new CliFixture();
    assertEquals(ExitCodes.USAGE, ontoInput.run("assemble", "--am", p[0].toString(), "--graph", p[1].toString(), "--out",
        p[0].toString()));
    assertTrue(ontoInput.err.toString().contains("is an input directory"), ontoInput.err.toString());
    assertTrue(Files.exists(p[0].resolve(ModelDirectory.MANIFEST)), "the acoustic model is untouched");

    Path notAModel = Files.createDirectories(dir.resolve("photos"));
    CliFixture ontoOther = new CliFixture();
    assertEquals(ExitCodes.USAGE, ontoOther.run("assemble", "--am", p[0].toString(), "--graph", p[1].toString(), "--out",
        notAModel.toString()));
    assertTrue(ontoOther.err.toString().contains("exists and is not a model directory"), ontoOther.err.toString());
  }
}
