package dev.joule.cli;

import dev.joule.decoder.fst.OpenFst;
import dev.joule.decoder.fst.SymbolTable;
import dev.joule.decoder.graph.CompiledGraph;
import dev.joule.decoder.graph.GraphCompiler;
import dev.joule.decoder.lexicon.Lexicon;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code joule compile-graph}: builds the TLG decoding graph from a lexicon, an ARPA LM and the tokens. */
@Command(
    name = "compile-graph",
    mixinStandardHelpOptions = true,
    description = {
      "Builds the TLG decoding graph from a lexicon, an ARPA language model and the tokens.",
      "Compiles the decoding graph TLG = T o min(det(L o G)) from a CMUdict lexicon, an ARPA",
      "language model and the acoustic model's token table, and writes into --out:",
      "TLG.fst (OpenFST), TLG.jfst (compact, memory-mapped by the decoder), words.txt,",
      "tokens.txt (graph input symbols) and oov.txt (LM words without a pronunciation)."
    })
final class CompileGraphCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--lexicon", required = true, paramLabel = "DICT",
      description = "pronunciations in CMUdict format (e.g. cmudict-en-us.dict)")
  Path lexicon;

  @Option(names = "--lm", required = true, paramLabel = "ARPA", description = "n-gram language model in ARPA format")
  Path lm;

  @Option(names = "--tokens", required = true, paramLabel = "FILE",
      description = "token table 'symbol id' per line: id 0 the CTC blank, or a graph tokens.txt (<eps> 0, blank 1)")
  Path tokens;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
  Path out;

  @Option(names = "--keep-stress", description = "keep CMUdict stress digits (AH0); stripped by default")
  boolean keepStress;

  @Option(names = "--sil-prob", defaultValue = "0", paramLabel = "P",
      description = "optional silence probability between words (default: ${DEFAULT-VALUE}, none)")
  double silenceProbability;

  @Option(names = "--sil-token", defaultValue = "SIL", paramLabel = "TOKEN",
      description = "silence token used with --sil-prob (default: ${DEFAULT-VALUE})")
  String silenceToken;

  @Option(names = "--max-det-states", defaultValue = "50000000", paramLabel = "N",
      description = "stop when det(L o G) exceeds N states (default: ${DEFAULT-VALUE})")
  long maxDeterminizedStates;

  @Override
  public Integer call() throws Exception {
    if (!(silenceProbability >= 0 && silenceProbability < 1)) {
      throw new IllegalArgumentException("--sil-prob must be in [0, 1), got " + silenceProbability);
    }
    PrintWriter o = spec.commandLine().getOut();
    long t0 = System.nanoTime();
    Lexicon lex = Lexicon.readCmudict(lexicon, keepStress);
    SymbolTable tokenTable = SymbolTable.read(tokens);
    GraphCompiler.Options options =
        new GraphCompiler.Options(silenceProbability, silenceToken, OpenFst.DEFAULT_DELTA, maxDeterminizedStates);
    try (CompiledGraph graph = GraphCompiler.compile(lex, lm, tokenTable, options)) {
      for (GraphCompiler.Stage s : graph.stages()) {
        o.println(s);
      }
      graph.write(out);
      o.printf("out-of-lexicon words: %d (listed in %s)%n", graph.outOfLexicon().size(), out.resolve("oov.txt"));
      o.printf("wrote %s in %.1f s%n", out, (System.nanoTime() - t0) / 1e9);
    }
    o.flush();
    return ExitCodes.OK;
  }
}
