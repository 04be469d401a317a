package dev.joule.cli;

import dev.joule.engine.model.ModelDirectory;
import dev.joule.models.recipe.ModelAssembler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code joule assemble}: the last step of training a model, joining its parts into one directory. */
@Command(
    name = "assemble",
    mixinStandardHelpOptions = true,
    description = {
      "Joins a trained acoustic model and a decoding graph into a model transcribe can use.",
      "Copies every file of the acoustic model directory (joule train --out), TLG.jfst and",
      "words.txt of the graph directory (joule compile-graph --out), and the n-gram LM and lexicon",
      "the graph was compiled from (--lm, --lexicon; rescoring needs the LM), into a new model",
      "directory with a checksummed manifest, written atomically."
    })
final class AssembleCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--am", required = true, paramLabel = "DIR", description = "acoustic model directory (joule train --out)")
  Path am;

  @Option(names = "--graph", required = true, paramLabel = "DIR", description = "graph directory (joule compile-graph --out)")
  Path graph;

  @Option(names = "--lm", paramLabel = "ARPA",
      description = "the n-gram LM the graph was compiled from (default: lm.arpa in the graph directory, if any)")
  Path lm;

  @Option(names = "--lexicon", paramLabel = "DICT",
      description = "the lexicon the graph was compiled from (default: lexicon.txt in the graph directory, if any)")
  Path lexicon;

  @Option(names = "--property", paramLabel = "KEY=VALUE", description = "a property for the manifest (repeatable)")
  List<String> properties = new ArrayList<>();

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "the model directory to write (an existing model directory there is replaced)")
  Path out;

  @Override
  public Integer call() throws Exception {
    // The model replaces --out atomically: never let that be one of the inputs or a directory of something else.
    if (Files.exists(out)) {
      for (Path input : new Path[] {am, graph}) {
        if (Files.exists(input) && Files.isSameFile(out, input)) {
          throw new IllegalArgumentException("--out " + out + " is an input directory; choose a new one");
        }
      }
      if (!Files.isRegularFile(out.resolve(ModelDirectory.MANIFEST))) {
        throw new IllegalArgumentException("--out " + out + ": exists and is not a model directory; choose a new one");
      }
    }
    ModelDirectory model = ModelAssembler.assemble(am, graph, lm, lexicon, out, properties.toArray(String[]::new));
    spec.commandLine().getOut().println("model: " + model.directory() + " (" + model.files().size() + " files, verified)");
    return ExitCodes.OK;
  }
}
